"""Fixtures of the organisation tests: the demo province, and accounts in and out of a domain."""

from __future__ import annotations

import pytest

from tests.integration.organisation.org_fixtures import load_demo_kinds, token_for


@pytest.fixture
async def demo(database: str) -> str:
    await load_demo_kinds()
    return database


@pytest.fixture
async def admin_token(demo: str) -> str:
    return await token_for("admin1", [("admin", "*")])


@pytest.fixture
async def registrar_token(demo: str) -> str:
    """A registrar of the Department of Construction (SXD) only."""
    return await token_for("reg.sxd", [("registrar", "SXD")])


@pytest.fixture
def empty_database_url(template_database: str, tmp_path):  # type: ignore[no-untyped-def]
    """A second fresh database in the same test (for export → import round trips)."""
    import shutil
    import uuid

    from tests.conftest import ENGINE, _postgres_url, _psql

    if ENGINE == "postgres":
        name = f"registry_e_{uuid.uuid4().hex[:10]}"
        _psql(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
        yield _postgres_url(name)
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "empty.sqlite3"
        shutil.copyfile(template_database, path)
        yield f"sqlite:///{path}"
