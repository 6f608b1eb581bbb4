"""Search results made ready for the page: every shown value computed once, in Python.

The live search renders a page of 50 rows on every keystroke; Jinja2 macros and per-row
`gettext` calls cost more than the query, so the rows reach the template as slotted objects
holding the URL, the local time, the subject and (per page) the event labels.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request

from registry.ledger.events import EventType
from registry.ledger.proofs import StoredEntry
from registry.web.formatting import format_date
from registry.web.i18n import gettext as _


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
    return {
        t.value: _(EVENT_LABELS[t.value]) if t.value in EVENT_LABELS else t.value for t in EventType
    }


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
) -> list[ResultRow]:
    # One route lookup per page: entry URLs differ only in the trailing index.
    prefix = request.app.route_reverse("ledger:entry", index=0).removesuffix("0")
    return [
        ResultRow(
            e.index,
            f"{prefix}{e.index}",
            e.recorded_at,
            recorded_text(e.recorded_at, lang, timezone),
            e.event_type,
            entry_subject(e.payload, lang),
            e.corrects_idx,
        )
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
