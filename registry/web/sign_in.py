"""Send a signed-out browser to the sign-in page and back, never to another site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from litestar import MediaType, Request, Response
from litestar.response import Redirect

#: Paths whose clients are programs: they keep their 401 (with a JSON reason).
PROGRAM_PATHS = ("/api/", "/metrics")
MAX_NEXT_LENGTH = 2000


def local_path(target: str | None) -> str:
    """`target` if it is a path on this site, else "": `next` must not become an open redirect.

    Refused: scheme or host (`https://x`, `//x`), anything not starting with one `/`, and any
    backslash, space or control character (browsers read `/\\x` and `/<TAB>/x` as `//x`), and
    anything not printable ASCII (a browser sends paths percent-encoded)."""
    if not target or len(target) > MAX_NEXT_LENGTH:
        return ""
    if not all("!" <= ch <= "~" for ch in target) or "\\" in target:
        return ""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _requested_path(request: Request[Any, Any, Any]) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    path = raw.decode("latin-1") + (f"?{query.decode('latin-1')}" if query else "")
    return local_path(path)


def _login_url(request: Request[Any, Any, Any], next_path: str) -> str:
    login = request.app.route_reverse("accounts:login")
    return f"{login}?{urlencode({'next': next_path})}" if next_path else login


def sign_in_redirect(request: Request[Any, Any, Any]) -> Response[Any] | None:
    """For a signed-out browser: 303 to `/login?next=<this page>` on a page GET, or an
    `HX-Redirect` to it (the page htmx runs on) for an htmx request; None for programs."""
    path = request.url.path
    if path.startswith(PROGRAM_PATHS):
        return None
    if "text/html" not in request.headers.get("accept", ""):
        return None
    if request.headers.get("hx-request") == "true":
        current = urlsplit(request.headers.get("hx-current-url", ""))
        next_path = local_path(current.path + (f"?{current.query}" if current.query else ""))
        login = _login_url(request, next_path)
        return Response(
            b"", status_code=401, media_type=MediaType.HTML, headers={"HX-Redirect": login}
        )
    if request.method != "GET":
        return None
    return Redirect(_login_url(request, _requested_path(request)), status_code=303)
