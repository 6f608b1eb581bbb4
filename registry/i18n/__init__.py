"""Babel message catalogues (vi, en); the .po files are the source, .mo files are built."""
