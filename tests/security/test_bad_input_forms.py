"""Hostile and malformed input through the browser forms (signed in, with the CSRF token, no
JavaScript): the form comes back with the catalogued status, the reason code and its Vietnamese
and English message next to the field it names, the posted text escaped, and nothing stored.
The same inputs through the JSON API are in `test_bad_inputs.py`; the catalogue with both columns
is `docs/bad-inputs.md`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from registry.accounts.reasons import MESSAGES as ACCOUNT_MESSAGES
from registry.domain.reasons import CATALOGUE, ReasonCode
from registry.errors import ACCESS_MESSAGES
from registry.ledger.tables import LedgerEntry
from registry.organisation.tables import Assignment, Instrument, Official, Position, Unit
from registry.organisation.uploads import UPLOAD_MESSAGES
from registry.tables import Act, Grant, PolicyRule
from tests.security.conftest import Browser, SignIn, TokenFor

pytestmark = pytest.mark.usefixtures("demo")

CHAIRMAN = "position:UBND-T.CT"
CHAIRMAN_XD03 = "XD-03~0~position:UBND-T.CT"
SCRIPT = "<script>alert('x')</script>"
PDF = b"%PDF-1.4\n% a signed letter\n%%EOF\n"
LANGUAGES = ("vi", "en")


def day(days_from_today: int) -> str:
    """A date as the form's date fields send it (local day in Asia/Ho_Chi_Minh)."""
    return (datetime.now(UTC) + timedelta(hours=7, days=days_from_today)).date().isoformat()


def utc_day(days_from_today: int) -> str:
    """A UTC date, for instants the API receives as `...T00:00:00Z`: from 17:00 UTC on, the
    local day of `day()` is already tomorrow, and a source starting then is not yet in force."""
    return (datetime.now(UTC) + timedelta(days=days_from_today)).date().isoformat()


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def wizard(**changes: Any) -> dict[str, Any]:
    """The wizard's fields: the Chairman authorizes the Director of Construction (XD-03)."""
    fields: dict[str, Any] = {
        "holding": CHAIRMAN_XD03,
        "power": "XD-03",
        "grantor": CHAIRMAN,
        "parent": "0",
        "kind": "authorization",
        "grantee": "position:SXD.GD",
        "territory": "UBND-T",
        "sectors": "xay_dung",
        "act_types": "quyet_dinh_xu_phat",
        "amount_ceiling": "300000000",
        "valid_from": day(1),
        "valid_to": day(120),
        "instrument": "911/GUQ-UBND",
        "instrument_type": "authorization_letter",
        "instrument_signed_at": day(0),
        "instrument_title_vi": "Giấy ủy quyền xử phạt vi phạm hành chính",
    }
    fields.update(changes)
    return fields


async def stored(data_dir: Path | None = None) -> tuple[int, ...]:
    """Rows of every table a form writes, and the files kept on disk."""
    files = data_dir / "files" if data_dir else None
    return (
        await Grant.count(),
        await LedgerEntry.count(),
        await PolicyRule.count(),
        await Act.count(),
        await Unit.count(),
        await Position.count(),
        await Official.count(),
        await Assignment.count(),
        await Instrument.count(),
        len(list(files.iterdir())) if files and files.exists() else 0,
    )


def _templates(code: str) -> list[tuple[str, str]]:
    if code in ReasonCode.__members__:
        return [CATALOGUE[ReasonCode(code)]]
    catalogues = (ACCESS_MESSAGES, UPLOAD_MESSAGES, ACCOUNT_MESSAGES)
    found = [messages[code] for messages in catalogues if code in messages]
    assert found, f"{code} is in no catalogue of messages"
    return found


def shows_message(errors: str, code: str, language: str) -> bool:
    """Whether the longest fixed stretch of the code's message in that language is shown."""
    for templates in _templates(code):
        template = templates[LANGUAGES.index(language)]
        pieces = [piece.strip(" .:,") for piece in re.split(r"\{[^}]*\}", template)]
        longest = max(pieces, key=len)
        if longest[1:] in errors:
            return True
    return False


def field_errors(page: str, field: str | None) -> str:
    """The error list the form shows next to one field (empty when it shows none); for a
    hidden field (`None`), the summary of errors at the top of the form."""
    if field is None:
        found = re.search(r'<section class="errors-summary".*?</section>', page, re.S)
        return html.unescape(found.group(0)) if found else ""
    found = re.search(
        rf'<ul class="field-errors" id="f-{re.escape(field)}-errors">(.*?)</ul>', page, re.S
    )
    return html.unescape(found.group(1)) if found else ""


