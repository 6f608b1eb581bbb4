"""Migrations create the schema from empty, and a table change without a migration is caught."""

from __future__ import annotations

import pytest
from piccolo.apps.migrations.auto.diffable_table import DiffableTable
from piccolo.apps.migrations.auto.schema_differ import SchemaDiffer
from piccolo.apps.migrations.auto.schema_snapshot import SchemaSnapshot
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.columns import Varchar
from piccolo.conf.apps import Finder

from registry.tables import TABLES, LedgerEntry, PolicyVersion, Unit


async def schema_drift(tables: list, extra_columns: dict | None = None) -> list[str]:
    """What `piccolo migrations new --auto` would write: empty when migrations match tables."""
    app_config = Finder().get_app_config("registry")
    managers = await BaseMigrationManager().get_migration_managers(app_config=app_config)
    snapshot = SchemaSnapshot(managers).get_snapshot()
    current = [
        DiffableTable(
            class_name=table.__name__,
            tablename=table._meta.tablename,
            columns=[*table._meta.non_default_columns, *(extra_columns or {}).get(table, [])],
            constraints=table._meta.constraints,
            schema=table._meta.schema,
        )
        for table in tables
    ]
    differ = SchemaDiffer(schema=current, schema_snapshot=snapshot, auto_input="y")
    return [line for line in differ.get_alter_statements() for line in line.statements]


async def test_migrations_match_the_table_definitions() -> None:
    assert await schema_drift(TABLES) == []


async def test_a_table_change_without_a_migration_is_detected() -> None:
    # A column the table classes would have but no migration creates (the table class itself is
    # left untouched, so no other test sees it).
    column = Varchar(length=12)
    column._meta.name = "nickname"
    column._meta.db_column_name = "nickname"
    column._meta._table = Unit
    drift = await schema_drift(TABLES, extra_columns={Unit: [column]})
    assert any("nickname" in statement for statement in drift)


@pytest.mark.usefixtures("database")
async def test_migrated_database_has_every_table_and_the_policy_version_row() -> None:
    for table in TABLES:
        assert await table.count() >= 0
    assert await PolicyVersion.select().first() is not None
    assert await LedgerEntry.count() == 0
