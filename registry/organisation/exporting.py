"""Export units, positions, officials, assignments, instruments and powers in the import format.

The output is deterministic (fixed column and row order), so export → import into an empty
database → export gives the same bytes. Private columns of officials are never exported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from registry.domain.validity import utc_string
from registry.organisation.tables import Assignment, Instrument, Official, Position, Unit
from registry.powers.tables import Power

FORMATS = ("csv", "json")
Row = dict[str, Any]

UNIT_COLUMNS = (
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
POSITION_COLUMNS = (
    "code",
    "unit_code",
    "title_vi",
    "title_en",
    "is_head",
    "is_deputy",
    "valid_from",
    "valid_to",
)
OFFICIAL_COLUMNS = ("code", "full_name", "display_name")
ASSIGNMENT_COLUMNS = (
    "official_code",
    "position_code",
    "valid_from",
    "valid_to",
    "instrument_number",
)
INSTRUMENT_COLUMNS = (
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
)
POWER_COLUMNS = (
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
)
#: Columns whose JSON value is a list (a `|`-separated cell in CSV).
LIST_COLUMNS = frozenset({"act_types", "grant_kinds"})


def _parents_first(rows: list[Row]) -> list[Row]:
    """Units ordered so a parent always comes before its children (then by code)."""
    by_parent: dict[str | None, list[Row]] = {}
    codes = {r["code"] for r in rows}
    for row in sorted(rows, key=lambda r: r["code"]):
        parent = row["parent_code"] if row["parent_code"] in codes else None
        by_parent.setdefault(parent, []).append(row)
    ordered: list[Row] = []
    pending = list(reversed(by_parent.get(None, [])))
    while pending:
        row = pending.pop()
        ordered.append(row)
        pending.extend(reversed(by_parent.get(row["code"], [])))
    return ordered


async def _units() -> list[Row]:
    rows = await Unit.select(
        *(getattr(Unit, c) for c in UNIT_COLUMNS if c not in {"parent_code", "merged_into_code"}),
        Unit.parent.code.as_alias("parent_code"),
        Unit.merged_into.code.as_alias("merged_into_code"),
    )
    return _parents_first(rows)


async def _positions() -> list[Row]:
    rows = await Position.select(
        *(getattr(Position, c) for c in POSITION_COLUMNS if c != "unit_code"),
        Position.unit.code.as_alias("unit_code"),
    ).order_by(Position.code)
    return list(rows)


async def _officials() -> list[Row]:
    return list(
        await Official.select(Official.code, Official.full_name, Official.display_name).order_by(
            Official.code
        )
    )


async def _assignments() -> list[Row]:
    rows = await Assignment.select(
        Assignment.official.code.as_alias("official_code"),
        Assignment.position.code.as_alias("position_code"),
        Assignment.valid_from,
        Assignment.valid_to,
        Assignment.instrument.number.as_alias("instrument_number"),
    )
    return sorted(rows, key=lambda r: (r["official_code"], r["valid_from"], r["position_code"]))


async def _instruments() -> list[Row]:
    rows = await Instrument.select(
        *(getattr(Instrument, c) for c in INSTRUMENT_COLUMNS if not c.endswith("_code")),
        Instrument.issuing_unit.code.as_alias("issuing_unit_code"),
        Instrument.signer.code.as_alias("signer_official_code"),
        Instrument.signer_position.code.as_alias("signer_position_code"),
    )
    return sorted(rows, key=lambda r: (r["signed_at"], r["number"]))


async def _powers() -> list[Row]:
    rows = await Power.select(
        *(getattr(Power, c) for c in POWER_COLUMNS if c != "legal_basis_number"),
        Power.legal_basis.number.as_alias("legal_basis_number"),
    ).order_by(Power.code)
    for row in rows:
        row["act_types"] = row["act_types"].split()
        row["grant_kinds"] = row["grant_kinds"].split()
    return list(rows)


KINDS: dict[str, tuple[tuple[str, ...], Callable[[], Any]]] = {
    "units": (UNIT_COLUMNS, _units),
    "positions": (POSITION_COLUMNS, _positions),
    "officials": (OFFICIAL_COLUMNS, _officials),
    "instruments": (INSTRUMENT_COLUMNS, _instruments),
    "assignments": (ASSIGNMENT_COLUMNS, _assignments),
    "powers": (POWER_COLUMNS, _powers),
}


def _json_value(column: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_string(value)
    if column in LIST_COLUMNS:
        return list(value or [])
    if value == "":
        return None
    return value


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return utc_string(value)
    if column in LIST_COLUMNS:
        return "|".join(value)
    return str(value)


def render(columns: Sequence[str], rows: Sequence[Row], fmt: str) -> str:
    if fmt == "json":
        items = [{c: _json_value(c, row.get(c)) for c in columns} for row in rows]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(c, row.get(c)) for c in columns])
    return buffer.getvalue()


async def export_kind(kind: str, fmt: str) -> str:
    """The whole table of one kind as CSV or JSON in the import format."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}; one of {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; csv or json")
    columns, load = KINDS[kind]
    return render(columns, await load(), fmt)
