"""RFC 9162 Merkle tree over stored perfect subtrees: planning, assembly, appends and proofs."""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

NODE_PREFIX = b"\x01"
HASH_SIZE = 32

#: A stored perfect subtree (level, i): it covers leaves [i * 2**level, (i + 1) * 2**level).
NodeKey = tuple[int, int]
#: A half-open range of leaves [start, end).
LeafRange = tuple[int, int]


class Node(NamedTuple):
    """A perfect subtree hash to store, as produced by `append_nodes`."""

    level: int
    #: Named like the table column; `index` would shadow `tuple.index`.
    idx: int
    hash: bytes


class MissingNodeError(LookupError):
    """The node mapping given to an assembler lacks a node the plan needs."""


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the interior node hash SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def empty_root() -> bytes:
    """Return the root of the empty tree, SHA-256 of the empty string."""
    return hashlib.sha256(b"").digest()


def _split(size: int) -> int:
    """Return the largest power of two strictly below size (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def root_from_leaves(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return MTH(D[n]) by the recursive definition of RFC 9162 §2.1.1 (the reference)."""
    if not leaf_hashes:
        return empty_root()
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    k = _split(len(leaf_hashes))
    return node_hash(root_from_leaves(leaf_hashes[:k]), root_from_leaves(leaf_hashes[k:]))


def _check_size(size: int) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(f"tree size must be a non-negative integer, not {size!r}")


def perfect_cover(start: int, end: int) -> list[NodeKey]:
    """Return the maximal aligned perfect subtrees covering [start, end), left to right.

    For the ranges that RFC 9162 recursion produces (a start aligned to the range's next power of
    two) the sizes strictly decrease, and folding the hashes from the right gives MTH of the range.
    """
    if start < 0 or end < start:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    keys: list[NodeKey] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def _fetch(nodes: Mapping[NodeKey, bytes], key: NodeKey) -> bytes:
    try:
        return nodes[key]
    except KeyError:
        raise MissingNodeError(f"stored node (level={key[0]}, index={key[1]}) is missing") from None


def range_hash(start: int, end: int, nodes: Mapping[NodeKey, bytes]) -> bytes:
    """Return MTH(D[start:end]) for an RFC subtree range by folding its perfect cover."""
    cover = perfect_cover(start, end)
    if not cover:
        return empty_root()
    result = _fetch(nodes, cover[-1])
    for key in reversed(cover[:-1]):
        result = node_hash(_fetch(nodes, key), result)
    return result


def keys_for_ranges(ranges: Iterable[LeafRange]) -> list[NodeKey]:
    """Return the distinct stored nodes needed to hash all ranges, in first-use order."""
    return list(dict.fromkeys(key for start, end in ranges for key in perfect_cover(start, end)))


# Root


def root_keys(size: int) -> list[NodeKey]:
    """Return the stored nodes needed for the root of the tree of the given size."""
    _check_size(size)
    return perfect_cover(0, size)


def assemble_root(size: int, nodes: Mapping[NodeKey, bytes]) -> bytes:
    """Return MTH of the first size leaves from the nodes listed by `root_keys(size)`."""
    _check_size(size)
    return range_hash(0, size, nodes)


# Inclusion proofs (RFC 9162 §2.1.3.1, PATH)


def inclusion_proof_ranges(index: int, size: int) -> list[LeafRange]:
    """Return the leaf range whose MTH is each element of PATH(index, D[size]), in proof order."""
    _check_size(size)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        raise ValueError(f"leaf index {index!r} is outside a tree of size {size}")
    ranges: list[LeafRange] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    # PATH lists the sibling nearest the leaf first; the descent found the top one first.
    ranges.reverse()
    return ranges


def inclusion_proof_keys(index: int, size: int) -> list[NodeKey]:
    """Return the distinct stored nodes (O(log size)) needed for an inclusion proof."""
    return keys_for_ranges(inclusion_proof_ranges(index, size))


def assemble_inclusion_proof(index: int, size: int, nodes: Mapping[NodeKey, bytes]) -> list[bytes]:
    """Return PATH(index, D[size]) from the nodes listed by `inclusion_proof_keys`."""
    return [range_hash(s, e, nodes) for s, e in inclusion_proof_ranges(index, size)]


# Consistency proofs (RFC 9162 §2.1.4.1, SUBPROOF)


