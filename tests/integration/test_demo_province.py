"""`registry demo` loads the demo province through the importers, and running it twice changes
nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ENGINE, _postgres_url, _psql, run_cli

pytestmark = pytest.mark.slow


def fresh_url(tmp_path: Path) -> str:
    if ENGINE == "postgres":
        import uuid

        name = f"registry_demo_twice_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{name}"')
        return _postgres_url(name)
    return f"sqlite:///{tmp_path / 'demo.sqlite3'}"


def counts(output: str) -> dict[str, int]:
    found = {}
    for line in output.splitlines():
        name, _, value = line.strip().partition(": ")
        if value.isdigit():
            found[name] = int(value)
    return found


def test_the_demo_loads_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    url = fresh_url(tmp_path)
    assert run_cli("migrate", database_url=url).returncode == 0
    first = run_cli("demo", database_url=url)
    assert first.returncode == 0, first.stderr[-2000:]
    second = run_cli("demo", database_url=url)
    assert second.returncode == 0, second.stderr[-2000:]
    loaded = counts(first.stdout)
    assert loaded["units"] >= 50
    assert loaded["officials"] >= 60
    assert loaded["powers"] >= 40
    assert loaded["grants"] >= 70
    assert loaded["acts"] >= 200
    assert counts(second.stdout) == loaded
