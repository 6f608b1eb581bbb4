"""Importers of the organisation, one per kind of row (natural keys: codes and numbers)."""
