"""The ledger's Ed25519 checkpoint signing key, created once in the data directory."""

import contextlib
import os
import secrets
import stat
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from registry.ledger.checkpoint import check_key_name

KEY_FILE_NAME = "ledger-signing-key.pem"


class SigningKeyError(RuntimeError):
    """The signing key file exists but cannot be used safely."""


def _read_key(path: Path) -> Ed25519PrivateKey:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SigningKeyError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} does not hold an Ed25519 private key")
    return key


def _write_new_key(path: Path) -> None:
    """Write a fresh key so that the final name appears only complete and never replaces a key."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # the umask must not widen or narrow it
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        # link() fails if the name exists, so a concurrent starter's key is never overwritten.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def load_or_create_signing_key(data_dir: Path, name: str) -> Ed25519PrivateKey:
    """Return the key in `<data_dir>/ledger-signing-key.pem`, generating it (mode 0600) once.

    `name` is the note key name the key signs under; it is checked here so a bad configuration
    fails at start-up rather than at the first checkpoint.
    """
    check_key_name(name)
    path = Path(data_dir) / KEY_FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new_key(path)
    return _read_key(path)
