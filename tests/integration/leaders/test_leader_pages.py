"""Leaders and registrars in the browser, without JavaScript: the wizard records a grant and
answers 303; refusals re-render the form (422) and store nothing; a forged grantor is 403;
revocation previews what falls; the certificate, the lookup and the notices."""

from __future__ import annotations

import hashlib
import re
import zlib
from typing import Any
from urllib.parse import quote

import pytest

from registry.ledger.tables import LedgerEntry
from registry.tables import Grant
from tests.integration.leaders.conftest import Browser, local_day

pytestmark = pytest.mark.usefixtures("demo")

CHAIRMAN_XD03 = "XD-03~0~position:UBND-T.CT"
SIGNED_PDF = b"%PDF-1.4\n% a signed letter of authorization\n%%EOF\n"
HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def wizard_fields(**changes: str) -> dict[str, Any]:
    """The Chairman authorizes the Director of Construction to sanction violations (XD-03)."""
    fields: dict[str, Any] = {
        "holding": CHAIRMAN_XD03,
        "power": "XD-03",
        "grantor": "position:UBND-T.CT",
        "parent": "0",
        "kind": "authorization",
        "grantee": "position:SXD.GD",
        "territory": "UBND-T",
        "sectors": "xay_dung",
        "act_types": "quyet_dinh_xu_phat",
        "amount_ceiling": "300000000",
        "valid_from": local_day(1),
        "valid_to": local_day(120),
        "instrument": "77/GUQ-UBND",
        "instrument_type": "authorization_letter",
        "instrument_signed_at": local_day(0),
        "instrument_title_vi": "Giấy ủy quyền xử phạt vi phạm hành chính trong lĩnh vực xây dựng",
    }
    fields.update(changes)
    return fields


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with every Flate stream inflated (WeasyPrint packs objects into streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


async def stored() -> tuple[int, int]:
    return await Grant.count(), await LedgerEntry.count()


@pytest.fixture
async def chairman(sign_in: Any) -> Browser:
    browser: Browser = await sign_in("chutich", [("leader", "UBND-T")], official="CB-0001")
    return browser


async def test_the_wizard_records_a_grant_without_javascript_and_redirects_to_it(
    chairman: Browser, settings: Any
) -> None:
    choose = await chairman.client.get("/grants/new")
    assert choose.status_code == 200
    assert f'value="{CHAIRMAN_XD03}"' in choose.text
    form = await chairman.client.get(f"/grants/new?holding={quote(CHAIRMAN_XD03)}")
    assert form.status_code == 200
    assert 'name="grantor" value="position:UBND-T.CT"' in form.text
    assert 'value="authorization"' in form.text
    assert 'value="decentralization"' not in form.text

    made = await chairman.post_form(
        "/grants/new",
        wizard_fields(),
        files={"instrument_file": ("77-GUQ-UBND.pdf", SIGNED_PDF, "application/pdf")},
    )

    assert made.status_code == 303, made.text
    grant_url = made.headers["location"]
    lineage = int(grant_url.rsplit("/", 1)[1])
    page = await chairman.client.get(grant_url)
    assert page.status_code == 200
    assert "position:SXD.GD" in page.text
    assert "77/GUQ-UBND" in page.text
    listed = await chairman.client.get("/api/v1/grants?grantor=position:UBND-T.CT&limit=500")
    assert lineage in [g["grant"] for g in listed.json()["grants"]]
    sha = hashlib.sha256(SIGNED_PDF).hexdigest()
    assert (settings.data_dir / "files" / sha).read_bytes() == SIGNED_PDF
    certificate = await chairman.client.get(f"/grants/{lineage}/certificate")
    assert sha in certificate.text


async def test_precheck_partial_reports_end_required_for_an_authorization_without_end(
    chairman: Browser,
) -> None:
    checked = await chairman.post_form(
        "/grants/precheck",
        wizard_fields(valid_to=""),
        headers={**HTMX, "HX-Target": "section#precheck"},
    )
    assert checked.status_code == 200
    assert 'id="precheck"' in checked.text
    assert "<html" not in checked.text
    assert "END_REQUIRED" in checked.text
    assert 'href="#f-valid_to"' in checked.text


async def test_a_refused_post_rerenders_the_form_with_its_errors_and_stores_nothing(
    chairman: Browser,
) -> None:
    before = await stored()
    refused = await chairman.post_form(
        "/grants/new",
        wizard_fields(valid_to=""),
        files={"instrument_file": ("letter.pdf", b"<html>not a pdf</html>", "application/pdf")},
    )
    assert refused.status_code == 422
    assert "END_REQUIRED" in refused.text
    assert "FILE_NOT_PDF" in refused.text
    assert 'id="f-valid_to-errors"' in refused.text
    assert 'name="grantee" value="position:SXD.GD"' in refused.text
    assert await stored() == before


async def test_a_leader_who_forges_the_hidden_grantor_is_forbidden_and_nothing_is_stored(
    chairman: Browser,
) -> None:
    before = await stored()
    forged = await chairman.post_form(
        "/grants/new",
        wizard_fields(
            holding="XD-02~0~position:SXD.GD",
            power="XD-02",
            grantor="position:SXD.GD",
            grantee="position:SXD.PGD2",
            act_types="thong_bao_ket_qua_tham_dinh",
            territory="SXD",
            amount_ceiling="",
        ),
    )
    assert forged.status_code == 403
    assert await stored() == before


async def test_revocation_previews_the_grants_that_fall_then_confirms(
    sign_in: Any, api_token: Any, client: Any
) -> None:
    admin = await api_token()
    permits = ["cap_giay_phep_xay_dung"]
    source = await client.post(
        "/api/v1/grants",
        headers=admin,
        json={
            "power": "XD-01",
            "kind": "authorization",
            "grantor": "unit:UBND-T",
            "grantee": "position:SXD.GD",
            "may_pass_on": True,
            "scope": {"territory": ["UBND-T"], "sectors": ["xay_dung"], "act_types": permits},
            "valid_from": local_day(0),
            "valid_to": local_day(200),
            "instrument": {
                "number": "81/GUQ-UBND",
                "type": "authorization_letter",
                "signed_at": local_day(0),
            },
        },
    )
    assert source.status_code == 201, source.text
    parent = source.json()["grant"]
    child = await client.post(
        "/api/v1/grants",
        headers=admin,
        json={
            "power": "XD-01",
            "kind": "authorization",
            "grantor": "position:SXD.GD",
            "grantee": "position:SXD.PGD1",
            "parent": parent,
            "scope": {"territory": ["SXD"], "sectors": ["xay_dung"], "act_types": permits},
            "valid_from": local_day(0),
            "valid_to": local_day(100),
            "instrument": {
                "number": "12/GUQ-SXD",
                "type": "authorization_letter",
                "signed_at": local_day(0),
            },
        },
    )
    assert child.status_code == 201, child.text
    registrar = await sign_in("vanthu", [("registrar", "UBND-T")])

    preview = await registrar.client.get(f"/grants/{parent}/revoke")
    assert preview.status_code == 200
    assert f'data-falls="{child.json()["grant"]}"' in preview.text
    missing = await registrar.post_form(f"/grants/{parent}/revoke", {"reason": "Sắp xếp lại"})
    assert missing.status_code in (400, 422)
    assert "REVOCATION_INSTRUMENT_REQUIRED" in missing.text or "FIELD_REQUIRED" in missing.text

    done = await registrar.post_form(
        f"/grants/{parent}/revoke",
        {
            "reason": "Sắp xếp lại tổ chức bộ máy",
            "instrument": "90/QĐ-UBND",
            "instrument_type": "decision",
            "instrument_signed_at": local_day(0),
        },
    )
    assert done.status_code == 303, done.text
    page = await registrar.client.get(done.headers["location"])
    assert 'data-status="revoked"' in page.text
    fallen = await registrar.client.get(f"/grants/{child.json()['grant']}")
    assert 'data-status="void_upstream"' in fallen.text


async def test_the_certificate_pdf_is_a_pdf_carrying_the_ledger_link(
    client: Any, settings: Any
) -> None:
    listed = (await client.get("/api/v1/grants?power=DD-03&grantee=unit:SNNMT")).json()
    grant = listed["grants"][0]
    pdf = await client.get(f"/grants/{grant['grant']}/certificate.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    link = f"{settings.public_base_url}/ledger/{grant['ledger_index']}"
    assert link.encode() in pdf_text(pdf.content), "the QR code's link is in the PDF"
    html = await client.get(f"/grants/{grant['grant']}/certificate")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html.text
    assert link in html.text
    assert "<svg" in html.text


async def test_lookup_shows_the_depth_three_chain_of_dd03_in_the_province_on_1_march_2026(
    client: Any,
) -> None:
    found = await client.get("/lookup?power=DD-03&unit=UBND-T&on=2026-03-01")
    assert found.status_code == 200
    holder = found.text.split("position:VPDKDD.PGD1", 1)
    assert len(holder) == 2, "the deputy director of the land registration office holds DD-03"
    chain = holder[1].split("</ol>", 1)[0]
    assert chain.count("<li>") == 4, "the law and three grants"
    assert "unit:SNNMT" in chain
    assert "position:VPDKDD.GD" in chain


async def test_notifications_show_a_grant_about_to_expire(
    chairman: Browser, api_token: Any
) -> None:
    made = await chairman.post_form(
        "/grants/new",
        wizard_fields(valid_from=local_day(0), valid_to=local_day(10), instrument="78/GUQ-UBND"),
    )
    assert made.status_code == 303, made.text
    lineage = made.headers["location"].rsplit("/", 1)[1]
    inbox = await chairman.client.get("/notifications")
    assert inbox.status_code == 200
    assert f'data-notice="expiring-30:{lineage}"' in inbox.text
    board = await chairman.client.get("/dashboard")
    assert board.status_code == 200
    assert f"/grants/{lineage}" in board.text
    feed_path = inbox.text.split('type="application/atom+xml"', 1)[1].split('href="', 1)[1]
    feed = await chairman.client.get(feed_path.split('"', 1)[0])
    assert feed.status_code == 200
    assert f"expiring-30:{lineage}" in feed.text
    forged = await chairman.client.get(feed_path.split('"', 1)[0].replace("/feed", "x/feed"))
    assert forged.status_code == 404
