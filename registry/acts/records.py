"""An act as it comes in (a CSV row, a form, a JSON body), read and checked field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from registry.domain.reasons import ReasonCode
from registry.domain.validity import utc_string
from registry.importing.fields import FieldReader
from registry.organisation.tables import INSTRUMENT_TYPES, SIGNATURE_FORMS

#: Columns of acts.csv (docs/import-formats.md); expected_verdict is read and ignored.
COLUMNS = frozenset(
    {
        "number", "type", "issuing_unit_code", "power_code", "signer_official_code",
        "signer_position_code", "signature_form", "signed_at", "unit_code", "sector", "act_type",
        "amount", "expected_verdict", "file_sha256",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ActInput:
    """What an act states about itself; codes are public codes, not row ids."""

    number: str
    type: str
    issuing_unit: str
    power: str
    signer: str
    signer_position: str
    signature_form: str
    signed_at: datetime
    unit: str
    sector: str
    act_type: str
    amount: int | None = None
    file_sha256: str | None = None
    #: Issuing unit, number and signing time: the same act imported twice has one row.
    natural_key: str = field(init=False, compare=False, repr=False)
    #: `utc_string(signed_at)`, as the key, the ledger entries and the engine's request write it.
    signed_at_utc: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        signed = utc_string(self.signed_at)
        object.__setattr__(self, "signed_at_utc", signed)
        object.__setattr__(self, "natural_key", f"{self.issuing_unit}|{self.number}|{signed}")


def read_act(reader: FieldReader) -> ActInput | None:
    """Typed act from a row or form; None with the reasons left on the reader."""
    values: dict[str, Any] = {
        "number": reader.text("number", max_length=80),
        "type": reader.choice("type", INSTRUMENT_TYPES, required=False, default="decision"),
        "issuing_unit": reader.code("issuing_unit_code"),
        "power": reader.code("power_code"),
        "signer": reader.code("signer_official_code"),
        "signer_position": reader.code("signer_position_code"),
        "signature_form": reader.choice("signature_form", SIGNATURE_FORMS),
        "signed_at": reader.instant("signed_at"),
        "unit": reader.code("unit_code"),
        "sector": reader.text("sector", max_length=40),
        "act_type": reader.text("act_type", max_length=80),
        "amount": reader.integer("amount"),
        "file_sha256": reader.text("file_sha256", required=False, max_length=64) or None,
    }
    digest = values["file_sha256"]
    if digest and not (len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
        reader.refuse(ReasonCode.INVALID_FORMAT, "file_sha256", line=0)
    if not reader.ok or values["signed_at"] is None:
        return None
    return ActInput(**values)
