"""Grants of power: made, amended, suspended, revoked, renounced, and queried as of any time."""
