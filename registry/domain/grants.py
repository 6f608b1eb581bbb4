"""Plain records of powers, grants, instruments and proposed grants, as the rules see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from registry.domain.kinds import GrantKind, InstrumentType
from registry.domain.parties import Party
from registry.domain.scope import Scope
from registry.domain.validity import Validity, require_aware


@dataclass(frozen=True, slots=True)
class PowerFacts:
    """A power as defined by its legal basis: who holds it by law and how it may be passed on."""

    code: str
    sector: str
    lawful_holder: Party
    holder_unit: str
    act_types: frozenset[str]
    kinds_allowed: frozenset[GrantKind]
    non_delegable: bool = False
    max_depth: int = 1
    amount_ceiling: int | None = None
    #: only one grantee may hold a given part of the scope at a time (checked by the service)
    exclusive: bool = False

    def lawful_scope(self) -> Scope:
        return Scope(
            territory=frozenset({self.holder_unit}),
            sectors=frozenset({self.sector}),
            act_types=self.act_types or None,
            amount_ceiling=self.amount_ceiling,
        )


class EndReason(StrEnum):
    REVOKED = "revoked"
    RENOUNCED = "renounced"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class GrantRecord:
    """One version of a grant. Versions of an amended grant share the id (the lineage); the old
    version ends `superseded` and the new one is in force from `effective_from`."""

    id: int
    power: str
    kind: GrantKind
    grantor: Party
    grantee: Party
    #: the source grant's id, None when granted by the lawful holder
    parent_id: int | None
    scope: Scope
    validity: Validity
    may_pass_on: bool
    #: 1 for a grant from the lawful holder
    depth: int
    created_at: datetime
    suspensions: tuple[Validity, ...] = ()
    ended_at: datetime | None = None
    end_reason: EndReason | None = None
    version: int = 1
    #: when this version took effect, for versions made by an amendment; None: from valid_from
    effective_from: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "created_at", require_aware(self.created_at, "created_at"))
        if self.ended_at is not None:
            object.__setattr__(self, "ended_at", require_aware(self.ended_at, "ended_at"))
            object.__setattr__(self, "end_reason", EndReason(self.end_reason or "revoked"))
        if self.effective_from is not None:
            object.__setattr__(
                self, "effective_from", require_aware(self.effective_from, "effective_from")
            )

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    @property
    def in_force_from(self) -> datetime:
        if self.effective_from is None:
            return self.validity.valid_from
        return max(self.validity.valid_from, self.effective_from)


@dataclass(frozen=True, slots=True)
class InstrumentFacts:
    """The written document behind a grant or revocation: number, type, normative, signing."""

    number: str
    type: InstrumentType
    normative: bool
    signed_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", InstrumentType(self.type))
        object.__setattr__(self, "signed_at", require_aware(self.signed_at, "signed_at"))


@dataclass(frozen=True, slots=True)
class GrantProposal:
    """A grant as asked for, before the rules have passed it."""

    power: str
    kind: GrantKind
    grantor: Party
    grantee: Party
    parent_id: int | None
    scope: Scope
    validity: Validity
    #: None takes the kind's default
    may_pass_on: bool | None
    instrument: InstrumentFacts | None
