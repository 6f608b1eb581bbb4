"""Route handlers of the powers feature, collected for `create_app()`."""

from __future__ import annotations

from typing import Any

from registry.powers.api import API_ROUTES
from registry.powers.controllers import MANAGE_ROUTES
from registry.powers.pages import PAGE_ROUTES

ROUTES: list[Any] = [*PAGE_ROUTES, *MANAGE_ROUTES, *API_ROUTES]
