"""The authority check: may this official (or position) exercise power P over these facts at T,
and through which chain? The compiled Casbin model decides; the chain and reasons explain."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from registry.authz.engine import AuthorityEngine, authority_engine
from registry.authz.explain import explain_refusal
from registry.authz.facts import CachedFacts, lineage_index
from registry.domain.effective import in_force_map
from registry.domain.facts import ActFacts
from registry.domain.grants import GrantRecord, PowerFacts
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.validity import utc_string
from registry.grants import repository
from registry.grants.tables import Grant, GrantEvent

WITHIN_AUTHORITY = Reason.of(ReasonCode.WITHIN_AUTHORITY, None)  # shared: reasons are not changed


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One link from the lawful holder down to the subject."""

    grant: int | None
    version: int | None
    kind: str
    grantor: str | None
    grantee: str
    territory: tuple[str, ...]
    sectors: tuple[str, ...] | None
    act_types: tuple[str, ...] | None
    amount_ceiling: int | None
    valid_from: str
    valid_to: str | None
    instrument: str | None
    ledger_index: int | None

    def as_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    allowed: bool
    subject: Party
    acting_as: Party | None
    power: str
    facts: ActFacts
    at: datetime
    reasons: list[Reason]
    chain: list[ChainLink]
    checked_at: datetime
    policy_version: int
    source: str | None = None
    subjects: tuple[Party, ...] = field(default=())


async def subjects_for(
    subject: Party, at: datetime, facts: CachedFacts | None = None
) -> list[Party]:
    """The parties a subject acts as at `at`: an official's positions, and a head's unit."""
    if facts is not None:
        return await _subjects_cached(subject, at, facts)
    found = [subject]
    if subject.kind is PartyKind.OFFICIAL:
        for row in await repository.positions_of_official(subject.code, at):
            found.append(Party(PartyKind.POSITION, row["position_code"]))
            if row["is_head"]:
                found.append(Party(PartyKind.UNIT, row["unit_code"]))
    elif subject.kind is PartyKind.POSITION:
        row = await Grant.raw(
            "SELECT p.is_head, u.code AS unit_code FROM position p JOIN unit u ON u.id = p.unit "
            "WHERE p.code = {}",
            subject.code,
        )
        if row and row[0]["is_head"]:
            found.append(Party(PartyKind.UNIT, row[0]["unit_code"]))
    return list(dict.fromkeys(found))


#: An official's post: from, until, and the parties it makes them act as (the position, and
#: the unit if the position heads it).
Post = tuple[datetime, datetime | None, tuple[Party, ...]]


async def _posts(official: str, facts: CachedFacts) -> list[Post]:
    """The official's posts as parties, made once per policy version."""

    async def load() -> list[Post]:
        return [
            (
                start,
                end,
                (Party(PartyKind.POSITION, position), Party(PartyKind.UNIT, unit))
                if is_head
                else (Party(PartyKind.POSITION, position),),
            )
            for position, is_head, unit, start, end in (await facts.assignments()).get(official, [])
        ]

    posts: list[Post] = await facts.engine.cached(("posts", official), load)
    return posts


async def _subjects_cached(subject: Party, at: datetime, facts: CachedFacts) -> list[Party]:
    found = [subject]
    if subject.kind is PartyKind.OFFICIAL:
        for start, end, parties in await _posts(subject.code, facts):
            if start <= at and (end is None or end > at):
                found.extend(parties)
    elif subject.kind is PartyKind.POSITION:
        head_of = (await facts.heads()).get(subject.code)
        if head_of is not None:
            found.append(Party(PartyKind.UNIT, head_of))
    return list(dict.fromkeys(found))


def request_row(
    subject: Party, power: str, facts: ActFacts, at: datetime, at_text: str | None = None
) -> tuple[str, ...]:
    """`at_text`: `utc_string(at)` when the caller already has it (one check, several parties)."""
    return (
        str(subject),
        power,
        facts.unit,
        facts.sector,
        facts.act_type,
        str(facts.amount or 0),
        at_text or utc_string(at),
    )


