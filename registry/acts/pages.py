"""Inspectors' pages (acts, import, drift, cases) and the public accountability page."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from registry.acts import cases as case_service
from registry.acts.bundle import case_bundle
from registry.acts.charts import bar_chart, chain_diagram, is_exceeded_link
from registry.acts.drift import drift_csv, drift_report
from registry.acts.importing import import_acts_bytes
from registry.acts.indicators import unit_indicators
from registry.acts.records import read_act
from registry.acts.services import ActFilters, act_detail, list_acts, record_act
from registry.acts.verdicts import VERDICTS, exceeded_ceiling
from registry.authz.guard import PUBLIC_ROUTE, actor_of, permission
from registry.authz.permissions import Action, Resource
from registry.domain.reasons import Reason
from registry.errors import AnyReason, RegistryError
from registry.importing.fields import FieldReader
from registry.powers.sectors import sector_label
from registry.web.i18n import current_language

ACTS_READ = permission(Resource.ACTS, Action.READ)
CASES_READ = permission(Resource.CASES, Action.READ)


async def _form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    form = await request.form()
    return {key: form.get(key) for key in form}


@get("/inspect/acts", name="inspect:acts", opt=ACTS_READ)
async def acts_page(
    verdict: FromQuery[str] = "",
    unit: FromQuery[str] = "",
    power: FromQuery[str] = "",
    month: FromQuery[str] = "",
    after: FromQuery[int | None] = None,
) -> Template:
    """Traced acts, newest first, filtered by verdict, unit, power and month."""
    filters = ActFilters(verdict, unit.strip(), power.strip(), month.strip())
    rows, cursor = await list_acts(filters, after)
    return Template(
        "acts/list.html",
        context={"rows": rows, "cursor": cursor, "filters": filters, "verdicts": VERDICTS},
    )


@get("/inspect/acts/{act_id:int}", name="inspect:act", opt=ACTS_READ)
async def act_page(act_id: FromPath[int]) -> Template:
    """An act: verdict, reasons, the frozen chain as a diagram, its ledger entries."""
    act = await act_detail(act_id)
    signer = f"official:{act.signer}" if act.signer else None
    exceeded = exceeded_ceiling(act.reasons)
    return Template(
        "acts/detail.html",
        context={
            "act": act,
            "sector": sector_label(act.sector, current_language.get()),
            "diagram": chain_diagram(act.chain, signer, exceeded),
            "exceeded_links": [is_exceeded_link(link, exceeded) for link in act.chain],
        },
    )


@get("/inspect/acts/new", name="acts:new", opt=permission(Resource.ACTS, Action.RECORD))
async def new_act_page() -> Template:
    return Template("acts/new.html", context={"values": {}, "errors": []})


@post("/inspect/acts/new", name="acts:create", opt=permission(Resource.ACTS, Action.RECORD))
async def create_act_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Record one act from the form, trace it, and go to its page."""
    values = await _form(request)
    reader = FieldReader(values)
    act = read_act(reader)
    if act is None:
        return Template(
            "acts/new.html", context={"values": values, "errors": reader.reasons}, status_code=422
        )
    try:
        act_id = await record_act(act, actor_of(request))
    except RegistryError as refusal:
        # An unknown signer, position, power or unit: the form again, the reason by its field.
        errors = [_on_form(reason) for reason in refusal.reasons]
        return Template(
            "acts/new.html",
            context={"values": values, "errors": errors},
            status_code=refusal.status,
        )
    return Redirect(request.app.route_reverse("inspect:act", act_id=act_id), status_code=303)


#: The form's name of a field the tracing speaks of (`signer` is `signer_official_code` there).
_FORM_FIELDS = {
    "signer": "signer_official_code",
    "position": "signer_position_code",
    "power": "power_code",
    "unit": "unit_code",
}


def _on_form(reason: AnyReason) -> AnyReason:
    if isinstance(reason, Reason) and reason.field in _FORM_FIELDS:
        return dataclasses.replace(reason, field=_FORM_FIELDS[reason.field])
    return reason


@get("/inspect/import", name="inspect:import", opt=permission(Resource.ACTS, Action.IMPORT))
async def import_page() -> Template:
    return Template("acts/import.html", context={"report": None})


@post("/inspect/import", name="inspect:import_upload", opt=permission(Resource.ACTS, Action.IMPORT))
async def import_upload(request: Request[Any, Any, Any]) -> Template:
    """Import a CSV or JSON file of acts and show the report (rows refused, verdicts)."""
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return Template(
            "acts/import.html", context={"report": None, "missing": True}, status_code=400
        )
    report = await import_acts_bytes(
        await upload.read(), upload.filename or "acts.csv", actor=actor_of(request)
    )
    return Template("acts/import.html", context={"report": report})


