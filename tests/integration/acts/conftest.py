"""Fixtures of the acts tests: the demo province (with or without its acts), an inspector's
API token, and the case tables (not yet in the shared migrations)."""

from __future__ import annotations

from typing import Any

import pytest

from registry.demo_province import DEMO_DIR


async def load_demo_organisation() -> None:
    """Every demo file but acts.csv, through the import path."""
    from registry.importing.service import KINDS, import_bytes

    for kind in KINDS:
        path = next(DEMO_DIR.glob(f"{kind}.*"))
        report = await import_bytes(kind, path.read_bytes(), path.name)
        assert not report.problems, report.problems[:3]


@pytest.fixture
async def demo_organisation(database: str) -> str:
    from registry.authz.engine import reset_engine

    reset_engine()
    await load_demo_organisation()
    return database


@pytest.fixture
async def case_tables(database: str) -> None:
    """Create the proposed case tables in this test's database, bound like the others."""
    from registry.acts.case_tables import CASE_TABLES
    from registry.acts.tables import Act

    for table in CASE_TABLES:
        table._meta.db = Act._meta.db
        if not await table.table_exists():
            await table.create_table()


@pytest.fixture
async def inspector(client: Any, demo_organisation: str) -> dict[str, str]:
    """Headers of an inspector's API token (write scope: the inspector role decides)."""
    from registry.accounts.services import create_account
    from registry.accounts.tokens import create_token

    await create_account("thanh.tra", "mat-khau-rat-dai-2025", roles=[("inspector", "*")])
    token = await create_token("thanh.tra", "write", "tests")
    return {"Authorization": f"Bearer {token}"}
