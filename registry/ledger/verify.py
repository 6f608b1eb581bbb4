"""Verify the stored ledger from scratch: leaf hashes, contiguity, every Merkle node, checkpoints.

Used by `registry ledger verify`. It trusts nothing stored but the rows' content and the
instance's public key: every hash is recomputed, streaming the tables in batches by keyset;
only the recomputed hashes of the tree (32 bytes per node) are kept in memory.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from registry.ledger import merkle
from registry.ledger.canonical import leaf_hash
from registry.ledger.checkpoint import CheckpointError, verify_note
from registry.ledger.journal import LedgerSigner, default_signer
from registry.ledger.tables import Checkpoint, LedgerEntry, MerkleNode

BATCH = 10_000
MAX_PROBLEMS = 20
HASH = merkle.HASH_SIZE

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that does not verify, and the first entry index it puts in doubt."""

    index: int | None
    message_vi: str
    message_en: str


@dataclass(slots=True)
class VerificationResult:
    """What `verify_stored_ledger` found; `ok` only if nothing at all is wrong."""

    entries: int = 0
    nodes: int = 0
    checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_index(self) -> int | None:
        indexes = [p.index for p in self.problems if p.index is not None]
        return min(indexes) if indexes else None

    def add(self, index: int | None, vi: str, en: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(index, vi, en))

    def summary(self) -> str:
        counts_vi = (
            f"{self.entries} bút toán, {self.nodes} nút Merkle, {self.checkpoints} điểm kiểm"
        )
        counts_en = (
            f"{self.entries} entries, {self.nodes} Merkle nodes, {self.checkpoints} checkpoints"
        )
        if self.ok:
            return f"Sổ cái hợp lệ: {counts_vi}.\nLedger verified: {counts_en}."
        first = self.first_bad_index
        head_vi = "Sổ cái KHÔNG hợp lệ" + (
            f", bút toán sai đầu tiên: #{first}" if first is not None else ""
        )
        head_en = "Ledger FAILED verification" + (
            f", first bad entry: #{first}" if first is not None else ""
        )
        lines = [f"{head_vi} ({counts_vi}).", f"{head_en} ({counts_en})."]
        lines += [f"  - {p.message_vi} / {p.message_en}" for p in self.problems]
        return "\n".join(lines)


