"""What a grant event publishes in the ledger: public fields and the words to find it by."""

from __future__ import annotations

from datetime import datetime

from registry.accounts.actor import Actor
from registry.domain.grants import GrantRecord
from registry.domain.parties import Party, PartyKind
from registry.domain.validity import utc_string
from registry.grants.reads import LIVE, GrantReads
from registry.ledger.events import EventType
from registry.ledger.journal import EntryFilters, PendingEntry
from registry.organisation.tables import Official, Position, Unit
from registry.powers.tables import Power


async def power_title(code: str) -> tuple[str, str]:
    """The power's title and sector as the ledger entry names them ("" when unknown)."""
    row = await Power.select(Power.title_vi, Power.sector).where(Power.code == code).first()
    return (row["title_vi"], row["sector"]) if row else ("", "")


async def party_words(party: Party, at: datetime) -> list[str]:
    """Names under which a citizen would look for a party: titles, unit names, holders' names."""
    from registry.grants.repository import holders_of_position

    if party.kind is PartyKind.UNIT:
        row = await Unit.select(Unit.name_vi, Unit.name_en).where(Unit.code == party.code).first()
        return [row["name_vi"], row["name_en"]] if row else []
    if party.kind is PartyKind.POSITION:
        row = (
            await Position.select(Position.title_vi, Position.unit.name_vi.as_alias("unit_name"))
            .where(Position.code == party.code)
            .first()
        )
        holders = [h["full_name"] for h in await holders_of_position(party.code, at)]
        return ([row["title_vi"], row["unit_name"]] if row else []) + holders
    row = await Official.select(Official.full_name).where(Official.code == party.code).first()
    return [row["full_name"]] if row else []


async def grant_entry(
    event: EventType,
    record: GrantRecord,
    instrument: str | None,
    actor: Actor,
    at: datetime,
    *,
    recorded_for: Party | None = None,
    conditions: tuple[str, str] = ("", ""),
    reason: str = "",
    extra: dict[str, object] | None = None,
    status: str = "",
    reads: GrantReads | None = None,
) -> PendingEntry:
    scope = record.scope
    facts: dict[str, object] = {
        "grant": record.id,
        "version": record.version,
        "kind": record.kind.value,
        "power": record.power,
        "grantor": str(record.grantor),
        "grantee": str(record.grantee),
        "parent": record.parent_id,
        "depth": record.depth,
        "territory": sorted(scope.territory),
        "sectors": sorted(scope.sectors) if scope.sectors else None,
        "act_types": sorted(scope.act_types) if scope.act_types else None,
        "amount_ceiling": scope.amount_ceiling,
        "valid_from": utc_string(record.validity.valid_from),
        "valid_to": utc_string(record.validity.valid_to) if record.validity.valid_to else None,
        "may_pass_on": record.may_pass_on,
        "instrument": instrument,
        "recorded_by": actor.username,
        "recorded_for": str(recorded_for) if recorded_for else None,
        "at": utc_string(at),
        **({"conditions_vi": conditions[0]} if conditions[0] else {}),
        **({"conditions_en": conditions[1]} if conditions[1] else {}),
        **({"reason": reason} if reason else {}),
        **(extra or {}),
    }
    reads = reads or LIVE
    title, sector = await reads.power_title(record.power)
    words = [record.power, title]
    words += await reads.party_words(record.grantor, at)
    words += await reads.party_words(record.grantee, at)
    filters = EntryFilters(
        power_code=record.power,
        unit_code=sorted(scope.territory)[0] if scope.territory else "",
        sector=sector,
        grant_kind=record.kind.value,
        status=status or event.value.split(".", 1)[1],
        grant_lineage=record.id,
    )
    return PendingEntry(event, facts, at, filters, " ".join(w for w in words if w))