async def refused_by_form(
    browser: Browser,
    url: str,
    fields: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
    files: Any = None,
    data_dir: Path | None = None,
) -> list[str]:
    """Post the form in Vietnamese, then in English: each time the form comes back with the
    status, the code and its message next to the field, and nothing is stored."""
    pages = []
    for language in LANGUAGES:
        before = await stored(data_dir)
        response = await browser.post_form(url, fields, files=files, language=language)
        assert response.status_code == status, (language, response.text[:3000])
        errors = field_errors(response.text, field)
        assert f"[{code}]" in errors, (language, field, response.text[:6000])
        assert shows_message(errors, code, language), (language, errors)
        for target in re.findall(
            r'<section class="errors-summary".*?</section>', response.text, re.S
        ):
            for anchor in re.findall(r'href="#([^"]+)"', target):
                assert f'id="{anchor}"' in response.text, (
                    f"the summary links to a missing #{anchor}"
                )
        assert await stored(data_dir) == before
        pages.append(response.text)
    return pages


@pytest.fixture
async def chairman(sign_in: SignIn) -> Browser:
    return await sign_in("chutich", [("leader", "UBND-T")], official="CB-0001")


# ---------------------------------------------------------------- the grant wizard

#: (case, changed fields, expected status, reason code, field the form shows it next to)
WIZARD_CASES = [
    (
        "overlong_conditions",
        {"conditions_vi": "x" * 100_000},
        400,
        "FIELD_TOO_LONG",
        "conditions_vi",
    ),
    ("overlong_instrument_number", {"instrument": "9" * 300}, 400, "FIELD_TOO_LONG", "instrument"),
    (
        "overlong_instrument_title",
        {"instrument_title_vi": "Đ" * 5_000},
        400,
        "FIELD_TOO_LONG",
        "instrument_title_vi",
    ),
    ("impossible_date", {"valid_from": "2026-02-30"}, 400, "INVALID_DATE", "valid_from"),
    ("end_before_start", {"valid_to": day(-30)}, 422, "END_NOT_AFTER_START", "valid_to"),
    ("no_end", {"valid_to": ""}, 422, "END_REQUIRED", "valid_to"),
    ("self_grant_in_nfd", {"grantee": nfd(CHAIRMAN)}, 422, "SELF_GRANT", "grantee"),
    ("self_grant_as_own_official", {"grantee": "official:CB-0001"}, 422, "SELF_GRANT", "grantee"),
    (
        "control_characters",
        {"conditions_vi": "Điều kiện\x00\x1b[2J\x07"},
        400,
        "CONTROL_CHARACTERS",
        "conditions_vi",
    ),
    (
        "control_characters_in_grantee",
        {"grantee": "position:SXD.GD\x1b[2J"},
        400,
        "CONTROL_CHARACTERS",
        "grantee",
    ),
    (
        "scope_wider_than_grantor",
        {"sectors": ["xay_dung", "dat_dai"]},
        422,
        "GRANT_EXCEEDS_SCOPE",
        "sectors",
    ),
    (
        "amount_above_source",
        {"amount_ceiling": str(10**15)},
        422,
        "AMOUNT_ABOVE_SOURCE",
        "amount_ceiling",
    ),
    ("negative_amount", {"amount_ceiling": "-1"}, 400, "INVALID_NUMBER", "amount_ceiling"),
    ("amount_in_words", {"amount_ceiling": "mười triệu"}, 400, "INVALID_NUMBER", "amount_ceiling"),
    ("unknown_grantee", {"grantee": "position:NO-SUCH.POST"}, 422, "GRANTEE_UNKNOWN", "grantee"),
]


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [pytest.param(changes, s, c, f, id=case) for case, changes, s, c, f in WIZARD_CASES],
)
async def test_a_hostile_grant_form_comes_back_with_its_reason_and_nothing_is_stored(
    chairman: Browser, changes: dict[str, Any], status: int, code: str, field: str
) -> None:
    await refused_by_form(chairman, "/grants/new", wizard(**changes), status, code, field)


async def test_an_unknown_power_posted_to_the_wizard_is_refused(chairman: Browser) -> None:
    # The power is a hidden field: its reason is in the summary at the top of the form.
    await refused_by_form(
        chairman, "/grants/new", wizard(power="XX-99"), 422, "UNKNOWN_REFERENCE", None
    )


