"""Rendered fragments kept by key: parts of a page that depend on nothing but their key.

A template marks such a part with a call block; the block is rendered on the first request with
that key and answered from memory afterwards:

    {% call kept("layout:footer", current_language()) %} ... {% endcall %}

Blocks render with autoescape on, so a block's output is already `Markup`. The key must name
everything the block reads: the language, the query values a form shows.
Nothing that differs between visitors may be inside (the CSRF token, the signed-in account,
flash messages): those stay outside the block. The public pages' layout, navigation and search
form were two thirds of a ledger page's CPU (docs/performance-ledger.md); they are the same for
every anonymous visitor in one language. Ledger result rows are kept the same way in their own
store, keyed by the entry's leaf hash: an entry never changes. Each Jinja environment (each app)
has its own stores (`registry.web.templating.install_page_helpers`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from markupsafe import Markup


class FragmentStore:
    """At most `limit` fragments; the oldest is dropped first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, render: Callable[[], Markup]) -> Markup:
        found = self._kept.get(key)
        if found is not None:
            return found
        rendered = render()
        with self._lock:
            self._kept[key] = rendered
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)
        return rendered

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def kept(self, *key: Hashable, caller: Callable[[], Markup]) -> Markup:
        """The block's HTML for `key`, rendered once (Jinja passes the block as `caller`)."""
        return self.get(key, caller)


class PageStore:
    """Whole pages as sent to visitors without a session, with the CSRF token taken out; at
    most `limit`, the oldest dropped first (`registry/web/kept_page.py`)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: Hashable) -> bytes | None:
        return self._kept.get(key)

    def put(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._kept[key] = body
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)


def render_always(*_key: Hashable, caller: Callable[[], Markup]) -> Markup:
    """`kept` that keeps nothing (templates that reload as they change, template tests)."""
    return caller()


def mark_current_page(html: Markup, here: str) -> Markup:
    """`aria-current="page"` on the link to `here` in a fragment kept without it (links are
    written `<a href="...">` by the navigation macro)."""
    if not here:
        return html
    link = Markup('<a href="{}">').format(here)
    return html.replace(link, link[:-1] + Markup(' aria-current="page">'), 1)
