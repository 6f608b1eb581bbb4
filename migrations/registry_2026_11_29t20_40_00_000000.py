"""Hand-written: the append-only INSERT guards also cover the row id.

SQLite's `INSERT OR REPLACE` deletes whatever row holds a key the new row takes, without
firing DELETE triggers: the BEFORE INSERT guards refused a taken index or leaf hash, but not a
taken row id (`INSERT OR REPLACE INTO ledger_entry (id, ...)` rewrote entry 0). They now refuse
a taken index, leaf hash or row id on `ledger_entry`, and a taken key or row id on
`merkle_node` and `checkpoint`. PostgreSQL has no REPLACE; nothing changes there.

The unique constraints on the entry index and the leaf hash stay, as the last guard the
ledger's specification asks for (docs/decisions.md, decision 25).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T20:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ledger: append-only INSERT guards cover the row id"


def _guards(table: str, key: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_replace",
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN "
        f"EXISTS (SELECT 1 FROM {table} WHERE {key}) "
        f"OR EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, 'append-only: {table} key taken'); END",
    ]


SQLITE_GUARDS = [
    *_guards("ledger_entry", "idx = NEW.idx OR leaf_hash = NEW.leaf_hash"),
    *_guards("merkle_node", "level = NEW.level AND idx = NEW.idx"),
    *_guards("checkpoint", "tree_size = NEW.tree_size"),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run() -> None:
        from registry.tables import LedgerEntry

        engine = LedgerEntry._meta.db
        if engine.engine_type == "sqlite":
            for statement in SQLITE_GUARDS:
                await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
