"""Rebuild the public state from the ledger alone, into an empty migrated database."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from piccolo.columns import Column
from piccolo.table import Table

from registry.db import bind_engine, current_engine, engine_for, write_transaction
from registry.domain.kinds import KIND_RULES, GrantKind
from registry.domain.validity import parse_utc_string
from registry.ledger.tables import Checkpoint, LedgerEntry, MerkleNode
from registry.settings import DatabaseSettings
from registry.tables import (
    Act,
    Assignment,
    Grant,
    GrantEvent,
    Instrument,
    Official,
    Position,
    Power,
    Unit,
)

Progress = Callable[[str, int, int | None], None]
CopiedTable = TypeVar("CopiedTable", bound=Table)


def _t(value: Any) -> datetime | None:
    return parse_utc_string(value) if value else None


class _Ids:
    """Codes to ids in the database being rebuilt."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[str, int]] = {}

    async def of(self, table: Any, key_column: Any, key: str | None) -> int | None:
        if not key:
            return None
        cache = self.maps.setdefault(table._meta.tablename, {})
        if key not in cache:
            row = await table.select(table.id).where(key_column == key).first()
            if row is None:
                return None
            cache[key] = row["id"]
        return cache[key]


class Replayer:
    """Applies each public event to the state tables, as the services did."""

    def __init__(self) -> None:
        self.ids = _Ids()
        self.grant_rows: dict[tuple[int, int], int] = {}

    async def apply(self, event: str, payload: dict[str, Any], at: datetime) -> None:
        handler = getattr(self, "on_" + event.replace(".", "_"), None)
        if handler is not None:
            await handler(payload, at)

    async def _upsert(self, table: Any, key_column: Any, key: str, values: dict[str, Any]) -> None:
        if await table.exists().where(key_column == key):
            await table.update(values).where(key_column == key)
        else:
            rows = await table.insert(table(**values))
            self.ids.maps.setdefault(table._meta.tablename, {})[key] = rows[0]["id"]

    async def on_unit_recorded(self, p: dict[str, Any], at: datetime) -> None:
        await self._upsert(
            Unit,
            Unit.code,
            p["code"],
            {
                "code": p["code"],
                "name_vi": p["name_vi"],
                "name_en": p.get("name_en") or "",
                "kind": p["kind"],
                "tier": p["tier"],
                "parent": await self.ids.of(Unit, Unit.code, p.get("parent")),
                "works_collectively": bool(p.get("works_collectively")),
                "valid_from": _t(p["valid_from"]),
                "valid_to": _t(p.get("valid_to")),
                "merged_into": await self.ids.of(Unit, Unit.code, p.get("merged_into")),
            },
        )

    on_unit_changed = on_unit_recorded

    async def on_unit_merged(self, p: dict[str, Any], at: datetime) -> None:
        await Unit.update(
            {
                Unit.valid_to: _t(p["at"]),
                Unit.merged_into: await self.ids.of(Unit, Unit.code, p.get("merged_into")),
            }
        ).where(Unit.code == p["code"])

    on_unit_dissolved = on_unit_merged

    async def on_position_recorded(self, p: dict[str, Any], at: datetime) -> None:
        await self._upsert(
            Position,
            Position.code,
            p["code"],
            {
                "code": p["code"],
                "unit": await self.ids.of(Unit, Unit.code, p["unit"]),
                "title_vi": p["title_vi"],
                "title_en": p.get("title_en") or "",
                "is_head": bool(p.get("is_head")),
                "is_deputy": bool(p.get("is_deputy")),
                "valid_from": _t(p["valid_from"]),
                "valid_to": _t(p.get("valid_to")),
            },
        )

    async def on_official_recorded(self, p: dict[str, Any], at: datetime) -> None:
        await self._upsert(
            Official,
            Official.code,
            p["code"],
            {
                "code": p["code"],
                "full_name": p["full_name"],
                "display_name": p["display_name"],
            },
        )

    async def on_instrument_recorded(self, p: dict[str, Any], at: datetime) -> None:
        await self._upsert(
            Instrument,
            Instrument.number,
            p["number"],
            {
                "number": p["number"],
                "type": p["type"],
                "normative": bool(p.get("normative")),
                "title_vi": p.get("title_vi") or "",
                "title_en": p.get("title_en") or "",
                "issuing_unit": await self.ids.of(Unit, Unit.code, p.get("issuing_unit")),
                "signer": await self.ids.of(Official, Official.code, p.get("signer")),
                "signer_position": await self.ids.of(
                    Position, Position.code, p.get("signer_position")
                ),
                "signature_form": p.get("signature_form") or "direct",
                "signed_at": _t(p["signed_at"]),
                "effective_from": _t(p.get("effective_from")),
                "effective_to": _t(p.get("effective_to")),
                "file_sha256": p.get("file_sha256"),
                "public": True,
            },
        )

    async def on_assignment_made(self, p: dict[str, Any], at: datetime) -> None:
        official = await self.ids.of(Official, Official.code, p["official"])
        position = await self.ids.of(Position, Position.code, p["position"])
        start = _t(p.get("valid_from"))
        valid_to = _t(p.get("valid_to"))
        instrument = await self.ids.of(Instrument, Instrument.number, p.get("instrument"))
        where = (
            (
                (Assignment.official == official)
                & (Assignment.position == position)
                & (Assignment.valid_from == start)
            )
            if start
            else None
        )
        if where is not None and await Assignment.exists().where(where):
            changes: dict[Column | str, Any] = {
                Assignment.official: official,
                Assignment.position: position,
                Assignment.valid_to: valid_to,
                Assignment.instrument: instrument,
            }
            await Assignment.update(changes).where(where)
        elif start is not None:
            await Assignment.insert(
                Assignment(
                    official=official,
                    position=position,
                    valid_from=start,
                    valid_to=valid_to,
                    instrument=instrument,
                )
            )

    async def on_assignment_ended(self, p: dict[str, Any], at: datetime) -> None:
        if p.get("valid_from"):
            await self.on_assignment_made(p, at)
            return
        official = await self.ids.of(Official, Official.code, p["official"])
        position = await self.ids.of(Position, Position.code, p["position"])
        await Assignment.update({Assignment.valid_to: _t(p.get("valid_to"))}).where(
            (Assignment.official == official)
            & (Assignment.position == position)
            & Assignment.valid_to.is_null()
        )

    async def on_power_defined(self, p: dict[str, Any], at: datetime) -> None:
        await self._upsert(
            Power,
            Power.code,
            p["code"],
            {
                "code": p["code"],
                "title_vi": p["title_vi"],
                "title_en": p.get("title_en") or "",
                "sector": p["sector"],
                "legal_basis": await self.ids.of(
                    Instrument, Instrument.number, p.get("legal_basis")
                ),
                "legal_basis_article": p.get("legal_basis_article") or "",
                "holder": p["holder"],
                "holder_unit": await self.ids.of(Unit, Unit.code, p.get("holder_unit")),
                "act_types": " ".join(p.get("act_types") or []),
                "grant_kinds": " ".join(p.get("grant_kinds") or []),
                "non_delegable": bool(p.get("non_delegable")),
                "max_depth": int(p.get("max_depth") or 0),
                "amount_ceiling": p.get("amount_ceiling"),
                "exclusive": bool(p.get("exclusive")),
                "valid_from": _t(p["valid_from"]),
                "valid_to": _t(p.get("valid_to")),
            },
        )

    async def _grant_values(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "lineage": p["grant"],
            "version": p["version"],
            "kind": p["kind"],
            "power": await self.ids.of(Power, Power.code, p["power"]),
            "grantor": p["grantor"],
            "grantee": p["grantee"],
            "parent_lineage": p.get("parent"),
            "depth": p["depth"],
            "territory": " ".join(p["territory"]),
            "sectors": " ".join(p.get("sectors") or []),
            "act_types": " ".join(p.get("act_types") or []),
            "amount_ceiling": p.get("amount_ceiling"),
            "valid_from": _t(p["valid_from"]),
            "valid_to": _t(p.get("valid_to")),
            "may_pass_on": bool(p["may_pass_on"]),
            "conditions_vi": p.get("conditions_vi") or "",
            "conditions_en": p.get("conditions_en") or "",
            "responsible": KIND_RULES[GrantKind(p["kind"])].responsible,
            "instrument": await self.ids.of(Instrument, Instrument.number, p.get("instrument")),
            "recorded_by": p.get("recorded_by") or "",
            "recorded_for": p.get("recorded_for") or "",
        }

    async def _event(self, p: dict[str, Any], event: str, index: int | None = None) -> None:
        row = self.grant_rows[(p["grant"], p["version"])]
        await GrantEvent.insert(
            GrantEvent(
                lineage=p["grant"],
                grant=row,
                event=event,
                at=_t(p["at"]),
                actor=p.get("recorded_by") or "",
                reason=p.get("reason") or "",
                instrument=None
                if event == "made"
                else await self.ids.of(Instrument, Instrument.number, p.get("instrument")),
            )
        )

    async def on_grant_made(self, p: dict[str, Any], at: datetime) -> None:
        rows = await Grant.insert(Grant(**await self._grant_values(p), recorded_at=at))
        self.grant_rows[(p["grant"], p["version"])] = rows[0]["id"]
        await self._event(p, "made")

    async def on_grant_amended(self, p: dict[str, Any], at: datetime) -> None:
        when = _t(p["at"])
        previous = self.grant_rows[(p["grant"], p["version"] - 1)]
        await Grant.update({Grant.state: "superseded", Grant.ended_at: when}).where(
            Grant.id == previous
        )
        values = await self._grant_values(p)
        state = await Grant.select(Grant.state).where(Grant.id == previous).first() or {}
        rows = await Grant.insert(
            Grant(
                **values,
                previous_version=previous,
                effective_from=when,
                recorded_at=at,
                state="active" if state.get("state") != "suspended" else "suspended",
            )
        )
        self.grant_rows[(p["grant"], p["version"])] = rows[0]["id"]
        await self._event(p, "amended")

    async def _state(self, p: dict[str, Any], state: str, event: str, ends: bool) -> None:
        row = self.grant_rows[(p["grant"], p["version"])]
        values: dict[Any, Any] = {Grant.state: state}
        if ends:
            values[Grant.ended_at] = _t(p["at"])
        await Grant.update(values).where(Grant.id == row)
        await self._event(p, event)

    async def on_grant_suspended(self, p: dict[str, Any], at: datetime) -> None:
        await self._state(p, "suspended", "suspended", ends=False)

    async def on_grant_resumed(self, p: dict[str, Any], at: datetime) -> None:
        await self._state(p, "active", "resumed", ends=False)

    async def on_grant_revoked(self, p: dict[str, Any], at: datetime) -> None:
        await self._state(p, "revoked", "revoked", ends=True)

    async def on_grant_renounced(self, p: dict[str, Any], at: datetime) -> None:
        await self._state(p, "renounced", "renounced", ends=True)

    async def on_act_recorded(self, p: dict[str, Any], at: datetime) -> None:
        signed_at = p["signed_at"]
        await Act.insert(
            Act(
                natural_key=f"{p.get('issuing_unit') or ''}|{p['number']}|{signed_at}",
                number=p["number"],
                type=p.get("type") or "",
                issuing_unit=await self.ids.of(Unit, Unit.code, p.get("issuing_unit")),
                power=await self.ids.of(Power, Power.code, p.get("power")),
                signer=await self.ids.of(Official, Official.code, p.get("signer")),
                signer_position=await self.ids.of(
                    Position, Position.code, p.get("signer_position")
                ),
                signature_form=p.get("signature_form") or "direct",
                signed_at=_t(signed_at),
                unit=await self.ids.of(Unit, Unit.code, p.get("unit")),
                sector=p.get("sector") or "",
                act_type=p.get("act_type") or "",
                amount=p.get("amount"),
                file_sha256=p.get("file_sha256"),
                recorded_at=at,
            )
        )

    async def on_act_traced(self, p: dict[str, Any], at: datetime) -> None:
        from registry.ledger.canonical import canonical_json

        await (
            Act.update(
                {
                    Act.verdict: p.get("verdict"),
                    Act.reasons: canonical_json(p.get("reasons") or []).decode(),
                    Act.chain: canonical_json(p.get("chain") or []).decode(),
                    Act.traced_at: at,
                }
            )
            .where(Act.number == p["number"])
            .where(Act.signed_at == _t(p["signed_at"]))
        )


