"""A brute-force answer to "who holds this power over these facts at this instant", for tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from registry.domain.facts import ActFacts
from registry.domain.grants import GrantRecord, PowerFacts
from registry.domain.parties import Party
from registry.domain.scope import covers
from registry.domain.units import UnitTree


class ReferenceEvaluator:
    """The oracle for the services and the Casbin engine: no index, no interval arithmetic.

    A party holds a power over some facts at an instant when it is the lawful holder and the
    power's lawful scope covers them, or when it is the grantee of a grant version in force at
    that instant whose every link up to the lawful holder is in force then and covers the facts.
    """

    def __init__(
        self,
        powers: Iterable[PowerFacts] | Mapping[str, PowerFacts],
        records: Iterable[GrantRecord],
        tree: UnitTree,
    ) -> None:
        listed = powers.values() if isinstance(powers, Mapping) else powers
        self.powers = {power.code: power for power in listed}
        self.records = list(records)
        self.tree = tree

    @staticmethod
    def version_in_force(record: GrantRecord, t: datetime) -> bool:
        """This version alone, its source aside."""
        if t < record.in_force_from:
            return False
        if record.validity.valid_to is not None and t >= record.validity.valid_to:
            return False
        if record.ended_at is not None and t >= record.ended_at:
            return False
        return not any(s.contains_instant(t) for s in record.suspensions)

    def version_at(self, grant_id: int, t: datetime) -> GrantRecord | None:
        for record in self.records:
            if record.id == grant_id and self.version_in_force(record, t):
                return record
        return None

    def chain_at(self, record: GrantRecord, t: datetime) -> list[GrantRecord] | None:
        """The versions in force at t from the first grant down to this one, or None if broken."""
        chain = [record]
        seen = {record.id}
        while chain[0].parent_id is not None:
            parent = self.version_at(chain[0].parent_id, t)
            if parent is None or parent.id in seen:
                return None
            seen.add(parent.id)
            chain.insert(0, parent)
        return chain

    def holders(
        self, power: str, facts: ActFacts, t: datetime
    ) -> list[tuple[Party, list[GrantRecord]]]:
        power_facts = self.powers.get(power)
        if power_facts is None or not covers(power_facts.lawful_scope(), facts, self.tree):
            return []
        found: list[tuple[Party, list[GrantRecord]]] = [(power_facts.lawful_holder, [])]
        for record in self.records:
            if record.power != power or not self.version_in_force(record, t):
                continue
            chain = self.chain_at(record, t)
            if chain is None:
                continue
            if all(link.power == power and covers(link.scope, facts, self.tree) for link in chain):
                found.append((record.grantee, chain))
        return found

    def allows(
        self, subject: Party, power: str, facts: ActFacts, t: datetime
    ) -> tuple[bool, list[GrantRecord] | None]:
        """Whether the subject holds the power over the facts at t, with the shortest chain."""
        chains = [chain for party, chain in self.holders(power, facts, t) if party == subject]
        if not chains:
            return False, None
        return True, min(chains, key=len)
