"""Route handlers of the ledger feature, collected for `create_app()`."""

from __future__ import annotations

from typing import Any

from registry.ledger.api import API_ROUTES
from registry.ledger.pages import PAGE_ROUTES

ROUTES: list[Any] = [*API_ROUTES, *PAGE_ROUTES]
