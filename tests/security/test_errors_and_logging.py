"""Failures show no internals and refusals leave a trail: a crashing handler gives the bilingual
500 page (or a JSON reason) without a trace, and a denied authorization is logged with subject,
resource, action and reason."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import get
from structlog.testing import capture_logs

from tests.security.conftest import TokenFor

SECRET = "internal detail that must never reach a visitor"


@get("/__boom", opt={"public": True}, sync_to_thread=False)
def boom_page() -> str:
    raise RuntimeError(SECRET)


@get("/api/v1/__boom", opt={"public": True}, sync_to_thread=False)
def boom_api() -> str:
    raise RuntimeError(SECRET)


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_crashing_page_gives_the_500_page_without_a_trace(client, language: str) -> None:  # type: ignore[no-untyped-def]
    client.app.register(boom_page)
    response = await client.get("/__boom", headers={"Accept-Language": language})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    for leak in (SECRET, "Traceback", "RuntimeError", ".py", "litestar"):
        assert leak not in response.text
    assert response.headers["cache-control"] == "no-store"


async def test_the_500_page_quotes_the_request_reference_of_the_log_line(client) -> None:  # type: ignore[no-untyped-def]
    client.app.register(boom_page)
    response = await client.get("/__boom")
    assert response.headers["x-request-id"] in response.text


async def test_the_log_line_of_a_failure_carries_the_request_id_and_path_of_its_response(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import structlog
    from structlog.testing import LogCapture

    from registry.web import errors
    from registry.web.logs import add_request_context

    client.app.register(boom_page)
    captured = LogCapture()
    saved = structlog.get_config()
    structlog.configure(processors=[add_request_context, captured])
    try:
        # The module's logger may have been cached (with the old processors) by an earlier test.
        monkeypatch.setattr(errors, "log", structlog.get_logger("registry.errors"))
        given = await client.get("/__boom", headers={"X-Request-ID": "req-from-the-caller"})
        made = await client.get("/__boom")
    finally:
        structlog.configure(**saved)
    lines = [e for e in captured.entries if e["event"] == "server_error"]
    assert [(e["request_id"], e["path"]) for e in lines] == [
        ("req-from-the-caller", "/__boom"),
        (made.headers["x-request-id"], "/__boom"),
    ]
    assert given.headers["x-request-id"] == "req-from-the-caller"


async def test_a_crashing_api_call_gives_a_json_reason_without_a_trace(client) -> None:  # type: ignore[no-untyped-def]
    client.app.register(boom_api)
    response = await client.get("/api/v1/__boom")
    assert response.status_code == 500
    assert response.json()["reasons"][0]["code"] == "SERVER_ERROR"
    assert SECRET not in response.text and "Traceback" not in response.text


@pytest.mark.usefixtures("demo")
async def test_a_denied_authorization_is_logged_with_subject_resource_action_and_reason(  # type: ignore[no-untyped-def]
    client, token_for: TokenFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import structlog

    from registry.authz import guard

    reader = await token_for("chutich", [("leader", "UBND-T")], official="CB-0001", scope="read")
    with capture_logs() as logs:
        # The module's logger may have been cached (with the old processors) by an earlier test.
        monkeypatch.setattr(guard, "log", structlog.get_logger("registry.authz"))
        response = await client.post("/api/v1/grants", json={}, headers=reader)
    assert response.status_code == 403
    [denied] = [e for e in logs if e["event"] == "authorization_denied"]
    assert (denied["subject"], denied["resource"], denied["action"]) == (
        "chutich",
        "grants",
        "grant",
    )
    assert denied["reason"]
    [audited] = [e for e in logs if e.get("logger") == "audit"]
    assert (audited["event"], audited["status"], audited["actor"]) == (
        "request_refused",
        403,
        "chutich",
    )


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", ""])
async def test_a_request_for_another_host_is_refused(client, host: str) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "evil" not in response.text
