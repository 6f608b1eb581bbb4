"""The one ASGI layer around the whole app: what every request and every response goes through.

In order: refuse a NUL byte or a host that is not ours (400), name the request for the logs, set
its language, find who is asking (token or session), run the app, then add our headers to the
response (security headers, no caching of pages, `Vary`, `Content-Language`, `X-Request-ID`,
clearing a refused session cookie) and count, time and audit it. An ordinary permitted
`POST /api/v1/check` is answered by `registry/authz/direct_check.py` without Litestar's router.
The rules live in their own modules (`security`, `logs`, `language`, `accounts.authentication`,
`ops.observe`); this module only applies them, in one call and one `send` wrapper per request
instead of seven nested layers (decision 20). Wrapped around the whole app, not per route:
unmatched paths and error pages get the same treatment.
"""

from __future__ import annotations

import time

from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

from registry.accounts.authentication import (
    authenticate,
    refuse_csrf,
    with_refused_session_cleared,
)
from registry.authz import direct_check
from registry.ops.observe import observe_request
from registry.web.i18n import current_language
from registry.web.language import request_language
from registry.web.logs import bind_request_id
from registry.web.raw_response import send_json
from registry.web.security import (
    INVALID_HOST_BODY,
    NUL_BYTES_BODY,
    STATIC_PREFIX,
    has_nul_bytes,
    host_allowed,
    with_security_headers,
)


class Gateway:
    """Applies the request rules before the app and the response rules after it."""

    def __init__(
        self,
        app: ASGIApp,
        hosts: frozenset[str],
        default_language: str,
        direct_checks: bool = True,
    ) -> None:
        self.app = app
        self.hosts = frozenset(host.lower() for host in hosts)
        self.default_language = default_language
        # False sends every check through the Litestar route (the tests compare both paths).
        self.direct_checks = direct_checks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        is_static = scope["path"].startswith(STATIC_PREFIX)
        headers = dict(scope.get("headers", ()))
        extra: list[tuple[bytes, bytes]] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                start: HTTPResponseStartEvent = message
                status = int(start["status"])
                answered = list(start.get("headers", ()))
                if "state" in scope and "session_rejected" in scope["state"]:
                    answered = with_refused_session_cleared(scope, answered)
                start["headers"] = with_security_headers([*answered, *extra], is_static)
            await send(message)

        try:
            if has_nul_bytes(scope):
                await send_json(send_with_headers, 400, NUL_BYTES_BODY)
                return
            if not host_allowed(self.hosts, headers.get(b"host", b"").decode("latin-1")):
                await send_json(send_with_headers, 400, INVALID_HOST_BODY)
                return
            request_id = bind_request_id(scope, headers.get(b"x-request-id", b""))
            language = request_language(
                headers.get(b"cookie", b""),
                headers.get(b"accept-language", b""),
                self.default_language,
            )
            extra.append((b"content-language", language.encode()))
            extra.append((b"x-request-id", request_id.encode()))
            token = current_language.set(language)
            try:
                if not await authenticate(scope):
                    await refuse_csrf(send_with_headers)
                    return
                if self.direct_checks and direct_check.is_direct_check(
                    scope, headers.get(b"content-type", b"")
                ):
                    body, messages = await direct_check.read_body(receive)
                    if body is not None and await direct_check.answer(
                        scope, body, send_with_headers
                    ):
                        return
                    receive = direct_check.replaying(messages, receive)
                await self.app(scope, receive, send_with_headers)
            finally:
                current_language.reset(token)
        finally:
            observe_request(scope, status, time.perf_counter() - started)
