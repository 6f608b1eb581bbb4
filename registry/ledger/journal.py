"""Append entries to the ledger inside the caller's transaction, and sign checkpoints."""

from __future__ import annotations

import base64
import functools
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.db import is_postgres
from registry.domain.text import fold_for_search
from registry.domain.validity import utc_string
from registry.ledger import merkle
from registry.ledger.canonical import canonical_json, entry_bytes_around, leaf_hash
from registry.ledger.checkpoint import Checkpoint as SignedHead
from registry.ledger.checkpoint import sign_note, vkey_for
from registry.ledger.events import EventType, public_payload
from registry.ledger.rows import (
    Insert,
    driver_sql,
    fetch_rows,
    insert_rows,
    on_sqlite_transaction,
    tuple_cursor,
)
from registry.ledger.tables import Checkpoint


@dataclass(frozen=True, slots=True)
class EntryFilters:
    """Columns copied from an entry so the public search can filter with indexes."""

    power_code: str = ""
    unit_code: str = ""
    sector: str = ""
    grant_kind: str = ""
    status: str = ""
    grant_lineage: int | None = None
    act_id: int | None = None
    corrects_idx: int | None = None


@dataclass(frozen=True, slots=True)
class PendingEntry:
    """An event to append: its type, its facts (filtered to public fields) and its time."""

    event_type: EventType
    facts: Mapping[str, Any]
    at: datetime
    filters: EntryFilters = field(default_factory=EntryFilters)
    search_words: str = ""


@dataclass(frozen=True, slots=True)
class LedgerSigner:
    """The key that signs checkpoints, and the log's origin line."""

    origin: str
    key: Ed25519PrivateKey

    @property
    def vkey(self) -> str:
        return vkey_for(self.origin, self.key.public_key())


def search_text(payload: Mapping[str, Any], extra: str) -> str:
    texts: list[str] = [extra] if extra else []
    _collect_strings(payload.values(), texts)
    # Codes and numbers (`08/GUQ-UBND`, `CB-0001`) split into words the same way on both
    # engines: PostgreSQL's parser would otherwise keep `08/guq-ubnd` as one token. Splitting
    # the joined text equals joining the words of each value, so each value's words are kept.
    return " ".join(filter(None, map(_words, texts)))


def _collect_strings(values: Iterable[Any], texts: list[str]) -> None:
    """Every string among the values and inside them, depth first in their own order
    (concrete classes first: an `isinstance` against the Mapping ABC is the slow test)."""
    for value in values:
        if isinstance(value, str):
            texts.append(value)
        elif value is None or isinstance(value, int):
            continue
        elif isinstance(value, dict | Mapping):
            _collect_strings(value.values(), texts)
        elif isinstance(value, list | tuple):
            _collect_strings(value, texts)


_WORD_BREAK = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> str:
    """The folded words of one value joined by single spaces. Names, codes and places repeat
    from entry to entry, hence the cache."""
    return " ".join(word for word in _WORD_BREAK.split(_fold(text)) if word)


def _fold(text: str) -> str:
    """`fold_for_search` of one value; folding is per character, so joined folds equal the fold
    of the joined text."""
    return text.casefold() if text.isascii() else fold_for_search(text)


_LAST_ENTRY = "SELECT idx, recorded_at FROM ledger_entry ORDER BY idx DESC LIMIT 1"


async def _last_entry() -> tuple[int, str] | None:
    """The index and time of the newest entry, in one query."""
    rows = await fetch_rows(_LAST_ENTRY)
    return (int(rows[0][0]), str(rows[0][1])) if rows else None


async def last_recorded_at() -> str | None:
    last = await _last_entry()
    return last[1] if last else None


async def ledger_size() -> int:
    last = await _last_entry()
    return 0 if last is None else last[0] + 1


def _nodes_query(keys: Iterable[tuple[int, int]]) -> tuple[str, list[int]] | None:
    wanted = sorted(set(keys))
    if not wanted:
        return None
    clauses = " OR ".join("(level = {} AND idx = {})" for _ in wanted)
    args = [value for key in wanted for value in key]
    return f"SELECT level, idx, hash FROM merkle_node WHERE {clauses}", args


def _nodes(rows: Iterable[Sequence[Any]]) -> dict[tuple[int, int], bytes]:
    return {(int(level), int(idx)): bytes.fromhex(digest) for level, idx, digest in rows}


