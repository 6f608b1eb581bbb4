"""The ledger rows of a batch of act entries, byte for byte those `append_entries` writes,
made without a database: each chain link encoded once per import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from registry.acts.recording import stored_json
from registry.ledger import journal
from registry.ledger.canonical import canonical_json
from registry.ledger.journal import PendingEntry, search_text


class ChainEncoder:
    """Canonical JSON and search text of payloads, each chain link's done once per import.

    A traced act's payload ends with its chain, a list of link dictionaries that the acts
    relying on a link share (`PreloadedAuthority.chain_json`); normalising and walking them
    was most of an entry's cost. Both forms are made of their parts: canonical JSON of a
    mapping joins its sorted members, of a list its items; search text joins each string's
    words. A test holds the results equal to `canonical_json` and the journal's search text."""

    def __init__(self) -> None:
        #: id of a link -> the link (kept, so the id stays its own), its JSON, its words.
        self._links: dict[int, tuple[Mapping[str, Any], bytes, str]] = {}
        self._stored: dict[int, tuple[object, str]] = {}

    def encode(self, payload: dict[str, Any], extra: str) -> tuple[bytes, str]:
        chain = payload.get("chain")
        # The members are split around "chain" by their keys as written: exact for ASCII keys,
        # which NFC leaves as they are (the public fields' names all are).
        if not (
            isinstance(chain, list)
            and next(reversed(payload)) == "chain"
            and all(key.isascii() for key in payload)
        ):
            return canonical_json(payload), search_text(payload, extra)
        parts = [self._link(link) for link in chain]
        if any(part is None for part in parts):
            return canonical_json(payload), search_text(payload, extra)
        links = [part for part in parts if part is not None]
        rest = {key: value for key, value in payload.items() if key != "chain"}
        before = canonical_json({key: value for key, value in rest.items() if key < "chain"})
        after = canonical_json({key: value for key, value in rest.items() if key > "chain"})
        members = b'"chain":[' + b",".join(json for json, _words in links) + b"]"
        payload_json = b",".join(filter(None, (before[1:-1], members, after[1:-1])))
        words = " ".join(filter(None, (search_text(rest, extra), *(w for _j, w in links))))
        return b"{" + payload_json + b"}", words

    def _link(self, link: object) -> tuple[bytes, str] | None:
        if not isinstance(link, dict):
            return None
        kept = self._links.get(id(link))
        if kept is None:
            kept = self._links[id(link)] = (link, canonical_json(link), search_text(link, ""))
        return kept[1], kept[2]

    def stored_chain(self, chain: list[dict[str, Any]]) -> str:
        """`stored_json(chain)` (the act row's copy), each link's text made once: a JSON
        array is its items' texts joined by commas."""
        texts = []
        for link in chain:
            kept = self._stored.get(id(link))
            if kept is None:
                kept = self._stored[id(link)] = (link, stored_json(link))
            texts.append(kept[1])
        return "[" + ",".join(texts) + "]"


def entry_rows(
    size: int, newest: str, entries: Sequence[PendingEntry], encoder: ChainEncoder | None = None
) -> tuple[list[tuple[object, ...]], list[bytes], str]:
    """The journal's `entry_rows` for act entries, each chain link encoded once per import."""
    return journal.entry_rows(size, newest, entries, (encoder or ChainEncoder()).encode)
