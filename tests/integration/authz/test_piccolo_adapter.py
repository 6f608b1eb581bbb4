"""The Piccolo adapter lets pycasbin's own enforcer load, change and save the stored policy, and
it decides exactly as the compiled engine does over the same rows."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import casbin
import pytest

from registry.authz.adapter import PiccoloAdapter, RuleFilter
from registry.authz.engine import authority_engine
from registry.authz.functions import authority_functions
from registry.authz.model import AUTHORITY_MODEL, POLICIES_DIR
from registry.authz.projection import rebuild_policy, stored_rows
from registry.domain.validity import utc_string
from registry.grants.repository import unit_tree
from registry.organisation.tables import Unit

pytestmark = pytest.mark.usefixtures("demo")


async def pycasbin_enforcer(adapter: PiccoloAdapter) -> casbin.AsyncEnforcer:
    enforcer = casbin.AsyncEnforcer(str(POLICIES_DIR / AUTHORITY_MODEL), adapter)
    parents = {
        r["code"]: r["parent_code"]
        for r in await Unit.select(Unit.code, Unit.parent.code.as_alias("parent_code"))
    }
    for name, function in authority_functions(parents).items():
        enforcer.add_function(name, function)
    await enforcer.load_policy()
    return enforcer


async def test_pycasbin_loads_the_stored_rows_through_the_adapter() -> None:
    enforcer = await pycasbin_enforcer(PiccoloAdapter("authority"))
    assert sorted(map(tuple, enforcer.get_policy())) == sorted(await stored_rows())


async def test_filtered_load_takes_only_the_rows_asked_for() -> None:
    adapter = PiccoloAdapter("authority")
    enforcer = casbin.AsyncEnforcer(str(POLICIES_DIR / AUTHORITY_MODEL), adapter)
    await enforcer.load_filtered_policy(RuleFilter(values={"v1": ("XD-01",)}))
    assert adapter.is_filtered()
    assert enforcer.get_policy()
    assert {rule[1] for rule in enforcer.get_policy()} == {"XD-01"}


async def test_adding_and_removing_single_and_batched_rules_is_stored() -> None:
    adapter = PiccoloAdapter("authority")
    enforcer = await pycasbin_enforcer(adapter)
    one = [
        "position:TEST.A",
        "XD-01",
        "UBND-T",
        "*",
        "*",
        "*",
        "2026-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "grant:9001",
    ]
    more = [[*one[:8], f"grant:{9002 + i}"] for i in range(3)]
    assert await enforcer.add_policy(*one)
    assert await enforcer.add_policies(more)
    stored = await stored_rows()
    assert tuple(one) in stored
    assert all(tuple(rule) in stored for rule in more)
    assert await enforcer.remove_policy(*one)
    assert await enforcer.remove_policies(more)
    assert tuple(one) not in await stored_rows()
    await enforcer.save_policy()
    assert (await rebuild_policy(apply=False)).empty


async def test_pycasbin_and_the_compiled_engine_agree_on_random_checks() -> None:
    enforcer = await pycasbin_enforcer(PiccoloAdapter("authority"))
    engine = authority_engine()
    await engine.refresh()
    tree = await unit_tree()
    rows = await stored_rows()
    subjects = sorted({row[0] for row in rows})
    powers = sorted({row[1] for row in rows})
    units = sorted(tree.units) if hasattr(tree, "units") else ["UBND-T", "SXD", "P-DONG-HAI"]
    sectors = sorted({s for row in rows for s in row[3].split() if s != "*"}) or ["xay_dung"]
    act_types = sorted({a for row in rows for a in row[4].split() if a != "*"}) or ["x"]
    randomness = random.Random(7)
    start = datetime(2025, 6, 1, tzinfo=UTC)
    disagreements = []
    for _ in range(1000):
        request = (
            randomness.choice(subjects),
            randomness.choice(powers),
            randomness.choice(units),
            randomness.choice(sectors),
            randomness.choice(act_types),
            str(randomness.choice([0, 1_000_000, 500_000_000, 2_000_000_000])),
            utc_string(start + timedelta(days=randomness.randrange(0, 600))),
        )
        expected, explain = enforcer.enforce_ex(*request)
        decision = engine.decide(request)
        if decision.allowed != expected or (expected and list(decision.row or ()) != explain):
            disagreements.append(request)
    assert disagreements == []
