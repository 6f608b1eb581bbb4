"""The grants API on the demo province: rules refuse with reason codes and store nothing;
a grant made is checked at once; revocation voids; as-of views see history."""

from __future__ import annotations

from typing import Any

import pytest

from registry.ledger.tables import LedgerEntry
from registry.tables import Grant, PolicyRule

pytestmark = pytest.mark.usefixtures("demo")

CHAIRMAN = "position:UBND-T.CT"


def authorization(**changes: Any) -> dict[str, Any]:
    """The Chairman authorizes the Director of Construction to sanction violations (XD-03)."""
    body: dict[str, Any] = {
        "power": "XD-03",
        "kind": "authorization",
        "grantor": CHAIRMAN,
        "grantee": "position:SXD.GD",
        "scope": {
            "territory": ["UBND-T"],
            "sectors": ["xay_dung"],
            "act_types": ["quyet_dinh_xu_phat"],
            "amount_ceiling": 500_000_000,
        },
        "valid_from": "2026-12-01T00:00:00Z",
        "valid_to": "2027-06-30T00:00:00Z",
        "instrument": {
            "number": "99/GUQ-UBND",
            "type": "authorization_letter",
            "signed_at": "2026-11-20T02:00:00Z",
            "title_vi": "Giấy ủy quyền xử phạt vi phạm hành chính trong lĩnh vực xây dựng",
        },
    }
    body.update(changes)
    return body


def sanction_check(at: str, amount: int = 100_000_000) -> dict[str, Any]:
    return {
        "official": "CB-0014",
        "power": "XD-03",
        "facts": {
            "unit": "SXD",
            "sector": "xay_dung",
            "act_type": "quyet_dinh_xu_phat",
            "amount": amount,
        },
        "at": at,
    }


async def stored_counts() -> tuple[int, int, int]:
    return await Grant.count(), await LedgerEntry.count(), await PolicyRule.count()


@pytest.fixture
async def chairman(token_for) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return await token_for("chutich", [("leader", "UBND-T")], official="CB-0001")


async def test_a_grant_made_by_the_chairman_is_allowed_by_the_check_at_once(
    client, chairman
) -> None:  # type: ignore[no-untyped-def]
    before = await stored_counts()
    made = await client.post("/api/v1/grants", json=authorization(), headers=chairman)
    assert made.status_code == 201, made.text
    chain = made.json()["chain"]
    assert [link["kind"] for link in chain] == ["law", "authorization"]
    grants, entries, _ = await stored_counts()
    assert grants == before[0] + 1
    assert entries > before[1]

    checked = await client.post(
        "/api/v1/check", json=sanction_check("2026-12-05T03:00:00Z"), headers=chairman
    )
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert body["allowed"] is True
    assert body["acting_as"] == "position:SXD.GD"
    assert body["chain"][-1]["grant"] == made.json()["grant"]


async def test_before_the_grant_starts_the_check_refuses(client, chairman) -> None:  # type: ignore[no-untyped-def]
    await client.post("/api/v1/grants", json=authorization(), headers=chairman)
    checked = await client.post(
        "/api/v1/check", json=sanction_check("2026-11-30T03:00:00Z"), headers=chairman
    )
    assert checked.json()["allowed"] is False
    assert checked.json()["reasons"][0]["code"] == "GRANT_NOT_YET_IN_FORCE"


