"""The public state of the registry as one comparable value: what the ledger must reproduce."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from registry.domain.validity import utc_string
from registry.tables import (
    Act,
    Assignment,
    Grant,
    GrantEvent,
    Instrument,
    Official,
    Position,
    Power,
    Unit,
)


def _t(value: datetime | None) -> str | None:
    return utc_string(value) if value else None


async def public_state() -> dict[str, Any]:
    """Units, positions, officials (public fields), public instruments, assignments, powers,
    grants with every version and event, and acts with their verdicts."""
    units = {
        r["code"]: (
            r["name_vi"],
            r["name_en"],
            r["kind"],
            r["tier"],
            r["parent_code"],
            r["works_collectively"],
            _t(r["valid_from"]),
            _t(r["valid_to"]),
            r["merged_code"],
        )
        for r in await Unit.select(
            *Unit.all_columns(),
            Unit.parent.code.as_alias("parent_code"),
            Unit.merged_into.code.as_alias("merged_code"),
        )
    }
    positions = {
        r["code"]: (
            r["unit_code"],
            r["title_vi"],
            r["title_en"],
            r["is_head"],
            r["is_deputy"],
            _t(r["valid_from"]),
            _t(r["valid_to"]),
        )
        for r in await Position.select(
            *Position.all_columns(), Position.unit.code.as_alias("unit_code")
        )
    }
    officials = {
        r["code"]: (r["full_name"], r["display_name"])
        for r in await Official.select(Official.code, Official.full_name, Official.display_name)
    }
    public_numbers = {
        r["number"]
        for r in await Instrument.select(Instrument.number).where(Instrument.public == True)  # noqa: E712
    }
    instruments = {
        r["number"]: (
            r["type"],
            r["normative"],
            r["title_vi"],
            _t(r["signed_at"]),
            r["file_sha256"],
        )
        for r in await Instrument.select(*Instrument.all_columns())
        if r["number"] in public_numbers
    }
    assignments = sorted(
        (
            r["official_code"],
            r["position_code"],
            _t(r["valid_from"]),
            _t(r["valid_to"]),
            r["instrument_number"] if r["instrument_number"] in public_numbers else None,
        )
        for r in await Assignment.select(
            Assignment.official.code.as_alias("official_code"),
            Assignment.position.code.as_alias("position_code"),
            Assignment.valid_from,
            Assignment.valid_to,
            Assignment.instrument.number.as_alias("instrument_number"),
        )
    )
    powers = {
        r["code"]: (
            r["title_vi"],
            r["title_en"],
            r["sector"],
            r["legal_basis_number"],
            r["legal_basis_article"],
            r["holder"],
            r["holder_unit_code"],
            r["act_types"],
            r["grant_kinds"],
            r["non_delegable"],
            r["max_depth"],
            r["amount_ceiling"],
            r["exclusive"],
            _t(r["valid_from"]),
            _t(r["valid_to"]),
        )
        for r in await Power.select(
            *Power.all_columns(),
            Power.legal_basis.number.as_alias("legal_basis_number"),
            Power.holder_unit.code.as_alias("holder_unit_code"),
        )
    }
    grants = {
        f"{r['lineage']}.{r['version']}": (
            r["kind"],
            r["power_code"],
            r["grantor"],
            r["grantee"],
            r["parent_lineage"],
            r["depth"],
            r["territory"],
            r["sectors"],
            r["act_types"],
            r["amount_ceiling"],
            _t(r["valid_from"]),
            _t(r["valid_to"]),
            _t(r["effective_from"]),
            r["may_pass_on"],
            r["state"],
            _t(r["ended_at"]),
            r["instrument_number"],
            r["responsible"],
        )
        for r in await Grant.select(
            *Grant.all_columns(),
            Grant.power.code.as_alias("power_code"),
            Grant.instrument.number.as_alias("instrument_number"),
        )
    }
    events = sorted(
        (r["lineage"], r["event"], _t(r["at"]), r["reason"], r["instrument_number"] or None)
        for r in await GrantEvent.select(
            GrantEvent.lineage,
            GrantEvent.event,
            GrantEvent.at,
            GrantEvent.reason,
            GrantEvent.instrument.number.as_alias("instrument_number"),
        )
    )
    acts = {
        f"{r['issuing_code']}|{r['number']}|{_t(r['signed_at'])}": (
            r["power_code"],
            r["signer_code"],
            r["position_code"],
            r["signature_form"],
            r["unit_code"],
            r["sector"],
            r["act_type"],
            r["amount"],
            r["verdict"],
            r["reasons"],
        )
        for r in await Act.select(
            *Act.all_columns(),
            Act.issuing_unit.code.as_alias("issuing_code"),
            Act.power.code.as_alias("power_code"),
            Act.signer.code.as_alias("signer_code"),
            Act.signer_position.code.as_alias("position_code"),
            Act.unit.code.as_alias("unit_code"),
        )
    }
    return {
        "units": units,
        "positions": positions,
        "officials": officials,
        "instruments": instruments,
        "assignments": assignments,
        "powers": powers,
        "grants": grants,
        "grant_events": events,
        "acts": acts,
    }
