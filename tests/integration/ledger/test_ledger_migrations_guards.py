"""Migrations 2026-11-29T20:40 and T21:10 carry a ledger forwards: same rows, the unique
index and leaf hash kept, and guards that also refuse a replaced row id, on both engines."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from registry.db import bind_engine, engine_for
from registry.ledger.tables import LedgerEntry
from registry.ledger.verify import verify_stored_ledger
from registry.settings import DatabaseSettings
from tests.conftest import ENGINE, PROJECT_ROOT, _postgres_url, _psql, run_cli
from tests.integration.ledger.ledger_fixtures import append, grant_made

BEFORE = "2026-11-29T18:30:00:000000"
ROWS = (
    "SELECT idx, recorded_at, event_type, payload, leaf_hash, power_code, unit_code, "
    "search_text FROM ledger_entry ORDER BY idx"
)


def _migrate_up_to(url: str, migration_id: str) -> None:
    code = (
        "import asyncio; from piccolo.apps.migrations.commands.forwards import run_forwards; "
        "from registry.db import current_engine, enable_sqlite_wal; "
        "engine = current_engine(); "
        "engine.engine_type == 'sqlite' and enable_sqlite_wal(engine.path); "
        f"result = asyncio.run(run_forwards(app_name='registry', migration_id={migration_id!r})); "
        "assert result.success, result.message"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={**os.environ, "REGISTRY_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
async def ledger_before_the_migration(tmp_path: Path) -> AsyncIterator[str]:
    """A database migrated up to the migration before, holding a ledger of 40 entries."""
    if ENGINE == "postgres":
        name = f"registry_m_{uuid.uuid4().hex[:10]}"
        _psql(f'CREATE DATABASE "{name}"')
        url = _postgres_url(name)
    else:
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    _migrate_up_to(url, BEFORE)
    engine = engine_for(DatabaseSettings(url=url))
    bind_engine(engine)
    await append([grant_made(i + 1, f"Cán bộ {i}", "SXD") for i in range(30)])
    await append([grant_made(100 + i, f"Người {i}", "DNG") for i in range(10)])
    yield url
    close = getattr(engine, "close_connection_pool", None)
    if close is not None and getattr(engine, "pool", None) is not None:
        await close()
    if ENGINE == "postgres":
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_a_ledger_migrates_forwards_with_its_rows_and_still_verifies(
    ledger_before_the_migration: str,
) -> None:
    url = ledger_before_the_migration
    rows = await LedgerEntry.raw(ROWS)
    migrated = run_cli("migrate", database_url=url)
    assert migrated.returncode == 0, migrated.stderr
    bind_engine(engine_for(DatabaseSettings(url=url)))

    assert await LedgerEntry.raw(ROWS) == rows
    assert (await verify_stored_ledger()).ok
    await append([grant_made(200, "Cán bộ mới", "SXD")])
    assert len(await LedgerEntry.raw(ROWS)) == len(rows) + 1
    assert (await verify_stored_ledger()).ok


async def _indexed_columns(url: str) -> set[str]:
    """Columns of ledger_entry that an index or a unique constraint covers."""
    if ENGINE == "postgres":
        rows = await LedgerEntry.raw(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = 'ledger_entry'::regclass"
        )
        return {row["attname"] for row in rows}
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        indexes = connection.execute("PRAGMA index_list(ledger_entry)").fetchall()
        return {
            column[2]
            for index in indexes
            for column in connection.execute(f"PRAGMA index_info({index[1]!r})").fetchall()
        }


@pytest.mark.parametrize(
    "replacement",
    [
        # Over the row id of entry 0, every other key new.
        "SELECT MIN(id), MAX(idx) + 1, '2026-01-01T00:00:00Z', 'forged', '{}', '11' "
        "FROM ledger_entry",
        # Over the leaf hash of entry 0, with a new index and row id.
        "SELECT MAX(id) + 1, MAX(idx) + 1, '2026-01-01T00:00:00Z', 'forged', '{}', "
        "(SELECT leaf_hash FROM ledger_entry WHERE idx = 0) FROM ledger_entry",
    ],
    ids=["row id", "leaf hash"],
)
async def test_after_the_migrations_the_leaf_hash_stays_unique_and_replace_is_refused(
    ledger_before_the_migration: str, replacement: str
) -> None:
    url = ledger_before_the_migration
    assert "leaf_hash" in await _indexed_columns(url)
    assert run_cli("migrate", database_url=url).returncode == 0
    bind_engine(engine_for(DatabaseSettings(url=url)))

    columns = await _indexed_columns(url)
    assert {"idx", "leaf_hash", "recorded_at", "unit_code", "power_code", "event_type"} <= columns
    first = await LedgerEntry.raw("SELECT id, leaf_hash FROM ledger_entry WHERE idx = 0")
    if ENGINE == "sqlite":
        with pytest.raises(Exception, match="append-only"):
            await LedgerEntry.raw(
                "INSERT OR REPLACE INTO ledger_entry (id, idx, recorded_at, event_type, "
                f"payload, leaf_hash) {replacement}"
            )
    assert await LedgerEntry.raw("SELECT id, leaf_hash FROM ledger_entry WHERE idx = 0") == first
    assert (await verify_stored_ledger()).ok
