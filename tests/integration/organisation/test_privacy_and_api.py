"""Private fields never leave the registry; the read API pages by key and answers as of a date."""

from __future__ import annotations

import csv
from typing import Any

from registry.demo_province import DEMO_DIR
from registry.ledger.tables import LedgerEntry
from tests.integration.organisation.org_fixtures import bearer

OFFICIALS = list(csv.DictReader((DEMO_DIR / "officials.csv").open(encoding="utf-8")))
PRIVATE = [v for r in OFFICIALS for v in (r["staff_number"], r["email"], r["phone"]) if v]


def _leaks(text: str) -> list[str]:
    return [value for value in PRIVATE if value in text]


async def test_no_private_field_appears_on_any_public_page(client: Any, demo: str) -> None:
    pages = ["/units", "/powers", "/units/UBND-T", "/units/SXD", "/positions/UBND-T.CT"]
    pages += [f"/officials/{row['code']}" for row in OFFICIALS]
    for path in pages:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert not _leaks(response.text), path


async def test_no_private_field_appears_in_the_public_api(client: Any, demo: str) -> None:
    texts, after = [], ""
    while True:
        page = await client.get("/api/v1/officials", params={"after": after, "limit": 50})
        assert page.status_code == 200
        texts.append(page.text)
        after = page.json()["next"]
        if after is None:
            break
    codes = [o["code"] for t in texts for o in __import__("json").loads(t)["items"]]
    assert codes == sorted(row["code"] for row in OFFICIALS)
    assert not _leaks("".join(texts))
    for path in ("/api/v1/units/UBND-T", "/api/v1/positions?limit=500"):
        assert not _leaks((await client.get(path)).text)


async def test_no_private_field_reaches_any_ledger_entry(client: Any, admin_token: str) -> None:
    created = await client.post(
        "/api/v1/officials",
        json={
            "code": "CB-9999",
            "full_name": "Đặng Thu Hà",
            "staff_number": "SL-PRIVATE-1",
            "email": "ha.private@example.vn",
            "phone": "0900000001",
        },
        headers=bearer(admin_token),
    )
    assert created.status_code == 201
    assert "SL-PRIVATE-1" not in created.text
    payloads = " ".join(r["payload"] for r in await LedgerEntry.select(LedgerEntry.payload))
    assert not _leaks(payloads)
    assert "SL-PRIVATE-1" not in payloads
    assert "ha.private@example.vn" not in payloads


async def test_units_are_listed_by_key_with_a_next_cursor(client: Any, demo: str) -> None:
    first = (await client.get("/api/v1/units", params={"limit": 5})).json()
    assert len(first["items"]) == 5
    assert first["next"] == first["items"][-1]["code"]
    second = (await client.get("/api/v1/units", params={"limit": 5, "after": first["next"]})).json()
    assert second["items"][0]["code"] > first["next"]


async def test_a_limit_above_500_is_refused(client: Any, demo: str) -> None:
    response = await client.get("/api/v1/units", params={"limit": 501})
    assert response.status_code == 400


async def test_power_answer_names_the_lawful_holder_and_grants_in_force(
    client: Any, demo: str
) -> None:
    answer = (await client.get("/api/v1/powers/DD-02", params={"at": "2025-09-01"})).json()
    assert answer["holders"][0] == {
        "party": "unit:UBND-T",
        "source": "law:DD-02",
        "valid_from": None,
        "valid_to": None,
    }
    listed = await client.get("/api/v1/powers", params={"sector": "dat_dai", "q": "thu hoi"})
    assert [p["code"] for p in listed.json()["items"]] == ["DD-02"]


async def test_read_api_is_in_the_openapi_schema_with_status_codes(client: Any, demo: str) -> None:
    schema = (await client.get("/api/docs/openapi.json")).json()
    units = schema["paths"]["/api/v1/units"]
    assert {"200", "400"} <= set(units["get"]["responses"])
    assert {"201", "403", "422"} <= set(units["post"]["responses"])
    for path in ("/api/v1/positions", "/api/v1/officials", "/api/v1/powers/{code}"):
        assert path in schema["paths"]
