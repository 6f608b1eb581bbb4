"""Password hashing with argon2id, and the password policy."""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from registry.domain.reasons import Reason, ReasonCode

# argon2id with the library's current parameters (64 MiB, 3 passes). The test suite lowers the
# memory cost through REGISTRY_ARGON2_MEMORY_KIB so hundreds of sign-ins stay fast; never in
# production.
_hasher = PasswordHasher(
    memory_cost=int(os.environ.get("REGISTRY_ARGON2_MEMORY_KIB") or 65536),
)

MIN_LENGTH = 12
MAX_LENGTH = 128
#: A hash to verify against when the account does not exist, so timing does not tell.
_dummy_hash: list[str] = []


def dummy_hash() -> str:
    """Made on first use, not at import: hashing costs start-up time."""
    if not _dummy_hash:
        _dummy_hash.append(_hasher.hash("not a real password, only for timing"))
    return _dummy_hash[0]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, username: str = "") -> list[Reason]:
    """ASVS-style checks: long enough, not absurdly long, not the user name."""
    if len(password) < MIN_LENGTH:
        return [Reason.of(ReasonCode.PASSWORD_TOO_SHORT, "password", min_length=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [Reason.of(ReasonCode.FIELD_TOO_LONG, "password", max_length=MAX_LENGTH)]
    if username and username.lower() in password.lower():
        return [Reason.of(ReasonCode.PASSWORD_CONTAINS_USERNAME, "password")]
    return []