async def test_a_file_that_claims_to_be_a_pdf_and_is_not_is_refused_by_the_wizard(
    chairman: Browser, settings: Any
) -> None:
    upload = {"instrument_file": ("letter.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")}
    await refused_by_form(
        chairman,
        "/grants/new",
        wizard(),
        422,
        "FILE_NOT_PDF",
        "instrument_file",
        files=upload,
        data_dir=settings.data_dir,
    )


async def test_an_instrument_over_20_mb_is_refused_by_the_wizard(
    chairman: Browser, settings: Any
) -> None:
    upload = {"instrument_file": ("big.pdf", PDF + b"0" * (20 * 1024 * 1024), "application/pdf")}
    await refused_by_form(
        chairman,
        "/grants/new",
        wizard(),
        422,
        "FILE_TOO_LARGE",
        "instrument_file",
        files=upload,
        data_dir=settings.data_dir,
    )


async def test_a_body_over_the_request_limit_is_refused_before_it_is_read(
    chairman: Browser, settings: Any
) -> None:
    before = await stored(settings.data_dir)
    upload = {"instrument_file": ("huge.pdf", PDF + b"0" * (25 * 1024 * 1024), "application/pdf")}
    for language in LANGUAGES:
        response = await chairman.post_form("/grants/new", wizard(), upload, language)
        assert response.status_code == 413
        assert "[PAYLOAD_TOO_LARGE]" in response.text
        assert shows_message(html.unescape(response.text), "PAYLOAD_TOO_LARGE", language)
    assert await stored(settings.data_dir) == before


async def test_names_the_wizard_does_not_show_are_ignored(chairman: Browser) -> None:
    """A browser sends only the form's fields; a forged post adding others changes nothing
    they would name (no file hash without a file, no grant recorded for someone else)."""
    forged = wizard(
        colour="red",
        instrument_file_sha256="0" * 64,
        recorded_for="position:SXD.GD",
        lineage="1",
    )
    made = await chairman.post_form("/grants/new", forged)
    assert made.status_code == 303, made.text[:3000]
    lineage = int(made.headers["location"].rsplit("/", 1)[1])
    grant = (await chairman.client.get(f"/api/v1/grants/{lineage}")).json()["grant"]
    assert (grant["grant"], grant["grantor"], grant["recorded_for"]) == (
        lineage,
        CHAIRMAN,
        CHAIRMAN,
    )
    instrument = (
        await Instrument.select(Instrument.file_sha256)
        .where(Instrument.number == "911/GUQ-UBND")
        .first()
    )
    assert instrument is not None
    assert instrument["file_sha256"] in (None, ""), "a hash claimed without its file"


async def test_script_in_every_text_field_is_shown_escaped(
    chairman: Browser,
) -> None:
    texts = wizard(
        conditions_vi=SCRIPT,
        conditions_en=SCRIPT,
        instrument="912/" + SCRIPT[:40],
        instrument_title_vi=SCRIPT,
    )
    # Refused (impossible date): the form shows back what was typed, escaped.
    for language in LANGUAGES:
        again = await chairman.post_form(
            "/grants/new", {**texts, "valid_from": "2026-02-30"}, language=language
        )
        assert again.status_code == 400
        assert "<script>alert" not in again.text
        assert again.text.count("&lt;script&gt;alert") >= 3
    # A grantee typed as script comes back escaped in the field and in the message.
    for language in LANGUAGES:
        odd = await chairman.post_form("/grants/new", wizard(grantee=SCRIPT), language=language)
        assert odd.status_code in (400, 422)
        assert "<script>alert" not in odd.text
    # Accepted: every page that shows the grant escapes it.
    made = await chairman.post_form("/grants/new", texts)
    assert made.status_code == 303, made.text[:3000]
    for language in LANGUAGES:
        for path in (made.headers["location"], f"{made.headers['location']}/certificate"):
            page = await chairman.client.get(path, headers={"Accept-Language": language})
            assert page.status_code == 200, path
            assert "<script>alert" not in page.text
            assert "&lt;script&gt;" in page.text


# ---------------------------------------------------------------- passing on what one received


