"""Inspection cases: open one over units and a period, sample its acts, record findings."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from registry.accounts.actor import Actor
from registry.acts.case_tables import FINDING_STATES, SEVERITIES, CaseAct, Finding, InspectionCase
from registry.acts.tables import Act
from registry.db import write_transaction
from registry.domain.reasons import Reason, ReasonCode
from registry.errors import NotFound, Refused
from registry.grants import repository
from registry.importing.fields import FieldReader


@dataclass(frozen=True, slots=True)
class CaseSummary:
    id: int
    title: str
    units: tuple[str, ...]
    period_from: datetime
    period_to: datetime
    team: tuple[str, ...]
    sample_seed: int | None
    sample_size: int | None
    status: str
    created_by: str
    acts: int


@dataclass(frozen=True, slots=True)
class FindingRow:
    id: int
    act: int | None
    legal_reference: str
    severity: str
    description: str
    response: str
    status: str


def _summary(row: dict[str, Any], acts: int) -> CaseSummary:
    return CaseSummary(
        int(row["id"]),
        str(row["title"]),
        tuple(str(row["units"]).split()),
        row["period_from"],
        row["period_to"],
        tuple(line for line in str(row["team"]).splitlines() if line.strip()),
        row["sample_seed"],
        row["sample_size"],
        str(row["status"]),
        str(row["created_by"]),
        acts,
    )


async def acts_in_scope(units: tuple[str, ...], start: datetime, end: datetime) -> list[int]:
    """Ids of acts signed in [start, end) concerning a unit within one of `units`."""
    tree = await repository.unit_tree()
    wanted = sorted({code for root in units for code in tree.descendants_or_self(root)})
    rows = (
        await Act.select(Act._meta.primary_key)
        .where(
            Act.unit.code.is_in(wanted or [""]) & (Act.signed_at >= start) & (Act.signed_at < end)
        )
        .order_by(Act._meta.primary_key)
    )
    return [int(r["id"]) for r in rows]


def sample(ids: list[int], size: int | None, seed: int | None) -> list[int]:
    """All ids, or `size` of them drawn with `seed`: the same seed draws the same acts."""
    if size is None or size >= len(ids):
        return list(ids)
    return sorted(random.Random(seed).sample(sorted(ids), size))


async def open_case(values: dict[str, str], actor: Actor) -> int:
    """Open a case from form or JSON fields: title, units, period_from, period_to, team,
    sample_size (empty: every act), sample_seed."""
    reader = FieldReader(values)
    title = reader.text("title", max_length=200)
    units = tuple(reader.words("units"))
    start = reader.instant("period_from")
    end = reader.instant("period_to")
    team = reader.text("team", required=False, max_length=2000, multiline=True)
    size = reader.integer("sample_size", maximum=1_000_000)
    seed = reader.integer("sample_seed", maximum=2**31 - 1)
    if not units:
        reader.refuse(ReasonCode.FIELD_REQUIRED, "units")
    tree = await repository.unit_tree()
    for unit in units:
        if unit not in tree:
            reader.refuse(ReasonCode.UNKNOWN_REFERENCE, "units", value=unit)
    if start and end and end <= start:
        reader.refuse(ReasonCode.END_NOT_AFTER_START, "period_to")
    if not reader.ok or start is None or end is None:
        raise Refused(reader.reasons)
    if size is not None and seed is None:
        seed = random.SystemRandom().randrange(2**31 - 1)
    chosen = sample(await acts_in_scope(units, start, end), size, seed)
    async with write_transaction():
        row = await InspectionCase.insert(
            InspectionCase(
                title=title,
                units=" ".join(units),
                period_from=start,
                period_to=end,
                team=team,
                sample_seed=seed,
                sample_size=size,
                created_by=actor.username[:80],
            )
        ).returning(InspectionCase._meta.primary_key)
        case_id = int(row[0]["id"])
        for begin in range(0, len(chosen), 500):
            await CaseAct.insert(
                *[CaseAct(case=case_id, act=a) for a in chosen[begin : begin + 500]]
            )
    return case_id


async def case_summary(case_id: int) -> CaseSummary:
    row = await InspectionCase.select().where(InspectionCase._meta.primary_key == case_id).first()
    if row is None:
        raise NotFound(f"case {case_id}")
    return _summary(row, await CaseAct.count().where(CaseAct.case == case_id))


async def list_cases() -> list[CaseSummary]:
    rows = await InspectionCase.select().order_by(InspectionCase._meta.primary_key, ascending=False)
    return [_summary(r, await CaseAct.count().where(CaseAct.case == r["id"])) for r in rows]


async def case_act_ids(case_id: int) -> list[int]:
    rows = await CaseAct.select(CaseAct.act).where(CaseAct.case == case_id).order_by(CaseAct.act)
    return [int(r["act"]) for r in rows]


async def findings(case_id: int) -> list[FindingRow]:
    rows = await Finding.select().where(Finding.case == case_id).order_by(Finding._meta.primary_key)
    return [
        FindingRow(
            r["id"],
            r["act"],
            r["legal_reference"],
            r["severity"],
            r["description"],
            r["response"],
            r["status"],
        )
        for r in rows
    ]


async def add_finding(case_id: int, values: dict[str, str], actor: Actor) -> int:
    """A finding: legal reference, severity, description, optional act, response and status."""
    await case_summary(case_id)
    reader = FieldReader(values)
    reference = reader.text("legal_reference", max_length=300)
    severity = reader.choice("severity", SEVERITIES, default="medium")
    status = reader.choice("status", FINDING_STATES, default="open")
    description = reader.text("description", required=False, max_length=5000, multiline=True)
    response = reader.text("response", required=False, max_length=5000, multiline=True)
    act = reader.integer("act")
    if act is not None and act not in await case_act_ids(case_id):
        reader.refuse(ReasonCode.UNKNOWN_REFERENCE, "act", value=act)
    if not reader.ok:
        raise Refused(reader.reasons)
    async with write_transaction():
        row = await Finding.insert(
            Finding(
                case=case_id,
                act=act,
                legal_reference=reference,
                severity=severity,
                description=description,
                response=response,
                status=status,
                created_by=actor.username[:80],
            )
        ).returning(Finding._meta.primary_key)
    return int(row[0]["id"])


async def update_finding(case_id: int, finding_id: int, values: dict[str, str]) -> None:
    """Record the unit's response and move the finding's status."""
    reader = FieldReader(values)
    status = reader.choice("status", FINDING_STATES, default="open")
    response = reader.text("response", required=False, max_length=5000, multiline=True)
    if not reader.ok:
        raise Refused(reader.reasons)
    async with write_transaction():
        found = await Finding.exists().where(
            (Finding._meta.primary_key == finding_id) & (Finding.case == case_id)
        )
        if not found:
            raise NotFound(f"finding {finding_id}")
        await Finding.update(
            {
                Finding.status: status,
                Finding.response: response,
                Finding.updated_at: datetime.now(UTC),
            }
        ).where(Finding._meta.primary_key == finding_id)


def refused_field(field: str, value: str) -> Refused:
    return Refused([Reason.of(ReasonCode.INVALID_CHOICE, field, value=value)])
