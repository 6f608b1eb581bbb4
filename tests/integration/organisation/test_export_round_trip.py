"""Export → import into an empty database → export gives the same bytes, for every kind."""

from __future__ import annotations

import pytest

from registry.db import bind_engine, engine_for
from registry.importing.service import import_bytes
from registry.organisation.exporting import KINDS, export_kind
from registry.settings import DatabaseSettings

ORDER = ("units", "positions", "officials", "instruments", "assignments", "powers")


async def _export_all(fmt: str) -> dict[str, str]:
    return {kind: await export_kind(kind, fmt) for kind in ORDER}


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_then_import_into_an_empty_database_exports_the_same_bytes(
    demo: str, empty_database_url: str, fmt: str
) -> None:
    first = await _export_all(fmt)
    engine = engine_for(DatabaseSettings(url=empty_database_url))
    bind_engine(engine)
    try:
        for kind in ORDER:
            report = await import_bytes(kind, first[kind].encode(), f"{kind}.{fmt}")
            assert not report.problems, (kind, [str(p) for p in report.problems[:3]])
        second = await _export_all(fmt)
    finally:
        close = getattr(engine, "close_connection_pool", None)
        if close is not None and getattr(engine, "pool", None) is not None:
            await close()
    for kind in ORDER:
        assert second[kind] == first[kind], kind


@pytest.mark.parametrize("kind", ORDER)
async def test_re_importing_an_export_reports_every_row_unchanged(demo: str, kind: str) -> None:
    exported = await export_kind(kind, "csv")
    report = await import_bytes(kind, exported.encode(), f"{kind}.csv")
    rows = exported.count("\n") - 1
    assert (report.created, report.updated, report.problems) == (0, 0, [])
    assert report.unchanged == rows


async def test_official_export_never_contains_private_columns(demo: str) -> None:
    for fmt in ("csv", "json"):
        exported = await export_kind("officials", fmt)
        assert "SL-2007-00001" not in exported
        assert "@songlam.gov.vn" not in exported
        assert "0980569316" not in exported


async def test_every_kind_of_the_cli_can_be_exported(demo: str) -> None:
    assert set(KINDS) == set(ORDER)
