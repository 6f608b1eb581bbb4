"""Import grants with their later events (suspend, resume, revoke, renounce, amend) from JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from registry.accounts.actor import SYSTEM, Actor
from registry.domain.reasons import Reason, ReasonCode
from registry.errors import RegistryError
from registry.grants import lifecycle
from registry.grants.services import make_grant
from registry.grants.tables import Grant, GrantEvent
from registry.importing.fields import parse_instant
from registry.importing.reader import UnreadableFile, decode
from registry.importing.report import ImportReport
from registry.ledger.journal import LedgerSigner

Progress = Callable[[str, int, int | None], None]
GRANT_FIELDS = frozenset(
    [
        "ref",
        "kind",
        "power",
        "grantor",
        "grantee",
        "parent_ref",
        "parent",
        "scope",
        "valid_from",
        "valid_to",
        "may_pass_on",
        "conditions_vi",
        "conditions_en",
        "instrument",
        "recorded_at",
        "recorded_for",
        "events",
    ]
)
EVENT_ACTIONS = {
    "suspend": lifecycle.suspend_grant,
    "resume": lifecycle.resume_grant,
    "renounce": lifecycle.renounce_grant,
    "amend": lifecycle.amend_grant,
}


def _instant(value: Any) -> datetime | None:
    return parse_instant(str(value), ZoneInfo("Asia/Ho_Chi_Minh")) if value else None


async def _existing_lineage(item: dict[str, Any]) -> int | None:
    """Natural key of a grant: power, grantor, grantee, start and instrument."""
    start = _instant(item.get("valid_from"))
    if start is None:
        return None
    row = (
        await Grant.select(Grant.lineage)
        .where(
            (Grant.power.code == str(item.get("power", "")))
            & (Grant.grantor == str(item.get("grantor", "")))
            & (Grant.grantee == str(item.get("grantee", "")))
            & (Grant.valid_from == start)
            & (Grant.version == 1)
        )
        .first()
    )
    return None if row is None else int(row["lineage"])


async def import_grants(
    content: bytes,
    file_name: str,
    *,
    actor: Actor = SYSTEM,
    signer: LedgerSigner | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Each grant goes through the same rules as the form; a refused one is reported by position."""
    report = ImportReport(kind="grants", dry_run=dry_run)
    try:
        items = json.loads(decode(content))
    except UnreadableFile as exc:
        report.refuse(0, [exc.reason])
        return report
    except json.JSONDecodeError as exc:
        report.refuse(exc.lineno, [Reason.of(ReasonCode.INVALID_FORMAT, "file", line=exc.lineno)])
        return report
    if not isinstance(items, list):
        report.refuse(1, [Reason.of(ReasonCode.INVALID_FORMAT, "file", line=1)])
        return report
    lineages: dict[str, int] = {}
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            report.refuse(position, [Reason.of(ReasonCode.INVALID_FORMAT, "file", line=position)])
            continue
        unknown = sorted(set(item) - GRANT_FIELDS)
        if unknown:
            report.refuse(
                position, [Reason.of(ReasonCode.UNKNOWN_FIELD, unknown[0], value=unknown[0])]
            )
            continue
        await _import_one(item, position, lineages, report, actor, signer, dry_run)
        if progress and (position % 100 == 0 or position == len(items)):
            progress("grants", position, len(items))
    return report


async def _import_one(
    item: dict[str, Any],
    position: int,
    lineages: dict[str, int],
    report: ImportReport,
    actor: Actor,
    signer: LedgerSigner | None,
    dry_run: bool,
) -> None:
    ref = str(item.get("ref") or position)
    existing = await _existing_lineage(item)
    if existing is not None:
        lineages[ref] = existing
        report.unchanged += 1
        return
    values = {
        k: v for k, v in item.items() if k not in {"ref", "parent_ref", "events", "recorded_at"}
    }
    parent_ref = item.get("parent_ref")
    if parent_ref:
        if parent_ref not in lineages:
            report.refuse(
                position,
                [Reason.of(ReasonCode.UNKNOWN_REFERENCE, "parent_ref", value=str(parent_ref))],
            )
            return
        values["parent"] = lineages[parent_ref]
    if dry_run:
        from registry.grants.services import precheck_grant

        _, reasons = await precheck_grant(values, actor, now=_instant(item.get("recorded_at")))
        if reasons:
            report.refuse(position, reasons)
        else:
            report.created += 1
        return
    try:
        outcome = await make_grant(
            values, actor, now=_instant(item.get("recorded_at")), signer=signer
        )
    except RegistryError as exc:
        report.refuse(position, [r for r in exc.reasons if isinstance(r, Reason)])
        return
    assert outcome.lineage is not None
    lineages[ref] = outcome.lineage
    report.created += 1
    for event in item.get("events") or []:
        await _apply_event(outcome.lineage, event, position, report, actor, signer)


async def _apply_event(
    lineage: int,
    event: dict[str, Any],
    position: int,
    report: ImportReport,
    actor: Actor,
    signer: LedgerSigner | None,
) -> None:
    kind = str(event.get("type", ""))
    at = _instant(event.get("at"))
    values = {
        "at": event.get("at"),
        "reason": event.get("reason_vi") or event.get("reason") or "",
        "instrument": event.get("instrument") or "",
        **(event.get("changes") or {}),
    }
    try:
        if kind == "revoke":
            await lifecycle.revoke_grant(lineage, values, actor, now=at, signer=signer)
        elif kind in EVENT_ACTIONS:
            await EVENT_ACTIONS[kind](lineage, values, actor, now=at, signer=signer)
        else:
            report.refuse(
                position, [Reason.of(ReasonCode.INVALID_CHOICE, "events.type", value=kind)]
            )
    except RegistryError as exc:
        report.refuse(position, [r for r in exc.reasons if isinstance(r, Reason)])


async def grant_event_count() -> int:
    return await GrantEvent.count()
