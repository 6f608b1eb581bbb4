"""Hand-written: no unique index on the leaf hash; the INSERT guards also cover the row id.

`ledger_entry.leaf_hash` hashes the entry's bytes, which contain its index, and the index is
unique: two entries cannot share a leaf hash unless SHA-256 collides, and a stored hash that
does not match its entry is what `registry ledger verify` reports. No query looks an entry up
by its hash. Its unique index only cost every append a random b-tree insert: measured on the
1M store it dirtied about 950 of the 1,700 pages a 1000-entry batch wrote, and with it the
commit ran the WAL checkpoint every batch (SQLite's CPU per 1000 entries 114-131 -> 47 ms).

PostgreSQL drops the constraint. SQLite keeps column constraints inside CREATE TABLE and
cannot drop one, so the table is rebuilt by SQLite's documented procedure (create the new
table, copy the rows, drop the old one, rename, recreate its indexes and triggers): about 20 s
per million entries. The search rows (`ledger_search`, keyed by index) are untouched.

SQLite's `INSERT OR REPLACE` deletes whatever row holds a key the new row takes, without
firing DELETE triggers: the BEFORE INSERT guards refused a taken index or leaf hash, but not a
taken row id (`INSERT OR REPLACE INTO ledger_entry (id, ...)` rewrote entry 0). They now refuse
a taken index or row id on `ledger_entry`, and a taken key or row id on `merkle_node` and
`checkpoint`.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-11-29T20:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ledger: leaf hash not unique; append-only INSERT guards cover the row id"

_UNIQUE_LEAF = '"leaf_hash" VARCHAR(64) UNIQUE NOT NULL'

#: Recreated after the rebuild; the same definitions as migrations 2026-11-29T11:59 and T13:10.
SQLITE_ENTRY_INDEXES = [
    "CREATE INDEX ledger_entry_recorded_at ON ledger_entry (recorded_at)",
    "CREATE INDEX ledger_entry_unit_idx ON ledger_entry (unit_code, idx)",
    "CREATE INDEX ledger_entry_power_idx ON ledger_entry (power_code, idx)",
    "CREATE INDEX ledger_entry_event_idx ON ledger_entry (event_type, idx)",
]


def _guards(table: str, key: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_replace",
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN "
        f"EXISTS (SELECT 1 FROM {table} WHERE {key}) "
        f"OR EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, 'append-only: {table} key taken'); END",
    ]


SQLITE_ENTRY_TRIGGERS = [
    "CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry "
    "BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on ledger_entry refused'); END",
    "CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry "
    "BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on ledger_entry refused'); END",
    *_guards("ledger_entry", "idx = NEW.idx"),
]

SQLITE_OTHER_GUARDS = [
    *_guards("merkle_node", "level = NEW.level AND idx = NEW.idx"),
    *_guards("checkpoint", "tree_size = NEW.tree_size"),
]


async def _rebuild_sqlite_entries(engine: object) -> None:
    run_ddl = engine.run_ddl  # type: ignore[attr-defined]
    rows = await run_ddl(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ledger_entry'"
    )
    create = str(rows[0]["sql"])
    if _UNIQUE_LEAF not in create:
        raise RuntimeError(f"unexpected ledger_entry definition: {create}")
    rebuilt = create.replace(_UNIQUE_LEAF, '"leaf_hash" VARCHAR(64) NOT NULL').replace(
        'CREATE TABLE "ledger_entry"', 'CREATE TABLE "ledger_entry_rebuilt"', 1
    )
    for statement in [
        rebuilt,
        "INSERT INTO ledger_entry_rebuilt SELECT * FROM ledger_entry ORDER BY id",
        # Dropping a table drops its indexes and triggers and fires none of them.
        "DROP TABLE ledger_entry",
        "ALTER TABLE ledger_entry_rebuilt RENAME TO ledger_entry",
        *SQLITE_ENTRY_INDEXES,
        *SQLITE_ENTRY_TRIGGERS,
        *SQLITE_OTHER_GUARDS,
        "ANALYZE ledger_entry",
    ]:
        await run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)
    # Declared for both engines, so that the schema Piccolo derives from the migrations matches
    # `registry/ledger/tables.py`; on SQLite the rebuild below does it instead.
    manager.alter_column(
        table_class_name="LedgerEntry",
        tablename="ledger_entry",
        column_name="leaf_hash",
        db_column_name="leaf_hash",
        params={"unique": False},
        old_params={"unique": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    async def run() -> None:
        from registry.tables import LedgerEntry

        engine = LedgerEntry._meta.db
        if engine.engine_type != "sqlite":
            return
        await _rebuild_sqlite_entries(engine)
        # Piccolo would now run `ALTER TABLE ... DROP CONSTRAINT`, which SQLite does not have;
        # the rebuild has done it. Raw steps run before column changes, so it can be skipped.
        manager.alter_columns.alter_columns = [
            change
            for change in manager.alter_columns.alter_columns
            if (change.tablename, change.db_column_name) != ("ledger_entry", "leaf_hash")
        ]

    manager.add_raw(run)
    return manager
