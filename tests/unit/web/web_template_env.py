"""A plain Jinja environment over templates/ with stubs for what Litestar provides at run time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from registry.web.i18n import install_i18n, use_language
from registry.web.templating import install_page_helpers

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "templates"
CSRF_INPUT = '<input type="hidden" name="_csrf_token" value="csrf-123" />'


@dataclass
class StubURL:
    path: str = "/"
    query: str = ""


@dataclass
class StubRequest:
    url: StubURL = field(default_factory=StubURL)
    headers: dict[str, str] = field(default_factory=dict)
    #: Like Litestar's `request.state`: the middleware puts the signed-in `Actor` there.
    state: dict[str, Any] = field(default_factory=dict)


def url_for(name: str, **path_params: Any) -> str:
    """Like Litestar's: static files too, as url_for("static", file_path="/css/x.css")."""
    params = "".join("/" + str(v).lstrip("/") for v in path_params.values())
    return "/" + name.replace(":", "/") + params


def build_environment() -> Environment:
    """StrictUndefined: a template that needs a variable it does not document fails loudly."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_i18n(env)
    install_page_helpers(env, keep=False)  # stubs differ from test to test: keep nothing
    env.globals.update(
        url_for=url_for,
        csrf_token=lambda: "csrf-123",
    )
    return env


def render(
    template: str,
    lang: str = "vi",
    path: str = "/",
    query: str = "",
    headers: dict[str, str] | None = None,
    **context: Any,
) -> str:
    request = StubRequest(StubURL(path, query), headers or {})
    user = context.pop("current_user", None)
    if user is not None:
        from registry.accounts.actor import Actor

        request.state["actor"] = Actor(username=getattr(user, "display_name", str(user)))
    with use_language(lang):
        return (
            build_environment()
            .get_template(template)
            .render(request=request, csrf_input=CSRF_INPUT, **context)
        )


def render_string(source: str, lang: str = "vi", **context: Any) -> str:
    with use_language(lang):
        return build_environment().from_string(source).render(**context)
