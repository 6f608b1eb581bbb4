"""Inspectors' pages without JavaScript, coverage on a scenario, drift, cases and an evidence
bundle that `tools/verify_ledger.py --file` verifies."""

from __future__ import annotations

import asyncio
import io
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from registry.demo_province import DEMO_DIR

ROOT = Path(__file__).resolve().parents[3]


async def load_demo_acts() -> None:
    from registry.acts.importing import import_acts_bytes

    report = await import_acts_bytes((DEMO_DIR / "acts.csv").read_bytes(), "acts.csv")
    assert report.created == 227


async def csrf(client: Any, headers: dict[str, str], path: str) -> dict[str, str]:
    await client.get(path, headers=headers)
    return {**headers, "x-csrftoken": client.cookies.get("csrftoken", "")}


async def test_acts_list_filters_and_pages_by_keyset(
    client: Any, inspector: dict[str, str]
) -> None:
    await load_demo_acts()
    page = await client.get("/inspect/acts", headers=inspector)
    assert page.status_code == 200
    assert len(re.findall(r'href="/inspect/acts/\d+"', page.text)) == 50
    assert 'rel="next"' in page.text
    expired = await client.get("/inspect/acts?verdict=grant_expired", headers=inspector)
    assert expired.text.count('data-verdict="grant_expired"') == 4
    month = await client.get("/inspect/acts?month=2025-07&unit=XA-AN-PHU", headers=inspector)
    assert month.status_code == 200


async def test_act_page_shows_verdict_reasons_and_the_chain_as_svg(
    client: Any, inspector: dict[str, str]
) -> None:
    from registry.acts.tables import Act

    await load_demo_acts()
    row = await Act.select(Act.id).where(Act.number == "52/QĐ-XPHC").first()
    assert row is not None
    page = await client.get(f"/inspect/acts/{row['id']}", headers=inspector)
    assert page.status_code == 200
    assert "<svg" in page.text and "position:UBND-T.PCT2" in page.text
    assert 'data-verdict="within_authority"' in page.text
    assert "<script" not in page.text.split("<main", 1)[1]


async def test_recording_an_act_in_the_form_redirects_to_its_page(
    client: Any, inspector: dict[str, str]
) -> None:
    headers = await csrf(client, inspector, "/inspect/acts/new")
    form = {
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
        "amount": "246000000",
    }
    answer = await client.post("/inspect/acts/new", data=form, headers=headers)
    assert answer.status_code == 303
    page = await client.get(answer.headers["location"], headers=inspector)
    assert 'data-verdict="within_authority"' in page.text
    # The sector in words, in the visitor's language, with its code beside it.
    vietnamese = await client.get(
        answer.headers["location"], headers={**inspector, "Accept-Language": "vi"}
    )
    assert "Xây dựng <code>xay_dung</code>" in vietnamese.text
    english = await client.get(
        answer.headers["location"], headers={**inspector, "Accept-Language": "en"}
    )
    assert "Construction <code>xay_dung</code>" in english.text
    refused = await client.post(
        "/inspect/acts/new", data={**form, "signed_at": "x"}, headers=headers
    )
    assert refused.status_code == 422 and "INVALID_DATE" in refused.text


async def test_upload_page_shows_the_import_report(client: Any, inspector: dict[str, str]) -> None:
    headers = await csrf(client, inspector, "/inspect/import")
    content = (DEMO_DIR / "acts.csv").read_bytes()
    answer = await client.post(
        "/inspect/import", files={"file": ("acts.csv", content, "text/csv")}, headers=headers
    )
    assert answer.status_code == 200
    assert "227" in answer.text


async def test_drift_report_has_charts_and_a_csv_export(
    client: Any, inspector: dict[str, str]
) -> None:
    await load_demo_acts()
    page = await client.get("/inspect/drift", headers=inspector)
    assert page.status_code == 200 and page.text.count("<svg") == 4
    export = await client.get("/inspect/drift.csv", headers=inspector)
    lines = export.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "dimension,key,total,outside_authority,percent_within"
    assert "verdict,within_authority,198,0,100" in lines


