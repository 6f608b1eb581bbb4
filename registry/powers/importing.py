"""Importer for the catalogue of powers (natural key: power code)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from registry.authz.projection import refresh_powers
from registry.domain.kinds import GrantKind
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import ReasonCode
from registry.domain.validity import utc_string
from registry.importing.engine import Record, column_values
from registry.importing.fields import FieldReader
from registry.ledger.events import EventType
from registry.ledger.journal import EntryFilters, PendingEntry
from registry.organisation.tables import Instrument, Position, Unit
from registry.powers.sectors import SECTORS
from registry.powers.tables import Power

KIND_ORDER = [kind.value for kind in GrantKind]


class PowerImporter:
    kind = "powers"
    columns = frozenset(
        [
            "code",
            "title_vi",
            "title_en",
            "sector",
            "legal_basis_number",
            "legal_basis_article",
            "holder",
            "act_types",
            "grant_kinds",
            "non_delegable",
            "max_depth",
            "amount_ceiling",
            "exclusive",
            "valid_from",
            "valid_to",
        ]
    )

    async def prepare(self) -> None:
        self.units = {r["code"]: r["id"] for r in await Unit.select(Unit.id, Unit.code)}
        self.positions = {
            r["code"]: (r["id"], r["unit_code"])
            for r in await Position.select(
                Position.id, Position.code, Position.unit.code.as_alias("unit_code")
            )
        }
        self.instruments = {
            r["number"]: r["id"] for r in await Instrument.select(Instrument.id, Instrument.number)
        }
        self.instrument_start = {
            r["number"]: r["effective_from"] or r["signed_at"]
            for r in await Instrument.select(
                Instrument.number, Instrument.effective_from, Instrument.signed_at
            )
        }
        rows = await Power.select(
            *Power.all_columns(), Power.legal_basis.number.as_alias("legal_basis_number")
        )
        self.stored = {r["code"]: self._record(r) for r in rows}

    def _record(self, r: dict[str, Any]) -> Record:
        record = {k: r.get(k) for k in self.columns}
        record["legal_basis_number"] = record["legal_basis_number"] or ""
        record["act_types"] = r["act_types"].split()
        record["grant_kinds"] = r["grant_kinds"].split()
        return record

    def parse(self, reader: FieldReader) -> Record | None:
        record: Record = {
            "code": reader.code("code"),
            "title_vi": reader.text("title_vi", max_length=500),
            "title_en": reader.text("title_en", required=False, max_length=500),
            "sector": reader.choice("sector", SECTORS),
            "legal_basis_number": reader.text("legal_basis_number", required=False, max_length=80),
            "legal_basis_article": reader.text("legal_basis_article", required=False),
            "holder": reader.text("holder", max_length=80),
            "act_types": reader.words("act_types"),
            "grant_kinds": sorted(
                set(reader.words("grant_kinds", allowed=KIND_ORDER)), key=KIND_ORDER.index
            ),
            "non_delegable": reader.flag("non_delegable"),
            "max_depth": reader.integer("max_depth", minimum=0, maximum=10) or 0,
            "amount_ceiling": reader.integer("amount_ceiling"),
            "exclusive": reader.flag("exclusive"),
            "valid_from": reader.instant("valid_from", required=False),
            "valid_to": reader.instant("valid_to", required=False),
        }
        number = record["legal_basis_number"]
        if record["valid_from"] is None:
            # A power is in force from its legal basis unless the file says otherwise.
            record["valid_from"] = self.instrument_start.get(number)
            if record["valid_from"] is None:
                reader.refuse(ReasonCode.FIELD_REQUIRED, "valid_from")
        if number and number not in self.instruments:
            reader.refuse(ReasonCode.UNKNOWN_REFERENCE, "legal_basis_number", value=number)
        if record["holder"] and self.holder_unit(record["holder"]) is None:
            reader.refuse(ReasonCode.UNKNOWN_REFERENCE, "holder", value=record["holder"])
        return record

    def holder_unit(self, holder: str) -> str | None:
        try:
            party = Party.parse(holder)
        except ValueError:
            return None
        if party.kind is PartyKind.POSITION and party.code in self.positions:
            return self.positions[party.code][1]
        if party.kind is PartyKind.UNIT and party.code in self.units:
            return party.code
        return None

    def key(self, record: Record) -> str:
        return str(record["code"])

    def existing(self, key: str) -> Record | None:
        return self.stored.get(key)

    def _values(self, record: Record) -> dict[str, Any]:
        values = {k: v for k, v in record.items() if k != "legal_basis_number"}
        values["legal_basis"] = self.instruments.get(record["legal_basis_number"])
        values["holder_unit"] = self.units[self.holder_unit(record["holder"]) or ""]
        values["act_types"] = " ".join(record["act_types"])
        values["grant_kinds"] = " ".join(record["grant_kinds"])
        return values

    async def write(
        self, creates: Sequence[Record], updates: Sequence[Record], at: datetime
    ) -> list[PendingEntry]:
        rows = [Power(**self._values(r)) for r in creates]
        for start in range(0, len(rows), 500):
            await Power.insert(*rows[start : start + 500])
        for record in updates:
            await Power.update(column_values(self._values(record))).where(
                Power.code == record["code"]
            )
        entries = []
        for record in [*creates, *updates]:
            self.stored[record["code"]] = record
            facts = {
                **record,
                "legal_basis": record["legal_basis_number"] or None,
                "holder_unit": self.holder_unit(record["holder"]),
                "valid_from": utc_string(record["valid_from"]),
                "valid_to": utc_string(record["valid_to"]) if record["valid_to"] else None,
            }
            entries.append(
                PendingEntry(
                    EventType.POWER_DEFINED,
                    facts,
                    at,
                    EntryFilters(
                        power_code=record["code"],
                        sector=record["sector"],
                        unit_code=facts["holder_unit"] or "",
                    ),
                )
            )
        await refresh_powers([record["code"] for record in [*creates, *updates]])
        return entries