async def _read_ledger() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    entries = await LedgerEntry.select().order_by(LedgerEntry.idx)
    nodes = await MerkleNode.select().order_by(MerkleNode.level).order_by(MerkleNode.idx)
    checkpoints = await Checkpoint.select().order_by(Checkpoint.tree_size)
    return entries, nodes, checkpoints


async def replay_entries(entries: list[dict[str, Any]], progress: Progress | None = None) -> None:
    """Apply the entries to the (empty) bound database, in order, in one transaction."""
    replayer = Replayer()
    async with write_transaction():
        for done, entry in enumerate(entries, start=1):
            await replayer.apply(
                entry["event_type"],
                json.loads(entry["payload"]),
                parse_utc_string(entry["recorded_at"]),
            )
            if progress and (done % 500 == 0 or done == len(entries)):
                progress("replay", done, len(entries))


async def _copy_rows(table: type[CopiedTable], rows: list[dict[str, Any]]) -> None:
    """Insert the source rows as they are, minus the id and the derived search column."""
    batch = [
        table(**{k: v for k, v in row.items() if k not in {"id", "search_tsv"}}) for row in rows
    ]
    for start in range(0, len(batch), 500):
        await table.insert(*batch[start : start + 500])


async def replay_into(target_url: str, progress: Progress | None = None) -> str:
    """`registry ledger replay URL`: migrate the target, copy the ledger, rebuild the state."""
    from registry.authz.projection import rebuild_policy

    source = current_engine()
    entries, nodes, checkpoints = await _read_ledger()
    env = {**os.environ, "REGISTRY_DATABASE_URL": target_url}
    migrated = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "registry.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if migrated.returncode != 0:
        raise RuntimeError(migrated.stderr)
    target = engine_for(DatabaseSettings(url=target_url))
    bind_engine(target)
    try:
        if await LedgerEntry.count() or await Unit.count():
            raise RuntimeError("the target database is not empty")
        async with write_transaction():
            await _copy_rows(LedgerEntry, entries)
            await _copy_rows(MerkleNode, nodes)
            await _copy_rows(Checkpoint, checkpoints)
        await replay_entries(entries, progress)
        await rebuild_policy(apply=True)
    finally:
        bind_engine(source)
    return f"Đã dựng lại / replayed {len(entries)} entries into the target database"