async def test_an_amount_above_the_granted_ceiling_is_refused_with_its_reason(
    client, chairman
) -> None:  # type: ignore[no-untyped-def]
    await client.post("/api/v1/grants", json=authorization(), headers=chairman)
    checked = await client.post(
        "/api/v1/check",
        json=sanction_check("2026-12-05T03:00:00Z", amount=900_000_000),
        headers=chairman,
    )
    assert checked.json()["allowed"] is False
    assert checked.json()["reasons"][0]["code"] == "AMOUNT_EXCEEDED"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"valid_to": None}, "END_REQUIRED"),
        ({"valid_to": "2026-11-01T00:00:00Z"}, "END_NOT_AFTER_START"),
        (
            {"scope": {"territory": ["UBND-T"], "amount_ceiling": 2_000_000_000}},
            "AMOUNT_ABOVE_SOURCE",
        ),
        ({"grantee": CHAIRMAN}, "SELF_GRANT"),
        ({"grantee": "position:NO-SUCH.POST"}, "GRANTEE_UNKNOWN"),
        ({"kind": "decentralization"}, "KIND_NOT_ALLOWED_FOR_POWER"),
        ({"instrument": "no-such-instrument"}, "UNKNOWN_REFERENCE"),
        (
            {
                "instrument": {
                    "number": "1/2025/QH15-X",
                    "type": "law",
                    "signed_at": "2026-11-20T02:00:00Z",
                }
            },
            "INSTRUMENT_TYPE_NOT_ACCEPTED",
        ),
        ({"valid_from": "2026-11-10T00:00:00Z"}, "INSTRUMENT_AFTER_START"),
        ({"scope": {"territory": ["UBND-T"], "sectors": ["y_te"]}}, "GRANT_EXCEEDS_SCOPE"),
        ({"parent": 2}, "GRANTOR_LACKS_POWER"),
    ],
)
async def test_a_grant_breaking_a_rule_is_refused_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, chairman, changes, code
) -> None:
    before = await stored_counts()
    response = await client.post("/api/v1/grants", json=authorization(**changes), headers=chairman)
    assert response.status_code in (400, 422), response.text
    codes = [reason["code"] for reason in response.json()["reasons"]]
    assert code in codes
    assert all(r["message_vi"] and r["message_en"] for r in response.json()["reasons"])
    assert await stored_counts() == before


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        # DD-01 (land allocation to organisations) is non-delegable by law.
        (
            {"power": "DD-01", "grantor": "unit:UBND-T", "scope": {"territory": ["UBND-T"]}},
            "POWER_NOT_DELEGABLE",
        ),
        # Decentralization needs a normative legal document, not an individual decision.
        (
            {
                "power": "XD-01",
                "kind": "decentralization",
                "grantor": "unit:UBND-T",
                "grantee": "unit:SXD",
                "valid_to": None,
                "scope": {"territory": ["UBND-T"]},
                "instrument": {
                    "number": "501/QĐ-UBND",
                    "type": "decision",
                    "normative": False,
                    "signed_at": "2026-11-20T02:00:00Z",
                },
            },
            "INSTRUMENT_NOT_NORMATIVE",
        ),
    ],
)
async def test_an_administrator_is_refused_by_the_same_rules_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, token_for, changes, code
) -> None:
    admin = await token_for("quantri", [("admin", "*")])
    before = await stored_counts()
    response = await client.post("/api/v1/grants", json=authorization(**changes), headers=admin)
    assert response.status_code == 422, response.text
    assert code in [reason["code"] for reason in response.json()["reasons"]]
    assert await stored_counts() == before


async def test_a_leader_cannot_grant_a_power_of_another_position_by_editing_the_grantor(  # type: ignore[no-untyped-def]
    client, chairman
) -> None:
    before = await stored_counts()
    forged = authorization(
        power="XD-02",
        grantor="position:SXD.GD",
        grantee="position:SXD.PGD1",
        scope={"territory": ["SXD"]},
    )
    response = await client.post("/api/v1/grants", json=forged, headers=chairman)
    assert response.status_code == 403
    assert await stored_counts() == before


async def test_an_unknown_field_is_refused_as_a_bad_request(client, chairman) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/api/v1/grants", json=authorization(colour="red"), headers=chairman
    )
    assert response.status_code == 400
    assert response.json()["reasons"][0]["code"] == "INVALID_REQUEST"


