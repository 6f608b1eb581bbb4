"""`/readyz` tells a load balancer when the database cannot be reached; `/healthz` does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.db import bind_engine, engine_for
from registry.settings import DatabaseSettings, settings_from_env


@pytest.mark.usefixtures("database")
async def test_readyz_fails_when_the_database_is_unreachable(tmp_path: Path) -> None:
    settings = settings_from_env(
        {
            "REGISTRY_DATA_DIR": str(tmp_path),
            "REGISTRY_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
            "REGISTRY_ALLOWED_HOSTS": "testserver.local",
        }
    )
    bind_engine(engine_for(DatabaseSettings(url=settings.database.url)))
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        assert (await client.get("/healthz")).status_code == 200
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
