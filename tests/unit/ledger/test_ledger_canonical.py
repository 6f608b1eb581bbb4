"""Canonical JSON of ledger entries and their leaf hashes."""

import hashlib
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.ledger.canonical import canonical_json, entry_bytes, entry_bytes_around, leaf_hash

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def test_keys_are_sorted_and_there_are_no_spaces() -> None:
    assert canonical_json({"b": 1, "a": [True, None, "x"]}) == b'{"a":[true,null,"x"],"b":1}'


def test_non_ascii_text_is_written_as_utf8_not_escaped() -> None:
    assert canonical_json({"đơn_vị": "Ủy ban"}) == '{"đơn_vị":"Ủy ban"}'.encode()


def test_decomposed_vietnamese_is_normalised_to_nfc_in_keys_and_values() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn"
    assert canonical_json({decomposed: [decomposed]}) == canonical_json({"Nguyễn": ["Nguyễn"]})


@pytest.mark.parametrize("value", [1.5, 0.0, float("nan"), {"amount": 1e6}, [2.0]])
def test_floats_are_refused(value: object) -> None:
    with pytest.raises(TypeError, match="float"):
        canonical_json(value)


@pytest.mark.parametrize("value", [{1: "x"}, {"a": b"bytes"}, {"a": {1, 2}}])
def test_values_outside_json_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        canonical_json(value)


def test_keys_equal_after_normalisation_are_refused() -> None:
    with pytest.raises(ValueError, match="NFC"):
        canonical_json({"é": 1, unicodedata.normalize("NFD", "é"): 2})


def reference_canonical_json(value: object) -> bytes:
    """The definition in docs/ledger.md, word for word."""

    def nfc(item: object) -> object:
        if isinstance(item, str):
            return unicodedata.normalize("NFC", item)
        if isinstance(item, dict):
            return {nfc(key): nfc(child) for key, child in item.items()}
        if isinstance(item, list):
            return [nfc(child) for child in item]
        return item

    return json.dumps(
        nfc(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


decomposable = st.sampled_from(["Nguyễn", unicodedata.normalize("NFD", "Đà Nẵng"), "\u212a", "ǅ"])


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text() | decomposable,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8) | decomposable, children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_canonical_json_equals_the_reference_definition(value: object) -> None:
    try:
        encoded = canonical_json(value)
    except ValueError:  # two keys equal after NFC: the reference would silently keep one
        return
    assert encoded == reference_canonical_json(value)


@given(json_values)
def test_canonical_json_parses_back_to_the_nfc_value(value: object) -> None:
    encoded = canonical_json(value)
    assert canonical_json(json.loads(encoded)) == encoded


def test_entry_bytes_hold_exactly_the_four_fields_in_key_order() -> None:
    encoded = entry_bytes(7, "2025-07-01T00:00:00Z", "grant.created", {"grant": 12})
    assert encoded == (
        b'{"event_type":"grant.created","index":7,"payload":{"grant":12},'
        b'"recorded_at":"2025-07-01T00:00:00Z"}'
    )
    assert leaf_hash(encoded) == hashlib.sha256(b"\x00" + encoded).digest()


@pytest.mark.parametrize("index", [-1, True, "3"])
def test_entry_index_must_be_a_non_negative_integer(index: object) -> None:
    with pytest.raises(ValueError, match="index"):
        entry_bytes(index, "2025-07-01T00:00:00Z", "grant.created", {})  # type: ignore[arg-type]


@given(
    st.integers(min_value=0, max_value=2**62),
    st.text(max_size=20),
    st.text(max_size=20),
    st.dictionaries(st.text(max_size=8), json_values, max_size=4),
)
def test_entry_bytes_around_a_canonical_payload_equal_the_definition(
    index: int, recorded_at: str, event_type: str, payload: dict[str, object]
) -> None:
    try:
        expected = entry_bytes(index, recorded_at, event_type, payload)
    except ValueError:  # two keys equal after NFC
        return
    assert entry_bytes_around(index, recorded_at, event_type, canonical_json(payload)) == expected
