"""Route handlers of the operations feature, collected for `create_app()`."""

from __future__ import annotations

from typing import Any

from litestar import Response, get

from registry.authz.guard import permission
from registry.authz.permissions import Action, Resource
from registry.ops import metrics

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@get(
    "/metrics",
    name="ops:metrics",
    opt=permission(Resource.SETTINGS, Action.READ),
    include_in_schema=False,
)
async def metrics_page() -> Response[bytes]:
    """Prometheus exposition of every worker's samples; administrators' tokens only."""
    body = metrics.exposition(await metrics.database_gauges())
    return Response(body, media_type=PROMETHEUS_TEXT)


ROUTES: list[Any] = [metrics_page]
