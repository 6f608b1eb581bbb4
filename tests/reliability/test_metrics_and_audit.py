"""`/metrics` counts requests by route name and status and reads the ledger and policy from the
database; only administrators' tokens may read it; every write and refusal is audited."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from structlog.testing import capture_logs

from registry.authz.tables import PolicyVersion
from registry.ledger.journal import ledger_size
from registry.ops import metrics
from tests.reliability.conftest import TokenFor

pytestmark = pytest.mark.usefixtures("demo")

GRANT = {
    "power": "XD-03",
    "kind": "authorization",
    "grantor": "position:UBND-T.CT",
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
        "number": "501/GUQ-UBND",
        "type": "authorization_letter",
        "signed_at": "2026-11-20T02:00:00Z",
    },
}


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_metrics_count_requests_by_route_name_and_status(client, token_for: TokenFor) -> None:  # type: ignore[no-untyped-def]
    admin = await token_for("quantri", [("admin", "*")], scope="read")
    before = sample(
        (await client.get("/metrics", headers=admin)).text,
        "registry_http_requests_total",
        route="healthz",
        status="200",
    )
    for _ in range(3):
        assert (await client.get("/healthz")).status_code == 200
    await client.get("/no/such/page/123")
    text = (await client.get("/metrics", headers=admin)).text
    assert sample(text, "registry_http_requests_total", route="healthz", status="200") == before + 3
    assert sample(text, "registry_http_requests_total", route="unmatched", status="404") >= 1
    assert "/no/such/page/123" not in text
    assert sample(text, "registry_http_request_duration_seconds_count", route="healthz") >= 3


async def test_tallied_requests_give_the_same_histogram_as_one_sample_each(client: Any) -> None:
    """Requests are tallied per worker and written in bulk; the exposition must be what
    prometheus-client's own `observe` per sample gives: each sample in the first bucket whose
    bound is at least it, the sum and the count."""
    await client.get("/healthz")  # the app (and so the metrics) is configured
    for seconds in (0.003, 0.005, 0.007, 0.3, 20.0):
        metrics.observe("test:tally", "GET", 200, seconds)
    text = metrics.exposition({}).decode()
    name = "registry_http_request_duration_seconds"
    buckets = {
        le: sample(text, f"{name}_bucket", route="test:tally", le=le)
        for le in ("0.005", "0.01", "0.25", "0.5", "10.0", "+Inf")
    }
    assert buckets == {"0.005": 2, "0.01": 3, "0.25": 3, "0.5": 4, "10.0": 4, "+Inf": 5}
    assert sample(text, f"{name}_count", route="test:tally") == 5
    assert sample(text, f"{name}_sum", route="test:tally") == pytest.approx(20.315)
    assert sample(text, "registry_http_requests_total", route="test:tally", status="200") == 5


async def test_tallies_reach_the_shared_files_without_a_scrape_by_this_worker(
    client: Any,
) -> None:
    """Another worker answering the scrape reads only the files: a tally must get there by
    itself, within `FLUSH_SECONDS`."""
    await client.get("/healthz")

    def in_files() -> float:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=metrics._state["dir"])
        text = generate_latest(registry).decode()
        return sample(text, "registry_http_requests_total", route="test:files", status="200")

    before = in_files()
    metrics.observe("test:files", "GET", 200, 0.001)
    await asyncio.sleep(metrics.FLUSH_SECONDS + 0.3)
    assert in_files() == before + 1


async def test_metrics_report_the_ledger_size_and_policy_version_of_the_database(
    client, token_for: TokenFor
) -> None:  # type: ignore[no-untyped-def]
    admin = await token_for("quantri", [("admin", "*")], scope="write")
    made = await client.post("/api/v1/grants", json=GRANT, headers=admin)
    assert made.status_code == 201, made.text
    response = await client.get("/metrics", headers=admin)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    version = await PolicyVersion.select(PolicyVersion.version).first()
    assert sample(response.text, "registry_ledger_entries") == await ledger_size()
    assert sample(response.text, "registry_policy_version") == version["version"]
    assert sample(response.text, "registry_ledger_checkpoint_size") == await ledger_size()


async def test_metrics_are_refused_to_the_public_and_to_non_administrators(
    client, token_for: TokenFor
) -> None:  # type: ignore[no-untyped-def]
    assert (await client.get("/metrics")).status_code == 401
    leader = await token_for("chutich", [("leader", "UBND-T")], official="CB-0001", scope="read")
    assert (await client.get("/metrics", headers=leader)).status_code == 403


async def test_every_write_is_audited_with_method_path_status_and_actor(
    client, token_for: TokenFor
) -> None:  # type: ignore[no-untyped-def]
    admin = await token_for("quantri", [("admin", "*")])
    with capture_logs() as logs:
        made = await client.post("/api/v1/grants", json=GRANT, headers=admin)
        refused = await client.post("/api/v1/grants", json=GRANT)
        await client.get("/api/v1/grants", headers=admin)
    audit = [entry for entry in logs if entry.get("logger") == "audit"]
    writes = [e for e in audit if e["event"] == "request"]
    assert [(e["method"], e["path"], e["status"], e["actor"], e["route"]) for e in writes] == [
        ("POST", "/api/v1/grants", made.status_code, "quantri", "grants_api:create")
    ]
    [denied] = [e for e in audit if e["event"] == "request_refused"]
    assert (denied["status"], denied["actor"]) == (refused.status_code, "anonymous")
    assert not [e for e in audit if e["method"] == "GET" and e["status"] == 200]
