"""Public pages of the catalogue of powers: search by sector and words, one power, its holders."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from registry.authz.guard import PUBLIC_ROUTE
from registry.organisation.pages import as_of, page
from registry.powers.queries import catalogue, power_page
from registry.powers.sectors import SECTORS, sector_label
from registry.web.i18n import current_language


@get("/powers", name="public:powers", opt=PUBLIC_ROUTE)
async def powers_page(
    request: Request[Any, Any, Any],
    sector: FromQuery[str] = "",
    q: FromQuery[str] = "",
    at: FromQuery[str] = "",
) -> Template:
    """The catalogue, filtered by sector and by words of the code or title (diacritics optional)."""
    when = as_of(request, at)
    lang = current_language.get()
    sectors = [(code, sector_label(code, lang)) for code in SECTORS]
    chosen = sector if sector in SECTORS else ""
    powers = await catalogue(chosen, q, when.at)
    return page(
        request, "public/powers.html", when, powers=powers, sectors=sectors, sector=chosen, q=q
    )


@get("/powers/{code:str}", name="public:power", opt=PUBLIC_ROUTE)
async def power_detail(
    request: Request[Any, Any, Any], code: FromPath[str], at: FromQuery[str] = ""
) -> Template:
    """A power: legal basis, lawful holder, how it may be passed on, and who holds it at `at`."""
    when = as_of(request, at)
    lang = current_language.get()
    model = await power_page(code, when.at)
    label = sector_label(model.power.sector, lang)
    return page(request, "public/power.html", when, model=model, sector_label=label)


PAGE_ROUTES: list[Any] = [powers_page, power_detail]
