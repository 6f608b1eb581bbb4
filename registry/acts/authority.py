"""The authority a trace relies on: `check_authority` itself for one act, or the same engine
decision with the database reads done once for a whole import (`PreloadedAuthority`).

Both answer with `registry.authz.check.CheckOutcome`. The engine (the compiled Casbin model)
decides in both; `PreloadedAuthority` only replaces the per-call reads of assignments, grant
records and chain details by dictionaries loaded once. A test runs both on 10,000 random acts of
generated data and requires the same decision, subject, source, chain and reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from registry.acts.verdicts import WITHIN_AUTHORITY
from registry.authz.check import (
    ChainLink,
    CheckOutcome,
    check_authority,
    grant_link,
    lawful_link,
    request_row,
    walk_to_holder,
)
from registry.authz.engine import AuthorityEngine, authority_engine
from registry.authz.explain import explain_refusal
from registry.domain.effective import in_force_map
from registry.domain.facts import ActFacts
from registry.domain.grants import GrantRecord, PowerFacts
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.units import UnitTree
from registry.domain.validity import Validity, utc_string
from registry.grants import repository
from registry.grants.tables import Grant, GrantEvent
from registry.organisation.tables import Assignment
from registry.powers.tables import Power


class Authority(Protocol):
    """What the trace asks: the check, every covering source of a party, a source's chain."""

    async def check(
        self, subject: Party, power: str, facts: ActFacts, at: datetime
    ) -> CheckOutcome: ...

    def sources(self, party: Party, power: str, facts: ActFacts, at: datetime) -> list[str]: ...

    async def chain(self, power: str, source: str, at: datetime) -> list[ChainLink]: ...

    def chain_json(self, links: Sequence[ChainLink]) -> list[dict[str, Any]]: ...


def _sources(
    engine: AuthorityEngine, party: Party, power: str, facts: ActFacts, at: datetime
) -> list[str]:
    assert engine.enforcer is not None
    rows = engine.enforcer.matching_rows(*request_row(party, power, facts, at))
    return list(dict.fromkeys(row[8] for row in rows))


class LiveAuthority:
    """`check_authority` as it answers `/api/v1/check`, for one act at a time."""

    def __init__(self, engine: AuthorityEngine | None = None) -> None:
        self.engine = engine or authority_engine()

    async def check(
        self, subject: Party, power: str, facts: ActFacts, at: datetime
    ) -> CheckOutcome:
        return await check_authority(subject, power, facts, at, engine=self.engine)

    def sources(self, party: Party, power: str, facts: ActFacts, at: datetime) -> list[str]:
        return _sources(self.engine, party, power, facts, at)

    async def chain(self, power: str, source: str, at: datetime) -> list[ChainLink]:
        from registry.authz.check import build_chain

        return await build_chain(power, source, at)

    def chain_json(self, links: Sequence[ChainLink]) -> list[dict[str, Any]]:
        return chain_json(links)


@dataclass(frozen=True, slots=True)
class Post:
    """An assignment as `subjects_for` reads it: the position, and the unit if it heads it."""

    position: Party
    unit: Party | None
    valid_from: datetime
    valid_to: datetime | None