async def fetch_nodes(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Read the stored perfect subtrees a plan needs, in one query."""
    query = _nodes_query(keys)
    return {} if query is None else _nodes(await fetch_rows(query[0], *query[1]))


class _Tip(NamedTuple):
    """What an append follows: the ledger's size, its newest time, and the stored nodes the
    new ones combine with (`merkle.frontier_keys(size)`)."""

    size: int
    newest: str
    frontier: dict[tuple[int, int], bytes]


def _read_tip(raw: sqlite3.Connection) -> _Tip:
    cursor = tuple_cursor(raw)
    last = cursor.execute(_LAST_ENTRY).fetchone()
    size, newest = (0, "") if last is None else (int(last[0]) + 1, str(last[1]))
    query = _nodes_query(merkle.frontier_keys(size))
    if query is None:
        return _Tip(size, newest, {})
    rows = cursor.execute(driver_sql(query[0], postgres=False), query[1]).fetchall()
    return _Tip(size, newest, _nodes(rows))


async def _tip() -> _Tip:
    if not is_postgres():
        # One call to the connection's thread instead of two.
        return await on_sqlite_transaction(_read_tip)
    last = await _last_entry()
    size, newest = (0, "") if last is None else (last[0] + 1, last[1])
    return _Tip(size, newest, await fetch_nodes(merkle.frontier_keys(size)))


#: A payload's canonical JSON and search text (the acts import passes one that reuses chain
#: links it has encoded before; the bytes and text must be these).
Encode = Callable[[dict[str, Any], str], tuple[bytes, str]]


def _encode(payload: dict[str, Any], extra: str) -> tuple[bytes, str]:
    return canonical_json(payload), search_text(payload, extra)


def entry_rows(
    size: int, newest: str, entries: Sequence[PendingEntry], encode: Encode = _encode
) -> tuple[list[tuple[object, ...]], list[bytes], str]:
    """The `ledger_entry` rows (in `ENTRY_COLUMNS` order) and leaf hashes of `entries`
    appended after `size` entries, the newest recorded at `newest`; and the newest time after
    them. Pure: `append_entries` and the acts import's writer thread both write these rows."""
    # Entry times never go backwards along the index: date filters become index ranges. An
    # event dated in the past (a paper instrument recorded late) keeps its date in the payload.
    floor = newest
    rows: list[tuple[object, ...]] = []
    leaves: list[bytes] = []
    at, at_text = None, ""
    for index, pending in enumerate(entries, start=size):
        event_type = pending.event_type.value
        payload = public_payload(pending.event_type, pending.facts)
        payload_json, words = encode(payload, pending.search_words)
        if pending.at != at:  # the entries of one event usually share its time
            at, at_text = pending.at, utc_string(pending.at)
        recorded_at = max(at_text, floor)
        floor = recorded_at
        leaf = leaf_hash(entry_bytes_around(index, recorded_at, event_type, payload_json))
        leaves.append(leaf)
        f = pending.filters
        rows.append(
            (
                index,
                recorded_at,
                event_type,
                payload_json.decode("utf-8"),
                leaf.hex(),
                f.power_code,
                f.unit_code,
                f.sector,
                f.grant_kind,
                f.status,
                f.grant_lineage,
                f.act_id,
                f.corrects_idx,
                words,
            )
        )
    return rows, leaves, floor


async def append_entries(entries: Sequence[PendingEntry]) -> list[int]:
    """Append in the caller's write transaction; returns the indexes given to the entries.

    The caller holds the write lock (`registry.db.write_transaction`), so the size read here
    cannot move under us; unique constraints on index and hash are the last guard.
    """
    if not entries:
        return []
    tip = await _tip()
    size = tip.size
    rows, leaves, _newest = entry_rows(size, tip.newest, entries)
    nodes = merkle.append_nodes(size, tip.frontier, leaves)
    inserts = [Insert("ledger_entry", ENTRY_COLUMNS, rows)]
    if not is_postgres():
        # The entry index is the search row id. Written here, not by a trigger: a per-entry
        # trigger into FTS5 cost 70 ms of CPU per 1000 entries, this statement 4 ms
        # (migration 2026-11-29T18:30). PostgreSQL computes its tsvector column itself.
        inserts.append(Insert("ledger_search", ("rowid", "body"), [(r[0], r[-1]) for r in rows]))
    node_rows = [(n.level, n.idx, n.hash.hex()) for n in nodes]
    inserts.append(Insert("merkle_node", ("level", "idx", "hash"), node_rows))
    await insert_rows(*inserts)
    return list(range(size, size + len(entries)))


ENTRY_COLUMNS = (
    "idx",
    "recorded_at",
    "event_type",
    "payload",
    "leaf_hash",
    "power_code",
    "unit_code",
    "sector",
    "grant_kind",
    "status",
    "grant_lineage",
    "act_id",
    "corrects_idx",
    "search_text",
)


async def append_entry(pending: PendingEntry) -> int:
    return (await append_entries([pending]))[0]


async def tree_root(size: int) -> bytes:
    return merkle.assemble_root(size, await fetch_nodes(merkle.root_keys(size)))


async def sign_checkpoint(signer: LedgerSigner, now: datetime | None = None) -> str | None:
    """Sign the current tree head if it grew since the last checkpoint; every one is kept.

    Runs inside the write transaction, so two checkpoints of one size can never disagree: the
    size is unique and its root is computed from the same stored nodes.
    """
    size = await ledger_size()
    last = (
        await Checkpoint.select(Checkpoint.tree_size)
        .order_by(Checkpoint.tree_size, ascending=False)
        .first()
    )
    if last is not None and int(last["tree_size"]) >= size:
        return None
    root = await tree_root(size)
    note = sign_note(SignedHead(signer.origin, size, root).body(), signer.origin, signer.key)
    await Checkpoint.insert(
        Checkpoint(
            tree_size=size,
            root_hash=root.hex(),
            note=note,
            signed_at=utc_string(now or datetime.now(UTC)),
        )
    )
    return note


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


_signers: dict[tuple[str, str], LedgerSigner] = {}


def default_signer() -> LedgerSigner:
    """The instance's signer: the key generated into the data directory on first use."""
    from registry.ledger.signing_key import load_or_create_signing_key
    from registry.settings import get_settings

    settings = get_settings()
    cache_key = (str(settings.data_dir), settings.ledger_origin)
    if cache_key not in _signers:
        key = load_or_create_signing_key(settings.data_dir, settings.ledger_origin)
        _signers[cache_key] = LedgerSigner(settings.ledger_origin, key)
    return _signers[cache_key]
