"""Replaying the ledger alone into an empty database gives the same public state."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.db import bind_engine, engine_for
from registry.ledger.public_state import public_state
from registry.settings import DatabaseSettings
from tests.conftest import ENGINE, _postgres_url, _psql, run_cli

pytestmark = pytest.mark.slow


def fresh_url(tmp_path: Path, name: str) -> str:
    if ENGINE == "postgres":
        import uuid

        database = f"registry_replay_{name}_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{database}"')
        return _postgres_url(database)
    return f"sqlite:///{tmp_path / (name + '.sqlite3')}"


async def state_of(url: str) -> dict:  # type: ignore[type-arg]
    bind_engine(engine_for(DatabaseSettings(url=url)))
    return await public_state()


async def test_replaying_the_demo_ledger_reproduces_the_public_state(tmp_path: Path) -> None:
    live = fresh_url(tmp_path, "live")
    replayed = fresh_url(tmp_path, "replayed")
    assert run_cli("migrate", database_url=live).returncode == 0
    demo = run_cli("demo", database_url=live)
    assert demo.returncode == 0, demo.stderr[-2000:]
    result = run_cli("ledger", "replay", replayed, database_url=live)
    assert result.returncode == 0, result.stderr[-2000:]
    expected, got = await state_of(live), await state_of(replayed)
    assert expected["grants"], "the demo has grants"
    assert expected["acts"], "the demo has acts"
    for part in expected:
        assert got[part] == expected[part], part
    verified = run_cli("ledger", "verify", database_url=replayed)
    assert verified.returncode == 0, verified.stdout + verified.stderr
