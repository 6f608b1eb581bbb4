"""Piccolo app config: the registry's tables and the top-level `migrations/` folder."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig

from registry.tables import TABLES

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

APP_CONFIG = AppConfig(
    app_name="registry",
    migrations_folder_path=str(MIGRATIONS_DIR),
    table_classes=list(TABLES),
    migration_dependencies=[],
    commands=[],
)
