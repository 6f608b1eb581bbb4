"""The public proof API: exact JSON shapes, proofs that verify, bad parameters refused."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from registry.ledger import merkle
from registry.ledger.checkpoint import verify_note
from registry.ledger.journal import default_signer
from tests.integration.ledger.ledger_fixtures import append, grant_made

ENTRY_KEYS = {"index", "recorded_at", "event_type", "payload", "leaf_hash"}


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


async def seed(count: int) -> None:
    # Several batches so that checkpoints exist at several sizes.
    done = 0
    for batch in (1, 2, 4, count - 7):
        await append([grant_made(done + i + 1, f"Người {done + i}", "SXD") for i in range(batch)])
        done += batch


async def test_key_is_the_signers_verifier_key_as_plain_text(client: Any) -> None:
    answer = await client.get("/ledger/key")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.text.strip() == default_signer().vkey


async def test_checkpoint_is_404_with_a_reason_before_any_entry(client: Any) -> None:
    answer = await client.get("/api/v1/ledger/checkpoint")
    assert answer.status_code == 404
    assert answer.json()["reasons"][0]["code"] == "NOT_FOUND"


async def test_checkpoint_is_the_latest_signed_note_with_size_and_root(client: Any) -> None:
    await seed(20)
    body = (await client.get("/api/v1/ledger/checkpoint")).json()
    assert set(body) == {"checkpoint", "size", "root_hash"}
    signed = verify_note(body["checkpoint"], default_signer().vkey)
    assert body["size"] == signed.size == 20
    assert unb64(body["root_hash"]) == signed.root_hash


async def test_entry_has_the_hashed_fields_a_payload_object_and_its_leaf_hash(
    client: Any,
) -> None:
    await seed(20)
    body = (await client.get("/api/v1/ledger/entries/3")).json()
    assert set(body) == ENTRY_KEYS
    assert body["index"] == 3
    assert body["event_type"] == "grant.made"
    assert body["payload"]["grant"] == 4
    assert len(unb64(body["leaf_hash"])) == 32


async def test_entries_range_excludes_its_end_and_is_in_index_order(client: Any) -> None:
    await seed(20)
    body = (await client.get("/api/v1/ledger/entries", params={"start": 5, "end": 9})).json()
    assert [e["index"] for e in body["entries"]] == [5, 6, 7, 8]
    assert all(set(e) == ENTRY_KEYS for e in body["entries"])


async def test_entries_beyond_the_end_are_simply_absent(client: Any) -> None:
    await seed(20)
    body = (await client.get("/api/v1/ledger/entries", params={"start": 18, "end": 30})).json()
    assert [e["index"] for e in body["entries"]] == [18, 19]


async def test_inclusion_proof_verifies_against_the_signed_root_for_every_index(
    client: Any,
) -> None:
    await seed(20)
    checkpoint = (await client.get("/api/v1/ledger/checkpoint")).json()
    root = unb64(checkpoint["root_hash"])
    for index in range(20):
        body = (
            await client.get("/api/v1/ledger/proof/inclusion", params={"index": index, "size": 20})
        ).json()
        assert set(body) == {"index", "tree_size", "leaf_hash", "audit_path"}
        entry = (await client.get(f"/api/v1/ledger/entries/{index}")).json()
        assert body["leaf_hash"] == entry["leaf_hash"]
        path = [unb64(h) for h in body["audit_path"]]
        assert merkle.verify_inclusion(unb64(body["leaf_hash"]), index, 20, path, root)


async def test_consistency_proofs_verify_between_all_stored_checkpoints(client: Any) -> None:
    await seed(20)
    listed = (await client.get("/api/v1/ledger/checkpoints")).json()["checkpoints"]
    assert [c["size"] for c in listed] == [1, 3, 7, 20]
    roots = {c["size"]: unb64(c["root_hash"]) for c in listed}
    for first in roots:
        for second in roots:
            if first > second:
                continue
            body = (
                await client.get(
                    "/api/v1/ledger/proof/consistency", params={"first": first, "second": second}
                )
            ).json()
            assert set(body) == {"first", "second", "proof"}
            proof = [unb64(h) for h in body["proof"]]
            assert merkle.verify_consistency(first, second, roots[first], roots[second], proof)


async def test_checkpoints_after_a_size_lists_only_later_ones(client: Any) -> None:
    await seed(20)
    body = (await client.get("/api/v1/ledger/checkpoints", params={"after": 3})).json()
    assert [c["size"] for c in body["checkpoints"]] == [7, 20]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/v1/ledger/entries/-1", {}, 400),
        ("/api/v1/ledger/entries/20", {}, 404),
        ("/api/v1/ledger/entries/99999999999999999999999", {}, 400),
        ("/api/v1/ledger/entries/abc", {}, 404),
        ("/api/v1/ledger/entries", {"start": -1, "end": 3}, 400),
        ("/api/v1/ledger/entries", {"start": 5, "end": 3}, 400),
        ("/api/v1/ledger/entries", {"start": 0, "end": 1001}, 400),
        ("/api/v1/ledger/entries", {"start": "x", "end": 3}, 400),
        ("/api/v1/ledger/entries", {"start": 0}, 400),
        ("/api/v1/ledger/proof/inclusion", {"index": -1, "size": 5}, 400),
        ("/api/v1/ledger/proof/inclusion", {"index": 5, "size": 5}, 400),
        ("/api/v1/ledger/proof/inclusion", {"index": 0, "size": 21}, 404),
        ("/api/v1/ledger/proof/inclusion", {"index": 0, "size": 2**70}, 400),
        ("/api/v1/ledger/proof/inclusion", {"index": "1.5", "size": 5}, 400),
        ("/api/v1/ledger/proof/consistency", {"first": 6, "second": 5}, 400),
        ("/api/v1/ledger/proof/consistency", {"first": -2, "second": 5}, 400),
        ("/api/v1/ledger/proof/consistency", {"first": 1, "second": 99}, 404),
        ("/api/v1/ledger/checkpoints", {"after": -5}, 400),
        ("/api/v1/ledger/search", {"before": "x"}, 400),
        ("/api/v1/ledger/search", {"from": "2026-13-45"}, 400),
        ("/api/v1/ledger/search", {"from": "2026-03-05", "to": "2026-03-01"}, 400),
    ],
)
async def test_bad_parameters_are_refused_with_a_reason_code_never_a_500(
    client: Any, path: str, params: dict[str, Any], status: int
) -> None:
    await seed(20)
    answer = await client.get(path, params=params)
    assert answer.status_code == status, answer.text
    reasons = answer.json()["reasons"]
    assert reasons[0]["code"] in {"INVALID_REQUEST", "NOT_FOUND"}
    assert reasons[0]["message_vi"]
    assert reasons[0]["message_en"]


async def test_every_ledger_api_route_is_documented_with_its_error_statuses(client: Any) -> None:
    schema = (await client.get("/api/docs/openapi.json")).json()
    for path in (
        "/api/v1/ledger/checkpoint",
        "/api/v1/ledger/entries/{index}",
        "/api/v1/ledger/entries",
        "/api/v1/ledger/proof/inclusion",
        "/api/v1/ledger/proof/consistency",
        "/api/v1/ledger/checkpoints",
        "/api/v1/ledger/search",
    ):
        responses = schema["paths"][path]["get"]["responses"]
        assert {"200", "400", "404"} <= set(responses), path
