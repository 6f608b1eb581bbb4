"""Dates, money and numbers as a Vietnamese or an English reader expects them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from registry.web.formatting import (
    format_date,
    format_date_long,
    format_datetime,
    format_money,
    format_number,
    iso_format,
)

NBSP = "\u00a0"
MORNING_IN_HANOI = datetime(2025, 7, 15, 1, 30, tzinfo=UTC)  # 08:30 in Asia/Ho_Chi_Minh


@pytest.mark.parametrize(
    ("lang", "expected"), [("vi", "15/07/2025 08:30"), ("en", "15 Jul 2025, 08:30")]
)
def test_datetime_is_shown_in_the_display_time_zone(lang: str, expected: str) -> None:
    assert format_datetime(MORNING_IN_HANOI, lang) == expected


def test_naive_datetime_is_taken_as_utc() -> None:
    assert format_datetime(datetime(2025, 7, 15, 1, 30), "vi") == "15/07/2025 08:30"


def test_stored_utc_string_is_accepted() -> None:
    assert format_datetime("2025-07-15T01:30:00Z", "vi") == "15/07/2025 08:30"


def test_another_time_zone_can_be_configured() -> None:
    assert format_datetime(MORNING_IN_HANOI, "vi", tz="UTC") == "15/07/2025 01:30"


@pytest.mark.parametrize(("lang", "expected"), [("vi", "15/07/2025"), ("en", "15 Jul 2025")])
def test_date(lang: str, expected: str) -> None:
    assert format_date(date(2025, 7, 15), lang) == expected


def test_late_evening_utc_is_already_the_next_day_in_vietnam() -> None:
    assert format_date(datetime(2025, 7, 14, 20, 0, tzinfo=UTC), "vi") == "15/07/2025"


@pytest.mark.parametrize(
    ("lang", "expected"), [("vi", "ngày 15 tháng 7 năm 2025"), ("en", "15 July 2025")]
)
def test_long_date_as_written_on_instruments(lang: str, expected: str) -> None:
    assert format_date_long(date(2025, 7, 15), lang) == expected


def test_long_date_keeps_single_digit_day_and_month() -> None:
    assert format_date_long(date(2025, 1, 5), "vi") == "ngày 5 tháng 1 năm 2025"


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (5_000_000_000, "vi", f"5.000.000.000{NBSP}₫"),
        (5_000_000_000, "en", f"5,000,000,000{NBSP}VND"),
        (Decimal("1500000"), "vi", f"1.500.000{NBSP}₫"),
        (0, "vi", f"0{NBSP}₫"),
    ],
)
def test_money_in_dong(amount: int | Decimal, lang: str, expected: str) -> None:
    assert format_money(amount, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [(1234567.5, "vi", "1.234.567,5"), (1234567.5, "en", "1,234,567.5"), (12, "vi", "12")],
)
def test_number(value: float, lang: str, expected: str) -> None:
    assert format_number(value, lang) == expected


@pytest.mark.parametrize(
    "formatter", [format_datetime, format_date, format_date_long, format_money, format_number]
)
def test_missing_value_renders_as_empty(formatter: object) -> None:
    assert formatter(None, "vi") == ""  # type: ignore[operator]


def test_unknown_language_falls_back_to_vietnamese() -> None:
    assert format_date(date(2025, 7, 15), "fr") == "15/07/2025"


def test_iso_format_for_time_elements() -> None:
    assert iso_format(MORNING_IN_HANOI) == "2025-07-15T01:30:00Z"
    assert iso_format(date(2025, 7, 15)) == "2025-07-15"
    assert iso_format(None) == ""
