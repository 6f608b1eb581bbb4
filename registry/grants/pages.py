"""Grant pages for leaders and registrars: dashboard, wizard, grant page, life events, lookup."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from litestar import Request, get, route
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from registry.accounts.actor import Actor
from registry.authz.guard import PUBLIC_ROUTE, actor_of, permission
from registry.authz.holders import holders_at
from registry.authz.permissions import Action, Resource
from registry.errors import Forbidden, InvalidInput, NotFound, Refused
from registry.grants import dashboard as board
from registry.grants import lifecycle, wizard
from registry.grants.queries import grant_detail
from registry.grants.services import make_grant, precheck_grant
from registry.grants.views import Holding, chain_parties, chain_units, form_errors, load_names
from registry.organisation import uploads
from registry.organisation.queries import parse_at
from registry.settings import Settings

Req = Request[Any, Any, Any]


def settings_of(request: Req) -> Settings:
    settings: Settings = request.app.state["settings"]
    return settings


def asks_for(request: Req, target_id: str) -> bool:
    """htmx asks for this element only (not a boosted or history request for the page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-request-type", "partial") != "full"
        and request.headers.get("hx-target", "").endswith(f"#{target_id}")
    )


def page(request: Req, template: str, status_code: int = 200, **context: Any) -> Template:
    actor = actor_of(request)
    return Template(
        template,
        status_code=status_code,
        context={"current_user": actor if actor.username else None, **context},
    )


async def read_form(request: Req) -> tuple[dict[str, list[str]], list[UploadFile]]:
    form = await request.form()
    values: dict[str, list[str]] = {}
    files: list[UploadFile] = []
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                files.append(value)
        else:
            values.setdefault(key, []).append(str(value))
    return values, files


def first(values: Mapping[str, list[str]], name: str) -> str:
    return (values.get(name) or [""])[0].strip()


# ---------------------------------------------------------------- dashboard


@get("/dashboard", name="dashboard:index", opt=permission(Resource.GRANTS, Action.GRANT))
async def dashboard_page(request: Req, party: FromQuery[str] = "") -> Template:
    """What I hold, gave and received; what needs me (registrars: for the units they serve)."""
    model = await board.dashboard(actor_of(request), datetime.now(UTC), party)
    return page(request, "dashboard/index.html", model=model)


# ---------------------------------------------------------------- the grant wizard


