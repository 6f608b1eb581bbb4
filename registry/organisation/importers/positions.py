"""The importer of positions in units."""

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
    Position,
    Unit,
)


class PositionImporter:
    kind = "positions"
    columns = frozenset(
        [
            "code",
            "unit_code",
            "title_vi",
            "title_en",
            "is_head",
            "is_deputy",
            "valid_from",
            "valid_to",
        ]
    )

    async def prepare(self) -> None:
        self.units = await code_lookup(Unit)
        self.positions = await code_lookup(Position)
        rows = await Position.select(
            *Position.all_columns(), Position.unit.code.as_alias("unit_code")
        )
        self.stored = {r["code"]: {k: r[k] for k in self.columns} for r in rows}

    def parse(self, reader: FieldReader) -> Record | None:
        record: Record = {
            "code": reader.code("code"),
            "unit_code": read_reference(reader, self.units, "unit_code", required=True),
            "title_vi": reader.text("title_vi"),
            "title_en": reader.text("title_en", required=False),
            "is_head": reader.flag("is_head"),
            "is_deputy": reader.flag("is_deputy"),
        }
        read_validity(reader, record)
        if record["is_head"] and record["is_deputy"]:
            reader.refuse(ReasonCode.INVALID_CHOICE, "is_deputy", value="true")
        return record

    def key(self, record: Record) -> str:
        return str(record["code"])

    def existing(self, key: str) -> Record | None:
        return self.stored.get(key)

    async def write(
        self, creates: Sequence[Record], updates: Sequence[Record], at: datetime
    ) -> list[PendingEntry]:
        await bulk_insert(Position, [self._values(r) for r in creates])
        for record in updates:
            await Position.update(column_values(self._values(record))).where(
                Position.code == record["code"]
            )
        entries = []
        for record in [*creates, *updates]:
            self.stored[record["code"]] = record
            facts = {
                **record,
                "unit": record["unit_code"],
                "valid_from": utc_or_none(record["valid_from"]),
                "valid_to": utc_or_none(record["valid_to"]),
            }
            entries.append(
                PendingEntry(
                    EventType.POSITION_RECORDED,
                    facts,
                    at,
                    EntryFilters(unit_code=record["unit_code"]),
                )
            )
        # Who holds which post decides who acts as whom: checks reload their facts.
        await bump_policy_version([])
        return entries

    def _values(self, record: Record) -> dict[str, Any]:
        values = {k: v for k, v in record.items() if k != "unit_code"}
        values["unit"] = self.units.ids[record["unit_code"]]
        return values
