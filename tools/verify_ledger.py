#!/usr/bin/env python3
"""Verify a delegation registry's public ledger against its signed checkpoints, trusting nothing.

This script needs only the Python standard library and `cryptography`, and on purpose does NOT
import the `registry` package: it re-implements the canonical entry JSON, the RFC 9162 Merkle
hashing and proof checks, and the C2SP signed-note verification from the specifications. A
verifier that shared the server's code would share its bugs and could be changed together with
it; an independent copy lets anyone check that history was never rewritten.

Usage:
  verify_ledger.py https://registry.example [--vkey VKEY_OR_FILE] [--entries 0,5,17]
                   [--saved-checkpoint FILE] [--all]
  verify_ledger.py --file export.ndjson --checkpoint cp.txt --vkey VKEY_OR_FILE

Exit status: 0 verified, 1 the ledger failed verification, 2 usage or connection error.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import http.client
import json
import re
import sys
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

PAGE_SIZE = 1000
HTTP_TIMEOUT = 30
SIGNATURE_PREFIX = "\u2014 "


class VerifyError(Exception):
    """The ledger (or something the server sent) failed verification."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class FetchError(Exception):
    """The server could not be reached at all."""


class Checkpoint(NamedTuple):
    """A verified tree head."""

    origin: str
    size: int
    root_hash: bytes


# Canonical entry bytes and RFC 9162 hashing