def newest_in_force(newest_first: Sequence[GrantRecord], at: datetime) -> GrantRecord | None:
    """The version of one lineage in force at `at` (its first version if none is yet)."""
    for record in newest_first:
        if record.in_force_from <= at:
            return record
    return newest_first[-1] if newest_first else None


def walk_to_holder(
    version_at: Callable[[int, datetime], GrantRecord | None], lineage: int, at: datetime
) -> list[GrantRecord]:
    """The grant versions from `lineage` up through its sources, as they stood at `at`."""
    walked: list[GrantRecord] = []
    seen: set[int] = set()
    current: int | None = lineage
    while current is not None and current not in seen:
        seen.add(current)
        record = version_at(current, at)
        if record is None:
            break
        walked.append(record)
        current = record.parent_id
    return walked


def lawful_link(facts: PowerFacts) -> ChainLink:
    """The first link of every chain: the power as the law gives it to its holder."""
    return ChainLink(
        None,
        None,
        "law",
        None,
        str(facts.lawful_holder),
        (facts.holder_unit,),
        (facts.sector,),
        tuple(sorted(facts.act_types)) or None,
        facts.amount_ceiling,
        "",
        None,
        None,
        None,
    )


def _kept_lawful_link(power: str, facts: PowerFacts, cached: CachedFacts) -> ChainLink:
    """`lawful_link`, built once per power and policy version."""
    key = ("lawful", power)
    link: ChainLink | None = cached.engine.cache.get(key)
    if link is None:
        link = cached.engine.cache[key] = lawful_link(facts)
    return link


def grant_link(record: GrantRecord, instrument: str | None, ledger_index: int | None) -> ChainLink:
    scope = record.scope
    return ChainLink(
        grant=record.id,
        version=record.version,
        kind=record.kind.value,
        grantor=str(record.grantor),
        grantee=str(record.grantee),
        territory=tuple(sorted(scope.territory)),
        sectors=tuple(sorted(scope.sectors)) if scope.sectors else None,
        act_types=tuple(sorted(scope.act_types)) if scope.act_types else None,
        amount_ceiling=scope.amount_ceiling,
        valid_from=utc_string(record.validity.valid_from),
        valid_to=utc_string(record.validity.valid_to) if record.validity.valid_to else None,
        instrument=instrument,
        ledger_index=ledger_index,
    )


async def build_chain(
    power: str,
    source: str,
    at: datetime,
    records: list[GrantRecord] | None = None,
    cached: CachedFacts | None = None,
) -> list[ChainLink]:
    """From the lawful holder down to the grant named by a policy row's source."""
    facts = (await cached.powers()).get(power) if cached else await repository.power_facts(power)
    if facts is None:
        return []
    lawful = _kept_lawful_link(power, facts, cached) if cached else lawful_link(facts)
    if not source.startswith("grant:"):
        return [lawful]
    if cached is not None and records is None:
        return await _cached_chain(power, int(source.split(":", 1)[1]), at, lawful, cached)
    if records is None:
        records = await repository.grant_records(power=power)
    index = lineage_index(records)
    links = walk_to_holder(
        lambda lineage, t: newest_in_force(index.get(lineage, ()), t),
        int(source.split(":", 1)[1]),
        at,
    )
    seen = sorted({record.id for record in links})
    if cached is not None:
        extra = await cached.grant_extra(power)
    else:
        extra = {
            (r["lineage"], r["version"]): r
            for r in await Grant.select(
                Grant.lineage,
                Grant.version,
                Grant.ledger_index,
                Grant.instrument.number.as_alias("instrument_number"),
            ).where(Grant.lineage.is_in(seen or [0]))
        }
    return [lawful, *(_link(record, extra) for record in reversed(links))]


