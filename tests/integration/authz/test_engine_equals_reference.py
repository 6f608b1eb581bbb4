"""One source of truth: the compiled Casbin engine over the stored policy rows decides exactly
as the pure brute-force reference evaluator over the grants, on the demo and on random data."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from registry.authz.check import request_row
from registry.authz.engine import authority_engine
from registry.db import bind_engine, engine_for
from registry.domain.facts import ActFacts
from registry.domain.parties import Party
from registry.domain.reference import ReferenceEvaluator
from registry.grants import repository
from registry.settings import DatabaseSettings
from tests.conftest import ENGINE, PROJECT_ROOT, _postgres_url, _psql, run_cli

#: Powers are in force from their legal basis; checks are drawn after every power began.
FROM = datetime(2025, 7, 1, tzinfo=UTC)


async def disagreements(checks: int, seed: int) -> tuple[int, list[tuple[str, ...]]]:
    powers = await repository.all_powers()
    records = await repository.grant_records()
    tree = await repository.unit_tree()
    reference = ReferenceEvaluator(powers, records, tree)
    engine = authority_engine()
    await engine.refresh()
    subjects = sorted(
        {str(p.lawful_holder) for p in powers.values()} | {str(r.grantee) for r in records}
    )
    units = sorted(tree.units)
    rng = random.Random(seed)
    found: list[tuple[str, ...]] = []
    allowed = 0
    for _ in range(checks):
        power = powers[rng.choice(sorted(powers))]
        # Bias towards real holders so that both answers are exercised often.
        related = [str(r.grantee) for r in records if r.power == power.code]
        subject = rng.choice(
            [*related, str(power.lawful_holder)] if rng.random() < 0.8 else subjects
        )
        facts = ActFacts(
            unit=rng.choice([power.holder_unit, *units[:5], rng.choice(units)]),
            sector=power.sector if rng.random() < 0.9 else "y_te",
            act_type=rng.choice(sorted(power.act_types) or ["x"]),
            amount=rng.choice([None, 0, 1_000_000, 300_000_000, 5_000_000_000]),
        )
        at = FROM + timedelta(hours=rng.randrange(0, 24 * 540))
        expected, _ = reference.allows(Party.parse(subject), power.code, facts, at)
        decision = engine.decide(request_row(Party.parse(subject), power.code, facts, at))
        allowed += decision.allowed
        if decision.allowed != expected:
            found.append(request_row(Party.parse(subject), power.code, facts, at))
    return allowed, found


@pytest.mark.usefixtures("demo")
async def test_the_engine_agrees_with_the_reference_on_the_demo_province() -> None:
    allowed, found = await disagreements(checks=2000, seed=11)
    assert found == []
    assert allowed > 100, "the sample must contain allowed checks too"


@pytest.mark.slow
async def test_the_engine_agrees_with_the_reference_on_random_synthetic_data(
    tmp_path: Path,
) -> None:
    if ENGINE == "postgres":
        import uuid

        name = f"registry_random_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{name}"')
        url = _postgres_url(name)
    else:
        url = f"sqlite:///{tmp_path / 'random.sqlite3'}"
    assert run_cli("migrate", database_url=url).returncode == 0
    out = tmp_path / "synthetic"
    import subprocess
    import sys

    generated = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "bench/generate.py",
            "--seed",
            "5",
            "--scale",
            "0.004",
            "--out",
            str(out),
            "--acts",
            "0",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr[-2000:]
    for kind in (
        "units",
        "positions",
        "officials",
        "instruments",
        "assignments",
        "powers",
        "grants",
    ):
        path = next(out.glob(f"{kind}.*"))
        result = run_cli("import", kind, str(path), database_url=url)
        assert result.returncode == 0, result.stdout[-1000:] + result.stderr[-2000:]
    bind_engine(engine_for(DatabaseSettings(url=url)))
    from registry.authz.engine import reset_engine

    reset_engine()
    allowed, found = await disagreements(checks=1500, seed=3)
    assert found == []
    assert allowed > 50
