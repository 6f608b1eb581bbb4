"""The importer of written instruments (decisions, letters, resolutions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from registry.domain.reasons import ReasonCode
from registry.importing.engine import Record, column_values
from registry.importing.fields import FieldReader
from registry.ledger.events import EventType
from registry.ledger.journal import EntryFilters, PendingEntry
from registry.organisation.importers.common import (
    code_lookup,
    read_reference,
    utc_or_none,
)
from registry.organisation.tables import (
    INSTRUMENT_TYPES,
    SIGNATURE_FORMS,
    Instrument,
    Official,
    Position,
    Unit,
)


class InstrumentImporter:
    kind = "instruments"
    columns = frozenset(
        [
            "number",
            "type",
            "normative",
            "title_vi",
            "title_en",
            "issuing_unit_code",
            "signer_official_code",
            "signer_position_code",
            "signature_form",
            "signed_at",
            "effective_from",
            "effective_to",
            "public",
            "file_sha256",
        ]
    )
    _stored_columns = columns - {"file_sha256"}

    async def prepare(self) -> None:
        self.units = await code_lookup(Unit)
        self.officials = await code_lookup(Official)
        self.positions = await code_lookup(Position)
        rows = await Instrument.select(
            *Instrument.all_columns(),
            Instrument.issuing_unit.code.as_alias("issuing_unit_code"),
            Instrument.signer.code.as_alias("signer_official_code"),
            Instrument.signer_position.code.as_alias("signer_position_code"),
        )
        self.stored = {r["number"]: self._record(r) for r in rows}

    def _record(self, r: dict[str, Any]) -> Record:
        record = {k: r.get(k) for k in self.columns}
        for k in ("issuing_unit_code", "signer_official_code", "signer_position_code"):
            record[k] = record[k] or ""
        record["file_sha256"] = record["file_sha256"] or ""
        return record

    def parse(self, reader: FieldReader) -> Record | None:
        record: Record = {
            "number": reader.text("number", max_length=80),
            "type": reader.choice("type", INSTRUMENT_TYPES),
            "normative": reader.flag("normative"),
            "title_vi": reader.text("title_vi", required=False, max_length=500),
            "title_en": reader.text("title_en", required=False, max_length=500),
            "issuing_unit_code": read_reference(
                reader, self.units, "issuing_unit_code", required=False
            ),
            "signer_official_code": read_reference(
                reader, self.officials, "signer_official_code", required=False
            ),
            "signer_position_code": read_reference(
                reader, self.positions, "signer_position_code", required=False
            ),
            "signature_form": reader.choice(
                "signature_form", SIGNATURE_FORMS, required=False, default="direct"
            ),
            "signed_at": reader.instant("signed_at"),
            "effective_from": reader.instant("effective_from", required=False),
            "effective_to": reader.instant("effective_to", required=False),
            "public": reader.flag("public", default=True),
            "file_sha256": reader.text("file_sha256", required=False, max_length=64).lower(),
        }
        sha = record["file_sha256"]
        if sha and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
            reader.refuse(ReasonCode.INVALID_FORMAT, "file_sha256", line=0)
        return record

    def key(self, record: Record) -> str:
        return str(record["number"])

    def existing(self, key: str) -> Record | None:
        return self.stored.get(key)

    def _values(self, record: Record) -> dict[str, Any]:
        values = {k: v for k, v in record.items() if not k.endswith("_code")}
        values["file_sha256"] = record["file_sha256"] or None
        values["issuing_unit"] = self.units.ids.get(record["issuing_unit_code"])
        values["signer"] = self.officials.ids.get(record["signer_official_code"])
        values["signer_position"] = self.positions.ids.get(record["signer_position_code"])
        return values

    async def write(
        self, creates: Sequence[Record], updates: Sequence[Record], at: datetime
    ) -> list[PendingEntry]:
        rows = [Instrument(**self._values(r)) for r in creates]
        for start in range(0, len(rows), 500):
            await Instrument.insert(*rows[start : start + 500])
        for record in updates:
            await Instrument.update(column_values(self._values(record))).where(
                Instrument.number == record["number"]
            )
        entries = []
        for record in [*creates, *updates]:
            self.stored[record["number"]] = record
            if not record["public"]:
                continue
            facts = {
                **record,
                "issuing_unit": record["issuing_unit_code"] or None,
                "signer": record["signer_official_code"] or None,
                "signer_position": record["signer_position_code"] or None,
                "signed_at": utc_or_none(record["signed_at"]),
                "effective_from": utc_or_none(record["effective_from"]),
                "effective_to": utc_or_none(record["effective_to"]),
                "file_sha256": record["file_sha256"] or None,
            }
            entries.append(
                PendingEntry(
                    EventType.INSTRUMENT_RECORDED,
                    facts,
                    at,
                    EntryFilters(unit_code=record["issuing_unit_code"]),
                )
            )
        return entries
