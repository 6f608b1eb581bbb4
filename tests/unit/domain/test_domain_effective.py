"""Specification of when grants are in force and of their status at an instant."""

from datetime import timedelta

import pytest
from domain_builders import DEPUTY_SXD, DIRECTOR_SXD, FROM, TO, at, record

from registry.domain.effective import (
    GrantStatus,
    descendants,
    in_force_intervals,
    in_force_map,
    status_at,
)
from registry.domain.grants import EndReason
from registry.domain.validity import Validity

PARENT = record(1)
CHILD = record(2, grantor=DIRECTOR_SXD, grantee=DEPUTY_SXD, parent_id=1, depth=2)
GRANDCHILD = record(3, parent_id=2, depth=3)
SUSPENSION = Validity(at(2025, 9, 1), at(2025, 10, 1))


def test_a_grant_from_the_lawful_holder_is_in_force_over_its_validity() -> None:
    assert in_force_intervals(PARENT, None) == (Validity(FROM, TO),)


def test_suspensions_are_cut_out() -> None:
    suspended = record(suspensions=(SUSPENSION,))
    assert in_force_intervals(suspended, None) == (
        Validity(FROM, SUSPENSION.valid_from),
        Validity(at(2025, 10, 1), TO),
    )


def test_a_grant_is_in_force_only_while_its_source_is() -> None:
    parent_intervals = (Validity(FROM, at(2026, 1, 1)),)
    assert in_force_intervals(CHILD, parent_intervals) == (Validity(FROM, at(2026, 1, 1)),)


def test_revocation_cuts_the_grant_and_its_whole_subtree() -> None:
    revoked = record(1, ended_at=at(2025, 12, 1), end_reason=EndReason.REVOKED)
    in_force = in_force_map([GRANDCHILD, CHILD, revoked])  # any order
    for grant_id in (1, 2, 3):
        assert in_force[grant_id] == (Validity(FROM, at(2025, 12, 1)),)


def test_versions_of_an_amended_grant_follow_each_other() -> None:
    amended_at = at(2026, 1, 1)
    old = record(1, ended_at=amended_at, end_reason=EndReason.SUPERSEDED)
    new = record(1, version=2, effective_from=amended_at, validity=Validity(FROM, at(2027, 1, 1)))
    assert in_force_map([new, old])[1] == (Validity(FROM, at(2027, 1, 1)),)


def test_a_grant_whose_source_is_missing_is_never_in_force() -> None:
    assert in_force_map([CHILD]) == {2: ()}


def test_a_loop_in_bad_data_is_never_in_force() -> None:
    loop = [record(1, parent_id=2), record(2, parent_id=1)]
    assert in_force_map(loop) == {1: (), 2: ()}


@pytest.mark.parametrize(
    ("grant", "instant", "status"),
    [
        (PARENT, FROM - timedelta(seconds=1), GrantStatus.NOT_YET_IN_FORCE),
        (PARENT, FROM, GrantStatus.ACTIVE),
        (PARENT, TO, GrantStatus.EXPIRED),
        (record(suspensions=(SUSPENSION,)), at(2025, 9, 15), GrantStatus.SUSPENDED),
        (record(ended_at=at(2025, 9, 1)), at(2025, 9, 1), GrantStatus.REVOKED),
        (
            record(ended_at=at(2025, 9, 1), end_reason=EndReason.RENOUNCED),
            at(2025, 10, 1),
            GrantStatus.RENOUNCED,
        ),
        (
            record(ended_at=at(2025, 9, 1), end_reason=EndReason.SUPERSEDED),
            at(2025, 10, 1),
            GrantStatus.SUPERSEDED,
        ),
    ],
)
def test_status_at_an_instant(grant: object, instant: object, status: GrantStatus) -> None:
    assert status_at(grant, in_force_intervals(grant, None), instant) is status  # type: ignore[arg-type]


def test_a_grant_whose_source_was_revoked_is_void_upstream() -> None:
    parent_intervals = (Validity(FROM, at(2025, 9, 1)),)
    intervals = in_force_intervals(CHILD, parent_intervals)
    assert status_at(CHILD, intervals, at(2025, 10, 1)) is GrantStatus.VOID_UPSTREAM


def test_descendants_are_found_at_any_depth() -> None:
    assert descendants([PARENT, CHILD, GRANDCHILD, record(4)], 1) == [2, 3]
    assert descendants([PARENT, CHILD, GRANDCHILD], 3) == []
