"""Use cases of grants: make (and precheck), each in one transaction with its ledger entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from registry.accounts.actor import Actor
from registry.authz.projection import refresh_powers
from registry.db import current_engine, write_transaction
from registry.domain.effective import in_force_map
from registry.domain.grant_rules import GrantContext, check_grant
from registry.domain.grants import GrantProposal, GrantRecord, InstrumentFacts, PowerFacts
from registry.domain.kinds import KIND_RULES, InstrumentType
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.units import UnitTree
from registry.domain.validity import utc_string
from registry.errors import Forbidden, InvalidInput, Refused
from registry.grants import repository
from registry.grants.intake import GrantRequest, InstrumentDraft, read_grant_request
from registry.grants.publishing import grant_entry
from registry.grants.reads import LIVE, GrantReads
from registry.grants.tables import Grant
from registry.grants.writes import DIRECT, GrantWrites, MadeEvent
from registry.ledger.events import EventType
from registry.ledger.journal import (
    LedgerSigner,
    PendingEntry,
    default_signer,
    sign_checkpoint,
)
from registry.organisation.tables import Instrument, Position


@dataclass(frozen=True, slots=True)
class GrantOutcome:
    """The result of a grant request: the grant (or, for a precheck, what it would be)."""

    lineage: int | None
    record: GrantRecord
    chain: tuple[GrantRecord, ...]
    ledger_index: int | None = None
    warnings: tuple[Reason, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class _Prepared:
    request: GrantRequest
    proposal: GrantProposal
    power: PowerFacts
    context: GrantContext
    reasons: list[Reason]


async def _instrument_facts(
    draft: InstrumentDraft, reads: GrantReads = LIVE
) -> tuple[InstrumentFacts | None, list[Reason]]:
    stored = await reads.instrument_facts(draft.number)
    if stored is not None:
        return stored, []
    if not draft.type or draft.signed_at is None:
        return None, [Reason.of(ReasonCode.UNKNOWN_REFERENCE, "instrument", value=draft.number)]
    return InstrumentFacts(
        draft.number, InstrumentType(draft.type), draft.normative, draft.signed_at
    ), []


def _choose_source(
    request: GrantRequest,
    power: PowerFacts,
    records: Sequence[GrantRecord],
    grantor_ids: frozenset[Party],
) -> int | None:
    """Without an explicit parent: the lawful holding if the grantor is the lawful holder, else
    the grantor's in-force grant of this power that may be passed on (the newest one)."""
    if request.parent is not None or power.lawful_holder in grantor_ids:
        return request.parent
    intervals = in_force_map(records)
    start = request.validity.valid_from
    candidates = [
        r
        for r in records
        if r.grantee in grantor_ids
        and r.may_pass_on
        and r.ended_at is None
        and any(i.contains_instant(start) for i in intervals.get(r.id, ()))
    ]
    return max(candidates, key=lambda r: r.id).id if candidates else -1


async def _prepare(request: GrantRequest, now: datetime, reads: GrantReads = LIVE) -> _Prepared:
    power = await reads.power_facts(request.power)
    if power is None:
        raise Refused([Reason.of(ReasonCode.UNKNOWN_REFERENCE, "power", value=request.power)])
    records = await reads.grant_records(request.power)
    start = request.validity.valid_from
    grantor_ids = await reads.identities(request.grantor, start)
    parent = _choose_source(request, power, records, grantor_ids)
    latest = {r.id: r for r in sorted(records, key=lambda r: r.version)}
    source = latest.get(parent) if parent is not None else None
    instrument, reasons = await _instrument_facts(request.instrument, reads)
    proposal = GrantProposal(
        power=request.power,
        kind=request.kind,
        grantor=request.grantor,
        grantee=request.grantee,
        parent_id=parent if parent and parent > 0 else None,
        scope=request.scope,
        validity=request.validity,
        may_pass_on=request.may_pass_on,
        instrument=instrument,
    )
    context = GrantContext(
        power=power,
        tree=await reads.unit_tree(),
        now=now,
        source=source,
        source_intervals=in_force_map(records).get(source.id, ()) if source else (),
        chain=await repository.chain_records(records, source.id if source else None),
        grantee_active=await reads.active_intervals(request.grantee),
        grantor_identities=grantor_ids,
        grantee_identities=await reads.identities(request.grantee, start),
        kind_rules=KIND_RULES,
    )
    if parent == -1:
        reasons.append(
            Reason.of(
                ReasonCode.GRANTOR_LACKS_POWER,
                "grantor",
                grantor=str(request.grantor),
                power=request.power,
            )
        )
    elif parent is not None and source is None:
        reasons.append(Reason.of(ReasonCode.UNKNOWN_REFERENCE, "parent", value=str(parent)))
    else:
        reasons.extend(check_grant(proposal, context))
    return _Prepared(request, proposal, power, context, _unique(reasons))


def _unique(reasons: list[Reason]) -> list[Reason]:
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for reason in reasons:
        key = (str(reason.code), reason.field)
        if key not in seen:
            seen.add(key)
            kept.append(reason)
    return kept


async def _party_unit(party: Party) -> str | None:
    if party.kind is PartyKind.UNIT:
        return party.code
    if party.kind is PartyKind.POSITION:
        row = (
            await Position.select(Position.unit.code.as_alias("unit"))
            .where(Position.code == party.code)
            .first()
        )
        return None if row is None else row["unit"]
    return None


