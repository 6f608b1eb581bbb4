"""Import grants with their later events (suspend, resume, revoke, renounce, amend) from JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from registry.accounts.actor import SYSTEM, Actor
from registry.authz.projection import deferred_projection
from registry.db import write_transaction
from registry.domain.reasons import Reason, ReasonCode
from registry.errors import RegistryError
from registry.grants import lifecycle
from registry.grants.reads import ImportReads
from registry.grants.services import make_grant, precheck_grant
from registry.grants.tables import Grant, GrantEvent
from registry.grants.writes import GatheredWrites
from registry.importing.fields import parse_instant
from registry.importing.reader import UnreadableFile, decode
from registry.importing.report import ImportReport
from registry.ledger.journal import LedgerSigner, default_signer, sign_checkpoint

Progress = Callable[[str, int, int | None], None]
#: Grants per write transaction: their policy rows are recomputed once per power at its end.
BATCH = 500
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


async def _known_grants() -> dict[tuple[str, str, str, datetime], int]:
    """Natural key of every grant (power, grantor, grantee, start) and its lineage."""
    rows = await Grant.select(
        Grant.lineage,
        Grant.power.code.as_alias("power_code"),
        Grant.grantor,
        Grant.grantee,
        Grant.valid_from,
    ).where(Grant.version == 1)
    return {
        (r["power_code"], r["grantor"], r["grantee"], r["valid_from"]): int(r["lineage"])
        for r in rows
    }


def _natural_key(item: dict[str, Any]) -> tuple[str, str, str, datetime] | None:
    start = _instant(item.get("valid_from"))
    if start is None:
        return None
    return (
        str(item.get("power", "")),
        str(item.get("grantor", "")),
        str(item.get("grantee", "")),
        start,
    )


async def import_grants(
    content: bytes,
    file_name: str,
    *,
    actor: Actor = SYSTEM,
    signer: LedgerSigner | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Each grant goes through the same rules as the form; a refused one is reported by position.

    Grants are recorded BATCH to a write transaction: the organisation and powers are read once
    for the whole import, new grants and their ledger entries are written together, each
    touched power's policy rows are recomputed once per batch, and one checkpoint is signed per
    batch.
    """
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
    run = _GrantImport(report, actor, signer, dry_run, await _known_grants())
    for start in range(0, len(items), BATCH):
        batch = list(enumerate(items[start : start + BATCH], start=start + 1))
        if dry_run:
            await run.batch(batch)
        else:
            async with write_transaction(), deferred_projection():
                await run.batch(batch)
                await run.writes.flush()
                if run.signed_at is not None:
                    await sign_checkpoint(signer or default_signer(), run.signed_at)
        if progress:
            progress("grants", batch[-1][0], len(items))
    return report


class _GrantImport:
    """One import: the report, the refs seen so far and the reads kept for the whole file."""

    def __init__(
        self,
        report: ImportReport,
        actor: Actor,
        signer: LedgerSigner | None,
        dry_run: bool,
        known: dict[tuple[str, str, str, datetime], int],
    ) -> None:
        self.report, self.actor, self.signer, self.dry_run = report, actor, signer, dry_run
        self.known = known
        self.lineages: dict[str, int] = {}
        self.reads = ImportReads()
        self.writes = GatheredWrites()
        #: when the batch's last grant was recorded: its checkpoint is signed then
        self.signed_at: datetime | None = None

    async def batch(self, batch: list[tuple[int, Any]]) -> None:
        self.signed_at = None
        for position, item in batch:
            if not isinstance(item, dict):
                self.report.refuse(
                    position, [Reason.of(ReasonCode.INVALID_FORMAT, "file", line=position)]
                )
                continue
            unknown = sorted(set(item) - GRANT_FIELDS)
            if unknown:
                self.report.refuse(
                    position, [Reason.of(ReasonCode.UNKNOWN_FIELD, unknown[0], value=unknown[0])]
                )
                continue
            await self.one(item, position)

    async def one(self, item: dict[str, Any], position: int) -> None:
        report = self.report
        ref = str(item.get("ref") or position)
        key = _natural_key(item)
        if key is not None and key in self.known:
            self.lineages[ref] = self.known[key]
            report.unchanged += 1
            return
        values = {
            k: v for k, v in item.items() if k not in {"ref", "parent_ref", "events", "recorded_at"}
        }
        parent_ref = item.get("parent_ref")
        if parent_ref:
            if parent_ref not in self.lineages:
                report.refuse(
                    position,
                    [Reason.of(ReasonCode.UNKNOWN_REFERENCE, "parent_ref", value=str(parent_ref))],
                )
                return
            values["parent"] = self.lineages[parent_ref]
        now = _instant(item.get("recorded_at"))
        if self.dry_run:
            _, reasons = await precheck_grant(values, self.actor, now=now, reads=self.reads)
            if reasons:
                report.refuse(position, reasons)
            else:
                report.created += 1
            return
        try:
            outcome = await make_grant(
                values,
                self.actor,
                now=now,
                signer=self.signer,
                reads=self.reads,
                writes=self.writes,
                checkpoint=False,
            )
        except RegistryError as exc:
            report.refuse(position, [r for r in exc.reasons if isinstance(r, Reason)])
            return
        assert outcome.lineage is not None
        self.lineages[ref] = outcome.lineage
        record = outcome.record
        self.known[
            (record.power, str(record.grantor), str(record.grantee), record.validity.valid_from)
        ] = outcome.lineage
        self.signed_at = record.created_at
        report.created += 1
        if item.get("events"):
            # Lifecycle steps read the grant's row and append to the ledger themselves.
            await self.writes.flush()
        for event in item.get("events") or []:
            await _apply_event(outcome.lineage, event, position, report, self.actor, self.signer)
            self.reads.forget(record.power)


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
