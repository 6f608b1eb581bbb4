"""The app answers: home page, probes, error pages, security headers, static files."""

from __future__ import annotations

import pytest

from registry.web.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.usefixtures("database")

EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def assert_security_headers(response) -> None:  # type: ignore[no-untyped-def]
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]


async def test_home_page_is_served_in_vietnamese_by_default(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi"' in response.text
    assert_security_headers(response)


async def test_home_page_in_english_when_the_browser_prefers_it(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert '<html lang="en"' in response.text


async def test_an_unknown_page_gets_a_bilingual_404_with_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert "Traceback" not in response.text
    assert_security_headers(response)


async def test_an_unknown_api_path_gets_json_with_a_reason_code(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    body = response.json()
    assert body["reasons"][0]["code"] == "NOT_FOUND"
    assert body["reasons"][0]["message_vi"] and body["reasons"][0]["message_en"]
    assert_security_headers(response)


async def test_static_files_carry_the_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" not in response.headers.get("cache-control", "")


async def test_pages_are_not_cached(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/")
    assert response.headers["cache-control"] == "no-store"


async def test_health_and_readiness(client) -> None:  # type: ignore[no-untyped-def]
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}


async def test_a_foreign_host_header_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response.json()["reasons"][0]["code"] == "INVALID_HOST"


async def test_the_openapi_schema_is_served_without_a_cdn_page(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/api/docs/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Delegation registry API"


async def test_a_nul_byte_in_the_query_is_refused_with_a_reason(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/api/v1/units?after=%00abc")
    assert response.status_code == 400
    assert response.json()["reasons"][0]["code"] == "INVALID_REQUEST"
    assert_security_headers(response)
