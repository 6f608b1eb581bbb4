"""Specification of the rules a new grant must satisfy, one refusal per rule."""

import unicodedata
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from domain_builders import (
    ALLOCATE,
    AUTHORIZATION_LETTER,
    CHAIRMAN,
    COMMUNE_CHAIRMAN,
    COMMUNE_LAND_SCOPE,
    DEPUTY_SXD,
    DIRECTOR_SXD,
    FIVE_BILLION,
    FROM,
    LAND,
    LAND_POWER,
    NORMATIVE_DECISION,
    OFFICIAL_AN,
    TO,
    VICE_CHAIRMAN,
    at,
    context,
    proposal,
    record,
)

from registry.domain.grant_rules import GrantContext, check_grant
from registry.domain.grants import GrantProposal, InstrumentFacts
from registry.domain.kinds import GrantKind, InstrumentType, with_max_duration
from registry.domain.parties import Party
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.scope import Scope
from registry.domain.validity import Validity

C = ReasonCode
LAW = InstrumentFacts("31/2024/QH15", InstrumentType.LAW, True, at(2024, 1, 18))


def codes(reasons: list[Reason]) -> list[tuple[ReasonCode, str | None]]:
    return [(reason.code, reason.field) for reason in reasons]


def refused_for(p: GrantProposal, ctx: GrantContext) -> list[tuple[ReasonCode, str | None]]:
    return codes(check_grant(p, ctx))


# The director of construction passes part of his authorization on to his deputy.
PARENT = record(1, may_pass_on=True)


def sub_proposal(**changes: Any) -> GrantProposal:
    return proposal(**{"grantor": DIRECTOR_SXD, "grantee": DEPUTY_SXD, "parent_id": 1, **changes})


def sub_context(**changes: Any) -> GrantContext:
    good = context(
        source=PARENT,
        source_intervals=(Validity(FROM, TO),),
        chain=(PARENT,),
        grantor_identities=frozenset({DIRECTOR_SXD}),
        grantee_identities=frozenset({DEPUTY_SXD}),
    )
    return replace(good, **changes)


def test_chairman_authorizing_the_director_of_construction_is_allowed() -> None:
    assert check_grant(proposal(), context()) == []


def test_a_sub_grant_within_its_source_is_allowed() -> None:
    assert check_grant(sub_proposal(), sub_context()) == []


@pytest.mark.parametrize(
    ("kind", "instrument", "valid_to"),
    [
        (GrantKind.DEVOLUTION, LAW, None),
        (GrantKind.DECENTRALIZATION, NORMATIVE_DECISION, None),
        (GrantKind.AUTHORIZATION, AUTHORIZATION_LETTER, TO),
    ],
)
def test_each_kind_with_its_instrument_is_allowed(
    kind: GrantKind, instrument: InstrumentFacts, valid_to: object
) -> None:
    p = proposal(kind=kind, instrument=instrument, validity=Validity(FROM, valid_to))  # type: ignore[arg-type]
    assert check_grant(p, context()) == []


# -- the grantor holds the power at the start


def test_a_grantor_who_is_not_the_lawful_holder_lacks_power() -> None:
    p = proposal(grantor=VICE_CHAIRMAN)
    ctx = context(grantor_identities=frozenset({VICE_CHAIRMAN}))
    assert refused_for(p, ctx) == [(C.GRANTOR_LACKS_POWER, "grantor")]


def test_the_official_holding_the_lawful_position_may_grant_in_its_name() -> None:
    p = proposal(grantor=OFFICIAL_AN)
    assert check_grant(p, context(grantor_identities=frozenset({OFFICIAL_AN, CHAIRMAN}))) == []


def test_only_the_source_grantee_may_pass_a_grant_on() -> None:
    p = sub_proposal(grantor=VICE_CHAIRMAN)
    ctx = sub_context(grantor_identities=frozenset({VICE_CHAIRMAN}))
    assert refused_for(p, ctx) == [(C.GRANTOR_LACKS_POWER, "grantor")]


