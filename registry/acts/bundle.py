"""The evidence bundle of an inspection case, as a ZIP anyone can check without trusting us.

Contents: `summary.html` and `summary.pdf`; `acts.csv` (acts and verdicts); `chains.json`
(frozen chains); `proofs/<act>.json` (each act's ledger entries and their inclusion proofs against
the checkpoint); `entries.ndjson` + `checkpoint.txt` + `vkey.txt`, which
`tools/verify_ledger.py --file entries.ndjson --checkpoint checkpoint.txt --vkey vkey.txt` verifies.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from registry.acts.cases import FindingRow, case_act_ids, case_summary, findings
from registry.acts.services import ActDetail, act_detail
from registry.errors import NotFound
from registry.ledger import merkle
from registry.ledger.exports import ndjson_line
from registry.ledger.journal import default_signer, fetch_nodes
from registry.ledger.proofs import entries_between, latest_checkpoint

_PAGE = 1000


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def acts_csv(acts: Sequence[ActDetail]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "id",
            "number",
            "issuing_unit_code",
            "power_code",
            "signer_official_code",
            "signer_position_code",
            "signature_form",
            "signed_at",
            "unit_code",
            "sector",
            "act_type",
            "amount",
            "verdict",
            "reason_codes",
            "ledger_index",
        ]
    )
    for a in acts:
        writer.writerow(
            [
                a.id,
                a.number,
                a.issuing_unit,
                a.power,
                a.signer,
                a.signer_position,
                a.signature_form,
                a.signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                a.unit,
                a.sector,
                a.act_type,
                "" if a.amount is None else a.amount,
                a.verdict,
                " ".join(str(r.code) for r in a.reasons),
                a.ledger_index,
            ]
        )
    return "\ufeff" + buffer.getvalue()


async def _entries_ndjson(size: int) -> bytes:
    parts: list[bytes] = []
    for start in range(0, size, _PAGE):
        parts.extend(ndjson_line(e) for e in await entries_between(start, min(size, start + _PAGE)))
    return b"".join(parts)


async def _proofs(acts: Sequence[ActDetail], size: int, root: bytes) -> dict[int, dict[str, Any]]:
    """Each act's two entries (recorded, traced) with PATH(index, D[size]), one node query."""
    wanted = {
        a.id: [i for i in (a.ledger_index - 1, a.ledger_index) if 0 <= i < size]
        for a in acts
        if a.ledger_index is not None
    }
    keys = {
        key
        for indexes in wanted.values()
        for i in indexes
        for key in (*merkle.inclusion_proof_keys(i, size), (0, i))
    }
    nodes = await fetch_nodes(keys)
    proofs: dict[int, dict[str, Any]] = {}
    for act_id, indexes in wanted.items():
        items = []
        for index in indexes:
            path = merkle.assemble_inclusion_proof(index, size, nodes)
            leaf = nodes[(0, index)]
            items.append(
                {
                    "index": index,
                    "leaf_hash": b64(leaf),
                    "tree_size": size,
                    "audit_path": [b64(h) for h in path],
                    "verifies": merkle.verify_inclusion(leaf, index, size, path, root),
                }
            )
        proofs[act_id] = {"act": act_id, "root_hash": b64(root), "entries": items}
    return proofs


def summary_html(context: dict[str, Any]) -> str:
    from registry.web.templating import build_environment

    return build_environment().get_template("cases/summary.html").render(**context)


def summary_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


async def case_bundle(case_id: int, *, with_pdf: bool = True) -> bytes:
    """The ZIP of a case, against the latest checkpoint."""
    case = await case_summary(case_id)
    acts = [await act_detail(i) for i in await case_act_ids(case_id)]
    found: list[FindingRow] = await findings(case_id)
    checkpoint = await latest_checkpoint()
    if checkpoint is None:
        raise NotFound("ledger checkpoint")
    proofs = await _proofs(acts, checkpoint.size, checkpoint.root_hash)
    html = summary_html(
        {
            "case": case,
            "acts": acts,
            "findings": found,
            "checkpoint": checkpoint,
            "generated_at": datetime.now(UTC),
        }
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.html", html)
        if with_pdf:
            archive.writestr("summary.pdf", summary_pdf(html))
        archive.writestr("acts.csv", acts_csv(acts))
        archive.writestr(
            "chains.json",
            json.dumps({str(a.id): a.chain for a in acts}, ensure_ascii=False, indent=1),
        )
        for act_id, proof in proofs.items():
            archive.writestr(f"proofs/{act_id}.json", json.dumps(proof, indent=1))
        archive.writestr("entries.ndjson", await _entries_ndjson(checkpoint.size))
        archive.writestr("checkpoint.txt", checkpoint.note)
        archive.writestr("vkey.txt", default_signer().vkey + "\n")
        archive.writestr("README.txt", README)
    return buffer.getvalue()


README = """Evidence bundle / Hồ sơ chứng cứ

Verify the ledger offline / Kiểm tra sổ cái không cần mạng:
  python tools/verify_ledger.py --file entries.ndjson --checkpoint checkpoint.txt --vkey vkey.txt
proofs/<act>.json: inclusion proof of each act's entries (recorded, traced) in that checkpoint.
chains.json: the chain of grants frozen when each act was traced. acts.csv: acts and verdicts.
"""
