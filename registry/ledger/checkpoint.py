"""C2SP tlog-checkpoint bodies in C2SP signed notes, signed and verified with Ed25519."""

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519_ALGORITHM = 0x01
SIGNATURE_PREFIX = "\u2014 "  # em dash and space start every signature line
MAX_SIGNATURES = 100
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class CheckpointError(ValueError):
    """A note, checkpoint or verifier key is malformed or does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin, its size and the Merkle root at that size."""

    origin: str
    size: int
    root_hash: bytes
    #: Optional extension lines after the root, kept verbatim (without newlines).
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """Return the checkpoint text `<origin>\\n<size>\\n<base64 root>\\n[extensions]`."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode("ascii")]
        return "".join(f"{line}\n" for line in (*lines, *self.extensions))


@dataclass(frozen=True)
class Signature:
    """One signature line of a note: key name, 4-byte key hash and signature bytes."""

    name: str
    key_hash: bytes
    signature: bytes


@dataclass(frozen=True)
class VerifierKey:
    """A parsed Ed25519 verifier key of the C2SP signed-note format."""

    name: str
    key_hash: bytes
    public_key: Ed25519PublicKey


def check_key_name(name: str) -> None:
    """Refuse a note key name that is empty or holds whitespace or a plus sign."""
    if not name or "+" in name or any(ch.isspace() for ch in name):
        raise CheckpointError(f"key name {name!r} must be non-empty, without spaces or '+'")


def _raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_hash(name: str, public_key: Ed25519PublicKey) -> bytes:
    """Return the 4-byte key hash SHA-256(name || "\\n" || 0x01 || public key)[:4]."""
    material = name.encode("utf-8") + b"\n" + bytes([ED25519_ALGORITHM])
    return hashlib.sha256(material + _raw_public_key(public_key)).digest()[:4]


def vkey_for(name: str, public_key: Ed25519PublicKey) -> str:
    """Return the verifier key string `<name>+<hex key hash>+<base64(0x01 || public key)>`."""
    check_key_name(name)
    encoded = base64.b64encode(bytes([ED25519_ALGORITHM]) + _raw_public_key(public_key))
    return f"{name}+{key_hash(name, public_key).hex()}+{encoded.decode('ascii')}"


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise CheckpointError(f"{what} is not valid base64") from None


def parse_vkey(vkey: str) -> VerifierKey:
    """Parse a verifier key string and check its key hash against its name and key."""
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3:
        raise CheckpointError("verifier key must be <name>+<key hash>+<key>")
    name, hash_hex, key_b64 = parts
    check_key_name(name)
    if not re.fullmatch(r"[0-9a-f]{8}", hash_hex):
        raise CheckpointError("verifier key hash must be 8 lower-case hex digits")
    key = _b64decode(key_b64, "verifier key")
    if len(key) != 33 or key[0] != ED25519_ALGORITHM:
        raise CheckpointError("verifier key is not an Ed25519 key (0x01 and 32 bytes)")
    public_key = Ed25519PublicKey.from_public_bytes(key[1:])
    if key_hash(name, public_key).hex() != hash_hex:
        raise CheckpointError("verifier key hash does not match its name and key")
    return VerifierKey(name, bytes.fromhex(hash_hex), public_key)


def _check_text(body: str) -> None:
    if not body.endswith("\n"):
        raise CheckpointError("note body must end with a newline")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in body):
        raise CheckpointError("note body must not contain control characters")


def sign_note(body: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """Return the signed note: body, a blank line and one Ed25519 signature line."""
    check_key_name(name)
    _check_text(body)
    public_key = private_key.public_key()
    signature = private_key.sign(body.encode("utf-8"))
    encoded = base64.b64encode(key_hash(name, public_key) + signature).decode("ascii")
    return f"{body}\n{SIGNATURE_PREFIX}{name} {encoded}\n"


def parse_note(text: str) -> tuple[str, list[Signature]]:
    """Split a signed note into its body and its signature lines."""
    split = text.rfind("\n\n")
    if split < 0:
        raise CheckpointError("note has no blank line before its signatures")
    body, block = text[: split + 1], text[split + 2 :]
    _check_text(body)
    if not block.endswith("\n"):
        raise CheckpointError("note signatures must end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise CheckpointError(f"note has more than {MAX_SIGNATURES} signatures")
    signatures = []
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise CheckpointError("signature line must start with an em dash and a space")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        check_key_name(name)
        raw = _b64decode(encoded, f"signature of {name}")
        if len(raw) < 5:
            raise CheckpointError(f"signature of {name} is too short")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    return body, signatures


def parse_checkpoint(body: str) -> Checkpoint:
    """Parse a checkpoint body: origin, decimal size, base64 root and extension lines."""
    _check_text(body)
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs an origin, a size and a root hash line")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise CheckpointError("checkpoint origin is empty")
    if not _DECIMAL.fullmatch(size_text):
        raise CheckpointError(f"checkpoint size {size_text!r} is not a decimal number")
    root_hash = _b64decode(root_text, "checkpoint root hash")
    if len(root_hash) != 32:
        raise CheckpointError("checkpoint root hash is not 32 bytes")
    if any(not line for line in extensions):
        raise CheckpointError("checkpoint extension lines must not be empty")
    return Checkpoint(origin, int(size_text), root_hash, tuple(extensions))


def verify_note(text: str, vkey: str, origin: str | None = None) -> Checkpoint:
    """Verify the note's signature by vkey and return its checkpoint (origin checked if given)."""
    key = parse_vkey(vkey)
    body, signatures = parse_note(text)
    mine = [s for s in signatures if s.name == key.name and s.key_hash == key.key_hash]
    if not mine:
        raise CheckpointError(f"note has no signature by key {key.name}+{key.key_hash.hex()}")
    for signature in mine:
        try:
            key.public_key.verify(signature.signature, body.encode("utf-8"))
        except InvalidSignature:
            raise CheckpointError(f"signature by {key.name} does not verify") from None
    checkpoint = parse_checkpoint(body)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    return checkpoint
