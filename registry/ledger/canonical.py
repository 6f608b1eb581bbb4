"""Canonical JSON bytes of ledger entries and their RFC 9162 leaf hashes."""

import hashlib
import json
import unicodedata
from collections.abc import Mapping

LEAF_PREFIX = b"\x00"


def _normalise(value: object) -> object:
    # bool is an int subclass and float is rejected, so test the exact JSON kinds in order.
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical JSON; use an integer or a string")
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        normalised: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
            nfc_key = unicodedata.normalize("NFC", key)
            if nfc_key in normalised:
                raise ValueError(f"two keys are equal after NFC normalisation: {nfc_key!r}")
            normalised[nfc_key] = _normalise(item)
        return normalised
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not a canonical JSON value")


def canonical_json(value: object) -> bytes:
    """Encode a JSON value canonically: NFC strings, sorted keys, no spaces, UTF-8, no floats."""
    return json.dumps(
        _normalise(value),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    ).encode("utf-8")


def entry_bytes(index: int, recorded_at: str, event_type: str, payload: object) -> bytes:
    """Return the canonical bytes of one ledger entry, the input of its leaf hash."""
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"entry index must be a non-negative integer, not {index!r}")
    return canonical_json(
        {
            "event_type": event_type,
            "index": index,
            "payload": payload,
            "recorded_at": recorded_at,
        }
    )


def entry_bytes_around(index: int, recorded_at: str, event_type: str, payload_json: bytes) -> bytes:
    """`entry_bytes` around a payload already in canonical JSON, without encoding it again.

    The four keys sort as event_type, index, payload, recorded_at; the two texts are NFC'd and
    encoded like `canonical_json` would, so the bytes are the same (a test holds them equal).
    """
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"entry index must be a non-negative integer, not {index!r}")
    return b"".join(
        (
            b'{"event_type":',
            canonical_json(event_type),
            b',"index":',
            str(index).encode("ascii"),
            b',"payload":',
            payload_json,
            b',"recorded_at":',
            canonical_json(recorded_at),
            b"}",
        )
    )


def leaf_hash(entry: bytes) -> bytes:
    """Return the RFC 9162 leaf hash SHA-256(0x00 || entry)."""
    return hashlib.sha256(LEAF_PREFIX + entry).digest()
