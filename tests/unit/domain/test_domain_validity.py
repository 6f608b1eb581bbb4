"""Specification of validity intervals and UTC strings."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.validity import (
    OPEN_END,
    Validity,
    covers,
    intersect,
    merge,
    parse_utc_string,
    subtract,
    utc_string,
)


def day(n: int) -> datetime:
    return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=n)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        Validity(datetime(2025, 1, 1), None)
    with pytest.raises(ValueError, match="aware"):
        utc_string(datetime(2025, 1, 1))


def test_instants_in_other_zones_are_kept_in_utc() -> None:
    hanoi = timezone(timedelta(hours=7))
    validity = Validity(datetime(2025, 8, 1, 7, tzinfo=hanoi), None)
    assert validity.valid_from == datetime(2025, 8, 1, tzinfo=UTC)
    assert validity.valid_from.tzinfo == UTC


def test_validity_is_half_open() -> None:
    validity = Validity(day(0), day(10))
    assert validity.contains_instant(day(0))
    assert validity.contains_instant(day(10) - timedelta(seconds=1))
    assert not validity.contains_instant(day(10))
    assert not validity.contains_instant(day(-1))


def test_open_ended_validity_runs_for_ever() -> None:
    validity = Validity(day(0))
    assert validity.open_ended
    assert validity.contains_instant(datetime(9000, 1, 1, tzinfo=UTC))
    assert validity.contains(Validity(day(5), day(500)))
    assert not Validity(day(5), day(500)).contains(validity)


def test_intervals_that_only_touch_do_not_overlap() -> None:
    assert not Validity(day(0), day(10)).overlaps(Validity(day(10), day(20)))
    assert Validity(day(0), day(11)).clip(Validity(day(10), day(20))) == Validity(day(10), day(11))


def test_an_end_not_after_the_start_is_an_empty_interval() -> None:
    empty = Validity(day(5), day(5))
    assert empty.is_empty
    assert not empty.contains_instant(day(5))
    assert not empty.overlaps(Validity(day(0)))


@pytest.mark.parametrize(
    ("instant", "text"),
    [
        (datetime(2025, 7, 15, 8, 30, 5, 999, tzinfo=UTC), "2025-07-15T08:30:05Z"),
        (datetime(2025, 7, 15, 7, tzinfo=timezone(timedelta(hours=7))), "2025-07-15T00:00:00Z"),
        (None, OPEN_END),
    ],
)
def test_utc_strings_are_fixed_width(instant: datetime | None, text: str) -> None:
    assert utc_string(instant) == text


@given(st.datetimes(timezones=st.just(UTC)))
def test_utc_instants_are_written_like_instants_of_any_other_zone(instant: datetime) -> None:
    """UTC instants take a shorter path; it must write what the general one writes: fixed
    width, four-digit years, seconds truncated."""
    same = instant.astimezone(timezone(timedelta(0), "also UTC"))
    assert same.tzinfo is not UTC
    assert utc_string(instant) == utc_string(same)
    assert len(utc_string(instant)) == 20


def test_utc_strings_parse_back() -> None:
    instant = datetime(2025, 7, 15, 8, 30, 5, tzinfo=UTC)
    assert parse_utc_string(utc_string(instant)) == instant
    with pytest.raises(ValueError, match="YYYY"):
        parse_utc_string("2025-07-15 08:30:05")


instants = st.integers(min_value=0, max_value=30).map(day)
intervals = st.builds(
    lambda start, length: Validity(start, None if length is None else start + timedelta(length)),
    instants,
    st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
)
interval_sets = st.lists(intervals, max_size=4)
probes = [day(n) for n in range(-1, 45)]


def _members(vs: tuple[Validity, ...] | list[Validity]) -> set[datetime]:
    return {t for t in probes if any(v.contains_instant(t) for v in vs)}


@given(interval_sets, interval_sets)
def test_interval_arithmetic_agrees_with_instants(a: list[Validity], b: list[Validity]) -> None:
    assert _members(merge(a)) == _members(a)
    assert _members(intersect(a, b)) == _members(a) & _members(b)
    assert _members(subtract(a, b)) == _members(a) - _members(b)


@given(interval_sets, intervals)
def test_covers_means_every_instant_is_inside(a: list[Validity], wanted: Validity) -> None:
    if covers(a, wanted):
        assert _members([wanted]) <= _members(a)
    if wanted.open_ended is False and _members([wanted]) <= _members(a) and not wanted.is_empty:
        # instants are whole days here, so day-granular membership decides coverage
        assert covers(a, wanted)
