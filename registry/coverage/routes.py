"""Coverage pages for inspectors and the coverage API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import get
from litestar.params import FromQuery
from litestar.response import Template

from registry.authz.guard import permission
from registry.authz.permissions import Action, Resource
from registry.coverage.analysis import DEFAULT_CONCENTRATION, CoverageReport, GrantInfo
from registry.coverage.services import cell, coverage
from registry.domain.validity import utc_string
from registry.importing.fields import parse_instant
from registry.web.api_docs import error_responses

READ = permission(Resource.COVERAGE, Action.READ)


def instant(text: str) -> datetime:
    """`at` as a date (local midnight) or an instant; now when empty or unreadable."""
    parsed = parse_instant(text, ZoneInfo("Asia/Ho_Chi_Minh")) if text else None
    return parsed or datetime.now(UTC)


def _grant(g: GrantInfo) -> dict[str, Any]:
    return {
        "grant": g.id,
        "power": g.power,
        "kind": g.kind,
        "grantor": g.grantor,
        "grantee": g.grantee,
        "parent": g.parent,
        "valid_to": utc_string(g.valid_to) if g.valid_to else None,
    }


def coverage_json(report: CoverageReport) -> dict[str, Any]:
    return {
        "at": utc_string(report.at),
        "columns": report.columns,
        "matrix": [{"power": r.power, "counts": r.counts} for r in report.rows],
        "gaps": [{"power": g.power, "unit": g.unit} for g in report.gaps],
        "overlaps": [
            {
                "power": o.power,
                "first": {"holder": o.first.holder, "source": o.first.source},
                "second": {"holder": o.second.holder, "source": o.second.source},
            }
            for o in report.overlaps
        ],
        "orphaned_grants": [{**_grant(o.grant), "vacant": o.vacant} for o in report.orphans],
        "concentration": {
            "threshold": report.threshold,
            "officials": [
                {"official": c.official, "powers": c.powers} for c in report.concentration
            ],
        },
        "authorizations_without_end": [_grant(g) for g in report.open_authorizations],
        "expiring_within_30_days": [_grant(g) for g in report.expiring],
    }


@get(
    "/api/v1/coverage",
    name="coverage_api:coverage",
    opt=READ,
    responses=error_responses(400, 401, 403),
)
async def coverage_api(
    at: FromQuery[str] = "", unit: FromQuery[str] = "", n: FromQuery[int] = DEFAULT_CONCENTRATION
) -> dict[str, Any]:
    """Holder counts per power and unit, and the findings, at `at` (default now)."""
    return coverage_json(await coverage(instant(at), unit or None, n))


@get("/inspect/coverage", name="inspect:coverage", opt=READ)
async def coverage_page(
    at: FromQuery[str] = "",
    unit: FromQuery[str] = "",
    n: FromQuery[int] = DEFAULT_CONCENTRATION,
    power: FromQuery[str] = "",
) -> Template:
    """The matrix (filtered by power code prefix) and the lists of findings."""
    report = await coverage(instant(at), unit or None, n)
    rows = [r for r in report.rows if r.power.startswith(power)] if power else report.rows
    return Template(
        "coverage/index.html",
        context={
            "report": report,
            "rows": rows[:200],
            "hidden_rows": max(0, len(rows) - 200),
            "at": at,
            "unit": unit,
            "n": n,
            "power": power,
        },
    )


@get("/inspect/coverage/cell", name="inspect:coverage_cell", opt=READ)
async def coverage_cell(
    power: FromQuery[str], unit: FromQuery[str], at: FromQuery[str] = ""
) -> Template:
    """Drill-down from one cell to the grants behind it."""
    holders = await cell(instant(at), power, unit)
    return Template(
        "coverage/cell.html",
        context={"holders": holders, "power": power, "unit": unit, "at": at},
    )


ROUTES: list[Any] = [coverage_api, coverage_page, coverage_cell]
