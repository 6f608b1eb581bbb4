"""When each grant is in force: its validity, less its end and suspensions, while its source is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum

from registry.domain.grants import EndReason, GrantRecord
from registry.domain.validity import Validity, any_contains, intersect, merge, subtract


class GrantStatus(StrEnum):
    NOT_YET_IN_FORCE = "not_yet_in_force"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    REVOKED = "revoked"
    RENOUNCED = "renounced"
    SUPERSEDED = "superseded"
    VOID_UPSTREAM = "void_upstream"


def in_force_intervals(
    record: GrantRecord, parent_intervals: Sequence[Validity] | None
) -> tuple[Validity, ...]:
    """The intervals in which one version of a grant is in force.

    `parent_intervals` are those of the source grant (all its versions), None when the source is
    the lawful holder, who holds the power for good.
    """
    own = Validity(record.in_force_from, record.validity.valid_to)
    if record.ended_at is not None:
        own = Validity(own.valid_from, min(record.ended_at, own.valid_to or record.ended_at))
    intervals = merge([own])
    if parent_intervals is not None:
        intervals = intersect(intervals, parent_intervals)
    return subtract(intervals, record.suspensions)


effective_intervals = in_force_intervals


def in_force_map(records: Iterable[GrantRecord]) -> dict[int, tuple[Validity, ...]]:
    """In-force intervals of every grant (all versions of an id together) of a forest.

    Records may come in any order. A grant whose source is missing, or whose chain loops back on
    itself, is never in force.
    """
    versions: dict[int, list[GrantRecord]] = defaultdict(list)
    for record in records:
        versions[record.id].append(record)
    result: dict[int, tuple[Validity, ...]] = {}
    visiting: set[int] = set()

    def resolve(grant_id: int) -> tuple[Validity, ...]:
        if grant_id in result:
            return result[grant_id]
        if grant_id in visiting or grant_id not in versions:
            return ()
        visiting.add(grant_id)
        intervals = merge(
            interval
            for record in versions[grant_id]
            for interval in in_force_intervals(
                record, None if record.parent_id is None else resolve(record.parent_id)
            )
        )
        visiting.discard(grant_id)
        result[grant_id] = intervals
        return intervals

    for grant_id in versions:
        resolve(grant_id)
    return result


_END_STATUS = {
    EndReason.REVOKED: GrantStatus.REVOKED,
    EndReason.RENOUNCED: GrantStatus.RENOUNCED,
    EndReason.SUPERSEDED: GrantStatus.SUPERSEDED,
}


def status_at(record: GrantRecord, intervals: Sequence[Validity], t: datetime) -> GrantStatus:
    """The status of one version at an instant, given its in-force intervals."""
    if record.ended_at is not None and t >= record.ended_at:
        return _END_STATUS[record.end_reason or EndReason.REVOKED]
    if t < record.in_force_from:
        return GrantStatus.NOT_YET_IN_FORCE
    if record.validity.valid_to is not None and t >= record.validity.valid_to:
        return GrantStatus.EXPIRED
    if any_contains(record.suspensions, t):
        return GrantStatus.SUSPENDED
    if any_contains(intervals, t):
        return GrantStatus.ACTIVE
    return GrantStatus.VOID_UPSTREAM


def descendants(records: Iterable[GrantRecord], grant_id: int) -> list[int]:
    """Ids of every grant derived, directly or not, from the given one (not itself), sorted."""
    children: dict[int, set[int]] = defaultdict(set)
    for record in records:
        if record.parent_id is not None:
            children[record.parent_id].add(record.id)
    found: set[int] = set()
    pending = [grant_id]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in found and child != grant_id:
                found.add(child)
                pending.append(child)
    return sorted(found)
