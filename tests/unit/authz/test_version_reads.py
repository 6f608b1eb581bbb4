"""How often a worker reads the policy version: requests that only read may be answered under a
version read up to `READ_MAX_AGE` ago; everything else, and every request while this worker's
own change may be committing, reads it again."""

from __future__ import annotations

import asyncio
from typing import cast

import pytest

from registry.authz import engine as engine_module
from registry.authz.compiled import CompiledAuthorityEnforcer
from registry.authz.engine import CHANGE_WINDOW, READ_MAX_AGE, AuthorityEngine
from registry.authz.version import VersionReader


class CountedVersions(VersionReader):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0
        self.version = 7

    async def read(self) -> int:
        self.reads += 1
        await asyncio.sleep(0.001)  # a round trip, as on PostgreSQL
        return self.version


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def loaded_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[AuthorityEngine, CountedVersions, Clock]:
    clock = Clock()
    # The engine's clock only: the event loop keeps the real one.
    monkeypatch.setattr(engine_module, "time", clock)
    engine = AuthorityEngine()
    versions = CountedVersions()
    engine.versions = versions
    # Loaded: only the version matters to `refresh` while it does not move.
    engine.enforcer = cast(CompiledAuthorityEnforcer, object())
    engine.version = versions.version
    return engine, versions, clock


async def test_reads_within_the_max_age_share_one_version_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, versions, clock = loaded_engine(monkeypatch)
    await engine.refresh(max_age=READ_MAX_AGE)
    clock.now += READ_MAX_AGE / 2
    await engine.refresh(max_age=READ_MAX_AGE)
    assert versions.reads == 1
    clock.now += READ_MAX_AGE
    await engine.refresh(max_age=READ_MAX_AGE)
    assert versions.reads == 2


async def test_a_refresh_without_a_max_age_always_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    engine, versions, _clock = loaded_engine(monkeypatch)
    await engine.refresh(max_age=READ_MAX_AGE)
    await engine.refresh()
    await engine.refresh()
    assert versions.reads == 3


async def test_while_this_worker_changes_the_version_every_request_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, versions, clock = loaded_engine(monkeypatch)
    await engine.refresh(max_age=READ_MAX_AGE)
    engine.changing()
    for _ in range(3):
        await engine.refresh(max_age=READ_MAX_AGE)
    assert versions.reads == 4
    clock.now += CHANGE_WINDOW
    await engine.refresh(max_age=READ_MAX_AGE)
    await engine.refresh(max_age=READ_MAX_AGE)
    assert versions.reads == 5


async def test_requests_arriving_while_the_version_is_read_share_that_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the age runs out under load, sixteen concurrent requests make one read, not
    sixteen; a refresh for a write still reads for itself."""
    engine, versions, clock = loaded_engine(monkeypatch)
    await engine.refresh(max_age=READ_MAX_AGE)
    clock.now += 2 * READ_MAX_AGE
    await asyncio.gather(*(engine.refresh(max_age=READ_MAX_AGE) for _ in range(16)))
    assert versions.reads == 2
    clock.now += 2 * READ_MAX_AGE
    await asyncio.gather(engine.refresh(max_age=READ_MAX_AGE), engine.refresh())
    assert versions.reads == 4
