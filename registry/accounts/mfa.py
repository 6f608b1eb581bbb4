"""The second factor: TOTP (RFC 6238) codes, each usable once, and one-time recovery codes."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime

import msgspec
import pyotp
import segno
from argon2 import PasswordHasher

from registry.accounts import store
from registry.accounts.passwords import verify_password

#: argon2id at OWASP's minimum (19 MiB, 2 passes): ten codes of 40 random bits each are hashed
#: at enrolment and up to ten are tried per use, so the password hasher's cost would be felt.
_recovery_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

ISSUER = "Delegation registry"
NAMESPACE = "totp"
RECOVERY_CODE_COUNT = 10
#: Accept the code of the previous and the next 30-second step (clock drift of a phone).
DRIFT_STEPS = 1
_TOTP_CODE = re.compile(r"^[0-9]{6}$")
_RECOVERY_CODE = re.compile(r"^[0-9a-f]{10}$")
#: Roles whose accounts must have a second factor.
MFA_ROLES = frozenset({"admin", "leader"})


def needs_second_factor(roles: list[str] | tuple[str, ...], has_secret: bool) -> bool:
    return has_secret or any(role in MFA_ROLES for role in roles)


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG: no image request, nothing for CSP to refuse."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, title="otpauth QR code"))


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an authenticator by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalised(code: str) -> str:
    return re.sub(r"[\s\-]", "", code).lower()


def is_totp_code(code: str) -> bool:
    return bool(_TOTP_CODE.match(normalised(code)))


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (within the allowed drift), or None."""
    code = normalised(code)
    if not _TOTP_CODE.match(code):
        return None
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return step + offset
    return None


async def accept_totp(account_id: int, secret: str, code: str, now: datetime) -> bool:
    """A correct code of a step later than the last accepted one; the step is remembered.

    Callers hold a write transaction, so two requests cannot both spend the same code.
    """
    step = matching_step(secret, code, now)
    if step is None:
        return False
    key = str(account_id)
    last = await store.get_entry(NAMESPACE, key, now)
    if last is not None and msgspec.json.decode(last, type=int) >= step:
        return False
    await store.put_entry(NAMESPACE, key, msgspec.json.encode(step), None)
    return True


def new_recovery_codes() -> list[str]:
    """Ten codes of 40 random bits, shown as `xxxxx-xxxxx`."""
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def hash_recovery_codes(codes: list[str]) -> str:
    return "\n".join(_recovery_hasher.hash(normalised(code)) for code in codes)


def spend_recovery_code(stored: str, code: str) -> str | None:
    """The stored hashes without the one this code matches, or None when none matches."""
    code = normalised(code)
    if not _RECOVERY_CODE.match(code):
        return None
    hashes = [line for line in stored.splitlines() if line]
    for position, code_hash in enumerate(hashes):
        if verify_password(code_hash, code):
            return "\n".join(hashes[:position] + hashes[position + 1 :])
    return None