async def authorise_grantor(actor: Actor, grantor: Party, at: datetime, tree: UnitTree) -> None:
    """A leader acts for the positions they hold; a registrar records for units in their domain."""
    if actor.is_admin:
        return
    if actor.official_code and actor.has_role("leader"):
        mine = await repository.identities(Party(PartyKind.OFFICIAL, actor.official_code), at)
        if grantor in mine:
            return
    unit = await _party_unit(grantor)
    if unit is not None and actor.may_act_for_unit("registrar", unit, tree):
        return
    raise Forbidden("grantor")


def _record_of(prepared: _Prepared, lineage: int, at: datetime) -> GrantRecord:
    from registry.domain.transitions import make_record

    depth = 1 if prepared.context.source is None else prepared.context.source.depth + 1
    return make_record(prepared.proposal, lineage, depth, at)


async def precheck_grant(
    values: Mapping[str, Any],
    actor: Actor,
    *,
    now: datetime | None = None,
    reads: GrantReads = LIVE,
) -> tuple[GrantOutcome | None, list[Reason]]:
    """A dry run: why the grant would be refused, or the chain it would join. Stores nothing."""
    now = now or datetime.now(UTC)
    request, reasons = read_grant_request(values)
    if request is None:
        return None, reasons
    prepared = await _prepare(request, now, reads)
    if prepared.reasons:
        return None, prepared.reasons
    record = _record_of(prepared, 0, now)
    return GrantOutcome(None, record, (*prepared.context.chain, record)), []


async def make_grant(
    values: Mapping[str, Any],
    actor: Actor,
    *,
    now: datetime | None = None,
    signer: LedgerSigner | None = None,
    reads: GrantReads = LIVE,
    writes: GrantWrites = DIRECT,
    checkpoint: bool = True,
) -> GrantOutcome:
    """Record a grant: state, ledger entry, policy rows and checkpoint in one transaction.

    An import runs many in its own write transaction: it passes the reads it keeps and the
    writes it gathers, and signs one checkpoint for the whole batch (`checkpoint=False`).
    """
    now = now or datetime.now(UTC)
    request, reasons = read_grant_request(values)
    if request is None:
        raise InvalidInput(reasons)
    if not _in_transaction():
        # Refuse without waiting for the write lock; the rules run again under it.
        early = await _prepare(request, now, reads)
        await authorise_grantor(actor, request.grantor, now, early.context.tree)
        if early.reasons:
            raise Refused(early.reasons)
    async with write_transaction():
        prepared = await _prepare(request, now, reads)
        await authorise_grantor(actor, request.grantor, now, prepared.context.tree)
        if prepared.reasons:
            raise Refused(prepared.reasons)
        instrument_id = await _store_instrument(
            request.instrument, prepared.proposal.instrument, now, reads, writes
        )
        lineage = await writes.next_lineage()
        record = _record_of(prepared, lineage, now)
        rule = KIND_RULES[request.kind]
        recorded_for = request.recorded_for or (request.grantor if not actor.is_admin else None)
        entry = await grant_entry(
            EventType.GRANT_MADE,
            record,
            request.instrument.number,
            actor,
            now,
            recorded_for=recorded_for,
            conditions=(request.conditions_vi, request.conditions_en),
            reads=reads,
        )
        index = await writes.append(entry)
        await writes.add_grant(
            Grant(
                lineage=lineage,
                version=1,
                kind=request.kind.value,
                power=await reads.power_id(request.power),
                grantor=str(request.grantor),
                grantee=str(request.grantee),
                parent_lineage=record.parent_id,
                depth=record.depth,
                territory=" ".join(sorted(request.scope.territory)),
                sectors=" ".join(sorted(request.scope.sectors or ())),
                act_types=" ".join(sorted(request.scope.act_types or ())),
                amount_ceiling=request.scope.amount_ceiling,
                valid_from=request.validity.valid_from,
                valid_to=request.validity.valid_to,
                may_pass_on=record.may_pass_on,
                conditions_vi=request.conditions_vi,
                conditions_en=request.conditions_en,
                responsible=rule.responsible,
                instrument=instrument_id,
                recorded_by=actor.username,
                recorded_for=str(recorded_for) if recorded_for else "",
                recorded_at=now,
                ledger_index=index,
            ),
            MadeEvent(now, actor.username, index),
        )
        reads.added(record)
        await refresh_powers([request.power])
        if checkpoint:
            await sign_checkpoint(signer or default_signer(), now)
    return GrantOutcome(lineage, record, (*prepared.context.chain, record), index)


def _in_transaction() -> bool:
    """True inside a caller's write transaction (an import), which already holds the lock."""
    return current_engine().current_transaction.get() is not None


async def _store_instrument(
    draft: InstrumentDraft,
    facts: InstrumentFacts | None,
    at: datetime,
    reads: GrantReads = LIVE,
    writes: GrantWrites = DIRECT,
) -> int:
    stored = await reads.instrument_id(draft.number)
    if stored is not None:
        return stored
    assert facts is not None
    rows = await Instrument.insert(
        Instrument(
            number=draft.number,
            type=facts.type.value,
            normative=facts.normative,
            title_vi=draft.title_vi,
            signed_at=facts.signed_at,
            file_sha256=draft.file_sha256 or None,
        )
    )
    # An instrument typed in with a grant is a public fact like an imported one.
    await writes.append(
        PendingEntry(
            EventType.INSTRUMENT_RECORDED,
            {
                "number": draft.number,
                "type": facts.type.value,
                "normative": facts.normative,
                "title_vi": draft.title_vi,
                "signed_at": utc_string(facts.signed_at),
                "file_sha256": draft.file_sha256 or None,
            },
            at,
        )
    )
    return int(rows[0]["id"])
