"""Read models of the catalogue of powers: search, one power and who holds it at an instant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.domain.effective import GrantStatus
from registry.domain.parties import Party
from registry.domain.text import fold_for_search
from registry.errors import NotFound
from registry.organisation.party_grants import grant_view
from registry.organisation.queries import (
    GrantRow,
    HolderRow,
    InstrumentRow,
    assignments_where,
    find_instrument,
)
from registry.organisation.tables import Assignment
from registry.powers.tables import Power


@dataclass(frozen=True, slots=True)
class PowerRow:
    code: str
    title_vi: str
    title_en: str
    sector: str
    holder: str
    holder_unit: str
    legal_basis_number: str | None
    legal_basis_article: str
    act_types: tuple[str, ...]
    grant_kinds: tuple[str, ...]
    non_delegable: bool
    max_depth: int
    amount_ceiling: int | None
    exclusive: bool
    valid_from: datetime
    valid_to: datetime | None

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi

    @property
    def holder_party(self) -> Party:
        return Party.parse(self.holder)

    def in_force(self, at: datetime) -> bool:
        return self.valid_from <= at and (self.valid_to is None or self.valid_to > at)


@dataclass(frozen=True, slots=True)
class PowerPage:
    power: PowerRow
    legal_basis: InstrumentRow | None
    #: Who holds the lawful holder's position at the instant (empty for a unit holder).
    lawful_persons: tuple[HolderRow, ...]
    grants_in_force: tuple[GrantRow, ...]
    other_grants: tuple[GrantRow, ...]


_COLUMNS = (
    *Power.all_columns(),
    Power.holder_unit.code.as_alias("holder_unit_code"),
    Power.legal_basis.number.as_alias("legal_basis_number"),
)


def power_row(r: Mapping[str, Any]) -> PowerRow:
    return PowerRow(
        r["code"],
        r["title_vi"],
        r["title_en"],
        r["sector"],
        r["holder"],
        r["holder_unit_code"],
        r["legal_basis_number"],
        r["legal_basis_article"],
        tuple(r["act_types"].split()),
        tuple(r["grant_kinds"].split()),
        r["non_delegable"],
        r["max_depth"],
        r["amount_ceiling"],
        r["exclusive"],
        r["valid_from"],
        r["valid_to"],
    )


def matches(power: PowerRow, words: str) -> bool:
    """Every folded word appears in the code or a title (diacritics and đ ignored)."""
    haystack = fold_for_search(f"{power.code} {power.title_vi} {power.title_en}")
    return all(word in haystack for word in fold_for_search(words).split())


async def catalogue(
    sector: str = "", q: str = "", at: datetime | None = None, after: str = "", limit: int = 0
) -> list[PowerRow]:
    """Powers by code, filtered by sector, words and being in force at `at`."""
    query = Power.select(*_COLUMNS).where(Power.code > after).order_by(Power.code)
    if sector:
        query = query.where(Power.sector == sector)
    rows = [power_row(r) for r in await query]
    found = [p for p in rows if (at is None or p.in_force(at)) and (not q.strip() or matches(p, q))]
    return found[: limit + 1] if limit else found


async def powers_held_by(parties: set[str]) -> list[PowerRow]:
    rows = await Power.select(*_COLUMNS).where(Power.holder.is_in(sorted(parties)))
    return sorted((power_row(r) for r in rows), key=lambda p: p.code)


async def find_power(code: str) -> PowerRow:
    row = await Power.select(*_COLUMNS).where(Power.code == code).first()
    if row is None:
        raise NotFound(f"power {code}")
    return power_row(row)


async def power_page(code: str, at: datetime) -> PowerPage:
    power = await find_power(code)
    basis = await find_instrument(power.legal_basis_number) if power.legal_basis_number else None
    party = power.holder_party
    persons: list[HolderRow] = []
    if party.kind == "position":
        persons = [
            h
            for h in await assignments_where(Assignment.position.code == party.code)
            if h.in_force(at)
        ]
    rows = (await grant_view(power=code)).rows(at)
    rows = [g for g in rows if g.power == code]
    return PowerPage(
        power,
        basis,
        tuple(persons),
        tuple(g for g in rows if g.status is GrantStatus.ACTIVE),
        tuple(g for g in rows if g.status is not GrantStatus.ACTIVE),
    )
