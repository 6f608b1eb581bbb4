"""Public ledger pages without login: search, entry permalinks with proofs, feed and exports."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from litestar import Request, get
from litestar.exceptions import NoRouteMatchFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Stream, Template

from registry.domain.validity import utc_string
from registry.ledger import merkle, proofs
from registry.ledger._result_rows import event_kinds, result_rows
from registry.ledger.api import LEDGER_QUERY, PUBLIC, SearchParams, b64
from registry.ledger.exports import atom_feed, csv_export, ndjson_export
from registry.ledger.search import parse_before, search_ledger
from registry.ledger.tip import ledger_tip
from registry.settings import Settings
from registry.web.i18n import current_language
from registry.web.i18n import gettext as _
from registry.web.kept_page import KeptPage, may_keep, page_store

_PATH_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


class Link(NamedTuple):
    """A value shown on a page, linked when the page it names exists."""

    text: str
    url: str | None = None


class PayloadField(NamedTuple):
    key: str
    parts: list[Link]


class EntryDetails(NamedTuple):
    entry: proofs.StoredEntry
    payload: dict[str, Any]
    fields: list[PayloadField]
    corrected_by: list[int]
    checkpoint: proofs.StoredCheckpoint | None
    proof: proofs.InclusionProof | None
    proof_verifies: bool
    leaf_hash_b64: str
    audit_path_b64: list[str]


def route_exists(request: Request[Any, Any, Any], name: str) -> bool:
    """Whether a route of that name is registered (other features add theirs over time)."""
    return request.app.get_handler_index_by_name(name) is not None


def route_link(request: Request[Any, Any, Any], name: str, value: object) -> str | None:
    """The URL of a one-parameter route for `value`, or None if there is no such route yet."""
    handler = request.app.get_handler_index_by_name(name)
    if handler is None or not handler["paths"]:
        return None
    params = _PATH_PARAM.findall(sorted(handler["paths"])[0])
    if len(params) != 1:
        return None
    param, kind = params[0]
    text = str(value)
    if kind == "int" and not text.isdigit():
        return None
    try:
        return request.app.route_reverse(name, **{param: int(text) if kind == "int" else text})
    except NoRouteMatchFoundException:
        return None


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state["settings"]
    return settings


#: Payload keys whose value names something with a public page, by route name.
_KEY_ROUTES = {
    "power": "public:power",
    "unit": "public:unit",
    "issuing_unit": "public:unit",
    "holder_unit": "public:unit",
    "merged_into": "public:unit",
    "territory": "public:unit",
    "official": "public:official",
    "grant": "public:grant",
    "because_of": "public:grant",
    "corrects": "ledger:entry",
}
_PARTY_ROUTES = {"unit": "public:unit", "official": "public:official"}
_PARTY_KEYS = {"grantor", "grantee", "recorded_for", "holder", "responsible", "signer"}


def _route_for(event_type: str, key: str) -> str | None:
    family = event_type.split(".", 1)[0]
    if key == "code":
        return {"unit": "public:unit", "power": "public:power", "official": "public:official"}.get(
            family
        )
    if key == "parent":
        return {"unit": "public:unit", "grant": "public:grant"}.get(family)
    return _KEY_ROUTES.get(key)


def _plain(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in sorted(value.items()))
    return str(value)


def _link(request: Request[Any, Any, Any], event_type: str, key: str, value: object) -> Link:
    if value is None or isinstance(value, bool | dict):
        return Link(_plain(value))
    if key == "corrects" and isinstance(value, int):
        return Link(f"#{value}", request.app.route_reverse("ledger:entry", index=value))
    if key in _PARTY_KEYS and isinstance(value, str) and ":" in value:
        kind, _sep, code = value.partition(":")
        route = _PARTY_ROUTES.get(kind)
        return Link(value, route_link(request, route, code) if route else None)
    route = _route_for(event_type, key)
    return Link(_plain(value), route_link(request, route, value) if route else None)


def payload_fields(
    request: Request[Any, Any, Any], event_type: str, payload: Mapping[str, Any]
) -> list[PayloadField]:
    """The payload as label/value rows, each value linked to its public page if there is one."""
    fields = []
    for key, value in payload.items():
        values = value if isinstance(value, list) else [value]
        parts = [_link(request, event_type, key, item) for item in values]
        fields.append(PayloadField(key, parts or [Link("—")]))
    return fields


async def entry_details(request: Request[Any, Any, Any], index: int) -> EntryDetails:
    entry = await proofs.entry_at(index)
    checkpoint = await proofs.latest_checkpoint()
    proof = None
    verifies = False
    if checkpoint is not None and index < checkpoint.size:
        proof = await proofs.inclusion_proof(index, checkpoint.size)
        verifies = merkle.verify_inclusion(
            entry.leaf_hash, index, checkpoint.size, proof.audit_path, checkpoint.root_hash
        )
    payload = entry.payload
    return EntryDetails(
        entry,
        payload,
        payload_fields(request, entry.event_type, payload),
        await proofs.entries_correcting(index),
        checkpoint,
        proof,
        verifies,
        b64(entry.leaf_hash),
        [b64(h) for h in proof.audit_path] if proof else [],
    )


def _wants_fragment(request: HTMXRequest) -> bool:
    # htmx 4 marks whole-page requests (boosted links, history) with HX-Request-Type: full.
    return bool(request.htmx) and request.headers.get("hx-request-type", "partial") != "full"


@get("/ledger", name="ledger:search", opt=PUBLIC, dependencies=LEDGER_QUERY)
async def search_page(
    request: HTMXRequest, ledger_query: SearchParams, before: FromQuery[str] = ""
) -> Template:
    """Search the ledger; htmx gets the results fragment only."""
    settings = _settings(request)
    lang = current_language.get()
    store = page_store(request)
    fragment = _wants_fragment(request)
    key: tuple[object, ...] = ()
    if store is not None and not fragment and may_keep(request):
        # The whole page is a function of these: language, zone, URL and the ledger's newest
        # entry (the ledger only grows; entries never change).
        key = (
            "ledger:search",
            lang,
            settings.timezone,
            request.url.path,
            request.url.query,
            await ledger_tip(),
        )
        kept = store.get(key)
        if kept is not None:
            return KeptPage("ledger/search.html", {}, store, key, kept)
    page = await search_ledger(ledger_query, settings.zone, parse_before(before))
    rows = result_rows(request, page.entries, lang, settings.timezone)
    context = {
        "query": ledger_query,
        "params": ledger_query.params(),
        "rows": rows,
        "next_before": page.next_before,
        "event_kinds": event_kinds(),
    }
    if fragment:
        return Template("ledger/_results.html", context=context)
    if store is None or not key:
        return Template("ledger/search.html", context=context)
    return KeptPage("ledger/search.html", context, store, key)


@get("/ledger/{index:int}", name="ledger:entry", opt=PUBLIC)
async def entry_page(request: Request[Any, Any, Any], index: FromPath[int]) -> Template:
    """One entry's permalink: plain words, payload, corrections and its inclusion proof."""
    details = await entry_details(request, index)
    settings = _settings(request)
    return Template(
        "ledger/entry.html",
        context={
            "details": details,
            "base_url": settings.public_base_url,
            "key_url": settings.public_base_url + request.app.route_reverse("ledger:key"),
        },
    )


