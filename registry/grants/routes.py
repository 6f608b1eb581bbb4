"""Route handlers of the grants feature, collected for `create_app()`."""

from __future__ import annotations

from typing import Any

from registry.grants.api import ROUTES as API_ROUTES

ROUTES: list[Any] = [*API_ROUTES]
