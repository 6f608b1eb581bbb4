"""Random histories of grants, checked against the invariants of delegation chains."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from domain_builders import (
    CHAIRMAN,
    COMMUNE_CHAIRMAN,
    DEPUTY_SXD,
    DIRECTOR_SXD,
    LAND_POWER,
    OFFICIAL_AN,
    TREE,
    VICE_CHAIRMAN,
    at,
)
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from registry.domain.effective import descendants, in_force_intervals, in_force_map
from registry.domain.facts import ActFacts
from registry.domain.grant_rules import GrantContext, check_grant
from registry.domain.grants import (
    EndReason,
    GrantProposal,
    GrantRecord,
    InstrumentFacts,
    PowerFacts,
)
from registry.domain.kinds import GrantKind, InstrumentType
from registry.domain.lifecycle import (
    Amendment,
    AmendmentContext,
    check_amend,
    check_renounce,
    check_resume,
    check_revoke,
    check_suspend,
)
from registry.domain.parties import Party
from registry.domain.reference import ReferenceEvaluator
from registry.domain.scope import Scope, contains, covers
from registry.domain.transitions import amend, end, make_record, resume, suspend
from registry.domain.validity import Validity, subtract

Draw = Callable[..., Any]
BUILDING_POWER = PowerFacts(
    code="XD-02",
    sector="xay-dung",
    lawful_holder=DIRECTOR_SXD,
    holder_unit="UBND-T",
    act_types=frozenset({"cap-phep"}),
    kinds_allowed=frozenset({GrantKind.AUTHORIZATION, GrantKind.DECENTRALIZATION}),
    max_depth=2,
)
POWERS = {power.code: power for power in (LAND_POWER, BUILDING_POWER)}
FINANCE_DIRECTOR = Party.parse("position:STC.GD")
PARTIES = [CHAIRMAN, VICE_CHAIRMAN, DIRECTOR_SXD, DEPUTY_SXD, COMMUNE_CHAIRMAN, FINANCE_DIRECTOR]
# Nguyễn Văn An holds the chairmanship and, concurrently, the finance department.
HELD_BY_AN = frozenset({CHAIRMAN, FINANCE_DIRECTOR})
ALWAYS = (Validity(at(2000, 1, 1)),)
START = at(2025, 1, 1)
INSTRUMENTS = {
    GrantKind.DEVOLUTION: (InstrumentType.LAW, True),
    GrantKind.DECENTRALIZATION: (InstrumentType.DECISION, True),
    GrantKind.AUTHORIZATION: (InstrumentType.AUTHORIZATION_LETTER, False),
}
SECTORS = ["dat-dai", "xay-dung", "y-te"]
ACT_TYPES = ["giao-dat", "thu-hoi-dat", "cap-phep"]
AMOUNTS = [None, 0, 1_000_000_000, 5_000_000_000, 10_000_000_000, 10**12]


def identities(party: Party) -> frozenset[Party]:
    """A party and whoever is the same actor: the official holding two positions."""
    if party in HELD_BY_AN or party == OFFICIAL_AN:
        return HELD_BY_AN | {OFFICIAL_AN}
    return frozenset({party})


def instrument_for(kind: GrantKind, now: datetime) -> InstrumentFacts:
    instrument_type, normative = INSTRUMENTS[kind]
    return InstrumentFacts("1/X", instrument_type, normative, now - timedelta(days=1))


def optional_subset(draw: Draw, values: frozenset[str] | None, extra: list[str]) -> object:
    pool = sorted(values) if values is not None else extra
    if values is None and draw(st.booleans()):
        return None
    if draw(st.integers(0, 19)) == 0:
        pool = extra  # now and then wider than the source, to be refused
    return draw(st.frozensets(st.sampled_from(pool), min_size=1))


def draw_scope(draw: Draw, source: Scope) -> Scope:
    units = sorted({u for root in source.territory for u in TREE.descendants_or_self(root)})
    if draw(st.integers(0, 19)) == 0:
        units = sorted(TREE.units)
    ceilings = [source.amount_ceiling] * 3 + [None, 0, 1_000_000_000, 5_000_000_000]
    return Scope(
        territory=draw(st.frozensets(st.sampled_from(units), min_size=1, max_size=2)),
        sectors=optional_subset(draw, source.sectors, SECTORS),  # type: ignore[arg-type]
        act_types=optional_subset(draw, source.act_types, ACT_TYPES),  # type: ignore[arg-type]
        amount_ceiling=draw(st.sampled_from(ceilings)),
    )


def draw_validity(draw: Draw, now: datetime, open_end_likely: bool = True) -> Validity:
    start = now + timedelta(days=draw(st.integers(0, 30)))
    open_end = draw(st.integers(0, 2 if open_end_likely else 12)) == 0
    days = None if open_end else draw(st.integers(1, 400))
    return Validity(start, None if days is None else start + timedelta(days=days))


def holders_by_intervals(
    records: list[GrantRecord], power: PowerFacts, facts: ActFacts, t: datetime
) -> set[tuple[Party, tuple[tuple[int, int], ...]]]:
    """Who holds the power, computed a second way: by interval arithmetic, not instant checks."""
    if not covers(power.lawful_scope(), facts, TREE):
        return set()
    lineage = in_force_map(records)

    def version_intervals(record: GrantRecord) -> tuple[Validity, ...]:
        parent = None if record.parent_id is None else lineage.get(record.parent_id, ())
        return in_force_intervals(record, parent)

    def in_force(record: GrantRecord) -> bool:
        return any(v.contains_instant(t) for v in version_intervals(record))

    found: set[tuple[Party, tuple[tuple[int, int], ...]]] = {(power.lawful_holder, ())}
    for record in records:
        if record.power != power.code or not in_force(record):
            continue
        chain = [record]
        while chain[0].parent_id is not None:
            parent_id = chain[0].parent_id
            chain.insert(0, next(r for r in records if r.id == parent_id and in_force(r)))
        if all(covers(link.scope, facts, TREE) for link in chain):
            found.add((record.grantee, tuple((link.id, link.version) for link in chain)))
    return found


class DelegationHistory(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.now = START
        self.records: list[GrantRecord] = []
        self.revocations: list[tuple[int, datetime]] = []
        self.made = 0

    # -- helpers over the state

    def current(self, grant_id: int) -> GrantRecord:
        versions = [r for r in self.records if r.id == grant_id]
        return max(versions, key=lambda r: r.version)

    def open_grants(self) -> list[GrantRecord]:
        ids = sorted({r.id for r in self.records})
        return [g for g in (self.current(i) for i in ids) if g.ended_at is None]

    def chain_to(self, record: GrantRecord) -> tuple[GrantRecord, ...]:
        chain = [record]
        while chain[0].parent_id is not None:
            chain.insert(0, self.current(chain[0].parent_id))
        return tuple(chain)

    def replace_current(self, old: GrantRecord, *new: GrantRecord) -> None:
        index = self.records.index(old)
        self.records[index : index + 1] = list(new)

    def source_of(self, record: GrantRecord) -> tuple[Scope, tuple[Validity, ...] | None]:
        if record.parent_id is None:
            return POWERS[record.power].lawful_scope(), None
        return self.current(record.parent_id).scope, in_force_map(self.records)[record.parent_id]

    # -- rules

    @rule(data=st.data())
    def grant(self, data: st.DataObject) -> None:
        power = POWERS[data.draw(st.sampled_from(sorted(POWERS)))]
        sources = [g for g in self.open_grants() if g.power == power.code]
        self.propose(data, power, data.draw(st.sampled_from([None, *sources])))

    @rule(data=st.data())
    def sub_grant(self, data: st.DataObject) -> None:
        sources = [g for g in self.open_grants() if g.may_pass_on]
        if sources:
            source = data.draw(st.sampled_from(sources))
            self.propose(data, POWERS[source.power], source)

    def propose(self, data: st.DataObject, power: PowerFacts, source: GrantRecord | None) -> None:
        """Draw a proposal that mostly follows the rules (so chains grow), now and then not."""
        draw: Draw = data.draw
        chain: tuple[GrantRecord, ...] = ()
        if source is None:
            holder, source_scope = power.lawful_holder, power.lawful_scope()
            intervals: tuple[Validity, ...] = ()
        else:
            holder, source_scope = source.grantee, source.scope
            chain = self.chain_to(source)
            intervals = in_force_map(self.records)[source.id]
        grantor = holder if draw(st.integers(0, 9)) else draw(st.sampled_from(PARTIES))
        up = {power.lawful_holder} | {p for r in chain for p in (r.grantor, r.grantee)}
        fresh = [p for p in PARTIES if identities(p).isdisjoint(up | identities(grantor))]
        grantee = draw(st.sampled_from(fresh if fresh and draw(st.integers(0, 4)) else PARTIES))
        kind = draw(st.sampled_from(sorted(power.kinds_allowed)))
        earliest = self.now
        if intervals and draw(st.integers(0, 4)):
            earliest = max(self.now, intervals[0].valid_from)
        validity = draw_validity(draw, earliest, kind is not GrantKind.AUTHORIZATION)
        source_end = intervals[-1].valid_to if intervals else None
        if source_end is not None and draw(st.integers(0, 4)):
            validity = Validity(
                validity.valid_from, min(validity.valid_to or source_end, source_end)
            )
        proposal = GrantProposal(
            power=power.code,
            kind=kind,
            grantor=grantor,
            grantee=grantee,
            parent_id=None if source is None else source.id,
            scope=draw_scope(draw, source_scope),
            validity=validity,
            may_pass_on=draw(st.sampled_from([True, True, None, False])),
            instrument=instrument_for(kind, self.now),
        )
        ctx = GrantContext(
            power=power,
            tree=TREE,
            now=self.now,
            source=source,
            source_intervals=intervals,
            chain=chain,
            grantee_active=ALWAYS,
            grantor_identities=identities(proposal.grantor),
            grantee_identities=identities(proposal.grantee),
        )
        if not check_grant(proposal, ctx):
            self.made += 1
            self.records.append(make_record(proposal, self.made, len(chain) + 1, self.now))

    @rule(data=st.data())
    def amend_one(self, data: st.DataObject) -> None:
        grants = self.open_grants()
        if not grants:
            return
        record = data.draw(st.sampled_from(grants))
        source_scope, source_intervals = self.source_of(record)
        children = {g.id: g.scope for g in self.open_grants() if g.parent_id == record.id}
        amendment = Amendment(
            scope=draw_scope(data.draw, record.scope),
            validity=draw_validity(data.draw, self.now, record.kind is not GrantKind.AUTHORIZATION),
            may_pass_on=data.draw(st.booleans()),
            instrument=instrument_for(record.kind, self.now),
        )
        ctx = AmendmentContext(TREE, source_scope, source_intervals, children)
        if not check_amend(record, amendment, identities(record.grantor), self.now, ctx):
            self.replace_current(record, *amend(record, amendment, self.now))

    @rule(data=st.data())
    def suspend_one(self, data: st.DataObject) -> None:
        grants = self.open_grants()
        if grants:
            record = data.draw(st.sampled_from(grants))
            if not check_suspend(record, identities(record.grantor), self.now, "xác minh"):
                self.replace_current(record, suspend(record, self.now))

    @rule(data=st.data())
    def resume_one(self, data: st.DataObject) -> None:
        grants = self.open_grants()
        if grants:
            record = data.draw(st.sampled_from(grants))
            if not check_resume(record, identities(record.grantor), self.now):
                self.replace_current(record, resume(record, self.now))

    @rule(data=st.data())
    def revoke_one(self, data: st.DataObject) -> None:
        grants = self.open_grants()
        if grants:
            record = data.draw(st.sampled_from(grants))
            instrument = instrument_for(record.kind, self.now)
            actor = identities(record.grantor)
            if not check_revoke(record, actor, self.now, "hết nhu cầu", instrument):
                self.replace_current(record, end(record, self.now, EndReason.REVOKED))
                self.revocations.append((record.id, self.now))

    @rule(data=st.data())
    def renounce_one(self, data: st.DataObject) -> None:
        grants = self.open_grants()
        if grants:
            record = data.draw(st.sampled_from(grants))
            if not check_renounce(record, identities(record.grantee), self.now, "chuyển công tác"):
                self.replace_current(record, end(record, self.now, EndReason.RENOUNCED))

    @rule(days=st.integers(1, 90))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)

    @rule(data=st.data())
    def reference_agrees_with_interval_arithmetic(self, data: st.DataObject) -> None:
        power = POWERS[data.draw(st.sampled_from(sorted(POWERS)))]
        facts = ActFacts(
            unit=data.draw(st.sampled_from(sorted(TREE.units))),
            sector=data.draw(st.sampled_from(SECTORS)),
            act_type=data.draw(st.sampled_from(ACT_TYPES)),
            amount=data.draw(st.sampled_from(AMOUNTS)),
        )
        t = self.now + timedelta(days=data.draw(st.integers(-200, 200)))
        oracle = ReferenceEvaluator(POWERS, self.records, TREE).holders(power.code, facts, t)
        found = {(party, tuple((r.id, r.version) for r in chain)) for party, chain in oracle}
        assert len(found) == len(oracle)
        assert found == holders_by_intervals(self.records, power, facts, t)

    # -- invariants

    @invariant()
    def no_cycles(self) -> None:
        for record in getattr(self, "records", []):
            up: set[Party] = {POWERS[record.power].lawful_holder}
            parent_id = record.parent_id
            seen: set[int] = set()
            while parent_id is not None:
                assert parent_id not in seen
                seen.add(parent_id)
                parent = self.current(parent_id)
                up |= {parent.grantor, parent.grantee}
                parent_id = parent.parent_id
            assert identities(record.grantee).isdisjoint(up)

    @invariant()
    def in_force_grants_stay_within_their_source(self) -> None:
        records = getattr(self, "records", [])
        lineage = in_force_map(records)
        for record in records:
            parent_intervals = None if record.parent_id is None else lineage[record.parent_id]
            own = in_force_intervals(record, parent_intervals)
            if not own:
                continue
            if record.parent_id is None:
                assert contains(POWERS[record.power].lawful_scope(), record.scope, TREE)
                continue
            assert subtract(own, lineage[record.parent_id]) == ()
            for parent in (r for r in records if r.id == record.parent_id):
                parent_own = in_force_intervals(parent, lineage.get(parent.parent_id or -1))
                if any(a.overlaps(b) for a in own for b in parent_own):
                    assert contains(parent.scope, record.scope, TREE)

    @invariant()
    def revocation_voids_every_descendant_from_that_moment(self) -> None:
        records = getattr(self, "records", [])
        lineage = in_force_map(records)
        for grant_id, revoked_at in getattr(self, "revocations", []):
            for affected in [grant_id, *descendants(records, grant_id)]:
                for interval in lineage[affected]:
                    assert interval.valid_to is not None
                    assert interval.valid_to <= revoked_at


TestDelegationHistory = DelegationHistory.TestCase
TestDelegationHistory.settings = settings(
    max_examples=200,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
