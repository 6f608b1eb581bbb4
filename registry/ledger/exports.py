"""Machine-readable ledger views: NDJSON and CSV exports streamed by keyset, and the Atom feed."""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import AsyncIterator, Callable, Sequence
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import msgspec

from registry.ledger.proofs import StoredEntry
from registry.ledger.search import LedgerQuery, iter_matching

ATOM_NS = "http://www.w3.org/2005/Atom"
CSV_COLUMNS = ("index", "recorded_at", "event_type", "leaf_hash", "corrects_idx", "payload")
#: XML 1.0 cannot carry these characters at all, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _EntryLine(msgspec.Struct):
    """The entries API shape, with the stored canonical payload copied verbatim."""

    index: int
    recorded_at: str
    event_type: str
    payload: msgspec.Raw
    leaf_hash: str


_encoder = msgspec.json.Encoder()


def ndjson_line(entry: StoredEntry) -> bytes:
    line = _EntryLine(
        entry.index,
        entry.recorded_at,
        entry.event_type,
        msgspec.Raw(entry.payload_json.encode("utf-8")),
        base64.b64encode(entry.leaf_hash).decode("ascii"),
    )
    return _encoder.encode(line) + b"\n"


async def ndjson_export(query: LedgerQuery, zone: ZoneInfo) -> AsyncIterator[bytes]:
    """One JSON entry per line in index order; `tools/verify_ledger.py --file` reads it."""
    async for page in iter_matching(query, zone):
        yield b"".join(ndjson_line(entry) for entry in page)


async def csv_export(query: LedgerQuery, zone: ZoneInfo) -> AsyncIterator[bytes]:
    """The same entries as CSV (UTF-8 with a BOM so spreadsheet programs read Vietnamese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    async for page in iter_matching(query, zone):
        buffer.seek(0)
        buffer.truncate()
        for e in page:
            corrects = "" if e.corrects_idx is None else e.corrects_idx
            leaf = e.leaf_hash.hex()
            writer.writerow((e.index, e.recorded_at, e.event_type, leaf, corrects, e.payload_json))
        yield buffer.getvalue().encode("utf-8")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        element.text = _xml_text(text)
    return element


def atom_feed(
    entries: Sequence[StoredEntry],
    *,
    title: str,
    feed_url: str,
    page_url: str,
    entry_url: Callable[[int], str],
    entry_title: Callable[[StoredEntry], str],
    updated: str,
) -> bytes:
    """An Atom 1.0 document (RFC 4287) of the given entries, newest first."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", feed_url)
    _sub(feed, "title", title)
    _sub(feed, "updated", entries[0].recorded_at if entries else updated)
    _sub(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=page_url, type="text/html")
    author = _sub(feed, "author")
    _sub(author, "name", title)
    for entry in entries:
        url = entry_url(entry.index)
        item = _sub(feed, "entry")
        _sub(item, "id", url)
        _sub(item, "title", entry_title(entry))
        _sub(item, "updated", entry.recorded_at)
        _sub(item, "link", rel="alternate", href=url, type="text/html")
        _sub(item, "content", entry.payload_json, type="text")
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
