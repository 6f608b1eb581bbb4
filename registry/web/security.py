"""Security headers on every response: pages, errors, static files and the API."""

from __future__ import annotations

from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeadersMiddleware:
    """Adds the headers Litestar does not set; pages that are not static files are not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in {h for h, _ in SECURITY_HEADERS}
                ]
                headers.extend(SECURITY_HEADERS)
                if not is_static and not any(n.lower() == b"cache-control" for n, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                if not is_static:
                    # The same URL answers in Vietnamese or English by cookie and browser.
                    headers.append((b"vary", b"Cookie, Accept-Language"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AllowedHostsMiddleware:
    """Refuses requests whose Host is not ours (host-header attacks); the port does not matter."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = frozenset(host.lower() for host in hosts)

    def allows(self, host_header: str) -> bool:
        host = host_header.strip().lower()
        if host.startswith("["):
            name = host[1 : host.find("]")] if "]" in host else ""
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return bool(name) and ("*" in self.hosts or name in self.hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
            if not self.allows(host):
                body = b'{"status":400,"reasons":[{"code":"INVALID_HOST","field":"host"}]}'
                start: HTTPResponseStartEvent = {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
                await send(start)
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
        await self.app(scope, receive, send)


class NulBytesMiddleware:
    """Refuses a NUL byte anywhere in the path or query string: no value of ours contains one,
    and PostgreSQL cannot store it (it would surface as a server error)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"").lower()
            raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
            if b"%00" in query or b"\x00" in query or b"%00" in raw_path or "\x00" in scope["path"]:
                body = (
                    b'{"status":400,"reasons":[{"code":"INVALID_REQUEST","field":"query",'
                    b'"message_vi":"Y\\u00eau c\\u1ea7u ch\\u1ee9a k\\u00fd t\\u1ef1 NUL.",'
                    b'"message_en":"The request contains a NUL character.","params":{}}]}'
                )
                start: HTTPResponseStartEvent = {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
                await send(start)
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
        await self.app(scope, receive, send)
