"""A small signed ledger and a stand-in HTTP server that speaks the public ledger API."""

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.ledger.canonical import entry_bytes, leaf_hash
from registry.ledger.checkpoint import Checkpoint, sign_note, vkey_for
from registry.ledger.merkle import InMemoryTree

ORIGIN = "registry.example.gov.vn/ledger"
SIGNING_KEY = Ed25519PrivateKey.from_private_bytes(b"\x07" * 32)
VKEY = vkey_for(ORIGIN, SIGNING_KEY.public_key())


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def make_entry(index: int, payload: dict[str, Any]) -> dict[str, Any]:
    recorded_at = f"2025-07-{1 + index % 28:02d}T08:00:00Z"
    event_type = "grant.created"
    encoded = entry_bytes(index, recorded_at, event_type, payload)
    return {
        "index": index,
        "recorded_at": recorded_at,
        "event_type": event_type,
        "payload": payload,
        "leaf_hash": b64(leaf_hash(encoded)),
    }


def rehash(entry: dict[str, Any]) -> dict[str, Any]:
    """Recompute an entry's stated leaf hash after someone changed it."""
    fields = (entry["index"], entry["recorded_at"], entry["event_type"], entry["payload"])
    return {**entry, "leaf_hash": b64(leaf_hash(entry_bytes(*fields)))}


def sample_payload(index: int) -> dict[str, Any]:
    return {"grant": index, "grantee": "official:CB-0001", "note": "Ủy quyền ký thay", "n": index}


@dataclass
class Ledger:
    """Entries, their tree and a checkpoint signed at the current size."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    tree: InMemoryTree = field(default_factory=InMemoryTree)
    key: Ed25519PrivateKey = SIGNING_KEY

    @classmethod
    def of(cls, entries: list[dict[str, Any]]) -> "Ledger":
        ledger = cls()
        for entry in entries:
            ledger.add(entry)
        return ledger

    @classmethod
    def sample(cls, size: int) -> "Ledger":
        return cls.of([make_entry(i, sample_payload(i)) for i in range(size)])

    def add(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)
        self.tree.append(base64.b64decode(entry["leaf_hash"]))

    def note(self, size: int | None = None) -> str:
        size = self.tree.size if size is None else size
        body = Checkpoint(ORIGIN, size, self.tree.root(size)).body()
        return sign_note(body, ORIGIN, self.key)


class _Handler(BaseHTTPRequestHandler):
    ledger: Ledger  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, body: object, content_type: str = "application/json") -> None:
        raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        ledger = self.ledger
        url = urlsplit(self.path)
        query = {k: int(v[0]) for k, v in parse_qs(url.query).items()}
        size = ledger.tree.size
        if url.path == "/ledger/key":
            self._send(VKEY + "\n", "text/plain")
        elif url.path == "/api/v1/ledger/checkpoint":
            root = b64(ledger.tree.root())
            self._send({"checkpoint": ledger.note(), "size": size, "root_hash": root})
        elif url.path.startswith("/api/v1/ledger/entries/"):
            self._send(ledger.entries[int(url.path.rsplit("/", 1)[1])])
        elif url.path == "/api/v1/ledger/entries":
            end = min(query["end"], query["start"] + 1000)
            self._send({"entries": ledger.entries[query["start"] : end]})
        elif url.path == "/api/v1/ledger/proof/inclusion":
            index, tree_size = query["index"], query["size"]
            path = [b64(p) for p in ledger.tree.inclusion_proof(index, tree_size)]
            leaf = b64(ledger.tree.leaf(index))
            self._send(
                {"index": index, "tree_size": tree_size, "leaf_hash": leaf, "audit_path": path}
            )
        elif url.path == "/api/v1/ledger/proof/consistency":
            first, second = query["first"], query["second"]
            proof = [b64(p) for p in ledger.tree.consistency_proof(first, second)]
            self._send({"first": first, "second": second, "proof": proof})
        else:
            self.send_error(404)


class LedgerServer:
    """A running stand-in server; assign `ledger` to change what it serves."""

    def __init__(self, ledger: Ledger) -> None:
        self.handler = type("Handler", (_Handler,), {"ledger": ledger})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def ledger(self) -> Ledger:
        return self.handler.ledger  # type: ignore[attr-defined]

    @ledger.setter
    def ledger(self, value: Ledger) -> None:
        self.handler.ledger = value  # type: ignore[attr-defined]


@contextmanager
def serving(ledger: Ledger) -> Iterator[LedgerServer]:
    server = LedgerServer(ledger)
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join()
