"""Who is in post at an instant: half-open spans, heads act for their unit, vacant positions."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.coverage.staffing import Post, Span, staffing_at

JAN, FEB, MAR = (datetime(2026, month, 1, tzinfo=UTC) for month in (1, 2, 3))
POSTS = [
    Post("CB-1", "SXD.GD", True, "SXD", Span(JAN, FEB)),
    Post("CB-2", "SXD.GD", True, "SXD", Span(FEB, None)),
    Post("CB-3", "SXD.PGD1", False, "SXD", Span(JAN, FEB)),
]
POSITIONS = [
    ("SXD.GD", Span(JAN, None)),
    ("SXD.PGD1", Span(JAN, None)),
    ("SXD.OLD", Span(JAN, FEB)),
]


def test_the_holder_at_the_instant_acts_for_the_position_and_the_unit_they_head() -> None:
    staffing = staffing_at(POSTS, POSITIONS, ["CB-1", "CB-2", "CB-3"], FEB)
    assert staffing.identities == {
        "official:CB-2": frozenset({"official:CB-2", "position:SXD.GD", "unit:SXD"})
    }
    assert {"position:SXD.GD", "unit:SXD", "official:CB-1"} <= staffing.staffed
    assert "position:SXD.PGD1" not in staffing.staffed


def test_a_position_nobody_holds_is_vacant_and_an_ended_one_is_not_listed() -> None:
    assert staffing_at(POSTS, POSITIONS, [], FEB).vacant == frozenset({"position:SXD.PGD1"})
    assert staffing_at(POSTS, POSITIONS, [], JAN).vacant == frozenset({"position:SXD.OLD"})
    assert "position:SXD.OLD" not in staffing_at([], POSITIONS, [], MAR).vacant
