"""C2SP checkpoints in signed notes: format, signing and the ways verification must fail."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from registry.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    parse_checkpoint,
    parse_note,
    parse_vkey,
    sign_note,
    verify_note,
    vkey_for,
)

NAME = "registry.example.gov.vn/ledger"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
VKEY = vkey_for(NAME, KEY.public_key())
CHECKPOINT = Checkpoint(NAME, 42, hashlib.sha256(b"root").digest())


def signed() -> str:
    return sign_note(CHECKPOINT.body(), NAME, KEY)


def test_body_is_origin_size_and_base64_root_each_on_a_line() -> None:
    root = base64.b64encode(CHECKPOINT.root_hash).decode()
    assert CHECKPOINT.body() == f"{NAME}\n42\n{root}\n"
    assert parse_checkpoint(CHECKPOINT.body()) == CHECKPOINT


def test_signed_note_has_a_blank_line_and_an_em_dash_signature_line() -> None:
    note = signed()
    body, signature_block = note.split("\n\n")
    assert body + "\n" == CHECKPOINT.body()
    assert signature_block.startswith(f"\u2014 {NAME} ")
    raw = base64.b64decode(signature_block.split(" ")[2])
    assert len(raw) == 4 + 64
    public = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    expected_hash = hashlib.sha256(NAME.encode() + b"\n\x01" + public).digest()[:4]
    assert raw[:4] == expected_hash


def test_vkey_names_the_key_hash_and_the_algorithm_tagged_key() -> None:
    name, key_hash, key = VKEY.split("+", 2)
    public = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert name == NAME
    assert key == base64.b64encode(b"\x01" + public).decode()
    assert bytes.fromhex(key_hash) == parse_vkey(VKEY).key_hash


def test_a_signed_checkpoint_verifies_and_round_trips() -> None:
    assert verify_note(signed(), VKEY, origin=NAME) == CHECKPOINT
    body, signatures = parse_note(signed())
    assert body == CHECKPOINT.body()
    assert [s.name for s in signatures] == [NAME]


def test_a_forged_signature_is_rejected() -> None:
    note = signed()
    body, line = note.split("\n\n")
    prefix, encoded = line.rsplit(" ", 1)
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 1
    forged = f"{body}\n\n{prefix} {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(CheckpointError, match="does not verify"):
        verify_note(forged, VKEY)


def test_a_note_signed_by_another_key_is_rejected() -> None:
    other = Ed25519PrivateKey.generate()
    with pytest.raises(CheckpointError, match="no signature by key"):
        verify_note(sign_note(CHECKPOINT.body(), NAME, other), VKEY)


def test_a_modified_body_is_rejected() -> None:
    note = signed().replace("\n42\n", "\n43\n", 1)
    with pytest.raises(CheckpointError, match="does not verify"):
        verify_note(note, VKEY)


def test_the_expected_origin_is_checked() -> None:
    with pytest.raises(CheckpointError, match="origin"):
        verify_note(signed(), VKEY, origin="other.example/log")


def test_signatures_by_unknown_witnesses_are_ignored() -> None:
    witness = Ed25519PrivateKey.generate()
    cosigned = signed() + sign_note(CHECKPOINT.body(), "witness", witness).split("\n\n")[1]
    assert verify_note(cosigned, VKEY) == CHECKPOINT


def test_a_vkey_whose_hash_does_not_match_is_rejected() -> None:
    name, _, key = VKEY.split("+", 2)
    with pytest.raises(CheckpointError, match="hash does not match"):
        parse_vkey(f"{name}+00000000+{key}")


@pytest.mark.parametrize(
    "body",
    [
        "origin\n42\n",
        "origin\n042\nAAAA\n",
        "origin\n-1\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n1\n" + base64.b64encode(bytes(31)).decode() + "\n",
        "\n1\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n1\n" + base64.b64encode(bytes(32)).decode(),
    ],
)
def test_malformed_checkpoint_bodies_are_rejected(body: str) -> None:
    with pytest.raises(CheckpointError):
        parse_checkpoint(body)


@pytest.mark.parametrize("name", ["", "with space", "a+b"])
def test_bad_key_names_are_refused(name: str) -> None:
    with pytest.raises(CheckpointError, match="key name"):
        sign_note(CHECKPOINT.body(), name, KEY)


def test_a_note_without_signatures_is_rejected() -> None:
    with pytest.raises(CheckpointError, match="blank line"):
        verify_note(CHECKPOINT.body(), VKEY)


def test_a_vkey_whose_base64_key_contains_plus_signs_parses() -> None:
    # Only the first two '+' separate fields; this fixed key's base64 holds more of them.
    assert VKEY.count("+") > 2
    assert parse_vkey(VKEY).name == NAME