def test_a_source_grant_of_another_power_gives_no_power() -> None:
    ctx = sub_context(source=replace(PARENT, power="XD-02"))
    assert (C.GRANTOR_LACKS_POWER, "parent_id") in refused_for(sub_proposal(), ctx)


def test_a_source_not_in_force_at_the_start_is_refused() -> None:
    ctx = sub_context(source_intervals=(Validity(FROM, at(2025, 9, 1)), Validity(at(2025, 10, 1))))
    p = sub_proposal(validity=Validity(at(2025, 9, 15), TO))
    assert refused_for(p, ctx) == [(C.SOURCE_NOT_IN_FORCE, "valid_from")]


def test_a_source_that_may_not_be_passed_on_refuses_a_sub_grant() -> None:
    ctx = sub_context(source=replace(PARENT, may_pass_on=False))
    assert refused_for(sub_proposal(), ctx) == [(C.SOURCE_MAY_NOT_PASS_ON, "parent_id")]


# -- the power may be passed on, by this kind


def test_a_non_delegable_power_is_refused() -> None:
    ctx = context(power=replace(LAND_POWER, non_delegable=True))
    assert refused_for(proposal(), ctx) == [(C.POWER_NOT_DELEGABLE, "power")]


def test_a_kind_the_power_does_not_allow_is_refused() -> None:
    power = replace(LAND_POWER, kinds_allowed=frozenset({GrantKind.DECENTRALIZATION}))
    assert refused_for(proposal(), context(power=power)) == [(C.KIND_NOT_ALLOWED_FOR_POWER, "kind")]


def test_a_power_received_by_authorization_cannot_be_decentralized() -> None:
    p = sub_proposal(kind=GrantKind.DECENTRALIZATION, instrument=NORMATIVE_DECISION)
    assert refused_for(p, sub_context()) == [(C.KIND_NOT_ALLOWED_FROM_SOURCE, "kind")]


# -- scope and amount within the source


def test_a_territory_beyond_the_source_is_refused() -> None:
    wider = replace(COMMUNE_LAND_SCOPE, territory=frozenset({"XA-AN-PHU", "XA-BINH-MY"}))
    reasons = check_grant(sub_proposal(scope=wider), sub_context())
    assert codes(reasons) == [(C.GRANT_EXCEEDS_SCOPE, "scope.territory")]
    assert reasons[0].params == {"value": "XA-BINH-MY", "limit": "XA-AN-PHU"}
    assert reasons[0].message("vi") == (
        "Địa bàn vượt quá phạm vi của nguồn: XA-BINH-MY nằm ngoài XA-AN-PHU."
    )


def test_sectors_and_act_types_beyond_the_source_are_each_refused() -> None:
    wider = replace(COMMUNE_LAND_SCOPE, sectors=None, act_types=frozenset({ALLOCATE, "x"}))
    assert refused_for(sub_proposal(scope=wider), sub_context()) == [
        (C.GRANT_EXCEEDS_SCOPE, "scope.sectors"),
        (C.GRANT_EXCEEDS_SCOPE, "scope.act_types"),
    ]


def test_a_scope_outside_the_lawful_scope_is_refused() -> None:
    other_sector = replace(COMMUNE_LAND_SCOPE, sectors=frozenset({"xay-dung"}))
    assert refused_for(proposal(scope=other_sector), context()) == [
        (C.GRANT_EXCEEDS_SCOPE, "scope.sectors")
    ]


def test_an_amount_ceiling_above_the_source_is_refused() -> None:
    higher = replace(COMMUNE_LAND_SCOPE, amount_ceiling=FIVE_BILLION + 1)
    assert refused_for(sub_proposal(scope=higher), sub_context()) == [
        (C.AMOUNT_ABOVE_SOURCE, "scope.amount_ceiling")
    ]


def test_no_ceiling_under_a_source_with_a_ceiling_is_refused() -> None:
    unlimited = replace(COMMUNE_LAND_SCOPE, amount_ceiling=None)
    assert refused_for(sub_proposal(scope=unlimited), sub_context()) == [
        (C.AMOUNT_ABOVE_SOURCE, "scope.amount_ceiling")
    ]


