"""Fixtures of the ledger tests: a known small ledger and a client whose pages can render."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import get

from tests.integration.ledger.ledger_fixtures import seed_people


@pytest.fixture
async def people(database: str) -> str:
    await seed_people()
    return database


#: Route names the shared layout links to; other features own them. Until they exist, pages
#: are tested against stand-ins of the same names (one path parameter where one is expected).
_STAND_INS = {
    "public:lookup": "/__stand_in/lookup",
    "public:units": "/__stand_in/units",
    "public:powers": "/__stand_in/powers",
    "dashboard:index": "/__stand_in/dashboard",
    "inspect:acts": "/__stand_in/acts",
    "inspect:coverage": "/__stand_in/coverage",
    "accounts:login": "/__stand_in/login",
    "accounts:logout": "/__stand_in/logout",
    "public:unit": "/__stand_in/units/{code:str}",
    "public:power": "/__stand_in/powers/{code:str}",
    "public:official": "/__stand_in/officials/{code:str}",
    "public:grant": "/__stand_in/grants/{grant_id:int}",
}


@pytest.fixture
async def page_client(database: str, settings: Any) -> AsyncIterator[Any]:
    """The whole app, plus stand-ins for the route names that do not exist yet."""
    from litestar.testing import AsyncTestClient

    from registry.app import create_app

    app = create_app(settings)
    for name, path in _STAND_INS.items():
        if app.get_handler_index_by_name(name) is None:

            @get(path, name=name, opt={"public": True}, sync_to_thread=False)
            def stand_in() -> str:
                return "stand-in"

            app.register(stand_in)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client
