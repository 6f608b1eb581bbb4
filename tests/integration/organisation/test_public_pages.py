"""Public organisation and powers pages: no login, read-only, as-of views, nothing private."""

from __future__ import annotations

import csv
from typing import Any

import pytest

from registry.demo_province import DEMO_DIR

PRIVATE_VALUES = [
    value
    for row in csv.DictReader((DEMO_DIR / "officials.csv").open(encoding="utf-8"))
    for value in (row["staff_number"], row["email"], row["phone"])
    if value
]


@pytest.fixture
async def demo_client(demo: str, client: Any) -> Any:
    return client


async def test_unit_tree_is_public_and_works_without_javascript(demo_client: Any) -> None:
    response = await demo_client.get("/units")
    assert response.status_code == 200
    assert "<details open>" in response.text
    assert 'href="/units/UBND-T"' in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/units/UBND-T",
        "/units/SXD",
        "/positions/UBND-T.CT",
        "/officials/CB-0001",
        "/powers",
        "/powers?sector=dat_dai",
        "/powers/DD-02",
        "/units?at=2025-01-01",
        "/powers/DD-02?at=2025-08-01",
    ],
)
async def test_public_pages_answer_without_login(demo_client: Any, path: str) -> None:
    response = await demo_client.get(path)
    assert response.status_code == 200, response.text[:2000]


async def test_power_search_ignores_diacritics_and_d_stroke(demo_client: Any) -> None:
    response = await demo_client.get("/powers", params={"q": "thu hoi dat"})
    assert "DD-02" in response.text
    assert "DD-04" not in response.text


async def test_unknown_unit_is_not_found(demo_client: Any) -> None:
    assert (await demo_client.get("/units/NOPE")).status_code == 404


async def test_a_bad_as_of_date_is_refused_with_a_reason(demo_client: Any) -> None:
    response = await demo_client.get("/units?at=31-12-2025", headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["reasons"][0]["code"] == "INVALID_DATE"
