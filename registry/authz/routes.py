"""Route handlers of the authz feature, collected for `create_app()`."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
