"""Pure state changes of grants: make, suspend, resume, end and amend, returning new records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from registry.domain.grants import EndReason, GrantProposal, GrantRecord
from registry.domain.kinds import KIND_RULES, GrantKind, KindRule
from registry.domain.lifecycle import Amendment
from registry.domain.validity import Validity


def make_record(
    proposal: GrantProposal,
    grant_id: int,
    depth: int,
    created_at: datetime,
    rules: Mapping[GrantKind, KindRule] = KIND_RULES,
) -> GrantRecord:
    """The first version of a grant whose proposal passed the rules."""
    may_pass_on = proposal.may_pass_on
    if may_pass_on is None:
        may_pass_on = rules[proposal.kind].may_pass_on_default
    return GrantRecord(
        id=grant_id,
        power=proposal.power,
        kind=proposal.kind,
        grantor=proposal.grantor,
        grantee=proposal.grantee,
        parent_id=proposal.parent_id,
        scope=proposal.scope,
        validity=proposal.validity,
        may_pass_on=may_pass_on,
        depth=depth,
        created_at=created_at,
    )


def suspend(record: GrantRecord, at: datetime, until: datetime | None = None) -> GrantRecord:
    """Suspended from `at` until resumed (or until `until`)."""
    return replace(record, suspensions=(*record.suspensions, Validity(at, until)))


def resume(record: GrantRecord, at: datetime) -> GrantRecord:
    """Close, at `at`, the suspension in force then."""
    kept: list[Validity] = []
    for suspension in record.suspensions:
        if suspension.contains_instant(at):
            closed = suspension.cut_at(at)
            if closed is not None:
                kept.append(closed)
        else:
            kept.append(suspension)
    return replace(record, suspensions=tuple(kept))


def end(record: GrantRecord, at: datetime, reason: EndReason) -> GrantRecord:
    """Revoked, renounced or superseded from `at` on."""
    return replace(record, ended_at=at, end_reason=reason)


def amend(
    record: GrantRecord, amendment: Amendment, at: datetime
) -> tuple[GrantRecord, GrantRecord]:
    """The old version, superseded at `at`, and the new version in force from `at`.

    A suspension still running at `at` carries over to the new version.
    """
    carried = tuple(piece for s in record.suspensions if (piece := s.starting_at(at)) is not None)
    new = replace(
        record,
        scope=amendment.scope,
        validity=amendment.validity,
        may_pass_on=amendment.may_pass_on,
        created_at=at,
        suspensions=carried,
        ended_at=None,
        end_reason=None,
        version=record.version + 1,
        effective_from=at,
    )
    return end(record, at, EndReason.SUPERSEDED), new
