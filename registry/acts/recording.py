"""Store traced acts with their frozen chain and reasons, and publish them to the ledger,
in one write transaction per batch."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from registry.acts.lookups import Lookups
from registry.acts.records import ActInput
from registry.acts.tables import Act
from registry.acts.trace import Trace
from registry.acts.verdicts import WITHIN_AUTHORITY, reasons_json
from registry.db import is_postgres, write_transaction
from registry.domain.reasons import Reason
from registry.ledger.events import EventType
from registry.ledger.journal import (
    EntryFilters,
    LedgerSigner,
    PendingEntry,
    append_entries,
    ledger_size,
    sign_checkpoint,
)


def _recorded_facts(act_id: int, act: ActInput, lookups: Lookups) -> dict[str, Any]:
    official = lookups.officials.get(act.signer)
    return {
        "act": act_id,
        "number": act.number,
        "type": act.type,
        "issuing_unit": act.issuing_unit,
        "power": act.power,
        "signer": act.signer,
        "signer_name": official[1] if official else None,
        "signer_position": act.signer_position,
        "signature_form": act.signature_form,
        "signed_at": act.signed_at_utc,
        "unit": act.unit,
        "sector": act.sector,
        "act_type": act.act_type,
        "amount": act.amount,
        "file_sha256": act.file_sha256,
    }


def _traced_facts(act_id: int, act: ActInput, trace: Trace) -> dict[str, Any]:
    judgement = trace.judgement
    return {
        "act": act_id,
        "number": act.number,
        "power": act.power,
        "signer": act.signer,
        "signer_position": act.signer_position,
        "signed_at": act.signed_at_utc,
        "unit": act.unit,
        "verdict": str(judgement.verdict),
        "reasons": reasons_json(judgement.reasons),
        "chain": judgement.chain,
    }


#: Columns written for each act, in the order of `_values`.
ACT_COLUMNS = (
    "natural_key", "number", "type", "issuing_unit", "power", "signer", "signer_position",
    "signature_form", "signed_at", "unit", "sector", "act_type", "amount", "file_sha256",
    "verdict", "reasons", "chain", "traced_at", "recorded_at", "recorded_by", "ledger_index",
)  # fmt: skip


def _status(verdict: str) -> str:
    """The ledger's status filter column holds 20 characters: the longest verdicts do not fit,
    so entries are filed as within or outside authority (the payload names the verdict)."""
    return verdict if verdict == "within_authority" else "outside_authority"


def _json(value: object) -> str:
    # Stored copy of what the ledger publishes; the ledger entry carries the canonical form.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


#: The stored reasons of nine acts in ten.
_WITHIN_AUTHORITY_TEXT = _json(reasons_json([WITHIN_AUTHORITY]))


def _reasons_text(reasons: list[Reason]) -> str:
    if len(reasons) == 1 and reasons[0] is WITHIN_AUTHORITY:
        return _WITHIN_AUTHORITY_TEXT
    return _json(reasons_json(reasons))


def stored_json(value: object) -> str:
    """The stored copy of a chain or reasons (the ledger entry carries the canonical form)."""
    return _json(value)


def _values(
    act: ActInput,
    trace: Trace,
    lookups: Lookups,
    at: datetime,
    by: str,
    index: int,
    chain_text: Callable[[list[dict[str, Any]]], str] = stored_json,
) -> tuple[Any, ...]:
    position = lookups.positions.get(act.signer_position)
    official = lookups.officials.get(act.signer)
    issuing = lookups.units.get(act.issuing_unit)
    unit = lookups.units.get(act.unit)
    return (
        act.natural_key,
        act.number,
        act.type,
        issuing.id if issuing else None,
        lookups.powers.get(act.power),
        official[0] if official else None,
        position.id if position else None,
        act.signature_form,
        act.signed_at,
        unit.id if unit else None,
        act.sector,
        act.act_type,
        act.amount,
        act.file_sha256,
        str(trace.judgement.verdict),
        _reasons_text(trace.judgement.reasons),
        chain_text(trace.judgement.chain),
        at,
        at,
        by[:80],
        index,
    )


def act_rows(
    traced: Sequence[tuple[ActInput, Trace]],
    lookups: Lookups,
    *,
    at: datetime,
    by: str,
    size: int,
    chain_text: Callable[[list[dict[str, Any]]], str] = stored_json,
) -> list[tuple[Any, ...]]:
    """The act rows of a batch recorded after the ledger's first `size` entries."""
    return [
        _values(act, trace, lookups, at, by, size + 2 * position + 1, chain_text)
        for position, (act, trace) in enumerate(traced)
    ]


def ledger_entries(
    traced: Sequence[tuple[ActInput, Trace]], ids: Sequence[int], lookups: Lookups, at: datetime
) -> list[PendingEntry]:
    """Each act's two entries (recorded, traced), in the batch's order."""
    entries: list[PendingEntry] = []
    for (act, trace), act_id in zip(traced, ids, strict=True):
        filters = EntryFilters(
            power_code=act.power,
            unit_code=act.unit,
            sector=act.sector,
            status=_status(str(trace.judgement.verdict)),
            act_id=act_id,
        )
        entries.append(
            PendingEntry(
                EventType.ACT_RECORDED,
                _recorded_facts(act_id, act, lookups),
                at,
                filters,
                act.number,
            )
        )
        entries.append(
            PendingEntry(
                EventType.ACT_TRACED, _traced_facts(act_id, act, trace), at, filters, act.number
            )
        )
    return entries


async def _insert_acts(transaction: Any, rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """One prepared INSERT run for every row (Piccolo builds a statement per object, which cost
    more than the trace itself); the new ids are read back by the natural key."""
    columns = ", ".join(ACT_COLUMNS)
    if is_postgres():
        marks = ", ".join(f"${i}" for i in range(1, len(ACT_COLUMNS) + 1))
    else:
        marks = ", ".join("?" for _ in ACT_COLUMNS)
    last = await Act.raw("SELECT MAX(id) AS last FROM act")
    since = int(last[0]["last"] or 0) if last else 0
    await transaction.connection.executemany(f"INSERT INTO act ({columns}) VALUES ({marks})", rows)
    found = await Act.raw("SELECT id, natural_key FROM act WHERE id > {}", since)
    return {r["natural_key"]: int(r["id"]) for r in found}


async def record_traced(
    traced: Sequence[tuple[ActInput, Trace]],
    lookups: Lookups,
    *,
    by: str,
    at: datetime,
    signer: LedgerSigner,
) -> dict[str, tuple[int, int]]:
    """Insert the acts and their two ledger entries each (recorded, traced), then sign a
    checkpoint. Returns natural key -> (act id, index of its `act.traced` entry)."""
    if not traced:
        return {}
    async with write_transaction() as transaction:
        size = await ledger_size()
        ids = await _insert_acts(transaction, act_rows(traced, lookups, at=at, by=by, size=size))
        indexes = await append_entries(
            ledger_entries(traced, [ids[act.natural_key] for act, _trace in traced], lookups, at)
        )
        if indexes[0] != size:
            raise RuntimeError("the ledger moved under a write transaction")
        await sign_checkpoint(signer, at)
    return {
        act.natural_key: (ids[act.natural_key], size + 2 * position + 1)
        for position, (act, _trace) in enumerate(traced)
    }
