"""Hand-written: the journal fills the SQLite search table itself; no index on grant_lineage.

The FTS5 row of each entry was written by an AFTER INSERT trigger: measured on the 1M store,
that trigger cost about 70 ms of CPU per 1000 appended entries, half of an append batch, while
the same rows inserted by one prepared statement cost about 4 ms. `registry.ledger.journal`
(the only writer of `ledger_entry`) now inserts the batch's search rows itself, in the same
transaction. The append-only triggers, including the INSERT guard
against `INSERT OR REPLACE`, are unchanged.

`ledger_entry.grant_lineage` had an index no query reads (a grant's history is read from
`grant_event`); dropping it saves one more index insert per entry, on both engines.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer

ID = "2026-11-29T18:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ledger: search rows written by the journal, no grant_lineage index"

SQLITE_ONLY = ["DROP TRIGGER IF EXISTS ledger_entry_search"]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)
    manager.alter_column(
        table_class_name="LedgerEntry",
        tablename="ledger_entry",
        column_name="grant_lineage",
        db_column_name="grant_lineage",
        params={"index": False},
        old_params={"index": True},
        column_class=Integer,
        old_column_class=Integer,
        schema=None,
    )

    async def run() -> None:
        from registry.tables import LedgerEntry

        engine = LedgerEntry._meta.db
        if engine.engine_type == "sqlite":
            for statement in SQLITE_ONLY:
                await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
