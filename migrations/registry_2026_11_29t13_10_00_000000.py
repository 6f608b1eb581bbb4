"""Hand-written: composite indexes so filtered ledger searches start from the filter, newest first."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T13:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ledger filter indexes"

STATEMENTS = [
    "CREATE INDEX ledger_entry_unit_idx ON ledger_entry (unit_code, idx)",
    "CREATE INDEX ledger_entry_power_idx ON ledger_entry (power_code, idx)",
    "CREATE INDEX ledger_entry_event_idx ON ledger_entry (event_type, idx)",
    "CREATE INDEX act_signed_at ON act (signed_at)",
    "CREATE INDEX act_verdict ON act (verdict)",
]


#: SQLite runs `INSERT OR REPLACE` as a delete plus an insert, and the delete fires no trigger:
#: refuse any insert whose key is already taken, so the ledger cannot be rewritten that way.
SQLITE_ONLY = [
    "CREATE TRIGGER ledger_entry_no_replace BEFORE INSERT ON ledger_entry WHEN EXISTS "
    "(SELECT 1 FROM ledger_entry WHERE idx = NEW.idx OR leaf_hash = NEW.leaf_hash) "
    "BEGIN SELECT RAISE(ABORT, 'append-only: ledger_entry key taken'); END",
    "CREATE TRIGGER merkle_node_no_replace BEFORE INSERT ON merkle_node WHEN EXISTS "
    "(SELECT 1 FROM merkle_node WHERE level = NEW.level AND idx = NEW.idx) "
    "BEGIN SELECT RAISE(ABORT, 'append-only: merkle_node key taken'); END",
    "CREATE TRIGGER checkpoint_no_replace BEFORE INSERT ON checkpoint WHEN EXISTS "
    "(SELECT 1 FROM checkpoint WHERE tree_size = NEW.tree_size) "
    "BEGIN SELECT RAISE(ABORT, 'append-only: checkpoint key taken'); END",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run() -> None:
        from registry.tables import LedgerEntry

        engine = LedgerEntry._meta.db
        extra = SQLITE_ONLY if engine.engine_type == "sqlite" else []
        for statement in [*STATEMENTS, *extra]:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
