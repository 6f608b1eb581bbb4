"""Public pages of the organisation, no login, read-only: unit tree, unit, position, official."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Request, get
from litestar.exceptions import NoRouteMatchFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from registry.authz.guard import PUBLIC_ROUTE, actor_of, allows
from registry.authz.permissions import Action, Resource
from registry.domain.parties import Party, PartyKind
from registry.organisation import party_grants, queries
from registry.organisation.orphans import OrphanedGrant
from registry.powers.queries import powers_held_by
from registry.settings import Settings

_PARTY_ROUTES = {
    PartyKind.UNIT: ("public:unit", "code"),
    PartyKind.POSITION: ("public:position", "code"),
    PartyKind.OFFICIAL: ("public:official", "code"),
}


@dataclass(frozen=True, slots=True)
class AsOf:
    """The instant a page shows, and the `at` text it was asked with (empty: now)."""

    at: datetime
    text: str


class Links:
    """Links to the public pages of related things, only for routes that exist."""

    def __init__(self, request: Request[Any, Any, Any], as_of: AsOf) -> None:
        self.request = request
        self.as_of = as_of

    def _reverse(self, name: str, **params: Any) -> str | None:
        if self.request.app.get_handler_index_by_name(name) is None:
            return None
        try:
            url = self.request.app.route_reverse(name, **params)
        except NoRouteMatchFoundException:
            return None
        return f"{url}?at={self.as_of.text}" if self.as_of.text else url

    def unit(self, code: str) -> str | None:
        return self._reverse("public:unit", code=code)

    def position(self, code: str) -> str | None:
        return self._reverse("public:position", code=code)

    def official(self, code: str) -> str | None:
        return self._reverse("public:official", code=code)

    def power(self, code: str) -> str | None:
        return self._reverse("public:power", code=code)

    def grant(self, grant_id: int) -> str | None:
        return self._reverse("public:grant", grant_id=grant_id)

    def party(self, party: Party | str) -> str | None:
        parsed = Party.parse(party) if isinstance(party, str) else party
        name, key = _PARTY_ROUTES[parsed.kind]
        return self._reverse(name, **{key: parsed.code})


def settings_of(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state["settings"]
    return settings


def as_of(request: Request[Any, Any, Any], at: str) -> AsOf:
    return AsOf(queries.parse_at(at, settings_of(request).zone), at.strip())


def page(request: Request[Any, Any, Any], template: str, when: AsOf, **context: Any) -> Template:
    return Template(template, context={"as_of": when, "links": Links(request, when), **context})


@get("/units", name="public:units", opt=PUBLIC_ROUTE)
async def units_page(request: Request[Any, Any, Any], at: FromQuery[str] = "") -> Template:
    """The unit tree as it stood at `at` (default now)."""
    when = as_of(request, at)
    tree = queries.build_tree(await queries.all_units(), when.at)
    return page(request, "public/units.html", when, tree=tree)


@dataclass(frozen=True, slots=True)
class UnitPage:
    unit: queries.UnitRow
    parent: queries.UnitRow | None
    children: list[queries.UnitRow]
    positions: list[queries.PositionRow]
    powers: list[Any]
    grants_out: list[queries.GrantRow]
    grants_in: list[queries.GrantRow]
    orphaned: list[OrphanedGrant]


async def unit_page_model(code: str, at: datetime) -> UnitPage:
    unit = await queries.find_unit(code)
    units = await queries.all_units()
    parent = next((u for u in units if u.code == unit.parent_code), None)
    children = [u for u in units if u.parent_code == code and u.exists_at(at)]
    positions = await queries.positions_of_unit(code)
    parties = {f"unit:{code}", *(f"position:{p.code}" for p in positions)}
    view = await party_grants.grant_view(parties)
    rows = view.rows(at)
    return UnitPage(
        unit,
        parent,
        children,
        positions,
        await powers_held_by(parties),
        [g for g in rows if str(g.grantor) in parties],
        [g for g in rows if str(g.grantee) in parties],
        await party_grants.orphans_among(parties, at),
    )


@get("/units/{code:str}", name="public:unit", opt=PUBLIC_ROUTE)
async def unit_page(
    request: Request[Any, Any, Any], code: FromPath[str], at: FromQuery[str] = ""
) -> Template:
    """One unit: positions and their holders, powers held by law, grants in and out."""
    when = as_of(request, at)
    model = await unit_page_model(code, when.at)
    manage = allows(actor_of(request), Resource.UNITS, Action.UPDATE)
    return page(request, "public/unit.html", when, model=model, can_manage=manage)


@get("/positions/{code:str}", name="public:position", opt=PUBLIC_ROUTE)
async def position_page(
    request: Request[Any, Any, Any], code: FromPath[str], at: FromQuery[str] = ""
) -> Template:
    """One position: its holders over time, powers and grants, orphaned grants."""
    when = as_of(request, at)
    position = await queries.find_position(code)
    unit = await queries.find_unit(position.unit_code)
    party = {f"position:{code}"}
    rows = (await party_grants.grant_view(party)).rows(when.at, party)
    return page(
        request,
        "public/position.html",
        when,
        position=position,
        unit=unit,
        powers=await powers_held_by(party),
        grants=rows,
        orphaned=await party_grants.orphans_among(party, when.at),
        can_manage=allows(actor_of(request), Resource.ASSIGNMENTS, Action.UPDATE),
    )


@get("/officials/{code:str}", name="public:official", opt=PUBLIC_ROUTE)
async def official_page(
    request: Request[Any, Any, Any], code: FromPath[str], at: FromQuery[str] = ""
) -> Template:
    """The public profile: display name and positions held over time, nothing private."""
    when = as_of(request, at)
    display_name, history = await queries.official_history(code)
    return page(
        request,
        "public/official.html",
        when,
        code=code,
        display_name=display_name,
        history=history,
        current=[h for h in history if h.in_force(when.at)],
    )


PAGE_ROUTES: list[Any] = [units_page, unit_page, position_page, official_page]
