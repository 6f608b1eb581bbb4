"""Liveness and readiness probes for load balancers and the Docker HEALTHCHECK."""

from __future__ import annotations

from litestar import MediaType, Response, get

from registry.db import current_engine


@get(
    "/healthz",
    name="healthz",
    media_type=MediaType.JSON,
    opt={"public": True},
    sync_to_thread=False,
)
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@get("/readyz", name="readyz", media_type=MediaType.JSON, opt={"public": True})
async def readyz() -> Response[dict[str, str]]:
    """The database answers a query."""
    try:
        await current_engine().run_ddl("SELECT 1")
    except Exception as exc:
        return Response({"status": "unavailable", "reason": type(exc).__name__}, status_code=503)
    return Response({"status": "ready"})
