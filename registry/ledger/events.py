"""Ledger event types and the allow-list of public fields each may carry."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    UNIT_RECORDED = "unit.recorded"
    UNIT_CHANGED = "unit.changed"
    UNIT_MERGED = "unit.merged"
    UNIT_DISSOLVED = "unit.dissolved"
    POSITION_RECORDED = "position.recorded"
    OFFICIAL_RECORDED = "official.recorded"
    ASSIGNMENT_MADE = "assignment.made"
    ASSIGNMENT_ENDED = "assignment.ended"
    INSTRUMENT_RECORDED = "instrument.recorded"
    POWER_DEFINED = "power.defined"
    GRANT_MADE = "grant.made"
    GRANT_AMENDED = "grant.amended"
    GRANT_SUSPENDED = "grant.suspended"
    GRANT_RESUMED = "grant.resumed"
    GRANT_REVOKED = "grant.revoked"
    GRANT_RENOUNCED = "grant.renounced"
    GRANT_VOIDED_UPSTREAM = "grant.voided_upstream"
    ACT_RECORDED = "act.recorded"
    ACT_TRACED = "act.traced"
    CORRECTION = "correction"


_UNIT = {
    "code",
    "name_vi",
    "name_en",
    "kind",
    "tier",
    "parent",
    "works_collectively",
    "valid_from",
    "valid_to",
    "merged_into",
}
_GRANT = {
    "grant",
    "version",
    "kind",
    "power",
    "grantor",
    "grantee",
    "parent",
    "depth",
    "territory",
    "sectors",
    "act_types",
    "amount_ceiling",
    "valid_from",
    "valid_to",
    "may_pass_on",
    "conditions_vi",
    "conditions_en",
    "responsible",
    "instrument",
    "recorded_by",
    "recorded_for",
    "at",
    "reason",
    "descendants",
}

#: The only fields that can reach the public ledger, per event type. Anything else a caller
#: passes (a staff number, an e-mail, a session) is dropped before hashing.
PUBLIC_FIELDS: Mapping[EventType, frozenset[str]] = {
    EventType.UNIT_RECORDED: frozenset(_UNIT),
    EventType.UNIT_CHANGED: frozenset(_UNIT | {"at"}),
    EventType.UNIT_MERGED: frozenset({"code", "merged_into", "at", "instrument"}),
    EventType.UNIT_DISSOLVED: frozenset({"code", "at", "instrument"}),
    EventType.POSITION_RECORDED: frozenset(
        {"code", "unit", "title_vi", "title_en", "is_head", "is_deputy", "valid_from", "valid_to"}
    ),
    EventType.OFFICIAL_RECORDED: frozenset({"code", "full_name", "display_name"}),
    EventType.ASSIGNMENT_MADE: frozenset(
        {"official", "official_name", "position", "valid_from", "valid_to", "instrument"}
    ),
    EventType.ASSIGNMENT_ENDED: frozenset(
        {"official", "official_name", "position", "valid_to", "instrument"}
    ),
    EventType.INSTRUMENT_RECORDED: frozenset(
        {
            "number",
            "type",
            "normative",
            "title_vi",
            "title_en",
            "issuing_unit",
            "signer",
            "signer_position",
            "signature_form",
            "signed_at",
            "effective_from",
            "effective_to",
            "file_sha256",
        }
    ),
    EventType.POWER_DEFINED: frozenset(
        {
            "code",
            "title_vi",
            "title_en",
            "sector",
            "legal_basis",
            "legal_basis_article",
            "holder",
            "holder_unit",
            "act_types",
            "grant_kinds",
            "non_delegable",
            "max_depth",
            "amount_ceiling",
            "exclusive",
            "valid_from",
            "valid_to",
        }
    ),
    EventType.GRANT_MADE: frozenset(_GRANT),
    EventType.GRANT_AMENDED: frozenset(_GRANT | {"previous_version"}),
    EventType.GRANT_SUSPENDED: frozenset(_GRANT),
    EventType.GRANT_RESUMED: frozenset(_GRANT),
    EventType.GRANT_REVOKED: frozenset(_GRANT),
    EventType.GRANT_RENOUNCED: frozenset(_GRANT),
    EventType.GRANT_VOIDED_UPSTREAM: frozenset(_GRANT | {"because_of"}),
    EventType.ACT_RECORDED: frozenset(
        {
            "act",
            "number",
            "type",
            "issuing_unit",
            "power",
            "signer",
            "signer_name",
            "signer_position",
            "signature_form",
            "signed_at",
            "unit",
            "sector",
            "act_type",
            "amount",
            "file_sha256",
        }
    ),
    EventType.ACT_TRACED: frozenset(
        {
            "act",
            "number",
            "power",
            "signer",
            "signer_position",
            "signed_at",
            "unit",
            "verdict",
            "reasons",
            "chain",
        }
    ),
    EventType.CORRECTION: frozenset({"corrects", "reason", "corrected_fields"}),
}


def public_payload(event_type: EventType, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the allow-listed public fields of an event; None values are kept as null."""
    allowed = PUBLIC_FIELDS[event_type]
    return {key: value for key, value in facts.items() if key in allowed}
