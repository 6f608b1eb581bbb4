"""Public ledger pages: search with and without htmx, permalinks with proofs, corrections."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.ledger.ledger_fixtures import append, correction


async def test_search_page_works_without_javascript_as_a_get_form(
    page_client: Any, people: str
) -> None:
    answer = await page_client.get("/ledger", params={"q": "nguyen van"})
    assert answer.status_code == 200
    html = answer.text
    assert "<html" in html
    assert re.search(r'<form[^>]+method="get"[^>]+action="/ledger"', html)
    assert 'type="submit"' in html
    assert 'id="ledger-results"' in html
    assert 'href="/ledger/5"' in html
    assert 'href="/ledger/0"' in html
    assert 'href="/ledger/1"' not in html


async def test_htmx_gets_only_the_results_fragment(page_client: Any, people: str) -> None:
    answer = await page_client.get("/ledger", params={"q": "binh"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<section id="ledger-results"')
    assert "<html" not in answer.text
    assert 'href="/ledger/1"' in answer.text


async def test_next_page_link_carries_the_query_and_the_keyset_cursor(
    page_client: Any, database: str
) -> None:
    from tests.integration.ledger.ledger_fixtures import grant_made

    await append([grant_made(i + 1, "Võ Văn Kiệt", "SXD") for i in range(60)])
    html = (await page_client.get("/ledger", params={"q": "kiet"})).text
    assert 'rel="next"' in html
    assert "before=10" in html
    assert "q=kiet" in html
    assert "offset" not in html.lower()


async def test_permalink_shows_payload_leaf_hash_proof_and_verify_command(
    page_client: Any, people: str
) -> None:
    entry = (await page_client.get("/api/v1/ledger/entries/2")).json()
    answer = await page_client.get("/ledger/2")
    assert answer.status_code == 200
    html = answer.text
    assert entry["leaf_hash"] in html
    assert "data-proof-verifies" in html
    assert "tools/verify_ledger.py" in html
    assert "--entries 2" in html
    assert '<dl class="payload">' in html
    # Public pages of units and grants are linked by route name when those routes exist.
    assert 'href="/__stand_in/units/DNG"' in html or 'href="/units/DNG"' in html


async def test_permalink_of_a_missing_entry_is_404(page_client: Any, people: str) -> None:
    assert (await page_client.get("/ledger/999")).status_code == 404


async def test_corrections_link_both_ways(page_client: Any, people: str) -> None:
    [index] = await append([correction(1, "Sai ngày hết hạn")])
    correcting = (await page_client.get(f"/ledger/{index}")).text
    assert 'href="/ledger/1"' in correcting
    corrected = (await page_client.get("/ledger/1")).text
    assert f'href="/ledger/{index}"' in corrected


async def test_kept_fragments_follow_the_language_the_query_and_the_page(
    client: Any, people: str
) -> None:
    """The layout, navigation, search form and result rows are rendered once and kept; what one
    visitor sees must never reach another with a different language, query or page."""
    vi = {"accept-language": "vi"}
    en = {"accept-language": "en"}
    first = (await client.get("/ledger", headers=vi)).text
    english = (await client.get("/ledger", headers=en)).text
    again = (await client.get("/ledger", headers=vi)).text
    assert "<h1>Sổ cái công khai</h1>" in first
    assert "<h1>Public ledger</h1>" in english
    assert "Sổ cái công khai" not in english
    assert "<h1>Sổ cái công khai</h1>" in again
    assert "Giao quyền" in first and "Giao quyền" not in english  # an event label in the rows
    assert "Grant made" in english

    searched = (await client.get("/ledger", params={"q": "nguyen van"}, headers=vi)).text
    assert 'value="nguyen van"' in searched
    assert 'value="nguyen van"' not in (await client.get("/ledger", headers=vi)).text

    # The navigation marks the page it is on, whichever page kept it first.
    assert '<a href="/ledger" aria-current="page">' in first
    key_page = (await client.get("/ledger/key", headers=vi)).text
    assert 'aria-current="page"' not in key_page.split("<main", 1)[0].replace(
        'href="/ledger/key" aria-current="page"', ""
    )
    assert '<a href="/ledger" aria-current="page">' not in key_page

    # The CSRF token is each visitor's own: it stays outside every kept fragment.
    tokens = set()
    for _ in range(3):
        client.cookies.clear()  # a new visitor
        page = (await client.get("/ledger", headers=vi)).text
        found = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert found is not None
        tokens.add(found.group(1))
    assert len(tokens) == 3


async def test_a_kept_page_is_each_visitors_own_and_shows_new_entries(
    client: Any, people: str
) -> None:
    """Visitors without a session get the search page from memory once it has been rendered:
    the same page and headers, but each with the CSRF token of their own cookie; an entry
    appended since shows at once."""
    from tests.integration.ledger.ledger_fixtures import grant_made

    def token_of(page: str) -> str:
        found = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert found is not None
        return found.group(1)

    kept_pages = client.app.template_engine.engine.globals["kept_pages"]
    assert len(kept_pages) == 0
    answers = []
    for _ in range(3):
        client.cookies.clear()  # a new visitor
        answers.append(await client.get("/ledger", params={"q": "nguyen"}))
    assert len(kept_pages) == 1  # rendered once, answered twice from memory
    pages = [answer.text for answer in answers]
    tokens = [token_of(page) for page in pages]
    assert len(set(tokens)) == 3
    for answer, token in zip(answers, tokens, strict=True):
        assert f'name="_csrf_token" value="{token}"' in answer.text  # the language form's
        assert answer.cookies.get("csrftoken") == token
    assert {page.replace(token, "T") for page, token in zip(pages, tokens, strict=True)} == {
        pages[0].replace(tokens[0], "T")
    }

    def comparable(answer: Any) -> list[tuple[str, str]]:
        return sorted(
            (k, v)
            for k, v in answer.headers.multi_items()
            if k not in {"x-request-id", "set-cookie", "content-length"}
        )

    assert comparable(answers[0]) == comparable(answers[2])

    assert 'href="/ledger/5"' in pages[0]
    [new] = await append([grant_made(77, "Nguyễn Văn Mới", "SXD")])
    client.cookies.clear()
    fresh = (await client.get("/ledger", params={"q": "nguyen"})).text
    assert f'href="/ledger/{new}"' in fresh
    assert f'href="/ledger/{new}"' not in pages[0]
