"""The authority engine of one worker: the compiled Casbin model over the stored policy rows,
kept in step with other workers through the policy version."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog

from registry.authz.compiled import CompiledAuthorityEnforcer
from registry.authz.functions import authority_functions
from registry.authz.model import new_compiled_authority_enforcer
from registry.authz.tables import PolicyChange, PolicyRule
from registry.authz.version import VersionReader
from registry.organisation.tables import Unit

log = structlog.get_logger("registry.authz.engine")

Row = tuple[str, ...]
#: A change to the unit tree (or a wholesale rebuild) asks every worker to reload all rows.
EVERYTHING = "*"
#: Key in a request's `scope["state"]`: the policy version the engine had just read when the
#: request was authenticated (bearer tokens), so a read-only handler need not read it again.
POLICY_VERSION_SEEN = "policy_version_seen"
#: How old (seconds) the version a request that only reads may be answered under: a change made
#: through another worker or host is seen within this, well inside the 100 ms allowed for it
#: (docs/authz.md §4b); a change made through this worker is seen at once (`changing`).
READ_MAX_AGE = 0.01
#: After this worker moves the version in a write transaction, how long it reads the version
#: on every request anyway: the transaction may commit at any moment in that time.
CHANGE_WINDOW = 1.0


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    row: tuple[str, ...] | None
    policy_version: int


async def _unit_parents() -> dict[str, str | None]:
    rows = await Unit.select(Unit.code, Unit.parent.code.as_alias("parent_code"))
    return {r["code"]: r["parent_code"] for r in rows}


async def _rows(power: str | None = None) -> list[Row]:
    query = PolicyRule.select(
        PolicyRule.v0,
        PolicyRule.v1,
        PolicyRule.v2,
        PolicyRule.v3,
        PolicyRule.v4,
        PolicyRule.v5,
        PolicyRule.v6,
        PolicyRule.v7,
        PolicyRule.v8,
    ).where((PolicyRule.model == "authority") & (PolicyRule.ptype == "p"))
    if power is not None:
        query = query.where(PolicyRule.v1 == power)
    rows = await query.order_by(PolicyRule.id)
    return [tuple(r[f"v{i}"] for i in range(9)) for r in rows]


class AuthorityEngine:
    """Answers checks in microseconds; reloads only the powers whose rows moved."""

    def __init__(self) -> None:
        self.enforcer: CompiledAuthorityEnforcer | None = None
        self.version = -1
        self.rows_by_power: dict[str, list[Row]] = defaultdict(list)
        #: When the stored version was last read and found equal to ours (monotonic seconds).
        self._checked_at = 0.0
        #: Until when this worker's own change may commit (see `changing`).
        self._changing_until = 0.0
        #: The version read that callers accepting `max_age` share, while it runs.
        self._reading: asyncio.Task[int] | None = None
        self._lock = asyncio.Lock()
        self.versions = VersionReader()
        #: Facts the explanations read (powers, grant versions, assignments), valid for one
        #: policy version: every write that changes them moves the version.
        self.cache: dict[Any, Any] = {}
        #: Facts drawn from one power's rows or grants (parsed rows, latest grant versions),
        #: kept across versions until that power's rows move: every grant write moves its power.
        self.power_cache: dict[str, dict[Any, Any]] = {}

    async def load(self) -> None:
        """Cold start: every row and the unit tree."""
        version = await self.versions.read()
        parents = await _unit_parents()
        rows = await _rows()
        enforcer = new_compiled_authority_enforcer(parents, rows)
        by_power: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_power[row[1]].append(row)
        self.enforcer, self.rows_by_power, self.version = enforcer, by_power, version
        self.cache = {}
        self.power_cache = {}
        log.info("policy_loaded", rows=len(rows), version=version)

    def changing(self) -> None:
        """This worker is moving the version (in a write transaction): read it on every
        request until `CHANGE_WINDOW` has passed, so its own change is never answered stale."""
        self._changing_until = time.monotonic() + CHANGE_WINDOW

    async def refresh(self, max_age: float = 0.0) -> None:
        """A cheap version check; on a move, reload only the changed powers.

        `max_age`: skip the check if the version was read less than this long ago and this
        worker is not changing it (`READ_MAX_AGE` for requests that only read; writes and
        anything that decides on behalf of a write pass nothing and always read)."""
        now = time.monotonic()
        if self.enforcer is not None:
            if max_age and now >= self._changing_until:
                if now - self._checked_at < max_age:
                    return
                version = await self._shared_read()
            else:
                version = await self.versions.read()
            if version == self.version:
                self._checked_at = now
                return
        async with self._lock:
            self._checked_at = now
            if self.enforcer is None:
                await self.load()
                return
            version = await self.versions.read()
            if version == self.version:
                return
            changed = {
                r["power_code"]
                for r in await PolicyChange.select(PolicyChange.power_code).where(
                    PolicyChange.version > self.version
                )
            }
            if EVERYTHING in changed or len(changed) > 200:
                await self.load()
                return
            for power in changed:
                old = self.rows_by_power.pop(power, [])
                new = await _rows(power)
                self.enforcer.remove_rows(old)
                self.enforcer.add_rows(new)
                if new:
                    self.rows_by_power[power] = new
                self.power_cache.pop(power, None)
            self.version = version
            self.cache = {}
            log.info("policy_refreshed", powers=sorted(changed), version=version)

    async def _shared_read(self) -> int:
        """The stored version for callers that accept `max_age`: when the age runs out under
        many concurrent requests, they wait for one read instead of each starting its own
        (on PostgreSQL each is a round trip through the pool)."""
        loop = asyncio.get_running_loop()
        if self._reading is None or self._reading.get_loop() is not loop:
            self._reading = loop.create_task(self._read_once())
        return await asyncio.shield(self._reading)

    async def _read_once(self) -> int:
        try:
            return await self.versions.read()
        finally:
            self._reading = None

    async def cached(
        self, key: Any, load: Callable[[], Awaitable[Any]], keep_none: bool = True
    ) -> Any:
        """A fact read once per policy version. Stored in the cache of the version it was read
        under: if the version moves during the read, the value serves this caller only."""
        cache = self.cache
        if key in cache:
            return cache[key]
        value = await load()
        if value is not None or keep_none:
            cache[key] = value
        return value

    async def cached_per_power(
        self,
        key: Any,
        powers: Collection[str],
        load: Callable[[list[str] | None], Awaitable[Mapping[str, Any]]],
        empty: Callable[[], Any],
    ) -> dict[str, Any]:
        """`key`'s value for each of `powers`, read only for those that lack it: every power
        (`load(None)`) the first time, afterwards the powers whose rows moved. A power `load`
        leaves out gets `empty()`. Like `cached`, a value read while its power moved is stored
        where only this caller sees it (the power's bucket was dropped)."""
        buckets = {power: self.power_cache.setdefault(power, {}) for power in powers}
        missing = [power for power, bucket in buckets.items() if key not in bucket]
        if missing:
            found = await load(None if len(missing) == len(buckets) else missing)
            for power in missing:
                buckets[power][key] = found[power] if power in found else empty()
        return {power: bucket[key] for power, bucket in buckets.items()}

    def rebind_tree(self, parents: dict[str, str | None]) -> None:
        assert self.enforcer is not None
        self.enforcer.rebind_functions(authority_functions(parents))

    def decide(self, request: Sequence[str]) -> Decision:
        assert self.enforcer is not None, "call refresh() first"
        allowed, row = self.enforcer.enforce_ex(*request)
        return Decision(allowed, tuple(row) if row else None, self.version)


_engine: AuthorityEngine | None = None


def authority_engine() -> AuthorityEngine:
    """The engine of this worker process."""
    global _engine
    if _engine is None:
        _engine = AuthorityEngine()
    return _engine


def reset_engine() -> None:
    """Forget the loaded rows (tests bind a new database per test)."""
    global _engine
    _engine = None
