"""JSON shapes of the grants API (msgspec Structs; unknown fields are refused)."""

from __future__ import annotations

import msgspec


class ScopeIn(msgspec.Struct, forbid_unknown_fields=True):
    territory: list[str]
    sectors: list[str] | None = None
    act_types: list[str] | None = None
    amount_ceiling: int | None = None


class InstrumentIn(msgspec.Struct, forbid_unknown_fields=True):
    number: str
    type: str | None = None
    normative: bool | None = None
    signed_at: str | None = None
    title_vi: str | None = None
    file_sha256: str | None = None


class GrantCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new grant. `parent` is the source grant's number; omitted, the grantor's own holding
    (lawful, or an in-force grant that may be passed on) is used."""

    power: str
    kind: str
    grantor: str
    grantee: str
    scope: ScopeIn
    valid_from: str
    instrument: str | InstrumentIn
    valid_to: str | None = None
    parent: int | None = None
    may_pass_on: bool | None = None
    conditions_vi: str | None = None
    conditions_en: str | None = None
    recorded_for: str | None = None


class GrantAmend(msgspec.Struct, forbid_unknown_fields=True):
    instrument: str | InstrumentIn
    scope: ScopeIn | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    may_pass_on: bool | None = None
    at: str | None = None
    reason: str | None = None


class GrantEventIn(msgspec.Struct, forbid_unknown_fields=True):
    """Suspend, resume, revoke or renounce: when, why, under which instrument."""

    reason: str | None = None
    instrument: str | InstrumentIn | None = None
    at: str | None = None
    dry_run: bool = False


class ScopeOut(msgspec.Struct):
    territory: list[str]
    sectors: list[str] | None
    act_types: list[str] | None
    amount_ceiling: int | None


class ChainLinkOut(msgspec.Struct):
    grant: int | None
    version: int | None
    kind: str
    grantor: str | None
    grantee: str
    territory: list[str]
    sectors: list[str] | None
    act_types: list[str] | None
    amount_ceiling: int | None
    valid_from: str
    valid_to: str | None
    instrument: str | None
    ledger_index: int | None


class GrantEventOut(msgspec.Struct):
    event: str
    at: str
    actor: str
    reason: str
    instrument: str | None
    ledger_index: int | None


class GrantOut(msgspec.Struct):
    grant: int
    version: int
    kind: str
    power: str
    grantor: str
    grantee: str
    parent: int | None
    depth: int
    scope: ScopeOut
    valid_from: str
    valid_to: str | None
    may_pass_on: bool
    responsible: str
    instrument: str | None
    status: str
    recorded_by: str
    recorded_for: str
    ledger_index: int | None
    conditions_vi: str = ""
    conditions_en: str = ""


class GrantDetail(msgspec.Struct):
    grant: GrantOut
    chain: list[ChainLinkOut]
    history: list[GrantEventOut]
    versions: list[GrantOut]
    sub_grants: list[int]


class GrantPage(msgspec.Struct):
    grants: list[GrantOut]
    next_after: int | None


class Precheck(msgspec.Struct):
    allowed: bool
    reasons: list[dict[str, object]]
    chain: list[ChainLinkOut]


class Made(msgspec.Struct):
    grant: int
    ledger_index: int | None
    chain: list[ChainLinkOut]


class RevocationImpactOut(msgspec.Struct):
    grant: int
    dry_run: bool
    ledger_index: int | None
    voided: list[int]
