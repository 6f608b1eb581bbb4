"""What the grant rules and the grant ledger entries read: straight from the database, or kept
for a whole grant import.

A form or an API call reads everything afresh (`GrantReads`). An import of many grants reads
the organisation, the powers and the assignments once (`ImportReads`): a grant import changes
none of them, only grants and the instruments typed in with them. Each power's grant records are
read when first needed, extended with every grant the import stores (`added`) and read again
after any other change to that power (`forget`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from registry.domain.grants import GrantRecord, InstrumentFacts, PowerFacts
from registry.domain.parties import Party, PartyKind
from registry.domain.units import UnitTree
from registry.domain.validity import Validity
from registry.grants import repository
from registry.organisation.tables import Assignment, Instrument, Official, Position, Unit
from registry.powers.tables import Power


class GrantReads:
    """Every read straight from the database."""

    async def power_facts(self, code: str) -> PowerFacts | None:
        return await repository.power_facts(code)

    async def grant_records(self, power: str) -> list[GrantRecord]:
        return await repository.grant_records(power=power)

    async def identities(self, party: Party, at: datetime) -> frozenset[Party]:
        return await repository.identities(party, at)

    async def instrument_facts(self, number: str) -> InstrumentFacts | None:
        return await repository.instrument_facts(number)

    async def instrument_id(self, number: str) -> int | None:
        row = await Instrument.select(Instrument.id).where(Instrument.number == number).first()
        return None if row is None else int(row["id"])

    async def power_id(self, code: str) -> int:
        rows = await Power.select(Power.id).where(Power.code == code)
        return int(rows[0]["id"])

    async def unit_tree(self) -> UnitTree:
        return await repository.unit_tree()

    async def active_intervals(self, party: Party) -> tuple[Validity, ...] | None:
        return await repository.active_intervals(party)

    async def power_title(self, code: str) -> tuple[str, str]:
        from registry.grants.publishing import power_title

        return await power_title(code)

    async def party_words(self, party: Party, at: datetime) -> list[str]:
        from registry.grants.publishing import party_words

        return await party_words(party, at)

    def added(self, record: GrantRecord) -> None:
        """A new grant was stored (nothing is kept here)."""

    def forget(self, power: str) -> None:
        """Something else changed this power's grants (nothing is kept here)."""


LIVE = GrantReads()


@dataclass(frozen=True, slots=True)
class _Held:
    """An assignment: who held which position, when."""

    official: str
    full_name: str
    position: str
    valid_from: datetime
    valid_to: datetime | None

    def holds_at(self, at: datetime) -> bool:
        return self.valid_from <= at and (self.valid_to is None or self.valid_to > at)


