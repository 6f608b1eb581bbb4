"""Raw ledger reads on SQLite: a kept connection never serves a file replaced at its path."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from piccolo.engine.sqlite import SQLiteEngine

from registry.ledger import rows


def _database(path: Path, value: int) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x INTEGER)")
        connection.execute("INSERT INTO t VALUES (?)", (value,))


async def test_a_database_replaced_at_the_same_path_is_read_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, replacement = tmp_path / "ledger.sqlite3", tmp_path / "restored.sqlite3"
    _database(path, 1)
    _database(replacement, 2)
    monkeypatch.setattr(rows, "current_engine", lambda: SQLiteEngine(path=str(path)))
    assert await rows.fetch_rows("SELECT x FROM t") == [(1,)]
    os.replace(replacement, path)
    assert await rows.fetch_rows("SELECT x FROM t") == [(2,)]


async def test_placeholders_become_what_each_driver_expects() -> None:
    sql = "SELECT a FROM t WHERE a = {} AND b IN ({}, {})"
    assert rows.driver_sql(sql, postgres=False) == "SELECT a FROM t WHERE a = ? AND b IN (?, ?)"
    assert rows.driver_sql(sql, postgres=True) == "SELECT a FROM t WHERE a = $1 AND b IN ($2, $3)"
