"""RFC 9162 / RFC 6962 known answers and an exhaustive check against the naive recursion."""

import hashlib

import ledger_reference as ref
import pytest

from registry.ledger import merkle
from registry.ledger.merkle import InMemoryTree

RFC_LEAVES = [ref.leaf(data) for data in ref.RFC6962_LEAF_DATA]
RFC_TREE = InMemoryTree(RFC_LEAVES)


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert merkle.empty_root().hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert InMemoryTree().root() == merkle.empty_root()
    assert merkle.root_from_leaves([]) == merkle.empty_root()


def test_leaf_and_node_hashes_use_domain_separation_prefixes() -> None:
    assert (
        merkle.node_hash(b"a" * 32, b"b" * 32)
        == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )
    assert RFC_LEAVES[0].hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )


@pytest.mark.parametrize(("size", "expected"), list(enumerate(ref.RFC6962_ROOTS, start=1)))
def test_roots_of_the_rfc6962_test_leaves(size: int, expected: str) -> None:
    assert RFC_TREE.root(size).hex() == expected
    assert merkle.root_from_leaves(RFC_LEAVES[:size]).hex() == expected


@pytest.mark.parametrize(("index", "size", "expected"), ref.RFC6962_INCLUSION_PROOFS)
def test_inclusion_proofs_of_the_rfc6962_test_leaves(
    index: int, size: int, expected: list[str]
) -> None:
    proof = RFC_TREE.inclusion_proof(index, size)
    assert [p.hex() for p in proof] == expected
    assert merkle.verify_inclusion(RFC_LEAVES[index], index, size, proof, RFC_TREE.root(size))


@pytest.mark.parametrize(("first", "second", "expected"), ref.RFC6962_CONSISTENCY_PROOFS)
def test_consistency_proofs_of_the_rfc6962_test_leaves(
    first: int, second: int, expected: list[str]
) -> None:
    proof = RFC_TREE.consistency_proof(first, second)
    assert [p.hex() for p in proof] == expected
    assert merkle.verify_consistency(
        first, second, RFC_TREE.root(first), RFC_TREE.root(second), proof
    )


def _flip(value: bytes) -> bytes:
    return bytes([value[0] ^ 1]) + value[1:]


def test_every_inclusion_proof_up_to_64_leaves_matches_the_rfc_path() -> None:
    leaves = ref.leaves_for(64)
    tree = InMemoryTree(leaves)
    for size in range(1, 65):
        root = ref.mth(leaves[:size])
        assert tree.root(size) == root
        for index in range(size):
            expected = ref.path(index, leaves[:size])
            proof = tree.inclusion_proof(index, size)
            assert proof == expected, (index, size)
            assert merkle.verify_inclusion(leaves[index], index, size, proof, root)
            assert not merkle.verify_inclusion(_flip(leaves[index]), index, size, proof, root)
            assert not merkle.verify_inclusion(leaves[index], index, size, proof, _flip(root))
            for position in range(len(proof)):
                forged = [*proof[:position], _flip(proof[position]), *proof[position + 1 :]]
                assert not merkle.verify_inclusion(leaves[index], index, size, forged, root)
            if size > 1:
                other = (index + 1) % size
                assert not merkle.verify_inclusion(leaves[index], other, size, proof, root)


def test_every_consistency_proof_up_to_64_leaves_matches_the_rfc_subproof() -> None:
    leaves = ref.leaves_for(64)
    tree = InMemoryTree(leaves)
    for second in range(1, 65):
        second_root = ref.mth(leaves[:second])
        for first in range(1, second + 1):
            first_root = ref.mth(leaves[:first])
            expected = ref.proof(first, leaves[:second]) if first < second else []
            proof = tree.consistency_proof(first, second)
            assert proof == expected, (first, second)
            assert merkle.verify_consistency(first, second, first_root, second_root, proof)
            assert not merkle.verify_consistency(
                first, second, _flip(first_root), second_root, proof
            )
            assert not merkle.verify_consistency(
                first, second, first_root, _flip(second_root), proof
            )
            for position in range(len(proof)):
                forged = [*proof[:position], _flip(proof[position]), *proof[position + 1 :]]
                assert not merkle.verify_consistency(first, second, first_root, second_root, forged)


def test_consistency_with_the_empty_tree_needs_an_empty_proof() -> None:
    tree = InMemoryTree(ref.leaves_for(5))
    assert tree.consistency_proof(0, 5) == []
    assert merkle.verify_consistency(0, 5, merkle.empty_root(), tree.root(), [])
    assert not merkle.verify_consistency(0, 5, merkle.empty_root(), tree.root(), [tree.root()])
    assert not merkle.verify_consistency(5, 3, tree.root(), tree.root(3), [])


def test_a_proof_for_a_leaf_outside_the_tree_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        merkle.inclusion_proof_keys(5, 5)
    with pytest.raises(ValueError, match="larger"):
        merkle.consistency_proof_keys(6, 5)
    assert not merkle.verify_inclusion(RFC_LEAVES[0], 8, 8, [], RFC_TREE.root())
