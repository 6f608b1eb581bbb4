"""The importer of assignments of officials to positions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from registry.authz.projection import bump_policy_version
from registry.domain.reasons import ReasonCode
from registry.importing.engine import Record, column_values
from registry.importing.fields import FieldReader
from registry.ledger.events import EventType
from registry.ledger.journal import EntryFilters, PendingEntry
from registry.organisation.importers.common import (
    bulk_insert,
    code_lookup,
    read_reference,
    read_validity,
    utc_or_none,
)
from registry.organisation.tables import (
    Assignment,
    Instrument,
    Official,
    Position,
)


class AssignmentImporter:
    kind = "assignments"
    columns = frozenset(
        ["official_code", "position_code", "valid_from", "valid_to", "instrument_number"]
    )

    async def prepare(self) -> None:
        self.officials = await code_lookup(Official)
        self.positions = await code_lookup(Position)
        self.instruments: dict[str, int] = {
            r["number"]: r["id"] for r in await Instrument.select(Instrument.id, Instrument.number)
        }
        self.names = {
            r["code"]: r["full_name"]
            for r in await Official.select(Official.code, Official.full_name)
        }
        rows = await Assignment.select(
            Assignment.official.code.as_alias("official_code"),
            Assignment.position.code.as_alias("position_code"),
            Assignment.valid_from,
            Assignment.valid_to,
            Assignment.instrument.number.as_alias("instrument_number"),
        )
        self.stored = {
            self.key(r): {**r, "instrument_number": r["instrument_number"] or ""} for r in rows
        }

    def parse(self, reader: FieldReader) -> Record | None:
        record: Record = {
            "official_code": read_reference(reader, self.officials, "official_code", required=True),
            "position_code": read_reference(reader, self.positions, "position_code", required=True),
            "instrument_number": reader.text("instrument_number", required=False, max_length=80),
        }
        read_validity(reader, record)
        number = record["instrument_number"]
        if number and number not in self.instruments:
            reader.refuse(ReasonCode.UNKNOWN_REFERENCE, "instrument_number", value=number)
        return record

    def key(self, record: Record) -> str:
        start = utc_or_none(record["valid_from"])
        return f"{record['official_code']}@{record['position_code']}@{start}"

    def existing(self, key: str) -> Record | None:
        return self.stored.get(key)

    def _values(self, record: Record) -> dict[str, Any]:
        return {
            "official": self.officials.ids[record["official_code"]],
            "position": self.positions.ids[record["position_code"]],
            "valid_from": record["valid_from"],
            "valid_to": record["valid_to"],
            "instrument": self.instruments.get(record["instrument_number"])
            if record["instrument_number"]
            else None,
        }

    async def write(
        self, creates: Sequence[Record], updates: Sequence[Record], at: datetime
    ) -> list[PendingEntry]:
        await bulk_insert(Assignment, [self._values(r) for r in creates])
        for record in updates:
            values = self._values(record)
            await Assignment.update(column_values(values)).where(
                (Assignment.official == values["official"])
                & (Assignment.position == values["position"])
                & (Assignment.valid_from == values["valid_from"])
            )
        entries = []
        for record in creates:
            entries.append(self._entry(EventType.ASSIGNMENT_MADE, record, at))
        for record in updates:
            event = EventType.ASSIGNMENT_ENDED if record["valid_to"] else EventType.ASSIGNMENT_MADE
            entries.append(self._entry(event, record, at))
        for record in [*creates, *updates]:
            self.stored[self.key(record)] = record
        # Who holds which post decides who acts as whom: checks reload their facts.
        await bump_policy_version([])
        return entries

    def _entry(self, event: EventType, record: Record, at: datetime) -> PendingEntry:
        facts = {
            "official": record["official_code"],
            "official_name": self.names.get(record["official_code"], ""),
            "position": record["position_code"],
            "valid_from": utc_or_none(record["valid_from"]),
            "valid_to": utc_or_none(record["valid_to"]),
            "instrument": record["instrument_number"] or None,
        }
        unit = record["position_code"].split(".", 1)[0]
        return PendingEntry(event, facts, at, EntryFilters(unit_code=unit))