async def test_anonymous_callers_cannot_make_grants_or_check(client) -> None:  # type: ignore[no-untyped-def]
    assert (await client.post("/api/v1/grants", json=authorization())).status_code == 401
    assert (
        await client.post("/api/v1/check", json=sanction_check("2026-12-05T03:00:00Z"))
    ).status_code == 401


async def test_precheck_answers_the_chain_and_stores_nothing(client, chairman) -> None:  # type: ignore[no-untyped-def]
    before = await stored_counts()
    response = await client.post("/api/v1/grants/precheck", json=authorization(), headers=chairman)
    assert response.status_code == 200
    assert response.json()["allowed"] is True
    assert len(response.json()["chain"]) == 1
    refused = await client.post(
        "/api/v1/grants/precheck", json=authorization(valid_to=None), headers=chairman
    )
    assert refused.json()["allowed"] is False
    assert refused.json()["reasons"][0]["code"] == "END_REQUIRED"
    assert await stored_counts() == before


async def test_revocation_shows_its_impact_then_the_check_refuses(client, chairman) -> None:  # type: ignore[no-untyped-def]
    made = (
        await client.post(
            "/api/v1/grants",
            json=authorization(valid_from="2026-11-25T00:00:00Z"),
            headers=chairman,
        )
    ).json()
    grant = made["grant"]
    preview = await client.post(
        f"/api/v1/grants/{grant}/revoke", json={"dry_run": True}, headers=chairman
    )
    assert preview.json() == {"grant": grant, "dry_run": True, "ledger_index": None, "voided": []}
    missing = await client.post(
        f"/api/v1/grants/{grant}/revoke", json={"reason": "x"}, headers=chairman
    )
    assert missing.status_code == 422
    assert missing.json()["reasons"][0]["code"] == "REVOCATION_INSTRUMENT_REQUIRED"
    revoked = await client.post(
        f"/api/v1/grants/{grant}/revoke",
        json={
            "reason": "Điều chỉnh phân công",
            "instrument": {
                "number": "100/QĐ-UBND",
                "type": "decision",
                "signed_at": "2026-11-26T02:00:00Z",
            },
        },
        headers=chairman,
    )
    assert revoked.status_code == 200, revoked.text
    now = await client.post(
        "/api/v1/check", json=sanction_check("2026-12-01T12:00:00Z"), headers=chairman
    )
    assert now.json()["allowed"] is False
    assert now.json()["reasons"][0]["code"] == "GRANT_REVOKED"
    again = await client.post(
        f"/api/v1/grants/{grant}/revoke",
        json={"reason": "lần hai", "instrument": "100/QĐ-UBND"},
        headers=chairman,
    )
    assert again.status_code == 422
    assert again.json()["reasons"][0]["code"] == "GRANT_ALREADY_REVOKED"


async def test_an_as_of_view_before_a_revocation_differs_from_one_after(client) -> None:  # type: ignore[no-untyped-def]
    revoked = (await client.get("/api/v1/grants", params={"power": "XD-05.P-DA-GIANG"})).json()
    grant = revoked["grants"][0]["grant"]
    history = (await client.get(f"/api/v1/grants/{grant}")).json()["history"]
    revoked_at = next(e["at"] for e in history if e["event"] == "revoked")
    before = (
        await client.get(f"/api/v1/grants/{grant}", params={"at": "2025-08-01T00:00:00Z"})
    ).json()
    after = (await client.get(f"/api/v1/grants/{grant}", params={"at": revoked_at})).json()
    assert before["grant"]["status"] == "active"
    assert after["grant"]["status"] == "revoked"


async def test_holders_include_a_chain_of_depth_three(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get(
        "/api/v1/holders",
        params={"power": "DD-03", "unit": "UBND-T", "at": "2026-03-01T03:00:00Z"},
    )
    assert response.status_code == 200
    chains = {h["holder"]: h["chain"] for h in response.json()["holders"]}
    assert len(chains["position:VPDKDD.PGD1"]) == 4  # the law, then three grants
    assert chains["position:VPDKDD.PGD1"][0]["kind"] == "law"
