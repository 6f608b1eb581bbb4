"""The catalogue of powers and their legal basis."""