def _link(record: GrantRecord, extra: dict[tuple[int, int], dict[str, Any]]) -> ChainLink:
    row = extra.get((record.id, record.version), {})
    return grant_link(record, row.get("instrument_number"), row.get("ledger_index"))


async def _cached_chain(
    power: str, lineage: int, at: datetime, lawful: ChainLink, cached: CachedFacts
) -> list[ChainLink]:
    """The chain from the versions the engine keeps by lineage; the links of a given sequence of
    grant versions are built once per policy version."""
    by_lineage = await cached.lineages(power)
    records = walk_to_holder(
        lambda current, t: newest_in_force(by_lineage.get(current, ()), t), lineage, at
    )
    key = ("chain", power, tuple((record.id, record.version) for record in records))
    links = cached.engine.cache.get(key)
    if links is None:
        extra = await cached.grant_extra(power)
        links = (lawful, *(_link(record, extra) for record in reversed(records)))
        cached.engine.cache[key] = links
    return list(links)


async def end_details(lineages: list[int]) -> dict[int, dict[str, str]]:
    """When, by whom and under which instrument each ended grant ended (for the reasons)."""
    if not lineages:
        return {}
    rows = await GrantEvent.select(
        GrantEvent.lineage,
        GrantEvent.event,
        GrantEvent.at,
        GrantEvent.actor,
        GrantEvent.instrument.number.as_alias("instrument_number"),
    ).where(
        GrantEvent.lineage.is_in(lineages)
        & GrantEvent.event.is_in(["revoked", "renounced", "suspended"])
    )
    details: dict[int, dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: r["at"]):
        details[row["lineage"]] = {
            "at": utc_string(row["at"]),
            "by": row["actor"],
            "instrument": row["instrument_number"] or "",
        }
    return details


async def check_authority(
    subject: Party,
    power: str,
    facts: ActFacts,
    at: datetime | None = None,
    *,
    engine: AuthorityEngine | None = None,
    now: datetime | None = None,
    refreshed: bool = False,
) -> CheckOutcome:
    """Decide with the compiled model; explain with the chain, or with the reasons it fails.

    `refreshed`: the caller has just brought `engine` to the stored policy version."""
    engine = engine or authority_engine()
    if not refreshed:
        await engine.refresh()
    now = now or datetime.now(UTC)
    at = at or now
    cached = CachedFacts(engine)
    subjects = await subjects_for(subject, at, cached)
    at_text = utc_string(at)
    for party in subjects:
        decision = engine.decide(request_row(party, power, facts, at, at_text))
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
                chain=await build_chain(power, source, at, cached=cached),
                checked_at=now,
                policy_version=decision.policy_version,
                source=source,
                subjects=tuple(subjects),
            )
    reasons = await explain(subjects, power, facts, at, cached)
    return CheckOutcome(
        allowed=False,
        subject=subject,
        acting_as=None,
        power=power,
        facts=facts,
        at=at,
        reasons=reasons,
        chain=[],
        checked_at=now,
        policy_version=engine.version,
        subjects=tuple(subjects),
    )


async def explain(
    subjects: list[Party], power: str, facts: ActFacts, at: datetime, cached: CachedFacts
) -> list[Reason]:
    power_facts = (await cached.powers()).get(power)
    validity = await cached.power_validity(power)
    if power_facts is None or validity is None:
        return [Reason.of(ReasonCode.UNKNOWN_REFERENCE, "power", value=power)]
    records = await cached.records(power)
    mine = sorted({r.id for r in records if r.grantee in subjects})
    intervals = await cached.engine.cached(("intervals", power), _async(in_force_map, records))
    return explain_refusal(
        subjects,
        power_facts,
        validity,
        records,
        intervals,
        facts,
        at,
        await cached.tree(),
        await end_details(mine),
    )


def _async(function: Any, *args: Any) -> Any:
    async def call() -> Any:
        return function(*args)

    return call
