"""Browser management and the write API: domain checks, transfers, mergers, vacancies, uploads."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest

from registry.ledger.tables import LedgerEntry
from registry.organisation.tables import Assignment, Instrument, Unit
from tests.integration.organisation.org_fixtures import bearer, csrf_headers

NEW_UNIT = {
    "code": "SXD-QLN",
    "name_vi": "Phòng Quản lý nhà",
    "name_en": "Housing Division",
    "kind": "division",
    "tier": "province",
    "valid_from": "2025-08-01",
}


async def _ledger_size() -> int:
    return int(await LedgerEntry.count())


async def _holders(client: Any, position: str, at: str) -> list[str]:
    answer = await client.get("/api/v1/positions", params={"at": at, "limit": 500})
    for item in answer.json()["items"]:
        if item["code"] == position:
            return [h["official_code"] for h in item["holders"]]
    return []


async def test_registrar_creates_a_unit_inside_their_domain_with_a_ledger_entry(
    client: Any, registrar_token: str
) -> None:
    before = await _ledger_size()
    headers = await csrf_headers(client, registrar_token)
    response = await client.post(
        "/manage/units/new",
        data={**NEW_UNIT, "parent_code": "SXD"},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/units/SXD-QLN"
    assert await Unit.exists().where(Unit.code == "SXD-QLN")
    entry = await LedgerEntry.select().order_by(LedgerEntry.idx, ascending=False).first()
    assert entry is not None
    assert entry["event_type"] == "unit.recorded"
    assert await _ledger_size() == before + 1


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/manage/units/new", {**NEW_UNIT, "parent_code": "UBND-T"}),
        ("/manage/units/STC/edit", {"name_vi": "Sở Tài chính mới", "parent_code": "UBND-T"}),
        ("/manage/units/STC/dissolve", {"at": "2025-09-01", "step": "confirm"}),
        ("/manage/units/STC/merge", {"at": "2025-09-01", "merged_into": "SXD", "step": "confirm"}),
        (
            "/manage/positions/new",
            {
                "code": "STC.PGD9",
                "unit_code": "STC",
                "title_vi": "Phó GĐ",
                "valid_from": "2025-08-01",
            },
        ),
        (
            "/manage/assignments/new",
            {"official_code": "CB-0001", "position_code": "STC.GD", "valid_from": "2025-09-01"},
        ),
        (
            "/manage/assignments/end",
            {
                "official_code": "CB-0001",
                "position_code": "UBND-T.CT",
                "at": "2025-09-01",
                "step": "confirm",
            },
        ),
    ],
)
async def test_registrar_outside_their_domain_is_refused_and_nothing_is_stored(
    client: Any, registrar_token: str, path: str, form: dict[str, str]
) -> None:
    before = await _ledger_size()
    units = await Unit.select(Unit.code, Unit.name_vi, Unit.valid_to).order_by(Unit.code)
    assignments = await Assignment.count()
    headers = await csrf_headers(client, registrar_token)
    response = await client.post(path, data=form, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert await _ledger_size() == before
    assert await Unit.select(Unit.code, Unit.name_vi, Unit.valid_to).order_by(Unit.code) == units
    assert await Assignment.count() == assignments


async def test_api_write_outside_the_domain_is_refused_with_403(
    client: Any, registrar_token: str
) -> None:
    before = await _ledger_size()
    response = await client.post(
        "/api/v1/units", json={**NEW_UNIT, "parent_code": "UBND-T"}, headers=bearer(registrar_token)
    )
    assert response.status_code == 403
    assert response.json()["reasons"][0]["code"] == "FORBIDDEN"
    assert await _ledger_size() == before
    assert not await Unit.exists().where(Unit.code == "SXD-QLN")


async def test_writes_without_a_token_need_authentication(client: Any, demo: str) -> None:
    response = await client.post("/api/v1/units", json={**NEW_UNIT, "parent_code": "SXD"})
    assert response.status_code == 401


async def test_a_form_refusal_shows_the_same_reason_codes_as_the_api(
    client: Any, admin_token: str
) -> None:
    bad = {**NEW_UNIT, "parent_code": "NO-SUCH-UNIT"}
    api = await client.post("/api/v1/units", json=bad, headers=bearer(admin_token))
    headers = await csrf_headers(client, admin_token)
    page = await client.post("/manage/units/new", data=bad, headers=headers)
    assert api.status_code == page.status_code == 400
    assert [r["code"] for r in api.json()["reasons"]] == ["UNKNOWN_REFERENCE"]
    assert "[UNKNOWN_REFERENCE]" in page.text


async def test_unknown_field_in_the_api_body_is_refused(client: Any, admin_token: str) -> None:
    response = await client.post(
        "/api/v1/units", json={**NEW_UNIT, "colour": "red"}, headers=bearer(admin_token)
    )
    assert response.status_code == 400


async def test_transfer_ends_one_assignment_and_starts_another_at_the_same_instant(
    client: Any, admin_token: str
) -> None:
    assert await _holders(client, "UBND-T.CT", "2025-10-01") == ["CB-0001"]
    response = await client.post(
        "/api/v1/assignments",
        json={
            "official_code": "CB-0001",
            "position_code": "HDND-T.PCT1",
            "valid_from": "2025-10-01",
            "transfer_from": "UBND-T.CT",
        },
        headers=bearer(admin_token),
    )
    assert response.status_code == 201, response.text
    assert await _holders(client, "UBND-T.CT", "2025-09-30") == ["CB-0001"]
    assert await _holders(client, "UBND-T.CT", "2025-10-01") == []
    assert "CB-0001" in await _holders(client, "HDND-T.PCT1", "2025-10-01")
    assert "CB-0001" not in await _holders(client, "HDND-T.PCT1", "2025-09-30")
    before = await client.get("/officials/CB-0001", params={"at": "2025-09-30"})
    after = await client.get("/officials/CB-0001", params={"at": "2025-10-01"})
    now_part = 'id="f-at"'
    assert "/positions/UBND-T.CT" in before.text.split(now_part)[1].split("<table")[0]
    assert "/positions/UBND-T.CT" not in after.text.split(now_part)[1].split("<table")[0]
    events = (
        await LedgerEntry.select(LedgerEntry.event_type)
        .order_by(LedgerEntry.idx, ascending=False)
        .limit(2)
    )
    assert {e["event_type"] for e in events} == {"assignment.ended", "assignment.made"}
    assert after.status_code == before.status_code == 200


async def test_vacating_a_position_lists_the_grants_it_orphans_before_confirming(
    client: Any, admin_token: str
) -> None:
    headers = await csrf_headers(client, admin_token)
    form = {"official_code": "CB-0001", "position_code": "UBND-T.CT", "at": "2025-10-01"}
    preview = await client.post(
        "/manage/assignments/end", data={**form, "step": "preview"}, headers=headers
    )
    assert preview.status_code == 200
    assert await _holders(client, "UBND-T.CT", "2025-10-02") == ["CB-0001"]
    done = await client.post(
        "/manage/assignments/end",
        data={**form, "step": "confirm"},
        headers=headers,
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert await _holders(client, "UBND-T.CT", "2025-10-02") == []
    page = await client.get("/positions/UBND-T.CT", params={"at": "2025-10-02"})
    assert "vacant" in page.text or "trống" in page.text


async def test_merging_a_unit_keeps_its_history_for_earlier_as_of_views(
    client: Any, admin_token: str
) -> None:
    headers = await csrf_headers(client, admin_token)
    form = {"at": "2025-10-01", "merged_into": "SXD", "instrument_number": ""}
    preview = await client.post(
        "/manage/units/STC/merge", data={**form, "step": "preview"}, headers=headers
    )
    assert preview.status_code == 200
    assert 'value="confirm"' in preview.text
    done = await client.post(
        "/manage/units/STC/merge",
        data={**form, "step": "confirm"},
        headers=headers,
        follow_redirects=False,
    )
    assert done.status_code == 303
    unit = (
        await Unit.select(Unit.valid_to, Unit.merged_into.code.as_alias("into"))
        .where(Unit.code == "STC")
        .first()
    )
    assert unit is not None
    assert unit["into"] == "SXD"
    assert unit["valid_to"] == datetime(2025, 9, 30, 17, tzinfo=UTC)
    before = await client.get("/api/v1/units", params={"at": "2025-09-30", "limit": 500})
    after = await client.get("/api/v1/units", params={"at": "2025-10-01", "limit": 500})
    assert "STC" in [u["code"] for u in before.json()["items"]]
    assert "STC" not in [u["code"] for u in after.json()["items"]]
    assert 'href="/units/STC?at=2025-09-30"' in (await client.get("/units?at=2025-09-30")).text
    later = (await client.get("/units?at=2025-10-01")).text
    assert 'href="/units/STC?' not in later
    assert 'href="/units/STC-DKKD?at=2025-10-01"' in later.split('href="/units/SXD?')[1]
    assert (await client.get("/units/STC")).status_code == 200
    last = await LedgerEntry.select().order_by(LedgerEntry.idx, ascending=False).first()
    assert last is not None
    assert last["event_type"] == "unit.merged"


async def test_a_merger_into_an_unknown_unit_is_refused_with_a_reason(
    client: Any, admin_token: str
) -> None:
    headers = await csrf_headers(client, admin_token)
    response = await client.post(
        "/manage/units/STC/merge",
        data={"at": "2025-10-01", "merged_into": "NOPE", "step": "confirm"},
        headers=headers,
    )
    assert response.status_code == 422
    assert "[UNKNOWN_REFERENCE]" in response.text


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def _upload(client: Any, token: str, content: bytes, name: str = "signed.pdf") -> Any:
    headers = await csrf_headers(client, token)
    return await client.post(
        "/manage/instruments/file",
        data={"number": "30/NQ-HĐND"},
        files={"file": (name, content, "application/pdf")},
        headers=headers,
        follow_redirects=False,
    )


async def test_a_signed_pdf_is_stored_under_its_sha256_which_is_shown(
    client: Any, admin_token: str, settings: Any
) -> None:
    response = await _upload(client, admin_token, PDF)
    assert response.status_code == 303
    digest = hashlib.sha256(PDF).hexdigest()
    assert (settings.data_dir / "files" / digest).read_bytes() == PDF
    page = await client.get(response.headers["location"], headers=bearer(admin_token))
    assert digest in page.text
    row = (
        await Instrument.select(Instrument.file_sha256)
        .where(Instrument.number == "30/NQ-HĐND")
        .first()
    )
    assert row is not None
    assert row["file_sha256"] == digest


async def test_a_file_that_claims_to_be_pdf_but_is_not_is_refused(
    client: Any, admin_token: str, settings: Any
) -> None:
    before = await _ledger_size()
    response = await _upload(client, admin_token, b"MZ\x90\x00 not a pdf")
    assert response.status_code == 422
    assert "[FILE_NOT_PDF]" in response.text
    assert await _ledger_size() == before
    assert not (settings.data_dir / "files").exists() or not any(
        (settings.data_dir / "files").iterdir()
    )


async def test_a_file_over_20_mb_is_refused(client: Any, admin_token: str) -> None:
    from registry.errors import Refused
    from registry.organisation.uploads import MAX_FILE_BYTES, Upload, check_upload

    with pytest.raises(Refused) as refused:
        check_upload(Upload("big.pdf", "application/pdf", b"%PDF-" + b"0" * MAX_FILE_BYTES))
    assert refused.value.reasons[0].code == "FILE_TOO_LARGE"
    before = await _ledger_size()
    response = await _upload(client, admin_token, b"%PDF-" + b"0" * MAX_FILE_BYTES)
    assert response.status_code == 413
    assert await _ledger_size() == before


async def test_private_fields_are_shown_to_admins_on_the_management_page_only(
    client: Any, admin_token: str
) -> None:
    page = await client.get("/manage/officials/CB-0001", headers=bearer(admin_token))
    assert page.status_code == 200
    assert "SL-2007-00001" in page.text
    assert (await client.get("/manage/officials/CB-0001")).status_code == 401


async def test_a_new_instrument_and_its_pdf_are_recorded_as_one_change(
    client: Any, admin_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The instrument's row, its ledger entry and the path of its file are one transaction:
    if the path cannot be written, none of it is stored."""
    form = {"number": "77/QĐ-UBND", "type": "decision", "signed_at": "2026-11-20", "public": "true"}
    files = {"file": ("signed.pdf", PDF, "application/pdf")}
    before = await _ledger_size()

    def failing_update(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the file path could not be written")

    with monkeypatch.context() as patched:
        patched.setattr(Instrument, "update", failing_update)
        headers = await csrf_headers(client, admin_token)
        refused = await client.post(
            "/manage/instruments/new", data=form, files=files, headers=headers
        )
    assert refused.status_code == 500
    assert await Instrument.count().where(Instrument.number == "77/QĐ-UBND") == 0
    assert await _ledger_size() == before

    headers = await csrf_headers(client, admin_token)
    made = await client.post("/manage/instruments/new", data=form, files=files, headers=headers)
    assert made.status_code == 303
    row = (
        await Instrument.select(Instrument.file_sha256, Instrument.file_path)
        .where(Instrument.number == "77/QĐ-UBND")
        .first()
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert row == {"file_sha256": digest, "file_path": f"files/{digest}"}
    assert await _ledger_size() == before + 1


async def test_the_signed_pdf_of_a_public_instrument_is_served_to_anyone(
    client: Any, admin_token: str
) -> None:
    assert (await _upload(client, admin_token, PDF)).status_code == 303
    served = await client.get("/instruments/file", params={"number": "30/NQ-HĐND"})
    assert served.status_code == 200
    assert served.content == PDF
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("inline")
    assert "30-NQ-H" in served.headers["content-disposition"]
    page = await client.get(
        "/manage/instruments/file", params={"number": "30/NQ-HĐND"}, headers=bearer(admin_token)
    )
    assert "/instruments/file?number=30%2FNQ-H%C4%90ND" in page.text


async def test_a_private_instruments_pdf_is_served_only_to_those_who_record_instruments(
    client: Any, admin_token: str
) -> None:
    form = {
        "number": "78/QĐ-UBND",
        "type": "decision",
        "signed_at": "2026-11-20",
        "public": "false",
    }
    headers = await csrf_headers(client, admin_token)
    made = await client.post(
        "/manage/instruments/new",
        data=form,
        files={"file": ("signed.pdf", PDF, "application/pdf")},
        headers=headers,
    )
    assert made.status_code == 303
    anonymous = await client.get("/instruments/file", params={"number": "78/QĐ-UBND"})
    assert anonymous.status_code == 404
    assert "NOT_FOUND" in anonymous.text
    staff = await client.get(
        "/instruments/file", params={"number": "78/QĐ-UBND"}, headers=bearer(admin_token)
    )
    assert staff.status_code == 200 and staff.content == PDF


@pytest.mark.parametrize("number", ["NO-SUCH/QĐ", "30/NQ-HĐND", "", "../../session-secret"])
async def test_no_file_is_served_for_an_unknown_number_or_one_without_a_file(
    client: Any, number: str
) -> None:
    answer = await client.get("/instruments/file", params={"number": number})
    assert answer.status_code == 404
    assert "NOT_FOUND" in answer.text
