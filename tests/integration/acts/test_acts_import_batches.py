"""An import of many batches records each batch while tracing the next: the acts, their
entries and checkpoints come out in file order, as one batch after the other would leave them,
and a batch whose recording fails stops the import with nothing after it stored."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from registry.demo_province import DEMO_DIR

#: 227 demo acts in batches of 40: six batches, five recorded while the next is traced.
SMALL_BATCH = 40


async def test_acts_recorded_batch_by_batch_keep_file_order_entries_and_traces(
    demo_organisation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from registry.acts import importing
    from registry.acts.authority import PreloadedAuthority
    from registry.acts.lookups import Lookups
    from registry.acts.records import COLUMNS, read_act
    from registry.acts.tables import Act
    from registry.acts.trace import trace_act
    from registry.acts.verdicts import reasons_json
    from registry.importing.fields import FieldReader
    from registry.importing.reader import read_rows
    from registry.ledger.tables import Checkpoint, LedgerEntry
    from registry.ledger.verify import verify_stored_ledger

    monkeypatch.setattr(importing, "BATCH", SMALL_BATCH)
    checkpoints = await Checkpoint.count()
    report = await importing.import_acts_bytes((DEMO_DIR / "acts.csv").read_bytes(), "acts.csv")
    assert report.created == 227

    ids = [row.act_id for row in sorted(report.rows, key=lambda r: r.line)]
    assert ids == sorted(ids)  # stored in file order
    assert await Checkpoint.count() == checkpoints + 6  # one per batch
    stored = {r["id"]: r for r in await Act.select()}
    entries = {
        r["idx"]: r
        for r in await LedgerEntry.select(
            LedgerEntry.idx, LedgerEntry.event_type, LedgerEntry.payload
        )
    }
    authority = await PreloadedAuthority().load()
    lookups = await Lookups.load()
    rows = {row.act_id: row for row in report.rows}
    for act_id in ids:
        act = stored[act_id]
        traced, recorded = entries[act["ledger_index"]], entries[act["ledger_index"] - 1]
        assert (recorded["event_type"], traced["event_type"]) == ("act.recorded", "act.traced")
        payload: dict[str, Any] = json.loads(traced["payload"])
        assert payload["act"] == act_id == json.loads(recorded["payload"])["act"]
        assert payload["verdict"] == act["verdict"] == rows[act_id].verdict
        assert payload["chain"] == json.loads(act["chain"])
    # What is stored is what tracing each act afresh gives.
    by_key = {act["natural_key"]: act for act in stored.values()}
    for row in read_rows((DEMO_DIR / "acts.csv").read_bytes(), "acts.csv", COLUMNS):
        act_input = read_act(FieldReader(row.values))
        assert act_input is not None
        judgement = (await trace_act(act_input, lookups, authority)).judgement
        act = by_key[act_input.natural_key]
        assert act["verdict"] == str(judgement.verdict)
        assert json.loads(act["reasons"]) == reasons_json(judgement.reasons)
        assert json.loads(act["chain"]) == judgement.chain
    assert (await verify_stored_ledger()).ok


async def test_a_batch_whose_recording_fails_stops_the_import_after_the_batches_before(
    demo_organisation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from registry.acts import importing, recorders, sqlite_recording
    from registry.acts.tables import Act
    from registry.ledger.tables import Checkpoint, LedgerEntry
    from registry.ledger.verify import verify_stored_ledger

    monkeypatch.setattr(importing, "BATCH", SMALL_BATCH)
    entries, checkpoints = await LedgerEntry.count(), await Checkpoint.count()
    calls = 0

    def third_fails() -> bool:
        nonlocal calls
        calls += 1
        return calls == 3

    record = recorders.record_traced

    async def failing_record(*args: Any, **kwargs: Any) -> Any:  # PostgreSQL
        if third_fails():
            raise RuntimeError("disk full")
        return await record(*args, **kwargs)

    write = sqlite_recording.write_batch

    def failing_write(connection: Any, batch: Any, rebuild: Any) -> Any:  # SQLite's thread
        if third_fails():
            # Fails at the checkpoint, the transaction's last statement: acts, entries and
            # nodes are already in and must be rolled back.
            batch = dataclasses.replace(batch, checkpoint=("not", "a", "checkpoint"))
        return write(connection, batch, rebuild)

    monkeypatch.setattr(recorders, "record_traced", failing_record)
    monkeypatch.setattr(sqlite_recording, "write_batch", failing_write)
    with pytest.raises(Exception, match=r"disk full|bindings"):
        await importing.import_acts_bytes((DEMO_DIR / "acts.csv").read_bytes(), "acts.csv")
    assert calls == 3
    assert await Act.count() == 2 * SMALL_BATCH
    assert await LedgerEntry.count() == entries + 2 * 2 * SMALL_BATCH
    assert await Checkpoint.count() == checkpoints + 2
    assert (await verify_stored_ledger()).ok
    # Importing again records the rest, after the batches already there.
    report = await importing.import_acts_bytes((DEMO_DIR / "acts.csv").read_bytes(), "acts.csv")
    assert (report.unchanged, report.created) == (2 * SMALL_BATCH, 227 - 2 * SMALL_BATCH)
    assert (await verify_stored_ledger()).ok


async def test_kept_link_forms_and_signer_posts_equal_ones_made_afresh(
    demo_organisation: str,
) -> None:
    from registry.acts.authority import PreloadedAuthority, chain_json
    from registry.acts.lookups import Lookups
    from registry.acts.records import COLUMNS, read_act
    from registry.acts.trace import facts_of
    from registry.domain.parties import Party, PartyKind
    from registry.importing.fields import FieldReader
    from registry.importing.reader import read_rows

    authority = await PreloadedAuthority().load()
    lookups = await Lookups.load()
    chains = 0
    for row in read_rows((DEMO_DIR / "acts.csv").read_bytes(), "acts.csv", COLUMNS):
        act = read_act(FieldReader(row.values))
        assert act is not None
        signer = Party(PartyKind.OFFICIAL, act.signer)
        outcome = await authority.check(signer, act.power, facts_of(act), act.signed_at)
        for _ in range(2):  # converted, then taken from what was kept
            assert authority.chain_json(outcome.chain) == chain_json(outcome.chain)
        chains += bool(outcome.chain)
        if act.signer_position in lookups.positions:
            assert lookups.post(act.signer_position) == lookups._post(act.signer_position)
    assert chains > 100
