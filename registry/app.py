"""Build the Litestar application: routes, templates, middleware, error handling."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import structlog
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.htmx import HTMXPlugin
from litestar.static_files import create_static_files_router
from piccolo.engine.postgres import PostgresEngine

from registry import __version__
from registry.authz.guard import PermissionMiddleware
from registry.db import current_engine, enable_sqlite_wal
from registry.errors import RegistryError
from registry.ops import metrics
from registry.settings import Settings, get_settings
from registry.web import errors
from registry.web.csrf import RegistryCSRFMiddleware
from registry.web.gateway import Gateway
from registry.web.health import healthz, readyz
from registry.web.home import home
from registry.web.language import set_language
from registry.web.logs import configure_logging
from registry.web.templating import template_config

FEATURES = ("organisation", "powers", "grants", "acts", "ledger", "accounts", "authz", "ops")


def feature_routes() -> list[Any]:
    """Each feature package lists its handlers in `registry/<feature>/routes.py`."""
    import importlib

    routes: list[Any] = []
    for feature in FEATURES:
        routes.extend(importlib.import_module(f"registry.{feature}.routes").ROUTES)
    return routes


log = structlog.get_logger("registry.app")
STATIC_DIR = Path(__file__).resolve().parent / "static"


def allowed_hosts(settings: Settings) -> frozenset[str]:
    """The configured host names plus the public base URL's; ports are not compared."""
    from urllib.parse import urlsplit

    hosts = set(settings.allowed_hosts)
    public = urlsplit(settings.public_base_url)
    if public.hostname:
        hosts.add(public.hostname)
    return frozenset(hosts)


def create_app(settings: Settings | None = None) -> Litestar:
    """The registry as an ASGI app; every collaborator comes from `settings`."""
    settings = settings or get_settings()
    configure_logging(json_lines=settings.log_json)

    @asynccontextmanager
    async def database_lifespan(_: Litestar) -> AsyncIterator[None]:
        engine = current_engine()
        if isinstance(engine, PostgresEngine):
            if settings.database_pool:
                try:
                    await engine.start_connection_pool(min_size=1, max_size=10)
                except OSError as exc:
                    # Serve anyway: /healthz answers, /readyz says "unavailable" until it is back.
                    log.warning("database_unreachable_at_start", error=str(exc))
        else:
            enable_sqlite_wal(engine.path)  # type: ignore[attr-defined]
        # What start-up made (modules, routes, templates) lives as long as the worker: out of
        # the collector's sight, every collection during requests has less to walk.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if isinstance(engine, PostgresEngine) and engine.pool is not None:
                await engine.close_connection_pool()

    csrf = CSRFConfig(
        secret=settings.session_secret().hex(),
        cookie_name="__Host-csrftoken" if settings.secure_cookies else "csrftoken",
        cookie_secure=settings.secure_cookies,
        cookie_httponly=False,
        cookie_samesite="strict",
        header_name="x-csrftoken",
        exclude=["/api/"],
    )
    pages = [home, healthz, readyz, set_language, *feature_routes()]
    # The OpenAPI document describes the JSON API; pages and forms are not part of it.
    for handler in pages:
        if not any(path.startswith("/api/") for path in getattr(handler, "paths", ())):
            handler.include_in_schema = False
    app = Litestar(
        route_handlers=[
            home,
            healthz,
            readyz,
            set_language,
            *feature_routes(),
            create_static_files_router(
                path="/static", directories=[STATIC_DIR], name="static", opt={"public": True}
            ),
        ],
        template_config=template_config(auto_reload=settings.debug),
        plugins=[HTMXPlugin()],
        # Outermost first: the route's permission, then CSRF (Litestar's, cookie written once).
        middleware=[PermissionMiddleware, DefineMiddleware(RegistryCSRFMiddleware, config=csrf)],
        exception_handlers={
            RegistryError: errors.registry_error_handler,
            HTTPException: errors.http_error_handler,
            Exception: errors.server_error_handler,
        },
        openapi_config=OpenAPIConfig(
            title="Delegation registry API",
            version=__version__,
            path="/api/docs",
            # The schema only: the bundled UIs load their scripts from a CDN, which we never use.
            render_plugins=[JsonRenderPlugin()],
            openapi_router=Router(
                path="/api/docs", route_handlers=[], opt={"public": True}, include_in_schema=False
            ),
        ),
        lifespan=[database_lifespan],
        state=State({"settings": settings}),
        # Logs go through structlog; Litestar's queue-based logging config is not used.
        logging_config=None,
        debug=False,
        request_max_body_size=20 * 1024 * 1024,
    )
    metrics.configure(settings.data_dir)
    app.asgi_handler = Gateway(app.asgi_handler, allowed_hosts(settings), settings.default_language)
    return app
