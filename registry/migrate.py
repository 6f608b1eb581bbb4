"""Apply the migrations in `migrations/` to the configured database."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards

from registry.db import current_engine, enable_sqlite_wal


async def migrate() -> str:
    """Bring the schema up to date; safe to run on every start. Returns Piccolo's report."""
    engine = current_engine()
    if engine.engine_type == "sqlite":
        enable_sqlite_wal(engine.path)  # type: ignore[attr-defined]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards(app_name="registry", migration_id="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}\n{output.getvalue()}")
    return output.getvalue()
