"""Route handlers of the acts feature (and of coverage), collected for `create_app()`."""

from __future__ import annotations

from typing import Any

from registry.acts.api import API_ROUTES
from registry.acts.pages import PAGE_ROUTES
from registry.app import FEATURES

ROUTES: list[Any] = [*API_ROUTES, *PAGE_ROUTES]
# Coverage is its own package; until `create_app()` lists it as a feature, acts serves it.
if "coverage" not in FEATURES:
    from registry.coverage.routes import ROUTES as COVERAGE_ROUTES

    ROUTES += COVERAGE_ROUTES
