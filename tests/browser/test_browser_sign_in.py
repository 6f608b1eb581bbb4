"""Signing in through the pages: password, then the authenticator's code."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Registry, TotpCodes, sign_in

pytestmark = pytest.mark.browser


def test_leader_signs_in_with_password_and_totp_code_and_lands_on_the_dashboard(
    new_page: Any, registry_server: Registry, totp_codes: TotpCodes
) -> None:
    page = new_page()
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.locator("input[name=username]").fill(registry_server.leader.username)
    page.locator("input[name=password]").fill(registry_server.leader.password)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(re.compile(r"/login/mfa$"))
    assert page.get_by_role("heading", name="Verification code").is_visible()
    assert registry_server.leader.totp_secret
    page.get_by_label("Code").fill(totp_codes.code(registry_server.leader.totp_secret))
    page.get_by_role("button", name="Verify").click()

    page.wait_for_url(re.compile(r"/dashboard$"))
    assert page.get_by_role("heading", name="Grants and delegations", level=1).is_visible()
    assert page.get_by_text(f"Signed in as {registry_server.leader.username}").is_visible()
    # The Chairman holds XD-03 by law and may pass it on.
    assert page.get_by_text("XD-03").first.is_visible()


def test_a_wrong_totp_code_is_refused_with_its_reason_code(
    new_page: Any, registry_server: Registry, browser_problems: Any
) -> None:
    browser_problems.expect_console_error(r"status of 400")
    page = new_page()
    page.goto("/login")
    page.locator("input[name=username]").fill(registry_server.leader.username)
    page.locator("input[name=password]").fill(registry_server.leader.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/login/mfa$"))

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()

    assert page.locator(".error-code", has_text="MFA_CODE_INVALID").first.is_visible()
    assert "/dashboard" not in page.url


def test_inspector_lands_on_a_page_they_may_open_after_signing_in(
    new_page: Any, registry_server: Registry
) -> None:
    page = new_page()
    sign_in(page, registry_server.inspector)
    assert page.locator("#error-page").count() == 0, f"{page.url} is an error page"


def test_a_signed_out_visitor_who_opens_a_page_signs_in_and_lands_on_it(
    new_page: Any, registry_server: Registry, totp_codes: TotpCodes
) -> None:
    page = new_page()
    page.goto("/inspect/acts?verdict=no_authority")
    page.wait_for_url(re.compile(r"/login\?next="))
    assert page.get_by_role("heading", name="Sign in", level=1).is_visible()
    form = page.locator("form[action='/login']")
    form.locator("input[name=username]").fill(registry_server.inspector.username)
    form.locator("input[name=password]").fill(registry_server.inspector.password)
    form.locator("button[type=submit]").click()
    if registry_server.inspector.totp_secret:
        page.wait_for_url(re.compile(r"/login/mfa$"))
        page.locator("input[name=code]").fill(
            totp_codes.code(registry_server.inspector.totp_secret)
        )
        page.locator("form[action='/login/mfa'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/inspect/acts\?verdict=no_authority$"))
    assert page.locator("#error-page").count() == 0