@get("/ledger/feed.atom", name="ledger:feed", opt=PUBLIC, dependencies=LEDGER_QUERY)
async def feed(request: Request[Any, Any, Any], ledger_query: SearchParams) -> Response[bytes]:
    """The newest 50 matching entries as an Atom feed."""
    page = await search_ledger(ledger_query, _settings(request).zone)
    base = _settings(request).public_base_url

    def entry_url(index: int) -> str:
        return base + request.app.route_reverse("ledger:entry", index=index)

    body = atom_feed(
        page.entries,
        title=_("Public ledger of delegated authority"),
        feed_url=str(request.url),
        page_url=base + request.app.route_reverse("ledger:search"),
        entry_url=entry_url,
        entry_title=lambda e: f"#{e.index} {e.event_type}",
        updated=utc_string(datetime.now(UTC)),
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@get("/ledger/export.ndjson", name="ledger:export_ndjson", opt=PUBLIC, dependencies=LEDGER_QUERY)
async def export_ndjson(request: Request[Any, Any, Any], ledger_query: SearchParams) -> Stream:
    """Every matching entry in index order, one JSON object a line, streamed."""
    return Stream(
        ndjson_export(ledger_query, _settings(request).zone),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="ledger.ndjson"'},
    )


@get("/ledger/export.csv", name="ledger:export_csv", opt=PUBLIC, dependencies=LEDGER_QUERY)
async def export_csv(request: Request[Any, Any, Any], ledger_query: SearchParams) -> Stream:
    """Every matching entry in index order as CSV, streamed."""
    return Stream(
        csv_export(ledger_query, _settings(request).zone),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="ledger.csv"'},
    )


PAGE_ROUTES = [search_page, entry_page, feed, export_ndjson, export_csv]
