"""Route handlers of the organisation feature, collected for `create_app()`."""

from __future__ import annotations

from typing import Any

from registry.organisation.api import API_ROUTES
from registry.organisation.controllers import MANAGE_ROUTES
from registry.organisation.instrument_files import FILE_ROUTES
from registry.organisation.pages import PAGE_ROUTES

ROUTES: list[Any] = [*PAGE_ROUTES, *MANAGE_ROUTES, *FILE_ROUTES, *API_ROUTES]
