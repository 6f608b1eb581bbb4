"""Dates, times, money and numbers written the way each language writes them (Babel)."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

DEFAULT_TIMEZONE: Final = "Asia/Ho_Chi_Minh"

_LOCALES: Final = {"vi": "vi_VN", "en": "en_GB"}
# Explicit patterns: Vietnamese officials write day/month/year with a 24-hour clock.
_DATETIME_PATTERNS: Final = {"vi": "dd/MM/yyyy HH:mm", "en": "d MMM yyyy, HH:mm"}
_DATE_PATTERNS: Final = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}
# The form used on instruments and certificates: "ngày 15 tháng 7 năm 2025".
_DATE_LONG_PATTERNS: Final = {"vi": "'ngày' d 'tháng' M 'năm' yyyy", "en": "d MMMM yyyy"}
# VND has no minor unit; English readers get the ISO code rather than the đồng sign.
_MONEY_PATTERNS: Final = {"vi": "#,##0\u00a0¤", "en": "#,##0\u00a0¤¤"}

Number = int | float | Decimal


def _lang(lang: str) -> str:
    return lang if lang in _LOCALES else "vi"


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES[_lang(lang)])


@cache
def _zone(tz: str) -> tzinfo:
    return ZoneInfo(tz)


def _as_datetime(value: datetime | str) -> datetime:
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    # Stored times are UTC; a naive value from the database means UTC, not local time.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _local_date(value: date | datetime | str, tz: str) -> date:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return _as_datetime(value).astimezone(_zone(tz)).date()
    return value


def format_datetime(dt: datetime | str | None, lang: str, tz: str = DEFAULT_TIMEZONE) -> str:
    """'15/07/2025 08:30' (vi) or '15 Jul 2025, 08:30' (en), in the display time zone."""
    if dt is None or dt == "":
        return ""
    local = _as_datetime(dt).astimezone(_zone(tz))
    return babel_dates.format_datetime(local, _DATETIME_PATTERNS[_lang(lang)], locale=_locale(lang))


def format_date(d: date | datetime | str | None, lang: str, tz: str = DEFAULT_TIMEZONE) -> str:
    """'15/07/2025' (vi) or '15 Jul 2025' (en); a datetime is first moved to the display zone."""
    if d is None or d == "":
        return ""
    return babel_dates.format_date(
        _local_date(d, tz), _DATE_PATTERNS[_lang(lang)], locale=_locale(lang)
    )


def format_date_long(d: date | datetime | str | None, lang: str, tz: str = DEFAULT_TIMEZONE) -> str:
    """'ngày 15 tháng 7 năm 2025' (vi) or '15 July 2025' (en), as written on instruments."""
    if d is None or d == "":
        return ""
    return babel_dates.format_date(
        _local_date(d, tz), _DATE_LONG_PATTERNS[_lang(lang)], locale=_locale(lang)
    )


def format_money(amount_vnd: Number | None, lang: str) -> str:
    """'5.000.000.000 ₫' (vi) or '5,000,000,000 VND' (en); whole đồng, no-break space."""
    if amount_vnd is None:
        return ""
    return babel_numbers.format_currency(
        amount_vnd,
        "VND",
        format=_MONEY_PATTERNS[_lang(lang)],
        locale=_locale(lang),
        currency_digits=True,
    )


def format_number(value: Number | None, lang: str) -> str:
    """'1.234.567,5' (vi) or '1,234,567.5' (en)."""
    if value is None:
        return ""
    return babel_numbers.format_decimal(value, locale=_locale(lang))


def iso_format(value: date | datetime | str | None) -> str:
    """Machine-readable value for `<time datetime=...>`: UTC for datetimes, ISO for dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return _as_datetime(value).astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()
