"""The Jinja2 environment: autoescape on, gettext installed, the formatting filters."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from registry.web.i18n import install_i18n
from registry.web.links import tolerant_url_for

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
    return environment


def template_config(auto_reload: bool = False) -> TemplateConfig[JinjaTemplateEngine]:
    engine = JinjaTemplateEngine.from_environment(build_environment(auto_reload))
    engine.register_template_callable("url_for", tolerant_url_for)
    return TemplateConfig(instance=engine)
