"""A leader grants a delegation through the wizard, finds it in the public ledger, revokes it,
and the check API refuses it; the same grant works with JavaScript turned off."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Registry, today

pytestmark = pytest.mark.browser

INSTRUMENT = "91/GUQ-UBND-TN"
REVOCATION = "92/QĐ-UBND-TN"
GRANTEE = "position:SXD.GD"
#: What the check API is asked: may the Director of Construction fine in construction now?
CHECK = {
    "position": "SXD.GD",
    "power": "XD-03",
    "facts": {
        "unit": "SXD",
        "sector": "xay_dung",
        "act_type": "quyet_dinh_xu_phat",
        "amount": 1_000_000,
    },
}


@pytest.fixture(scope="module")
def made() -> dict[str, Any]:
    """What the wizard test made, for the revocation test that follows it."""
    return {}


def choose_power(page: Any, power: str) -> None:
    """Step 1 of the wizard: the power to pass on, from those the leader holds."""
    page.locator(f"input[name=holding][value^='{power}~']").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/grants/new\?holding="))
    assert page.get_by_text(f"Step 2 of 2: grant {power}").is_visible()


def fill_grant(page: Any, grantee: str, instrument: str, ceiling: str) -> None:
    """Everything but the end of validity, which an authorization needs."""
    page.get_by_label(re.compile(r"^Kind")).select_option("authorization")
    page.get_by_label(re.compile(r"^Grantee")).fill(grantee)
    page.get_by_label("Amount ceiling (VND)").fill(ceiling)
    page.get_by_label("Valid from").fill(today().isoformat())
    page.get_by_label("Number and symbol").fill(instrument)
    page.get_by_label("Type of instrument").select_option("authorization_letter")
    page.get_by_label("Signed on").fill((today() - timedelta(days=1)).isoformat())


def check_api(page: Any, registry: Registry) -> dict[str, Any]:
    response = page.request.post(
        "/api/v1/check",
        data=CHECK,
        headers={"Authorization": f"Bearer {registry.check_token}"},
    )
    assert response.status == 200, response.text()
    answer: dict[str, Any] = response.json()
    return answer


def test_leader_grants_an_authorization_through_the_wizard_and_finds_it_in_the_public_ledger(
    new_page: Any, leader_session: dict[str, Any], made: dict[str, Any]
) -> None:
    page = new_page(storage_state=leader_session)
    page.goto("/dashboard")
    page.get_by_role("button", name="Make a new grant").click()
    choose_power(page, "XD-03")

    # The grantee search answers as you type, without diacritics.
    page.get_by_label(re.compile(r"^Grantee")).fill("giam doc so xay")
    match = page.locator("#grantee-matches li", has_text=GRANTEE)
    match.wait_for()
    assert match.inner_text().startswith("Giám đốc Sở Xây dựng")

    fill_grant(page, GRANTEE, INSTRUMENT, "500000000")
    # No end date: the as-you-type check names the rule, with its reason code.
    # (Each change re-posts the form: wait for the answer to the last one.)
    reasons = page.locator("#precheck li[data-code]")
    expect(reasons).to_have_count(1)
    expect(reasons).to_have_attribute("data-code", "END_REQUIRED")
    expect(reasons).to_contain_text("[END_REQUIRED]")

    page.get_by_label("Valid until").fill((today() + timedelta(days=180)).isoformat())
    expect(page.locator("#precheck .precheck-ok")).to_be_visible()
    expect(reasons).to_have_count(0)

    page.get_by_role("button", name="Record the grant").click()
    page.wait_for_url(re.compile(r"/grants/\d+$"))
    grant_id = int(page.url.rsplit("/", 1)[1])
    assert page.get_by_role("heading", name=f"Grant #{grant_id}: XD-03").is_visible()
    assert page.locator(".grant-status [data-status=active]").is_visible()
    facts = page.locator("dl.grant-facts")
    assert "Director, Department of Construction" in facts.inner_text()
    assert INSTRUMENT in facts.inner_text()
    entry_link = facts.get_by_role("link", name=re.compile(r"^#\d+$"))
    entry = int(entry_link.inner_text().lstrip("#"))
    made.update(grant=grant_id, entry=entry)

    # The public finds it by instrument number, and by the grantee's name typed without diacritics.
    public = new_page()
    for words in (INSTRUMENT, "giam doc so xay dung"):
        public.goto("/ledger")
        public.get_by_label(re.compile("^Words")).fill(words)
        public.locator("form.ledger-search").get_by_role("button", name="Search").click()
        results = public.locator("#ledger-results")
        results.get_by_role("link", name=f"#{entry}", exact=True).wait_for()
    public.goto(f"/ledger?q={INSTRUMENT}")
    public.locator("#ledger-results").get_by_role("link", name=f"#{entry}", exact=True).click()
    public.wait_for_url(re.compile(rf"/ledger/{entry}$"))
    assert public.get_by_role("heading", level=1).inner_text() == "Grant made: XD-03"
    assert (public.locator(".eyebrow").text_content() or "").startswith(f"Ledger entry #{entry}")
    body = public.locator("main").inner_text()
    assert INSTRUMENT in body
    assert GRANTEE in body


def test_leader_revokes_it_after_seeing_what_falls_and_the_check_api_refuses_it(
    new_page: Any, leader_session: dict[str, Any], registry_server: Registry, made: dict[str, Any]
) -> None:
    if "grant" not in made:
        pytest.skip("needs the grant made by the wizard test")
    page = new_page(storage_state=leader_session)
    before = check_api(page, registry_server)
    assert before["allowed"] is True, before
    assert [link["grant"] for link in before["chain"]][-1] == made["grant"]

    page.goto(f"/grants/{made['grant']}")
    page.get_by_role("link", name="Revoke").click()
    page.wait_for_url(re.compile(rf"/grants/{made['grant']}/revoke$"))
    impact = page.locator("section.impact")
    assert impact.get_by_role("heading", name="What falls with it").is_visible()
    assert "nothing else falls" in impact.inner_text()

    page.get_by_label("Reason").fill("Giám đốc Sở được điều động; thu hồi ủy quyền.")
    page.get_by_label("Number and symbol").fill(REVOCATION)
    page.get_by_label("Type of instrument").select_option("decision")
    page.get_by_label("Signed on").fill(today().isoformat())
    page.get_by_role("button", name="Confirm the revocation").click()

    page.wait_for_url(re.compile(rf"/grants/{made['grant']}$"))
    assert page.locator(".grant-status [data-status=revoked]").is_visible()
    history = page.locator("section[aria-labelledby=history-title]").inner_text()
    assert REVOCATION in history

    after = check_api(page, registry_server)
    assert after["allowed"] is False, after
    assert after["reasons"][0]["code"] == "GRANT_REVOKED"


def test_the_same_grant_works_with_javascript_turned_off(
    new_page: Any, leader_session: dict[str, Any], browser_problems: Any
) -> None:
    # The refused post answers 422 (the form again, with its errors): Chromium logs that status.
    browser_problems.expect_console_error(r"status of 422")
    page = new_page(storage_state=leader_session, java_script_enabled=False)
    page.goto("/grants/new")
    choose_power(page, "YT-04")
    fill_grant(page, "position:SYT.GD", "93/GUQ-UBND-TN", "5000000")

    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_role("button", name="Record the grant").click()
    assert refused.value.status == 422
    summary = page.locator("main").inner_text()
    assert "[END_REQUIRED]" in summary
    # What was typed is still there.
    assert page.get_by_label(re.compile(r"^Grantee")).input_value() == "position:SYT.GD"

    page.get_by_label("Valid until").fill((today() + timedelta(days=90)).isoformat())
    with page.expect_response(lambda r: r.request.method == "POST") as recorded:
        page.get_by_role("button", name="Record the grant").click()
    assert recorded.value.status == 303
    page.wait_for_url(re.compile(r"/grants/\d+$"))
    assert page.locator(".grant-status [data-status=active]").is_visible()
    assert "Director, Department of Health" in page.locator("dl.grant-facts").inner_text()
