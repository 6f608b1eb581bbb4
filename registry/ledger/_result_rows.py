"""Search results made ready for the page: every shown value computed once, in Python.

The live search renders a page of 50 rows on every keystroke; Jinja2 macros and per-row
`gettext` calls cost more than the query, so each row is rendered once, from a slotted object
holding the URL, the local time, the subject and the event label, and its HTML kept.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from litestar import Request
from markupsafe import Markup

from registry.ledger.events import EventType
from registry.ledger.proofs import StoredEntry
from registry.web.formatting import format_date
from registry.web.fragments import FragmentStore
from registry.web.i18n import current_language, use_language
from registry.web.i18n import gettext as _

if TYPE_CHECKING:
    from litestar.contrib.jinja import JinjaTemplateEngine


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One search result, every shown value ready: the template does no work per row."""

    index: int
    url: str
    recorded_iso: str
    recorded_text: str
    event_type: str
    subject: str
    corrects_idx: int | None


#: The labels of the `ui.ledger_kind` macro (whose extraction keeps them in the catalogues),
#: translated once per page: the macro translates all twenty on every call.
EVENT_LABELS: Mapping[str, str] = {
    "unit.recorded": "Unit recorded",
    "unit.changed": "Unit changed",
    "unit.merged": "Units merged",
    "unit.dissolved": "Unit dissolved",
    "position.recorded": "Position recorded",
    "official.recorded": "Official recorded",
    "assignment.made": "Assignment made",
    "assignment.ended": "Assignment ended",
    "instrument.recorded": "Instrument recorded",
    "power.defined": "Power defined",
    "grant.made": "Grant made",
    "grant.amended": "Grant amended",
    "grant.suspended": "Grant suspended",
    "grant.resumed": "Grant resumed",
    "grant.revoked": "Grant revoked",
    "grant.renounced": "Grant renounced",
    "grant.voided_upstream": "Grant void upstream",
    "act.recorded": "Act recorded",
    "act.traced": "Act traced",
    "correction": "Correction",
}


def event_kinds() -> dict[str, str]:
    """Every event type with its label in the current language, in EventType order."""
    return dict(_event_kinds(current_language.get()))


@functools.lru_cache(maxsize=8)
def _event_kinds(lang: str) -> tuple[tuple[str, str], ...]:
    with use_language(lang):
        return tuple(
            (t.value, _(EVENT_LABELS[t.value]) if t.value in EVENT_LABELS else t.value)
            for t in EventType
        )


def entry_subject(payload: Mapping[str, Any], lang: str) -> str:
    """What an entry is about, by the rule of the `ui.entry_subject` macro."""
    name = payload.get("name_en") if lang == "en" and payload.get("name_en") else None
    for value in (name or payload.get("name_vi"), payload.get("number"), payload.get("code")):
        if value:
            return str(value)
    return str(payload.get("power") or payload.get("grant") or "")


def result_rows(
    request: Request[Any, Any, Any],
    entries: Sequence[StoredEntry],
    lang: str,
    timezone: str,
) -> list[Markup]:
    """Each entry's table row, rendered by `ledger/_result_row.html` the first time it is shown
    in this language and time zone, and kept (the environment's `kept_rows`): an entry is never
    changed, and its leaf hash names its content."""
    # One route lookup per page: entry URLs differ only in the trailing index.
    prefix = request.app.route_reverse("ledger:entry", index=0).removesuffix("0")
    environment = cast("JinjaTemplateEngine", request.app.template_engine).engine
    module: Any = environment.get_template("ledger/_result_row.html").module
    macro = module.result_row
    kinds: dict[str, str] = {}

    def render(entry: StoredEntry) -> Markup:
        if not kinds:
            kinds.update(event_kinds())
        row = ResultRow(
            entry.index,
            f"{prefix}{entry.index}",
            entry.recorded_at,
            recorded_text(entry.recorded_at, lang, timezone),
            entry.event_type,
            entry_subject(entry.payload, lang),
            entry.corrects_idx,
        )
        html: Markup = macro(row, kinds)  # autoescaped: Markup
        return html

    store = environment.globals.get("kept_rows")
    if not isinstance(store, FragmentStore):  # development: templates change under a running server
        return [render(e) for e in entries]
    return [
        store.get((lang, timezone, prefix, e.index, e.leaf_hash), functools.partial(render, e))
        for e in entries
    ]


def recorded_text(recorded_at: str, lang: str, timezone: str) -> str:
    """`formatting.format_datetime` of an entry time: Babel writes the date (cached per day),
    the clock time is the same digits in every language (a test holds the two equal)."""
    local = datetime.fromisoformat(recorded_at).astimezone(ZoneInfo(timezone))
    return _date_text(local.date(), lang) + _CLOCK_SEPARATOR.get(lang, " ") + f"{local:%H:%M}"


#: Between date and time in `formatting`'s datetime patterns ("dd/MM/yyyy HH:mm" and
#: "d MMM yyyy, HH:mm"); its date patterns are the parts before.
_CLOCK_SEPARATOR = {"vi": " ", "en": ", "}


@functools.lru_cache(maxsize=4096)
def _date_text(day: date, lang: str) -> str:
    return format_date(day, lang)
