"""Checks on the life of a grant: suspend, resume, revoke, renounce and amend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from registry.domain.grants import GrantRecord, InstrumentFacts
from registry.domain.kinds import KIND_RULES, GrantKind, KindRule
from registry.domain.parties import Party
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.scope import Scope, ScopeDimension, contains, exceeded_dimensions
from registry.domain.term_rules import check_term_and_instrument, outlives
from registry.domain.units import UnitTree
from registry.domain.validity import Validity, any_contains, merge, utc_string

C = ReasonCode

_SCOPE_FIELDS: Mapping[ScopeDimension, str] = {
    ScopeDimension.TERRITORY: "scope.territory",
    ScopeDimension.SECTOR: "scope.sectors",
    ScopeDimension.ACT_TYPE: "scope.act_types",
    ScopeDimension.AMOUNT: "scope.amount_ceiling",
}


def not_ended(record: GrantRecord) -> list[Reason]:
    if record.ended_at is None:
        return []
    return [Reason.of(C.GRANT_ALREADY_REVOKED, None, grant=record.id)]


def actor_is_grantor(record: GrantRecord, actor: frozenset[Party]) -> list[Reason]:
    if record.grantor in actor:
        return []
    return [Reason.of(C.ONLY_GRANTOR_MAY_ACT, "actor", grantor=record.grantor)]


def _required(text: str | None, code: ReasonCode) -> list[Reason]:
    if text is not None and text.strip():
        return []
    return [Reason.of(code, "reason")]


def check_suspend(
    record: GrantRecord, actor: frozenset[Party], at: datetime, reason: str | None
) -> list[Reason]:
    """The grantor may suspend a grant that has not ended and is not already suspended."""
    found = not_ended(record) + actor_is_grantor(record, actor)
    if any_contains(record.suspensions, at):
        found.append(Reason.of(C.GRANT_ALREADY_SUSPENDED, None, grant=record.id))
    return found + _required(reason, C.FIELD_REQUIRED)


def check_resume(record: GrantRecord, actor: frozenset[Party], at: datetime) -> list[Reason]:
    """The grantor may lift a suspension in force at that moment."""
    found = not_ended(record) + actor_is_grantor(record, actor)
    if not any_contains(record.suspensions, at):
        found.append(Reason.of(C.GRANT_NOT_SUSPENDED, None, grant=record.id))
    return found


def check_revoke(
    record: GrantRecord,
    actor: frozenset[Party],
    at: datetime,
    reason: str | None,
    instrument: InstrumentFacts | None,
) -> list[Reason]:
    """The grantor revokes by a written instrument, with a reason, signed by the moment it acts."""
    found = not_ended(record) + actor_is_grantor(record, actor)
    found += _required(reason, C.REVOCATION_REASON_REQUIRED)
    if instrument is None:
        found.append(Reason.of(C.REVOCATION_INSTRUMENT_REQUIRED, "instrument"))
    elif instrument.signed_at > at:
        found.append(
            Reason.of(
                C.INSTRUMENT_AFTER_START,
                "instrument.signed_at",
                instrument=instrument.number,
                signed_at=utc_string(instrument.signed_at),
                start=utc_string(at),
            )
        )
    return found


def check_renounce(
    record: GrantRecord, actor: frozenset[Party], at: datetime, reason: str | None
) -> list[Reason]:
    """Only the grantee may give back what it received, and must say why."""
    found = not_ended(record)
    if record.grantee not in actor:
        found.append(Reason.of(C.ONLY_GRANTEE_MAY_RENOUNCE, "actor", grantee=record.grantee))
    return found + _required(reason, C.FIELD_REQUIRED)


@dataclass(frozen=True, slots=True)
class Amendment:
    """What an amendment may change; power, kind, parties and source stay as they were."""

    scope: Scope
    validity: Validity
    may_pass_on: bool
    instrument: InstrumentFacts | None


@dataclass(frozen=True, slots=True)
class AmendmentContext:
    """The source's scope and in-force intervals (None: the lawful holder, open-ended) and the
    current scopes of the grants derived from this one that have not ended, by id."""

    tree: UnitTree
    source_scope: Scope
    source_intervals: tuple[Validity, ...] | None = None
    sub_grant_scopes: Mapping[int, Scope] = field(default_factory=dict)
    kind_rules: Mapping[GrantKind, KindRule] = field(default_factory=lambda: KIND_RULES)


def _widening(outer: Scope, inner: Scope, tree: UnitTree) -> dict[str, Reason]:
    return {
        _SCOPE_FIELDS[e.dimension]: Reason.of(
            C.AMENDMENT_WIDENS_SCOPE, _SCOPE_FIELDS[e.dimension], value=e.value, limit=e.limit
        )
        for e in exceeded_dimensions(outer, inner, tree)
    }


def scope_not_widened(
    record: GrantRecord, amendment: Amendment, ctx: AmendmentContext
) -> list[Reason]:
    """Not beyond the source, nor beyond the version it replaces (one reason per field)."""
    by_field = _widening(ctx.source_scope, amendment.scope, ctx.tree)
    for name, reason in _widening(record.scope, amendment.scope, ctx.tree).items():
        by_field.setdefault(name, reason)
    return [by_field[name] for name in sorted(by_field)]


def sub_grants_kept_within(amendment: Amendment, ctx: AmendmentContext) -> list[Reason]:
    """Narrowing below a sub-grant would leave it exceeding its source: amend that one first."""
    stranded = sorted(
        grant_id
        for grant_id, scope in ctx.sub_grant_scopes.items()
        if not contains(amendment.scope, scope, ctx.tree)
    )
    if not stranded:
        return []
    return [
        Reason.of(C.AMENDMENT_STRANDS_SUB_GRANTS, "scope", grants=", ".join(map(str, stranded)))
    ]


def not_outliving_source(amendment: Amendment, ctx: AmendmentContext) -> list[Reason]:
    if not ctx.source_intervals:
        return []
    return outlives(amendment.validity, merge(ctx.source_intervals)[-1].valid_to)


def check_amend(
    record: GrantRecord,
    amendment: Amendment,
    actor: frozenset[Party],
    at: datetime,
    ctx: AmendmentContext,
) -> list[Reason]:
    """The grantor amends a grant in force or to come; the new version takes effect at `at`."""
    return [
        *not_ended(record),
        *actor_is_grantor(record, actor),
        *scope_not_widened(record, amendment, ctx),
        *sub_grants_kept_within(amendment, ctx),
        *not_outliving_source(amendment, ctx),
        *check_term_and_instrument(
            record.kind, amendment.validity, amendment.instrument, at, at, ctx.kind_rules
        ),
    ]
