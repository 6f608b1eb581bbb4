"""JSON API of the catalogue of powers: public reads with as-of and keyset pages."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.params import FromPath

from registry.authz.guard import PUBLIC_ROUTE
from registry.domain.validity import utc_string
from registry.organisation.api import READ_ERRORS, After, At, Limit, Req, _at, _iso, _next
from registry.powers import schemas
from registry.powers.queries import PowerRow, catalogue, power_page


def power_answer(p: PowerRow) -> schemas.Power:
    return schemas.Power(
        p.code,
        p.title_vi,
        p.title_en,
        p.sector,
        p.legal_basis_number,
        p.legal_basis_article,
        p.holder,
        p.holder_unit,
        list(p.act_types),
        list(p.grant_kinds),
        p.non_delegable,
        p.max_depth,
        p.amount_ceiling,
        p.exclusive,
        utc_string(p.valid_from),
        _iso(p.valid_to),
    )


@get("/api/v1/powers", name="powers_api:powers", opt=PUBLIC_ROUTE, responses=READ_ERRORS)
async def list_powers(
    request: Req, at: At = "", after: After = "", limit: Limit = 100, sector: str = "", q: str = ""
) -> schemas.PowersPage:
    """Powers in force at `at`, by code; `sector` and `q` (words, diacritics ignored) filter."""
    rows = await catalogue(sector, q, _at(request, at), after, limit)
    return schemas.PowersPage(
        [power_answer(p) for p in rows[:limit]], _next([p.code for p in rows], limit)
    )


@get("/api/v1/powers/{code:str}", name="powers_api:power", opt=PUBLIC_ROUTE, responses=READ_ERRORS)
async def get_power(request: Req, code: FromPath[str], at: At = "") -> schemas.PowerDetail:
    """A power and who holds it at `at`: the lawful holder and the grantees of grants in force."""
    model = await power_page(code, _at(request, at))
    power = model.power
    holders = [schemas.PowerHolder(power.holder, f"law:{power.code}", None, None)]
    holders += [
        schemas.PowerHolder(
            str(g.grantee), f"grant:{g.id}", utc_string(g.valid_from), _iso(g.valid_to)
        )
        for g in model.grants_in_force
    ]
    return schemas.PowerDetail(power_answer(power), holders)


API_ROUTES: list[Any] = [list_powers, get_power]