class ImportReads(GrantReads):
    """Reads kept for one grant import."""

    def __init__(self) -> None:
        self._powers: dict[str, PowerFacts | None] = {}
        self._records: dict[str, list[GrantRecord]] = {}
        self._instruments: dict[str, tuple[int, InstrumentFacts]] | None = None
        self._power_ids: dict[str, int] = {}
        self._active: dict[Party, tuple[Validity, ...] | None] = {}
        self._tree: UnitTree | None = None
        self._by_position: dict[str, list[_Held]] = {}
        self._by_official: dict[str, list[_Held]] = {}
        self._assignments_read = False
        self._titles: dict[str, tuple[str, str]] = {}
        self._names: dict[str, list[str]] | None = None

    async def power_facts(self, code: str) -> PowerFacts | None:
        if code not in self._powers:
            self._powers[code] = await repository.power_facts(code)
        return self._powers[code]

    async def grant_records(self, power: str) -> list[GrantRecord]:
        if power not in self._records:
            self._records[power] = await repository.grant_records(power=power)
        return list(self._records[power])

    def added(self, record: GrantRecord) -> None:
        """The first version of a new grant, equal to what `grant_records` reads back."""
        if record.power in self._records:
            self._records[record.power].append(record)

    def forget(self, power: str) -> None:
        self._records.pop(power, None)

    async def _read_assignments(self) -> None:
        if self._assignments_read:
            return
        rows = await Assignment.select(
            Assignment.official.code.as_alias("official"),
            Assignment.official.full_name.as_alias("full_name"),
            Assignment.position.code.as_alias("position"),
            Assignment.valid_from,
            Assignment.valid_to,
        ).order_by(Assignment._meta.primary_key)
        by_position: dict[str, list[_Held]] = defaultdict(list)
        by_official: dict[str, list[_Held]] = defaultdict(list)
        for r in rows:
            held = _Held(
                r["official"], r["full_name"], r["position"], r["valid_from"], r["valid_to"]
            )
            by_position[held.position].append(held)
            by_official[held.official].append(held)
        self._by_position, self._by_official = by_position, by_official
        self._assignments_read = True

    async def identities(self, party: Party, at: datetime) -> frozenset[Party]:
        """As `repository.identities`, from the assignments read once."""
        await self._read_assignments()
        found = {party}
        if party.kind is PartyKind.POSITION:
            found |= {
                Party(PartyKind.OFFICIAL, held.official)
                for held in self._by_position.get(party.code, ())
                if held.holds_at(at)
            }
        elif party.kind is PartyKind.OFFICIAL:
            found |= {
                Party(PartyKind.POSITION, held.position)
                for held in self._by_official.get(party.code, ())
                if held.holds_at(at)
            }
        return frozenset(found)

    async def _read_instruments(self) -> None:
        if self._instruments is None:
            rows = await Instrument.select(
                Instrument.id,
                Instrument.number,
                Instrument.type,
                Instrument.normative,
                Instrument.signed_at,
            )
            self._instruments = {
                r["number"]: (
                    int(r["id"]),
                    InstrumentFacts(r["number"], r["type"], r["normative"], r["signed_at"]),
                )
                for r in rows
            }

    async def instrument_facts(self, number: str) -> InstrumentFacts | None:
        # Instruments typed in with a grant are stored during the import: looked up afresh.
        await self._read_instruments()
        assert self._instruments is not None
        if number in self._instruments:
            return self._instruments[number][1]
        return await super().instrument_facts(number)

    async def instrument_id(self, number: str) -> int | None:
        await self._read_instruments()
        assert self._instruments is not None
        if number in self._instruments:
            return self._instruments[number][0]
        return await super().instrument_id(number)

    async def power_id(self, code: str) -> int:
        if code not in self._power_ids:
            self._power_ids[code] = await super().power_id(code)
        return self._power_ids[code]

    async def unit_tree(self) -> UnitTree:
        if self._tree is None:
            self._tree = await repository.unit_tree()
        return self._tree

    async def active_intervals(self, party: Party) -> tuple[Validity, ...] | None:
        if party not in self._active:
            self._active[party] = await repository.active_intervals(party)
        return self._active[party]

    async def power_title(self, code: str) -> tuple[str, str]:
        if code not in self._titles:
            self._titles[code] = await super().power_title(code)
        return self._titles[code]

    async def _party_names(self) -> dict[str, list[str]]:
        """What `publishing.party_words` reads for a party, apart from a position's holders."""
        if self._names is None:
            names: dict[str, list[str]] = {}
            for u in await Unit.select(Unit.code, Unit.name_vi, Unit.name_en):
                names[f"unit:{u['code']}"] = [u["name_vi"], u["name_en"]]
            for p in await Position.select(
                Position.code, Position.title_vi, Position.unit.name_vi.as_alias("unit_name")
            ):
                names[f"position:{p['code']}"] = [p["title_vi"], p["unit_name"]]
            for o in await Official.select(Official.code, Official.full_name):
                names[f"official:{o['code']}"] = [o["full_name"]]
            self._names = names
        return self._names

    async def party_words(self, party: Party, at: datetime) -> list[str]:
        """As `publishing.party_words`, from the names and assignments read once."""
        words = list((await self._party_names()).get(str(party), []))
        if party.kind is PartyKind.POSITION:
            await self._read_assignments()
            words += [h.full_name for h in self._by_position.get(party.code, ()) if h.holds_at(at)]
        return words
