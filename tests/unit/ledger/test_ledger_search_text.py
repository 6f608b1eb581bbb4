"""The search text of an entry: folded value by value, equal to folding the whole text."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from registry.domain.text import fold_for_search
from registry.ledger.journal import _fold, search_text

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["Nguyễn Văn Đức", "ĐÀ NẴNG", "08/GUQ-UBND", "CB-0001", "x\u0301y", "Straße", "ǅ"]
)
payloads = st.recursive(
    st.none() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def reference(payload: Any, extra: str) -> str:
    """Fold the joined text once, as the journal did before it folded per value."""
    words: list[str] = [extra] if extra else []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            words.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(payload)
    return " ".join(re.split(r"[\W_]+", fold_for_search(" ".join(words)))).strip()


@given(texts)
def test_folding_one_value_equals_the_search_folding(text: str) -> None:
    assert _fold(text) == fold_for_search(text)


@given(st.dictionaries(texts, payloads, max_size=4), texts)
def test_search_text_equals_folding_the_whole_text(payload: dict[str, Any], extra: str) -> None:
    assert search_text(payload, extra) == reference(payload, extra)
