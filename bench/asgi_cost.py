"""CPU per request in process, without a server: the registry's ASGI app against a bare Litestar.

Calls each ASGI app directly with a prepared request (no socket, no uvicorn) and reports the CPU
time per request, so a change to the middleware, the check or a page template can be measured in
seconds, on a shared machine, before `bench/check_http.py` or `bench/ledger.py --only page` serve
it for real. The registry serves the demo province from a fresh database.

    .venv/bin/python bench/asgi_cost.py                       # check, ledger page, key, bare
    .venv/bin/python bench/asgi_cost.py --requests 3000 --profile check
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.check_http import check_body, check_token  # noqa: E402
from bench.hammer import workspace  # noqa: E402

ASGI = Any  # an ASGI application


def request_scope(
    method: str, path: str, query: bytes, headers: list[tuple[bytes, bytes]]
) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call(
    app: ASGI, method: str, path: str, query: bytes, headers: list[tuple[bytes, bytes]], body: bytes
) -> tuple[int, bytes]:
    status = 0
    chunks: list[bytes] = []
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(request_scope(method, path, query, headers), receive, send)
    return status, b"".join(chunks)


async def measure(
    label: str,
    app: ASGI,
    spec: tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes],
    requests: int,
    profile: bool,
) -> float:
    status, body = await call(app, *spec)
    if status != 200:
        raise SystemExit(f"{label}: status {status}: {body[:300]!r}")
    for _ in range(min(200, requests)):
        await call(app, *spec)
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    started = time.process_time()
    for _ in range(requests):
        await call(app, *spec)
    spent = time.process_time() - started
    if profiler:
        profiler.disable()
        order = os.environ.get("SORT", "cumulative")  # or tottime
        pstats.Stats(profiler).sort_stats(order).print_stats(int(os.environ.get("LINES", "45")))
    return spent / requests * 1e6


async def run(args: argparse.Namespace, env: dict[str, str], token: str) -> None:
    os.environ.update(env)
    from litestar import Litestar, get

    from bench.bare_litestar import create_app as bare_app
    from registry.app import create_app

    @get("/hello", sync_to_thread=False)
    def hello() -> str:
        return "hello"

    app = create_app()
    bare = bare_app()
    hello_app = Litestar([hello], openapi_config=None)
    bearer = [
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"application/json"),
    ]
    defaults = argparse.Namespace(
        official="CB-0045",
        power="DD-03",
        unit="SNNMT",
        sector="dat_dai",
        act_type="cap_giay_chung_nhan",
        at="2026-10-01T03:00:00Z",
    )
    body = json.dumps(check_body(defaults)).encode()
    specs: dict[str, tuple[ASGI, tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]]] = {
        "check": (app, ("POST", "/api/v1/check", b"", bearer, body)),
        "bare-check": (
            bare,
            ("POST", "/api/v1/check", b"", [(b"content-type", b"application/json")], body),
        ),
        "ledger": (app, ("GET", "/ledger", b"", [(b"accept-language", b"vi")], b"")),
        "ledger-key": (app, ("GET", "/ledger/key", b"", [], b"")),
        "healthz": (app, ("GET", "/healthz", b"", [], b"")),
        "bare-hello": (hello_app, ("GET", "/hello", b"", [], b"")),
    }
    chosen = args.only.split(",") if args.only else list(specs)
    async with app.lifespan(), bare.lifespan(), hello_app.lifespan():
        for label in chosen:
            target, spec = specs[label]
            micro = await measure(label, target, spec, args.requests, args.profile == label)
            print(f"{label:12} {micro:8.1f} µs CPU per request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--only", default="", help="comma-separated: check,bare-check,ledger,...")
    parser.add_argument("--profile", default="", help="profile one label with cProfile")
    args = parser.parse_args()
    with workspace("sqlite") as space:
        token = check_token(space)
        env = {key: value for key, value in space.env.items() if key.startswith("REGISTRY_")}
        asyncio.run(run(args, env, token))


if __name__ == "__main__":
    main()
