"""`url_for` for templates that names a missing route in the log instead of failing the page."""

from __future__ import annotations

from typing import Any

import structlog
from litestar.exceptions import NoRouteMatchFoundException
from litestar.template.base import url_for as litestar_url_for

log = structlog.get_logger("registry.links")


def tolerant_url_for(context: Any, route_name: str, **parameters: Any) -> str:
    """A link to a route that is not (yet) registered renders as `#` and is logged; a test walks
    every template and fails on any such name, so this never hides a broken link in a release."""
    try:
        return str(litestar_url_for(context, route_name, **parameters))
    except NoRouteMatchFoundException:
        log.warning("missing_route", route=route_name)
        return "#"
