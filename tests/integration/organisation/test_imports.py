"""Bulk import of each kind, by the service and through the browser page."""

from __future__ import annotations

from typing import Any

import pytest

from registry.importing.service import import_bytes
from tests.integration.organisation.org_fixtures import csrf_headers, demo_file, load_demo_kinds

KINDS = ("units", "positions", "officials", "instruments", "assignments", "powers")


def _before(kind: str) -> tuple[str, ...]:
    return KINDS[: KINDS.index(kind)]


def _data_lines(content: bytes) -> int:
    return len([line for line in content.decode("utf-8").splitlines()[1:] if line.strip()])


@pytest.mark.parametrize("kind", KINDS)
async def test_a_good_file_is_imported_and_re_importing_it_changes_nothing(
    database: str, kind: str
) -> None:
    await load_demo_kinds(_before(kind))
    content, name = demo_file(kind)
    first = await import_bytes(kind, content, name)
    assert first.problems == []
    assert first.created == _data_lines(content)
    again = await import_bytes(kind, content, name)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)


@pytest.mark.parametrize("kind", KINDS)
async def test_bad_rows_are_refused_by_line_and_the_good_rows_are_kept(
    database: str, kind: str
) -> None:
    await load_demo_kinds(_before(kind))
    content, name = demo_file(kind)
    lines = content.decode("utf-8").rstrip("\n").split("\n")
    cells = lines[-1].split(",")
    lines[-1] = ",".join(["", *cells[1:]])
    report = await import_bytes(kind, ("\n".join(lines) + "\n").encode(), name)
    assert {p.line for p in report.problems} == {len(lines)}
    assert report.problems[0].reason.code == "FIELD_REQUIRED"
    assert report.created == len(lines) - 2


@pytest.mark.parametrize("kind", KINDS)
async def test_a_file_with_a_utf8_bom_is_read(database: str, kind: str) -> None:
    await load_demo_kinds(_before(kind))
    content, name = demo_file(kind)
    report = await import_bytes(kind, b"\xef\xbb\xbf" + content, name)
    assert report.problems == []
    assert report.created == _data_lines(content)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_file_in_another_encoding_is_refused_as_not_utf8(database: str, kind: str) -> None:
    content, name = demo_file(kind)
    report = await import_bytes(kind, content.decode("utf-8").encode("utf-16"), name)
    assert [p.reason.code for p in report.problems] == ["FILE_NOT_UTF8"]
    assert report.created == 0


@pytest.mark.parametrize("kind", KINDS)
async def test_an_unknown_column_refuses_the_whole_file(database: str, kind: str) -> None:
    content, name = demo_file(kind)
    header, _, rest = content.partition(b"\n")
    report = await import_bytes(kind, header + b",colour\n" + rest, name)
    assert [p.reason.code for p in report.problems] == ["UNKNOWN_FIELD"]
    assert report.created == 0


async def test_browser_dry_run_shows_what_would_change_and_stores_nothing(
    client: Any, admin_token: str
) -> None:
    from registry.organisation.tables import Unit

    headers = await csrf_headers(client, admin_token)
    csv = (
        "code,name_vi,name_en,kind,tier,parent_code,works_collectively,valid_from,valid_to\n"
        "SXD-A,Phòng A,Division A,division,province,SXD,false,2025-08-01,\n"
        "SXD-B,Phòng B,Division B,nonsense,province,SXD,false,2025-08-01,\n"
    ).encode()
    files = {"file": ("units.csv", csv, "text/csv")}
    dry = await client.post(
        "/manage/import", data={"kind": "units", "mode": "dry_run"}, files=files, headers=headers
    )
    assert dry.status_code == 200
    assert 'data-dry-run="true"' in dry.text
    assert 'data-line="3"' in dry.text
    assert "[INVALID_CHOICE]" in dry.text
    assert not await Unit.exists().where(Unit.code == "SXD-A")
    done = await client.post(
        "/manage/import", data={"kind": "units", "mode": "import"}, files=files, headers=headers
    )
    assert 'data-count="created">1<' in done.text
    assert await Unit.exists().where(Unit.code == "SXD-A")
    assert not await Unit.exists().where(Unit.code == "SXD-B")


async def test_browser_import_is_refused_to_a_registrar_of_one_department(
    client: Any, registrar_token: str
) -> None:
    headers = await csrf_headers(client, registrar_token)
    response = await client.post(
        "/manage/import",
        data={"kind": "units", "mode": "import"},
        files={"file": ("units.csv", b"code\n", "text/csv")},
        headers=headers,
    )
    assert response.status_code == 403
