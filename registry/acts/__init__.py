"""Signed acts and their trace to the authority in force when they were signed."""
