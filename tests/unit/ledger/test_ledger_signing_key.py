"""The checkpoint signing key is generated once, kept private and never overwritten."""

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from registry.ledger.checkpoint import CheckpointError
from registry.ledger.signing_key import (
    KEY_FILE_NAME,
    SigningKeyError,
    load_or_create_signing_key,
)

NAME = "registry.example/ledger"


def raw_public(key: object) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)  # type: ignore[attr-defined]


def test_the_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    key = load_or_create_signing_key(tmp_path, NAME)
    path = tmp_path / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert raw_public(load_or_create_signing_key(tmp_path, NAME)) == raw_public(key)
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE_NAME]


def test_an_existing_key_is_never_overwritten(tmp_path: Path) -> None:
    load_or_create_signing_key(tmp_path, NAME)
    path = tmp_path / KEY_FILE_NAME
    before = path.read_bytes()
    for _ in range(3):
        load_or_create_signing_key(tmp_path, NAME)
    assert path.read_bytes() == before


def test_the_data_directory_is_created_when_missing(tmp_path: Path) -> None:
    load_or_create_signing_key(tmp_path / "data" / "ledger", NAME)
    assert (tmp_path / "data" / "ledger" / KEY_FILE_NAME).is_file()


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    load_or_create_signing_key(tmp_path, NAME)
    (tmp_path / KEY_FILE_NAME).chmod(0o644)
    with pytest.raises(SigningKeyError, match="chmod 600"):
        load_or_create_signing_key(tmp_path, NAME)


def test_a_file_that_is_not_an_ed25519_key_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    other = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / KEY_FILE_NAME
    path.write_bytes(other.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    path.chmod(0o600)
    with pytest.raises(SigningKeyError, match="Ed25519"):
        load_or_create_signing_key(tmp_path, NAME)


def test_an_invalid_key_name_fails_before_any_file_is_written(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError):
        load_or_create_signing_key(tmp_path, "bad name")
    assert not any(tmp_path.iterdir())


def test_concurrent_first_starts_all_get_the_same_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(lambda _: load_or_create_signing_key(tmp_path, NAME), range(16)))
    assert len({raw_public(key) for key in keys}) == 1
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE_NAME]
