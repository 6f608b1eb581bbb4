"""Builders of a small demo province, its powers and well-formed proposals for domain tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from registry.domain.grant_rules import GrantContext
from registry.domain.grants import GrantProposal, GrantRecord, InstrumentFacts, PowerFacts
from registry.domain.kinds import GrantKind, InstrumentType
from registry.domain.parties import Party
from registry.domain.scope import Scope
from registry.domain.units import UnitTree
from registry.domain.validity import Validity

PROVINCE = "UBND-T"
TREE = UnitTree(
    {
        PROVINCE: None,
        "SXD": PROVINCE,
        "SXD.QLN": "SXD",
        "STC": PROVINCE,
        "XA-AN-PHU": PROVINCE,
        "XA-BINH-MY": PROVINCE,
        "PHUONG-1": PROVINCE,
    }
)
CHAIRMAN = Party.parse("position:UBND-T.CT")
VICE_CHAIRMAN = Party.parse("position:UBND-T.PCT")
DIRECTOR_SXD = Party.parse("position:SXD.GD")
DEPUTY_SXD = Party.parse("position:SXD.PGD")
COMMUNE_CHAIRMAN = Party.parse("position:XA-AN-PHU.CT")
OFFICIAL_AN = Party.parse("official:CB-0001")

LAND = "dat-dai"
ALLOCATE = "giao-dat"
RECLAIM = "thu-hoi-dat"
FIVE_BILLION = 5_000_000_000

LAND_POWER = PowerFacts(
    code="DD-01",
    sector=LAND,
    lawful_holder=CHAIRMAN,
    holder_unit=PROVINCE,
    act_types=frozenset({ALLOCATE, RECLAIM}),
    kinds_allowed=frozenset(GrantKind),
    non_delegable=False,
    max_depth=3,
    amount_ceiling=10_000_000_000,
    exclusive=False,
)


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


NOW = at(2025, 7, 20)
FROM = at(2025, 8, 1)
TO = at(2026, 8, 1)

AUTHORIZATION_LETTER = InstrumentFacts(
    number="08/GUQ-UBND",
    type=InstrumentType.AUTHORIZATION_LETTER,
    normative=False,
    signed_at=at(2025, 7, 15),
)
NORMATIVE_DECISION = InstrumentFacts(
    number="12/2025/QĐ-UBND",
    type=InstrumentType.DECISION,
    normative=True,
    signed_at=at(2025, 7, 15),
)

COMMUNE_LAND_SCOPE = Scope(
    territory=frozenset({"XA-AN-PHU"}),
    sectors=frozenset({LAND}),
    act_types=frozenset({ALLOCATE}),
    amount_ceiling=FIVE_BILLION,
)


def proposal(**changes: Any) -> GrantProposal:
    """Chủ tịch UBND tỉnh ủy quyền cho Giám đốc Sở Xây dựng by Giấy ủy quyền 08/GUQ-UBND."""
    good = GrantProposal(
        power=LAND_POWER.code,
        kind=GrantKind.AUTHORIZATION,
        grantor=CHAIRMAN,
        grantee=DIRECTOR_SXD,
        parent_id=None,
        scope=COMMUNE_LAND_SCOPE,
        validity=Validity(FROM, TO),
        may_pass_on=None,
        instrument=AUTHORIZATION_LETTER,
    )
    return replace(good, **changes)


def context(**changes: Any) -> GrantContext:
    good = GrantContext(
        power=LAND_POWER,
        tree=TREE,
        now=NOW,
        grantee_active=(Validity(at(2020, 1, 1), None),),
        grantor_identities=frozenset({CHAIRMAN, OFFICIAL_AN}),
        grantee_identities=frozenset({DIRECTOR_SXD}),
    )
    return replace(good, **changes)


def record(grant_id: int = 1, **changes: Any) -> GrantRecord:
    """A grant in force: the chairman's authorization to the director of construction."""
    good = GrantRecord(
        id=grant_id,
        power=LAND_POWER.code,
        kind=GrantKind.AUTHORIZATION,
        grantor=CHAIRMAN,
        grantee=DIRECTOR_SXD,
        parent_id=None,
        scope=COMMUNE_LAND_SCOPE,
        validity=Validity(FROM, TO),
        may_pass_on=True,
        depth=1,
        created_at=NOW,
    )
    return replace(good, **changes)
