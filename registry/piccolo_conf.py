"""Piccolo configuration: the engine chosen by `REGISTRY_DATABASE_URL` and the app registry."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from registry.db import engine_for
from registry.settings import get_settings

DB = engine_for(get_settings().database)

APP_REGISTRY = AppRegistry(apps=["registry.piccolo_app"])
