"""The visitor's language: a cookie, else the browser's preference, else the default (vi)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from registry.web.i18n import current_language, negotiate_language
from registry.web.sign_in import local_path

LANGUAGE_COOKIE = "lang"


class LanguageMiddleware:
    """Sets the language for this request before any handler or template runs."""

    def __init__(self, app: ASGIApp, default: str = "vi") -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        cookie_header = headers.get(b"cookie", b"").decode("latin-1")
        cookie = ""
        for part in cookie_header.split(";"):
            name, _, value = part.strip().partition("=")
            if name == LANGUAGE_COOKIE:
                cookie = value
        accept = headers.get(b"accept-language", b"").decode("latin-1")
        language = negotiate_language(cookie, accept, self.default)
        token = current_language.set(language)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"content-language", language.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_language)
        finally:
            current_language.reset(token)


@post("/language", name="set_language", opt={"public": True})
async def set_language(
    request: Request[Any, Any, Any],
    data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Redirect:
    """Remember the chosen language in a cookie and go back to the page it was chosen on."""
    language = data.get("language", "vi")
    language = language if language in {"vi", "en"} else "vi"
    response = Redirect(local_path(data.get("next")) or "/", status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response
