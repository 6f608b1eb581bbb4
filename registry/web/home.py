"""The home page: what the registry is, search, and the way in for each audience."""

from __future__ import annotations

from litestar import get
from litestar.response import Template

from registry.ledger.queries import home_statistics


@get("/", name="home", opt={"public": True})
async def home() -> Template:
    stats, latest = await home_statistics()
    return Template("home.html", context={"stats": stats, "latest": latest})
