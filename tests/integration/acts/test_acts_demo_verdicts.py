"""Every demo act gets its expected verdict, through the import and through `check_authority`."""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any

from registry.demo_province import DEMO_DIR, load_demo

EXPECTED_VERDICTS = {
    "within_authority", "no_authority", "grant_expired", "grant_not_yet_in_force",
    "grant_revoked", "grant_suspended", "scope_exceeded", "amount_exceeded",
    "signer_not_holding_position", "signature_form_inconsistent",
}  # fmt: skip


def demo_rows() -> list[dict[str, str]]:
    with (DEMO_DIR / "acts.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


async def test_demo_acts_all_get_their_expected_verdict_and_show_every_verdict(
    database: str,
) -> None:
    from registry.acts.tables import Act
    from registry.authz.engine import reset_engine

    reset_engine()
    counts = await load_demo()
    assert counts["acts"] == 227
    expected = {row["number"]: row["expected_verdict"] for row in demo_rows()}
    stored = {r["number"]: r["verdict"] for r in await Act.select(Act.number, Act.verdict)}
    wrong = {n: (expected[n], v) for n, v in stored.items() if expected[n] != v}
    assert wrong == {}
    assert set(Counter(stored.values())) == EXPECTED_VERDICTS


async def test_demo_acts_traced_one_by_one_with_check_authority_match_too(
    demo_organisation: str,
) -> None:
    from registry.acts.authority import LiveAuthority
    from registry.acts.lookups import Lookups
    from registry.acts.records import read_act
    from registry.acts.trace import trace_act
    from registry.importing.fields import FieldReader

    lookups = await Lookups.load()
    wrong: dict[str, Any] = {}
    for row in demo_rows():
        act = read_act(FieldReader(row))
        assert act is not None
        trace = await trace_act(act, lookups, LiveAuthority())
        if trace.judgement.verdict != row["expected_verdict"]:
            wrong[row["number"]] = (row["expected_verdict"], trace.judgement.verdict)
    assert wrong == {}


async def test_each_verdict_is_given_by_the_record_api_with_reasons_and_a_frozen_chain(
    client: Any, inspector: dict[str, str]
) -> None:
    first: dict[str, dict[str, str]] = {}
    for row in demo_rows():
        first.setdefault(row["expected_verdict"], row)
    assert set(first) == EXPECTED_VERDICTS
    for verdict, row in sorted(first.items()):
        body = {k: v for k, v in row.items() if k != "expected_verdict" and v != ""}
        if "amount" in body:
            body["amount"] = int(body["amount"])  # type: ignore[assignment]
        answer = await client.post("/api/v1/acts", json=body, headers=inspector)
        assert answer.status_code == 201, answer.text
        act = answer.json()
        assert act["verdict"] == verdict
        assert act["reasons"][0]["code"] == verdict.upper()
        assert act["reasons"][0]["message_vi"] and act["reasons"][0]["message_en"]
        if verdict in ("within_authority", "signature_form_inconsistent"):
            assert act["chain"][0]["kind"] == "law"
        again = await client.get(f"/api/v1/acts/{act['id']}", headers=inspector)
        assert again.json() == act
        entry = await client.get(f"/api/v1/ledger/entries/{act['ledger_index']}")
        assert entry.status_code == 200
        payload = entry.json()["payload"]
        assert payload["verdict"] == verdict and payload["act"] == act["id"]
