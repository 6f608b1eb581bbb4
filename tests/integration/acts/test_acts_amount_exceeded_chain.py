"""An act refused for AMOUNT_EXCEEDED keeps the chain down to the grant whose ceiling it went
over, and its page draws that chain with the failing link marked (demo act 142/QĐ-BVĐK)."""

from __future__ import annotations

import csv
import io
from typing import Any

from registry.demo_province import DEMO_DIR

NUMBER = "142/QĐ-BVĐK"


def demo_row(number: str) -> dict[str, str]:
    text = (DEMO_DIR / "acts.csv").read_text(encoding="utf-8-sig")
    return next(row for row in csv.DictReader(io.StringIO(text)) if row["number"] == number)


def assert_chain_ends_at_the_exceeded_grant(act: dict[str, Any]) -> None:
    assert act["verdict"] == "amount_exceeded"
    reason = act["reasons"][0]
    assert reason["code"] == "AMOUNT_EXCEEDED"
    chain = act["chain"]
    assert chain[0]["kind"] == "law"
    assert len(chain) >= 2
    assert str(chain[-1]["grant"]) == reason["params"]["grant"]
    assert chain[-1]["grantee"] == "position:BVDK-T.GD"
    assert int(reason["params"]["ceiling"]) == chain[-1]["amount_ceiling"]


async def test_an_imported_act_above_the_ceiling_keeps_the_chain_it_went_over(
    client: Any, inspector: dict[str, str]
) -> None:
    from registry.acts.importing import import_acts_bytes
    from registry.acts.tables import Act

    report = await import_acts_bytes((DEMO_DIR / "acts.csv").read_bytes(), "acts.csv")
    assert report.verdicts["amount_exceeded"] >= 1
    row = await Act.select(Act.id).where(Act.number == NUMBER).first()
    assert row is not None
    act = (await client.get(f"/api/v1/acts/{row['id']}", headers=inspector)).json()
    assert_chain_ends_at_the_exceeded_grant(act)

    page = await client.get(f"/inspect/acts/{row['id']}", headers=inspector)
    assert page.status_code == 200
    assert "No chain of authority covered this act" not in page.text
    diagram = page.text.split('<svg class="chain-diagram"', 1)[1].split("</svg>", 1)[0]
    assert "position:BVDK-T.GD" in diagram
    assert diagram.count('class="chain-exceeded"') == 1
    assert page.text.count('<strong class="chain-exceeded">') == 1


async def test_an_act_above_the_ceiling_recorded_alone_keeps_the_same_chain(
    client: Any, inspector: dict[str, str]
) -> None:
    row = demo_row(NUMBER)
    body: dict[str, Any] = {k: v for k, v in row.items() if k != "expected_verdict" and v != ""}
    body["amount"] = int(body["amount"])
    answer = await client.post("/api/v1/acts", json=body, headers=inspector)
    assert answer.status_code == 201, answer.text
    act = answer.json()
    assert_chain_ends_at_the_exceeded_grant(act)
    entry = (await client.get(f"/api/v1/ledger/entries/{act['ledger_index']}")).json()
    assert entry["payload"]["chain"] == act["chain"]


async def test_other_refusals_still_freeze_no_chain(client: Any, inspector: dict[str, str]) -> None:
    from registry.acts.importing import import_acts_bytes
    from registry.acts.tables import Act

    await import_acts_bytes((DEMO_DIR / "acts.csv").read_bytes(), "acts.csv")
    rows = await Act.select(Act.verdict, Act.chain).where(
        Act.verdict.is_in(["scope_exceeded", "grant_expired", "grant_revoked", "no_authority"])
    )
    assert rows
    assert all(r["chain"] in (None, "", "[]") for r in rows)
