"""Public ledger search: folded words, phrases and prefixes, filters, newest first by keyset.

The entry index is the FTS5 row id (SQLite) or the ordered column next to the GIN-indexed
tsvector (PostgreSQL), so every page is `idx < before ORDER BY idx DESC LIMIT n`: no OFFSET, no
ranking, no counts, whatever the size of the ledger. Dates become index ranges first.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from registry.domain.text import fold_for_search
from registry.domain.validity import utc_string
from registry.ledger.proofs import (
    MAX_POSITION,
    StoredEntry,
    invalid,
)
from registry.ledger.rows import fetch_rows
from registry.ledger.search_plans import TextMatch, newest_matches, oldest_matches

PAGE_SIZE = 50
EXPORT_PAGE_SIZE = 1000
MAX_QUERY_CHARS = 500
MAX_TERMS = 8
MAX_WORDS_PER_TERM = 8
MAX_WORD_CHARS = 64
MAX_FILTER_CHARS = 40
#: A prefix shorter than this would match most of the ledger.
MIN_PREFIX_CHARS = 2

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")

#: Query parameter -> entry column, for the exact-match filters.
FILTER_COLUMNS: Mapping[str, str] = {
    "event_type": "event_type",
    "power": "power_code",
    "unit": "unit_code",
    "sector": "sector",
    "kind": "grant_kind",
    "status": "status",
}


class Term(NamedTuple):
    """One condition on the text: a word, or a phrase of adjacent words; maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


def parse_text(text: str) -> tuple[Term, ...]:
    """Fold the query like the stored text and split it into words and "quoted phrases".

    Only letters and digits survive, so nothing a visitor types reaches the engine's query
    syntax; a trailing `*` on a word of 2+ letters asks for a prefix.
    """
    folded = fold_for_search(text[:MAX_QUERY_CHARS])
    terms: list[Term] = []
    for match in _TOKEN.finditer(folded):
        quoted, bare = match.group(1), match.group(2)
        raw = quoted if quoted is not None else bare
        words = tuple(w for w in _WORD.findall(raw) if len(w) <= MAX_WORD_CHARS)
        words = words[:MAX_WORDS_PER_TERM]
        if not words:
            continue
        prefix = raw.rstrip().endswith("*") and len(words[-1]) >= MIN_PREFIX_CHARS
        term = Term(words, prefix)
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return tuple(terms)


def fts5_expression(terms: tuple[Term, ...]) -> str:
    """SQLite FTS5 MATCH text: every term a quoted string, ANDed by juxtaposition."""
    return " ".join('"' + " ".join(t.words) + '"' + (" *" if t.prefix else "") for t in terms)


def tsquery_expression(terms: tuple[Term, ...]) -> str:
    """PostgreSQL `to_tsquery('simple', ...)` text: `&` between terms, `<->` inside phrases."""

    def term_text(term: Term) -> str:
        quoted = [f"'{w}'" for w in term.words]
        if term.prefix:
            quoted[-1] += ":*"
        return " <-> ".join(quoted)

    return " & ".join(f"({term_text(t)})" for t in terms)


@dataclass(frozen=True, slots=True)
class LedgerQuery:
    """What a visitor asked for: text, exact filters and a date range in the display zone."""

    text: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    terms: tuple[Term, ...] = field(default=(), compare=False)

    def params(self) -> dict[str, str]:
        """The query as URL parameters, for next-page links, feeds and exports."""
        params = {"q": self.text} if self.text else {}
        params.update(self.filters)
        if self.date_from:
            params["from"] = self.date_from.isoformat()
        if self.date_to:
            params["to"] = self.date_to.isoformat()
        return params

    def value(self, name: str) -> str:
        return dict(self.filters).get(name, "")

    def text_match(self) -> TextMatch | None:
        if not self.terms:
            return None
        return TextMatch(fts5_expression(self.terms), tsquery_expression(self.terms))

    def columns(self) -> list[tuple[str, str]]:
        """The exact filters as (entry column, value)."""
        return [(FILTER_COLUMNS[name], value) for name, value in self.filters]