async def _wizard_context(actor: Actor, holding_key: str, party: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    acting = await board.acting_for(actor, now)
    parties = frozenset({party}) if party in acting.parties else acting.parties
    holdings = [h for h in await board.holdings_of(parties, now) if h.may_pass_on]
    holding = wizard.holding_from(holding_key, holdings) if holding_key else None
    options = await wizard.options_for(holding, now) if holding else None
    chains = [link for h in holdings for link in h.chain]
    names = await load_names(
        chain_parties(chains) | {h.holder for h in holdings},
        {h.power for h in holdings},
        {u.code for u in options.units} if options else chain_units(chains),
    )
    return {
        "holdings": holdings,
        "holding": holding,
        "options": options,
        "names": names,
        "acting": acting,
        "party": party,
    }


def _defaults(options: wizard.WizardOptions | None) -> dict[str, list[str]]:
    if options is None:
        return {}
    holding = options.holding
    source = holding.chain[-1]
    return {
        "power": [holding.power],
        "grantor": [holding.holder],
        "parent": [str(holding.parent or 0)],
        "kind": [options.kinds[0].value] if options.kinds else [],
        "territory": list(source.territory),
        "sectors": list(source.sectors or ()),
        "act_types": list(options.act_types),
    }


@route(
    "/grants/new",
    http_method=["GET", "POST"],
    name="grants:new",
    opt=permission(Resource.GRANTS, Action.GRANT),
    request_max_body_size=24 * 1024 * 1024,
)
async def grant_wizard(
    request: Req, holding: FromQuery[str] = "", party: FromQuery[str] = ""
) -> Template | Redirect:
    """Choose a power I may pass on, then the grant form; POST records it (303 to its page)."""
    actor = actor_of(request)
    if request.method == "GET":
        context = await _wizard_context(actor, holding, party)
        return page(
            request, "grants/new.html", values=_defaults(context["options"]), errors=[], **context
        )
    values, files = await read_form(request)
    context = await _wizard_context(actor, first(values, "holding"), first(values, "party"))
    content = await files[0].read() if files else b""
    upload_problems = uploads.upload_problems(content, "instrument_file") if files else []
    sha = uploads.file_digest(content) if files and not upload_problems else ""
    grant_values = wizard.grant_values(
        values, context["holding"] or _none_holding(values), context["acting"].registrar, sha or ""
    )
    try:
        if upload_problems:
            _, reasons = await precheck_grant(grant_values, actor)
            raise Refused([*upload_problems, *reasons])
        outcome = await make_grant(grant_values, actor)
    except (InvalidInput, Refused) as refusal:
        return page(
            request,
            "grants/new.html",
            status_code=refusal.status,
            values=values,
            errors=form_errors(refusal.reasons),
            **context,
        )
    if sha:
        uploads.store_file(settings_of(request).data_dir, sha, content)
    assert outcome.lineage is not None
    return Redirect(
        request.app.route_reverse("public:grant", grant_id=outcome.lineage), status_code=303
    )


def _none_holding(values: Mapping[str, list[str]]) -> Holding:
    """A form posted without a holding this actor has: the services decide (and refuse)."""
    return Holding(first(values, "power"), first(values, "grantor"), None, "law", False, None, [])


@route(
    "/grants/precheck",
    http_method=["POST"],
    name="grants:precheck_form",
    opt=permission(Resource.GRANTS, Action.GRANT),
    status_code=200,
)
async def precheck_form(request: Req) -> Template:
    """Validation as you type: the reasons (same codes as the API) or the chain it would join."""
    actor = actor_of(request)
    values, _files = await read_form(request)
    context = await _wizard_context(actor, first(values, "holding"), first(values, "party"))
    grant_values = wizard.grant_values(
        values, context["holding"] or _none_holding(values), context["acting"].registrar
    )
    outcome, reasons = await precheck_grant(grant_values, actor)
    chain = list(context["holding"].chain) if context["holding"] and outcome else []
    names = context["names"]
    if outcome is not None:
        names = names.merged(await load_names({grant_values["grantee"]}))
    return page(
        request,
        "grants/_precheck.html",
        errors=form_errors(reasons),
        outcome=outcome,
        chain=chain,
        names=names,
        values=grant_values,
    )


@get(
    "/grants/grantees", name="grants:grantee_search", opt=permission(Resource.GRANTS, Action.GRANT)
)
async def grantee_search(
    request: Req, q: FromQuery[str] = "", grantee: FromQuery[str] = ""
) -> Template:
    """Units, positions and officials by name or code; htmx gets the matches list only."""
    query = q or grantee
    matches = await wizard.search_parties(query) if len(query.strip()) >= 2 else []
    template = (
        "grants/_grantees.html" if asks_for(request, "grantee-matches") else "grants/grantees.html"
    )
    return page(request, template, matches=matches, q=query)


# ---------------------------------------------------------------- one grant


@get("/grants/{grant_id:int}", name="public:grant", opt=PUBLIC_ROUTE)
async def grant_page(request: Req, grant_id: FromPath[int], at: FromQuery[str] = "") -> Template:
    """Status in plain words, chain up and down, versions, history, actions for who may act."""
    when = parse_at(at, settings_of(request).zone)
    detail = await grant_detail(grant_id, when)
    actor = actor_of(request)
    may = await _may_act(actor, grant_id, when) if actor.username else frozenset()
    subs = [await grant_detail(lineage, when) for lineage in detail.sub_grants]
    parties = chain_parties(detail.chain) | {s.grant.grantee for s in subs}
    names = await load_names(
        parties, {detail.grant.power}, set(detail.grant.territory) | chain_units(detail.chain)
    )
    return page(
        request,
        "grants/detail.html",
        detail=detail,
        subs=subs,
        names=names,
        may=may,
        at_text=at,
        at=when,
    )


async def _may_act(actor: Actor, grant_id: int, at: datetime) -> frozenset[str]:
    loaded = await lifecycle._load(grant_id)
    acting = await lifecycle.acting_as(actor, loaded.record, at)
    found = set()
    if loaded.record.grantor in acting:
        found |= {"amend", "suspend", "resume", "revoke"}
    if loaded.record.grantee in acting:
        found.add("renounce")
    return frozenset(found)


_EVENTS = {
    "suspend": (lifecycle.suspend_grant, Action.SUSPEND),
    "resume": (lifecycle.resume_grant, Action.SUSPEND),
    "renounce": (lifecycle.renounce_grant, Action.RENOUNCE),
    "revoke": (lifecycle.revoke_grant, Action.REVOKE),
    "amend": (lifecycle.amend_grant, Action.AMEND),
}


async def _event_page(request: Req, grant_id: int, event: str) -> Template | Redirect:
    """GET shows the form (revocation: with the grants that will fall); POST records the event."""
    detail = await grant_detail(grant_id)
    impact = await lifecycle.preview_revocation(grant_id) if event == "revoke" else None
    names = await load_names(
        chain_parties(detail.chain), {detail.grant.power}, set(detail.grant.territory)
    )
    context: dict[str, Any] = {"detail": detail, "event": event, "impact": impact, "names": names}
    if request.method == "GET":
        return page(
            request,
            f"grants/{'amend' if event == 'amend' else 'event'}.html",
            values={},
            errors=[],
            **context,
        )
    values, _files = await read_form(request)
    # No event form uploads a file: a posted hash would claim a file nobody has.
    flat = {
        k: " ".join(v) if k in ("territory", "sectors", "act_types") else v[0]
        for k, v in values.items()
        if not k.startswith("_") and k != "instrument_file_sha256"
    }
    flat = {k: v for k, v in flat.items() if v.strip() or k in ("sectors", "act_types")}
    action, _ = _EVENTS[event]
    try:
        await action(grant_id, flat, actor_of(request))
    except (InvalidInput, Refused) as refusal:
        return page(
            request,
            f"grants/{'amend' if event == 'amend' else 'event'}.html",
            status_code=refusal.status,
            values=values,
            errors=form_errors(refusal.reasons),
            **context,
        )
    return Redirect(request.app.route_reverse("public:grant", grant_id=grant_id), status_code=303)


def _event_route(event: str) -> Any:
    _, action = _EVENTS[event]

    async def handler(request: Req, grant_id: FromPath[int]) -> Template | Redirect:
        return await _event_page(request, grant_id, event)

    handler.__doc__ = f"{event.capitalize()} a grant: the form, then the change (303)."
    handler.__name__ = f"grant_{event}"
    return route(
        f"/grants/{{grant_id:int}}/{event}",
        http_method=["GET", "POST"],
        name=f"grants:{event}",
        opt=permission(Resource.GRANTS, action),
    )(handler)


EVENT_ROUTES = [_event_route(event) for event in _EVENTS]


# ---------------------------------------------------------------- who may sign?


@get("/lookup", name="public:lookup", opt=PUBLIC_ROUTE)
async def lookup_page(
    request: Req, power: FromQuery[str] = "", unit: FromQuery[str] = "", on: FromQuery[str] = ""
) -> Template:
    """Who could sign under power P in unit U on day D, each with the chain behind it."""
    when = parse_at(on, settings_of(request).zone)
    powers = await wizard.find_power(power) if power.strip() else []
    units = await wizard.find_unit(unit) if unit.strip() else []
    holders = []
    if len(powers) == 1 and len(units) == 1:
        try:
            holders = await holders_at(powers[0].code, units[0].code, when)
        except NotFound:
            holders = []
    chains = [link for h in holders for link in h.chain]
    names = await load_names(
        chain_parties(chains) | {str(h.holder) for h in holders},
        {p.code for p in powers},
        chain_units(chains) | {u.code for u in units},
    )
    return page(
        request,
        "public/lookup.html",
        powers=powers,
        units=units,
        holders=holders,
        names=names,
        query={"power": power, "unit": unit, "on": on},
        at=when,
    )


PAGE_ROUTES = [
    dashboard_page,
    grant_wizard,
    precheck_form,
    grantee_search,
    grant_page,
    *EVENT_ROUTES,
    lookup_page,
]
__all__ = ["PAGE_ROUTES", "Forbidden"]
