"""Specification of the brute-force oracle of who holds a power."""

from domain_builders import (
    ALLOCATE,
    CHAIRMAN,
    DEPUTY_SXD,
    DIRECTOR_SXD,
    FIVE_BILLION,
    LAND,
    LAND_POWER,
    TREE,
    at,
    record,
)

from registry.domain.facts import ActFacts
from registry.domain.reference import ReferenceEvaluator
from registry.domain.validity import Validity

PARENT = record(1)
CHILD = record(2, grantor=DIRECTOR_SXD, grantee=DEPUTY_SXD, parent_id=1, depth=2)
IN_COMMUNE = ActFacts("XA-AN-PHU", LAND, ALLOCATE, FIVE_BILLION)
DURING = at(2025, 10, 1)


def evaluator(*records: object) -> ReferenceEvaluator:
    return ReferenceEvaluator([LAND_POWER], records, TREE)  # type: ignore[arg-type]


def test_the_lawful_holder_holds_with_an_empty_chain() -> None:
    assert evaluator().holders("DD-01", IN_COMMUNE, DURING) == [(CHAIRMAN, [])]


def test_grantees_hold_through_their_chain_while_it_is_in_force() -> None:
    holders = evaluator(PARENT, CHILD).holders("DD-01", IN_COMMUNE, DURING)
    assert holders == [(CHAIRMAN, []), (DIRECTOR_SXD, [PARENT]), (DEPUTY_SXD, [PARENT, CHILD])]
    assert evaluator(PARENT, CHILD).allows(DEPUTY_SXD, "DD-01", IN_COMMUNE, DURING) == (
        True,
        [PARENT, CHILD],
    )


def test_a_suspended_link_breaks_the_chain_below_it() -> None:
    suspended = record(1, suspensions=(Validity(at(2025, 9, 1), at(2025, 11, 1)),))
    allowed, chain = evaluator(suspended, CHILD).allows(DEPUTY_SXD, "DD-01", IN_COMMUNE, DURING)
    assert not allowed
    assert chain is None


def test_facts_outside_the_grant_scope_are_not_held() -> None:
    too_much = ActFacts("XA-AN-PHU", LAND, ALLOCATE, FIVE_BILLION + 1)
    assert not evaluator(PARENT).allows(DIRECTOR_SXD, "DD-01", too_much, DURING)[0]
    elsewhere = ActFacts("XA-BINH-MY", LAND, ALLOCATE, 1)
    assert not evaluator(PARENT).allows(DIRECTOR_SXD, "DD-01", elsewhere, DURING)[0]


def test_an_unknown_power_has_no_holder() -> None:
    assert evaluator(PARENT).holders("XX-99", IN_COMMUNE, DURING) == []
