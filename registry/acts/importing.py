"""Import signed acts from CSV or JSON: read every row, keep the good ones, trace each and
record it with its ledger entries, about 2,000 acts per write transaction; idempotent."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from registry.accounts.actor import SYSTEM, Actor
from registry.acts.authority import Authority, LiveAuthority, PreloadedAuthority
from registry.acts.lookups import Lookups
from registry.acts.recorders import Recorder, recorder_for
from registry.acts.records import COLUMNS, ActInput, read_act
from registry.acts.tables import Act
from registry.acts.trace import Trace, missing_references, trace_act
from registry.domain.reasons import Reason, ReasonCode
from registry.heap import collection_paused
from registry.importing.fields import FieldReader
from registry.importing.reader import UnreadableFile, read_rows
from registry.importing.report import ImportReport
from registry.ledger.journal import LedgerSigner, default_signer

Progress = Callable[[str, int, int | None], None]
#: Acts per write transaction.
BATCH = 2000
#: From this many acts on, the authority data is read once instead of per act.
PRELOAD_FROM = 200
#: While a batch is being recorded, the trace of the next one lets it run this often (acts).
YIELD_EVERY = 20


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What became of one row: created, unchanged (already recorded) or refused."""

    line: int
    status: str
    act_id: int | None = None
    verdict: str | None = None
    number: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "line": self.line,
            "status": self.status,
            "act_id": self.act_id,
            "verdict": self.verdict,
            "number": self.number,
        }


@dataclass(slots=True)
class ActImportReport(ImportReport):
    """The import report with each row's outcome and the count of each verdict."""

    rows: list[RowOutcome] = field(default_factory=list)
    verdicts: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, object]:
        problems: dict[int, list[object]] = {}
        for problem in self.problems:
            problems.setdefault(problem.line, []).append(problem.reason.as_json())
        return {
            **ImportReport.as_json(self),
            "verdicts": dict(sorted(self.verdicts.items())),
            "rows": [{**row.as_json(), "reasons": problems.get(row.line, [])} for row in self.rows],
        }


