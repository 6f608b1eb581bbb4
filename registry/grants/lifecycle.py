"""Use cases in a grant's life: suspend, resume, revoke (with its impact), renounce, amend."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from registry.accounts.actor import Actor
from registry.authz.projection import refresh_powers
from registry.db import write_transaction
from registry.domain import lifecycle as rules
from registry.domain.effective import descendants, in_force_map
from registry.domain.grants import GrantRecord
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.scope import Scope
from registry.domain.transitions import amend
from registry.domain.validity import Validity, any_contains
from registry.errors import InvalidInput, NotFound, Refused
from registry.grants import repository
from registry.grants.intake import InstrumentDraft
from registry.grants.publishing import grant_entry
from registry.grants.services import _instrument_facts, _party_unit, _store_instrument
from registry.grants.tables import Grant, GrantEvent
from registry.importing.fields import FieldReader
from registry.ledger.events import EventType
from registry.ledger.journal import (
    LedgerSigner,
    PendingEntry,
    append_entries,
    default_signer,
    sign_checkpoint,
)


@dataclass(frozen=True, slots=True)
class Impact:
    """What a revocation brings down: the grants derived from it still in force or to come."""

    grant: int
    descendants: tuple[GrantRecord, ...]


@dataclass(frozen=True, slots=True)
class _Loaded:
    record: GrantRecord
    row: dict[str, Any]
    records: list[GrantRecord]


async def _load(lineage: int) -> _Loaded:
    row = await repository.current_version(lineage)
    if row is None:
        raise NotFound("grant")
    records = await repository.grant_records(power=row["power_code"])
    record = max((r for r in records if r.id == lineage), key=lambda r: r.version)
    return _Loaded(record, row, records)


async def acting_as(actor: Actor, record: GrantRecord, at: datetime) -> frozenset[Party]:
    """The parties the actor may act as for this grant: their own posts, or as registrar/admin."""
    parties: set[Party] = set()
    if actor.official_code:
        parties |= await repository.identities(Party(PartyKind.OFFICIAL, actor.official_code), at)
    tree = await repository.unit_tree()
    for party in (record.grantor, record.grantee):
        unit = await _party_unit(party)
        if actor.is_admin or (unit and actor.may_act_for_unit("registrar", unit, tree)):
            parties.add(party)
    return frozenset(parties)


def _read_event(
    values: Mapping[str, Any], now: datetime
) -> tuple[datetime, str, str, list[Reason]]:
    from registry.grants.intake import flatten

    reader = FieldReader(flatten(values))
    at = reader.instant("at", required=False) or now
    reason = reader.text("reason", required=False, max_length=2000, multiline=True)
    instrument = reader.text("instrument", required=False, max_length=80)
    return at, reason, instrument, reader.reasons


async def _publish(
    loaded: _Loaded,
    event: EventType,
    actor: Actor,
    at: datetime,
    signer: LedgerSigner | None,
    *,
    instrument: str | None,
    reason: str,
    extra_entries: list[PendingEntry] | None = None,
) -> int:
    entry = await grant_entry(event, loaded.record, instrument, actor, at, reason=reason)
    indexes = await append_entries([entry, *(extra_entries or [])])
    await GrantEvent.insert(
        GrantEvent(
            lineage=loaded.record.id,
            grant=loaded.row["id"],
            event=event.value.split(".", 1)[1],
            at=at,
            actor=actor.username,
            reason=reason,
            instrument=await _instrument_id(instrument),
            ledger_index=indexes[0],
        )
    )
    await refresh_powers([loaded.record.power])
    await sign_checkpoint(signer or default_signer(), at)
    return indexes[0]


async def _instrument_id(number: str | None) -> int | None:
    if not number:
        return None
    rows = await Grant.raw("SELECT id FROM instrument WHERE number = {}", number)
    return int(rows[0]["id"]) if rows else None


#: A lifecycle step that only changes the current version's state: its rule check, the state it
#: leaves, whether it ends the grant, and the event it publishes.
Check = Callable[[GrantRecord, frozenset[Party], datetime, str], list[Reason]]


async def _change_state(
    lineage: int,
    values: Mapping[str, Any],
    actor: Actor,
    check: Check,
    state: str,
    event: EventType,
    *,
    ends: bool,
    now: datetime | None,
    signer: LedgerSigner | None,
) -> int:
    now = now or datetime.now(UTC)
    at, reason, instrument, problems = _read_event(values, now)
    if problems:
        raise InvalidInput(problems)
    async with write_transaction():
        loaded = await _load(lineage)
        found = check(loaded.record, await acting_as(actor, loaded.record, at), at, reason)
        if found:
            raise Refused(found)
        changes: dict[Any, Any] = {Grant.state: state}
        if ends:
            changes[Grant.ended_at] = at
        await Grant.update(changes).where(Grant.id == loaded.row["id"])
        return await _publish(
            loaded, event, actor, at, signer, instrument=instrument or None, reason=reason
        )


async def suspend_grant(
    lineage: int,
    values: Mapping[str, Any],
    actor: Actor,
    *,
    now: datetime | None = None,
    signer: LedgerSigner | None = None,
) -> int:
    return await _change_state(
        lineage,
        values,
        actor,
        rules.check_suspend,
        "suspended",
        EventType.GRANT_SUSPENDED,
        ends=False,
        now=now,
        signer=signer,
    )


async def resume_grant(
    lineage: int,
    values: Mapping[str, Any],
    actor: Actor,
    *,
    now: datetime | None = None,
    signer: LedgerSigner | None = None,
) -> int:
    return await _change_state(
        lineage,
        values,
        actor,
        lambda record, parties, at, _reason: rules.check_resume(record, parties, at),
        "active",
        EventType.GRANT_RESUMED,
        ends=False,
        now=now,
        signer=signer,
    )


def revocation_impact(loaded_records: list[GrantRecord], lineage: int, at: datetime) -> Impact:
    """Descendants that are in force at `at` or would come into force later."""
    intervals = in_force_map(loaded_records)
    latest = {r.id: r for r in sorted(loaded_records, key=lambda r: r.version)}
    fallen = []
    for grant_id in descendants(loaded_records, lineage):
        record = latest[grant_id]
        if record.ended_at is not None and record.ended_at <= at:
            continue
        if any(i.valid_to is None or i.valid_to > at for i in intervals.get(grant_id, ())):
            fallen.append(record)
    return Impact(lineage, tuple(fallen))


async def preview_revocation(lineage: int, at: datetime | None = None) -> Impact:
    loaded = await _load(lineage)
    return revocation_impact(loaded.records, lineage, at or datetime.now(UTC))


async def revoke_grant(
    lineage: int,
    values: Mapping[str, Any],
    actor: Actor,
    *,
    now: datetime | None = None,
    signer: LedgerSigner | None = None,
) -> tuple[int, Impact]:
    """Revoke from `at`; every descendant becomes void from that moment (derived, and published)."""
    now = now or datetime.now(UTC)
    at, reason, instrument, problems = _read_event(values, now)
    if problems:
        raise InvalidInput(problems)
    async with write_transaction():
        loaded = await _load(lineage)
        facts = None
        if instrument:
            facts, missing = await _instrument_facts(_draft(values, instrument))
            if missing:
                raise Refused(missing)
        found = rules.check_revoke(
            loaded.record, await acting_as(actor, loaded.record, at), at, reason, facts
        )
        if found:
            raise Refused(found)
        await _store_instrument(_draft(values, instrument), facts, at)
        impact = revocation_impact(loaded.records, lineage, at)
        await Grant.update({Grant.state: "revoked", Grant.ended_at: at}).where(
            Grant.id == loaded.row["id"]
        )
        voided = [
            await grant_entry(
                EventType.GRANT_VOIDED_UPSTREAM,
                record,
                None,
                actor,
                at,
                extra={"because_of": lineage},
                status="void_upstream",
            )
            for record in impact.descendants
        ]
        index = await _publish(
            loaded,
            EventType.GRANT_REVOKED,
            actor,
            at,
            signer,
            instrument=instrument,
            reason=reason,
            extra_entries=voided,
        )
    return index, impact


def _draft(values: Mapping[str, Any], number: str) -> InstrumentDraft:
    from registry.grants.intake import flatten

    reader = FieldReader(flatten(values))
    return InstrumentDraft(
        number=number,
        type=reader.text("instrument_type", required=False, max_length=30),
        normative=reader.flag("instrument_normative"),
        signed_at=reader.instant("instrument_signed_at", required=False),
        title_vi=reader.text("instrument_title_vi", required=False, max_length=500),
        file_sha256=reader.text("instrument_file_sha256", required=False, max_length=64),
    )


async def renounce_grant(
    lineage: int,
    values: Mapping[str, Any],
    actor: Actor,
    *,
    now: datetime | None = None,
    signer: LedgerSigner | None = None,
) -> int:
    return await _change_state(
        lineage,
        values,
        actor,
        rules.check_renounce,
        "renounced",
        EventType.GRANT_RENOUNCED,
        ends=True,
        now=now,
        signer=signer,
    )


async def amend_grant(
    lineage: int,
    values: Mapping[str, Any],
    actor: Actor,
    *,
    now: datetime | None = None,
    signer: LedgerSigner | None = None,
) -> int:
    """A new version from `at`; the old one is kept, superseded, and linked."""
    now = now or datetime.now(UTC)
    at, reason, instrument, problems = _read_event(values, now)
    async with write_transaction():
        loaded = await _load(lineage)
        record = loaded.record
        amendment, more = _read_amendment(values, record, instrument)
        if problems or more or amendment is None:
            raise InvalidInput(problems + more)
        facts, missing = await _instrument_facts(_draft(values, instrument))
        if missing:
            raise Refused(missing)
        amendment = rules.Amendment(
            amendment.scope, amendment.validity, amendment.may_pass_on, facts
        )
        power = await repository.power_facts(record.power)
        assert power is not None
        intervals = in_force_map(loaded.records)
        latest = {r.id: r for r in sorted(loaded.records, key=lambda r: r.version)}
        source = latest.get(record.parent_id) if record.parent_id else None
        children = {
            r.id: r.scope for r in latest.values() if r.parent_id == lineage and r.ended_at is None
        }
        ctx = rules.AmendmentContext(
            tree=await repository.unit_tree(),
            source_scope=source.scope if source else power.lawful_scope(),
            source_intervals=intervals.get(source.id, ()) if source else None,
            sub_grant_scopes=children,
        )
        found = rules.check_amend(record, amendment, await acting_as(actor, record, at), at, ctx)
        if found:
            raise Refused(found)
        instrument_id = await _store_instrument(_draft(values, instrument), facts, at)
        _, new = amend(record, amendment, at)
        await Grant.update({Grant.state: "superseded", Grant.ended_at: at}).where(
            Grant.id == loaded.row["id"]
        )
        row = loaded.row
        inserted = await Grant.insert(
            Grant(
                lineage=lineage,
                version=new.version,
                previous_version=row["id"],
                kind=row["kind"],
                power=row["power"],
                grantor=row["grantor"],
                grantee=row["grantee"],
                parent_lineage=row["parent_lineage"],
                depth=row["depth"],
                territory=" ".join(sorted(new.scope.territory)),
                sectors=" ".join(sorted(new.scope.sectors or ())),
                act_types=" ".join(sorted(new.scope.act_types or ())),
                amount_ceiling=new.scope.amount_ceiling,
                valid_from=new.validity.valid_from,
                valid_to=new.validity.valid_to,
                effective_from=at,
                may_pass_on=new.may_pass_on,
                conditions_vi=row["conditions_vi"],
                conditions_en=row["conditions_en"],
                responsible=row["responsible"],
                instrument=instrument_id,
                state="suspended" if any_contains(new.suspensions, at) else "active",
                recorded_by=actor.username,
                recorded_for=row["recorded_for"],
                recorded_at=now,
            )
        )
        new_loaded = _Loaded(new, {**row, "id": inserted[0]["id"]}, loaded.records)
        return await _publish(
            new_loaded,
            EventType.GRANT_AMENDED,
            actor,
            at,
            signer,
            instrument=instrument,
            reason=reason,
        )


def _read_amendment(
    values: Mapping[str, Any], record: GrantRecord, instrument: str
) -> tuple[rules.Amendment | None, list[Reason]]:
    """Unchanged fields keep the current version's values."""
    from registry.grants.intake import flatten

    flat = flatten(values)
    reader = FieldReader(flat)
    territory = reader.words("territory") or sorted(record.scope.territory)
    sectors = reader.words("sectors") if "sectors" in flat else sorted(record.scope.sectors or ())
    act_types = (
        reader.words("act_types") if "act_types" in flat else sorted(record.scope.act_types or ())
    )
    ceiling = (
        reader.integer("amount_ceiling")
        if "amount_ceiling" in flat
        else record.scope.amount_ceiling
    )
    start = reader.instant("valid_from", required=False) or record.validity.valid_from
    end = (
        reader.instant("valid_to", required=False)
        if "valid_to" in flat
        else record.validity.valid_to
    )
    pass_on = reader.flag("may_pass_on", default=record.may_pass_on)
    if not instrument:
        reader.refuse(ReasonCode.FIELD_REQUIRED, "instrument")
    if not reader.ok:
        return None, reader.reasons
    scope = Scope(
        frozenset(territory), frozenset(sectors) or None, frozenset(act_types) or None, ceiling
    )
    return rules.Amendment(scope, Validity(start, end), pass_on, None), []
