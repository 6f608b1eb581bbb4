"""Use cases of signed acts: record and trace one, read one, list them for inspectors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from registry.accounts.actor import Actor
from registry.acts.authority import LiveAuthority
from registry.acts.importing import lookups_for
from registry.acts.recording import record_traced
from registry.acts.records import ActInput
from registry.acts.tables import Act
from registry.acts.trace import missing_references, trace_act
from registry.acts.verdicts import VERDICTS, reasons_from_json
from registry.domain.reasons import Reason, ReasonCode
from registry.errors import NotFound, Refused
from registry.ledger.journal import LedgerSigner, default_signer

PAGE_SIZE = 50


async def record_act(
    act: ActInput, actor: Actor, *, signer: LedgerSigner | None = None, now: datetime | None = None
) -> int:
    """Trace one act with `check_authority` and record it; an act already recorded (same
    issuer, number and signing time) is not recorded twice: its id is returned."""
    existing = (
        await Act.select(Act._meta.primary_key).where(Act.natural_key == act.natural_key).first()
    )
    if existing is not None:
        return int(existing["id"])
    lookups = await lookups_for([act])
    missing = missing_references(act, lookups)
    if missing:
        raise Refused(
            [Reason.of(ReasonCode.UNKNOWN_REFERENCE, name, value=code) for name, code in missing]
        )
    trace = await trace_act(act, lookups, LiveAuthority())
    stored = await record_traced(
        [(act, trace)],
        lookups,
        by=actor.username,
        at=now or datetime.now(UTC),
        signer=signer or default_signer(),
    )
    return stored[act.natural_key][0]


@dataclass(frozen=True, slots=True)
class ActRow:
    """One line of the inspectors' list."""

    id: int
    number: str
    signed_at: datetime
    issuing_unit: str | None
    power: str | None
    signer: str | None
    signer_name: str | None
    signer_position: str | None
    signature_form: str
    unit: str | None
    verdict: str | None


@dataclass(frozen=True, slots=True)
class ActDetail:
    """An act with its frozen trace."""

    id: int
    number: str
    type: str
    issuing_unit: str | None
    power: str | None
    power_title: str | None
    signer: str | None
    signer_name: str | None
    signer_position: str | None
    signer_title: str | None
    signature_form: str
    signed_at: datetime
    unit: str | None
    sector: str
    act_type: str
    amount: int | None
    file_sha256: str | None
    verdict: str | None
    reasons: list[Reason]
    chain: list[dict[str, Any]]
    traced_at: datetime | None
    recorded_at: datetime
    recorded_by: str
    ledger_index: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "type": self.type,
            "issuing_unit": self.issuing_unit,
            "power": self.power,
            "signer": self.signer,
            "signer_name": self.signer_name,
            "signer_position": self.signer_position,
            "signature_form": self.signature_form,
            "signed_at": self.signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "unit": self.unit,
            "sector": self.sector,
            "act_type": self.act_type,
            "amount": self.amount,
            "file_sha256": self.file_sha256,
            "verdict": self.verdict,
            "reasons": [r.as_json() for r in self.reasons],
            "chain": self.chain,
            "ledger_index": self.ledger_index,
            "recorded_ledger_index": None if self.ledger_index is None else self.ledger_index - 1,
        }


_DETAIL_COLUMNS: tuple[Any, ...] = (
    *Act.all_columns(
        exclude=[Act.issuing_unit, Act.power, Act.signer, Act.signer_position, Act.unit]
    ),
    Act.issuing_unit.code.as_alias("issuing_unit_code"),
    Act.power.code.as_alias("power_code"),
    Act.power.title_vi.as_alias("power_title"),
    Act.signer.code.as_alias("signer_code"),
    Act.signer.display_name.as_alias("signer_name"),
    Act.signer_position.code.as_alias("position_code"),
    Act.signer_position.title_vi.as_alias("position_title"),
    Act.unit.code.as_alias("unit_code"),
)


async def act_detail(act_id: int) -> ActDetail:
    row = await Act.select(*_DETAIL_COLUMNS).where(Act._meta.primary_key == act_id).first()
    if row is None:
        raise NotFound(f"act {act_id}")
    return ActDetail(
        id=row["id"],
        number=row["number"],
        type=row["type"],
        issuing_unit=row["issuing_unit_code"],
        power=row["power_code"],
        power_title=row["power_title"],
        signer=row["signer_code"],
        signer_name=row["signer_name"],
        signer_position=row["position_code"],
        signer_title=row["position_title"],
        signature_form=row["signature_form"],
        signed_at=row["signed_at"],
        unit=row["unit_code"],
        sector=row["sector"],
        act_type=row["act_type"],
        amount=row["amount"],
        file_sha256=row["file_sha256"],
        verdict=row["verdict"],
        reasons=reasons_from_json(json.loads(row["reasons"] or "[]")),
        chain=json.loads(row["chain"] or "[]"),
        traced_at=row["traced_at"],
        recorded_at=row["recorded_at"],
        recorded_by=row["recorded_by"],
        ledger_index=row["ledger_index"],
    )


@dataclass(frozen=True, slots=True)
class ActFilters:
    """Filters of the list; empty strings mean none."""

    verdict: str = ""
    unit: str = ""
    power: str = ""
    month: str = ""

    def params(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("verdict", self.verdict),
                ("unit", self.unit),
                ("power", self.power),
                ("month", self.month),
            )
            if v
        }


def month_range(month: str) -> tuple[datetime, datetime] | None:
    """`2025-08` as the local (UTC+7) month, in UTC."""
    try:
        year, number = (int(part) for part in month.split("-", 1))
        start = datetime(year, number, 1, tzinfo=UTC)
    except ValueError:
        return None
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    local = timedelta(hours=7)
    return start - local, end - local


async def list_acts(
    filters: ActFilters, after: int | None = None
) -> tuple[list[ActRow], int | None]:
    """Newest first by id, a page at a time (keyset: ids below `after`)."""
    query = Act.select(
        Act._meta.primary_key,
        Act.number,
        Act.signed_at,
        Act.signature_form,
        Act.verdict,
        Act.issuing_unit.code.as_alias("issuing_unit_code"),
        Act.power.code.as_alias("power_code"),
        Act.signer.code.as_alias("signer_code"),
        Act.signer.display_name.as_alias("signer_name"),
        Act.signer_position.code.as_alias("position_code"),
        Act.unit.code.as_alias("unit_code"),
    )
    if filters.verdict in VERDICTS:
        query = query.where(Act.verdict == filters.verdict)
    if filters.unit:
        query = query.where(Act.unit.code == filters.unit)
    if filters.power:
        query = query.where(Act.power.code == filters.power)
    period = month_range(filters.month) if filters.month else None
    if period is not None:
        query = query.where((Act.signed_at >= period[0]) & (Act.signed_at < period[1]))
    if after is not None:
        query = query.where(Act._meta.primary_key < after)
    rows = await query.order_by(Act._meta.primary_key, ascending=False).limit(PAGE_SIZE + 1)
    page = [
        ActRow(
            r["id"],
            r["number"],
            r["signed_at"],
            r["issuing_unit_code"],
            r["power_code"],
            r["signer_code"],
            r["signer_name"],
            r["position_code"],
            r["signature_form"],
            r["unit_code"],
            r["verdict"],
        )
        for r in rows[:PAGE_SIZE]
    ]
    cursor = page[-1].id if len(rows) > PAGE_SIZE else None
    return page, cursor