async def _existing(keys: list[str]) -> dict[str, tuple[int, str | None]]:
    found: dict[str, tuple[int, str | None]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for r in await Act.select(Act._meta.primary_key, Act.natural_key, Act.verdict).where(
            Act.natural_key.is_in(chunk)
        ):
            found[r["natural_key"]] = (r["id"], r["verdict"])
    return found


async def authority_for(count: int) -> Authority:
    return await PreloadedAuthority().load() if count >= PRELOAD_FROM else LiveAuthority()


async def lookups_for(acts: list[ActInput]) -> Lookups:
    if len(acts) >= PRELOAD_FROM:
        return await Lookups.load()
    return await Lookups.load(
        officials=[a.signer for a in acts],
        positions=[a.signer_position for a in acts],
        units=[code for a in acts for code in (a.unit, a.issuing_unit)],
        powers=[a.power for a in acts],
    )


async def import_acts_bytes(
    content: bytes,
    file_name: str,
    *,
    actor: Actor = SYSTEM,
    progress: Progress | None = None,
    signer: LedgerSigner | None = None,
    now: datetime | None = None,
) -> ActImportReport:
    """Import, trace and record; rows already recorded (same natural key) are left as they are."""
    report = ActImportReport(kind="acts")
    try:
        rows = list(read_rows(content, file_name, COLUMNS))
    except UnreadableFile as exc:
        report.refuse(0, [exc.reason])
        return report
    good: list[tuple[int, ActInput]] = []
    seen: dict[str, int] = {}
    for row in rows:
        reader = FieldReader(row.values)
        act = read_act(reader)
        if act is None:
            report.refuse(row.line, reader.reasons)
            report.rows.append(
                RowOutcome(row.line, "refused", number=str(row.values.get("number", "")))
            )
            continue
        if act.natural_key in seen:
            report.refuse(
                row.line,
                [
                    Reason.of(
                        ReasonCode.DUPLICATE_IN_FILE,
                        "number",
                        value=act.number,
                        line=seen[act.natural_key],
                    )
                ],
            )
            report.rows.append(RowOutcome(row.line, "refused", number=act.number))
            continue
        seen[act.natural_key] = row.line
        good.append((row.line, act))
    existing = await _existing([act.natural_key for _line, act in good])
    fresh = [(line, act) for line, act in good if act.natural_key not in existing]
    for line, act in good:
        if act.natural_key in existing:
            act_id, verdict = existing[act.natural_key]
            report.unchanged += 1
            report.rows.append(RowOutcome(line, "unchanged", act_id, verdict, act.number))
    total = len(rows)
    done = total - len(fresh)
    if progress:
        progress("acts", done, total)
    if not fresh:
        report.rows.sort(key=lambda r: r.line)
        return report
    at = now or datetime.now(UTC)
    lookups = await lookups_for([act for _line, act in fresh])
    # An act naming a signer, position, power or unit the registry does not know is a bad row:
    # reported with its line and reason, and not stored (the good rows still are).
    known: list[tuple[int, ActInput]] = []
    for line, act in fresh:
        missing = missing_references(act, lookups)
        if missing:
            report.refuse(
                line,
                [
                    Reason.of(ReasonCode.UNKNOWN_REFERENCE, name, value=code)
                    for name, code in missing
                ],
            )
            report.rows.append(RowOutcome(line, "refused", number=act.number))
        else:
            known.append((line, act))
    fresh = known
    done = total - len(fresh)
    if not fresh:
        report.rows.sort(key=lambda r: r.line)
        return report
    authority = await authority_for(len(fresh))
    recorder = await recorder_for(lookups, actor.username, at, signer or default_signer())
    try:
        with collection_paused():
            await _trace_and_record(
                fresh, lookups, authority, report, recorder, progress, done, total
            )
    finally:
        await recorder.close()
    report.rows.sort(key=lambda r: r.line)
    return report


async def _trace_and_record(
    fresh: list[tuple[int, ActInput]],
    lookups: Lookups,
    authority: Authority,
    report: ActImportReport,
    recorder: Recorder,
    progress: Progress | None,
    done: int,
    total: int,
) -> None:
    """Trace batch after batch; each batch is recorded while the next one is traced, one write
    transaction at a time and in file order, so the rows and the ledger are those of recording
    one batch after the other. A batch that fails stops the import: none after it starts."""
    recording: asyncio.Future[dict[str, tuple[int, int]]] | None = None
    previous: tuple[list[tuple[int, ActInput]], list[tuple[ActInput, Trace]]] | None = None
    try:
        for start in range(0, len(fresh), BATCH):
            batch = fresh[start : start + BATCH]
            traced: list[tuple[ActInput, Trace]] = []
            for position, (_line, act) in enumerate(batch):
                traced.append((act, await trace_act(act, lookups, authority)))
                if recording is not None and position % YIELD_EVERY == 0:
                    # The recording task sends its next statement (or, with a writer thread,
                    # a server answers its other requests).
                    await asyncio.sleep(0)
            prepared = recorder.prepare(traced)
            if recording is not None and previous is not None:
                done += _report(report, *previous, await recording)
                if progress:
                    progress("acts", done, total)
            recording = recorder.start(prepared)
            previous = (batch, traced)
        if recording is not None and previous is not None:
            done += _report(report, *previous, await recording)
            recording = None
            if progress:
                progress("acts", done, total)
    finally:
        if recording is not None and not recording.done():
            # A batch being written by a thread ends as it would have; a task is cancelled.
            recording.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recording


def _report(
    report: ActImportReport,
    batch: list[tuple[int, ActInput]],
    traced: list[tuple[ActInput, Trace]],
    stored: dict[str, tuple[int, int]],
) -> int:
    for (line, act), (_act, trace) in zip(batch, traced, strict=True):
        verdict = str(trace.judgement.verdict)
        report.created += 1
        report.verdicts[verdict] += 1
        report.rows.append(
            RowOutcome(line, "created", stored[act.natural_key][0], verdict, act.number)
        )
    return len(batch)


async def import_acts_file(path: Path, *, progress: Progress | None = None) -> ActImportReport:
    """`registry acts import FILE`."""
    content = await asyncio.to_thread(path.read_bytes)
    return await import_acts_bytes(content, path.name, progress=progress)
