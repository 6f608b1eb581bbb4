"""Operations: metrics, audit log, backup and restore."""
