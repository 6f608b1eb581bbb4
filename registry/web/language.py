"""The visitor's language: a cookie, else the browser's preference, else the default (vi)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from registry.web.i18n import negotiate_language
from registry.web.sign_in import local_path

LANGUAGE_COOKIE = "lang"


def request_language(cookie_header: bytes, accept_header: bytes, default: str) -> str:
    """This request's language: the `lang` cookie, else the browser's preference, else the
    default; set for handlers and templates by `registry/web/gateway.py`."""
    cookie = ""
    for part in cookie_header.decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANGUAGE_COOKIE:
            cookie = value
    return negotiate_language(cookie, accept_header.decode("latin-1"), default)


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
