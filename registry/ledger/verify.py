"""Verify the stored ledger from scratch: leaf hashes, contiguity, every Merkle node, checkpoints.

Used by `registry ledger verify`. It trusts nothing stored but the rows' content and the
instance's public key: every hash is recomputed, streaming the tables in batches by keyset;
only the recomputed hashes of the tree (32 bytes per node) are kept in memory.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from registry.ledger import merkle
from registry.ledger.canonical import LEAF_PREFIX
from registry.ledger.checkpoint import CheckpointError, verify_note
from registry.ledger.journal import LedgerSigner, default_signer
from registry.ledger.rows import RowReader, read_snapshot

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
            self.levels.append(_parents(self.levels[-1]))

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


def _parents(below: bytearray) -> bytearray:
    """The level above: SHA-256(0x01 || left || right) of each full pair, packed."""
    sha256, prefix, pair = hashlib.sha256, merkle.NODE_PREFIX, 2 * HASH
    view = memoryview(below)
    return bytearray(
        b"".join(
            sha256(prefix + view[offset : offset + pair]).digest()
            for offset in range(0, len(below) - HASH, pair)
        )
    )


_decode = msgspec.json.Decoder()
_encode = msgspec.json.Encoder(order="sorted")
#: A number token with a fraction or exponent may be a float; only then walk the value.
_FLOAT = re.compile(rb"[:,\[]-?[0-9]+[.eE]")


def _entry_bytes(row: Mapping[str, Any]) -> bytes:
    """Canonical entry bytes of a stored row (see `_canonical_entry_bytes`)."""
    return _canonical_entry_bytes(
        int(row["idx"]), row["recorded_at"], row["event_type"], row["payload"]
    )


def _canonical_entry_bytes(index: int, recorded_at: str, event_type: str, payload: str) -> bytes:
    """Canonical entry bytes, after checking the stored payload is itself canonical JSON.

    Re-encoding with sorted keys must give back the stored text byte for byte, and every text
    must be NFC; splicing that text is then equal to `canonical.entry_bytes` (a test holds them
    equal) and much faster than re-normalising every value in Python.
    """
    raw = payload.encode()
    parsed = _decode.decode(raw)
    if not isinstance(parsed, dict) or _encode.encode(parsed) != raw:
        raise ValueError("payload is not canonical JSON")
    if _FLOAT.search(raw) and _has_float(parsed):
        raise ValueError("payload holds a float")
    if not (
        unicodedata.is_normalized("NFC", payload)
        and unicodedata.is_normalized("NFC", event_type)
        and unicodedata.is_normalized("NFC", recorded_at)
    ):
        raise ValueError("text is not in Unicode NFC")
    return b"".join(
        (
            b'{"event_type":',
            _encode.encode(event_type),
            b',"index":',
            str(index).encode(),
            b',"payload":',
            raw,
            b',"recorded_at":',
            _encode.encode(recorded_at),
            b"}",
        )
    )


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_float(item) for item in value)
    return False


async def _recompute_leaves(
    reader: RowReader, result: VerificationResult, progress: Progress | None
) -> bytearray:
    leaves = bytearray()
    expected = 0
    sha256 = hashlib.sha256
    async for rows in reader.batches(
        "SELECT idx, recorded_at, event_type, payload, leaf_hash FROM ledger_entry ORDER BY idx",
        size=BATCH,
    ):
        for index, recorded_at, event_type, payload, stored in rows:
            if index != expected:
                result.add(
                    expected,
                    f"thiếu các bút toán #{expected}..#{index - 1}",
                    f"entries #{expected}..#{index - 1} are missing",
                )
                expected = index
            try:
                entry = _canonical_entry_bytes(index, recorded_at, event_type, payload)
                leaf = sha256(LEAF_PREFIX + entry).digest()
            except ValueError as error:
                result.add(index, f"bút toán #{index}: {error}", f"entry #{index}: {error}")
                leaf = bytes.fromhex(stored)
            if leaf.hex() != stored:
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
    return leaves


async def _check_nodes(
    reader: RowReader, tree: _Levels, result: VerificationResult, progress: Progress | None
) -> None:
    levels = tree.levels
    seen = [0] * len(levels)
    async for rows in reader.batches(
        "SELECT level, idx, hash FROM merkle_node ORDER BY level, idx", size=BATCH
    ):
        for level, index, stored in rows:
            # A level-0 node is a leaf and names its entry; a bad interior node names none,
            # since a bad leaf below it is reported (by index) on its own.
            leaf_index = index if level == 0 else None
            start = index * HASH
            if level >= len(levels) or not 0 <= start < len(levels[level]):
                result.add(
                    leaf_index,
                    f"nút ({level}, {index}) thừa: không có trong cây tính lại",
                    f"node ({level}, {index}) should not exist for this ledger",
                )
                continue
            seen[level] += 1
            if levels[level][start : start + HASH] != bytes.fromhex(stored):
                result.add(
                    leaf_index,
                    f"nút ({level}, {index}) không khớp các lá",
                    f"node ({level}, {index}) does not match the leaves",
                )
        result.nodes += len(rows)
        if progress:
            progress("nodes", result.nodes, None)
    for level, count in enumerate(seen):
        wanted = len(levels[level]) // HASH
        if count < wanted:
            result.add(
                None,
                f"thiếu {wanted - count} nút ở tầng {level}",
                f"{wanted - count} nodes missing at level {level}",
            )


async def _check_checkpoints(
    reader: RowReader,
    tree: _Levels,
    size: int,
    signer: LedgerSigner,
    result: VerificationResult,
) -> None:
    # Entries below good_size are covered by a checkpoint that verified; the first doubt
    # a failing checkpoint raises is at good_size.
    good_size, failed = 0, False
    async for rows in reader.batches(
        "SELECT tree_size, root_hash, note FROM checkpoint ORDER BY tree_size", size=BATCH
    ):
        for stated, root_hash, note in rows:
            try:
                signed = verify_note(note, signer.vkey, signer.origin)
            except CheckpointError as error:
                failed = True
                result.add(
                    good_size,
                    f"điểm kiểm cỡ {stated}: chữ ký không hợp lệ ({error})",
                    f"checkpoint of size {stated}: signature does not verify ({error})",
                )
                continue
            if signed.size != stated or signed.root_hash.hex() != root_hash:
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


async def verify_stored_ledger(
    progress: Progress | None = None, signer: LedgerSigner | None = None
) -> VerificationResult:
    """Recompute and check everything stored; the result names the first bad entry index."""
    result = VerificationResult()
    signer = signer or default_signer()
    # One snapshot for all three tables: an append during the run cannot look like tampering.
    async with read_snapshot() as reader:
        leaves = await _recompute_leaves(reader, result, progress)
        tree = _Levels(leaves)
        await _check_nodes(reader, tree, result, progress)
        await _check_checkpoints(reader, tree, len(leaves) // HASH, signer, result)
    return result
