"""Specification of the life of a grant: suspend, resume, revoke, renounce, amend."""

from dataclasses import replace
from datetime import timedelta

from domain_builders import (
    AUTHORIZATION_LETTER,
    CHAIRMAN,
    COMMUNE_LAND_SCOPE,
    DIRECTOR_SXD,
    FROM,
    LAND_POWER,
    TO,
    TREE,
    at,
    record,
)

from registry.domain.effective import in_force_intervals
from registry.domain.grants import EndReason
from registry.domain.lifecycle import (
    Amendment,
    AmendmentContext,
    check_amend,
    check_renounce,
    check_resume,
    check_revoke,
    check_suspend,
)
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.transitions import amend, end, resume, suspend
from registry.domain.validity import Validity

C = ReasonCode
GRANT = record(1)
GRANTOR = frozenset({CHAIRMAN})
GRANTEE = frozenset({DIRECTOR_SXD})
LATER = at(2025, 9, 1)


def codes(reasons: list[Reason]) -> list[ReasonCode]:
    return [reason.code for reason in reasons]


def test_the_grantor_may_suspend_and_resume() -> None:
    assert check_suspend(GRANT, GRANTOR, LATER, "Thanh tra đang xác minh") == []
    suspended = suspend(GRANT, LATER)
    assert codes(check_suspend(suspended, GRANTOR, LATER, "lần nữa")) == [C.GRANT_ALREADY_SUSPENDED]
    resumed_at = LATER + timedelta(days=10)
    assert check_resume(suspended, GRANTOR, resumed_at) == []
    resumed = resume(suspended, resumed_at)
    assert resumed.suspensions == (Validity(LATER, resumed_at),)
    assert codes(check_resume(resumed, GRANTOR, resumed_at)) == [C.GRANT_NOT_SUSPENDED]


def test_only_the_grantor_may_suspend() -> None:
    assert codes(check_suspend(GRANT, GRANTEE, LATER, "lý do")) == [C.ONLY_GRANTOR_MAY_ACT]


def test_a_suspension_needs_a_reason() -> None:
    assert codes(check_suspend(GRANT, GRANTOR, LATER, "  ")) == [C.FIELD_REQUIRED]


def test_revocation_needs_a_reason_and_an_instrument() -> None:
    assert codes(check_revoke(GRANT, GRANTOR, LATER, "", None)) == [
        C.REVOCATION_REASON_REQUIRED,
        C.REVOCATION_INSTRUMENT_REQUIRED,
    ]
    assert check_revoke(GRANT, GRANTOR, LATER, "Hết nhu cầu", AUTHORIZATION_LETTER) == []


def test_a_revocation_instrument_signed_after_it_acts_is_refused() -> None:
    late = replace(AUTHORIZATION_LETTER, signed_at=LATER + timedelta(days=1))
    assert codes(check_revoke(GRANT, GRANTOR, LATER, "lý do", late)) == [C.INSTRUMENT_AFTER_START]


def test_an_ended_grant_cannot_be_revoked_again() -> None:
    revoked = end(GRANT, LATER, EndReason.REVOKED)
    assert codes(check_revoke(revoked, GRANTOR, LATER, "lý do", AUTHORIZATION_LETTER)) == [
        C.GRANT_ALREADY_REVOKED
    ]


def test_only_the_grantee_may_renounce() -> None:
    assert check_renounce(GRANT, GRANTEE, LATER, "Chuyển công tác") == []
    assert codes(check_renounce(GRANT, GRANTOR, LATER, "Chuyển công tác")) == [
        C.ONLY_GRANTEE_MAY_RENOUNCE
    ]


def amendment(**changes: object) -> Amendment:
    good = Amendment(COMMUNE_LAND_SCOPE, Validity(FROM, TO), False, AUTHORIZATION_LETTER)
    return replace(good, **changes)  # type: ignore[arg-type]


AMEND_CTX = AmendmentContext(tree=TREE, source_scope=LAND_POWER.lawful_scope())


def test_an_amendment_narrowing_the_scope_is_allowed() -> None:
    narrower = replace(COMMUNE_LAND_SCOPE, amount_ceiling=1_000_000_000)
    assert check_amend(GRANT, amendment(scope=narrower), GRANTOR, LATER, AMEND_CTX) == []


def test_an_amendment_widening_the_scope_beyond_the_previous_version_is_refused() -> None:
    wider = replace(COMMUNE_LAND_SCOPE, territory=frozenset({"UBND-T"}))
    reasons = check_amend(GRANT, amendment(scope=wider), GRANTOR, LATER, AMEND_CTX)
    assert [(r.code, r.field) for r in reasons] == [(C.AMENDMENT_WIDENS_SCOPE, "scope.territory")]


def test_an_amendment_widening_beyond_the_source_is_refused() -> None:
    ctx = replace(AMEND_CTX, source_scope=replace(COMMUNE_LAND_SCOPE, amount_ceiling=10))
    reasons = check_amend(GRANT, amendment(), GRANTOR, LATER, ctx)
    assert [(r.code, r.field) for r in reasons] == [
        (C.AMENDMENT_WIDENS_SCOPE, "scope.amount_ceiling")
    ]


def test_an_amendment_may_not_outlive_the_source() -> None:
    ctx = replace(AMEND_CTX, source_intervals=(Validity(FROM, TO),))
    longer = amendment(validity=Validity(FROM, TO + timedelta(days=1)))
    assert codes(check_amend(GRANT, longer, GRANTOR, LATER, ctx)) == [C.GRANT_OUTLIVES_SOURCE]


def test_an_amendment_may_not_leave_sub_grants_beyond_it() -> None:
    ctx = replace(AMEND_CTX, sub_grant_scopes={7: COMMUNE_LAND_SCOPE})
    narrower = replace(COMMUNE_LAND_SCOPE, amount_ceiling=1)
    reasons = check_amend(GRANT, amendment(scope=narrower), GRANTOR, LATER, ctx)
    assert codes(reasons) == [C.AMENDMENT_STRANDS_SUB_GRANTS]
    assert reasons[0].params == {"grants": "7"}


def test_an_amended_authorization_still_needs_an_end() -> None:
    open_ended = amendment(validity=Validity(FROM))
    assert codes(check_amend(GRANT, open_ended, GRANTOR, LATER, AMEND_CTX)) == [C.END_REQUIRED]


def test_amending_supersedes_the_old_version_from_that_moment() -> None:
    old, new = amend(GRANT, amendment(), LATER)
    assert old.end_reason is EndReason.SUPERSEDED
    assert new.version == 2
    assert in_force_intervals(old, None) == (Validity(FROM, LATER),)
    assert in_force_intervals(new, None) == (Validity(LATER, TO),)
    assert (new.grantee, new.scope) == (GRANT.grantee, COMMUNE_LAND_SCOPE)
