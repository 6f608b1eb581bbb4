"""Read one field of an incoming row or form into a typed value, or collect why it is refused."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from registry.domain.reasons import Reason, ReasonCode
from registry.domain.text import has_control_characters, nfc

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,59}$")
TRUE_WORDS = {"1", "true", "yes", "on", "x", "có", "co"}
FALSE_WORDS = {"", "0", "false", "no", "off", "không", "khong"}
#: The largest amount we accept (VND); beyond it is a typing error, not a budget.
MAX_AMOUNT = 10**18
#: Where a date or time written without a zone was meant (looked up once, not per row).
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class FieldReader:
    """Reads fields of one row; each problem becomes a `Reason` naming the field."""

    def __init__(self, values: Mapping[str, Any], zone: ZoneInfo | None = None) -> None:
        self.values = values
        self.zone = zone or VIETNAM
        self.reasons: list[Reason] = []

    @property
    def ok(self) -> bool:
        return not self.reasons

    def refuse(self, code: ReasonCode, field: str, **params: object) -> None:
        self.reasons.append(Reason.of(code, field, **params))

    def _raw(self, name: str) -> str:
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return "|".join(str(v) for v in value)
        return str(value).strip()

    def text(
        self, name: str, *, required: bool = True, max_length: int = 200, multiline: bool = False
    ) -> str:
        value = nfc(self._raw(name))
        if not value:
            if required:
                self.refuse(ReasonCode.FIELD_REQUIRED, name)
            return ""
        if has_control_characters(value, allow_newlines=multiline):
            self.refuse(ReasonCode.CONTROL_CHARACTERS, name)
            return ""
        if len(value) > max_length:
            self.refuse(ReasonCode.FIELD_TOO_LONG, name, max_length=max_length)
            return ""
        return value

    def code(self, name: str, *, required: bool = True) -> str:
        value = self.text(name, required=required, max_length=60)
        if value and not CODE_PATTERN.match(value):
            self.refuse(ReasonCode.INVALID_CODE, name, value=value[:60])
            return ""
        return value

    def flag(self, name: str, *, default: bool = False) -> bool:
        raw = self._raw(name).lower()
        if raw == "" and name not in self.values:
            return default
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        self.refuse(ReasonCode.INVALID_CHOICE, name, value=raw[:40])
        return default

    def integer(
        self, name: str, *, required: bool = False, minimum: int = 0, maximum: int = MAX_AMOUNT
    ) -> int | None:
        raw = self._raw(name).replace(".", "").replace(",", "").replace(" ", "")
        if not raw:
            if required:
                self.refuse(ReasonCode.FIELD_REQUIRED, name)
            return None
        if not re.fullmatch(r"-?\d{1,19}", raw):
            self.refuse(ReasonCode.INVALID_NUMBER, name)
            return None
        value = int(raw)
        if value < minimum or value > maximum:
            self.refuse(ReasonCode.INVALID_NUMBER, name)
            return None
        return value

    def instant(self, name: str, *, required: bool = True) -> datetime | None:
        """ISO 8601 with a zone (stored in UTC); a bare date is midnight in the local zone."""
        raw = self._raw(name)
        if not raw:
            if required:
                self.refuse(ReasonCode.FIELD_REQUIRED, name)
            return None
        parsed = parse_instant(raw, self.zone)
        if parsed is None:
            self.refuse(ReasonCode.INVALID_DATE, name)
        return parsed

    def choice(
        self, name: str, choices: Iterable[str], *, required: bool = True, default: str = ""
    ) -> str:
        raw = self._raw(name)
        if not raw:
            if required and not default:
                self.refuse(ReasonCode.FIELD_REQUIRED, name)
            return default
        if raw not in set(choices):
            self.refuse(ReasonCode.INVALID_CHOICE, name, value=raw[:40])
            return default
        return raw

    def words(self, name: str, *, allowed: Iterable[str] | None = None) -> list[str]:
        raw = self._raw(name)
        words = [nfc(part.strip()) for part in re.split(r"[|\s,]+", raw) if part.strip()]
        if allowed is not None:
            known = set(allowed)
            for word in words:
                if word not in known:
                    self.refuse(ReasonCode.INVALID_CHOICE, name, value=word[:40])
                    return []
        for word in words:
            if len(word) > 80 or has_control_characters(word):
                self.refuse(ReasonCode.FIELD_TOO_LONG, name, max_length=80)
                return []
        return words


def parse_instant(raw: str, zone: ZoneInfo) -> datetime | None:
    text = raw.strip()
    try:
        if len(text) == 10:
            local = datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=zone)
            return local.astimezone(UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.year < 1900 or parsed.year > 9998:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)
