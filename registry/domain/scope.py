"""The scope of a power or grant: territory, sectors, act types, amount ceiling, and its algebra."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from registry.domain.facts import ActFacts
from registry.domain.text import fold_for_search
from registry.domain.units import UnitTree

ALL = "*"


@dataclass(frozen=True, slots=True)
class Scope:
    """Territory (roots of unit subtrees, never empty); None sectors/act types mean all, a None
    ceiling means no ceiling. Empty sets are refused: a scope always covers something."""

    territory: frozenset[str]
    sectors: frozenset[str] | None = None
    act_types: frozenset[str] | None = None
    amount_ceiling: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "territory", frozenset(self.territory))
        if not self.territory:
            raise ValueError("a scope needs at least one unit in its territory")
        for name in ("sectors", "act_types"):
            values = getattr(self, name)
            if values is not None:
                if not values:
                    raise ValueError(f"{name} is None for all, never empty")
                object.__setattr__(self, name, frozenset(values))
        if self.amount_ceiling is not None and self.amount_ceiling < 0:
            raise ValueError(f"amount_ceiling must not be negative, got {self.amount_ceiling}")


class ScopeDimension(StrEnum):
    TERRITORY = "territory"
    SECTOR = "sector"
    ACT_TYPE = "act_type"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class Exceedance:
    """Where an inner scope leaves an outer one: the offending value and the limit, as text
    (`*` stands for all, or for no ceiling)."""

    dimension: ScopeDimension
    value: str
    limit: str


def _territory_within(inner: frozenset[str], outer: frozenset[str], tree: UnitTree) -> bool:
    return all(any(tree.is_within(root, limit) for limit in outer) for root in inner)


def _set_within(inner: frozenset[str] | None, outer: frozenset[str] | None) -> bool:
    if outer is None:
        return True
    return inner is not None and inner <= outer


def _ceiling_within(inner: int | None, outer: int | None) -> bool:
    if outer is None:
        return True
    return inner is not None and inner <= outer


def _text(values: frozenset[str] | None) -> str:
    return ALL if values is None else ", ".join(sorted(values))


def exceeded_dimensions(outer: Scope, inner: Scope, tree: UnitTree) -> list[Exceedance]:
    """Every dimension in which `inner` covers something `outer` does not."""
    found: list[Exceedance] = []
    outside = sorted(
        root
        for root in inner.territory
        if not any(tree.is_within(root, limit) for limit in outer.territory)
    )
    if outside:
        found.append(
            Exceedance(ScopeDimension.TERRITORY, ", ".join(outside), _text(outer.territory))
        )
    if not _set_within(inner.sectors, outer.sectors):
        extra = ALL if inner.sectors is None else _text(inner.sectors - (outer.sectors or set()))
        found.append(Exceedance(ScopeDimension.SECTOR, extra, _text(outer.sectors)))
    if not _set_within(inner.act_types, outer.act_types):
        extra = (
            ALL if inner.act_types is None else _text(inner.act_types - (outer.act_types or set()))
        )
        found.append(Exceedance(ScopeDimension.ACT_TYPE, extra, _text(outer.act_types)))
    if not _ceiling_within(inner.amount_ceiling, outer.amount_ceiling):
        value = ALL if inner.amount_ceiling is None else str(inner.amount_ceiling)
        found.append(Exceedance(ScopeDimension.AMOUNT, value, str(outer.amount_ceiling)))
    return found


def first_exceeded_dimension(outer: Scope, inner: Scope, tree: UnitTree) -> Exceedance | None:
    """The first of territory, sector, act type, amount in which `inner` leaves `outer`."""
    found = exceeded_dimensions(outer, inner, tree)
    return found[0] if found else None


def contains(outer: Scope, inner: Scope, tree: UnitTree) -> bool:
    """Whether every act `inner` covers is covered by `outer`."""
    return (
        _territory_within(inner.territory, outer.territory, tree)
        and _set_within(inner.sectors, outer.sectors)
        and _set_within(inner.act_types, outer.act_types)
        and _ceiling_within(inner.amount_ceiling, outer.amount_ceiling)
    )


def _minimal_roots(roots: Iterable[str], tree: UnitTree) -> frozenset[str]:
    """Drop roots already inside another root of the set."""
    unique = set(roots)
    return frozenset(
        root
        for root in unique
        if not any(other != root and tree.is_within(root, other) for other in unique)
    )


def _meet(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def intersection(a: Scope, b: Scope, tree: UnitTree) -> Scope | None:
    """The scope covering exactly the acts both cover, None when they share none."""
    shared_roots: set[str] = set()
    for x in a.territory:
        for y in b.territory:
            if tree.is_within(x, y):
                shared_roots.add(x)
            elif tree.is_within(y, x):
                shared_roots.add(y)
    sectors = _meet(a.sectors, b.sectors)
    act_types = _meet(a.act_types, b.act_types)
    if not shared_roots or sectors == frozenset() or act_types == frozenset():
        return None
    ceilings = [c for c in (a.amount_ceiling, b.amount_ceiling) if c is not None]
    return Scope(
        territory=_minimal_roots(shared_roots, tree),
        sectors=sectors,
        act_types=act_types,
        amount_ceiling=min(ceilings) if ceilings else None,
    )


def overlaps(a: Scope, b: Scope, tree: UnitTree) -> bool:
    """Whether some act is covered by both scopes."""
    return intersection(a, b, tree) is not None


def covers(scope: Scope, facts: ActFacts, tree: UnitTree) -> bool:
    """Whether the scope covers an act with these facts; an act without amount counts as 0."""
    return (
        any(tree.is_within(facts.unit, root) for root in scope.territory)
        and (scope.sectors is None or facts.sector in scope.sectors)
        and (scope.act_types is None or facts.act_type in scope.act_types)
        and (scope.amount_ceiling is None or (facts.amount or 0) <= scope.amount_ceiling)
    )


def format_amount(amount: int, lang: Literal["vi", "en"]) -> str:
    """5000000000 as `5.000.000.000 đồng` (vi) or `5,000,000,000 VND` (en)."""
    grouped = f"{amount:,}"
    return f"{grouped.replace(',', '.')} đồng" if lang == "vi" else f"{grouped} VND"


def _names(codes: frozenset[str], names: Mapping[str, str]) -> str:
    labels = [names.get(code, code) for code in codes]
    return ", ".join(sorted(labels, key=lambda label: (fold_for_search(label), label)))


def describe(
    scope: Scope,
    lang: Literal["vi", "en"],
    unit_names: Mapping[str, str],
    sector_names: Mapping[str, str] | None = None,
    act_type_names: Mapping[str, str] | None = None,
) -> str:
    """Human text for a scope; act types and the ceiling are named only when they restrict."""
    vi = lang == "vi"
    label: Callable[[str, str], str] = (lambda v, e: v) if vi else (lambda v, e: e)
    every = label("tất cả", "all")
    parts = [f"{label('Địa bàn', 'Territory')}: {_names(scope.territory, unit_names)}"]
    sectors = every if scope.sectors is None else _names(scope.sectors, sector_names or {})
    parts.append(f"{label('lĩnh vực', 'sectors')}: {sectors}")
    if scope.act_types is not None:
        act_types = _names(scope.act_types, act_type_names or {})
        parts.append(f"{label('loại việc', 'act types')}: {act_types}")
    if scope.amount_ceiling is not None:
        ceiling = format_amount(scope.amount_ceiling, lang)
        parts.append(f"{label('mức tối đa', 'ceiling')} {ceiling}")
    return "; ".join(parts)
