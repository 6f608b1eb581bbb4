"""A JSON answer sent straight through ASGI, for the layers that answer before (or instead of)
the Litestar app: refused hosts and NUL bytes, a refused CSRF header, a directly answered check."""

from __future__ import annotations

from litestar.types import HTTPResponseStartEvent, Send


async def send_json(send: Send, status: int, body: bytes) -> None:
    """`body` (JSON already encoded) with its status, type and length."""
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
