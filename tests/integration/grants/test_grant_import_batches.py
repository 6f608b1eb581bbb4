"""A grant import records many grants per write transaction and recomputes each touched power's
policy rows once per batch: the result is what one transaction per grant would leave."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from registry.authz.projection import rebuild_policy
from registry.grants import importing, repository
from registry.grants.reads import ImportReads
from registry.grants.tables import Grant, GrantEvent
from registry.importing.service import KINDS, import_bytes
from registry.ledger.tables import Checkpoint, LedgerEntry

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated province of 500 grants over 10 powers, with suspensions and revocations."""
    out = tmp_path_factory.mktemp("province")
    subprocess.run(
        [
            *(sys.executable, str(ROOT / "bench" / "generate.py")),
            *("--seed", "3", "--scale", "0.005", "--out", str(out), "--only", ",".join(KINDS)),
        ],
        check=True,
        capture_output=True,
    )
    return out


async def _load(directory: Path, kinds: tuple[str, ...]) -> dict[str, Any]:
    reports = {}
    files = {path.name.split(".")[0]: path for path in await asyncio.to_thread(directory.iterdir)}
    for kind in kinds:
        path = files[kind]
        reports[kind] = await import_bytes(
            kind, await asyncio.to_thread(path.read_bytes), path.name
        )
    return reports


@pytest.fixture
def kept_reads(monkeypatch: pytest.MonkeyPatch) -> list[ImportReads]:
    """Small batches, and a hold on the reads each import keeps."""
    made: list[ImportReads] = []

    class Watched(ImportReads):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(importing, "BATCH", 64)
    monkeypatch.setattr(importing, "ImportReads", Watched)
    return made


def _key(record: Any) -> tuple[int, int]:
    return (record.id, record.version)


async def test_batched_grant_import_leaves_policy_rows_equal_to_a_rebuild(
    database: str, province: Path, kept_reads: list[ImportReads]
) -> None:
    reports = await _load(province, KINDS)
    grants = reports["grants"]
    assert grants.created > 400
    assert await Grant.count() >= grants.created
    assert await GrantEvent.count().where(GrantEvent.event.is_in(["suspended", "revoked"])) > 0
    difference = await rebuild_policy(apply=False)
    assert difference.empty, difference.summary()
    # One checkpoint per batch of grants (and per later event), not one per grant.
    assert await Checkpoint.count() < grants.created


async def test_grant_records_kept_by_an_import_equal_those_read_back(
    database: str, province: Path, kept_reads: list[ImportReads]
) -> None:
    await _load(province, KINDS)
    (reads,) = kept_reads
    kept = {power: sorted(records, key=_key) for power, records in reads._records.items()}
    assert kept
    for power, records in kept.items():
        assert records == sorted(await repository.grant_records(power=power), key=_key)


async def test_importing_the_same_grants_again_changes_nothing(
    database: str, province: Path, kept_reads: list[ImportReads]
) -> None:
    first = (await _load(province, KINDS))["grants"]
    entries = await LedgerEntry.count()
    again = (await _load(province, ("grants",)))["grants"]
    assert again.created == 0
    assert again.unchanged == first.created + first.unchanged
    assert await LedgerEntry.count() == entries


async def test_one_powers_records_carry_the_suspensions_read_with_every_grant(
    database: str, province: Path, kept_reads: list[ImportReads]
) -> None:
    await _load(province, KINDS)
    everything = await repository.grant_records()
    assert any(record.suspensions for record in everything)
    for power in sorted({record.power for record in everything}):
        alone = await repository.grant_records(power=power)
        assert sorted(alone, key=_key) == sorted(
            (r for r in everything if r.power == power), key=_key
        )
