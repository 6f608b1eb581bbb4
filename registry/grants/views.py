"""Rows the grant pages show: names of parties and powers, holdings, form errors tied to fields."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from registry.authz.check import ChainLink
from registry.domain.parties import Party, PartyKind
from registry.domain.scope import Scope, describe
from registry.errors import AnyReason
from registry.organisation.tables import Official, Position, Unit
from registry.powers.sectors import SECTOR_LABELS
from registry.powers.tables import Power

Lang = Literal["vi", "en"]

#: Where a reason's field lands on the grant form (the rules speak of `scope.territory`,
#: the form has one `territory` group of checkboxes).
_FORM_FIELDS = {
    "scope.territory": "territory",
    "scope.sectors": "sectors",
    "scope.act_types": "act_types",
    "scope.amount_ceiling": "amount_ceiling",
    "parent_id": "power",
    "parent": "power",
    "instrument.number": "instrument",
    "instrument.type": "instrument_type",
    "instrument.normative": "instrument_normative",
    "instrument.signed_at": "instrument_signed_at",
    "grantor": "power",
    "recorded_for": "power",
}


@dataclass(frozen=True, slots=True)
class FormError:
    """A reason as the form shows it: same code and messages, the field renamed to the form's."""

    code: str
    field: str | None
    message_vi: str
    message_en: str


def form_errors(reasons: Iterable[AnyReason]) -> list[FormError]:
    found = []
    for reason in reasons:
        body = reason.as_json()
        name = reason.field
        found.append(
            FormError(
                code=str(reason.code),
                field=_FORM_FIELDS.get(name, name) if name else None,
                message_vi=str(body["message_vi"]),
                message_en=str(body["message_en"]),
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class Names:
    """Names in both languages of the parties, units and powers a page mentions."""

    units: dict[str, tuple[str, str]] = field(default_factory=dict)
    positions: dict[str, tuple[str, str]] = field(default_factory=dict)
    officials: dict[str, str] = field(default_factory=dict)
    powers: dict[str, tuple[str, str]] = field(default_factory=dict)

    def unit(self, code: str, lang: str = "vi") -> str:
        vi, en = self.units.get(code, (code, code))
        return en or vi if lang == "en" else vi

    def power(self, code: str, lang: str = "vi") -> str:
        vi, en = self.powers.get(code, (code, code))
        return en or vi if lang == "en" else vi

    def party(self, text: str | Party | None, lang: str = "vi") -> str:
        if not text:
            return ""
        try:
            party = text if isinstance(text, Party) else Party.parse(str(text))
        except ValueError:
            return str(text)
        if party.kind is PartyKind.UNIT:
            return self.unit(party.code, lang)
        if party.kind is PartyKind.POSITION:
            vi, en = self.positions.get(party.code, (party.code, party.code))
            return en or vi if lang == "en" else vi
        return self.officials.get(party.code, party.code)

    def scope(self, scope: Scope, lang: str = "vi") -> str:
        units = {code: self.unit(code, lang) for code in scope.territory}
        sectors = {code: (vi if lang == "vi" else en) for code, (vi, en) in SECTOR_LABELS.items()}
        return describe(scope, "en" if lang == "en" else "vi", units, sectors)

    def link_scope(self, link: ChainLink, lang: str = "vi") -> str:
        return self.scope(
            Scope(
                territory=frozenset(link.territory),
                sectors=frozenset(link.sectors) if link.sectors else None,
                act_types=frozenset(link.act_types) if link.act_types else None,
                amount_ceiling=link.amount_ceiling,
            ),
            lang,
        )

    def merged(self, other: Names) -> Names:
        return Names(
            {**self.units, **other.units},
            {**self.positions, **other.positions},
            {**self.officials, **other.officials},
            {**self.powers, **other.powers},
        )


async def load_names(
    parties: Iterable[str] = (), powers: Iterable[str] = (), units: Iterable[str] = ()
) -> Names:
    """Only the names asked for: a page about three grants reads three rows, not the registry."""
    unit_codes: set[str] = set(units)
    position_codes: set[str] = set()
    official_codes: set[str] = set()
    for text in parties:
        try:
            party = Party.parse(text)
        except ValueError:
            continue
        {
            PartyKind.UNIT: unit_codes,
            PartyKind.POSITION: position_codes,
            PartyKind.OFFICIAL: official_codes,
        }[party.kind].add(party.code)
    names = Names()
    if unit_codes:
        rows = await Unit.select(Unit.code, Unit.name_vi, Unit.name_en).where(
            Unit.code.is_in(sorted(unit_codes))
        )
        names.units.update({r["code"]: (r["name_vi"], r["name_en"]) for r in rows})
    if position_codes:
        rows = await Position.select(Position.code, Position.title_vi, Position.title_en).where(
            Position.code.is_in(sorted(position_codes))
        )
        names.positions.update({r["code"]: (r["title_vi"], r["title_en"]) for r in rows})
    if official_codes:
        rows = await Official.select(Official.code, Official.full_name).where(
            Official.code.is_in(sorted(official_codes))
        )
        names.officials.update({r["code"]: r["full_name"] for r in rows})
    if powers := sorted(set(powers)):
        rows = await Power.select(Power.code, Power.title_vi, Power.title_en).where(
            Power.code.is_in(powers)
        )
        names.powers.update({r["code"]: (r["title_vi"], r["title_en"]) for r in rows})
    return names


def chain_parties(chain: Sequence[ChainLink]) -> set[str]:
    return {p for link in chain for p in (link.grantor, link.grantee) if p}


def chain_units(chain: Sequence[ChainLink]) -> set[str]:
    return {code for link in chain for code in link.territory}


@dataclass(frozen=True, slots=True)
class Holding:
    """A power a party holds now: by law, or by a grant in force; with its chain."""

    power: str
    holder: str
    parent: int | None
    via: str
    may_pass_on: bool
    valid_to: datetime | None
    chain: list[ChainLink]
    status: str = "active"

    @property
    def key(self) -> str:
        """One form value naming power, source and grantor (`DD-03~18~unit:SNNMT`)."""
        return f"{self.power}~{self.parent or 0}~{self.holder}"


def parse_holding_key(text: str) -> tuple[str, int | None, str] | None:
    parts = text.split("~")
    if len(parts) != 3 or not parts[0] or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]) or None, parts[2]
