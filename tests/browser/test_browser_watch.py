"""The page fixture's watch: it notices console errors and CSP violations (so the other tests'
silence means something)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import BrowserProblems

pytestmark = pytest.mark.browser


def test_the_watch_notices_a_console_error_and_a_csp_violation(
    new_page: Any, browser_problems: BrowserProblems
) -> None:
    page = new_page()
    page.goto("/")
    page.evaluate("console.error('registry browser-test probe')")
    # An image from another origin: img-src allows only 'self' and data:.
    page.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('img'),"
        " {src: 'http://192.0.2.1/probe.png'}))"
    )
    page.wait_for_function("window.__csp.length > 0")
    page.evaluate("1")  # the binding's report arrives before this answer

    seen = list(browser_problems.problems)
    browser_problems.problems.clear()  # they were provoked on purpose
    page.evaluate("window.__csp.length = 0")
    assert any("registry browser-test probe" in problem for problem in seen), seen
    assert any("CSP violation" in p and "img-src" in p for p in seen), seen