def consistency_proof_ranges(first: int, second: int) -> list[LeafRange]:
    """Return the leaf range of each element of PROOF(first, D[second]), in proof order.

    The proof is empty when first is 0 or equal to second.
    """
    _check_size(first)
    _check_size(second)
    if first > second:
        raise ValueError(f"first size {first} is larger than second size {second}")
    if first in (0, second):
        return []
    ranges: list[LeafRange] = []
    start, end, whole_old_tree = 0, second, True
    while first != end:
        k = _split(end - start)
        if first <= start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            whole_old_tree = False
    if not whole_old_tree:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def consistency_proof_keys(first: int, second: int) -> list[NodeKey]:
    """Return the distinct stored nodes (O(log second)) needed for a consistency proof."""
    return keys_for_ranges(consistency_proof_ranges(first, second))


def assemble_consistency_proof(
    first: int, second: int, nodes: Mapping[NodeKey, bytes]
) -> list[bytes]:
    """Return PROOF(first, D[second]) from the nodes listed by `consistency_proof_keys`."""
    return [range_hash(s, e, nodes) for s, e in consistency_proof_ranges(first, second)]


# Appending


def frontier_keys(size: int) -> list[NodeKey]:
    """Return the stored nodes an append after `size` leaves combines with (the root cover)."""
    return root_keys(size)


def append_nodes(
    size: int, frontier: Mapping[NodeKey, bytes], new_leaf_hashes: Sequence[bytes]
) -> list[Node]:
    """Return every perfect node created by appending the leaves after the first `size` ones.

    `frontier` must hold the nodes of `frontier_keys(size)`. Leaves come out as level 0 nodes;
    storing all returned nodes keeps the store complete for the new size.
    """
    stack = [_fetch(frontier, key) for key in frontier_keys(size)]
    created: list[Node] = []
    for offset, leaf in enumerate(new_leaf_hashes):
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"leaf hash {offset} has {len(leaf)} bytes, expected {HASH_SIZE}")
        level, index, current = 0, size + offset, leaf
        created.append(Node(level, index, current))
        # The stack mirrors the binary digits of the size: an odd index closes a pair.
        while index & 1:
            current = node_hash(stack.pop(), current)
            level, index = level + 1, index >> 1
            created.append(Node(level, index, current))
        stack.append(current)
    return created


# Verification (RFC 9162 §2.1.3.2 and §2.1.4.2)


def _valid_path(proof: Sequence[bytes]) -> bool:
    return all(isinstance(p, bytes) and len(p) == HASH_SIZE for p in proof)


def root_from_inclusion_proof(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes | None:
    """Return the root an inclusion proof implies, or None if the proof is malformed."""
    if not 0 <= index < size or not _valid_path(proof):
        return None
    fn, sn, result = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            result = node_hash(p, result)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, p)
        fn, sn = fn >> 1, sn >> 1
    return result if sn == 0 else None


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Return whether proof shows the leaf hash at index in the tree of size with root."""
    return root_from_inclusion_proof(leaf, index, size, proof) == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Return whether proof shows the tree of size first is a prefix of the tree of size second."""
    if first < 0 or second < first or not _valid_path(proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == empty_root()
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


class InMemoryTree:
    """A complete store of perfect nodes in a dict, for tests, tools and small logs."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self.nodes: dict[NodeKey, bytes] = {}
        self.size = 0
        self.extend(leaf_hashes)

    def append(self, leaf: bytes) -> int:
        """Append one leaf hash and return its index."""
        self.extend([leaf])
        return self.size - 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append a batch of leaf hashes."""
        batch = list(leaf_hashes)
        for node in append_nodes(self.size, self.nodes, batch):
            self.nodes[(node.level, node.idx)] = node.hash
        self.size += len(batch)

    def _size(self, size: int | None) -> int:
        chosen = self.size if size is None else size
        if not 0 <= chosen <= self.size:
            raise ValueError(f"tree size {chosen} is outside 0..{self.size}")
        return chosen

    def leaf(self, index: int) -> bytes:
        """Return the leaf hash at index."""
        return _fetch(self.nodes, (0, index))

    def root(self, size: int | None = None) -> bytes:
        """Return the root at size (default: the current size)."""
        return assemble_root(self._size(size), self.nodes)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Return the audit path of leaf index in the tree of size (default: current)."""
        return assemble_inclusion_proof(index, self._size(size), self.nodes)

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """Return the consistency proof from size first to size second (default: current)."""
        return assemble_consistency_proof(first, self._size(second), self.nodes)
