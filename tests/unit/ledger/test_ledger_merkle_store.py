"""Planner, assembler and append functions over stored perfect nodes, against the naive RFC."""

from functools import cache

import ledger_reference as ref
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.ledger import merkle

MAX_SIZE = 3000
LEAVES = ref.leaves_for(MAX_SIZE, salt=b"store")


@cache
def store(size: int) -> dict[tuple[int, int], bytes]:
    return ref.all_perfect_nodes(LEAVES[:size])


def only(keys: list[tuple[int, int]], size: int) -> dict[tuple[int, int], bytes]:
    """The nodes a database would return for exactly these keys: nothing more."""
    nodes = store(size)
    return {key: nodes[key] for key in keys}


def log2_ceil(n: int) -> int:
    return max(1, (n - 1).bit_length())


sizes = st.integers(min_value=1, max_value=MAX_SIZE)


@settings(max_examples=150, deadline=None)
@given(size=st.integers(min_value=0, max_value=MAX_SIZE))
def test_root_from_planned_nodes_equals_the_rfc_root(size: int) -> None:
    keys = merkle.root_keys(size)
    assert len(keys) == bin(size).count("1")
    assert merkle.assemble_root(size, only(keys, size)) == ref.mth(LEAVES[:size])


@settings(max_examples=150, deadline=None)
@given(data=st.data(), size=sizes)
def test_inclusion_proof_from_planned_nodes_equals_the_rfc_path(
    data: st.DataObject, size: int
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    keys = merkle.inclusion_proof_keys(index, size)
    assert len(keys) <= 2 * log2_ceil(size)
    proof = merkle.assemble_inclusion_proof(index, size, only(keys, size))
    assert proof == ref.path(index, LEAVES[:size])


@settings(max_examples=150, deadline=None)
@given(data=st.data(), second=sizes)
def test_consistency_proof_from_planned_nodes_equals_the_rfc_subproof(
    data: st.DataObject, second: int
) -> None:
    first = data.draw(st.integers(min_value=1, max_value=second))
    keys = merkle.consistency_proof_keys(first, second)
    assert len(keys) <= 2 * log2_ceil(second) + 1
    proof = merkle.assemble_consistency_proof(first, second, only(keys, second))
    expected = ref.proof(first, LEAVES[:second]) if first < second else []
    assert proof == expected


@settings(max_examples=100, deadline=None)
@given(batches=st.lists(st.integers(min_value=0, max_value=300), max_size=12))
def test_appending_batches_keeps_the_store_equal_to_one_built_from_scratch(
    batches: list[int],
) -> None:
    nodes: dict[tuple[int, int], bytes] = {}
    size = 0
    for count in batches:
        frontier = {key: nodes[key] for key in merkle.frontier_keys(size)}
        created = merkle.append_nodes(size, frontier, LEAVES[size : size + count])
        assert not {(n.level, n.idx) for n in created} & nodes.keys(), "a node was rewritten"
        nodes.update({(n.level, n.idx): n.hash for n in created})
        size += count
    assert nodes == ref.all_perfect_nodes(LEAVES[:size])


@given(start=st.integers(min_value=0, max_value=5000), length=st.integers(0, 5000))
def test_perfect_cover_tiles_the_range_with_aligned_subtrees(start: int, length: int) -> None:
    covered = start
    for level, index in merkle.perfect_cover(start, start + length):
        assert index << level == covered
        covered += 1 << level
    assert covered == start + length


@settings(max_examples=50, deadline=None)
@given(data=st.data(), size=st.integers(min_value=2, max_value=500))
def test_a_changed_leaf_fails_inclusion_and_changes_the_root(
    data: st.DataObject, size: int
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    honest = merkle.InMemoryTree(LEAVES[:size])
    tampered_leaves = list(LEAVES[:size])
    tampered_leaves[index] = ref.leaf(b"forged")
    tampered = merkle.InMemoryTree(tampered_leaves)
    assert tampered.root() != honest.root()
    proof = honest.inclusion_proof(index)
    assert not merkle.verify_inclusion(tampered_leaves[index], index, size, proof, honest.root())
    first = data.draw(st.integers(min_value=index + 1, max_value=size))
    forged_history = tampered.consistency_proof(first, size)
    assert not merkle.verify_consistency(
        first, size, honest.root(first), tampered.root(), forged_history
    )


def test_an_incomplete_store_names_the_missing_node() -> None:
    nodes = store(7)
    partial = {key: value for key, value in nodes.items() if key != (2, 0)}
    with pytest.raises(merkle.MissingNodeError, match=r"level=2, index=0"):
        merkle.assemble_root(7, partial)
    with pytest.raises(merkle.MissingNodeError):
        merkle.append_nodes(7, partial, [LEAVES[7]])


def test_append_refuses_a_leaf_hash_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="bytes"):
        merkle.append_nodes(0, {}, [b"short"])


def test_in_memory_tree_serves_historical_roots_and_proofs() -> None:
    tree = merkle.InMemoryTree()
    for leaf_hash in LEAVES[:100]:
        tree.append(leaf_hash)
    assert tree.size == 100
    assert tree.leaf(42) == LEAVES[42]
    assert tree.root(37) == ref.mth(LEAVES[:37])
    assert tree.inclusion_proof(3, 37) == ref.path(3, LEAVES[:37])
    assert tree.consistency_proof(37) == ref.proof(37, LEAVES[:100])
    with pytest.raises(ValueError, match="outside"):
        tree.root(101)
