"""Which index answers a page of a ledger search, newest first by keyset, on each engine.

Every plan returns the entries between indexes [lo, hi) that match, ordered by index, at most
`limit`; none uses OFFSET, ranking or counts. The choice only depends on the shape of the
query, so the same query always runs the same statements:

- text only (SQLite): the FTS5 table drives, yielding row ids (= entry indexes) newest first;
- text with exact filters (SQLite): the FTS5 table drives over the newest FILTERED_WINDOW
  entries, then, if the page is not full, the filter's (column, idx) index drives and the text
  becomes a set of row ids (`idx IN (SELECT rowid ... MATCH ...)`), so a common name in one
  unit never probes thousands of entries of other units;
- text (PostgreSQL): the newest RECENT_WINDOW entries are scanned in index order first, then the
  GIN index answers the rest, so a common word or prefix never builds a bitmap of most of the
  ledger and a rare one goes to the index at once;
- no text: the filter's (column, idx) index, or the entry index itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any, NamedTuple

from registry.db import is_postgres
from registry.ledger.journal import ledger_size
from registry.ledger.proofs import ENTRY_COLUMNS, StoredEntry, entry_from_tuple
from registry.ledger.rows import fetch_rows

#: PostgreSQL: newest entries scanned in index order before the GIN index is asked.
RECENT_WINDOW = 2000
#: PostgreSQL: at most this many more entries scanned in index order when the window found
#: some matches but not a page (an estimate from the window says a page is that close).
MAX_RECENT_EXTENSION = 40_000
#: SQLite: newest entries searched text-first before a filter index drives.
FILTERED_WINDOW = 20_000

_COLUMNS = ", ".join(f"e.{c.strip()}" for c in ENTRY_COLUMNS.split(","))


class TextMatch(NamedTuple):
    """The folded query text, in each engine's syntax."""

    fts5: str
    tsquery: str


class Plan(Enum):
    #: The entry table (or a filter index) in index order; text, if any, as a condition.
    ENTRIES = "entries"
    #: SQLite: the FTS5 table yields row ids in order; each entry is probed by its index.
    TEXT_FIRST = "text first"
    #: SQLite: a filter index drives; the text matches become a set of row ids.
    FILTER_FIRST = "filter first"
    #: PostgreSQL: a window of entries in index order, the text checked on each.
    RECENT = "recent window"


def select_page(
    plan: Plan,
    text: TextMatch | None,
    filters: Sequence[tuple[str, str]],
    lo: int,
    hi: int,
    limit: int,
    *,
    newest_first: bool = True,
) -> tuple[str, list[Any]]:
    """One SQL statement (`{}` placeholders) for the matching entries in [lo, hi)."""
    args: list[Any] = []
    where: list[str] = []
    key = "e.idx"
    source = "ledger_entry AS e"
    if plan is Plan.TEXT_FIRST and text:
        # CROSS JOIN keeps the FTS5 table outside: it yields row ids in order.
        source = "ledger_search AS s CROSS JOIN ledger_entry AS e ON e.idx = s.rowid"
        key = "s.rowid"
        where.append("s.ledger_search MATCH {}")
        args.append(text.fts5)
    elif plan is Plan.FILTER_FIRST and text:
        where.append(
            "e.idx IN (SELECT rowid FROM ledger_search WHERE ledger_search MATCH {} "
            "AND rowid >= {} AND rowid < {})"
        )
        args += [text.fts5, lo, hi]
    elif plan is Plan.RECENT:
        # OFFSET 0 keeps the subquery an index-order scan of the window.
        source = (
            "(SELECT * FROM ledger_entry WHERE idx >= {} AND idx < {} "
            "ORDER BY idx DESC OFFSET 0) AS e"
        )
        args += [lo, hi]
    if text and plan in (Plan.RECENT, Plan.ENTRIES):
        if is_postgres():
            where.append("e.search_tsv @@ to_tsquery('simple', {})")
            args.append(text.tsquery)
        else:
            where.append("e.idx IN (SELECT rowid FROM ledger_search WHERE ledger_search MATCH {})")
            args.append(text.fts5)
    bound = key
    if text and plan is Plan.ENTRIES and is_postgres():
        # `+ 0` keeps the range off the idx index: with it, a prepared (generic) plan ANDs a
        # bitmap of every entry in range (40 ms at 1M) with the GIN matches; without it the
        # GIN index drives and the range only filters its matches.
        bound = f"{key} + 0"
    where += [f"{bound} >= {{}}", f"{bound} < {{}}"]
    args += [lo, hi]
    for column, value in filters:
        where.append(f"e.{column} = {{}}")
        args.append(value)
    order = "DESC" if newest_first else "ASC"
    sql = (
        f"SELECT {_COLUMNS} FROM {source} WHERE {' AND '.join(where)} "
        f"ORDER BY {key} {order} LIMIT {int(limit)}"
    )
    return sql, args


async def _page(
    plan: Plan,
    text: TextMatch | None,
    filters: Sequence[tuple[str, str]],
    lo: int,
    hi: int,
    limit: int,
    *,
    newest_first: bool = True,
) -> list[StoredEntry]:
    sql, args = select_page(plan, text, filters, lo, hi, limit, newest_first=newest_first)
    return [entry_from_tuple(row) for row in await fetch_rows(sql, *args)]


def _plans(text: TextMatch | None, has_filters: bool) -> tuple[Plan, Plan, int]:
    """The plan for the newest window, the plan for the rest, and the window's size."""
    if text is None:
        return Plan.ENTRIES, Plan.ENTRIES, 0
    if is_postgres():
        return Plan.RECENT, Plan.ENTRIES, RECENT_WINDOW
    if has_filters:
        return Plan.TEXT_FIRST, Plan.FILTER_FIRST, FILTERED_WINDOW
    return Plan.TEXT_FIRST, Plan.TEXT_FIRST, 0


async def newest_matches(
    text: TextMatch | None, filters: Sequence[tuple[str, str]], lo: int, hi: int, limit: int
) -> list[StoredEntry]:
    """The newest `limit` matching entries in [lo, hi)."""
    recent, rest, window = _plans(text, bool(filters))
    if window:
        # Indexes are contiguous: the window is the newest `window` entries below `hi`.
        hi = min(hi, await ledger_size())
    if hi - lo <= window or recent is rest:
        return await _page(recent if hi - lo <= window else rest, text, filters, lo, hi, limit)
    split = hi - window
    rows = await _page(recent, text, filters, split, hi, limit)
    if recent is Plan.RECENT and 0 < len(rows) < limit:
        # The window tells how common the text is: if the rest of the page is likely within
        # a few more windows, scanning on in index order beats fetching every GIN match.
        further = 2 * (limit - len(rows)) * window // len(rows)
        if further <= MAX_RECENT_EXTENSION:
            start = max(lo, split - further)
            rows += await _page(recent, text, filters, start, split, limit - len(rows))
            split = start
    if len(rows) < limit and lo < split:
        rows += await _page(rest, text, filters, lo, split, limit - len(rows))
    return rows


async def oldest_matches(
    text: TextMatch | None, filters: Sequence[tuple[str, str]], lo: int, hi: int, limit: int
) -> list[StoredEntry]:
    """The oldest `limit` matching entries in [lo, hi): exports walk forwards by keyset."""
    plan = Plan.ENTRIES if text is None or is_postgres() else Plan.TEXT_FIRST
    return await _page(plan, text, filters, lo, hi, limit, newest_first=False)
