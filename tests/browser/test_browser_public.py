"""A visitor without an account: Vietnamese first, English on request, search without diacritics."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Registry

pytestmark = pytest.mark.browser


def test_visitor_reads_the_home_page_in_vietnamese_and_switches_to_english_and_back(
    new_page: Any, registry_server: Registry
) -> None:
    page = new_page(locale="vi-VN")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Ai nắm giữ thẩm quyền nào, do ai giao và đến khi nào"
    )

    switch = page.locator("form.language-switch")
    with page.expect_response(lambda r: r.request.method == "POST") as switched:
        switch.get_by_role("button", name="English").click()
    assert switched.value.status == 303
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Who holds which public power, from whom, and until when"
    )
    assert switch.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"

    switch.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_function("document.documentElement.lang === 'vi'")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ai nắm giữ")
    assert page.url == f"{registry_server.base_url}/", "the switch goes back to the same page"


@pytest.mark.parametrize(
    ("typed", "found"),
    [("phuong dong hai", "phường Đông Hải"), ("phuong da giang", "phường Đà Giang")],
)
def test_visitor_finds_names_with_diacritics_and_d_stroke_by_typing_without_them(
    new_page: Any, typed: str, found: str
) -> None:
    page = new_page(locale="vi-VN")
    page.goto("/")
    page.get_by_role("searchbox").fill(typed)
    page.locator("form.hero-search").get_by_role("button").click()
    page.wait_for_url(re.compile(r"/ledger\?"))

    # Narrow to the units' own entries, whose subject is the unit's Vietnamese name.
    page.locator("form.ledger-search details summary").click()
    page.locator("#f-event_type").select_option("unit.recorded")
    page.locator("form.ledger-search button[type=submit]").click()
    page.wait_for_url(re.compile(r"event_type=unit\.recorded"))
    results = page.locator("#ledger-results table.ledger-results tbody")
    results.locator("tr").first.wait_for()
    assert found in results.inner_text(), results.inner_text()


def test_the_browser_is_not_sent_to_a_missing_favicon(new_page: Any) -> None:
    page = new_page()
    page.goto("/")
    declared = page.locator("link[rel~=icon]").count()
    assert declared or page.request.get("/favicon.ico").status == 200


def test_the_public_ledger_search_page_speaks_vietnamese(new_page: Any) -> None:
    english = new_page(locale="en-US")
    english.goto("/ledger")
    vietnamese = new_page(locale="vi-VN")
    vietnamese.goto("/ledger")
    assert vietnamese.locator("html").get_attribute("lang") == "vi"
    for selector in ("h1", "form.ledger-search button[type=submit]", "label[for=f-q]"):
        assert vietnamese.locator(selector).inner_text() != english.locator(selector).inner_text()
