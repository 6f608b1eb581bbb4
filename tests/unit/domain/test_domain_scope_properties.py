"""Properties of the scope algebra, checked against brute force over small unit trees."""

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.domain.facts import ActFacts
from registry.domain.scope import Scope, contains, covers, intersection, overlaps
from registry.domain.units import UnitTree

UNITS = [f"u{i}" for i in range(6)]
UNKNOWN = "zz"  # a code no tree knows
SECTORS = ["s1", "s2", "s3"]
ACT_TYPES = ["a1", "a2"]
CEILINGS = [0, 100, 1000]
# The universe holds values no scope names, so that None ("all") differs from any named set.
UNIVERSE_UNITS = [*UNITS, UNKNOWN, "yy"]
UNIVERSE_SECTORS = [*SECTORS, "s-other"]
UNIVERSE_ACT_TYPES = [*ACT_TYPES, "a-other"]
UNIVERSE_AMOUNTS = [None, 0, 1, 100, 101, 1000, 1001, 10**15]


@st.composite
def trees(draw: st.DrawFn) -> UnitTree:
    parents: dict[str, str | None] = {}
    for i, unit in enumerate(UNITS):
        parents[unit] = draw(st.one_of(st.none(), st.sampled_from(UNITS[:i]))) if i else None
    return UnitTree(parents)


def optional_subset(values: list[str]) -> st.SearchStrategy[frozenset[str] | None]:
    return st.one_of(st.none(), st.frozensets(st.sampled_from(values), min_size=1))


scopes = st.builds(
    Scope,
    territory=st.frozensets(st.sampled_from([*UNITS, UNKNOWN]), min_size=1, max_size=3),
    sectors=optional_subset(SECTORS),
    act_types=optional_subset(ACT_TYPES),
    amount_ceiling=st.one_of(st.none(), st.sampled_from(CEILINGS)),
)


def covered(scope: Scope, tree: UnitTree) -> frozenset[ActFacts]:
    return frozenset(
        facts
        for facts in (
            ActFacts(*values)
            for values in product(
                UNIVERSE_UNITS, UNIVERSE_SECTORS, UNIVERSE_ACT_TYPES, UNIVERSE_AMOUNTS
            )
        )
        if covers(scope, facts, tree)
    )


@given(trees(), scopes)
def test_containment_is_reflexive(tree: UnitTree, a: Scope) -> None:
    assert contains(a, a, tree)


@given(trees(), scopes, scopes, scopes)
def test_containment_is_transitive(tree: UnitTree, a: Scope, b: Scope, c: Scope) -> None:
    if contains(a, b, tree) and contains(b, c, tree):
        assert contains(a, c, tree)


@given(trees(), scopes, scopes)
def test_intersection_is_contained_in_both(tree: UnitTree, a: Scope, b: Scope) -> None:
    shared = intersection(a, b, tree)
    if shared is not None:
        assert contains(a, shared, tree)
        assert contains(b, shared, tree)


@given(trees(), scopes, scopes)
def test_overlap_is_symmetric_and_means_a_non_empty_intersection(
    tree: UnitTree, a: Scope, b: Scope
) -> None:
    assert overlaps(a, b, tree) == overlaps(b, a, tree)
    assert overlaps(a, b, tree) == (intersection(a, b, tree) is not None)


@settings(max_examples=150)
@given(trees(), scopes, scopes)
def test_algebra_agrees_with_brute_force_over_all_facts(tree: UnitTree, a: Scope, b: Scope) -> None:
    facts_a, facts_b = covered(a, tree), covered(b, tree)
    assert contains(a, b, tree) == (facts_b <= facts_a)
    assert overlaps(a, b, tree) == bool(facts_a & facts_b)
    shared = intersection(a, b, tree)
    assert (covered(shared, tree) if shared is not None else frozenset()) == facts_a & facts_b