# -- validity within the source


def test_a_grant_outliving_its_source_is_refused_not_clipped() -> None:
    p = sub_proposal(validity=Validity(FROM, TO + timedelta(days=1)))
    reasons = check_grant(p, sub_context())
    assert codes(reasons) == [(C.GRANT_OUTLIVES_SOURCE, "valid_to")]
    assert reasons[0].params == {"source_end": "2026-08-01T00:00:00Z"}


def test_under_an_open_ended_source_any_end_is_allowed() -> None:
    ctx = sub_context(
        source=replace(PARENT, kind=GrantKind.DECENTRALIZATION, validity=Validity(FROM)),
        source_intervals=(Validity(FROM),),
    )
    assert check_grant(sub_proposal(validity=Validity(FROM, at(2040, 1, 1))), ctx) == []


# -- chain depth, self-grants and cycles


def test_a_chain_deeper_than_the_power_allows_is_refused() -> None:
    ctx = sub_context(power=replace(LAND_POWER, max_depth=1))
    reasons = check_grant(sub_proposal(), ctx)
    assert codes(reasons) == [(C.CHAIN_TOO_DEEP, "parent_id")]
    assert reasons[0].params["depth"] == "2"


def test_granting_to_oneself_is_refused() -> None:
    p = proposal(grantee=CHAIRMAN)
    ctx = context(grantee_identities=frozenset({CHAIRMAN, OFFICIAL_AN}))
    assert refused_for(p, ctx) == [(C.SELF_GRANT, "grantee")]


def test_granting_to_another_position_held_by_the_same_official_is_refused() -> None:
    # Nguyễn Văn An chairs the committee and, concurrently, directs the department.
    ctx = context(grantee_identities=frozenset({DIRECTOR_SXD, OFFICIAL_AN}))
    assert refused_for(proposal(), ctx) == [(C.SELF_GRANT, "grantee")]


def test_a_decomposed_vietnamese_name_does_not_dodge_the_self_grant_check() -> None:
    composed = Party.parse("official:Nguyễn-Văn-An")
    decomposed = Party.parse("official:" + unicodedata.normalize("NFD", "Nguyễn-Văn-An"))
    p = proposal(grantor=composed, grantee=decomposed)
    ctx = context(
        grantor_identities=frozenset({composed, CHAIRMAN}), grantee_identities=frozenset()
    )
    assert (C.SELF_GRANT, "grantee") in refused_for(p, ctx)


def test_granting_back_up_the_chain_is_refused_as_a_cycle() -> None:
    p = sub_proposal(grantee=CHAIRMAN)
    ctx = sub_context(grantee_identities=frozenset({CHAIRMAN}))
    assert refused_for(p, ctx) == [(C.GRANT_CYCLE, "grantee")]


# -- the grantee


def test_an_unknown_grantee_is_refused() -> None:
    assert refused_for(proposal(), context(grantee_active=None)) == [(C.GRANTEE_UNKNOWN, "grantee")]


def test_a_grantee_inactive_during_part_of_the_validity_is_refused() -> None:
    ctx = context(grantee_active=(Validity(at(2020, 1, 1), at(2026, 1, 1)),))
    assert refused_for(proposal(), ctx) == [(C.GRANTEE_INACTIVE, "grantee")]


# -- the instrument


def test_a_grant_without_instrument_is_refused() -> None:
    assert refused_for(proposal(instrument=None), context()) == [
        (C.INSTRUMENT_MISSING, "instrument")
    ]


