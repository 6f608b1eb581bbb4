"""Security rules for every request and response: the headers on pages, errors, static files
and the API; the hosts we answer for; no NUL bytes. Applied by `registry/web/gateway.py`."""

from __future__ import annotations

from litestar.types import Scope

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


SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)
STATIC_PREFIX = "/static/"
# The same URL answers in Vietnamese or English by cookie and browser.
VARY = (b"vary", b"Cookie, Accept-Language")
NO_STORE = (b"cache-control", b"no-store")

INVALID_HOST_BODY = b'{"status":400,"reasons":[{"code":"INVALID_HOST","field":"host"}]}'
NUL_BYTES_BODY = (
    b'{"status":400,"reasons":[{"code":"INVALID_REQUEST","field":"query",'
    b'"message_vi":"Y\\u00eau c\\u1ea7u ch\\u1ee9a k\\u00fd t\\u1ef1 NUL.",'
    b'"message_en":"The request contains a NUL character.","params":{}}]}'
)


def with_security_headers(
    headers: list[tuple[bytes, bytes]], is_static: bool
) -> list[tuple[bytes, bytes]]:
    """The response's headers with ours in place of any the handler set; pages that are not
    static files are not cached and vary by language."""
    kept = [(name, value) for name, value in headers if name.lower() not in SECURITY_HEADER_NAMES]
    kept.extend(SECURITY_HEADERS)
    if not is_static:
        if not any(name.lower() == b"cache-control" for name, _ in kept):
            kept.append(NO_STORE)
        kept.append(VARY)
    return kept


def host_allowed(hosts: frozenset[str], host_header: str) -> bool:
    """Whether the Host header names one of ours (host-header attacks); the port does not
    matter. `hosts` are lower case; `*` allows any."""
    host = host_header.strip().lower()
    if host.startswith("["):
        name = host[1 : host.find("]")] if "]" in host else ""
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return bool(name) and ("*" in hosts or name in hosts)


def has_nul_bytes(scope: Scope) -> bool:
    """A NUL byte anywhere in the path or query string: no value of ours contains one, and
    PostgreSQL cannot store it (it would surface as a server error)."""
    query = scope.get("query_string", b"")
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    return b"%00" in query or b"\x00" in query or b"%00" in raw_path or "\x00" in scope["path"]
