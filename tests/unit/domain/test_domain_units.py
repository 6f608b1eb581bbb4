"""Specification of the unit tree."""

from domain_builders import PROVINCE, TREE

from registry.domain.units import UnitTree


def test_a_unit_is_within_itself_and_its_ancestors() -> None:
    assert TREE.ancestors_or_self("SXD.QLN") == ("SXD.QLN", "SXD", PROVINCE)
    assert TREE.is_within("SXD.QLN", PROVINCE)
    assert TREE.is_within("SXD", "SXD")
    assert not TREE.is_within("SXD", "SXD.QLN")
    assert not TREE.is_within("STC", "SXD")


def test_descendants_include_the_whole_subtree() -> None:
    assert TREE.descendants_or_self("SXD") == {"SXD", "SXD.QLN"}
    assert TREE.descendants_or_self(PROVINCE) == TREE.units


def test_an_unknown_unit_is_within_nothing_but_itself() -> None:
    assert TREE.ancestors_or_self("XA-KHONG-CO") == ("XA-KHONG-CO",)
    assert TREE.is_within("XA-KHONG-CO", "XA-KHONG-CO")
    assert not TREE.is_within("XA-KHONG-CO", PROVINCE)
    assert TREE.descendants_or_self("XA-KHONG-CO") == {"XA-KHONG-CO"}


def test_a_parent_named_only_as_a_parent_is_a_root() -> None:
    tree = UnitTree({"SXD": "UBND-T"})
    assert "UBND-T" in tree
    assert tree.descendants_or_self("UBND-T") == {"UBND-T", "SXD"}


def test_a_cycle_in_bad_data_does_not_hang() -> None:
    tree = UnitTree({"A": "B", "B": "A"})
    assert set(tree.ancestors_or_self("A")) == {"A", "B"}
