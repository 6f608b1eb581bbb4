"""Parties to a grant or a check, written `kind:code` (`position:UBND-T.CT`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from registry.domain.text import has_control_characters, nfc


@lru_cache(maxsize=65536)
def clean_code(text: str) -> str:
    """A party code in NFC, or ValueError. Kept: the same few thousand codes come back in
    every check, and checks are counted in microseconds."""
    code = nfc(text.strip())
    if not code or has_control_characters(code) or any(ch.isspace() for ch in code):
        raise ValueError(f"invalid party code {text!r}")
    return code


class PartyKind(StrEnum):
    UNIT = "unit"
    POSITION = "position"
    OFFICIAL = "official"


@dataclass(frozen=True, slots=True)
class Party:
    """A unit, a position or an official, by public code; codes are kept in NFC."""

    kind: PartyKind
    code: str
    #: `kind:code`, written once: a check writes its parties out several times.
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if type(self.kind) is not PartyKind:
            object.__setattr__(self, "kind", PartyKind(self.kind))
        code = clean_code(self.code)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "text", self.kind + ":" + code)  # a StrEnum is its value

    def __hash__(self) -> int:
        # Equal parties have equal texts; hashing the text skips the enum's Python-level hash.
        return hash(self.text)

    @classmethod
    def parse(cls, text: str) -> Party:
        kind, separator, code = text.strip().partition(":")
        if not separator:
            raise ValueError(f"a party is written kind:code, got {text!r}")
        try:
            party_kind = PartyKind(kind)
        except ValueError:
            raise ValueError(f"unknown party kind {kind!r} in {text!r}") from None
        return cls(party_kind, code)

    def __str__(self) -> str:
        return self.text
