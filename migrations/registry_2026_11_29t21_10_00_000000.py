"""Hand-written: the SQLite INSERT guards of the ledger tables refuse with FAIL, not ABORT.

An INSERT on a table with a trigger that may ABORT the statement needs a statement journal:
before each row changes a page, SQLite copies the page aside so that it can undo that row
alone. The journal inserts rows one statement execution each (`executemany`), so every entry
copied about six pages (the table and five index leaves) and every Merkle node two: measured
on the 1M store, 56,504 writes to the statement journal file for six 1000-entry batches, and
8-12 ms of SQLite's CPU per 1000 entries. FAIL stops the statement at the refused row without
undoing the rows before it, so with FAIL triggers and `INSERT OR FAIL` statements
(`registry.ledger.rows.Insert`) SQLite keeps no statement journal.

What is refused is unchanged: an insert whose index, leaf hash, key or row id is taken, before
`INSERT OR REPLACE` can delete the row holding it. Rows of the same statement inserted before
the refused one are new rows (appends, which verification checks), and the journal's own
inserts run inside a write transaction that is rolled back on any error.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T21:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ledger: SQLite INSERT guards refuse with FAIL (no statement journal)"

GUARDED = {
    "ledger_entry": "idx = NEW.idx OR leaf_hash = NEW.leaf_hash",
    "merkle_node": "level = NEW.level AND idx = NEW.idx",
    "checkpoint": "tree_size = NEW.tree_size",
}

SQLITE = [
    statement
    for table, key in GUARDED.items()
    for statement in (
        f"DROP TRIGGER IF EXISTS {table}_no_replace",
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN "
        f"EXISTS (SELECT 1 FROM {table} WHERE {key}) "
        f"OR EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(FAIL, 'append-only: {table} key taken'); END",
    )
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run() -> None:
        from registry.tables import LedgerEntry

        engine = LedgerEntry._meta.db
        if engine.engine_type == "sqlite":
            for statement in SQLITE:
                await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
