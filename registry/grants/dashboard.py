"""What a leader (or a registrar for their units) holds, gave and received, and what needs them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from registry.accounts.actor import Actor
from registry.authz.check import build_chain
from registry.domain.effective import GrantStatus, in_force_map, status_at
from registry.domain.grants import GrantRecord
from registry.domain.parties import Party, PartyKind
from registry.grants import repository
from registry.grants.queries import GrantView, list_grants
from registry.grants.views import Holding, Names, chain_parties, load_names
from registry.organisation.tables import Position, Unit
from registry.powers.tables import Power

EXPIRY_WINDOW = timedelta(days=30)
#: Above this many parties one scan of all grants is cheaper than a query per party.
_PER_PARTY_LIMIT = 12


@dataclass(frozen=True, slots=True)
class Acting:
    """Whom the actor acts for: their own posts (leader) or the units of their domain."""

    parties: frozenset[str]
    registrar: bool
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Dashboard:
    acting: Acting
    holdings: list[Holding]
    given: dict[str, list[GrantView]]
    received: list[GrantView]
    expiring: list[GrantView]
    troubled_sources: list[GrantView]
    names: Names
    at: datetime
    party: str = ""
    counts: dict[str, int] = field(default_factory=dict)


GIVEN_GROUPS = (
    "active",
    "not_yet_in_force",
    "expiring",
    "suspended",
    "expired",
    "revoked",
    "void_upstream",
    "renounced",
)


async def _domain_parties(units: Iterable[str], at: datetime) -> set[str]:
    tree = await repository.unit_tree()
    roots = list(units)
    unit_rows = await Unit.select(Unit.code)
    found = {
        f"unit:{r['code']}"
        for r in unit_rows
        if any(root == "*" or tree.is_within(r["code"], root) for root in roots)
    }
    positions = await Position.select(Position.code, Position.unit.code.as_alias("unit"))
    found |= {f"position:{r['code']}" for r in positions if f"unit:{r['unit']}" in found}
    return found


async def acting_for(actor: Actor, at: datetime) -> Acting:
    """A leader acts as the positions they hold now (and as themselves); a registrar for every
    unit and position in the subtrees of their registrar roles."""
    parties: set[str] = set()
    if actor.official_code and (actor.has_role("leader") or actor.is_admin):
        own = await repository.identities(Party(PartyKind.OFFICIAL, actor.official_code), at)
        parties |= {str(p) for p in own}
    registrar_units = actor.role_units("registrar") + (["*"] if actor.is_admin else [])
    domain = await _domain_parties(registrar_units, at) if registrar_units else set()
    choices = tuple(sorted(p for p in domain if p.startswith("position:")))
    return Acting(frozenset(parties | domain), bool(domain), choices)


async def holdings_of(parties: frozenset[str], at: datetime) -> list[Holding]:
    """Powers held now by law or by a grant in force, each with its chain from the law."""
    found: list[Holding] = []
    lawful = await Power.select(
        Power.code, Power.holder, Power.grant_kinds, Power.non_delegable
    ).where(Power.holder.is_in(sorted(parties)))
    by_power: dict[str, list[GrantRecord]] = {}
    for row in lawful:
        delegable = bool(row["grant_kinds"].split()) and not row["non_delegable"]
        chain = await build_chain(row["code"], f"law:{row['code']}", at)
        found.append(Holding(row["code"], row["holder"], None, "law", delegable, None, chain))
    received = await grants_where(parties, "grantee", at)
    for view in received:
        if view.status not in (GrantStatus.ACTIVE, GrantStatus.SUSPENDED):
            continue
        if view.power not in by_power:
            by_power[view.power] = await repository.grant_records(power=view.power)
        chain = await build_chain(view.power, f"grant:{view.lineage}", at, by_power[view.power])
        found.append(
            Holding(
                view.power,
                view.grantee,
                view.lineage,
                view.kind,
                view.may_pass_on and view.status == GrantStatus.ACTIVE,
                view.valid_to,
                chain,
                view.status,
            )
        )
    return sorted(found, key=lambda h: (h.power, h.parent or 0))


async def grants_where(parties: frozenset[str], side: str, at: datetime) -> list[GrantView]:
    if not parties:
        return []
    if len(parties) <= _PER_PARTY_LIMIT:
        views: list[GrantView] = []
        for party in sorted(parties):
            if side == "grantor":
                page, _ = await list_grants(at=at, limit=10_000, grantor=party)
            else:
                page, _ = await list_grants(at=at, limit=10_000, grantee=party)
            views.extend(page)
        return sorted({v.lineage: v for v in views}.values(), key=lambda v: v.lineage)
    every, _ = await list_grants(at=at, limit=100_000)
    return [v for v in every if getattr(v, side) in parties]


def expiring(view: GrantView, at: datetime, window: timedelta = EXPIRY_WINDOW) -> bool:
    return (
        view.status == GrantStatus.ACTIVE
        and view.valid_to is not None
        and view.valid_to - at <= window
    )


def _group(view: GrantView, at: datetime) -> str:
    return "expiring" if expiring(view, at) else view.status


async def troubled_sources(holdings: list[Holding], at: datetime) -> list[GrantView]:
    """Grants up my chains that are suspended, revoked or void now: what I hold hangs on them."""
    lineages = {link.grant for h in holdings for link in h.chain if link.grant is not None}
    if not lineages:
        return []
    records = await repository.grant_records(lineages=lineages)
    everything = {r.power for r in records}
    troubled: list[GrantView] = []
    for power in sorted(everything):
        all_records = await repository.grant_records(power=power)
        intervals = in_force_map(all_records)
        latest = {r.id: r for r in sorted(all_records, key=lambda r: r.version)}
        for lineage in sorted(lineages & latest.keys()):
            status = status_at(latest[lineage], intervals.get(lineage, ()), at)
            if status in (GrantStatus.SUSPENDED, GrantStatus.REVOKED, GrantStatus.VOID_UPSTREAM):
                views, _ = await list_grants(power=power, at=at, after=lineage - 1, limit=1)
                troubled.extend(v for v in views if v.lineage == lineage)
    return troubled


async def dashboard(actor: Actor, at: datetime, party: str = "") -> Dashboard:
    acting = await acting_for(actor, at)
    parties = acting.parties
    if party and party in parties:
        chosen = frozenset({party})
        if party.startswith("position:"):
            holders = await repository.holders_of_position(party.split(":", 1)[1], at)
            chosen |= {f"official:{h['official_code']}" for h in holders}
        parties = chosen
    holdings = await holdings_of(parties, at)
    given_views = await grants_where(parties, "grantor", at)
    received = await grants_where(parties, "grantee", at)
    given: dict[str, list[GrantView]] = {group: [] for group in GIVEN_GROUPS}
    for view in given_views:
        given.setdefault(_group(view, at), []).append(view)
    soon = [v for v in (*given_views, *received) if expiring(v, at)]
    troubled = await troubled_sources(holdings, at)
    mentioned = chain_parties([link for h in holdings for link in h.chain])
    mentioned |= {p for v in (*given_views, *received, *troubled) for p in (v.grantor, v.grantee)}
    powers = {h.power for h in holdings} | {v.power for v in (*given_views, *received)}
    names = await load_names(mentioned | set(acting.choices), powers)
    counts = {group: len(rows) for group, rows in given.items()}
    return Dashboard(
        acting,
        holdings,
        given,
        received,
        sorted(soon, key=lambda v: v.valid_to or at),
        troubled,
        names,
        at,
        party,
        counts,
    )
