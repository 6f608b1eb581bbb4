"""Hand-written: append-only triggers, ledger search index, and the policy version row.

Piccolo cannot express triggers, FTS5 tables or generated tsvector columns, so this migration
runs raw SQL chosen by engine. Reviewed by hand; keep it in step with docs/decisions.md.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T11:59:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "append-only ledger, search index, policy version"

APPEND_ONLY_TABLES = ("ledger_entry", "merkle_node", "checkpoint")

SQLITE = [
    *(
        statement
        for table in APPEND_ONLY_TABLES
        for statement in (
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on {table} refused'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on {table} refused'); END",
        )
    ),
    # The entry index is the search table's row id: newest-first pages and date ranges become
    # row-id ranges. Text is folded by the app (no diacritics, đ -> d), so unicode61 only splits.
    "CREATE VIRTUAL TABLE ledger_search USING fts5("
    "body, content='', tokenize='unicode61', prefix='2 3')",
    "CREATE TRIGGER ledger_entry_search AFTER INSERT ON ledger_entry BEGIN "
    "INSERT INTO ledger_search(rowid, body) VALUES (NEW.idx, NEW.search_text); END",
    "CREATE INDEX ledger_entry_recorded_at ON ledger_entry (recorded_at)",
    "CREATE INDEX grant_version_lineage ON grant_version (lineage)",
    "CREATE INDEX grant_version_grantee ON grant_version (grantee)",
    "CREATE INDEX grant_version_grantor ON grant_version (grantor)",
    "CREATE INDEX assignment_official ON assignment (official)",
    "CREATE INDEX assignment_position ON assignment (position)",
    "INSERT INTO policy_version (id, version, changed_at) VALUES (1, 0, CURRENT_TIMESTAMP)",
]

POSTGRES = [
    "CREATE OR REPLACE FUNCTION registry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $$",
    *(
        statement
        for table in APPEND_ONLY_TABLES
        for statement in (
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION registry_append_only()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION registry_append_only()",
        )
    ),
    "ALTER TABLE ledger_entry ADD COLUMN search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ledger_entry_search_tsv ON ledger_entry USING GIN (search_tsv)",
    "CREATE INDEX ledger_entry_recorded_at ON ledger_entry (recorded_at)",
    "CREATE INDEX grant_version_lineage ON grant_version (lineage)",
    "CREATE INDEX grant_version_grantee ON grant_version (grantee)",
    "CREATE INDEX grant_version_grantor ON grant_version (grantor)",
    "CREATE INDEX assignment_official ON assignment (official)",
    "CREATE INDEX assignment_position ON assignment (position)",
    "INSERT INTO policy_version (id, version, changed_at) VALUES (1, 0, now())",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run() -> None:
        from registry.tables import LedgerEntry

        engine = LedgerEntry._meta.db
        statements = POSTGRES if engine.engine_type == "postgres" else SQLITE
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
