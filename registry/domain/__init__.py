"""Pure rules of delegated authority: scopes, validity, grant kinds, reasons and chains."""
