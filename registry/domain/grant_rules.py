"""The rules a new grant must satisfy, each a small function returning the reasons it refuses."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from registry.domain.grants import GrantProposal, GrantRecord, PowerFacts
from registry.domain.kinds import KIND_RULES, GrantKind, KindRule
from registry.domain.parties import Party
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.scope import Scope, ScopeDimension, exceeded_dimensions
from registry.domain.term_rules import check_term_and_instrument, outlives
from registry.domain.units import UnitTree
from registry.domain.validity import Validity, any_contains, covers, merge, utc_string

C = ReasonCode

SCOPE_FIELDS: Mapping[ScopeDimension, str] = {
    ScopeDimension.TERRITORY: "scope.territory",
    ScopeDimension.SECTOR: "scope.sectors",
    ScopeDimension.ACT_TYPE: "scope.act_types",
    ScopeDimension.AMOUNT: "scope.amount_ceiling",
}


@dataclass(frozen=True, slots=True)
class GrantContext:
    """What the service knows around a proposal, as plain data.

    `source` is the parent grant (its current version), None when the grantor grants as the lawful
    holder; `source_intervals` are the parent's in-force intervals; `chain` runs from the first
    grant after the lawful holder down to the source. Identity sets hold a party and whoever is
    the same actor at the start (the officials holding a position, the positions an official
    holds), so a grant to oneself through another hat is caught. `grantee_active` is None when
    the grantee is unknown.
    """

    power: PowerFacts
    tree: UnitTree
    now: datetime
    source: GrantRecord | None = None
    source_intervals: tuple[Validity, ...] = ()
    chain: tuple[GrantRecord, ...] = ()
    grantee_active: tuple[Validity, ...] | None = ()
    grantor_identities: frozenset[Party] = frozenset()
    grantee_identities: frozenset[Party] = frozenset()
    kind_rules: Mapping[GrantKind, KindRule] = field(default_factory=lambda: KIND_RULES)

    def rule(self, kind: GrantKind) -> KindRule:
        return self.kind_rules[kind]

    def source_scope(self) -> Scope:
        return self.power.lawful_scope() if self.source is None else self.source.scope

    def source_holder(self) -> Party:
        return self.power.lawful_holder if self.source is None else self.source.grantee


def grantor_identities(proposal: GrantProposal, ctx: GrantContext) -> frozenset[Party]:
    return ctx.grantor_identities | {proposal.grantor}


def grantee_identities(proposal: GrantProposal, ctx: GrantContext) -> frozenset[Party]:
    return ctx.grantee_identities | {proposal.grantee}


def may_pass_on(proposal: GrantProposal, rules: Mapping[GrantKind, KindRule]) -> bool:
    """The proposal's choice, or the kind's default when it makes none."""
    if proposal.may_pass_on is None:
        return rules[proposal.kind].may_pass_on_default
    return proposal.may_pass_on


def source_end(ctx: GrantContext) -> datetime | None:
    """When the source stops being in force for good; None when it is open-ended."""
    if ctx.source is None or not ctx.source_intervals:
        return None
    return merge(ctx.source_intervals)[-1].valid_to


Rule = Callable[[GrantProposal, GrantContext], list[Reason]]


def grantor_holds_power(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if p.power != ctx.power.code:
        return [Reason.of(C.GRANTOR_LACKS_POWER, "power", grantor=p.grantor, power=p.power)]
    if ctx.source is not None and (ctx.source.power != p.power or ctx.source.id != p.parent_id):
        return [Reason.of(C.GRANTOR_LACKS_POWER, "parent_id", grantor=p.grantor, power=p.power)]
    if ctx.source_holder() not in grantor_identities(p, ctx):
        return [Reason.of(C.GRANTOR_LACKS_POWER, "grantor", grantor=p.grantor, power=p.power)]
    return []


def source_in_force_at_start(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    start = p.validity.valid_from
    if ctx.source is None or any_contains(ctx.source_intervals, start):
        return []
    return [Reason.of(C.SOURCE_NOT_IN_FORCE, "valid_from", start=utc_string(start))]


def source_may_pass_on(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if ctx.source is None or ctx.source.may_pass_on:
        return []
    return [Reason.of(C.SOURCE_MAY_NOT_PASS_ON, "parent_id", source=ctx.source.id)]


def power_is_delegable(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if not ctx.power.non_delegable:
        return []
    return [Reason.of(C.POWER_NOT_DELEGABLE, "power", power=ctx.power.code)]


def kind_allowed_for_power(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if p.kind in ctx.power.kinds_allowed:
        return []
    return [Reason.of(C.KIND_NOT_ALLOWED_FOR_POWER, "kind", power=ctx.power.code, kind=p.kind)]


def kind_allowed_from_source(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if ctx.source is None or ctx.source.kind in ctx.rule(p.kind).source_kinds:
        return []
    return [
        Reason.of(C.KIND_NOT_ALLOWED_FROM_SOURCE, "kind", kind=p.kind, source_kind=ctx.source.kind)
    ]


def scope_within_source(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    return [
        Reason.of(C.GRANT_EXCEEDS_SCOPE, SCOPE_FIELDS[e.dimension], value=e.value, limit=e.limit)
        for e in exceeded_dimensions(ctx.source_scope(), p.scope, ctx.tree)
        if e.dimension is not ScopeDimension.AMOUNT
    ]


def amount_within_source(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    return [
        Reason.of(
            C.AMOUNT_ABOVE_SOURCE, "scope.amount_ceiling", ceiling=e.value, source_ceiling=e.limit
        )
        for e in exceeded_dimensions(ctx.source_scope(), p.scope, ctx.tree)
        if e.dimension is ScopeDimension.AMOUNT
    ]


def does_not_outlive_source(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if ctx.source is None or not ctx.source_intervals:
        return []
    return outlives(p.validity, source_end(ctx))


def chain_within_depth(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    depth = len(ctx.chain) + 1
    if depth <= ctx.power.max_depth:
        return []
    return [
        Reason.of(
            C.CHAIN_TOO_DEEP,
            "parent_id",
            depth=depth,
            max_depth=ctx.power.max_depth,
            power=ctx.power.code,
        )
    ]


def is_self_grant(p: GrantProposal, ctx: GrantContext) -> bool:
    return bool(grantor_identities(p, ctx) & grantee_identities(p, ctx))


def not_self_grant(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if not is_self_grant(p, ctx):
        return []
    return [Reason.of(C.SELF_GRANT, "grantee", grantee=p.grantee, grantor=p.grantor)]


def no_cycle(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if is_self_grant(p, ctx):
        return []  # already refused as a self-grant
    up_the_chain = {ctx.power.lawful_holder}
    for record in ctx.chain:
        up_the_chain.update((record.grantor, record.grantee))
    if grantee_identities(p, ctx).isdisjoint(up_the_chain):
        return []
    return [Reason.of(C.GRANT_CYCLE, "grantee", grantee=p.grantee)]


def grantee_active(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    if ctx.grantee_active is None:
        return [Reason.of(C.GRANTEE_UNKNOWN, "grantee", grantee=p.grantee)]
    if covers(ctx.grantee_active, p.validity):
        return []
    return [Reason.of(C.GRANTEE_INACTIVE, "grantee", grantee=p.grantee)]


def term_and_instrument(p: GrantProposal, ctx: GrantContext) -> list[Reason]:
    """Instrument present, of an accepted (and where needed normative) type, signed by the start
    and not in the future; end given where the kind requires one, after the start, not too far."""
    return check_term_and_instrument(
        p.kind, p.validity, p.instrument, p.validity.valid_from, ctx.now, ctx.kind_rules
    )


RULES: Sequence[Rule] = (
    grantor_holds_power,
    source_in_force_at_start,
    source_may_pass_on,
    power_is_delegable,
    kind_allowed_for_power,
    kind_allowed_from_source,
    scope_within_source,
    amount_within_source,
    does_not_outlive_source,
    chain_within_depth,
    not_self_grant,
    no_cycle,
    grantee_active,
    term_and_instrument,
)


def check_grant(proposal: GrantProposal, ctx: GrantContext) -> list[Reason]:
    """Every reason the proposal is refused for; an empty list means the grant may be made."""
    return [reason for rule in RULES for reason in rule(proposal, ctx)]
