"""Why a check was refused, in reason codes: the engine decides, this only explains (pure)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from registry.domain.effective import GrantStatus, status_at
from registry.domain.facts import ActFacts
from registry.domain.grants import GrantRecord, PowerFacts
from registry.domain.parties import Party
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.scope import Scope, ScopeDimension, first_exceeded_dimension
from registry.domain.units import UnitTree
from registry.domain.validity import Validity, utc_string

C = ReasonCode
_STATUS_REASON = {
    GrantStatus.SUSPENDED: C.GRANT_SUSPENDED,
    GrantStatus.REVOKED: C.GRANT_REVOKED,
    GrantStatus.RENOUNCED: C.GRANT_RENOUNCED,
    GrantStatus.EXPIRED: C.GRANT_EXPIRED,
    GrantStatus.NOT_YET_IN_FORCE: C.GRANT_NOT_YET_IN_FORCE,
    GrantStatus.VOID_UPSTREAM: C.GRANT_VOID_UPSTREAM,
}
#: The closer a refused grant came to covering the act, the earlier its reason is given.
_PRIORITY = [
    C.AMOUNT_EXCEEDED,
    C.SCOPE_EXCEEDED,
    C.GRANT_SUSPENDED,
    C.GRANT_REVOKED,
    C.GRANT_RENOUNCED,
    C.GRANT_VOID_UPSTREAM,
    C.GRANT_EXPIRED,
    C.GRANT_NOT_YET_IN_FORCE,
]
_FIELDS = {
    ScopeDimension.TERRITORY: "scope.territory",
    ScopeDimension.SECTOR: "scope.sectors",
    ScopeDimension.ACT_TYPE: "scope.act_types",
    ScopeDimension.AMOUNT: "scope.amount_ceiling",
}


def point_scope(facts: ActFacts) -> Scope:
    return Scope(
        territory=frozenset({facts.unit}),
        sectors=frozenset({facts.sector}),
        act_types=frozenset({facts.act_type}),
        amount_ceiling=facts.amount or 0,
    )


def scope_reason(scope: Scope, facts: ActFacts, tree: UnitTree, grant: str) -> Reason | None:
    exceeded = first_exceeded_dimension(scope, point_scope(facts), tree)
    if exceeded is None:
        return None
    if exceeded.dimension is ScopeDimension.AMOUNT:
        return Reason.of(
            C.AMOUNT_EXCEEDED,
            "amount",
            amount=facts.amount or 0,
            ceiling=exceeded.limit,
            grant=grant,
        )
    return Reason.of(
        C.SCOPE_EXCEEDED,
        _FIELDS[exceeded.dimension],
        value=exceeded.value,
        limit=exceeded.limit,
        grant=grant,
    )


def explain_refusal(
    subjects: Collection[Party],
    power: PowerFacts,
    power_validity: Validity,
    records: Sequence[GrantRecord],
    intervals: Mapping[int, tuple[Validity, ...]],
    facts: ActFacts,
    at: datetime,
    tree: UnitTree,
    end_details: Mapping[int, Mapping[str, str]] | None = None,
) -> list[Reason]:
    """The most telling reason the subjects could not exercise the power; NO_AUTHORITY if none."""
    found: list[Reason] = []
    if power.lawful_holder in subjects:
        if not power_validity.contains_instant(at):
            found.append(Reason.of(C.NO_AUTHORITY, None, power=power.code))
        else:
            reason = scope_reason(power.lawful_scope(), facts, tree, f"law:{power.code}")
            if reason:
                found.append(reason)
    for record in records:
        if record.grantee not in subjects:
            continue
        status = status_at(record, intervals.get(record.id, ()), at)
        if status is GrantStatus.SUPERSEDED:
            continue
        if status is GrantStatus.ACTIVE:
            reason = scope_reason(record.scope, facts, tree, str(record.id))
            if reason is None:
                # In force and covering, yet refused: something up the chain does not cover.
                reason = Reason.of(
                    C.SCOPE_EXCEEDED, "scope", value=facts.unit, limit="…", grant=str(record.id)
                )
            found.append(reason)
            continue
        details = dict((end_details or {}).get(record.id, {}))
        if status in (GrantStatus.EXPIRED,) and record.validity.valid_to:
            details.setdefault("at", utc_string(record.validity.valid_to))
        if status is GrantStatus.NOT_YET_IN_FORCE:
            details.setdefault("at", utc_string(record.in_force_from))
        found.append(Reason.of(_STATUS_REASON[status], None, grant=record.id, **details))
    if not found:
        return [Reason.of(C.NO_AUTHORITY, None, power=power.code)]
    found.sort(key=lambda r: _PRIORITY.index(r.code) if r.code in _PRIORITY else len(_PRIORITY))
    return found[:1]
