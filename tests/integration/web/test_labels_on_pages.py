"""Pages show unit kinds and tiers, act types, grant kinds and verdicts as words, not codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.parametrize(
    ("lang", "kind", "tier"),
    [("vi", "Sở", "Cấp tỉnh"), ("en", "Department (of the province)", "Province level")],
)
async def test_the_unit_page_names_the_kind_and_tier(
    client: Any, lang: str, kind: str, tier: str
) -> None:
    page = await client.get("/units/SXD", headers={"Accept-Language": lang})
    assert page.status_code == 200
    assert f'<dd data-code="department">{kind}</dd>' in page.text
    assert f'<dd data-code="province">{tier}</dd>' in page.text


async def test_the_power_page_names_its_act_types(client: Any) -> None:
    page = await client.get("/powers/XD-03", headers={"Accept-Language": "vi"})
    assert page.status_code == 200
    assert "Quyết định xử phạt vi phạm hành chính <code>quyet_dinh_xu_phat</code>" in page.text


@pytest.mark.parametrize(("lang", "words"), [("vi", "Đúng thẩm quyền"), ("en", "Within authority")])
async def test_the_ledger_entry_of_an_act_names_its_verdict(
    client: Any, token_for: Any, lang: str, words: str
) -> None:
    """The Chairman signs a sanction under XD-03, which the law gives the Chairman."""
    inspector = await token_for("thanhtra", [("inspector", "*")])
    signed = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT03:00:00Z")
    act = {
        "number": "15/QĐ-XPVPHC",
        "issuing_unit_code": "UBND-T",
        "power_code": "XD-03",
        "signer_official_code": "CB-0001",
        "signer_position_code": "UBND-T.CT",
        "signature_form": "direct",
        "signed_at": signed,
        "unit_code": "UBND-T",
        "sector": "xay_dung",
        "act_type": "quyet_dinh_xu_phat",
        "amount": 1_000_000,
    }
    recorded = await client.post("/api/v1/acts", json=act, headers=inspector)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["verdict"] == "within_authority", recorded.text
    index = recorded.json()["ledger_index"]
    page = await client.get(f"/ledger/{index}", headers={"Accept-Language": lang})
    assert page.status_code == 200
    lead = page.text.split('<p class="lead">', 1)[1].split("</p>", 1)[0]
    assert words in lead
    assert "within_authority" not in lead
    detail = await client.get(
        f"/inspect/acts/{recorded.json()['id']}", headers={**inspector, "Accept-Language": lang}
    )
    assert detail.status_code == 200
    act_type = "Quyết định xử phạt vi phạm hành chính" if lang == "vi" else "Decision imposing"
    assert act_type in detail.text
    assert "<code>quyet_dinh_xu_phat</code>" in detail.text
    assert f"<td>{'Theo luật' if lang == 'vi' else 'By law'}</td>" in detail.text
