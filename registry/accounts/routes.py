"""Route handlers of the accounts feature, collected for `create_app()`."""

from __future__ import annotations

from typing import Any

from registry.accounts.admin import ADMIN_ROUTES
from registry.accounts.controllers import ACCOUNT_ROUTES

ROUTES: list[Any] = [*ACCOUNT_ROUTES, *ADMIN_ROUTES]
