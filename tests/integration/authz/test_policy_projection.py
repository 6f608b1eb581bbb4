"""The policy rows are a projection of the state tables, kept in step by every write."""

from __future__ import annotations

import pytest

from registry.authz.projection import rebuild_policy, stored_rows
from registry.authz.tables import PolicyRule

pytestmark = pytest.mark.usefixtures("demo")


async def test_rebuilding_the_projection_of_the_demo_finds_no_difference() -> None:
    difference = await rebuild_policy(apply=False)
    assert difference.empty, difference.summary()
    assert len(await stored_rows()) > 43  # one lawful row per power, plus the grants


async def test_a_tampered_policy_row_is_reported_and_repaired() -> None:
    row = await PolicyRule.select(PolicyRule.id).where(PolicyRule.v8.like("grant:%")).first()
    await PolicyRule.update({PolicyRule.v5: "999999999999"}).where(PolicyRule.id == row["id"])
    difference = await rebuild_policy(apply=False)
    assert len(difference.missing) == 1
    assert len(difference.unexpected) == 1
    await rebuild_policy(apply=True)
    assert (await rebuild_policy(apply=False)).empty


async def test_the_cli_reports_no_difference(database: str) -> None:
    from tests.conftest import run_cli

    result = run_cli("policy", "rebuild", "--check", database_url=database)
    assert result.returncode == 0, result.stderr
    assert "0 differences" in result.stdout
