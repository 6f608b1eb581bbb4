"""Use cases of the organisation: one transaction each, state change and ledger entry together.

Fields are read with the importers' own parsers, so a form, the JSON API and a CSV file refuse the
same input with the same reason codes and publish the same ledger payloads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from registry.accounts.actor import Actor
from registry.authz.engine import EVERYTHING
from registry.authz.projection import bump_policy_version
from registry.db import write_transaction
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.units import UnitTree
from registry.errors import AccessReason, Conflict, Forbidden, InvalidInput, NotFound, Refused
from registry.grants.repository import unit_tree
from registry.importing.engine import Importer, Record
from registry.importing.fields import FieldReader
from registry.importing.service import importer_for
from registry.ledger.events import EventType
from registry.ledger.journal import EntryFilters, PendingEntry, append_entries, sign_checkpoint
from registry.ledger.journal import default_signer as _default_signer
from registry.organisation.tables import Assignment, Instrument, Official, Position, Unit
from registry.organisation.uploads import Upload, UploadReason, check_upload, store_file


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _require_domain(actor: Actor, units: Iterable[str | None], tree: UnitTree) -> None:
    """Admins act anywhere; a registrar only within the subtrees of their units."""
    if actor.is_admin:
        return
    for unit in units:
        if unit is None or not actor.may_act_for_unit("registrar", unit, tree):
            raise Forbidden(f"unit {unit or '-'} is outside your domain")


async def _publish(entries: Sequence[PendingEntry], at: datetime) -> None:
    await append_entries(entries)
    # Positions, appointments and units decide who acts as whom: checks reload their facts.
    await bump_policy_version([])
    await sign_checkpoint(_default_signer(), at)


async def _parse(kind: str, fields: Mapping[str, Any]) -> tuple[Importer, Record]:
    importer = importer_for(kind)
    await importer.prepare()
    reader = FieldReader({k: v for k, v in fields.items() if k in importer.columns})
    record = importer.parse(reader)
    if record is None or not reader.ok:
        raise InvalidInput(reader.reasons)
    return importer, record


def _conflict(field: str, value: str) -> Conflict:
    return Conflict([AccessReason("CONFLICT", field, detail=value)])


async def _create(
    kind: str,
    fields: Mapping[str, Any],
    at: datetime,
    domain: Any,
    also: Callable[[Record], Awaitable[None]] | None = None,
) -> Record:
    """Parse with the importer of `kind`, check the domain, insert and publish in one go;
    `also` writes what else belongs to the same change, in the same transaction."""
    importer, record = await _parse(kind, fields)
    key = importer.key(record)
    if importer.existing(key) is not None:
        raise _conflict("code" if kind != "instruments" else "number", key)
    await domain(record)
    async with write_transaction():
        entries = await importer.write([record], [], at)
        if also is not None:
            await also(record)
        await _publish(entries, at)
    return record


# ---------------------------------------------------------------- units


async def create_unit(actor: Actor, fields: Mapping[str, Any], now: datetime | None = None) -> str:
    tree = await unit_tree()

    async def domain(record: Record) -> None:
        _require_domain(actor, [record["parent_code"]], tree)

    record = await _create("units", fields, _now(now), domain)
    return str(record["code"])


async def update_unit(
    actor: Actor, code: str, fields: Mapping[str, Any], now: datetime | None = None
) -> None:
    """Rename or move a unit; its code, kind and dates stay."""
    at = _now(now)
    importer = importer_for("units")
    await importer.prepare()
    stored = importer.existing(code)
    if stored is None:
        raise NotFound(f"unit {code}")
    merged = {**_as_fields(stored), **{k: v for k, v in fields.items() if k in importer.columns}}
    merged["code"] = code
    _, record = await _parse("units", merged)
    tree = await unit_tree()
    parent = record["parent_code"]
    if parent and tree.is_within(parent, code):
        raise Refused([Reason.of(ReasonCode.UNKNOWN_REFERENCE, "parent_code", value=parent)])
    _require_domain(actor, [code, parent or stored["parent_code"]], tree)
    if record == stored:
        return
    async with write_transaction():
        await Unit.update(
            {
                Unit.name_vi: record["name_vi"],
                Unit.name_en: record["name_en"],
                Unit.parent: await _unit_id(parent) if parent else None,
            }
        ).where(Unit.code == code)
        facts = {**record, "parent": parent, "at": _iso(at)}
        for key in ("valid_from", "valid_to"):
            facts[key] = _iso(record[key])
        entry = PendingEntry(EventType.UNIT_CHANGED, facts, at, EntryFilters(unit_code=code))
        await _publish([entry], at)


def _as_fields(record: Record) -> dict[str, Any]:
    return {k: (_iso(v) if isinstance(v, datetime) else v) for k, v in record.items()}


def _iso(value: datetime | None) -> str | None:
    from registry.domain.validity import utc_string

    return utc_string(value) if value is not None else None


async def _unit_id(code: str) -> int:
    row = await Unit.select(Unit._meta.primary_key).where(Unit.code == code).first()
    if row is None:
        raise Refused([Reason.of(ReasonCode.UNKNOWN_REFERENCE, "parent_code", value=code)])
    return int(row["id"])


@dataclass(frozen=True, slots=True)
class UnitEnd:
    """A merger (with `merged_into`) or a dissolution of a unit, from `at` on."""

    code: str
    at: datetime
    merged_into: str | None
    instrument: str | None


async def read_unit_end(code: str, fields: Mapping[str, Any], merge: bool) -> UnitEnd:
    """Check the form of a merger or dissolution without storing anything (the preview)."""
    reader = FieldReader(fields)
    at = reader.instant("at")
    target = reader.code("merged_into") if merge else ""
    number = reader.text("instrument_number", required=False, max_length=80)
    if not reader.ok or at is None:
        raise InvalidInput(reader.reasons)
    unit = await Unit.select(Unit.valid_from, Unit.valid_to).where(Unit.code == code).first()
    if unit is None:
        raise NotFound(f"unit {code}")
    reasons: list[Reason] = []
    if unit["valid_to"] is not None and unit["valid_to"] <= at:
        reasons.append(Reason.of(ReasonCode.INVALID_DATE, "at"))
    if at <= unit["valid_from"]:
        reasons.append(Reason.of(ReasonCode.END_NOT_AFTER_START, "at"))
    if merge:
        row = await Unit.select(Unit.valid_from, Unit.valid_to).where(Unit.code == target).first()
        alive = (
            row is not None
            and row["valid_from"] <= at
            and (row["valid_to"] is None or row["valid_to"] > at)
        )
        if target == code or not alive:
            reasons.append(Reason.of(ReasonCode.UNKNOWN_REFERENCE, "merged_into", value=target))
    if number and not await Instrument.exists().where(Instrument.number == number):
        reasons.append(Reason.of(ReasonCode.UNKNOWN_REFERENCE, "instrument_number", value=number))
    if reasons:
        raise Refused(reasons)
    return UnitEnd(code, at, target or None, number or None)


async def end_unit(
    actor: Actor, code: str, fields: Mapping[str, Any], *, merge: bool, now: datetime | None = None
) -> UnitEnd:
    """Merge a unit into another or dissolve it; the row and its history are kept."""
    end = await read_unit_end(code, fields, merge)
    _require_domain(actor, [code, end.merged_into or code], await unit_tree())
    recorded = _now(now)
    async with write_transaction():
        await Unit.update(
            {
                Unit.valid_to: end.at,
                Unit.merged_into: await _unit_id(end.merged_into) if end.merged_into else None,
            }
        ).where(Unit.code == code)
        facts: dict[str, Any] = {"code": code, "at": _iso(end.at), "instrument": end.instrument}
        event = EventType.UNIT_DISSOLVED
        if end.merged_into:
            facts["merged_into"] = end.merged_into
            event = EventType.UNIT_MERGED
        entry = PendingEntry(event, facts, recorded, EntryFilters(unit_code=code))
        await _publish([entry], recorded)
        # The unit tree changed: every worker reloads the authority rows and its tree.
        await bump_policy_version([EVERYTHING])
    return end


# ---------------------------------------------------------------- positions and officials


async def create_position(
    actor: Actor, fields: Mapping[str, Any], now: datetime | None = None
) -> str:
    tree = await unit_tree()

    async def domain(record: Record) -> None:
        _require_domain(actor, [record["unit_code"]], tree)

    record = await _create("positions", fields, _now(now), domain)
    return str(record["code"])


async def _official_units(code: str) -> list[str]:
    rows = await Assignment.select(Assignment.position._.unit._.code.as_alias("unit_code")).where(
        Assignment.official.code == code
    )
    return sorted({r["unit_code"] for r in rows})


async def create_official(
    actor: Actor, fields: Mapping[str, Any], now: datetime | None = None
) -> str:
    async def domain(record: Record) -> None:
        return None

    record = await _create("officials", fields, _now(now), domain)
    return str(record["code"])


async def update_official(
    actor: Actor, code: str, fields: Mapping[str, Any], now: datetime | None = None
) -> None:
    """Change names or private contact fields; only the public ones reach the ledger."""
    at = _now(now)
    importer = importer_for("officials")
    await importer.prepare()
    stored = importer.existing(code)
    if stored is None:
        raise NotFound(f"official {code}")
    units = await _official_units(code)
    if units and not actor.is_admin:
        tree = await unit_tree()
        if not any(actor.may_act_for_unit("registrar", u, tree) for u in units):
            raise Forbidden(f"official {code} works outside your domain")
    _, record = await _parse("officials", {**stored, **fields, "code": code})
    if record == stored:
        return
    async with write_transaction():
        await _publish(await importer.write([], [record], at), at)


# ---------------------------------------------------------------- assignments


async def _find_assignment(official: str, position: str, at: datetime) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await Assignment.select(
            Assignment._meta.primary_key, Assignment.valid_from, Assignment.valid_to
        )
        .where(
            (Assignment.official.code == official)
            & (Assignment.position.code == position)
            & (Assignment.valid_from < at)
            & (Assignment.valid_to.is_null() | (Assignment.valid_to >= at))
        )
        .first()
    )
    return row


async def _units_of_positions(codes: Iterable[str]) -> list[str]:
    rows = await Position.select(Position.unit.code.as_alias("unit_code")).where(
        Position.code.is_in(sorted(set(codes)))
    )
    return [r["unit_code"] for r in rows]


async def appoint(actor: Actor, fields: Mapping[str, Any], now: datetime | None = None) -> Record:
    """Appoint an official; with `transfer_from` (a position code) end that post at the same
    instant, in the same transaction, so there is never a moment with both or neither."""
    at = _now(now)
    importer, record = await _parse("assignments", fields)
    if importer.existing(importer.key(record)) is not None:
        raise _conflict("valid_from", importer.key(record))
    leaving = str(fields.get("transfer_from") or "").strip()
    ended: Record | None = None
    if leaving:
        old = await _find_assignment(record["official_code"], leaving, record["valid_from"])
        if old is None:
            raise Refused([Reason.of(ReasonCode.UNKNOWN_REFERENCE, "transfer_from", value=leaving)])
        ended = importer.existing(f"{record['official_code']}@{leaving}@{_iso(old['valid_from'])}")
        if ended is not None:
            ended = {**ended, "valid_to": record["valid_from"]}
    positions = [record["position_code"], *([leaving] if leaving else [])]
    _require_domain(actor, await _units_of_positions(positions), await unit_tree())
    async with write_transaction():
        entries = await importer.write([], [ended], at) if ended is not None else []
        entries += await importer.write([record], [], at)
        await _publish(entries, at)
    return record


async def read_vacancy(fields: Mapping[str, Any]) -> Record:
    """Check the end of an assignment without storing it (the confirmation page uses it)."""
    reader = FieldReader(fields)
    official = reader.code("official_code")
    position = reader.code("position_code")
    at = reader.instant("at")
    if not reader.ok or at is None:
        raise InvalidInput(reader.reasons)
    importer = importer_for("assignments")
    await importer.prepare()
    old = await _find_assignment(official, position, at)
    if old is None:
        raise Refused([Reason.of(ReasonCode.UNKNOWN_REFERENCE, "position_code", value=position)])
    stored = importer.existing(f"{official}@{position}@{_iso(old['valid_from'])}")
    if stored is None:
        raise NotFound(f"assignment {official}@{position}")
    return {**stored, "valid_to": at}


async def end_assignment(
    actor: Actor, fields: Mapping[str, Any], now: datetime | None = None
) -> Record:
    """End an assignment with no successor: the position falls vacant at `at`."""
    at = _now(now)
    record = await read_vacancy(fields)
    _require_domain(actor, await _units_of_positions([record["position_code"]]), await unit_tree())
    importer = importer_for("assignments")
    await importer.prepare()
    async with write_transaction():
        await _publish(await importer.write([], [record], at), at)
    return record


# ---------------------------------------------------------------- instruments and files


async def record_instrument(
    actor: Actor,
    fields: Mapping[str, Any],
    upload: Upload | None,
    data_dir: Path,
    now: datetime | None = None,
) -> Record:
    at = _now(now)
    digest = check_upload(upload) if upload is not None else ""
    tree = await unit_tree()

    async def domain(record: Record) -> None:
        _require_domain(actor, [record["issuing_unit_code"] or None], tree)

    async def file_path(record: Record) -> None:
        await Instrument.update({Instrument.file_path: f"files/{digest}"}).where(
            Instrument.number == record["number"]
        )

    if upload is None:
        return await _create("instruments", fields, at, domain)
    store_file(data_dir, digest, upload.content)
    fields = {**fields, "file_sha256": digest}
    return await _create("instruments", fields, at, domain, also=file_path)


async def attach_file(
    actor: Actor, number: str, upload: Upload, data_dir: Path, now: datetime | None = None
) -> str:
    """Attach the signed PDF of an instrument already recorded; returns its SHA-256."""
    at = _now(now)
    digest = check_upload(upload)
    importer = importer_for("instruments")
    await importer.prepare()
    stored = importer.existing(number)
    if stored is None:
        raise NotFound(f"instrument {number}")
    _require_domain(actor, [stored["issuing_unit_code"] or None], await unit_tree())
    store_file(data_dir, digest, upload.content)
    record = {**stored, "file_sha256": digest}
    async with write_transaction():
        entries = await importer.write([], [record], at)
        await Instrument.update({Instrument.file_path: f"files/{digest}"}).where(
            Instrument.number == number
        )
        await _publish(entries, at)
    return digest


# ---------------------------------------------------------------- powers


async def define_power(actor: Actor, fields: Mapping[str, Any], now: datetime | None = None) -> str:
    """Add a power to the catalogue (admins: the route asks for powers/create)."""
    tree = await unit_tree()

    async def domain(record: Record) -> None:
        _require_domain(actor, [record["holder"].partition(":")[2].split(".")[0]], tree)

    record = await _create("powers", fields, _now(now), domain)
    return str(record["code"])


async def official_exists(code: str) -> bool:
    return bool(await Official.exists().where(Official.code == code))


# ---------------------------------------------------------------- previews and the import page


async def preview_unit_end(
    actor: Actor, code: str, fields: Mapping[str, Any], *, merge: bool
) -> tuple[UnitEnd, list[Any]]:
    """What a merger or dissolution would do: the grants it would leave orphaned."""
    from registry.organisation.party_grants import orphans_among, unit_parties

    end = await read_unit_end(code, fields, merge)
    _require_domain(actor, [code, end.merged_into or code], await unit_tree())
    orphans = await orphans_among(
        await unit_parties(code),
        end.at,
        lambda facts: facts.with_unit_ended(code, end.at, end.merged_into),
    )
    return end, orphans


async def preview_vacancy(actor: Actor, fields: Mapping[str, Any]) -> tuple[Record, list[Any]]:
    """What ending an assignment with no successor would leave orphaned."""
    from registry.organisation.party_grants import orphans_among

    record = await read_vacancy(fields)
    position = record["position_code"]
    _require_domain(actor, await _units_of_positions([position]), await unit_tree())
    at = record["valid_to"]
    orphans = await orphans_among(
        {f"position:{position}"},
        at,
        lambda facts: facts.with_assignment_ended(position, record["official_code"], at),
    )
    return record, orphans


async def official_for_edit(actor: Actor, code: str) -> Record:
    """The official with private fields, for admins and registrars of a unit they work in."""
    importer = importer_for("officials")
    await importer.prepare()
    stored = importer.existing(code)
    if stored is None:
        raise NotFound(f"official {code}")
    units = await _official_units(code)
    if units and not actor.is_admin:
        tree = await unit_tree()
        if not any(actor.may_act_for_unit("registrar", u, tree) for u in units):
            raise Forbidden(f"official {code} works outside your domain")
    return stored


IMPORT_KINDS = ("units", "positions", "officials", "instruments", "assignments", "powers")


async def import_upload(
    actor: Actor,
    kind: str,
    upload: Upload,
    *,
    dry_run: bool,
    progress: Any = None,
) -> Any:
    """Import a file from the browser. A file may touch any unit, so only admins and registrars
    of the whole province (`*`) may run it; powers need an admin."""
    from registry.importing.service import import_bytes

    if kind not in IMPORT_KINDS:
        raise InvalidInput([Reason.of(ReasonCode.INVALID_CHOICE, "kind", value=kind[:40])])
    whole_province = actor.is_admin or "*" in actor.role_units("registrar")
    if not whole_province or (kind == "powers" and not actor.is_admin):
        raise Forbidden("bulk import needs an administrator or a province-wide registrar")
    if not upload.content:
        raise InvalidInput([UploadReason("FILE_EMPTY", "file")])
    return await import_bytes(
        kind, upload.content, upload.file_name or f"{kind}.csv", dry_run=dry_run, progress=progress
    )