class _Levels(Mapping[tuple[int, int], bytes]):
    """Recomputed perfect nodes, one packed bytearray per level (32 bytes per node)."""

    def __init__(self, leaves: bytearray) -> None:
        self.levels = [leaves]
        while len(self.levels[-1]) >= 2 * HASH:
            below = self.levels[-1]
            above = bytearray()
            for offset in range(0, len(below) - HASH, 2 * HASH):
                above += merkle.node_hash(
                    bytes(below[offset : offset + HASH]),
                    bytes(below[offset + HASH : offset + 2 * HASH]),
                )
            self.levels.append(above)

    def __getitem__(self, key: tuple[int, int]) -> bytes:
        level, index = key
        if level >= len(self.levels) or not 0 <= index < len(self.levels[level]) // HASH:
            raise KeyError(key)
        return bytes(self.levels[level][index * HASH : (index + 1) * HASH])

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for level, hashes in enumerate(self.levels):
            for index in range(len(hashes) // HASH):
                yield level, index

    def __len__(self) -> int:
        return sum(len(hashes) // HASH for hashes in self.levels)


_decode = msgspec.json.Decoder()
_encode = msgspec.json.Encoder(order="sorted")
#: A number token with a fraction or exponent may be a float; only then walk the value.
_FLOAT = re.compile(rb"[:,\[]-?[0-9]+[.eE]")


def _entry_bytes(row: Mapping[str, Any]) -> bytes:
    """Canonical entry bytes, after checking the stored payload is itself canonical JSON.

    Re-encoding with sorted keys must give back the stored text byte for byte, and every text
    must be NFC; splicing that text is then equal to `canonical.entry_bytes` (a test holds them
    equal) and much faster than re-normalising every value in Python.
    """
    payload: str = row["payload"]
    raw = payload.encode()
    parsed = _decode.decode(raw)
    if not isinstance(parsed, dict) or _encode.encode(parsed) != raw:
        raise ValueError("payload is not canonical JSON")
    if _FLOAT.search(raw) and _has_float(parsed):
        raise ValueError("payload holds a float")
    texts = (row["event_type"], row["recorded_at"], payload)
    if not all(unicodedata.is_normalized("NFC", text) for text in texts):
        raise ValueError("text is not in Unicode NFC")
    head = _encode.encode({"event_type": row["event_type"], "index": int(row["idx"])})
    tail = _encode.encode({"recorded_at": row["recorded_at"]})
    return head[:-1] + b',"payload":' + raw + b"," + tail[1:]


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_float(item) for item in value)
    return False


async def _recompute_leaves(result: VerificationResult, progress: Progress | None) -> bytearray:
    leaves = bytearray()
    expected = 0
    while True:
        rows = await LedgerEntry.raw(
            "SELECT idx, recorded_at, event_type, payload, leaf_hash FROM ledger_entry "
            f"WHERE idx >= {{}} ORDER BY idx LIMIT {BATCH}",
            expected,
        )
        for row in rows:
            index = int(row["idx"])
            if index != expected:
                result.add(
                    expected,
                    f"thiếu các bút toán #{expected}..#{index - 1}",
                    f"entries #{expected}..#{index - 1} are missing",
                )
                expected = index
            try:
                leaf = leaf_hash(_entry_bytes(row))
            except ValueError as error:
                result.add(index, f"bút toán #{index}: {error}", f"entry #{index}: {error}")
                leaf = bytes.fromhex(row["leaf_hash"])
            if leaf.hex() != row["leaf_hash"]:
                result.add(
                    index,
                    f"bút toán #{index}: mã băm lá không khớp nội dung",
                    f"entry #{index}: leaf hash does not match its content",
                )
            leaves += leaf
            expected += 1
        result.entries = expected
        if progress:
            progress("entries", expected, None)
        if len(rows) < BATCH:
            return leaves


async def _check_nodes(
    tree: _Levels, result: VerificationResult, progress: Progress | None
) -> None:
    seen = [0] * len(tree.levels)
    after = (-1, -1)
    while True:
        rows = await MerkleNode.raw(
            "SELECT level, idx, hash FROM merkle_node "
            "WHERE level > {} OR (level = {} AND idx > {}) "
            f"ORDER BY level, idx LIMIT {BATCH}",
            after[0],
            after[0],
            after[1],
        )
        for row in rows:
            level, index = int(row["level"]), int(row["idx"])
            # A level-0 node is a leaf and names its entry; a bad interior node names none,
            # since a bad leaf below it is reported (by index) on its own.
            leaf_index = index if level == 0 else None
            try:
                expected = tree[(level, index)]
            except KeyError:
                result.add(
                    leaf_index,
                    f"nút ({level}, {index}) thừa: không có trong cây tính lại",
                    f"node ({level}, {index}) should not exist for this ledger",
                )
                continue
            seen[level] += 1
            if expected.hex() != row["hash"]:
                result.add(
                    leaf_index,
                    f"nút ({level}, {index}) không khớp các lá",
                    f"node ({level}, {index}) does not match the leaves",
                )
        result.nodes += len(rows)
        if progress:
            progress("nodes", result.nodes, None)
        if len(rows) < BATCH:
            break
        after = (int(rows[-1]["level"]), int(rows[-1]["idx"]))
    for level, count in enumerate(seen):
        wanted = len(tree.levels[level]) // HASH
        if count < wanted:
            result.add(
                None,
                f"thiếu {wanted - count} nút ở tầng {level}",
                f"{wanted - count} nodes missing at level {level}",
            )


async def _check_checkpoints(
    tree: _Levels, size: int, signer: LedgerSigner, result: VerificationResult
) -> None:
    # Entries below good_size are covered by a checkpoint that verified; the first doubt
    # a failing checkpoint raises is at good_size.
    good_size, failed = 0, False
    after = -1
    while True:
        rows = await Checkpoint.raw(
            "SELECT tree_size, root_hash, note FROM checkpoint WHERE tree_size > {} "
            f"ORDER BY tree_size LIMIT {BATCH}",
            after,
        )
        for row in rows:
            stated = int(row["tree_size"])
            try:
                signed = verify_note(row["note"], signer.vkey, signer.origin)
            except CheckpointError as error:
                failed = True
                result.add(
                    good_size,
                    f"điểm kiểm cỡ {stated}: chữ ký không hợp lệ ({error})",
                    f"checkpoint of size {stated}: signature does not verify ({error})",
                )
                continue
            if signed.size != stated or signed.root_hash.hex() != row["root_hash"]:
                result.add(
                    None,
                    f"điểm kiểm cỡ {stated}: cột lưu khác ghi chú đã ký",
                    f"checkpoint of size {stated}: stored columns differ from the signed note",
                )
            if signed.size > size:
                failed = True
                result.add(
                    size,
                    f"điểm kiểm đã ký cỡ {signed.size} nhưng sổ chỉ còn {size} bút toán",
                    f"a checkpoint signed {signed.size} entries but only {size} remain",
                )
            elif merkle.assemble_root(signed.size, tree) != signed.root_hash:
                failed = True
                result.add(
                    good_size,
                    f"gốc tính lại ở cỡ {signed.size} khác điểm kiểm đã ký: sổ bị sửa "
                    f"trong #{good_size}..#{signed.size - 1}",
                    f"recomputed root at size {signed.size} differs from the signed checkpoint: "
                    f"rewritten within #{good_size}..#{signed.size - 1}",
                )
            elif not failed:
                good_size = signed.size
            result.checkpoints += 1
        if len(rows) < BATCH:
            return
        after = int(rows[-1]["tree_size"])


async def verify_stored_ledger(
    progress: Progress | None = None, signer: LedgerSigner | None = None
) -> VerificationResult:
    """Recompute and check everything stored; the result names the first bad entry index."""
    result = VerificationResult()
    leaves = await _recompute_leaves(result, progress)
    tree = _Levels(leaves)
    await _check_nodes(tree, result, progress)
    await _check_checkpoints(tree, len(leaves) // HASH, signer or default_signer(), result)
    return result
