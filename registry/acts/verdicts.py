"""The pure part of a trace: which signature forms fit how the signer held the power, and the
verdict of an act from the signer's assignment, the authority check and the form (no I/O)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason, ReasonCode

C = ReasonCode


class Verdict(StrEnum):
    """What a trace concludes about an act; each value is the lower-case reason code."""

    WITHIN_AUTHORITY = "within_authority"
    NO_AUTHORITY = "no_authority"
    GRANT_EXPIRED = "grant_expired"
    GRANT_NOT_YET_IN_FORCE = "grant_not_yet_in_force"
    GRANT_REVOKED = "grant_revoked"
    GRANT_RENOUNCED = "grant_renounced"
    GRANT_SUSPENDED = "grant_suspended"
    GRANT_VOID_UPSTREAM = "grant_void_upstream"
    SCOPE_EXCEEDED = "scope_exceeded"
    AMOUNT_EXCEEDED = "amount_exceeded"
    SIGNER_NOT_HOLDING_POSITION = "signer_not_holding_position"
    SIGNATURE_FORM_INCONSISTENT = "signature_form_inconsistent"

    @classmethod
    def of(cls, code: ReasonCode) -> Verdict:
        try:
            return cls(str(code).lower())
        except ValueError:
            return cls.NO_AUTHORITY


VERDICTS: tuple[Verdict, ...] = tuple(Verdict)
#: The one reason of an act within authority (reasons are immutable: one is shared).
WITHIN_AUTHORITY = Reason.of(C.WITHIN_AUTHORITY, None)
#: The kinds that hold a power "by law" for the form table (not an authorization).
_OWN_KINDS = frozenset({"law", "devolution", "decentralization"})


@dataclass(frozen=True, slots=True)
class SignerPost:
    """The position an act was signed as, with what the form table needs to know about it."""

    position: str
    unit: str
    is_head: bool
    is_deputy: bool
    unit_collective: bool
    #: Position codes of the heads of the unit (usually one).
    unit_heads: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Source:
    """How the signer held the power: the party that held it and the last link of the chain."""

    acting_as: Party
    kind: str
    grantor: str | None
    grantee: str | None


def source_of(acting_as: Party, chain: Sequence[Any]) -> Source:
    """The last link of a chain (`ChainLink` or its JSON) as a `Source`."""
    last = chain[-1] if chain else None

    def read(name: str) -> Any:
        if last is None:
            return None
        return last.get(name) if isinstance(last, dict) else getattr(last, name)

    return Source(acting_as, str(read("kind") or "law"), read("grantor"), read("grantee"))


def consistent_forms(source: Source, post: SignerPost) -> frozenset[str]:
    """The table of docs/import-formats.md: which forms fit how the signer holds the power."""
    if source.acting_as.kind is PartyKind.UNIT:
        if post.unit_collective:
            return frozenset({"TM"})
        return frozenset({"direct"}) if source.kind in _OWN_KINDS else frozenset({"TUQ"})
    if source.kind in _OWN_KINDS:
        return frozenset({"direct"})
    if source.acting_as.kind is PartyKind.OFFICIAL:
        return frozenset({"TUQ"})
    own = {f"unit:{post.unit}", *(f"position:{head}" for head in post.unit_heads)}
    if post.is_deputy and source.grantor in own:
        return frozenset({"KT"})
    return frozenset({"TUQ"})


@dataclass(slots=True)
class Judgement:
    """A verdict with its reasons, and the chain relied on (frozen on the act)."""

    verdict: Verdict
    reasons: list[Reason]
    chain: list[dict[str, Any]] = field(default_factory=list)
    acting_as: str | None = None


def unknown_references(missing: Iterable[tuple[str, str]]) -> Judgement | None:
    """An act naming a signer, position, power or unit the registry does not know."""
    reasons = [Reason.of(C.UNKNOWN_REFERENCE, name, value=value) for name, value in missing]
    if not reasons:
        return None
    return Judgement(Verdict.NO_AUTHORITY, [Reason.of(C.NO_AUTHORITY, None), *reasons])


def not_holding(signer: str, position: str) -> Judgement:
    return Judgement(
        Verdict.SIGNER_NOT_HOLDING_POSITION,
        [Reason.of(C.SIGNER_NOT_HOLDING_POSITION, "signer", signer=signer, position=position)],
    )


def refused(reasons: Sequence[Reason]) -> Judgement:
    """The authority check said no: its first reason is the verdict."""
    first = reasons[0] if reasons else Reason.of(C.NO_AUTHORITY, None)
    return Judgement(Verdict.of(first.code), list(reasons) or [first])


def exceeded_ceiling(reasons: Sequence[Reason]) -> str | None:
    """The policy source (`grant:<id>` or `law:<power>`) whose amount ceiling an act refused
    for AMOUNT_EXCEEDED went over; None for any other verdict."""
    if not reasons or reasons[0].code is not C.AMOUNT_EXCEEDED:
        return None
    grant = reasons[0].params.get("grant", "")
    if not grant:
        return None
    return grant if grant.startswith("law:") else f"grant:{grant}"


def judge_form(
    form: str,
    post: SignerPost,
    candidates: Iterable[tuple[Source, list[dict[str, Any]]]],
) -> Judgement:
    """Within authority through the first source whose forms include the act's; otherwise
    inconsistent, naming the forms the first source would have needed."""
    first: tuple[frozenset[str], list[dict[str, Any]], Source] | None = None
    for source, chain in candidates:
        forms = consistent_forms(source, post)
        if form in forms:
            judgement = Judgement(Verdict.WITHIN_AUTHORITY, [WITHIN_AUTHORITY], chain)
            judgement.acting_as = str(source.acting_as)
            return judgement
        if first is None:
            first = (forms, chain, source)
    if first is None:
        return Judgement(Verdict.NO_AUTHORITY, [Reason.of(C.NO_AUTHORITY, None)])
    forms, chain, source = first
    reason = Reason.of(
        C.SIGNATURE_FORM_INCONSISTENT,
        "signature_form",
        form=form,
        expected=", ".join(sorted(forms)),
    )
    judgement = Judgement(Verdict.SIGNATURE_FORM_INCONSISTENT, [reason], chain)
    judgement.acting_as = str(source.acting_as)
    return judgement


def missing_instruments(chain: Sequence[dict[str, Any]]) -> list[Reason]:
    """Every grant relied on must name its written instrument; the lawful holder needs none."""
    return [
        Reason.of(C.INSTRUMENT_MISSING, "instrument", grant=link.get("grant"))
        for link in chain
        if link.get("kind") != "law" and not link.get("instrument")
    ]


def reasons_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    """The stored (and published) shape: code, field, params; messages come from the code."""
    return [{"code": str(r.code), "field": r.field, "params": dict(r.params)} for r in reasons]


def reasons_from_json(items: Iterable[dict[str, Any]]) -> list[Reason]:
    found: list[Reason] = []
    for item in items:
        try:
            found.append(
                Reason(ReasonCode(item["code"]), item.get("field"), item.get("params", {}))
            )
        except (KeyError, ValueError):
            continue
    return found
