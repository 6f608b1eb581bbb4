"""Read a grant request (a form or a JSON body) into a domain proposal, or the reasons it fails."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.domain.kinds import GrantKind
from registry.domain.parties import Party
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.scope import Scope
from registry.domain.validity import Validity
from registry.importing.fields import FieldReader
from registry.organisation.tables import INSTRUMENT_TYPES

KINDS = tuple(kind.value for kind in GrantKind)


@dataclass(frozen=True, slots=True)
class InstrumentDraft:
    """An instrument typed in with the grant (number, type, date); created with it if new."""

    number: str
    type: str
    normative: bool
    signed_at: datetime | None
    title_vi: str
    file_sha256: str


@dataclass(frozen=True, slots=True)
class GrantRequest:
    """Everything a grant request says, typed; the rules run on `proposal()`."""

    power: str
    kind: GrantKind
    grantor: Party
    grantee: Party
    parent: int | None
    scope: Scope
    validity: Validity
    may_pass_on: bool | None
    conditions_vi: str
    conditions_en: str
    instrument: InstrumentDraft
    recorded_for: Party | None


def flatten(values: Mapping[str, Any]) -> dict[str, Any]:
    """JSON bodies nest the scope and may nest the instrument; forms send flat fields."""
    flat = {k: v for k, v in values.items() if k not in {"scope", "instrument"}}
    scope = values.get("scope")
    if isinstance(scope, Mapping):
        flat.update(scope)
    instrument = values.get("instrument")
    if isinstance(instrument, Mapping):
        flat.update(
            {f"instrument_{k}" if k != "number" else "instrument": v for k, v in instrument.items()}
        )
    elif instrument is not None:
        flat["instrument"] = instrument
    return flat


def _party(reader: FieldReader, name: str, required: bool = True) -> Party | None:
    text = reader.text(name, required=required, max_length=80)
    if not text:
        return None
    try:
        return Party.parse(text)
    except ValueError:
        reader.refuse(ReasonCode.INVALID_PARTY, name, value=text)
        return None


def read_grant_request(values: Mapping[str, Any]) -> tuple[GrantRequest | None, list[Reason]]:
    reader = FieldReader(flatten(values))
    power = reader.code("power")
    kind = reader.choice("kind", KINDS)
    grantor = _party(reader, "grantor")
    grantee = _party(reader, "grantee")
    parent = reader.integer("parent", minimum=1, maximum=2**31 - 1)
    territory = reader.words("territory")
    if not territory:
        reader.refuse(ReasonCode.FIELD_REQUIRED, "scope.territory")
    sectors = reader.words("sectors")
    act_types = reader.words("act_types")
    ceiling = reader.integer("amount_ceiling")
    start = reader.instant("valid_from")
    end = reader.instant("valid_to", required=False)
    raw_pass_on = reader.values.get("may_pass_on")
    may_pass_on = None if raw_pass_on in (None, "") else reader.flag("may_pass_on")
    conditions_vi = reader.text("conditions_vi", required=False, max_length=2000, multiline=True)
    conditions_en = reader.text("conditions_en", required=False, max_length=2000, multiline=True)
    instrument = InstrumentDraft(
        number=reader.text("instrument", max_length=80),
        type=reader.choice("instrument_type", INSTRUMENT_TYPES, required=False),
        normative=reader.flag("instrument_normative"),
        signed_at=reader.instant("instrument_signed_at", required=False),
        title_vi=reader.text("instrument_title_vi", required=False, max_length=500),
        file_sha256=reader.text("instrument_file_sha256", required=False, max_length=64).lower(),
    )
    recorded_for = _party(reader, "recorded_for", required=False)
    if not reader.ok or grantor is None or grantee is None or start is None:
        return None, reader.reasons
    request = GrantRequest(
        power=power,
        kind=GrantKind(kind),
        grantor=grantor,
        grantee=grantee,
        parent=parent,
        scope=Scope(
            territory=frozenset(territory),
            sectors=frozenset(sectors) or None,
            act_types=frozenset(act_types) or None,
            amount_ceiling=ceiling,
        ),
        validity=Validity(start, end),
        may_pass_on=may_pass_on,
        conditions_vi=conditions_vi,
        conditions_en=conditions_en,
        instrument=instrument,
        recorded_for=recorded_for,
    )
    return request, []
