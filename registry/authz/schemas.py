"""JSON shapes of the check API."""

from __future__ import annotations

import msgspec

from registry.grants.schemas import ChainLinkOut


class FactsIn(msgspec.Struct, forbid_unknown_fields=True):
    unit: str
    sector: str | None = None
    act_type: str | None = None
    amount: int | None = None


class CheckIn(msgspec.Struct, forbid_unknown_fields=True):
    """Give an official (who signs) or a position; the power's code; the facts; `at` (now)."""

    power: str
    facts: FactsIn
    official: str | None = None
    position: str | None = None
    at: str | None = None


class BatchIn(msgspec.Struct, forbid_unknown_fields=True):
    checks: list[CheckIn]


class CheckOut(msgspec.Struct):
    allowed: bool
    subject: str
    acting_as: str | None
    power: str
    at: str
    reasons: list[dict[str, object]]
    chain: list[ChainLinkOut]
    checked_at: str
    policy_version: int


class BatchOut(msgspec.Struct):
    results: list[CheckOut]


class HolderOut(msgspec.Struct):
    holder: str
    source: str
    chain: list[ChainLinkOut]


class HoldersOut(msgspec.Struct):
    power: str
    unit: str
    at: str
    holders: list[HolderOut]
