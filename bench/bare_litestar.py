"""A bare Litestar JSON endpoint: the baseline `bench/check_http.py` compares the check API with.

It reads the same request body and answers a JSON object, with nothing else: no middleware, no
database, no authentication. Served by uvicorn exactly as `registry serve` serves the registry.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, post


@post("/api/v1/check", status_code=200)
async def check(data: dict[str, Any]) -> dict[str, Any]:
    return {"allowed": True, "power": data.get("power"), "reasons": [], "chain": []}


def create_app() -> Litestar:
    return Litestar([check], openapi_config=None)