async def source_grant(client: Any, token_for: TokenFor, may_pass_on: bool) -> int:
    """The Chairman's authorization of XD-03 to the Director of Construction, made via the API."""
    headers = await token_for("chutich-api", [("leader", "UBND-T")], official="CB-0001")
    body = {
        "power": "XD-03",
        "kind": "authorization",
        "grantor": CHAIRMAN,
        "grantee": "position:SXD.GD",
        "may_pass_on": may_pass_on,
        "scope": {
            "territory": ["UBND-T"],
            "sectors": ["xay_dung"],
            "act_types": ["quyet_dinh_xu_phat"],
            "amount_ceiling": 500_000_000,
        },
        "valid_from": f"{utc_day(-1)}T00:00:00Z",
        "valid_to": f"{utc_day(200)}T00:00:00Z",
        "instrument": {
            "number": "921/GUQ-UBND",
            "type": "authorization_letter",
            "signed_at": f"{utc_day(-2)}T02:00:00Z",
        },
    }
    made = await client.post("/api/v1/grants", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return int(made.json()["grant"])


def onward(source: int, **changes: Any) -> dict[str, Any]:
    """The Director passes the Chairman's authorization on to a deputy director."""
    fields = {
        "holding": f"XD-03~{source}~position:SXD.GD",
        "grantor": "position:SXD.GD",
        "parent": str(source),
        "grantee": "position:SXD.PGD1",
        "instrument": "922/GUQ-SXD",
        "valid_to": day(150),
    }
    return wizard(**{**fields, **changes})


@pytest.mark.parametrize(
    ("may_pass_on", "changes", "status", "code", "field"),
    [
        pytest.param(
            True, {"valid_to": day(400)}, 422, "GRANT_OUTLIVES_SOURCE", "valid_to", id="outlives"
        ),
        pytest.param(True, {"grantee": CHAIRMAN}, 422, "GRANT_CYCLE", "grantee", id="cycle"),
        pytest.param(False, {}, 422, "SOURCE_MAY_NOT_PASS_ON", None, id="may_not_pass_on"),
    ],
)
async def test_passing_on_against_the_chain_rules_is_refused_by_the_form(
    client: Any,
    token_for: TokenFor,
    sign_in: SignIn,
    may_pass_on: bool,
    changes: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
) -> None:
    source = await source_grant(client, token_for, may_pass_on)
    director = await sign_in("giamdoc", [("leader", "SXD")], official="CB-0014")
    await refused_by_form(director, "/grants/new", onward(source, **changes), status, code, field)


# ---------------------------------------------------------------- revoking


async def test_revoking_twice_through_the_form_is_refused_the_second_time(
    client: Any, token_for: TokenFor, chairman: Browser
) -> None:
    source = await source_grant(client, token_for, may_pass_on=False)
    revoke = {
        "reason": "Thu hồi",
        "instrument": "923/QĐ-UBND",
        "instrument_type": "decision",
        "instrument_signed_at": day(0),
    }
    first = await chairman.post_form(f"/grants/{source}/revoke", revoke)
    assert first.status_code == 303, first.text[:3000]
    await refused_by_form(
        chairman, f"/grants/{source}/revoke", revoke, 422, "GRANT_ALREADY_REVOKED", None
    )


# ---------------------------------------------------------------- acts: one form, one file


def act(**changes: Any) -> dict[str, Any]:
    """The act form: a sanction signed by the Director of Construction."""
    fields: dict[str, Any] = {
        "number": "77/QĐ-XPVPHC",
        "type": "decision",
        "issuing_unit_code": "SXD",
        "power_code": "XD-03",
        "signer_official_code": "CB-0014",
        "signer_position_code": "SXD.GD",
        "signature_form": "direct",
        "signed_at": "2027-01-05T10:00",
        "unit_code": "SXD",
        "sector": "xay_dung",
        "act_type": "quyet_dinh_xu_phat",
        "amount": "1000000",
    }
    fields.update(changes)
    return fields


@pytest.fixture
async def inspector(sign_in: SignIn) -> Browser:
    return await sign_in("thanhtra", [("inspector", "*")])


ACT_CASES = [
    ("unknown_signer", {"signer_official_code": "CB-9999"}, 422, "UNKNOWN_REFERENCE",
     "signer_official_code"),
    ("overlong_number", {"number": "9" * 300}, 422, "FIELD_TOO_LONG", "number"),
    ("impossible_date", {"signed_at": "2027-02-30T10:00"}, 422, "INVALID_DATE", "signed_at"),
    ("control_characters", {"number": "77/QĐ\x00\x1b[2J"}, 422, "CONTROL_CHARACTERS", "number"),
    ("negative_amount", {"amount": "-5"}, 422, "INVALID_NUMBER", "amount"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [pytest.param(changes, s, c, f, id=case) for case, changes, s, c, f in ACT_CASES],
)
async def test_a_hostile_act_form_comes_back_with_its_reason_and_nothing_is_stored(
    inspector: Browser, changes: dict[str, Any], status: int, code: str, field: str
) -> None:
    await refused_by_form(inspector, "/inspect/acts/new", act(**changes), status, code, field)


async def test_script_in_an_act_is_shown_escaped(inspector: Browser) -> None:
    refused = await inspector.post_form(
        "/inspect/acts/new", act(number=SCRIPT, sector=SCRIPT, signed_at="2027-02-30T10:00")
    )
    assert refused.status_code == 422
    assert "<script>alert" not in refused.text
    assert refused.text.count("&lt;script&gt;alert") >= 2
    made = await inspector.post_form("/inspect/acts/new", act(number=SCRIPT, sector=SCRIPT))
    assert made.status_code == 303, made.text[:3000]
    for language in LANGUAGES:
        for path in (made.headers["location"], "/inspect/acts"):
            page = await inspector.client.get(path, headers={"Accept-Language": language})
            assert page.status_code == 200
            assert "<script>alert" not in page.text
            assert "&lt;script&gt;" in page.text


ACTS_CSV = (
    "number,issuing_unit_code,power_code,signer_official_code,signer_position_code,"
    "signature_form,signed_at,unit_code,sector,act_type,amount\n"
    "78/Quyết định-XPVPHC,SXD,XD-03,CB-0014,SXD.GD,direct,2027-01-05T03:00:00Z,SXD,xay_dung,"
    "quyet_dinh_xu_phat,1000000\n"
)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(ACTS_CSV.encode("utf-16"), id="utf-16"),
        pytest.param(ACTS_CSV.encode("utf-8").replace("ế".encode(), b"\xea\xcc"), id="cp1258"),
    ],
)
async def test_an_acts_csv_in_a_wrong_encoding_is_reported_and_nothing_is_imported(
    inspector: Browser, content: bytes
) -> None:
    for language in LANGUAGES:
        before = await stored()
        report = await inspector.post_form(
            "/inspect/import", {}, {"file": ("acts.csv", content, "text/csv")}, language
        )
        assert report.status_code == 200
        text = html.unescape(report.text)
        assert "[FILE_NOT_UTF8]" in text
        assert shows_message(text, "FILE_NOT_UTF8", language)
        assert await stored() == before


