"""Importing acts: bad rows reported by line and the good ones kept, idempotent re-import,
files in the wrong encoding refused, two ledger entries per act, JSON accepted."""

from __future__ import annotations

import json
from typing import Any

HEADER = (
    "number,type,issuing_unit_code,power_code,signer_official_code,signer_position_code,"
    "signature_form,signed_at,unit_code,sector,act_type,amount,expected_verdict\n"
)
GOOD = (
    "52/QĐ-XPHC,decision,UBND-T,XD-03,CB-0005,UBND-T.PCT2,KT,2025-07-03T08:06:00Z,XA-AN-PHU,"
    "xay_dung,quyet_dinh_xu_phat,246000000,within_authority\n"
)
GOOD_2 = (
    "21/GPMT-UBND,decision,UBND-T,MT-01,CB-0017,SNNMT.GD,TUQ,2025-07-10T03:00:00Z,XA-TAM-HOP,"
    "moi_truong,cap_giay_phep_moi_truong,,within_authority\n"
)
BAD_DATE = GOOD_2.replace("21/GPMT-UBND", "22/GPMT-UBND").replace("2025-07-10T03:00:00Z", "hôm qua")
BAD_FORM = GOOD_2.replace("21/GPMT-UBND", "23/GPMT-UBND").replace(",TUQ,", ",XYZ,")
UNKNOWN_SIGNER = GOOD_2.replace("21/GPMT-UBND", "24/GPMT-UBND").replace("CB-0017", "CB-9999")


async def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_kept(
    demo_organisation: str,
) -> None:
    from registry.acts.importing import import_acts_bytes
    from registry.acts.tables import Act

    content = (HEADER + GOOD + BAD_DATE + GOOD_2 + BAD_FORM + GOOD).encode("utf-8")
    report = await import_acts_bytes(content, "acts.csv")
    assert report.created == 2
    problems = {(p.line, str(p.reason.code), p.reason.field) for p in report.problems}
    assert problems == {
        (3, "INVALID_DATE", "signed_at"),
        (5, "INVALID_CHOICE", "signature_form"),
        (6, "DUPLICATE_IN_FILE", "number"),
    }
    assert await Act.count() == 2
    assert report.verdicts == {"within_authority": 2}


async def test_importing_the_same_file_twice_records_each_act_once(demo_organisation: str) -> None:
    from registry.acts.importing import import_acts_bytes
    from registry.ledger.tables import LedgerEntry

    content = (HEADER + GOOD + GOOD_2).encode("utf-8-sig")
    first = await import_acts_bytes(content, "acts.csv")
    entries = await LedgerEntry.count()
    second = await import_acts_bytes(content, "acts.csv")
    assert (first.created, first.unchanged) == (2, 0)
    assert (second.created, second.unchanged) == (0, 2)
    assert [r.act_id for r in first.rows] == [r.act_id for r in second.rows]
    assert await LedgerEntry.count() == entries


async def test_each_act_gets_a_recorded_and_a_traced_entry_with_public_fields_only(
    demo_organisation: str,
) -> None:
    from registry.acts.importing import import_acts_bytes
    from registry.acts.tables import Act
    from registry.ledger.tables import LedgerEntry

    before = await LedgerEntry.count()
    await import_acts_bytes((HEADER + GOOD).encode(), "acts.csv")
    act = await Act.select(Act.id, Act.ledger_index).first()
    assert act is not None
    rows = await LedgerEntry.select(LedgerEntry.idx, LedgerEntry.event_type, LedgerEntry.payload)
    mine = [r for r in rows if r["idx"] >= before]
    assert [r["event_type"] for r in mine] == ["act.recorded", "act.traced"]
    assert mine[1]["idx"] == act["ledger_index"]
    recorded = json.loads(mine[0]["payload"])
    assert recorded["signer_name"] and "staff_number" not in mine[0]["payload"]
    assert "@" not in mine[0]["payload"]


async def test_a_file_not_in_utf8_is_refused_whole(demo_organisation: str) -> None:
    from registry.acts.importing import import_acts_bytes
    from registry.acts.tables import Act

    report = await import_acts_bytes((HEADER + GOOD).encode("cp1258"), "acts.csv")
    assert [str(p.reason.code) for p in report.problems] == ["FILE_NOT_UTF8"]
    assert await Act.count() == 0


async def test_an_act_naming_an_unknown_signer_is_refused_with_its_line_and_not_stored(
    demo_organisation: str,
) -> None:
    from registry.acts.importing import import_acts_bytes
    from registry.acts.tables import Act
    from registry.ledger.tables import LedgerEntry

    acts_before, entries_before = await Act.count(), await LedgerEntry.count()
    report = await import_acts_bytes((HEADER + UNKNOWN_SIGNER).encode(), "acts.csv")
    (row,) = report.rows
    assert row.status == "refused"
    assert [(str(p.reason.code), p.reason.field) for p in report.problems] == [
        ("UNKNOWN_REFERENCE", "signer"),
    ]
    assert report.problems[0].line == row.line
    assert (await Act.count(), await LedgerEntry.count()) == (acts_before, entries_before)


async def test_json_import_over_the_api_answers_for_each_row(
    client: Any, inspector: dict[str, str]
) -> None:
    rows = [
        {
            "number": "52/QĐ-XPHC",
            "type": "decision",
            "issuing_unit_code": "UBND-T",
            "power_code": "XD-03",
            "signer_official_code": "CB-0005",
            "signer_position_code": "UBND-T.PCT2",
            "signature_form": "KT",
            "signed_at": "2025-07-03T08:06:00Z",
            "unit_code": "XA-AN-PHU",
            "sector": "xay_dung",
            "act_type": "quyet_dinh_xu_phat",
            "amount": 246000000,
        },
        {"number": "x", "signed_at": "không rõ"},
    ]
    answer = await client.post(
        "/api/v1/acts/import?file_name=acts.json",
        content=json.dumps(rows).encode(),
        headers=inspector,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [r["status"] for r in body["rows"]] == ["created", "refused"]
    assert body["rows"][0]["verdict"] == "within_authority"
    assert {r["code"] for r in body["rows"][1]["reasons"]} >= {"FIELD_REQUIRED", "INVALID_DATE"}


async def test_recording_acts_needs_the_permission(client: Any, demo_organisation: str) -> None:
    answer = await client.post("/api/v1/acts", json={})
    assert answer.status_code == 401
    answer = await client.get("/api/v1/acts/1")
    assert answer.status_code == 401
