"""Importers for units, positions, officials, assignments and instruments (natural keys)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from registry.authz.engine import EVERYTHING
from registry.authz.projection import bump_policy_version
from registry.domain.reasons import ReasonCode
from registry.domain.validity import utc_string
from registry.importing.engine import Record, column_values
from registry.importing.fields import FieldReader
from registry.ledger.events import EventType
from registry.ledger.journal import EntryFilters, PendingEntry
from registry.organisation.tables import (
    INSTRUMENT_TYPES,
    SIGNATURE_FORMS,
    UNIT_KINDS,
    Assignment,
    Instrument,
    Official,
    Position,
    Unit,
)


def _ts(value: datetime | None) -> str | None:
    return utc_string(value) if value is not None else None


class _CodeLookup:
    """Codes to ids of one table, plus codes that appear earlier in the file being imported."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.pending: set[str] = set()

    def knows(self, code: str) -> bool:
        return code in self.ids or code in self.pending


async def _lookup(table: Any) -> _CodeLookup:
    lookup = _CodeLookup()
    for row in await table.select(table.id, table.code):
        lookup.ids[row["code"]] = row["id"]
    return lookup


async def _bulk_insert(table: Any, rows: Sequence[dict[str, Any]], chunk: int = 400) -> None:
    """Insert plain rows with one multi-row statement per chunk; building a Piccolo object per
    row cost more than the database did on imports of 20,000 rows."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    one = "(" + ", ".join("{}" for _ in columns) + ")"
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        args = [row[name] for row in part for name in columns]
        sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES ' + ", ".join(
            [one] * len(part)
        )
        await table.raw(sql, *args)


def _reference(reader: FieldReader, lookup: _CodeLookup, name: str, required: bool) -> str:
    code = reader.code(name, required=required)
    if code and not lookup.knows(code):
        reader.refuse(ReasonCode.UNKNOWN_REFERENCE, name, value=code)
        return ""
    return code


def _validity(reader: FieldReader, record: Record) -> None:
    start = reader.instant("valid_from")
    end = reader.instant("valid_to", required=False)
    if start and end and end <= start:
        reader.refuse(ReasonCode.END_NOT_AFTER_START, "valid_to")
    record["valid_from"], record["valid_to"] = start, end


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
        self.units = await _lookup(Unit)
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
            "parent_code": _reference(reader, self.units, "parent_code", required=False) or None,
            "works_collectively": reader.flag("works_collectively"),
            # A merger target may come later in the file: resolved after every row is written.
            "merged_into_code": reader.code("merged_into_code", required=False) or None,
        }
        _validity(reader, record)
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
            "valid_from": _ts(record["valid_from"]),
            "valid_to": _ts(record["valid_to"]),
        }
        return PendingEntry(event, facts, at, EntryFilters(unit_code=record["code"]))


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
        self.units = await _lookup(Unit)
        self.positions = await _lookup(Position)
        rows = await Position.select(
            *Position.all_columns(), Position.unit.code.as_alias("unit_code")
        )
        self.stored = {r["code"]: {k: r[k] for k in self.columns} for r in rows}

    def parse(self, reader: FieldReader) -> Record | None:
        record: Record = {
            "code": reader.code("code"),
            "unit_code": _reference(reader, self.units, "unit_code", required=True),
            "title_vi": reader.text("title_vi"),
            "title_en": reader.text("title_en", required=False),
            "is_head": reader.flag("is_head"),
            "is_deputy": reader.flag("is_deputy"),
        }
        _validity(reader, record)
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
        await _bulk_insert(Position, [self._values(r) for r in creates])
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
                "valid_from": _ts(record["valid_from"]),
                "valid_to": _ts(record["valid_to"]),
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


class OfficialImporter:
    kind = "officials"
    columns = frozenset(["code", "full_name", "display_name", "staff_number", "email", "phone"])

    async def prepare(self) -> None:
        rows = await Official.select(*(getattr(Official, c) for c in sorted(self.columns)))
        self.stored = {r["code"]: {k: r[k] or "" for k in self.columns} for r in rows}

    def parse(self, reader: FieldReader) -> Record | None:
        full_name = reader.text("full_name")
        record: Record = {
            "code": reader.code("code"),
            "full_name": full_name,
            "display_name": reader.text("display_name", required=False) or full_name,
            "staff_number": reader.text("staff_number", required=False, max_length=40),
            "email": reader.text("email", required=False),
            "phone": reader.text("phone", required=False, max_length=40),
        }
        if record["email"] and "@" not in record["email"]:
            reader.refuse(ReasonCode.INVALID_FORMAT, "email", line=0)
        # A file without the private columns (a public export) keeps what is stored.
        stored = self.stored.get(record["code"])
        for name in ("staff_number", "email", "phone"):
            if name not in reader.values:
                record[name] = stored[name] if stored else ""
        return record

    def key(self, record: Record) -> str:
        return str(record["code"])

    def existing(self, key: str) -> Record | None:
        return self.stored.get(key)

    async def write(
        self, creates: Sequence[Record], updates: Sequence[Record], at: datetime
    ) -> list[PendingEntry]:
        await _bulk_insert(
            Official,
            [
                {
                    **{
                        k: (v or None) if k in {"staff_number", "email", "phone"} else v
                        for k, v in r.items()
                    },
                    "created_at": at,
                }
                for r in creates
            ],
        )
        for record in updates:
            values: dict[Column | str, Any] = {
                k: (v or None) if k in {"staff_number", "email", "phone"} else v
                for k, v in record.items()
            }
            await Official.update(values).where(Official.code == record["code"])
        entries = []
        for record in [*creates, *updates]:
            self.stored[record["code"]] = record
            # Only public fields are passed on; the allow-list would drop the rest anyway.
            public = {k: record[k] for k in ("code", "full_name", "display_name")}
            entries.append(PendingEntry(EventType.OFFICIAL_RECORDED, public, at))
        return entries


class AssignmentImporter:
    kind = "assignments"
    columns = frozenset(
        ["official_code", "position_code", "valid_from", "valid_to", "instrument_number"]
    )

    async def prepare(self) -> None:
        self.officials = await _lookup(Official)
        self.positions = await _lookup(Position)
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
            "official_code": _reference(reader, self.officials, "official_code", required=True),
            "position_code": _reference(reader, self.positions, "position_code", required=True),
            "instrument_number": reader.text("instrument_number", required=False, max_length=80),
        }
        _validity(reader, record)
        number = record["instrument_number"]
        if number and number not in self.instruments:
            reader.refuse(ReasonCode.UNKNOWN_REFERENCE, "instrument_number", value=number)
        return record

    def key(self, record: Record) -> str:
        return f"{record['official_code']}@{record['position_code']}@{_ts(record['valid_from'])}"

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
        await _bulk_insert(Assignment, [self._values(r) for r in creates])
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
            "valid_from": _ts(record["valid_from"]),
            "valid_to": _ts(record["valid_to"]),
            "instrument": record["instrument_number"] or None,
        }
        unit = record["position_code"].split(".", 1)[0]
        return PendingEntry(event, facts, at, EntryFilters(unit_code=unit))


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
        self.units = await _lookup(Unit)
        self.officials = await _lookup(Official)
        self.positions = await _lookup(Position)
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
            "issuing_unit_code": _reference(
                reader, self.units, "issuing_unit_code", required=False
            ),
            "signer_official_code": _reference(
                reader, self.officials, "signer_official_code", required=False
            ),
            "signer_position_code": _reference(
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
                "signed_at": _ts(record["signed_at"]),
                "effective_from": _ts(record["effective_from"]),
                "effective_to": _ts(record["effective_to"]),
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