async def test_coverage_flags_overlaps_orphans_gaps_concentration_and_expiry(
    client: Any, inspector: dict[str, str]
) -> None:
    from registry.authz.projection import bump_policy_version
    from registry.grants.tables import Grant
    from registry.organisation.tables import Assignment
    from registry.powers.tables import Power

    vacated = datetime(2026, 1, 1, tzinfo=UTC)
    await Power.update({Power.exclusive: True}).where(Power.code == "XD-01")
    # In the demo, SXD.PGD1 is vacant from 31 January to 1 March 2026.
    february = (await client.get("/api/v1/coverage?at=2026-02-15", headers=inspector)).json()
    orphans = {(o["grant"], o["vacant"]) for o in february["orphaned_grants"]}
    pgd = await Grant.select(Grant.lineage).where(Grant.grantee == "position:SXD.PGD1")
    assert {(g["lineage"], "position:SXD.PGD1") for g in pgd} & orphans
    body = (await client.get("/api/v1/coverage?at=2026-07-01&n=3", headers=inspector)).json()
    assert any(o["power"] == "XD-01" for o in body["overlaps"])
    assert body["concentration"]["officials"]
    assert {g["power"] for g in body["expiring_within_30_days"]} >= {"DD-02"}
    assert body["columns"][0] == "UBND-T"
    assert body["authorizations_without_end"] == []
    await Assignment.update({Assignment.valid_to: vacated}).where(
        Assignment.valid_to.is_null() & (Assignment.valid_from < vacated)
    )
    # Coverage reads who is in post once per policy version, which every organisation write
    # moves; this test edits the table directly, so it moves the version as such a write does.
    await bump_policy_version([])
    gaps = (await client.get("/api/v1/coverage?at=2026-07-01", headers=inspector)).json()["gaps"]
    assert gaps
    page = await client.get("/inspect/coverage?at=2026-07-01", headers=inspector)
    assert page.status_code == 200 and 'class="gap"' in page.text
    cell = await client.get(
        f"/inspect/coverage/cell?power={gaps[0]['power']}&unit={gaps[0]['unit']}&at=2026-07-01",
        headers=inspector,
    )
    assert cell.status_code == 200


async def test_public_accountability_page_needs_no_login(
    client: Any, inspector: dict[str, str]
) -> None:
    await load_demo_acts()
    page = await client.get("/accountability/XA-AN-PHU")
    assert page.status_code == 200 and "<svg" in page.text and "%" in page.text


async def test_a_case_samples_acts_with_a_seed_and_its_bundle_verifies(
    client: Any, inspector: dict[str, str], case_tables: None, tmp_path: Path
) -> None:
    from registry.acts.cases import case_act_ids

    await load_demo_acts()
    headers = await csrf(client, inspector, "/inspect/cases")
    form = {
        "title": "Thanh tra công vụ 2025",
        "units": "UBND-T",
        "period_from": "2025-07-01",
        "period_to": "2026-01-01",
        "team": "Nguyễn Văn An\nTrần Thị Bích",
        "sample_size": "12",
        "sample_seed": "42",
    }
    first = await client.post("/inspect/cases", data=form, headers=headers)
    second = await client.post("/inspect/cases", data=form, headers=headers)
    assert first.status_code == second.status_code == 303
    ids = [int(r.headers["location"].rsplit("/", 1)[1]) for r in (first, second)]
    sampled = [await case_act_ids(i) for i in ids]
    assert len(sampled[0]) == 12 and sampled[0] == sampled[1]
    finding = {
        "legal_reference": "Điều 14 Luật TCCQĐP 2025",
        "severity": "high",
        "act": str(sampled[0][0]),
        "description": "Ký sai thể thức",
    }
    added = await client.post(f"/inspect/cases/{ids[0]}/findings", data=finding, headers=headers)
    assert added.status_code == 303
    page = await client.get(f"/inspect/cases/{ids[0]}", headers=inspector)
    assert "Điều 14" in page.text
    answer = await client.get(f"/inspect/cases/{ids[0]}/bundle.zip", headers=inspector)
    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    names = set(archive.namelist())
    assert {
        "summary.html",
        "summary.pdf",
        "acts.csv",
        "chains.json",
        "entries.ndjson",
        "checkpoint.txt",
        "vkey.txt",
    } <= names
    assert sum(name.startswith("proofs/") for name in names) == 12
    assert archive.read("summary.pdf").startswith(b"%PDF")
    archive.extractall(tmp_path)
    verified = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            str(ROOT / "tools" / "verify_ledger.py"),
            "--file",
            str(tmp_path / "entries.ndjson"),
            "--checkpoint",
            str(tmp_path / "checkpoint.txt"),
            "--vkey",
            str(tmp_path / "vkey.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    (tmp_path / "entries.ndjson").write_text(
        (tmp_path / "entries.ndjson").read_text(encoding="utf-8").replace("KT", "TM", 1),
        encoding="utf-8",
    )
    tampered = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            str(ROOT / "tools" / "verify_ledger.py"),
            "--file",
            str(tmp_path / "entries.ndjson"),
            "--checkpoint",
            str(tmp_path / "checkpoint.txt"),
            "--vkey",
            str(tmp_path / "vkey.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tampered.returncode == 1


async def test_coverage_read_once_per_policy_version_follows_a_later_suspension(
    demo_organisation: str,
) -> None:
    from registry.accounts.actor import SYSTEM
    from registry.coverage.services import cell, coverage
    from registry.grants.lifecycle import suspend_grant

    at = datetime(2026, 7, 1, tzinfo=UTC)
    before = await coverage(at)
    assert await coverage(at) == before  # the second call answers from the kept reads
    found = None
    for row in before.rows:
        for unit in before.columns:
            for holder in await cell(at, row.power, unit):
                if found is None and holder.grant is not None and holder.in_post:
                    found = (unit, holder.grant)
    assert found is not None
    unit, grant = found
    await suspend_grant(grant.id, {"at": "2026-06-01T00:00:00Z", "reason": "thanh tra"}, SYSTEM)
    after = await cell(at, grant.power, unit)
    assert all(h.grant is None or h.grant.id != grant.id for h in after)