def _normalise(value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical JSON")
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("object keys must be strings")
            nfc_key = unicodedata.normalize("NFC", key)
            if nfc_key in result:
                raise ValueError(f"two keys are equal after NFC normalisation: {nfc_key!r}")
            result[nfc_key] = _normalise(item)
        return result
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def canonical_json(value: Any) -> bytes:
    """Sorted keys, NFC strings, no spaces, UTF-8, integers only."""
    return json.dumps(
        _normalise(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def entry_leaf_hash(entry: Mapping[str, Any], expected_index: int) -> bytes:
    """Recompute an entry's leaf hash and check the hash the entry states, if any."""
    index = entry.get("index")
    if index != expected_index or isinstance(index, bool):
        raise VerifyError(f"expected entry {expected_index}, got index {index!r}", expected_index)
    if "payload" not in entry:
        raise VerifyError(f"entry {index} has no payload", index)
    fields = {key: entry.get(key) for key in ("event_type", "index", "payload", "recorded_at")}
    if not isinstance(fields["recorded_at"], str) or not isinstance(fields["event_type"], str):
        raise VerifyError(f"entry {index} lacks recorded_at or event_type", index)
    try:
        computed = hashlib.sha256(b"\x00" + canonical_json(fields)).digest()
    except (TypeError, ValueError) as error:
        raise VerifyError(f"entry {index} is not canonical JSON: {error}", index) from None
    stated = entry.get("leaf_hash")
    if stated is not None and _b64(stated, f"leaf_hash of entry {index}") != computed:
        raise VerifyError(f"entry {index}: leaf_hash does not match its content", index)
    return computed


class RootBuilder:
    """Streams leaf hashes and returns MTH of all of them, keeping O(log n) hashes."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[bytes] = []

    def add(self, leaf: bytes) -> None:
        self._stack.append(leaf)
        self.size += 1
        merges = (self.size & -self.size).bit_length() - 1  # trailing zeros: completed pairs
        for _ in range(merges):
            right = self._stack.pop()
            self._stack.append(node_hash(self._stack.pop(), right))

    def root(self) -> bytes:
        if not self._stack:
            return hashlib.sha256(b"").digest()
        result = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            result = node_hash(left, result)
        return result


def root_of(leaves: Iterable[bytes]) -> bytes:
    builder = RootBuilder()
    for leaf in leaves:
        builder.add(leaf)
    return builder.root()


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size or any(len(p) != 32 for p in proof):
        return False
    fn, sn, result = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(p, result)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2 (plus the trivial cases first == second and first == 0)."""
    if first < 0 or second < first or any(len(p) != 32 for p in proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == hashlib.sha256(b"").digest()
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


# C2SP signed notes and checkpoints


def _b64(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise VerifyError(f"{what} is not a base64 string")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise VerifyError(f"{what} is not valid base64") from None


def _key_hash(name: str, raw_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n\x01" + raw_key).digest()[:4]


def verify_note(note: str, vkey: str) -> Checkpoint:
    """Check the Ed25519 signature of a C2SP signed note by vkey and parse its checkpoint."""
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
        raise VerifyError("verifier key must be <name>+<8 hex digits>+<base64 key>")
    name, hash_hex, key_b64 = parts
    key = _b64(key_b64, "verifier key")
    if len(key) != 33 or key[0] != 1:
        raise VerifyError("verifier key is not an Ed25519 key")
    if _key_hash(name, key[1:]).hex() != hash_hex:
        raise VerifyError("verifier key hash does not match its name and key")
    public_key = Ed25519PublicKey.from_public_bytes(key[1:])

    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise VerifyError("checkpoint is not a signed note (no blank line before signatures)")
    body, signature_lines = note[: split + 1], note[split + 2 : -1].split("\n")
    signed = False
    for line in signature_lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise VerifyError("malformed signature line in checkpoint note")
        signer, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        raw = _b64(encoded, "note signature")
        if signer != name or raw[:4].hex() != hash_hex:
            continue  # another witness or key: not ours to check
        try:
            public_key.verify(raw[4:], body.encode("utf-8"))
        except InvalidSignature:
            raise VerifyError(f"checkpoint signature by {name} is forged or corrupt") from None
        signed = True
    if not signed:
        raise VerifyError(f"checkpoint carries no signature by key {name}+{hash_hex}")

    lines = body[:-1].split("\n")
    if len(lines) < 3 or not lines[0] or not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
        raise VerifyError("checkpoint body is not <origin>\\n<size>\\n<root>\\n")
    root = _b64(lines[2], "checkpoint root hash")
    if len(root) != 32:
        raise VerifyError("checkpoint root hash is not 32 bytes")
    return Checkpoint(lines[0], int(lines[1]), root)


# Verifying a list of entries against a checkpoint (reusable for exports and bundles)


def leaf_hashes_of(entries: Iterable[Mapping[str, Any]], size: int) -> list[bytes]:
    """Recompute the first `size` leaf hashes, checking indexes are 0, 1, 2, ... in order."""
    leaves: list[bytes] = []
    for entry in entries:
        if len(leaves) == size:
            break
        if not isinstance(entry, Mapping):
            raise VerifyError(f"entry {len(leaves)} is not a JSON object", len(leaves))
        leaves.append(entry_leaf_hash(entry, len(leaves)))
    if len(leaves) < size:
        raise VerifyError(
            f"entries {len(leaves)}..{size - 1} are missing (checkpoint covers {size})",
            len(leaves),
        )
    return leaves


def verify_entries_against_checkpoint(
    entries: Iterable[Mapping[str, Any]], note: str, vkey: str
) -> Checkpoint:
    """Verify the note by vkey, then that the entries' first `size` leaves give its root.

    Entries after the checkpoint's size are ignored. Raises VerifyError naming the first bad
    index when one can be named.
    """
    checkpoint = verify_note(note, vkey)
    leaves = leaf_hashes_of(entries, checkpoint.size)
    if root_of(leaves) != checkpoint.root_hash:
        raise VerifyError(
            f"entries 0..{checkpoint.size - 1} do not hash to the signed root: an entry was "
            "changed, inserted or removed (its stated leaf hashes were recomputed to hide it)"
        )
    return checkpoint


def read_ndjson(path: Path) -> Iterator[Mapping[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line, object_pairs_hook=_no_duplicates)
                except ValueError as error:
                    raise VerifyError(f"line {number} of {path} is not JSON: {error}") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key in a JSON object")
    return result


# Talking to a registry


class Server:
    """A registry's public ledger API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def _get(self, path: str, params: Mapping[str, int] | None = None) -> bytes:
        url = self.base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        parts = urllib.parse.urlsplit(url)
        # Only http(s), and no redirects: a verifier should see exactly who answers.
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url}")
        connection_class: type[http.client.HTTPConnection] = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname, parts.port, timeout=HTTP_TIMEOUT)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", target, headers={"Accept": "application/json, text/plain"})
            response = connection.getresponse()
            body: bytes = response.read()
        except OSError as error:
            raise FetchError(f"cannot reach {url}: {error}") from None
        finally:
            connection.close()
        if response.status != 200:
            raise VerifyError(f"GET {url} answered HTTP {response.status}")
        return body

    def json(self, path: str, params: Mapping[str, int] | None = None) -> dict[str, Any]:
        try:
            value = json.loads(self._get(path, params), object_pairs_hook=_no_duplicates)
        except ValueError as error:
            raise VerifyError(f"GET {path} did not return JSON: {error}") from None
        if not isinstance(value, dict):
            raise VerifyError(f"GET {path} did not return a JSON object")
        return value

    def text(self, path: str) -> str:
        return self._get(path).decode("utf-8")

    def checkpoint(self) -> dict[str, Any]:
        return self.json("/api/v1/ledger/checkpoint")

    def entry(self, index: int) -> dict[str, Any]:
        return self.json(f"/api/v1/ledger/entries/{index}")

    def entries(self, size: int) -> Iterator[Mapping[str, Any]]:
        start = 0
        while start < size:
            end = min(start + PAGE_SIZE, size)
            page = self.json("/api/v1/ledger/entries", {"start": start, "end": end})
            batch = page.get("entries")
            if not isinstance(batch, list) or not batch:
                raise VerifyError(f"server returned no entries from {start}", start)
            yield from batch
            start += len(batch)

    def inclusion(self, index: int, size: int) -> dict[str, Any]:
        return self.json("/api/v1/ledger/proof/inclusion", {"index": index, "size": size})

    def consistency(self, first: int, second: int) -> dict[str, Any]:
        return self.json("/api/v1/ledger/proof/consistency", {"first": first, "second": second})


def _proof(value: object, what: str) -> list[bytes]:
    if not isinstance(value, list):
        raise VerifyError(f"{what} is not a list")
    return [_b64(p, what) for p in value]


def check_inclusion(server: Server, checkpoint: Checkpoint, index: int) -> None:
    if not 0 <= index < checkpoint.size:
        raise VerifyError(
            f"entry {index} is outside the checkpoint (size {checkpoint.size})", index
        )
    leaf = entry_leaf_hash(server.entry(index), index)
    answer = server.inclusion(index, checkpoint.size)
    if answer.get("index") != index or answer.get("tree_size") != checkpoint.size:
        raise VerifyError(f"inclusion proof for entry {index} is for another index or size", index)
    path = _proof(answer.get("audit_path"), f"audit path of entry {index}")
    if not verify_inclusion(leaf, index, checkpoint.size, path, checkpoint.root_hash):
        raise VerifyError(f"entry {index} is not in the signed tree", index)


def check_consistency(server: Server, old: Checkpoint, new: Checkpoint) -> None:
    if old.origin != new.origin:
        raise VerifyError(f"saved checkpoint is for log {old.origin!r}, not {new.origin!r}")
    if old.size > new.size:
        raise VerifyError(f"the log shrank from {old.size} to {new.size} entries", new.size)
    proof: list[bytes] = []
    if 0 < old.size < new.size:
        answer = server.consistency(old.size, new.size)
        if answer.get("first") != old.size or answer.get("second") != new.size:
            raise VerifyError("consistency proof is for other sizes")
        proof = _proof(answer.get("proof"), "consistency proof")
    if not verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof):
        raise VerifyError(
            f"the log at size {new.size} does not extend the saved one at size {old.size}: "
            "history was rewritten"
        )


def first_divergence(server: Server, leaves: Sequence[bytes], checkpoint: Checkpoint) -> int:
    """Binary-search the longest prefix the signed tree agrees with; its end is the bad index."""

    def agrees(prefix: int) -> bool:
        if prefix == checkpoint.size:
            return False  # the full root already disagreed
        answer = server.consistency(prefix, checkpoint.size)
        proof = _proof(answer.get("proof"), "consistency proof")
        return verify_consistency(
            prefix, checkpoint.size, root_of(leaves[:prefix]), checkpoint.root_hash, proof
        )

    good, bad = 0, checkpoint.size  # agrees(0) is true; agrees(size) is false
    while bad - good > 1:
        middle = (good + bad) // 2
        good, bad = (middle, bad) if agrees(middle) else (good, middle)
    return good


def check_all(server: Server, checkpoint: Checkpoint) -> None:
    leaves = leaf_hashes_of(server.entries(checkpoint.size), checkpoint.size)
    if root_of(leaves) != checkpoint.root_hash:
        index = first_divergence(server, leaves, checkpoint)
        raise VerifyError(f"entry {index} differs from the one in the signed tree", index)


def _read_vkey(value: str) -> str:
    path = Path(value)
    return path.read_text(encoding="utf-8").strip() if path.is_file() else value.strip()


def verify_server(args: argparse.Namespace, say: Callable[[str], None]) -> str:
    server = Server(args.server)
    if args.vkey:
        vkey = _read_vkey(args.vkey)
    else:
        vkey = server.text("/ledger/key").strip()
        say(
            "WARNING: using the key the server itself serves; a rewritten log could come with a "
            "new key. Pin the published key with --vkey for a real check."
        )
    answer = server.checkpoint()
    note = answer.get("checkpoint")
    if not isinstance(note, str):
        raise VerifyError("checkpoint answer has no signed note")
    checkpoint = verify_note(note, vkey)
    if answer.get("size") != checkpoint.size or (
        _b64(answer.get("root_hash"), "root_hash") != checkpoint.root_hash
    ):
        raise VerifyError("checkpoint size or root_hash differ from the signed note")
    done = [f"checkpoint {checkpoint.origin} size {checkpoint.size} signature valid"]
    entries = (
        [int(part) for part in args.entries.split(",") if part.strip()] if args.entries else []
    )
    for index in entries:
        check_inclusion(server, checkpoint, index)
    if entries:
        done.append(f"{len(entries)} entries included")
    if args.saved_checkpoint:
        saved_note = Path(args.saved_checkpoint).read_text(encoding="utf-8")
        saved = verify_note(saved_note, vkey)
        check_consistency(server, saved, checkpoint)
        done.append(f"consistent with saved checkpoint at size {saved.size}")
    if args.all:
        check_all(server, checkpoint)
        done.append(f"all {checkpoint.size} entries recompute the signed root")
    return "; ".join(done)


def verify_file(args: argparse.Namespace) -> str:
    if not args.checkpoint or not args.vkey:
        raise FetchError("--file needs --checkpoint and --vkey")
    note = Path(args.checkpoint).read_text(encoding="utf-8")
    checkpoint = verify_entries_against_checkpoint(
        read_ndjson(Path(args.file)), note, _read_vkey(args.vkey)
    )
    return (
        f"{args.file}: entries 0..{checkpoint.size - 1} match checkpoint {checkpoint.origin} "
        f"size {checkpoint.size}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server", nargs="?", help="base URL of the registry")
    parser.add_argument("--vkey", help="verifier key string, or a file holding it")
    parser.add_argument("--entries", help="comma-separated entry indexes to prove included")
    parser.add_argument("--saved-checkpoint", help="a signed checkpoint note saved earlier")
    parser.add_argument("--all", action="store_true", help="download every entry, recompute")
    parser.add_argument("--file", help="NDJSON export of entries to verify offline")
    parser.add_argument("--checkpoint", help="signed checkpoint note for --file")
    args = parser.parse_args(argv)
    if bool(args.server) == bool(args.file):
        parser.error("give either a server URL or --file")

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        summary = verify_file(args) if args.file else verify_server(args, say)
    except VerifyError as error:
        print(f"FAIL: {error}")
        return 1
    except (FetchError, OSError, ValueError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    print(f"OK: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
