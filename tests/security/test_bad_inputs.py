"""Hostile and malformed input through the JSON API: refused with the catalogued status and reason
code, and nothing stored (grants, ledger entries, policy rows, acts counted before and after).
The catalogue with the reasons is `docs/bad-inputs.md`; the same inputs through the browser forms
are in `test_bad_input_forms.py`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from registry.ledger.tables import LedgerEntry
from registry.organisation.tables import Unit
from registry.tables import Act, Grant, PolicyRule
from tests.security.conftest import TokenFor

pytestmark = pytest.mark.usefixtures("demo")

CHAIRMAN = "position:UBND-T.CT"
SCRIPT = "<script>alert('x')</script>"


def grant(**changes: Any) -> dict[str, Any]:
    """A valid authorization of the Chairman (XD-03) to the Director of Construction."""
    body: dict[str, Any] = {
        "power": "XD-03",
        "kind": "authorization",
        "grantor": CHAIRMAN,
        "grantee": "position:SXD.GD",
        "scope": {
            "territory": ["UBND-T"],
            "sectors": ["xay_dung"],
            "act_types": ["quyet_dinh_xu_phat"],
            "amount_ceiling": 500_000_000,
        },
        "valid_from": "2026-12-01T00:00:00Z",
        "valid_to": "2027-06-30T00:00:00Z",
        "instrument": {
            "number": "901/GUQ-UBND",
            "type": "authorization_letter",
            "signed_at": "2026-11-20T02:00:00Z",
        },
    }
    body.update(changes)
    return body


def instrument(**changes: Any) -> dict[str, Any]:
    return {**grant()["instrument"], **changes}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


async def stored() -> tuple[int, int, int, int]:
    return (
        await Grant.count(),
        await LedgerEntry.count(),
        await PolicyRule.count(),
        await Act.count(),
    )


@pytest.fixture
async def chairman(token_for: TokenFor) -> dict[str, str]:
    return await token_for("chutich", [("leader", "UBND-T")], official="CB-0001")


@pytest.fixture
async def admin(token_for: TokenFor) -> dict[str, str]:
    return await token_for("quantri", [("admin", "*")])


#: (case, body, expected status, expected reason code) for POST /api/v1/grants by the Chairman.
GRANT_CASES = [
    ("overlong_conditions", grant(conditions_vi="x" * 100_000), 400, "FIELD_TOO_LONG"),
    (
        "overlong_instrument_number",
        grant(instrument=instrument(number="9" * 300)),
        400,
        "FIELD_TOO_LONG",
    ),
    (
        "overlong_instrument_title",
        grant(instrument=instrument(title_vi="Đ" * 5_000)),
        400,
        "FIELD_TOO_LONG",
    ),
    ("impossible_date", grant(valid_from="2026-02-30T00:00:00Z"), 400, "INVALID_DATE"),
    ("end_before_start", grant(valid_to="2026-11-01T00:00:00Z"), 422, "END_NOT_AFTER_START"),
    ("no_end", grant(valid_to=None), 422, "END_REQUIRED"),
    ("self_grant_in_nfd", grant(grantee=nfd(CHAIRMAN)), 422, "SELF_GRANT"),
    (
        "control_characters",
        grant(conditions_vi="Điều kiện\x00\x1b[2J\x07"),
        400,
        "CONTROL_CHARACTERS",
    ),
    ("unknown_field", grant(colour="red"), 400, "INVALID_REQUEST"),
    ("wrong_type", grant(scope="UBND-T"), 400, "INVALID_REQUEST"),
    (
        "scope_wider_than_grantor",
        grant(
            scope={
                "territory": ["UBND-T"],
                "sectors": ["xay_dung", "dat_dai"],
                "act_types": ["quyet_dinh_xu_phat"],
            }
        ),
        422,
        "GRANT_EXCEEDS_SCOPE",
    ),
    (
        "amount_above_source",
        grant(
            scope={
                "territory": ["UBND-T"],
                "sectors": ["xay_dung"],
                "act_types": ["quyet_dinh_xu_phat"],
                "amount_ceiling": 10**15,
            }
        ),
        422,
        "AMOUNT_ABOVE_SOURCE",
    ),
    (
        "negative_amount",
        grant(
            scope={
                "territory": ["UBND-T"],
                "sectors": ["xay_dung"],
                "act_types": ["quyet_dinh_xu_phat"],
                "amount_ceiling": -1,
            }
        ),
        400,
        "INVALID_NUMBER",
    ),
    ("unknown_power", grant(power="XX-99"), 422, "UNKNOWN_REFERENCE"),
    ("unknown_grantee", grant(grantee="position:NO-SUCH.POST"), 422, "GRANTEE_UNKNOWN"),
]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [pytest.param(body, status, code, id=case) for case, body, status, code in GRANT_CASES],
)
async def test_a_hostile_grant_is_refused_with_its_reason_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, chairman, body: dict[str, Any], status: int, code: str
) -> None:
    before = await stored()
    response = await client.post("/api/v1/grants", json=body, headers=chairman)
    assert response.status_code == status, response.text[:500]
    assert code in [reason["code"] for reason in response.json()["reasons"]], response.text[:500]
    assert await stored() == before


async def test_html_in_every_text_field_is_shown_escaped_on_the_public_page(
    client, chairman
) -> None:  # type: ignore[no-untyped-def]
    body = grant(
        conditions_vi=SCRIPT,
        conditions_en=SCRIPT,
        instrument=instrument(number="902/GUQ-UBND", title_vi=SCRIPT),
    )
    made = await client.post("/api/v1/grants", json=body, headers=chairman)
    assert made.status_code == 201, made.text
    for language in ("vi", "en"):
        page = await client.get(
            f"/grants/{made.json()['grant']}", headers={"Accept-Language": language}
        )
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;" in page.text


async def test_revoking_twice_is_refused_and_stores_nothing_the_second_time(
    client, chairman
) -> None:  # type: ignore[no-untyped-def]
    made = await client.post("/api/v1/grants", json=grant(), headers=chairman)
    number = made.json()["grant"]
    revoke = {
        "reason": "Thu hồi",
        "instrument": {
            "number": "903/QĐ-UBND",
            "type": "decision",
            "signed_at": "2026-11-26T02:00:00Z",
        },
    }
    first = await client.post(f"/api/v1/grants/{number}/revoke", json=revoke, headers=chairman)
    assert first.status_code == 200, first.text
    before = await stored()
    again = await client.post(
        f"/api/v1/grants/{number}/revoke",
        json={**revoke, "instrument": "903/QĐ-UBND"},
        headers=chairman,
    )
    assert (again.status_code, again.json()["reasons"][0]["code"]) == (422, "GRANT_ALREADY_REVOKED")
    assert await stored() == before


async def test_a_cycle_back_to_the_grantor_is_refused(client, chairman, token_for) -> None:  # type: ignore[no-untyped-def]
    made = await client.post("/api/v1/grants", json=grant(may_pass_on=True), headers=chairman)
    assert made.status_code == 201, made.text
    director = await token_for("giamdoc", [("leader", "SXD")], official="CB-0014")
    before = await stored()
    back = grant(
        grantor="position:SXD.GD",
        grantee=CHAIRMAN,
        parent=made.json()["grant"],
        instrument=instrument(number="904/GUQ-SXD"),
    )
    response = await client.post("/api/v1/grants", json=back, headers=director)
    assert response.status_code in (403, 422), response.text
    assert await stored() == before


async def test_a_grant_outliving_its_source_is_refused(client, chairman, token_for) -> None:  # type: ignore[no-untyped-def]
    made = await client.post("/api/v1/grants", json=grant(may_pass_on=True), headers=chairman)
    assert made.status_code == 201, made.text
    director = await token_for("giamdoc", [("leader", "SXD")], official="CB-0014")
    before = await stored()
    onward = grant(
        grantor="position:SXD.GD",
        grantee="position:SXD.PGD1",
        parent=made.json()["grant"],
        valid_to="2099-01-01T00:00:00Z",
        instrument=instrument(number="906/GUQ-SXD"),
    )
    response = await client.post("/api/v1/grants", json=onward, headers=director)
    assert response.status_code == 422, response.text
    assert "GRANT_OUTLIVES_SOURCE" in [r["code"] for r in response.json()["reasons"]]
    assert await stored() == before


async def test_passing_on_an_authorization_that_forbids_it_is_refused(
    client, chairman, token_for
) -> None:  # type: ignore[no-untyped-def]
    made = await client.post("/api/v1/grants", json=grant(may_pass_on=False), headers=chairman)
    assert made.status_code == 201, made.text
    director = await token_for("giamdoc", [("leader", "SXD")], official="CB-0014")
    before = await stored()
    onward = grant(
        grantor="position:SXD.GD",
        grantee="position:SXD.PGD1",
        parent=made.json()["grant"],
        instrument=instrument(number="905/GUQ-SXD"),
    )
    response = await client.post("/api/v1/grants", json=onward, headers=director)
    assert response.status_code == 422, response.text
    assert "SOURCE_MAY_NOT_PASS_ON" in [r["code"] for r in response.json()["reasons"]]
    assert await stored() == before


ACT = {
    "number": "77/QĐ-XPVPHC",
    "issuing_unit_code": "SXD",
    "power_code": "XD-03",
    "signer_official_code": "CB-9999",
    "signer_position_code": "SXD.GD",
    "signature_form": "direct",
    "signed_at": "2027-01-05T03:00:00Z",
    "unit_code": "SXD",
    "sector": "xay_dung",
    "act_type": "quyet_dinh_xu_phat",
    "amount": 1_000_000,
}


async def test_an_act_with_an_unknown_signer_is_refused_and_nothing_is_stored(
    client, admin
) -> None:  # type: ignore[no-untyped-def]
    before = await stored()
    response = await client.post("/api/v1/acts", json=ACT, headers=admin)
    assert response.status_code in (400, 422), response.text
    assert "UNKNOWN_REFERENCE" in [r["code"] for r in response.json()["reasons"]]
    assert await stored() == before


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-16"), id="utf-16"),
        pytest.param(
            lambda text: (
                text.replace("Đ", "D")
                .replace("QD", "Quyết định")
                .encode("utf-8")
                .replace("ế".encode(), b"\xea\xcc")
            ),
            id="windows-1258-bytes",
        ),
    ],
)
async def test_an_acts_csv_in_a_wrong_encoding_is_refused_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, admin, encode
) -> None:
    header = ",".join(ACT)
    row = ",".join(str(v) for v in {**ACT, "signer_official_code": "CB-0014"}.values())
    before = await stored()
    response = await client.post(
        "/api/v1/acts/import",
        params={"file_name": "acts.csv"},
        content=encode(f"{header}\n{row}\n"),
        headers=admin,
    )
    # The import API answers a report (200) whose problems say why nothing was imported.
    assert response.status_code == 200, response.text
    report = response.json()
    assert [p["code"] for p in report["problems"]] == ["FILE_NOT_UTF8"]
    assert report["created"] == 0
    assert await stored() == before


async def test_an_oversized_upload_is_refused_before_it_is_read(client, admin) -> None:  # type: ignore[no-untyped-def]
    before = await stored()
    response = await client.post(
        "/api/v1/acts/import", content=b"a" * (21 * 1024 * 1024), headers=admin
    )
    assert response.status_code == 413
    assert response.json()["reasons"][0]["code"] == "PAYLOAD_TOO_LARGE"
    assert await stored() == before


#: (case, changed fields, reason code) for POST /api/v1/acts; each is 400 and stores nothing.
ACT_CASES = [
    ("overlong_number", {"number": "9" * 300}, "FIELD_TOO_LONG"),
    ("impossible_date", {"signed_at": "2027-02-30T03:00:00Z"}, "INVALID_DATE"),
    ("control_characters", {"number": "77/QĐ\x00\x1b[2J"}, "CONTROL_CHARACTERS"),
    ("negative_amount", {"amount": -5}, "INVALID_NUMBER"),
    ("unknown_field", {"colour": "red"}, "INVALID_REQUEST"),
]


@pytest.mark.parametrize(
    ("changes", "code"), [pytest.param(changes, code, id=case) for case, changes, code in ACT_CASES]
)
async def test_a_hostile_act_is_refused_with_its_reason_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, admin, changes: dict[str, Any], code: str
) -> None:
    before = await stored()
    body = {**ACT, "signer_official_code": "CB-0014", **changes}
    response = await client.post("/api/v1/acts", json=body, headers=admin)
    assert response.status_code == 400, response.text[:500]
    assert code in [r["code"] for r in response.json()["reasons"]], response.text[:500]
    assert await stored() == before


UNIT = {
    "code": "SXD-QLN",
    "name_vi": "Phòng Quản lý nhà",
    "kind": "division",
    "tier": "province",
    "parent_code": "SXD",
    "valid_from": "2025-08-01",
}
ASSIGNMENT = {"official_code": "CB-0014", "position_code": "STC.GD", "valid_from": "2025-09-01"}

#: (case, path, body, reason code) for the organisation's write API; each is 400.
ORGANISATION_CASES = [
    ("unit_overlong_name", "/api/v1/units", {**UNIT, "name_vi": "Đ" * 5_000}, "FIELD_TOO_LONG"),
    ("unit_impossible_date", "/api/v1/units", {**UNIT, "valid_from": "2025-02-30"}, "INVALID_DATE"),
    (
        "unit_control_characters",
        "/api/v1/units",
        {**UNIT, "name_vi": "Phòng\x00\x1b[2J\x07"},
        "CONTROL_CHARACTERS",
    ),
    (
        "unit_unknown_parent",
        "/api/v1/units",
        {**UNIT, "parent_code": "NO-SUCH"},
        "UNKNOWN_REFERENCE",
    ),
    ("unit_unknown_field", "/api/v1/units", {**UNIT, "colour": "red"}, "INVALID_REQUEST"),
    (
        "assignment_end_before_start",
        "/api/v1/assignments",
        {**ASSIGNMENT, "valid_to": "2025-08-01"},
        "END_NOT_AFTER_START",
    ),
    (
        "assignment_unknown_official",
        "/api/v1/assignments",
        {**ASSIGNMENT, "official_code": "CB-9999"},
        "UNKNOWN_REFERENCE",
    ),
]


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [pytest.param(path, body, code, id=case) for case, path, body, code in ORGANISATION_CASES],
)
async def test_a_hostile_organisation_write_is_refused_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, admin, path: str, body: dict[str, Any], code: str
) -> None:
    before = await stored()
    units = await Unit.count()
    response = await client.post(path, json=body, headers=admin)
    assert response.status_code == 400, response.text[:500]
    assert code in [r["code"] for r in response.json()["reasons"]], response.text[:500]
    assert (await stored(), await Unit.count()) == (before, units)
