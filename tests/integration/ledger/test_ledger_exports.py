"""Exports and the feed: streamed NDJSON that the standalone verifier accepts, CSV, Atom XML."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from registry.ledger.journal import default_signer
from tests.integration.ledger.ledger_fixtures import append, grant_made

PROJECT_ROOT = Path(__file__).resolve().parents[3]
ATOM = "{http://www.w3.org/2005/Atom}"


async def seed(count: int) -> None:
    names = ["Nguyễn Văn Ấn", "Đỗ Thị Đào", "Lê Văn Lợi"]
    await append([grant_made(i + 1, names[i % 3], "SXD") for i in range(count)])


def run_verifier(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "tools/verify_ledger.py", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_full_ndjson_export_verifies_offline_with_the_standalone_tool(
    client: Any, database: str, tmp_path: Path
) -> None:
    await seed(2345)  # more than two export pages
    answer = await client.get("/ledger/export.ndjson")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    lines = answer.text.splitlines()
    assert len(lines) == 2345
    assert json.loads(lines[7]) == (await client.get("/api/v1/ledger/entries/7")).json()
    export = tmp_path / "export.ndjson"
    export.write_text(answer.text, encoding="utf-8")
    checkpoint = tmp_path / "cp.txt"
    checkpoint.write_text(
        (await client.get("/api/v1/ledger/checkpoint")).json()["checkpoint"], encoding="utf-8"
    )
    result = run_verifier(
        "--file", str(export), "--checkpoint", str(checkpoint), "--vkey", default_signer().vkey
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:")


async def test_filtered_exports_hold_only_matching_entries_in_index_order(
    client: Any, database: str
) -> None:
    await seed(30)
    ndjson = (await client.get("/ledger/export.ndjson", params={"q": "do thi dao"})).text
    assert [json.loads(line)["index"] for line in ndjson.splitlines()] == list(range(1, 30, 3))
    text = (await client.get("/ledger/export.csv", params={"q": "loi"})).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [int(r["index"]) for r in rows] == list(range(2, 30, 3))
    assert json.loads(rows[0]["payload"])["grant"] == 3


async def test_feed_is_valid_atom_with_the_newest_fifty(client: Any, database: str) -> None:
    await seed(60)
    answer = await client.get("/ledger/feed.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.content)  # noqa: S314 (our own server's answer)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    assert entries[0].findtext(f"{ATOM}id", "").endswith("/ledger/59")


async def test_feed_is_filterable_like_the_search(client: Any, database: str) -> None:
    await seed(9)
    answer = await client.get("/ledger/feed.atom", params={"q": "an"})
    feed = ET.fromstring(answer.content)  # noqa: S314 (our own server's answer)
    ids = [e.findtext(f"{ATOM}id", "") for e in feed.findall(f"{ATOM}entry")]
    assert [i.rsplit("/", 1)[1] for i in ids] == ["6", "3", "0"]
