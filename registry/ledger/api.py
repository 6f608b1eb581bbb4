"""The public ledger's JSON API: checkpoints, entries, Merkle proofs and search."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from litestar import MediaType, Request, get
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, QueryParameter

from registry.ledger import proofs
from registry.ledger.journal import default_signer
from registry.ledger.schemas import (
    CheckpointAnswer,
    CheckpointsAnswer,
    ConsistencyProofAnswer,
    ErrorAnswer,
    InclusionProofAnswer,
    LedgerEntriesAnswer,
    LedgerEntryAnswer,
    LedgerSearchAnswer,
)
from registry.ledger.search import LedgerQuery, parse_before, parse_query, search_ledger

PUBLIC = {"public": True}
_BAD = ResponseSpec(ErrorAnswer, description="Invalid parameter (reason INVALID_REQUEST)")
_MISSING = ResponseSpec(ErrorAnswer, description="No such entry, tree size or checkpoint")
ERRORS = {400: _BAD, 404: _MISSING}


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def entry_answer(entry: proofs.StoredEntry) -> LedgerEntryAnswer:
    return LedgerEntryAnswer(
        entry.index, entry.recorded_at, entry.event_type, entry.payload, b64(entry.leaf_hash)
    )


def checkpoint_answer(checkpoint: proofs.StoredCheckpoint) -> CheckpointAnswer:
    return CheckpointAnswer(checkpoint.note, checkpoint.size, b64(checkpoint.root_hash))


@get("/ledger/key", name="ledger:key", media_type=MediaType.TEXT, opt=PUBLIC, sync_to_thread=False)
def ledger_key() -> str:
    """The C2SP verifier key of the checkpoint signing key (pin a copy published elsewhere)."""
    return default_signer().vkey + "\n"


@get("/api/v1/ledger/checkpoint", name="ledger_api:checkpoint", opt=PUBLIC, responses=ERRORS)
async def latest_checkpoint() -> CheckpointAnswer:
    """The latest signed tree head."""
    return checkpoint_answer(await proofs.require_latest_checkpoint())


@get("/api/v1/ledger/checkpoints", name="ledger_api:checkpoints", opt=PUBLIC, responses=ERRORS)
async def checkpoints(after: FromQuery[int | None] = None) -> CheckpointsAnswer:
    """Every checkpoint with a size above `after` (all if absent), oldest first, at most 1000."""
    found = await proofs.checkpoints_after(after)
    return CheckpointsAnswer([checkpoint_answer(c) for c in found])


@get("/api/v1/ledger/entries/{index:int}", name="ledger_api:entry", opt=PUBLIC, responses=ERRORS)
async def ledger_entry(index: FromPath[int]) -> LedgerEntryAnswer:
    """One entry; its payload is the JSON object that was hashed."""
    return entry_answer(await proofs.entry_at(index))


@get("/api/v1/ledger/entries", name="ledger_api:entries", opt=PUBLIC, responses=ERRORS)
async def ledger_entries(start: FromQuery[int], end: FromQuery[int]) -> LedgerEntriesAnswer:
    """Entries with index in [start, end), at most 1000."""
    return LedgerEntriesAnswer([entry_answer(e) for e in await proofs.entries_between(start, end)])


@get("/api/v1/ledger/proof/inclusion", name="ledger_api:inclusion", opt=PUBLIC, responses=ERRORS)
async def inclusion_proof(index: FromQuery[int], size: FromQuery[int]) -> InclusionProofAnswer:
    """RFC 9162 inclusion proof of entry `index` in the tree of `size` entries."""
    proof = await proofs.inclusion_proof(index, size)
    return InclusionProofAnswer(
        proof.index, proof.tree_size, b64(proof.leaf_hash), [b64(h) for h in proof.audit_path]
    )


@get(
    "/api/v1/ledger/proof/consistency",
    name="ledger_api:consistency",
    opt=PUBLIC,
    responses=ERRORS,
)
async def consistency_proof(
    first: FromQuery[int], second: FromQuery[int]
) -> ConsistencyProofAnswer:
    """RFC 9162 proof that the tree of `first` entries is a prefix of the one of `second`."""
    proof = await proofs.consistency_proof(first, second)
    return ConsistencyProofAnswer(proof.first, proof.second, [b64(h) for h in proof.proof])


def provide_ledger_query(
    q: FromQuery[str] = "",
    event_type: FromQuery[str] = "",
    power: FromQuery[str] = "",
    unit: FromQuery[str] = "",
    sector: FromQuery[str] = "",
    kind: FromQuery[str] = "",
    status: FromQuery[str] = "",
    date_from: Annotated[str, QueryParameter(name="from", description="YYYY-MM-DD")] = "",
    date_to: Annotated[str, QueryParameter(name="to", description="YYYY-MM-DD, inclusive")] = "",
) -> LedgerQuery:
    """The search parameters shared by the API, the page, the feed and the exports."""
    return parse_query(
        {
            "q": q,
            "event_type": event_type,
            "power": power,
            "unit": unit,
            "sector": sector,
            "kind": kind,
            "status": status,
            "from": date_from,
            "to": date_to,
        }
    )


#: A handler parameter that receives the parsed search, from `provide_ledger_query`.
SearchParams = NamedDependency[LedgerQuery]
LEDGER_QUERY = {"ledger_query": Provide(provide_ledger_query, sync_to_thread=False)}


@get(
    "/api/v1/ledger/search",
    name="ledger_api:search",
    opt=PUBLIC,
    responses=ERRORS,
    dependencies=LEDGER_QUERY,
)
async def search(
    request: Request[Any, Any, Any],
    ledger_query: SearchParams,
    before: FromQuery[str] = "",
) -> LedgerSearchAnswer:
    """Newest first: q (words, "a phrase", prefix*), filters, dates, keyset cursor `before`."""
    zone = request.app.state["settings"].zone
    page = await search_ledger(ledger_query, zone, parse_before(before))
    return LedgerSearchAnswer([entry_answer(e) for e in page.entries], page.next_before)


API_ROUTES = [
    ledger_key,
    latest_checkpoint,
    checkpoints,
    ledger_entry,
    ledger_entries,
    inclusion_proof,
    consistency_proof,
    search,
]
