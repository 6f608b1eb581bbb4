"""An inspector imports signed acts, reads why one failed, and exports a case's evidence bundle."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Registry, sign_in

pytestmark = pytest.mark.browser

HEADER = (
    "number,type,issuing_unit_code,power_code,signer_official_code,signer_position_code,"
    "signature_form,signed_at,unit_code,sector,act_type,amount,expected_verdict"
)
#: The Vice-Chairman CB-0005 signs for the Chairman (KT.) under authorizations of the demo: one
#: act in force, one between two authorizations, one above the fine's ceiling, and one in force
#: but signed in his own name where the authorization asks for "KT.".
ACTS_CSV = "\n".join(
    [
        HEADER,
        "901/QĐ-KTTN,decision,UBND-T,DD-04,CB-0005,UBND-T.PCT2,KT,2026-06-10T03:00:00Z,"
        "XA-TAM-HOP,dat_dai,quyet_dinh_gia_dat,,within_authority",
        "902/QĐ-KTTN,decision,UBND-T,DD-04,CB-0005,UBND-T.PCT2,KT,2026-02-20T03:00:00Z,"
        "XA-TAM-HOP,dat_dai,quyet_dinh_gia_dat,,grant_expired",
        "903/QĐ-KTTN,decision,UBND-T,XD-03,CB-0005,UBND-T.PCT2,KT,2026-03-02T03:00:00Z,"
        "XA-AN-PHU,xay_dung,quyet_dinh_xu_phat,2500000000,amount_exceeded",
        "904/QĐ-KTTN,decision,UBND-T,DD-04,CB-0005,UBND-T.PCT2,direct,2026-06-11T03:00:00Z,"
        "XA-TAM-HOP,dat_dai,quyet_dinh_gia_dat,,signature_form_inconsistent",
    ]
).encode()
FAILING = "904/QĐ-KTTN"


def test_inspector_imports_acts_reads_a_failing_one_and_exports_the_case_bundle(
    new_page: Any, registry_server: Registry, tmp_path: Path
) -> None:
    page = new_page(accept_downloads=True)
    sign_in(page, registry_server.inspector, next_path="/inspect/import")
    page.wait_for_url(re.compile(r"/inspect/import$"))

    page.get_by_label("File").set_input_files(
        files=[{"name": "acts.csv", "mimeType": "text/csv", "buffer": ACTS_CSV}]
    )
    page.get_by_role("button", name="Import").click()
    report = page.locator("section[aria-labelledby=report-title]")
    report.wait_for()
    assert "Recorded and traced: 4" in report.inner_text()
    assert "Refused rows: 0" in report.inner_text()
    # One act of each verdict: four rows in the table of verdicts.
    assert report.locator("table tbody tr").count() == 4
    for verdict in ("Within authority", "Amount above the ceiling", "Signature form inconsistent"):
        assert verdict in report.inner_text()

    # Find it by its verdict, as an inspector would.
    page.goto("/inspect/acts")
    page.get_by_label("Verdict").select_option("signature_form_inconsistent")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"verdict=signature_form_inconsistent"))
    page.locator("#acts-results").get_by_role("link", name=FAILING).click()

    page.wait_for_url(re.compile(r"/inspect/acts/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == FAILING
    assert page.locator("[data-verdict=signature_form_inconsistent]").first.is_visible()
    reasons = page.locator("section[aria-labelledby=reasons-title]")
    assert "[SIGNATURE_FORM_INCONSISTENT]" in reasons.inner_text()
    assert_chain_diagram(page, "UBND-T.PCT2")

    # A case over the days of the act, then its evidence bundle.
    page.goto("/inspect/cases")
    page.get_by_label(re.compile(r"^Title")).fill("Kiểm tra quyết định giá đất tháng 6/2026")
    page.get_by_label(re.compile(r"^Units")).fill("UBND-T")
    page.get_by_label(re.compile(r"^Period from")).fill("2026-06-01")
    page.get_by_label(re.compile(r"^Period until")).fill("2026-06-15")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(re.compile(r"/inspect/cases/\d+$"))
    assert page.get_by_role("link", name=FAILING).is_visible()

    with page.expect_download() as downloading:
        page.get_by_role("link", name=re.compile("evidence bundle")).click()
    download = downloading.value
    assert re.fullmatch(r"case-\d+\.zip", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert zipfile.is_zipfile(saved)
    with zipfile.ZipFile(saved) as bundle:
        assert bundle.testzip() is None
        names = set(bundle.namelist())
        acts_csv = bundle.read("acts.csv").decode("utf-8-sig")
        checkpoint = bundle.read("checkpoint.txt").decode()
    assert {"summary.html", "acts.csv", "chains.json", "checkpoint.txt", "vkey.txt"} <= names
    assert FAILING in acts_csv
    assert "signature_form_inconsistent" in acts_csv
    assert any(name.startswith("proofs/") for name in names)
    assert checkpoint.startswith(registry_server.base_url.removeprefix("http://"))


def assert_chain_diagram(page: Any, grantee: str) -> None:
    """The act page draws the chain as an inline SVG: a box per holder, arrows between."""
    diagram = page.locator("svg.chain-diagram")
    assert diagram.is_visible()
    assert diagram.get_attribute("role") == "img"
    assert diagram.locator("rect").count() >= 2
    assert diagram.locator("line").count() >= 1
    assert grantee in diagram.inner_html()


def test_an_act_above_the_ceiling_shows_the_chain_whose_ceiling_it_exceeded(
    new_page: Any, registry_server: Registry
) -> None:
    page = new_page()
    sign_in(page, registry_server.inspector, next_path="/inspect/acts?verdict=amount_exceeded")
    page.locator("#acts-results").get_by_role("link", name="142/QĐ-BVĐK").click()
    page.wait_for_url(re.compile(r"/inspect/acts/\d+$"))
    assert (
        "[AMOUNT_EXCEEDED]" in page.locator("section[aria-labelledby=reasons-title]").inner_text()
    )
    assert_chain_diagram(page, "BVDK-T")
    assert page.locator("svg.chain-diagram rect.chain-exceeded").count() == 1
