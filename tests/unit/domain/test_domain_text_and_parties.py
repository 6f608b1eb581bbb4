"""Specification of Vietnamese text handling and parties written `kind:code`."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.parties import Party, PartyKind
from registry.domain.text import fold_for_search, has_control_characters, nfc

NGUYEN_NFC = "Nguyễn"
NGUYEN_NFD = unicodedata.normalize("NFD", NGUYEN_NFC)


def test_decomposed_and_composed_vietnamese_are_different_strings() -> None:
    assert NGUYEN_NFD != NGUYEN_NFC
    assert nfc(NGUYEN_NFD) == NGUYEN_NFC


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn", "nguyen van"),
        ("Đà Nẵng", "da nang"),
        ("ĐẶNG THU HÀ", "dang thu ha"),
        (NGUYEN_NFD, "nguyen"),
        ("Sở Tài chính", "so tai chinh"),
    ],
)
def test_search_folding_drops_marks_and_maps_d_with_stroke(text: str, folded: str) -> None:
    assert fold_for_search(text) == folded


@pytest.mark.parametrize(
    ("text", "has_them"),
    [
        ("Quyết định 123/QĐ-UBND", False),
        ("dòng một\ndòng hai", True),
        ("tab\there", True),
        ("bidi\u202eoverride", True),
        ("zero\u200bwidth", True),
    ],
)
def test_control_characters_are_found(text: str, has_them: bool) -> None:
    assert has_control_characters(text) is has_them


def test_newlines_may_be_allowed_in_long_text() -> None:
    assert not has_control_characters("dòng một\r\ndòng hai", allow_newlines=True)


@pytest.mark.parametrize("text", ["position:UBND-T.CT", "unit:XA-AN-PHU", "official:CB-0001"])
def test_party_text_round_trips(text: str) -> None:
    assert str(Party.parse(text)) == text


def test_party_kind_is_parsed() -> None:
    assert Party.parse("position:UBND-T.CT") == Party(PartyKind.POSITION, "UBND-T.CT")


@pytest.mark.parametrize("text", ["UBND-T.CT", "person:CB-1", "official:", "unit:A B"])
def test_malformed_parties_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="party"):
        Party.parse(text)


def test_party_codes_are_kept_in_nfc() -> None:
    assert Party.parse(f"official:{NGUYEN_NFD}") == Party(PartyKind.OFFICIAL, NGUYEN_NFC)


@given(st.text(), st.booleans())
def test_control_characters_are_found_exactly_as_by_their_unicode_category(
    text: str, allow_newlines: bool
) -> None:
    expected = any(
        unicodedata.category(ch) in ("Cc", "Cf")
        for ch in text
        if not (allow_newlines and ch in "\t\n\r")
    )
    assert has_control_characters(text, allow_newlines=allow_newlines) is expected
