"""A signed-out browser that opens a protected page is sent to sign in and back to that page;
programs keep their 401; `next` never leads to another site (no open redirect)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pyotp
import pytest

from registry.accounts.services import create_account
from registry.web.sign_in import local_path
from tests.integration.accounts.helpers import give_second_factor, post_form

PASSWORD = "a long enough passphrase 2026"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
#: The `next` of the sign-in form (the language switch has a `next` of its own).
HIDDEN_NEXT = re.compile(
    r'action="/login">.*?<input type="hidden" name="next" value="([^"]*)">', re.S
)

#: Targets that would take the visitor to another site, or that a browser would read so.
FOREIGN = [
    pytest.param("//evil.example/", id="protocol-relative"),
    pytest.param("https://evil.example/", id="scheme"),
    pytest.param("http:/evil.example", id="scheme-one-slash"),
    pytest.param("javascript:alert(1)", id="javascript"),
    pytest.param("/\\evil.example", id="slash-backslash"),
    pytest.param("\\\\evil.example", id="backslashes"),
    pytest.param("/grants\\..\\\\evil.example", id="backslash-inside"),
    pytest.param("/\t/evil.example", id="tab"),
    pytest.param("/\n/evil.example", id="newline"),
    pytest.param("/ /evil.example", id="space"),
    pytest.param("evil.example", id="relative"),
    pytest.param("/đ/evil", id="not-ascii"),
]


@pytest.mark.parametrize("target", FOREIGN)
def test_a_foreign_or_ambiguous_next_is_not_a_local_path(target: str) -> None:
    assert local_path(target) == ""


@pytest.mark.parametrize(
    "target", ["/", "/dashboard", "/grants/12?at=2026-03-01", "/inspect/acts?verdict=expired"]
)
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert local_path(target) == target


async def test_a_signed_out_visitor_is_sent_to_sign_in_and_lands_on_the_page_asked_for(
    client: Any, database: str
) -> None:
    await create_account("vanthu", PASSWORD, [("registrar", "*")])
    asked = await client.get("/manage/import?kind=units", headers=BROWSER)
    assert asked.status_code == 303
    login_url = asked.headers["location"]
    assert login_url == "/login?next=" + quote("/manage/import?kind=units", safe="")

    login = await client.get(login_url, headers=BROWSER)
    assert login.status_code == 200
    hidden = HIDDEN_NEXT.search(login.text)
    assert hidden is not None
    assert hidden.group(1) == "/manage/import?kind=units"
    assert "Trang bạn mở cần có tài khoản" in login.text
    signed_in = await post_form(
        client, "/login", {"username": "vanthu", "password": PASSWORD, "next": hidden.group(1)}
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/manage/import?kind=units"
    page = await client.get(signed_in.headers["location"], headers=BROWSER)
    assert page.status_code == 200


async def test_pages_of_ones_own_account_also_send_to_sign_in(client: Any, database: str) -> None:
    asked = await client.get("/account/password", headers=BROWSER)
    assert (asked.status_code, asked.headers["location"]) == (
        303,
        "/login?next=%2Faccount%2Fpassword",
    )


async def test_programs_keep_their_401(client: Any, database: str) -> None:
    """The JSON API and /metrics answer 401 even to a client that accepts HTML, and a client
    that does not ask for HTML (curl, scripts) gets the 401 page rather than a redirect."""
    for path in ("/api/v1/acts/1", "/api/v1/accounts/me", "/metrics"):
        answer = await client.get(path, headers=BROWSER)
        assert answer.status_code == 401, path
        assert "location" not in answer.headers
    api = await client.get("/api/v1/acts/1", headers=BROWSER)
    assert api.json()["reasons"][0]["code"] == "AUTHENTICATION_REQUIRED"
    plain = await client.get("/dashboard", headers={"Accept": "*/*"})
    assert plain.status_code == 401
    assert "[AUTHENTICATION_REQUIRED]" in plain.text


async def test_an_htmx_request_gets_hx_redirect_back_to_the_page_it_runs_on(
    client: Any, database: str
) -> None:
    htmx = {
        "Accept": "text/html",
        "HX-Request": "true",
        "HX-Request-Type": "partial",
        "HX-Current-URL": "http://testserver.local/grants/new?holding=XD-03",
    }
    answer = await client.get("/grants/grantees?q=so", headers=htmx)
    assert answer.status_code == 401
    assert "location" not in answer.headers
    assert answer.headers["hx-redirect"] == "/login?next=" + quote(
        "/grants/new?holding=XD-03", safe=""
    )
    foreign = {**htmx, "HX-Current-URL": "http://testserver.local//evil.example/x"}
    answer = await client.get("/grants/grantees?q=so", headers=foreign)
    assert answer.headers["hx-redirect"] == "/login"


@pytest.mark.parametrize("target", FOREIGN)
async def test_sign_in_never_leads_to_another_site(client: Any, database: str, target: str) -> None:
    await create_account("vanthu", PASSWORD, [("registrar", "*")])
    login = await client.get("/login", params={"next": target}, headers=BROWSER)
    hidden = HIDDEN_NEXT.search(login.text)
    assert hidden is not None
    assert hidden.group(1) == ""
    assert "Trang bạn mở cần có tài khoản" not in login.text
    signed_in = await post_form(
        client, "/login", {"username": "vanthu", "password": PASSWORD, "next": target}
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/dashboard"
    language = await post_form(client, "/language", {"language": "en", "next": target})
    assert (language.status_code, language.headers["location"]) == (303, "/")


async def test_a_leader_lands_on_the_page_asked_for_after_the_second_factor(
    client: Any, database: str
) -> None:
    await create_account("chutich", PASSWORD, [("leader", "*")])
    secret = await give_second_factor("chutich")
    asked = await client.get("/grants/new?party=position%3AUBND-T.CT", headers=BROWSER)
    assert asked.status_code == 303
    login = await client.get(asked.headers["location"], headers=BROWSER)
    hidden = HIDDEN_NEXT.search(login.text)
    assert hidden is not None
    password = await post_form(
        client, "/login", {"username": "chutich", "password": PASSWORD, "next": hidden.group(1)}
    )
    assert (password.status_code, password.headers["location"]) == (303, "/login/mfa")
    code = pyotp.TOTP(secret).now()
    done = await post_form(client, "/login/mfa", {"code": code})
    assert done.status_code == 303
    assert done.headers["location"] == "/grants/new?party=position%3AUBND-T.CT"


async def test_an_htmx_form_posted_after_the_session_ended_is_sent_to_sign_in(
    client: Any, database: str
) -> None:
    htmx = {
        "Accept": "text/html",
        "HX-Request": "true",
        "HX-Current-URL": "http://testserver.local/grants/new?holding=XD-03~0~unit:UBND-T",
    }
    answer = await post_form(client, "/grants/precheck", {"power": "XD-03"}, headers=htmx)
    assert answer.status_code == 401
    assert answer.headers["hx-redirect"] == "/login?next=" + quote(
        "/grants/new?holding=XD-03~0~unit:UBND-T", safe=""
    )
    # Without htmx, a refused form post is not redirected (its data would be lost silently).
    plain = await post_form(client, "/grants/precheck", {"power": "XD-03"}, headers=BROWSER)
    assert plain.status_code == 401
    assert "location" not in plain.headers
