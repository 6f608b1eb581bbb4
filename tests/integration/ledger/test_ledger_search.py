"""Public ledger search: folded text, đ as d, phrases, prefixes, filters, keyset pages, safety.

The same expectations run on SQLite (FTS5) and PostgreSQL (tsvector) via REGISTRY_TEST_ENGINE.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from registry.ledger import search_plans
from registry.ledger.search import parse_query, parse_text, search_ledger
from tests.integration.ledger.ledger_fixtures import append, grant_made

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def found(client: Any, **params: Any) -> list[int]:
    answer = await client.get("/api/v1/ledger/search", params=params)
    assert answer.status_code == 200, answer.text
    return [entry["index"] for entry in answer.json()["entries"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("nguyen van", [5, 0]),
        ("Nguyễn Văn", [5, 0]),
        ("NGUYEN", [5, 3, 0]),
        ("da nang", [4]),
        ("Đà Nẵng", [4]),
        ("dang van duc", [2]),
        ("đặng", [2]),
        ("duc", [2]),
        ('"van an"', [0]),
        ('"an van"', []),
        ('"thi van"', [5]),
        ("ng*", [5, 3, 0]),
        ("du*", [2]),
        ("bi*", [1]),
        ("ngu*", [5, 3, 0]),
        ("binh tran", [1]),
        ("nobody", []),
    ],
)
async def test_text_search_ignores_diacritics_and_case_and_ands_the_words(
    client: Any, people: str, q: str, expected: list[int]
) -> None:
    assert await found(client, q=q) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"unit": "XA-AN-PHU"}, [3, 0]),
        ({"power": "XD-02"}, [5, 3, 1]),
        ({"kind": "decentralization"}, [3, 0]),
        ({"event_type": "grant.made"}, [5, 4, 3, 2, 1, 0]),
        ({"event_type": "grant.revoked"}, []),
        ({"status": "made", "sector": "dat-dai"}, [5, 4, 3, 2, 1, 0]),
        ({"q": "nguyen", "unit": "DNG"}, [5]),
        ({"q": "nguyen", "from": "2026-03-03"}, [5, 3]),
        ({"from": "2026-03-02", "to": "2026-03-03"}, [3, 2]),
        ({"to": "2026-03-01"}, [1, 0]),
        ({"from": "2027-01-01"}, []),
        ({"to": "2020-01-01"}, []),
    ],
)
async def test_filters_and_date_ranges_narrow_the_results(
    client: Any, people: str, params: dict[str, str], expected: list[int]
) -> None:
    assert await found(client, **params) == expected


async def test_pages_follow_by_keyset_newest_first_without_gaps_or_repeats(
    database: str,
) -> None:
    await append([grant_made(i + 1, f"Nguyễn Số {i}", "SXD") for i in range(123)])
    query = parse_query({"q": "nguyen"})
    seen: list[int] = []
    before = 2**62
    pages = 0
    while True:
        page = await search_ledger(query, ZONE, before)
        seen += [e.index for e in page.entries]
        pages += 1
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == list(range(122, -1, -1))
    assert pages == 3


async def test_api_search_answers_entries_and_the_next_cursor(client: Any, database: str) -> None:
    await append([grant_made(i + 1, "Lê Văn Tám", "SXD") for i in range(55)])
    first = (await client.get("/api/v1/ledger/search", params={"q": "tam"})).json()
    assert len(first["entries"]) == 50
    assert first["next_before"] == 5
    second = (await client.get("/api/v1/ledger/search", params={"q": "tam", "before": 5})).json()
    assert [e["index"] for e in second["entries"]] == [4, 3, 2, 1, 0]
    assert second["next_before"] is None


HOSTILE = [
    '"',
    '""',
    "*",
    "a*",
    "**",
    "NEAR(",
    "NEAR(a b, 2)",
    "AND OR",
    "NOT",
    "'; DROP TABLE ledger_entry; --",
    "nguyen OR 1=1",
    "col:value",
    "^start",
    "(((",
    "a & b | !c",
    "x:* <-> y",
    "\\",
    "\x00",
    "🙂 🇻🇳",
    "ｎｇｕｙｅｎ",
    "a" * 5000,
    "nguyen " * 1000,
    "đ" * 5000,
]


@pytest.mark.parametrize("q", HOSTILE)
async def test_hostile_queries_answer_200_never_a_server_error(
    client: Any, people: str, q: str
) -> None:
    answer = await client.get("/api/v1/ledger/search", params={"q": q})
    if "\x00" in q:
        # A NUL byte is refused for every request, with its reason (PostgreSQL cannot store it).
        assert answer.status_code == 400, answer.text
        assert answer.json()["reasons"][0]["code"] == "INVALID_REQUEST"
        return
    assert answer.status_code == 200, answer.text


def test_query_text_keeps_only_letters_and_digits_of_each_term() -> None:
    assert [t.words for t in parse_text('Nguyễn "Đà  Nẵng" ng* x* NEAR( "')] == [
        ("nguyen",),
        ("da", "nang"),
        ("ng",),
        ("x",),
        ("near",),
    ]
    assert parse_text("ng*")[0].prefix
    assert not parse_text("x*")[0].prefix


async def test_matches_on_both_sides_of_the_recent_window_come_newest_first(
    database: str,
) -> None:
    def name(i: int) -> str:
        return "Hứa Văn Cũ" if i < 30 else ("Hứa Văn Mới" if i >= 2080 else "Người Khác")

    await append([grant_made(i + 1, name(i), "SXD") for i in range(2100)])
    page = await search_ledger(parse_query({"q": "hua"}), ZONE)
    assert [e.index for e in page.entries] == [*range(2099, 2079, -1), *range(29, -1, -1)]
    assert page.next_before is None


@pytest.mark.parametrize("filters", [{"unit": "DNG"}, {"unit": "DNG", "event_type": "grant.made"}])
async def test_text_with_filters_finds_the_same_entries_on_both_sides_of_the_window(
    database: str, monkeypatch: pytest.MonkeyPatch, filters: dict[str, str]
) -> None:
    # A small window makes the newest entries one plan and the older ones the other.
    monkeypatch.setattr(search_plans, "FILTERED_WINDOW", 40)
    monkeypatch.setattr(search_plans, "RECENT_WINDOW", 40)

    def entry(i: int) -> Any:
        name = "Hứa Văn Cũ" if i % 7 == 0 else "Người Khác"
        return grant_made(i + 1, name, "DNG" if i % 3 == 0 else "SXD")

    await append([entry(i) for i in range(300)])
    expected = [i for i in range(299, -1, -1) if i % 7 == 0 and i % 3 == 0]
    first = await search_ledger(parse_query({"q": "hua van", **filters}), ZONE, page_size=5)
    assert [e.index for e in first.entries] == expected[:5]
    whole = await search_ledger(parse_query({"q": "hua van", **filters}), ZONE, page_size=50)
    assert [e.index for e in whole.entries] == expected
    assert whole.next_before is None


@pytest.mark.parametrize("every", [3, 11, 97])
async def test_common_middling_and_rare_words_give_the_same_pages_whatever_the_window(
    database: str, monkeypatch: pytest.MonkeyPatch, every: int
) -> None:
    # Small windows make the window, its extension and the index all take part.
    monkeypatch.setattr(search_plans, "RECENT_WINDOW", 40)
    monkeypatch.setattr(search_plans, "MAX_RECENT_EXTENSION", 1000)
    monkeypatch.setattr(search_plans, "FILTERED_WINDOW", 40)
    names = ["Hứa Văn Cũ" if i % every == 0 else "Người Khác" for i in range(600)]
    await append([grant_made(i + 1, name, "SXD") for i, name in enumerate(names)])
    expected = [i for i in range(599, -1, -1) if i % every == 0]
    seen: list[int] = []
    before = None
    while True:
        page = await search_ledger(
            parse_query({"q": "hua"}), ZONE, **({"before": before} if before else {})
        )
        seen += [e.index for e in page.entries]
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == expected
