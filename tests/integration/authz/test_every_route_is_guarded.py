"""Every route declares a permission or an explicit public mark; every template link resolves."""

from __future__ import annotations

import re
from pathlib import Path

from registry.app import create_app
from registry.authz.permissions import Action, Resource
from registry.settings import settings_from_env

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def all_handlers():  # type: ignore[no-untyped-def]
    app = create_app(settings_from_env({}))
    for route in app.routes:
        for handler in route.route_handlers:
            for method in getattr(handler, "http_methods", ()) or ("WS",):
                yield route.path, method, handler


def test_every_route_has_a_permission_or_a_public_mark() -> None:
    unguarded = []
    for path, method, handler in all_handlers():
        if method in {"HEAD", "OPTIONS"}:
            continue
        opt = handler.opt
        if opt.get("public") is True:
            continue
        permission = opt.get("permission")
        if (
            isinstance(permission, tuple)
            and isinstance(permission[0], Resource)
            and isinstance(permission[1], Action)
        ):
            continue
        unguarded.append(f"{method} {path}")
    assert unguarded == []


def test_every_route_named_in_a_template_exists() -> None:
    app = create_app(settings_from_env({}))
    names = set()
    for template in TEMPLATES.rglob("*.html"):
        names |= set(re.findall(r"url_for\(\s*['\"]([\w:.-]+)['\"]", template.read_text()))
    # A name ending in ":" is completed at run time (`url_for("grants:" ~ action)`).
    static_names = {name for name in names if not name.endswith(":")}
    missing = sorted(n for n in static_names if app.get_handler_index_by_name(n) is None)
    assert missing == []
