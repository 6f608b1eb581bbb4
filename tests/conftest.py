"""Test fixtures: a fresh, migrated database per test, on SQLite or on PostgreSQL.

`REGISTRY_TEST_ENGINE=postgres` (with `REGISTRY_TEST_POSTGRES_URL`, an admin URL) runs every
database test against PostgreSQL; the default is SQLite. The schema is migrated once per run into
a template, then copied (SQLite file copy, PostgreSQL `CREATE DATABASE ... TEMPLATE`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example deadline: CI shares two cores with other work, and an example that took 300 ms
# because the machine was busy is not a failure of the property.
hypothesis_settings.register_profile("registry", deadline=None)
hypothesis_settings.load_profile("registry")

# Importing this module again (`from tests.conftest import run_cli`) must not start a new
# session directory: the first import's one is remembered in the environment.
_SESSION_DIR = Path(
    os.environ.get("REGISTRY_TEST_SESSION_DIR") or tempfile.mkdtemp(prefix="registry-tests-")
)
os.environ["REGISTRY_TEST_SESSION_DIR"] = str(_SESSION_DIR)
os.environ["REGISTRY_DATA_DIR"] = str(_SESSION_DIR / "data")
os.environ.setdefault("REGISTRY_LOG_JSON", "true")
# Real argon2id, with a small memory cost so that the suite's many sign-ins stay fast.
os.environ.setdefault("REGISTRY_ARGON2_MEMORY_KIB", "8192")
os.environ.pop("REGISTRY_DATABASE_URL", None)

ENGINE = os.environ.get("REGISTRY_TEST_ENGINE", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get(
    "REGISTRY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _postgres_url(database: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


def _psql(sql: str) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(run())
        return
    # Called from an async test: run the admin statement on a loop of its own thread.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


def run_cli(
    *args: str, database_url: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `registry` command in a subprocess against a given database."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="session")
def template_database() -> Iterator[str]:
    """A migrated database to copy: a SQLite file path or a PostgreSQL database name."""
    if ENGINE == "postgres":
        name = f"registry_tmpl_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{name}"')
        result = run_cli("migrate", database_url=_postgres_url(name))
        assert result.returncode == 0, result.stderr
        yield name
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = _SESSION_DIR / "template.sqlite3"
        result = run_cli("migrate", database_url=f"sqlite:///{path}")
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield str(path)


def _copy_database(template: str, tmp_path: Path) -> Iterator[str]:
    if ENGINE == "postgres":
        name = f"registry_t_{uuid.uuid4().hex[:10]}"
        _psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        yield _postgres_url(name)
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "registry.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"


def _template_url(template: str) -> str:
    return _postgres_url(template) if ENGINE == "postgres" else f"sqlite:///{template}"


@pytest.fixture(scope="session")
def demo_template(template_database: str) -> Iterator[str]:
    """A migrated database holding the demo province's organisation, powers and grants."""
    if ENGINE == "postgres":
        name = f"registry_demo_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    else:
        name = str(_SESSION_DIR / "demo.sqlite3")
        shutil.copyfile(template_database, name)
    env = {**os.environ, "REGISTRY_DATABASE_URL": _template_url(name)}
    result = subprocess.run(
        [sys.executable, "tests/support/load_demo.py"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    if ENGINE != "postgres":
        with sqlite3.connect(name) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    yield name
    if ENGINE == "postgres":
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database for one test, as a URL; with the demo if the test asks
    for the `demo` fixture."""
    template = request.getfixturevalue(
        "demo_template" if "demo" in request.fixturenames else "template_database"
    )
    yield from _copy_database(template, tmp_path)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[str]:
    """Bind every table to a fresh database for this test; yields its URL."""
    from registry.authz.engine import reset_engine
    from registry.db import bind_engine, engine_for
    from registry.settings import DatabaseSettings

    engine = engine_for(DatabaseSettings(url=database_url))
    bind_engine(engine)
    reset_engine()
    yield database_url
    reset_engine()
    close = getattr(engine, "close_connection_pool", None)
    if close is not None and getattr(engine, "pool", None) is not None:
        await close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Settings for an app under test, on this test's database and data directory."""
    from registry.settings import settings_from_env

    return settings_from_env(
        {
            "REGISTRY_DATA_DIR": str(tmp_path / "data"),
            "REGISTRY_DATABASE_URL": database_url,
            "REGISTRY_ALLOWED_HOSTS": "testserver.local,127.0.0.1,localhost",
            # The test client runs the app in another event loop than the fixtures.
            "REGISTRY_DATABASE_POOL": "false",
        }
    )


@pytest.fixture
async def client(database: str, settings):  # type: ignore[no-untyped-def]
    """An HTTP client for the whole app on a fresh database, in the test's own event loop.

    The app runs in this loop (httpx's ASGI transport), so on PostgreSQL the connection pool
    started here serves the fixtures and the app alike.
    """
    import httpx

    from registry.app import create_app
    from registry.db import current_engine

    engine = current_engine()
    pool = ENGINE == "postgres"
    if pool:
        await engine.start_connection_pool(min_size=1, max_size=4)  # type: ignore[attr-defined]
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver.local"
        ) as test_client:
            test_client.app = app  # type: ignore[attr-defined]
            yield test_client
    finally:
        if pool:
            await engine.close_connection_pool()  # type: ignore[attr-defined]


@pytest.fixture
async def demo(database: str) -> str:
    """The demo province (organisation, powers, grants) in this test's database."""
    return database