async def test_an_acts_file_over_the_request_limit_is_refused(inspector: Browser) -> None:
    before = await stored()
    for language in LANGUAGES:
        response = await inspector.post_form(
            "/inspect/import", {}, {"file": ("acts.csv", b"a" * (21 * 1024 * 1024))}, language
        )
        assert response.status_code == 413
        assert "[PAYLOAD_TOO_LARGE]" in response.text
        assert shows_message(html.unescape(response.text), "PAYLOAD_TOO_LARGE", language)
    assert await stored() == before


# ---------------------------------------------------------------- the organisation forms


@pytest.fixture
async def admin(sign_in: SignIn) -> Browser:
    return await sign_in("quantri", [("admin", "*")])


def unit(**changes: Any) -> dict[str, Any]:
    return {
        "code": "SXD-QLN",
        "name_vi": "Phòng Quản lý nhà",
        "name_en": "Housing Division",
        "kind": "division",
        "tier": "province",
        "parent_code": "SXD",
        "valid_from": "2025-08-01",
        **changes,
    }


ASSIGNMENT = {"official_code": "CB-0014", "position_code": "STC.GD", "valid_from": "2025-09-01"}

#: (case, form URL, fields, expected status, reason code, field)
ORGANISATION_CASES = [
    ("unit_overlong_name", "/manage/units/new", unit(name_vi="Đ" * 5_000), 400,
     "FIELD_TOO_LONG", "name_vi"),
    ("unit_impossible_date", "/manage/units/new", unit(valid_from="2025-02-30"), 400,
     "INVALID_DATE", "valid_from"),
    ("unit_control_characters", "/manage/units/new", unit(name_vi="Phòng\x00\x1b[2J\x07"), 400,
     "CONTROL_CHARACTERS", "name_vi"),
    ("unit_unknown_parent", "/manage/units/new", unit(parent_code="NO-SUCH"), 400,
     "UNKNOWN_REFERENCE", "parent_code"),
    ("assignment_end_before_start", "/manage/assignments/new",
     {**ASSIGNMENT, "valid_to": "2025-08-01"}, 400, "END_NOT_AFTER_START", "valid_to"),
    ("assignment_unknown_official", "/manage/assignments/new",
     {**ASSIGNMENT, "official_code": "CB-9999"}, 400, "UNKNOWN_REFERENCE", "official_code"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "fields", "status", "code", "field"),
    [pytest.param(u, fields, s, c, f, id=case) for case, u, fields, s, c, f in ORGANISATION_CASES],
)
async def test_a_hostile_organisation_form_comes_back_with_its_reason_and_nothing_is_stored(
    admin: Browser, url: str, fields: dict[str, Any], status: int, code: str, field: str
) -> None:
    await refused_by_form(admin, url, fields, status, code, field)


