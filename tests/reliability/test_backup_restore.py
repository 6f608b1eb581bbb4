"""`registry backup` / `registry restore` round-trip the demo province on either engine: the same
public state, a ledger that verifies, and a restore never overwrites a registry in use."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.db import bind_engine, engine_for
from registry.ledger.public_state import public_state
from registry.ops.backup import BackupError, backup, restore, vkey_path
from registry.settings import DatabaseSettings
from tests.conftest import ENGINE, _postgres_url, _psql, run_cli

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, of the engine under test."""
    if ENGINE == "postgres":
        name = f"registry_restore_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{name}"')
        yield _postgres_url(name)
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'restored' / 'registry.sqlite3'}"


async def test_a_backup_restored_into_an_empty_database_gives_the_same_public_state(
    database: str, empty_database: str, tmp_path: Path
) -> None:
    before = await public_state()
    made = await backup(tmp_path / "registry.backup", DatabaseSettings(url=database))
    assert made.ledger_entries > 0
    assert vkey_path(made.path).read_text().strip()

    bind_engine(engine_for(DatabaseSettings(url=empty_database)))
    restored = await restore(made.path, DatabaseSettings(url=empty_database))
    assert restored.verified, restored.detail
    assert restored.ledger_entries == made.ledger_entries
    assert await public_state() == before


def test_the_cli_backs_up_and_restores_and_the_restored_ledger_verifies(
    database: str, empty_database: str, tmp_path: Path
) -> None:
    target = tmp_path / "cli.backup"
    made = run_cli("backup", str(target), database_url=database)
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout
    restored = run_cli("restore", str(target), database_url=empty_database)
    assert restored.returncode == 0, restored.stderr
    assert "Ledger verified" in restored.stdout
    verified = run_cli("ledger", "verify", database_url=empty_database)
    assert verified.returncode == 0, verified.stdout + verified.stderr


async def test_a_restore_into_a_database_that_holds_a_ledger_is_refused(
    database: str, tmp_path: Path
) -> None:
    made = await backup(tmp_path / "registry.backup", DatabaseSettings(url=database))
    before = await public_state()
    with pytest.raises(BackupError, match="already holds a ledger"):
        await restore(made.path, DatabaseSettings(url=database))
    assert await public_state() == before