@get("/inspect/drift", name="inspect:drift", opt=ACTS_READ)
async def drift_page() -> Template:
    """Counts by verdict, unit, power and month, the worst offenders, as tables and charts."""
    report = await drift_report()
    outside = {str(v): "bar-outside" for v in VERDICTS if v != "within_authority"}
    charts = {
        "verdict": bar_chart([(c.key, c.total) for c in report.by_verdict], classes=outside),
        "month": bar_chart([(c.key, c.outside) for c in report.by_month]),
        "unit": bar_chart([(c.key, c.outside) for c in report.by_unit[:10]]),
        "power": bar_chart([(c.key, c.outside) for c in report.by_power[:10]]),
    }
    return Template("acts/drift.html", context={"report": report, "charts": charts})


@get("/inspect/drift.csv", name="inspect:drift_csv", opt=permission(Resource.ACTS, Action.EXPORT))
async def drift_export() -> Response[str]:
    return Response(
        drift_csv(await drift_report(top=1000)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="drift.csv"'},
    )


@get("/inspect/cases", name="inspect:cases", opt=CASES_READ)
async def cases_page() -> Template:
    return Template(
        "cases/list.html",
        context={"cases": await case_service.list_cases(), "values": {}, "errors": []},
    )


@post("/inspect/cases", name="inspect:case_open", opt=permission(Resource.CASES, Action.CREATE))
async def open_case(request: Request[Any, Any, Any]) -> Response[Any]:
    """Open a case and sample its acts (all, or a seeded random sample)."""
    values = await _form(request)
    try:
        case_id = await case_service.open_case(values, actor_of(request))
    except RegistryError as error:
        return Template(
            "cases/list.html",
            context={
                "cases": await case_service.list_cases(),
                "values": values,
                "errors": error.reasons,
            },
            status_code=422,
        )
    return Redirect(request.app.route_reverse("inspect:case", case_id=case_id), status_code=303)


@get("/inspect/cases/{case_id:int}", name="inspect:case", opt=CASES_READ)
async def case_page(case_id: FromPath[int]) -> Template:
    case = await case_service.case_summary(case_id)
    acts = [await act_detail(i) for i in (await case_service.case_act_ids(case_id))[:500]]
    return Template(
        "cases/detail.html",
        context={
            "case": case,
            "acts": acts,
            "findings": await case_service.findings(case_id),
            "values": {},
            "errors": [],
        },
    )


@post(
    "/inspect/cases/{case_id:int}/findings",
    name="inspect:finding_add",
    opt=permission(Resource.FINDINGS, Action.CREATE),
)
async def add_finding(request: Request[Any, Any, Any], case_id: FromPath[int]) -> Response[Any]:
    await case_service.add_finding(case_id, await _form(request), actor_of(request))
    return Redirect(request.app.route_reverse("inspect:case", case_id=case_id), status_code=303)


@post(
    "/inspect/cases/{case_id:int}/findings/{finding_id:int}",
    name="inspect:finding_update",
    opt=permission(Resource.FINDINGS, Action.UPDATE),
)
async def update_finding(
    request: Request[Any, Any, Any], case_id: FromPath[int], finding_id: FromPath[int]
) -> Redirect:
    await case_service.update_finding(case_id, finding_id, await _form(request))
    return Redirect(request.app.route_reverse("inspect:case", case_id=case_id), status_code=303)


@get(
    "/inspect/cases/{case_id:int}/bundle.zip",
    name="inspect:case_bundle",
    opt=permission(Resource.CASES, Action.READ),
)
async def bundle(case_id: FromPath[int]) -> Response[bytes]:
    """The evidence bundle: summary (HTML, PDF), acts CSV, chains, entries, proofs, checkpoint."""
    return Response(
        await case_bundle(case_id),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="case-{case_id}.zip"'},
    )


@get("/accountability/{code:str}", name="public:accountability", opt=PUBLIC_ROUTE)
async def accountability_page(code: FromPath[str]) -> Template:
    """Public indicators of one unit (no login)."""
    found = await unit_indicators(code, datetime.now(UTC))
    chart = bar_chart([(c.key, c.share_within) for c in found.by_month], width=420)
    return Template("acts/accountability.html", context={"ind": found, "chart": chart})


PAGE_ROUTES = [
    acts_page,
    act_page,
    new_act_page,
    create_act_page,
    import_page,
    import_upload,
    drift_page,
    drift_export,
    cases_page,
    open_case,
    case_page,
    add_finding,
    update_finding,
    bundle,
    accountability_page,
]