async def test_script_in_a_unit_is_shown_escaped(admin: Browser) -> None:
    made = await admin.post_form("/manage/units/new", unit(name_vi=SCRIPT, name_en=SCRIPT))
    assert made.status_code == 303, made.text[:3000]
    for language in LANGUAGES:
        for path in (made.headers["location"], "/units/SXD"):
            page = await admin.client.get(path, headers={"Accept-Language": language})
            assert page.status_code == 200
            assert "<script>alert" not in page.text
            assert "&lt;script&gt;" in page.text


async def test_a_file_that_claims_to_be_a_pdf_and_is_not_is_refused_by_the_instrument_form(
    admin: Browser, settings: Any
) -> None:
    await refused_by_form(
        admin,
        "/manage/instruments/file",
        {"number": "30/NQ-HĐND"},
        422,
        "FILE_NOT_PDF",
        "file",
        files={"file": ("signed.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        data_dir=settings.data_dir,
    )


async def test_an_instrument_file_over_the_limit_is_refused_before_it_is_read(
    admin: Browser, settings: Any
) -> None:
    before = await stored(settings.data_dir)
    big = {"file": ("signed.pdf", PDF + b"0" * (20 * 1024 * 1024), "application/pdf")}
    for language in LANGUAGES:
        response = await admin.post_form(
            "/manage/instruments/file", {"number": "30/NQ-HĐND"}, big, language
        )
        assert response.status_code == 413
        assert "[PAYLOAD_TOO_LARGE]" in response.text
        assert shows_message(html.unescape(response.text), "PAYLOAD_TOO_LARGE", language)
    assert await stored(settings.data_dir) == before


async def test_an_organisation_csv_in_a_wrong_encoding_is_reported_and_nothing_is_imported(
    admin: Browser,
) -> None:
    units = "code,name_vi,kind,tier,parent_code,valid_from\nSXD-QLN,Phòng Quản lý nhà,division,province,SXD,2025-08-01\n"
    for content in (units.encode("utf-16"), units.encode("utf-8").replace("ò".encode(), b"\xf2")):
        for language in LANGUAGES:
            before = await stored()
            report = await admin.post_form(
                "/manage/import",
                {"kind": "units", "mode": "import"},
                {"file": ("units.csv", content, "text/csv")},
                language,
            )
            assert report.status_code == 200, report.text[:3000]
            text = html.unescape(report.text)
            assert "[FILE_NOT_UTF8]" in text
            assert shows_message(text, "FILE_NOT_UTF8", language)
            assert await stored() == before


async def test_script_in_a_revocation_reason_and_an_officials_name_is_shown_escaped(
    client: Any, token_for: TokenFor, chairman: Browser, sign_in: SignIn
) -> None:
    source = await source_grant(client, token_for, may_pass_on=False)
    revoke = {
        "reason": SCRIPT,
        "instrument": "924/QĐ-UBND",
        "instrument_type": "decision",
        "instrument_signed_at": day(0),
        "instrument_title_vi": SCRIPT,
    }
    done = await chairman.post_form(f"/grants/{source}/revoke", revoke)
    assert done.status_code == 303, done.text[:3000]
    admin = await sign_in("quantri", [("admin", "*")])
    made = await admin.post_form(
        "/manage/officials/new", {"code": "CB-9001", "full_name": SCRIPT, "display_name": SCRIPT}
    )
    assert made.status_code == 303, made.text[:3000]
    for language in LANGUAGES:
        for path in (f"/grants/{source}", "/officials/CB-9001", made.headers["location"]):
            page = await admin.client.get(path, headers={"Accept-Language": language})
            assert page.status_code == 200, path
            assert "<script>alert" not in page.text, path
            assert "&lt;script&gt;" in page.text, path
