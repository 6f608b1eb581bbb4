"""On SQLite an import's batches are written by a thread of their own, built ahead against the
tip the batch before leaves: the stored rows are those of recording through the event loop, and
a write by someone else between two batches is found and built around."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from registry.demo_province import DEMO_DIR
from tests.conftest import ENGINE

pytestmark = pytest.mark.skipif(ENGINE != "sqlite", reason="the writer thread is SQLite's")

SMALL_BATCH = 40
NOW = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
TABLES = {
    "act": "SELECT * FROM act ORDER BY id",
    "ledger_entry": "SELECT * FROM ledger_entry ORDER BY idx",
    "merkle_node": "SELECT level, idx, hash FROM merkle_node ORDER BY level, idx",
    "checkpoint": "SELECT tree_size, root_hash, note, signed_at FROM checkpoint ORDER BY tree_size",
}


def _database_path() -> Path:
    from piccolo.engine.sqlite import SQLiteEngine

    from registry.db import current_engine

    engine = current_engine()
    assert isinstance(engine, SQLiteEngine)
    return Path(engine.path)


def _stored(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as connection:
        stored = {table: connection.execute(sql).fetchall() for table, sql in TABLES.items()}
        # The search rows (a contentless index) by what they find.
        for word in ("ubnd", "within", "outside", "quyet"):
            stored[f"search {word}"] = connection.execute(
                "SELECT rowid FROM ledger_search WHERE ledger_search MATCH ? ORDER BY rowid",
                (word,),
            ).fetchall()
    return stored


async def test_the_writer_thread_stores_what_recording_in_the_event_loop_stores(
    demo_organisation: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from registry.acts import importing, recorders
    from registry.authz.engine import reset_engine
    from registry.db import bind_engine, engine_for
    from registry.settings import DatabaseSettings

    monkeypatch.setattr(importing, "BATCH", SMALL_BATCH)
    content = (DEMO_DIR / "acts.csv").read_bytes()
    threaded = _database_path()
    with sqlite3.connect(threaded) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    in_loop = tmp_path / "in-loop.sqlite3"
    shutil.copyfile(threaded, in_loop)

    report = await importing.import_acts_bytes(content, "acts.csv", now=NOW)
    assert report.created == 227

    async def transaction_recorder(lookups: Any, by: str, at: datetime, signer: Any) -> Any:
        return recorders.TransactionRecorder(lookups, by, at, signer)

    monkeypatch.setattr(importing, "recorder_for", transaction_recorder)
    bind_engine(engine_for(DatabaseSettings(url=f"sqlite:///{in_loop}")))
    reset_engine()
    again = await importing.import_acts_bytes(content, "acts.csv", now=NOW)
    assert [r.as_json() for r in again.rows] == [r.as_json() for r in report.rows]

    threaded_rows, in_loop_rows = _stored(threaded), _stored(in_loop)
    assert len(threaded_rows["ledger_entry"]) > 2 * 227
    assert all(threaded_rows[f"search {w}"] for w in ("ubnd", "within", "outside"))
    assert threaded_rows == in_loop_rows


async def test_a_write_between_two_batches_is_built_around(
    demo_organisation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from registry.acts import importing
    from registry.acts.ledger_rows import entry_rows
    from registry.acts.sqlite_recording import read_tip
    from registry.acts.tables import Act
    from registry.ledger import merkle
    from registry.ledger.events import EventType
    from registry.ledger.journal import PendingEntry
    from registry.ledger.tables import LedgerEntry
    from registry.ledger.verify import verify_stored_ledger

    monkeypatch.setattr(importing, "BATCH", SMALL_BATCH)
    path = _database_path()
    written = 0

    def write_elsewhere(_kind: str, done: int, _total: int | None) -> None:
        """After the second batch: an act and a ledger entry by another connection."""
        nonlocal written
        if written or done < 2 * SMALL_BATCH:
            return
        written = 1
        with sqlite3.connect(path, isolation_level=None) as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "INSERT INTO act (natural_key, number, type, signed_at, recorded_at)"
                " VALUES ('X|1|2025', '1', 'decision', '2025-01-01', '2025-01-01')"
            )
            tip = read_tip(connection)
            unit = PendingEntry(EventType.UNIT_RECORDED, {"code": "X-UNIT"}, NOW)
            rows, leaves, _newest = entry_rows(tip.size, tip.newest, [unit])
            nodes = merkle.append_nodes(tip.size, tip.frontier, leaves)
            marks = ", ".join("?" for _ in rows[0])
            connection.executemany(
                f"INSERT INTO ledger_entry ({', '.join(importing_columns())}) VALUES ({marks})",
                rows,
            )
            connection.executemany(
                "INSERT INTO merkle_node (level, idx, hash) VALUES (?, ?, ?)",
                [(n.level, n.idx, n.hash.hex()) for n in nodes],
            )
            connection.execute("COMMIT")

    report = await importing.import_acts_bytes(
        (DEMO_DIR / "acts.csv").read_bytes(), "acts.csv", progress=write_elsewhere, now=NOW
    )
    assert written and report.created == 227
    ids = [row.act_id for row in sorted(report.rows, key=lambda r: r.line)]
    foreign = await Act.select(Act.id).where(Act.natural_key == "X|1|2025").first()
    assert foreign is not None
    assert ids == sorted(ids) and foreign["id"] == ids[2 * SMALL_BATCH - 1] + 1
    for act in await Act.select(Act.id, Act.ledger_index).where(Act.id != foreign["id"]):
        traced = await LedgerEntry.select(LedgerEntry.payload).where(
            LedgerEntry.idx == act["ledger_index"]
        )
        assert json.loads(traced[0]["payload"])["act"] == act["id"]
    assert (await verify_stored_ledger()).ok


def importing_columns() -> tuple[str, ...]:
    from registry.ledger.journal import ENTRY_COLUMNS

    return ENTRY_COLUMNS


async def test_an_import_inside_a_callers_transaction_records_in_that_transaction(
    demo_organisation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another connection would wait for the caller's write lock: the caller's one is used."""
    from registry.acts import importing
    from registry.acts.tables import Act
    from registry.db import write_transaction

    monkeypatch.setattr(importing, "BATCH", SMALL_BATCH)
    async with write_transaction():
        report = await importing.import_acts_bytes(
            (DEMO_DIR / "acts.csv").read_bytes(), "acts.csv", now=NOW
        )
    assert report.created == 227
    assert await Act.count() == 227
