"""Coverage of powers over units at one instant, and what an inspector should look at: gaps,
overlaps, orphaned grants, concentration, open-ended authorizations, grants about to expire.
Pure: the caller passes what is in force (the authority engine's rows) and who is in post."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations

from registry.domain.scope import ALL, Scope, overlaps
from registry.domain.units import UnitTree

EXPIRY_WINDOW = timedelta(days=30)
DEFAULT_CONCENTRATION = 25


@dataclass(frozen=True, slots=True)
class Holding:
    """One policy row in force at the instant: who may exercise a power, where, from what."""

    power: str
    holder: str
    source: str
    scope: Scope
    #: The grant the row comes from (None for the lawful holder), read once from `source`.
    grant: int | None = field(init=False, compare=False)

    def __post_init__(self) -> None:
        grant = int(self.source.split(":", 1)[1]) if self.source.startswith("grant:") else None
        object.__setattr__(self, "grant", grant)


@dataclass(frozen=True, slots=True)
class GrantInfo:
    """What the findings need to know about a grant in force (its current version)."""

    id: int
    power: str
    kind: str
    grantor: str
    grantee: str
    parent: int | None
    valid_to: datetime | None


@dataclass(frozen=True, slots=True)
class PowerInfo:
    code: str
    title: str
    holder_unit: str
    exclusive: bool


@dataclass(frozen=True, slots=True)
class MatrixRow:
    power: str
    title: str
    #: Holder count per column; None where the unit lies outside the power's lawful territory.
    counts: list[int | None]


@dataclass(frozen=True, slots=True)
class Gap:
    power: str
    unit: str


@dataclass(frozen=True, slots=True)
class Overlap:
    power: str
    first: Holding
    second: Holding


@dataclass(frozen=True, slots=True)
class Orphan:
    grant: GrantInfo
    vacant: str


@dataclass(frozen=True, slots=True)
class Concentration:
    official: str
    powers: int


@dataclass(slots=True)
class CoverageReport:
    at: datetime
    columns: list[str]
    rows: list[MatrixRow] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    concentration: list[Concentration] = field(default_factory=list)
    open_authorizations: list[GrantInfo] = field(default_factory=list)
    expiring: list[GrantInfo] = field(default_factory=list)
    threshold: int = DEFAULT_CONCENTRATION


def _words(text: str) -> frozenset[str] | None:
    return None if text.strip() in ("", ALL) else frozenset(text.split())


def scope_from_row(row: Sequence[str]) -> Scope:
    ceiling = row[5].strip()
    return Scope(
        territory=frozenset(row[2].split()),
        sectors=_words(row[3]),
        act_types=_words(row[4]),
        amount_ceiling=None if ceiling in ("", ALL) else int(ceiling),
    )


def holding_from_row(row: Sequence[str], scope: Scope | None = None) -> Holding:
    """A policy row `sub, power, territory, sectors, act_types, ceiling, vfrom, vto, source`."""
    return Holding(
        power=row[1],
        holder=row[0],
        source=row[8],
        scope=scope if scope is not None else scope_from_row(row),
    )


def in_force_rows(rows: Iterable[Sequence[str]], at: str) -> list[Holding]:
    """Rows whose [vfrom, vto) contains `at` (fixed-width UTC strings compare as time)."""
    return [holding_from_row(r) for r in rows if r[6] <= at < r[7]]


#: A policy row read once: its validity (fixed-width UTC strings) and what it holds.
ReadRow = tuple[str, str, Holding]


def read_rows(
    rows: Iterable[Sequence[str]], scopes: dict[tuple[str, str, str, str], Scope] | None = None
) -> list[ReadRow]:
    """Every row parsed once; rows with the same scope text share one `Scope` (pass `scopes`
    to share them with rows parsed in other calls)."""
    scopes = {} if scopes is None else scopes
    read: list[ReadRow] = []
    for r in rows:
        key = (r[2], r[3], r[4], r[5])
        scope = scopes.get(key)
        if scope is None:
            scope = scopes[key] = scope_from_row(r)
        read.append((r[6], r[7], holding_from_row(r, scope)))
    return read


def in_force(rows: Iterable[ReadRow], at: str) -> list[Holding]:
    """`in_force_rows` over rows read once."""
    return [holding for valid_from, valid_to, holding in rows if valid_from <= at < valid_to]


def _covered_columns(territory: Iterable[str], columns: Sequence[str], tree: UnitTree) -> set[int]:
    return {
        i for i, unit in enumerate(columns) if any(tree.is_within(unit, root) for root in territory)
    }


def matrix(
    holdings: Sequence[Holding],
    powers: Mapping[str, PowerInfo],
    columns: Sequence[str],
    tree: UnitTree,
    staffed: frozenset[str],
) -> tuple[list[MatrixRow], list[Gap]]:
    """Distinct holders in post per power and unit; a gap is a lawful cell nobody can fill."""
    # Most rows cover every column (a province-wide territory) or one: the holders covering all
    # columns are kept once per power instead of once per cell.
    everywhere: dict[str, set[str]] = defaultdict(set)
    holders: dict[tuple[str, int], set[str]] = defaultdict(set)
    column_cache: dict[frozenset[str], set[int]] = {}
    for holding in holdings:
        if holding.holder not in staffed:
            continue
        territory = holding.scope.territory
        covered = column_cache.get(territory)
        if covered is None:
            covered = column_cache[territory] = _covered_columns(territory, columns, tree)
        if len(covered) == len(columns):
            everywhere[holding.power].add(holding.holder)
            continue
        for i in covered:
            holders[(holding.power, i)].add(holding.holder)
    rows: list[MatrixRow] = []
    gaps: list[Gap] = []
    for code in sorted(powers):
        power = powers[code]
        lawful = column_cache.get(frozenset({power.holder_unit}))
        if lawful is None:
            lawful = column_cache[frozenset({power.holder_unit})] = _covered_columns(
                (power.holder_unit,), columns, tree
            )
        counts: list[int | None] = []
        common = everywhere.get(code, set())
        for i, unit in enumerate(columns):
            if i not in lawful:
                counts.append(None)
                continue
            here = holders.get((code, i))
            count = len(common) + (len(here - common) if here else 0)
            counts.append(count)
            if count == 0:
                gaps.append(Gap(code, unit))
        rows.append(MatrixRow(code, power.title, counts))
    return rows, gaps


def _ancestors(grant: int | None, grants: Mapping[int, GrantInfo]) -> set[int]:
    found: set[int] = set()
    while grant is not None and grant not in found and grant in grants:
        found.add(grant)
        grant = grants[grant].parent
    return found


def find_overlaps(
    holdings: Sequence[Holding],
    powers: Mapping[str, PowerInfo],
    grants: Mapping[int, GrantInfo],
    tree: UnitTree,
) -> list[Overlap]:
    """Two holders of one exclusive power through grants of separate branches, whose scopes
    meet: the same act could be signed by either (a grantee and its own grantor are one branch)."""
    by_power: dict[str, list[Holding]] = defaultdict(list)
    for holding in holdings:
        info = powers.get(holding.power)
        if info is not None and info.exclusive and holding.grant is not None:
            by_power[holding.power].append(holding)
    found: list[Overlap] = []
    for power, candidates in sorted(by_power.items()):
        seen: set[tuple[int | None, int | None]] = set()
        for a, b in combinations(candidates, 2):
            if a.holder == b.holder or (a.grant, b.grant) in seen:
                continue
            if a.grant in _ancestors(b.grant, grants) or b.grant in _ancestors(a.grant, grants):
                continue
            if overlaps(a.scope, b.scope, tree):
                seen.add((a.grant, b.grant))
                found.append(Overlap(power, a, b))
    return found


def find_orphans(grants: Iterable[GrantInfo], vacant_positions: frozenset[str]) -> list[Orphan]:
    """Grants in force whose grantor's or grantee's position has nobody in post."""
    found: list[Orphan] = []
    for grant in grants:
        for party in (grant.grantor, grant.grantee):
            if party in vacant_positions:
                found.append(Orphan(grant, party))
                break
    return found


def find_concentration(
    holdings: Sequence[Holding],
    identities: Mapping[str, frozenset[str]],
    threshold: int,
) -> list[Concentration]:
    """Officials who, through their posts (and units they head), hold more than `threshold`."""
    powers_of: dict[str, set[str]] = defaultdict(set)
    for holding in holdings:
        powers_of[holding.holder].add(holding.power)
    found = []
    for official, parties in identities.items():
        held: set[str] = set()
        for party in parties:
            held |= powers_of.get(party, set())
        if len(held) > threshold:
            found.append(Concentration(official, len(held)))
    return sorted(found, key=lambda c: (-c.powers, c.official))


def open_authorizations(grants: Iterable[GrantInfo]) -> list[GrantInfo]:
    return [g for g in grants if g.kind == "authorization" and g.valid_to is None]


def expiring(
    grants: Iterable[GrantInfo], at: datetime, window: timedelta = EXPIRY_WINDOW
) -> list[GrantInfo]:
    return sorted(
        (g for g in grants if g.valid_to is not None and at < g.valid_to <= at + window),
        key=lambda g: (g.valid_to, g.id),
    )
