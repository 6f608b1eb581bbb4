"""Canonical JSON bytes of ledger entries and their RFC 9162 leaf hashes."""

import functools
import hashlib
import json
import unicodedata
from collections.abc import Mapping

LEAF_PREFIX = b"\x00"


#: One encoder for every call: `json.dumps` with options builds a new one each time.
_ENCODER = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
)


def _nfc(text: str) -> str:
    # ASCII text is already NFC: skip the normaliser for most keys, codes and dates.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _normalise(value: object) -> object:
    # Concrete classes first: `isinstance` against the Mapping ABC is the slow test, and the
    # payloads are dicts, lists, strings and integers. bool is an int; a float is refused.
    if isinstance(value, str):
        return _nfc(value)
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, dict):
        return _normalise_mapping(value)
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical JSON; use an integer or a string")
    if isinstance(value, Mapping):
        return _normalise_mapping(value)
    raise TypeError(f"{type(value).__name__} is not a canonical JSON value")


def _normalise_mapping(value: Mapping[object, object]) -> dict[str, object]:
    normalised: dict[str, object] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"object keys must be strings, not {type(key).__name__}")
        nfc_key = key if key.isascii() else unicodedata.normalize("NFC", key)
        if nfc_key in normalised:
            raise ValueError(f"two keys are equal after NFC normalisation: {nfc_key!r}")
        # Most values are flat: strings and integers are done here, without a call each.
        if isinstance(item, str):
            normalised[nfc_key] = item if item.isascii() else unicodedata.normalize("NFC", item)
        elif item is None or isinstance(item, int):
            normalised[nfc_key] = item
        else:
            normalised[nfc_key] = _normalise(item)
    return normalised


def canonical_json(value: object) -> bytes:
    """Encode a JSON value canonically: NFC strings, sorted keys, no spaces, UTF-8, no floats."""
    return _ENCODER.encode(_normalise(value)).encode("utf-8")


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
            _string_json(event_type),
            b',"index":',
            str(index).encode("ascii"),
            b',"payload":',
            payload_json,
            b',"recorded_at":',
            _string_json(recorded_at),
            b"}",
        )
    )


@functools.lru_cache(maxsize=4096)
def _string_json(text: str) -> bytes:
    """`canonical_json` of an event type or a time: few distinct ones per batch."""
    return canonical_json(text)


def leaf_hash(entry: bytes) -> bytes:
    """Return the RFC 9162 leaf hash SHA-256(0x00 || entry)."""
    return hashlib.sha256(LEAF_PREFIX + entry).digest()
