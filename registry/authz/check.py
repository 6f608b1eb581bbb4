"""The authority check: may this official (or position) exercise power P over these facts at T,
and through which chain? The compiled Casbin model decides; the chain and reasons explain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from registry.authz.engine import AuthorityEngine, authority_engine
from registry.authz.explain import explain_refusal
from registry.domain.effective import in_force_map
from registry.domain.facts import ActFacts
from registry.domain.grants import GrantRecord
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.validity import Validity, utc_string
from registry.grants import repository
from registry.grants.tables import Grant, GrantEvent
from registry.powers.tables import Power


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


async def subjects_for(subject: Party, at: datetime) -> list[Party]:
    """The parties a subject acts as at `at`: an official's positions, and a head's unit."""
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


def request_row(subject: Party, power: str, facts: ActFacts, at: datetime) -> tuple[str, ...]:
    return (
        str(subject),
        power,
        facts.unit,
        facts.sector,
        facts.act_type,
        str(facts.amount or 0),
        utc_string(at),
    )


def version_at(records: list[GrantRecord], lineage: int, at: datetime) -> GrantRecord | None:
    versions = [r for r in records if r.id == lineage]
    for record in sorted(versions, key=lambda r: r.version, reverse=True):
        if record.in_force_from <= at:
            return record
    return min(versions, key=lambda r: r.version) if versions else None


async def build_chain(
    power: str, source: str, at: datetime, records: list[GrantRecord] | None = None
) -> list[ChainLink]:
    """From the lawful holder down to the grant named by a policy row's source."""
    facts = await repository.power_facts(power)
    if facts is None:
        return []
    lawful = ChainLink(
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
    if not source.startswith("grant:"):
        return [lawful]
    records = records if records is not None else await repository.grant_records(power=power)
    links: list[GrantRecord] = []
    current: int | None = int(source.split(":", 1)[1])
    seen: set[int] = set()
    while current is not None and current not in seen:
        seen.add(current)
        record = version_at(records, current, at)
        if record is None:
            break
        links.append(record)
        current = record.parent_id
    extra = {
        (r["lineage"], r["version"]): r
        for r in await Grant.select(
            Grant.lineage,
            Grant.version,
            Grant.ledger_index,
            Grant.instrument.number.as_alias("instrument_number"),
        ).where(Grant.lineage.is_in(sorted(seen) or [0]))
    }
    chain = [lawful]
    for record in reversed(links):
        row = extra.get((record.id, record.version), {})
        scope = record.scope
        chain.append(
            ChainLink(
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
                instrument=row.get("instrument_number"),
                ledger_index=row.get("ledger_index"),
            )
        )
    return chain


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
) -> CheckOutcome:
    """Decide with the compiled model; explain with the chain, or with the reasons it fails."""
    engine = engine or authority_engine()
    await engine.refresh()
    now = now or datetime.now(UTC)
    at = at or now
    subjects = await subjects_for(subject, at)
    for party in subjects:
        decision = engine.decide(request_row(party, power, facts, at))
        if decision.allowed and decision.row is not None:
            source = decision.row[8]
            return CheckOutcome(
                allowed=True,
                subject=subject,
                acting_as=party,
                power=power,
                facts=facts,
                at=at,
                reasons=[Reason.of(ReasonCode.WITHIN_AUTHORITY, None)],
                chain=await build_chain(power, source, at),
                checked_at=now,
                policy_version=decision.policy_version,
                source=source,
                subjects=tuple(subjects),
            )
    reasons = await explain(subjects, power, facts, at)
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


async def explain(subjects: list[Party], power: str, facts: ActFacts, at: datetime) -> list[Reason]:
    power_facts = await repository.power_facts(power)
    row = await Power.select(Power.valid_from, Power.valid_to).where(Power.code == power).first()
    if power_facts is None or row is None:
        return [Reason.of(ReasonCode.UNKNOWN_REFERENCE, "power", value=power)]
    records = await repository.grant_records(power=power)
    mine = sorted({r.id for r in records if r.grantee in subjects})
    return explain_refusal(
        subjects,
        power_facts,
        Validity(row["valid_from"], row["valid_to"]),
        records,
        in_force_map(records),
        facts,
        at,
        await repository.unit_tree(),
        await end_details(mine),
    )
