"""`url_for` for templates that names a missing route in the log instead of failing the page."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import structlog
from litestar import Litestar
from litestar.exceptions import NoRouteMatchFoundException

log = structlog.get_logger("registry.links")


@lru_cache(maxsize=4096)
def _reverse(app: Litestar, route_name: str, parameters: tuple[tuple[str, Any], ...]) -> str:
    """Routes do not change while an app runs: a page's two dozen navigation and static links
    are worked out once, not on every request."""
    return str(app.route_reverse(route_name, **dict(parameters)))


def tolerant_url_for(context: Any, route_name: str, **parameters: Any) -> str:
    """A link to a route that is not (yet) registered renders as `#` and is logged; a test walks
    every template and fails on any such name, so this never hides a broken link in a release."""
    app = context["request"].app
    try:
        try:
            return _reverse(app, route_name, tuple(sorted(parameters.items())))
        except TypeError:  # a parameter value that cannot be a cache key
            return str(app.route_reverse(route_name, **parameters))
    except NoRouteMatchFoundException:
        log.warning("missing_route", route=route_name)
        return "#"
