"""Trace a signed act to the authority in force when it was signed.

Signer -> the position at signing (assignments) -> `check_authority` (the engine of
`/api/v1/check`, or its preloaded twin during an import) -> signature form against the chain ->
instruments of the chain. The pure judgements live in `registry.acts.verdicts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.acts.authority import Authority
from registry.acts.lookups import Lookups
from registry.acts.records import ActInput
from registry.acts.verdicts import (
    Judgement,
    Source,
    exceeded_ceiling,
    judge_form,
    missing_instruments,
    not_holding,
    refused,
    source_of,
    unknown_references,
)
from registry.authz.check import CheckOutcome
from registry.domain.facts import ActFacts
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason


@dataclass(slots=True)
class Trace:
    """The judgement of one act, and the authority check it rests on (None: not checked)."""

    judgement: Judgement
    authority: CheckOutcome | None


def missing_references(act: ActInput, lookups: Lookups) -> list[tuple[str, str]]:
    wanted = (
        ("signer", act.signer, lookups.officials),
        ("position", act.signer_position, lookups.positions),
        ("power", act.power, lookups.powers),
        ("unit", act.unit, lookups.units),
    )
    return [(name, code) for name, code, known in wanted if code not in known]


def facts_of(act: ActInput) -> ActFacts:
    return ActFacts(act.unit, act.sector, act.act_type, act.amount)


async def chain_short_of_amount(
    act: ActInput, authority: Authority, reasons: list[Reason]
) -> list[dict[str, Any]]:
    """An act refused only for its amount: the chain down to the grant (or the lawful holding)
    that would have covered it but for its ceiling, so the act's page can draw it."""
    source = exceeded_ceiling(reasons)
    if source is None:
        return []
    return authority.chain_json(await authority.chain(act.power, source, act.signed_at))


async def trace_act(act: ActInput, lookups: Lookups, authority: Authority) -> Trace:
    """The verdict, reasons and chain of one act (nothing is stored here)."""
    unknown = unknown_references(missing_references(act, lookups))
    if unknown is not None:
        return Trace(unknown, None)
    facts = facts_of(act)
    official = Party(PartyKind.OFFICIAL, act.signer)
    outcome = await authority.check(official, act.power, facts, act.signed_at)
    if not lookups.holds(act.signer, act.signer_position, act.signed_at):
        return Trace(not_holding(act.signer, act.signer_position), outcome)
    if not outcome.allowed or outcome.acting_as is None or outcome.source is None:
        judgement = refused(outcome.reasons)
        judgement.chain = await chain_short_of_amount(act, authority, judgement.reasons)
        return Trace(judgement, outcome)
    acting_as = outcome.acting_as
    post = lookups.post(act.signer_position)
    checked = authority.chain_json(outcome.chain)

    async def candidates() -> Any:
        yield source_of(acting_as, checked), checked
        seen = {(acting_as, outcome.source)}
        for party in outcome.subjects:
            for source in authority.sources(party, act.power, facts, act.signed_at):
                if (party, source) in seen:
                    continue
                seen.add((party, source))
                chain = authority.chain_json(
                    await authority.chain(act.power, source, act.signed_at)
                )
                yield source_of(party, chain), chain

    pairs: list[tuple[Source, list[dict[str, Any]]]] = []
    async for pair in candidates():
        pairs.append(pair)
        judgement = judge_form(act.signature_form, post, [pair])
        if judgement.verdict == "within_authority":
            break
    else:
        # No source fits the form: the verdict names the forms the first one would need.
        judgement = judge_form(act.signature_form, post, pairs)
    judgement.reasons += missing_instruments(judgement.chain)
    return Trace(judgement, outcome)
