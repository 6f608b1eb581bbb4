"""The search results page gets every shown value ready, equal to what the shared macros show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from registry.ledger._result_rows import EVENT_LABELS, entry_subject, recorded_text
from registry.ledger.events import EventType
from registry.web import formatting
from tests.unit.web.web_template_env import render_string

MOMENTS = [
    datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=d, minutes=m)
    for d in (0, 31, 59, 180, 243, 365)
    for m in (0, 17 * 60 + 5, 23 * 60 + 59)
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "UTC", "America/New_York"])
def test_entry_times_read_exactly_as_the_shared_datetime_format(lang: str, zone: str) -> None:
    for moment in MOMENTS:
        stored = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert recorded_text(stored, lang, zone) == formatting.format_datetime(stored, lang, zone)


def test_every_event_type_has_the_label_of_the_ledger_kind_macro() -> None:
    for event_type in EventType:
        shown = render_string(
            '{% import "macros/ui.html" as ui %}{{ ui.ledger_kind(e) }}', lang="en", e=event_type
        )
        assert shown.strip() == EVENT_LABELS[event_type.value]


@pytest.mark.parametrize(
    ("payload", "lang", "subject"),
    [
        ({"name_vi": "Sở Xây dựng", "name_en": "Construction"}, "en", "Construction"),
        ({"name_vi": "Sở Xây dựng", "name_en": "Construction"}, "vi", "Sở Xây dựng"),
        ({"name_vi": "Sở Xây dựng"}, "en", "Sở Xây dựng"),
        ({"number": "08/GUQ-UBND", "code": "X"}, "vi", "08/GUQ-UBND"),
        ({"code": "DD-01", "power": "P"}, "vi", "DD-01"),
        ({"power": "DD-01", "grant": 7}, "vi", "DD-01"),
        ({"grant": 7}, "vi", "7"),
        ({}, "vi", ""),
    ],
)
def test_entry_subject_follows_the_entry_subject_macro(
    payload: dict[str, object], lang: str, subject: str
) -> None:
    assert entry_subject(payload, lang) == subject
