"""User accounts, roles per unit, API tokens and sessions."""
