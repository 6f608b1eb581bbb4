"""The Jinja2 environment: autoescape on, gettext installed, the formatting filters."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from registry.web.fragments import FragmentStore, PageStore, mark_current_page, render_always
from registry.web.i18n import install_i18n
from registry.web.links import next_page_href, tolerant_url_for

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


def build_environment(auto_reload: bool = False) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        auto_reload=auto_reload,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_i18n(environment)
    install_page_helpers(environment, keep=not auto_reload)
    return environment


def install_page_helpers(environment: Environment, keep: bool = True) -> None:
    """`kept` (fragments kept by key, per environment), `kept_rows` (the ledger's result rows),
    `kept_pages` (whole public pages, `registry/web/kept_page.py`), `mark_current_page` and
    `next_page_href`. `keep=False` renders every block every time."""
    layout = FragmentStore(2048)
    environment.globals["kept"] = layout.kept if keep else render_always
    environment.globals["kept_rows"] = FragmentStore(20_000) if keep else None
    environment.globals["kept_pages"] = PageStore(256) if keep else None
    environment.filters["mark_current_page"] = mark_current_page
    environment.globals["next_page_href"] = next_page_href


def template_config(auto_reload: bool = False) -> TemplateConfig[JinjaTemplateEngine]:
    engine = JinjaTemplateEngine.from_environment(build_environment(auto_reload))
    engine.register_template_callable("url_for", tolerant_url_for)
    return TemplateConfig(instance=engine)
