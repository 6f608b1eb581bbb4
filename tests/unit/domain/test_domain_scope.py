"""Specification of scopes: containment, overlap, coverage of acts and their description."""

import pytest
from domain_builders import ALLOCATE, COMMUNE_LAND_SCOPE, FIVE_BILLION, LAND, PROVINCE, TREE

from registry.domain.facts import ActFacts
from registry.domain.scope import (
    Exceedance,
    Scope,
    ScopeDimension,
    contains,
    covers,
    describe,
    first_exceeded_dimension,
    intersection,
    overlaps,
)

PROVINCE_LAND = Scope(frozenset({PROVINCE}), frozenset({LAND}), None, None)


def test_a_scope_needs_a_territory() -> None:
    with pytest.raises(ValueError, match="territory"):
        Scope(frozenset(), None, None, None)


def test_an_empty_set_of_sectors_is_refused_none_means_all() -> None:
    with pytest.raises(ValueError, match="None for all"):
        Scope(frozenset({PROVINCE}), frozenset(), None, None)


def test_a_province_scope_contains_a_commune_scope_not_the_reverse() -> None:
    assert contains(PROVINCE_LAND, COMMUNE_LAND_SCOPE, TREE)
    assert not contains(COMMUNE_LAND_SCOPE, PROVINCE_LAND, TREE)


@pytest.mark.parametrize(
    ("facts", "covered"),
    [
        (ActFacts("XA-AN-PHU", LAND, ALLOCATE, FIVE_BILLION), True),
        (ActFacts("XA-AN-PHU", LAND, ALLOCATE, None), True),
        (ActFacts("XA-AN-PHU", LAND, ALLOCATE, FIVE_BILLION + 1), False),
        (ActFacts("XA-BINH-MY", LAND, ALLOCATE, 1), False),
        (ActFacts("XA-AN-PHU", "xay-dung", ALLOCATE, 1), False),
        (ActFacts("XA-AN-PHU", LAND, "thu-hoi-dat", 1), False),
    ],
)
def test_coverage_of_act_facts(facts: ActFacts, covered: bool) -> None:
    assert covers(COMMUNE_LAND_SCOPE, facts, TREE) is covered


def test_sibling_communes_do_not_overlap() -> None:
    other = Scope(frozenset({"XA-BINH-MY"}), None, None, None)
    assert not overlaps(COMMUNE_LAND_SCOPE, other, TREE)
    assert intersection(COMMUNE_LAND_SCOPE, other, TREE) is None


def test_intersection_keeps_the_narrower_of_each_dimension() -> None:
    wide = Scope(frozenset({PROVINCE}), None, frozenset({ALLOCATE, "thu-hoi-dat"}), 10**10)
    assert intersection(wide, COMMUNE_LAND_SCOPE, TREE) == COMMUNE_LAND_SCOPE


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        (
            Scope(frozenset({"XA-BINH-MY"}), frozenset({LAND}), frozenset({ALLOCATE}), 1),
            Exceedance(ScopeDimension.TERRITORY, "XA-BINH-MY", "XA-AN-PHU"),
        ),
        (
            Scope(frozenset({"XA-AN-PHU"}), None, frozenset({ALLOCATE}), 1),
            Exceedance(ScopeDimension.SECTOR, "*", LAND),
        ),
        (
            Scope(frozenset({"XA-AN-PHU"}), frozenset({LAND}), frozenset({ALLOCATE, "x"}), 1),
            Exceedance(ScopeDimension.ACT_TYPE, "x", ALLOCATE),
        ),
        (
            Scope(frozenset({"XA-AN-PHU"}), frozenset({LAND}), frozenset({ALLOCATE}), None),
            Exceedance(ScopeDimension.AMOUNT, "*", str(FIVE_BILLION)),
        ),
        (COMMUNE_LAND_SCOPE, None),
    ],
)
def test_first_exceeded_dimension_names_value_and_limit(
    inner: Scope, expected: Exceedance | None
) -> None:
    assert first_exceeded_dimension(COMMUNE_LAND_SCOPE, inner, TREE) == expected


def test_describe_in_vietnamese_first() -> None:
    scope = Scope(frozenset({"XA-AN-PHU"}), frozenset({LAND}), None, FIVE_BILLION)
    names = {"XA-AN-PHU": "xã An Phú"}
    sectors = {LAND: "Đất đai"}
    assert (
        describe(scope, "vi", names, sectors)
        == "Địa bàn: xã An Phú; lĩnh vực: Đất đai; mức tối đa 5.000.000.000 đồng"
    )
    assert (
        describe(scope, "en", {"XA-AN-PHU": "An Phu commune"}, {LAND: "Land"})
        == "Territory: An Phu commune; sectors: Land; ceiling 5,000,000,000 VND"
    )


def test_describe_names_all_sectors_and_restricted_act_types() -> None:
    scope = Scope(frozenset({"XA-AN-PHU", "PHUONG-1"}), None, frozenset({ALLOCATE}), None)
    text = describe(scope, "vi", {"XA-AN-PHU": "xã An Phú", "PHUONG-1": "phường 1"})
    assert text == "Địa bàn: phường 1, xã An Phú; lĩnh vực: tất cả; loại việc: giao-dat"
