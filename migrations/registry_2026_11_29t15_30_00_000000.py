"""Hand-written: the ledger's single-column filter indexes give way to the (column, idx) ones.

The (unit_code, idx), (power_code, idx) and (event_type, idx) indexes of 2026-11-29T13:10 answer
everything the single-column indexes did and also give newest-first pages without a sort, so
the single-column ones only cost every append three more index inserts. ANALYZE lets both
planners weigh what is left at once (the text-plus-filter plans in
registry/ledger/search_plans.py lean on the (column, idx) indexes).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-11-29T15:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ledger: single-column filter indexes replaced by the (column, idx) ones"

REPLACED = ("event_type", "power_code", "unit_code")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)
    for column in REPLACED:
        manager.alter_column(
            table_class_name="LedgerEntry",
            tablename="ledger_entry",
            column_name=column,
            db_column_name=column,
            params={"index": False},
            old_params={"index": True},
            column_class=Varchar,
            old_column_class=Varchar,
            schema=None,
        )

    async def analyze() -> None:
        from registry.tables import LedgerEntry

        await LedgerEntry._meta.db.run_ddl("ANALYZE ledger_entry")

    manager.add_raw(analyze)
    return manager
