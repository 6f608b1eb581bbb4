"""`url_for` for templates that names a missing route in the log instead of failing the page."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

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


def next_page_href(url: str, params: Mapping[str, Any] | None, param: str, cursor: Any) -> str:
    """The next page's URL: the current filters (sorted, without empty ones and without an
    older cursor) and the cursor after which the next page starts."""
    pairs = [(k, v) for k, v in sorted((params or {}).items()) if k != param and v is not None]
    pairs.append((param, cursor))
    return url + ("&" if "?" in url else "?") + urlencode(pairs)
