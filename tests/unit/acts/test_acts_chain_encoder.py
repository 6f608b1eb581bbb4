"""The acts writer encodes a payload's chain link by link, each link once per import: the
bytes and the search text are those of the ledger's own functions, whatever the payload."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from registry.acts.ledger_rows import ChainEncoder
from registry.ledger.canonical import canonical_json
from registry.ledger.journal import search_text

LAWFUL: dict[str, Any] = {"kind": "lawful", "power": "P-01", "basis": "Luật 47/2019/QH14"}
GRANT: dict[str, Any] = {
    "kind": "grant",
    "grantor": "position:GD-SO",
    "grantee": "official:CB-0001",
    # Decomposed letters: the canonical form is NFC.
    "instrument": unicodedata.normalize("NFD", "Quyết định 08/QĐ-UBND"),
    "scope": ["xây dựng", "đất đai"],
    "ceiling": 500_000_000,
    "ledger_index": None,
    "valid_to": None,
}


def payload(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "act": 17,
        "number": "12/QĐ-UBND",
        "power": "P-01",
        "signer": "CB-0001",
        "signed_at": "2025-03-01T08:00:00Z",
        "verdict": "within_authority",
        "reasons": [{"code": "WITHIN_AUTHORITY", "message_vi": "Đúng thẩm quyền"}],
        "chain": [LAWFUL, GRANT],
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    ("case", "value", "extra"),
    [
        ("chain last", payload(), "12/QĐ-UBND"),
        ("empty chain", payload(chain=[]), ""),
        ("one link", payload(chain=[LAWFUL]), "x"),
        ("a link twice", payload(chain=[GRANT, GRANT]), ""),
        ("only a chain", {"chain": [GRANT]}, ""),
        ("chain not last", {"chain": [GRANT], "number": "1"}, ""),
        ("keys after chain only", {"chain": [LAWFUL], "verdict": "no_authority"}, ""),
        ("no chain", {"act": 1, "number": "Số 1"}, "Số"),
        ("a chain that is not links", payload(chain=["text", 3]), ""),
        ("a key that is not ASCII", {"số": "1", "chain": [GRANT]}, ""),
    ],
)
def test_chain_encoder_gives_the_ledgers_bytes_and_search_text(
    case: str, value: dict[str, Any], extra: str
) -> None:
    encoder = ChainEncoder()
    expected = (canonical_json(value), search_text(value, extra))
    assert encoder.encode(value, extra) == expected, case
    assert encoder.encode(value, extra) == expected, case  # from the kept links


@pytest.mark.parametrize("chain", [[], [LAWFUL], [LAWFUL, GRANT], [GRANT, GRANT]])
def test_the_act_rows_chain_text_is_the_stored_json_of_the_chain(
    chain: list[dict[str, Any]],
) -> None:
    from registry.acts.recording import stored_json

    encoder = ChainEncoder()
    assert encoder.stored_chain(chain) == stored_json(chain)
    assert encoder.stored_chain(chain) == stored_json(chain)  # from the kept links
