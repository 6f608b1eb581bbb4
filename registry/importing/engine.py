"""Run an import: parse every row, keep the good ones, write them in chunks with ledger entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from piccolo.columns import Column

from registry.db import write_transaction
from registry.domain.reasons import Reason, ReasonCode
from registry.importing.fields import FieldReader
from registry.importing.reader import NumberedRow, UnreadableFile, read_rows
from registry.importing.report import ImportReport
from registry.ledger.journal import LedgerSigner, PendingEntry, append_entries, sign_checkpoint

Progress = Callable[[str, int, int | None], None]
Record = dict[str, Any]
CHUNK = 2000


def column_values(record: Record) -> dict[Column | str, Any]:
    """The record's values in the key type `Table.update` takes; its dict type is invariant."""
    return dict(record.items())


class Importer(Protocol):
    """What one kind of file (units, officials, ...) must tell the engine."""

    kind: str
    columns: frozenset[str]

    async def prepare(self) -> None:
        """Load the lookups (codes to ids) and the existing records once."""

    def parse(self, reader: FieldReader) -> Record | None:
        """Typed record of a row, or None with reasons left on the reader."""

    def key(self, record: Record) -> str:
        """The natural key: unit code, power code, (official, position, start)..."""

    def existing(self, key: str) -> Record | None:
        """The stored record with this key, in the same shape as `parse` returns."""

    async def write(
        self, creates: Sequence[Record], updates: Sequence[Record], at: datetime
    ) -> list[PendingEntry]:
        """Store the records (inside the caller's transaction) and say what to publish."""


async def run_import(
    importer: Importer,
    content: bytes,
    file_name: str,
    *,
    signer: LedgerSigner,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    report = ImportReport(kind=importer.kind, dry_run=dry_run)
    await importer.prepare()
    try:
        rows: list[NumberedRow] = list(read_rows(content, file_name, importer.columns))
    except UnreadableFile as exc:
        report.refuse(0, [exc.reason])
        return report
    at = now or datetime.now(UTC)
    pending_creates: list[Record] = []
    pending_updates: list[Record] = []
    seen: dict[str, int] = {}
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        reader = FieldReader(row.values)
        record = importer.parse(reader)
        if record is None or not reader.ok:
            report.refuse(
                row.line,
                reader.reasons or [Reason.of(ReasonCode.INVALID_FORMAT, "file", line=row.line)],
            )
            continue
        key = importer.key(record)
        if key in seen:
            report.refuse(
                row.line,
                [Reason.of(ReasonCode.DUPLICATE_IN_FILE, "code", value=key, line=seen[key])],
            )
            continue
        seen[key] = row.line
        stored = importer.existing(key)
        if stored is None:
            report.created += 1
            pending_creates.append(record)
        elif stored == record:
            report.unchanged += 1
        else:
            report.updated += 1
            pending_updates.append(record)
        if not dry_run and len(pending_creates) + len(pending_updates) >= CHUNK:
            await _flush(importer, pending_creates, pending_updates, at, signer)
            pending_creates, pending_updates = [], []
        if progress and (done % 1000 == 0 or done == total):
            progress(importer.kind, done, total)
    if not dry_run:
        await _flush(importer, pending_creates, pending_updates, at, signer)
    return report


async def _flush(
    importer: Importer,
    creates: list[Record],
    updates: list[Record],
    at: datetime,
    signer: LedgerSigner,
) -> None:
    if not creates and not updates:
        return
    async with write_transaction():
        entries = await importer.write(creates, updates, at)
        await append_entries(entries)
        await sign_checkpoint(signer, at)