@pytest.mark.parametrize(
    ("kind", "instrument_type"),
    [
        (GrantKind.DEVOLUTION, InstrumentType.DECREE),
        (GrantKind.DEVOLUTION, InstrumentType.DECISION),
        (GrantKind.DECENTRALIZATION, InstrumentType.AUTHORIZATION_LETTER),
        (GrantKind.AUTHORIZATION, InstrumentType.DIRECTIVE),
        (GrantKind.AUTHORIZATION, InstrumentType.LAW),
    ],
)
def test_an_instrument_of_a_type_the_kind_does_not_accept_is_refused(
    kind: GrantKind, instrument_type: InstrumentType
) -> None:
    instrument = InstrumentFacts("1/X", instrument_type, True, at(2025, 7, 1))
    p = proposal(kind=kind, instrument=instrument)
    assert (C.INSTRUMENT_TYPE_NOT_ACCEPTED, "instrument.type") in refused_for(p, context())


def test_decentralization_by_an_individual_decision_is_refused() -> None:
    individual = replace(NORMATIVE_DECISION, number="123/QĐ-UBND", normative=False)
    p = proposal(kind=GrantKind.DECENTRALIZATION, instrument=individual)
    reasons = check_grant(p, context())
    assert codes(reasons) == [(C.INSTRUMENT_NOT_NORMATIVE, "instrument.normative")]
    assert "văn bản quy phạm pháp luật" in reasons[0].message("vi")


def test_an_instrument_signed_after_the_start_is_refused() -> None:
    late = replace(AUTHORIZATION_LETTER, signed_at=FROM + timedelta(hours=1))
    assert refused_for(proposal(instrument=late), context(now=at(2025, 8, 2))) == [
        (C.INSTRUMENT_AFTER_START, "instrument.signed_at")
    ]


def test_an_instrument_dated_in_the_future_is_refused() -> None:
    assert refused_for(proposal(), context(now=at(2025, 7, 1))) == [
        (C.INSTRUMENT_NOT_YET_SIGNED, "instrument.signed_at")
    ]


# -- the term


def test_authorization_without_end_date_is_refused() -> None:
    p = proposal(validity=Validity(FROM))
    assert refused_for(p, context()) == [(C.END_REQUIRED, "valid_to")]


def test_an_end_not_after_the_start_is_refused() -> None:
    p = proposal(validity=Validity(FROM, FROM))
    assert refused_for(p, context()) == [(C.END_NOT_AFTER_START, "valid_to")]


def test_an_authorization_longer_than_configured_is_refused() -> None:
    rules = with_max_duration(GrantKind.AUTHORIZATION, timedelta(days=180))
    reasons = check_grant(proposal(), context(kind_rules=rules))
    assert codes(reasons) == [(C.DURATION_TOO_LONG, "valid_to")]
    assert reasons[0].message("en") == "Authorization may last at most 180 days."


def test_an_open_ended_grant_of_a_kind_with_a_maximum_is_refused() -> None:
    rules = with_max_duration(GrantKind.DECENTRALIZATION, timedelta(days=365))
    p = proposal(
        kind=GrantKind.DECENTRALIZATION, instrument=NORMATIVE_DECISION, validity=Validity(FROM)
    )
    assert refused_for(p, context(kind_rules=rules)) == [(C.DURATION_TOO_LONG, "valid_to")]


# -- all reasons at once


def test_every_broken_rule_is_reported_not_only_the_first() -> None:
    p = proposal(
        grantor=VICE_CHAIRMAN,
        grantee=COMMUNE_CHAIRMAN,
        scope=Scope(frozenset({"XA-BINH-MY"}), frozenset({LAND}), None, 10**11),
        validity=Validity(FROM),
        instrument=None,
    )
    ctx = context(grantor_identities=frozenset(), grantee_active=None)
    assert {code for code, _ in refused_for(p, ctx)} == {
        C.GRANTOR_LACKS_POWER,
        C.GRANT_EXCEEDS_SCOPE,
        C.AMOUNT_ABOVE_SOURCE,
        C.GRANTEE_UNKNOWN,
        C.INSTRUMENT_MISSING,
        C.END_REQUIRED,
    }


def test_the_lawful_scope_bounds_the_first_grant() -> None:
    assert LAND_POWER.lawful_scope() == Scope(
        frozenset({"UBND-T"}), frozenset({LAND}), frozenset({ALLOCATE, "thu-hoi-dat"}), 10**10
    )
