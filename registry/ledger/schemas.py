"""JSON shapes of the public ledger API (the standalone verifier reads exactly these)."""

from __future__ import annotations

from typing import Any

import msgspec


class LedgerEntryAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """One entry: the hashed fields, the payload as a JSON object, and its leaf hash."""

    index: int
    recorded_at: str
    event_type: str
    payload: dict[str, Any]
    #: Base64 of SHA-256(0x00 || canonical entry bytes).
    leaf_hash: str


class LedgerEntriesAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """Entries [start, end) in index order, at most 1000."""

    entries: list[LedgerEntryAnswer]


class CheckpointAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """The latest signed tree head as a C2SP signed note, with its size and root."""

    checkpoint: str
    size: int
    root_hash: str


class CheckpointsAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """Signed checkpoints after a size, oldest first, for mirrors and witnesses."""

    checkpoints: list[CheckpointAnswer]


class InclusionProofAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """RFC 9162 PATH(index, D[tree_size]) with the leaf it proves."""

    index: int
    tree_size: int
    leaf_hash: str
    audit_path: list[str]


class ConsistencyProofAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """RFC 9162 PROOF(first, D[second])."""

    first: int
    second: int
    proof: list[str]


class LedgerSearchAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """A page of search results, newest first; `next_before` continues it (null: last page)."""

    entries: list[LedgerEntryAnswer]
    next_before: int | None


class ReasonAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """Why a request was refused: a stable code and messages in Vietnamese and English."""

    code: str
    field: str | None
    message_vi: str
    message_en: str
    params: dict[str, Any]


class ErrorAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """The body of every 4xx/5xx answer under /api."""

    status: int
    reasons: list[ReasonAnswer]
