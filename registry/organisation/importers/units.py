"""The importer of units of the province (with their parents, kinds and tiers)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from registry.authz.engine import EVERYTHING
from registry.authz.projection import bump_policy_version
from registry.domain.reasons import ReasonCode
from registry.importing.engine import Record, column_values
from registry.importing.fields import FieldReader
from registry.ledger.events import EventType
from registry.ledger.journal import EntryFilters, PendingEntry
from registry.organisation.importers.common import (
    code_lookup,
    read_reference,
    read_validity,
    utc_or_none,
)
from registry.organisation.tables import (
    UNIT_KINDS,
    Unit,
)


class UnitImporter:
    kind = "units"
    columns = frozenset(
        [
            "code",
            "name_vi",
            "name_en",
            "kind",
            "tier",
            "parent_code",
            "works_collectively",
            "valid_from",
            "valid_to",
            "merged_into_code",
        ]
    )

    async def prepare(self) -> None:
        self.units = await code_lookup(Unit)
        rows = await Unit.select(
            *Unit.all_columns(),
            Unit.parent.code.as_alias("parent_code"),
            Unit.merged_into.code.as_alias("merged_into_code"),
        )
        self.stored = {r["code"]: self._record(r) for r in rows}

    @staticmethod
    def _record(r: dict[str, Any]) -> Record:
        return {
            key: r[key]
            for key in (
                "code",
                "name_vi",
                "name_en",
                "kind",
                "tier",
                "parent_code",
                "works_collectively",
                "valid_from",
                "valid_to",
                "merged_into_code",
            )
        }

    def parse(self, reader: FieldReader) -> Record | None:
        record: Record = {
            "code": reader.code("code"),
            "name_vi": reader.text("name_vi"),
            "name_en": reader.text("name_en", required=False),
            "kind": reader.choice("kind", UNIT_KINDS),
            "tier": reader.choice("tier", ("province", "commune")),
            "parent_code": read_reference(reader, self.units, "parent_code", required=False)
            or None,
            "works_collectively": reader.flag("works_collectively"),
            # A merger target may come later in the file: resolved after every row is written.
            "merged_into_code": reader.code("merged_into_code", required=False) or None,
        }
        read_validity(reader, record)
        if record["code"] and record["parent_code"] == record["code"]:
            reader.refuse(ReasonCode.UNKNOWN_REFERENCE, "parent_code", value=record["code"])
        if reader.ok:
            self.units.pending.add(record["code"])
        return record

    def key(self, record: Record) -> str:
        return str(record["code"])

    def existing(self, key: str) -> Record | None:
        return self.stored.get(key)

    async def write(
        self, creates: Sequence[Record], updates: Sequence[Record], at: datetime
    ) -> list[PendingEntry]:
        entries = []
        for record in creates:
            values = self._values(record)
            rows = await Unit.insert(Unit(**values))
            self.units.ids[record["code"]] = rows[0]["id"]
            self.stored[record["code"]] = record
            entries.append(self._entry(EventType.UNIT_RECORDED, record, at))
        for record in updates:
            await Unit.update(column_values(self._values(record))).where(
                Unit.code == record["code"]
            )
            self.stored[record["code"]] = record
            entries.append(self._entry(EventType.UNIT_CHANGED, record, at))
        for record in [*creates, *updates]:
            if record["merged_into_code"]:
                target = await self.units_id(record["merged_into_code"])
                await Unit.update({Unit.merged_into: target}).where(Unit.code == record["code"])
        if creates or updates:
            # The unit tree decides territory containment: every worker reloads it.
            await bump_policy_version([EVERYTHING])
        return entries

    async def units_id(self, code: str) -> int | None:
        if code not in self.units.ids:
            row = await Unit.select(Unit.id).where(Unit.code == code).first()
            if row is None:
                return None
            self.units.ids[code] = row["id"]
        return self.units.ids[code]

    def _values(self, record: Record) -> dict[str, Any]:
        values = {k: v for k, v in record.items() if k not in {"parent_code", "merged_into_code"}}
        values["parent"] = (
            self.units.ids.get(record["parent_code"]) if record["parent_code"] else None
        )
        return values

    @staticmethod
    def _entry(event: EventType, record: Record, at: datetime) -> PendingEntry:
        facts = {
            **record,
            "parent": record["parent_code"],
            "merged_into": record["merged_into_code"],
            "valid_from": utc_or_none(record["valid_from"]),
            "valid_to": utc_or_none(record["valid_to"]),
        }
        return PendingEntry(event, facts, at, EntryFilters(unit_code=record["code"]))