def _date(name: str, value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise invalid(name, f"{name} must be a date YYYY-MM-DD") from None


def parse_query(params: Mapping[str, str]) -> LedgerQuery:
    """Read `q`, the filters in FILTER_COLUMNS, `from` and `to` (inclusive dates)."""
    text = (params.get("q") or "").strip()[:MAX_QUERY_CHARS]
    filters = tuple(
        (name, value[:MAX_FILTER_CHARS])
        for name in FILTER_COLUMNS
        if (value := (params.get(name) or "").strip())
    )
    date_from, date_to = (
        _date("from", params.get("from") or ""),
        _date("to", params.get("to") or ""),
    )
    if date_from and date_to and date_to < date_from:
        raise invalid("to", "to must not be before from")
    return LedgerQuery(text, filters, date_from, date_to, parse_text(text))


def parse_before(value: str | int | None) -> int:
    """The keyset cursor: entries with an index below it (absent: from the newest)."""
    if value in (None, ""):
        return MAX_POSITION
    try:
        before = int(value)
    except ValueError:
        raise invalid("before", "before must be an entry index") from None
    if before < 0:
        raise invalid("before", "before must not be negative")
    return min(before, MAX_POSITION)


class SearchPage(NamedTuple):
    """Up to PAGE_SIZE entries, newest first, and the cursor of the next page (None: last)."""

    entries: list[StoredEntry]
    next_before: int | None


def _local_midnight_utc(day: date, zone: ZoneInfo) -> str:
    return utc_string(datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC))


async def index_range(query: LedgerQuery, zone: ZoneInfo) -> tuple[int, int] | None:
    """The entry indexes [lo, hi) recorded within the dates; None if no entry can match.

    Appends are serialised and stamped by the clock, so `recorded_at` never decreases with
    the index: the first and last instants found through the recorded_at index bound it.
    """
    lo, hi = 0, MAX_POSITION
    if query.date_from:
        rows = await fetch_rows(
            "SELECT MIN(idx) AS i FROM ledger_entry WHERE recorded_at = "
            "(SELECT MIN(recorded_at) FROM ledger_entry WHERE recorded_at >= {})",
            _local_midnight_utc(query.date_from, zone),
        )
        if rows[0][0] is None:
            return None
        lo = int(rows[0][0])
    if query.date_to:
        rows = await fetch_rows(
            "SELECT MAX(idx) AS i FROM ledger_entry WHERE recorded_at = "
            "(SELECT MAX(recorded_at) FROM ledger_entry WHERE recorded_at < {})",
            _local_midnight_utc(query.date_to + timedelta(days=1), zone),
        )
        if rows[0][0] is None:
            return None
        hi = int(rows[0][0]) + 1
    return (lo, hi) if lo < hi else None


async def search_ledger(
    query: LedgerQuery, zone: ZoneInfo, before: int = MAX_POSITION, page_size: int = PAGE_SIZE
) -> SearchPage:
    """The newest `page_size` matching entries with an index below `before`."""
    bounds = await index_range(query, zone)
    if bounds is None:
        return SearchPage([], None)
    lo, hi = bounds[0], min(bounds[1], before)
    if lo >= hi:
        return SearchPage([], None)
    # One row more than shown says whether a next page exists, without counting.
    rows = await newest_matches(query.text_match(), query.columns(), lo, hi, page_size + 1)
    if len(rows) > page_size:
        return SearchPage(rows[:page_size], rows[page_size - 1].index)
    return SearchPage(rows, None)


async def iter_matching(
    query: LedgerQuery, zone: ZoneInfo, page_size: int = EXPORT_PAGE_SIZE
) -> AsyncIterator[list[StoredEntry]]:
    """Every matching entry in index order, a page at a time (constant memory, keyset)."""
    bounds = await index_range(query, zone)
    if bounds is None:
        return
    lo, hi = bounds
    while lo < hi:
        rows = await oldest_matches(query.text_match(), query.columns(), lo, hi, page_size)
        if not rows:
            return
        yield rows
        if len(rows) < page_size:
            return
        lo = rows[-1].index + 1
