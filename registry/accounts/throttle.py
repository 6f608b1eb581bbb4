"""Brute-force brakes: a temporary lock per user name and a failure counter per client address.

Unknown user names are counted and locked exactly like real ones, so neither the message nor the
behaviour tells an attacker which names exist. Counters live in the shared store (every worker
sees them); real accounts also carry theirs in `UserAccount.failed_logins` / `locked_until`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import msgspec

from registry.accounts import store

NAMESPACE = "ratelimit"
MAX_ACCOUNT_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
MAX_ADDRESS_FAILURES = 20
ADDRESS_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class FailureCount:
    failures: int
    locked_until: datetime | None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def after_failure(self, now: datetime) -> FailureCount:
        """One more failure; the fifth in a row locks for 15 minutes, an expired lock restarts."""
        failures = (
            0 if self.locked_until is not None and self.locked_until <= now else self.failures
        )
        failures += 1
        if failures >= MAX_ACCOUNT_FAILURES:
            return FailureCount(failures, now + LOCK_DURATION)
        return FailureCount(failures, None)


class _Counter(msgspec.Struct):
    failures: int
    locked_until: datetime | None = None


def _user_key(username: str) -> str:
    return "user:" + hashlib.sha256(username.encode("utf-8")).hexdigest()


def _address_key(address: str) -> str:
    return "ip:" + address[:100]


async def unknown_user_count(username: str, now: datetime) -> FailureCount:
    value = await store.get_entry(NAMESPACE, _user_key(username), now)
    if value is None:
        return FailureCount(0, None)
    counter = msgspec.json.decode(value, type=_Counter)
    return FailureCount(counter.failures, counter.locked_until)


async def save_unknown_user_count(username: str, count: FailureCount, now: datetime) -> None:
    expires = count.locked_until or now + LOCK_DURATION
    value = msgspec.json.encode(_Counter(count.failures, count.locked_until))
    await store.put_entry(NAMESPACE, _user_key(username), value, expires)


async def address_failures(address: str, now: datetime) -> int:
    value = await store.get_entry(NAMESPACE, _address_key(address), now)
    return 0 if value is None else msgspec.json.decode(value, type=_Counter).failures


async def address_blocked(address: str, now: datetime) -> bool:
    return await address_failures(address, now) >= MAX_ADDRESS_FAILURES


async def count_address_failure(address: str, now: datetime) -> None:
    """A fixed window: the counter and its expiry start with the first failure."""
    key = _address_key(address)
    value = await store.get_entry(NAMESPACE, key, now)
    if value is None:
        await store.put_entry(
            NAMESPACE, key, msgspec.json.encode(_Counter(1)), now + ADDRESS_WINDOW
        )
        return
    counter = msgspec.json.decode(value, type=_Counter)
    await store.replace_value(NAMESPACE, key, msgspec.json.encode(_Counter(counter.failures + 1)))
