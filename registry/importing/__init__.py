"""Bulk import of CSV and JSON files: reading, field checks, reports with line numbers."""
