"""Route handlers of the grants feature, collected for `create_app()`."""

from __future__ import annotations

from typing import Any

from registry.grants.api import ROUTES as API_ROUTES
from registry.grants.certificate import CERTIFICATE_ROUTES
from registry.grants.notifications import NOTIFICATION_ROUTES
from registry.grants.pages import PAGE_ROUTES

ROUTES: list[Any] = [*API_ROUTES, *PAGE_ROUTES, *CERTIFICATE_ROUTES, *NOTIFICATION_ROUTES]
