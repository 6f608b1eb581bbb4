"""Half-open UTC validity intervals and the fixed-width UTC strings used in policy rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

OPEN_END = "9999-12-31T23:59:59Z"
_UTC_STRING = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$")


def require_aware(instant: datetime, name: str = "instant") -> datetime:
    """Return the instant in UTC, refusing naive datetimes (their zone is a guess)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {instant!r}")
    return instant.astimezone(UTC)


def utc_string(instant: datetime | None) -> str:
    """Format as `YYYY-MM-DDTHH:MM:SSZ` (seconds truncated); None, an open end, is OPEN_END."""
    if instant is None:
        return OPEN_END
    if instant.tzinfo is UTC:  # the common case, without the checks and the conversion
        return instant.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    t = require_aware(instant)
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"


def parse_utc_string(text: str) -> datetime:
    """Parse a string written by `utc_string` back to an aware UTC datetime."""
    match = _UTC_STRING.match(text)
    if match is None:
        raise ValueError(f"not a UTC instant of the form YYYY-MM-DDTHH:MM:SSZ: {text!r}")
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Validity:
    """The half-open interval [valid_from, valid_to) in UTC; valid_to None means open-ended.

    An interval whose end is not after its start is empty; it can be built so that the grant
    rules can refuse it with a reason instead of an exception.
    """

    valid_from: datetime
    valid_to: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "valid_from", require_aware(self.valid_from, "valid_from"))
        if self.valid_to is not None:
            object.__setattr__(self, "valid_to", require_aware(self.valid_to, "valid_to"))

    @property
    def open_ended(self) -> bool:
        return self.valid_to is None

    @property
    def is_empty(self) -> bool:
        return self.valid_to is not None and self.valid_to <= self.valid_from

    @property
    def duration(self) -> timedelta | None:
        """Length of the interval, None when open-ended."""
        if self.valid_to is None:
            return None
        return max(self.valid_to - self.valid_from, timedelta(0))

    def contains_instant(self, instant: datetime) -> bool:
        t = require_aware(instant)
        return self.valid_from <= t and (self.valid_to is None or t < self.valid_to)

    def contains(self, other: Validity) -> bool:
        if other.is_empty:
            return True
        if self.is_empty or other.valid_from < self.valid_from:
            return False
        if self.valid_to is None:
            return True
        return other.valid_to is not None and other.valid_to <= self.valid_to

    def overlaps(self, other: Validity) -> bool:
        return self.clip(other) is not None

    def clip(self, other: Validity) -> Validity | None:
        """The intersection of both intervals, None when they share no instant."""
        start = max(self.valid_from, other.valid_from)
        end = _earlier_end(self.valid_to, other.valid_to)
        if end is not None and end <= start:
            return None
        return Validity(start, end)

    def cut_at(self, instant: datetime) -> Validity | None:
        """The part of the interval before the instant, None when nothing is left."""
        return self.clip(Validity(self.valid_from, instant))

    def starting_at(self, instant: datetime) -> Validity | None:
        """The part of the interval from the instant on, None when nothing is left."""
        return self.clip(Validity(instant, None))


def _earlier_end(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def merge(intervals: Iterable[Validity]) -> tuple[Validity, ...]:
    """Sort, drop empty intervals and join those that overlap or touch."""
    ordered = sorted((v for v in intervals if not v.is_empty), key=lambda v: v.valid_from)
    merged: list[Validity] = []
    for current in ordered:
        if merged:
            last = merged[-1]
            if last.valid_to is None or current.valid_from <= last.valid_to:
                end = (
                    None
                    if last.valid_to is None or current.valid_to is None
                    else max(last.valid_to, current.valid_to)
                )
                merged[-1] = Validity(last.valid_from, end)
                continue
        merged.append(current)
    return tuple(merged)


def intersect(a: Sequence[Validity], b: Sequence[Validity]) -> tuple[Validity, ...]:
    """Instants in both sets of intervals."""
    pieces = (clipped for x in a for y in b if (clipped := x.clip(y)) is not None)
    return merge(pieces)


def subtract(intervals: Sequence[Validity], removed: Sequence[Validity]) -> tuple[Validity, ...]:
    """Instants in the first set of intervals and in none of the removed ones."""
    remaining = list(merge(intervals))
    for cut in merge(removed):
        next_remaining: list[Validity] = []
        for piece in remaining:
            if not piece.overlaps(cut):
                next_remaining.append(piece)
                continue
            before = piece.cut_at(cut.valid_from)
            if before is not None:
                next_remaining.append(before)
            if cut.valid_to is not None:
                after = piece.starting_at(cut.valid_to)
                if after is not None:
                    next_remaining.append(after)
        remaining = next_remaining
    return merge(remaining)


def covers(intervals: Sequence[Validity], wanted: Validity) -> bool:
    """Whether every instant of `wanted` lies in the union of the intervals."""
    return any(v.contains(wanted) for v in merge(intervals)) or wanted.is_empty


def any_contains(intervals: Iterable[Validity], instant: datetime) -> bool:
    return any(v.contains_instant(instant) for v in intervals)
