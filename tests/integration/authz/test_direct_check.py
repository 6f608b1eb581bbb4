"""`POST /api/v1/check` answered by the gateway's direct path equals the Litestar route's answer.

Each request is sent twice to the same app: once with the direct path on, once with every check
sent through the Litestar route. Status, headers (but the request id) and body (but `checked_at`,
the clock) must be the same, and the direct path must really have answered the ordinary checks
and left every other request to the route.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from registry.accounts.services import create_account
from registry.accounts.tokens import create_token
from registry.authz import direct_check

pytestmark = pytest.mark.usefixtures("demo")

PASSWORD = "a long enough passphrase 2026"


def land_check(**changes: Any) -> dict[str, Any]:
    """CB-0045 heads the land registration office, which holds DD-03 through the department
    from the provincial committee (a chain of three links)."""
    body: dict[str, Any] = {
        "official": "CB-0045",
        "power": "DD-03",
        "facts": {"unit": "SNNMT", "sector": "dat_dai", "act_type": "cap_giay_chung_nhan"},
        "at": "2026-10-01T03:00:00Z",
    }
    body.update(changes)
    return body


JSON = {"content-type": "application/json"}
CASES: list[tuple[str, bytes, dict[str, str], bool]] = [
    # (what, body, headers, answered directly)
    ("allowed, chain of three", json.dumps(land_check()).encode(), JSON, True),
    (
        "refused: another unit",
        json.dumps(land_check(facts={**land_check()["facts"], "unit": "SXD"})).encode(),
        JSON,
        True,
    ),
    (
        "refused: before it all",
        json.dumps(land_check(at="2001-01-01T00:00:00Z")).encode(),
        JSON,
        True,
    ),
    (
        "by position",
        json.dumps(land_check(official=None, position="VPDKDD.GD")).encode(),
        JSON,
        True,
    ),
    (
        "charset in the type",
        json.dumps(land_check()).encode(),
        {"content-type": "application/json; charset=utf-8"},
        True,
    ),
    ("no act type", json.dumps(land_check(facts={"unit": "SXD"})).encode(), JSON, False),
    ("unknown power", json.dumps(land_check(power="ZZ-99")).encode(), JSON, False),
    ("official and position", json.dumps(land_check(position="VPDKDD.GD")).encode(), JSON, False),
    ("neither", json.dumps(land_check(official=None)).encode(), JSON, False),
    ("bad instant", json.dumps(land_check(at="yesterday")).encode(), JSON, False),
    ("unknown field", json.dumps({**land_check(), "extra": 1}).encode(), JSON, False),
    ("not JSON", b"{not json", JSON, False),
    ("wrong type", json.dumps(land_check(facts={"unit": 5})).encode(), JSON, False),
    (
        "form type",
        json.dumps(land_check()).encode(),
        {"content-type": "application/x-www-form-urlencoded"},
        False,
    ),
]


async def bearer(scope: str) -> dict[str, str]:
    name = f"machine-{scope}"
    await create_account(name, PASSWORD, [("inspector", "UBND-T")] if scope != "check" else [])
    return {"authorization": f"Bearer {await create_token(name, scope)}"}


def comparable(response: Any) -> tuple[int, list[tuple[str, str]], Any]:
    headers = sorted((k, v) for k, v in response.headers.multi_items() if k != "x-request-id")
    try:
        body: Any = response.json()
    except ValueError:
        body = response.content
    if isinstance(body, dict):
        body.pop("checked_at", None)
    return response.status_code, headers, body


async def test_direct_answers_equal_the_routes(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered: list[bool] = []
    answer = direct_check.answer

    async def counting(*args: Any) -> bool:
        result = await answer(*args)
        answered.append(result)
        return result

    monkeypatch.setattr(direct_check, "answer", counting)
    gateway = client.app.asgi_handler
    token = await bearer("check")
    for what, body, headers, direct in CASES:
        answered.clear()
        gateway.direct_checks = True
        fast = await client.post("/api/v1/check", content=body, headers={**headers, **token})
        gateway.direct_checks = False
        routed = await client.post("/api/v1/check", content=body, headers={**headers, **token})
        assert comparable(fast) == comparable(routed), what
        if direct:
            assert fast.status_code == 200, what
    gateway.direct_checks = True


async def test_callers_without_the_permission_go_to_the_route(client: Any) -> None:
    body = json.dumps(land_check()).encode()
    anonymous = await client.post("/api/v1/check", content=body, headers=JSON)
    assert anonymous.status_code == 401
    assert anonymous.json()["reasons"][0]["code"]
    write_token = await bearer("write")  # an inspector's write token may check
    allowed = await client.post("/api/v1/check", content=body, headers={**JSON, **write_token})
    assert allowed.status_code == 200
    assert allowed.json()["allowed"] is True
    assert allowed.json()["chain"][0]["kind"] == "law"


async def test_a_body_in_pieces_is_read_whole_and_a_large_one_is_replayed() -> None:
    pieces = [
        {"type": "http.request", "body": b'{"a":', "more_body": True},
        {"type": "http.request", "body": b"1}", "more_body": False},
    ]
    queue = list(pieces)

    async def receive() -> Any:
        return queue.pop(0)

    body, messages = await direct_check.read_body(receive)
    assert body == b'{"a":1}'
    assert messages == pieces

    big = [
        {"type": "http.request", "body": b"x" * direct_check.MAX_BODY, "more_body": True},
        {"type": "http.request", "body": b"y", "more_body": True},
        {"type": "http.request", "body": b"z", "more_body": False},
    ]
    queue = list(big)
    body, messages = await direct_check.read_body(receive)
    assert body is None
    again = direct_check.replaying(messages, receive)
    assert [await again(), await again(), await again()] == big
