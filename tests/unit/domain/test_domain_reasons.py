"""Specification of reasons: every code has both messages, naming the field and the values."""

import unicodedata
from pathlib import Path

import pytest

from registry.domain.reasons import CATALOGUE, FIELD_LABELS, Reason, ReasonCode


def test_every_code_has_a_vietnamese_and_an_english_message() -> None:
    assert set(CATALOGUE) == set(ReasonCode)
    for vi, en in CATALOGUE.values():
        assert vi
        assert en
        assert vi != en


@pytest.mark.parametrize("code", list(ReasonCode))
def test_codes_are_their_own_names(code: ReasonCode) -> None:
    assert str(code) == code.name


@pytest.mark.parametrize("code", list(ReasonCode))
def test_messages_are_nfc_and_fully_interpolated_when_params_are_given(code: ReasonCode) -> None:
    reason = Reason(code, "valid_to", {"anything": "x"})
    for lang in ("vi", "en"):
        text = reason.message(lang)
        assert unicodedata.is_normalized("NFC", text)
        assert "{" not in text


def test_message_names_the_field_in_each_language() -> None:
    reason = Reason.of(ReasonCode.FIELD_REQUIRED, "valid_to")
    assert reason.message("vi") == "Thông tin «Ngày hết hiệu lực» là bắt buộc."
    assert reason.message("en") == "Valid to is required."


def test_kinds_and_amounts_are_put_into_words() -> None:
    reason = Reason.of(
        ReasonCode.AMOUNT_ABOVE_SOURCE,
        "scope.amount_ceiling",
        ceiling=6_000_000_000,
        source_ceiling=5_000_000_000,
    )
    assert reason.message("vi") == (
        "Mức tiền tối đa 6.000.000.000 đồng vượt quá mức của nguồn (5.000.000.000 đồng)."
    )
    end = Reason.of(ReasonCode.END_REQUIRED, "valid_to", kind="authorization")
    assert end.message("vi") == ("Hình thức ủy quyền phải có thời hạn: cần nhập ngày hết hiệu lực.")
    assert end.message("en") == (
        "Authorization must be for a defined period: the end of validity is required."
    )


def test_as_json_carries_code_field_both_messages_and_params() -> None:
    reason = Reason.of(ReasonCode.GRANTEE_UNKNOWN, "grantee", grantee="position:SXD.GD")
    assert reason.as_json() == {
        "code": "GRANTEE_UNKNOWN",
        "field": "grantee",
        "message_vi": "Không tìm thấy bên nhận position:SXD.GD trong danh mục.",
        "message_en": "Grantee position:SXD.GD is not in the registry.",
        "params": {"grantee": "position:SXD.GD"},
    }


def test_field_labels_are_in_both_languages() -> None:
    for vi, en in FIELD_LABELS.values():
        assert vi
        assert en


def test_the_reason_codes_page_lists_every_code() -> None:
    page = (Path(__file__).parents[3] / "docs" / "reason-codes.md").read_text(encoding="utf-8")
    assert {code for code in ReasonCode if f"| `{code}` |" not in page} == set()