class PreloadedAuthority:
    """The engine's decision with everything `check_authority` reads loaded once."""

    def __init__(self, engine: AuthorityEngine | None = None) -> None:
        self.engine = engine or authority_engine()
        self.posts: dict[str, list[Post]] = defaultdict(list)
        self.powers: dict[str, tuple[PowerFacts, Validity]] = {}
        self.records: dict[str, list[GrantRecord]] = defaultdict(list)
        self.versions: dict[int, list[GrantRecord]] = defaultdict(list)
        self.extras: dict[tuple[int, int], tuple[str | None, int | None]] = {}
        self.ends: dict[int, dict[str, str]] = {}
        self.tree = UnitTree({})
        self._in_force: dict[str, dict[int, tuple[Validity, ...]]] = {}
        self._chains: dict[tuple[str, str, tuple[int, ...]], list[ChainLink]] = {}
        #: Each link's published form, made once: most chains share their upper links.
        self._link_json: dict[ChainLink, dict[str, Any]] = {}

    async def load(self) -> PreloadedAuthority:
        await self.engine.refresh()
        rows = await Assignment.select(
            Assignment._meta.primary_key,
            Assignment.official.code.as_alias("official_code"),
            Assignment.position.code.as_alias("position_code"),
            Assignment.position.is_head.as_alias("is_head"),
            Assignment.position._.unit._.code.as_alias("unit_code"),
            Assignment.valid_from,
            Assignment.valid_to,
        ).order_by(Assignment._meta.primary_key)
        for r in rows:
            unit = Party(PartyKind.UNIT, r["unit_code"]) if r["is_head"] else None
            self.posts[r["official_code"]].append(
                Post(
                    Party(PartyKind.POSITION, r["position_code"]),
                    unit,
                    r["valid_from"],
                    r["valid_to"],
                )
            )
        validity = {
            r["code"]: Validity(r["valid_from"], r["valid_to"])
            for r in await Power.select(Power.code, Power.valid_from, Power.valid_to)
        }
        for code, facts in (await repository.all_powers()).items():
            self.powers[code] = (facts, validity[code])
        for record in await repository.grant_records():
            self.records[record.power].append(record)
            self.versions[record.id].append(record)
        for versions in self.versions.values():
            versions.sort(key=lambda r: r.version)
        for g in await Grant.select(
            Grant.lineage,
            Grant.version,
            Grant.ledger_index,
            Grant.instrument.number.as_alias("instrument_number"),
        ):
            self.extras[(g["lineage"], g["version"])] = (g["instrument_number"], g["ledger_index"])
        events = await GrantEvent.select(
            GrantEvent.lineage,
            GrantEvent.event,
            GrantEvent.at,
            GrantEvent.actor,
            GrantEvent.instrument.number.as_alias("instrument_number"),
        ).where(GrantEvent.event.is_in(["revoked", "renounced", "suspended"]))
        for e in sorted(events, key=lambda e: e["at"]):
            self.ends[e["lineage"]] = {
                "at": utc_string(e["at"]),
                "by": e["actor"],
                "instrument": e["instrument_number"] or "",
            }
        self.tree = await repository.unit_tree()
        return self

    def subjects(self, subject: Party, at: datetime) -> list[Party]:
        found = [subject]
        if subject.kind is PartyKind.OFFICIAL:
            for post in self.posts.get(subject.code, ()):
                if post.valid_from <= at and (post.valid_to is None or post.valid_to > at):
                    found.append(post.position)
                    if post.unit is not None:
                        found.append(post.unit)
        return list(dict.fromkeys(found))

    def in_force(self, power: str) -> dict[int, tuple[Validity, ...]]:
        if power not in self._in_force:
            self._in_force[power] = in_force_map(self.records.get(power, []))
        return self._in_force[power]

    async def check(
        self, subject: Party, power: str, facts: ActFacts, at: datetime
    ) -> CheckOutcome:
        subjects = self.subjects(subject, at)
        stamp = utc_string(at)
        for party in subjects:
            decision = self.engine.decide(request_row(party, power, facts, at, stamp))
            if decision.allowed and decision.row is not None:
                source = decision.row[8]
                return CheckOutcome(
                    allowed=True,
                    subject=subject,
                    acting_as=party,
                    power=power,
                    facts=facts,
                    at=at,
                    reasons=[WITHIN_AUTHORITY],
                    chain=await self.chain(power, source, at),
                    checked_at=at,
                    policy_version=decision.policy_version,
                    source=source,
                    subjects=tuple(subjects),
                )
        return CheckOutcome(
            allowed=False,
            subject=subject,
            acting_as=None,
            power=power,
            facts=facts,
            at=at,
            reasons=self.explain(subjects, power, facts, at),
            chain=[],
            checked_at=at,
            policy_version=self.engine.version,
            subjects=tuple(subjects),
        )

    def explain(
        self, subjects: Sequence[Party], power: str, facts: ActFacts, at: datetime
    ) -> list[Reason]:
        if power not in self.powers:
            return [Reason.of(ReasonCode.UNKNOWN_REFERENCE, "power", value=power)]
        power_facts, validity = self.powers[power]
        records = self.records.get(power, [])
        wanted = set(subjects)
        mine = {r.id for r in records if r.grantee in wanted}
        return explain_refusal(
            list(subjects),
            power_facts,
            validity,
            records,
            self.in_force(power),
            facts,
            at,
            self.tree,
            {lineage: self.ends[lineage] for lineage in mine if lineage in self.ends},
        )

    def sources(self, party: Party, power: str, facts: ActFacts, at: datetime) -> list[str]:
        return _sources(self.engine, party, power, facts, at)

    def version_at(self, lineage: int, at: datetime) -> GrantRecord | None:
        versions = self.versions.get(lineage)
        if not versions:
            return None
        for record in reversed(versions):
            if record.in_force_from <= at:
                return record
        return versions[0]

    async def chain(self, power: str, source: str, at: datetime) -> list[ChainLink]:
        """`build_chain` over the loaded records; chains repeat, so they are kept."""
        if power not in self.powers:
            return []
        links: list[GrantRecord] = []
        if source.startswith("grant:"):
            links = walk_to_holder(self.version_at, int(source.split(":", 1)[1]), at)
        key = (power, source, tuple(r.version for r in links))
        cached = self._chains.get(key)
        if cached is None:
            cached = self._chains[key] = self._links(power, links)
        return list(cached)

    def chain_json(self, links: Sequence[ChainLink]) -> list[dict[str, Any]]:
        """`chain_json` with each link converted once; the dictionaries are shared between the
        acts relying on a link, and nothing changes them (they are encoded and published)."""
        found: list[dict[str, Any]] = []
        for link in links:
            converted = self._link_json.get(link)
            if converted is None:
                converted = self._link_json[link] = link_json(link)
            found.append(converted)
        return found

    def _links(self, power: str, links: list[GrantRecord]) -> list[ChainLink]:
        chain = [lawful_link(self.powers[power][0])]
        for record in reversed(links):
            instrument, ledger_index = self.extras.get((record.id, record.version), (None, None))
            chain.append(grant_link(record, instrument, ledger_index))
        return chain


def link_json(link: ChainLink) -> dict[str, Any]:
    """A chain link as stored and published: tuples become lists."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in link.as_json().items()
    }


def chain_json(links: Sequence[ChainLink]) -> list[dict[str, Any]]:
    """A chain as stored and published."""
    return [link_json(link) for link in links]
