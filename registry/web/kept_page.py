"""A public page kept whole for visitors without a session, the CSRF token put back per visitor.

The ledger's search page is what the public opens most, and for everyone without a session it
is a function of the language, the URL and the entries it shows: the layout, navigation and form
are the same, the rows never change. `KeptPage` renders it once per such key and afterwards
answers from memory, with the visitor's own CSRF token put where the rendered page had the first
visitor's (the meta tag and the language form). Signed-in visitors, htmx fragments and template
development (`kept_pages` is None) are always rendered.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, cast

from litestar import Request
from litestar.response import Template
from litestar.response.base import ASGIResponse
from litestar.utils.scope.state import ScopeState

from registry.web.fragments import PageStore

if TYPE_CHECKING:
    from litestar.contrib.jinja import JinjaTemplateEngine

#: Stands for the CSRF token in a kept page: no token (hexadecimal) contains it.
TOKEN_HOLE = b"\x00csrf\x00"


def page_store(request: Request[Any, Any, Any]) -> PageStore | None:
    """The app's kept pages, or None when pages must be rendered every time."""
    engine = cast("JinjaTemplateEngine", request.app.template_engine)
    store = engine.engine.globals.get("kept_pages")
    return store if isinstance(store, PageStore) else None


def may_keep(request: Request[Any, Any, Any]) -> bool:
    """Only for a visitor without a session (signed in or half signed in), on a request that
    carries a CSRF token to put back."""
    state = request.scope.get("state", {})
    actor = state.get("actor")
    token = ScopeState.from_scope(request.scope).csrf_token
    return (
        "session" not in state
        and not getattr(actor, "username", "")
        and isinstance(token, str)
        and bool(token)
    )


class KeptPage(Template):
    """`Template`, rendered once per `key` of `store` and answered from memory afterwards.

    `kept`: what `store` held under `key` when the handler looked (the handler then skips
    building the context); read once, so a page dropped from the store meanwhile is still sent.
    """

    def __init__(
        self,
        template_name: str,
        context: dict[str, Any],
        store: PageStore,
        key: Hashable,
        kept: bytes | None = None,
    ) -> None:
        super().__init__(template_name, context=context)
        self.store = store
        self.key = key
        self.kept = kept

    def to_asgi_response(
        self, app: Any, request: Request[Any, Any, Any], **options: Any
    ) -> ASGIResponse:
        found = ScopeState.from_scope(request.scope).csrf_token
        token = found.encode() if isinstance(found, str) else b""
        if self.kept is None or not token:
            response = super().to_asgi_response(app, request, **options)
            if token and token in response.body:
                self.store.put(self.key, response.body.replace(token, TOKEN_HOLE))
            return response
        return ASGIResponse(
            body=self.kept.replace(TOKEN_HOLE, token),
            cookies=options.get("cookies"),
            encoded_headers=options.get("encoded_headers"),
            encoding=self.encoding,
            headers={**(options.get("headers") or {}), **self.headers},
            is_head_response=options.get("is_head_response", False),
            media_type="text/html",
            status_code=self.status_code or options.get("status_code") or 200,
        )
