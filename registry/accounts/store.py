"""The shared key-value store on `StoreEntry`: sessions and counters every worker sees."""

from __future__ import annotations

from datetime import datetime

from registry.accounts.keys import entry_pk
from registry.accounts.tables import StoreEntry


async def get_entry(namespace: str, key: str, now: datetime) -> bytes | None:
    """The value under a key, unless it has expired (an expired entry is deleted)."""
    row = (
        await StoreEntry.select(StoreEntry.value, StoreEntry.expires_at)
        .where((StoreEntry.namespace == namespace) & (StoreEntry.key == key))
        .first()
    )
    if row is None:
        return None
    if row["expires_at"] is not None and row["expires_at"] <= now:
        await delete_entry(namespace, key)
        return None
    return bytes(row["value"])


async def put_entry(namespace: str, key: str, value: bytes, expires_at: datetime | None) -> None:
    """Insert or replace; callers that read-modify-write hold a write transaction."""
    updated = (
        await StoreEntry.update({StoreEntry.value: value, StoreEntry.expires_at: expires_at})
        .where((StoreEntry.namespace == namespace) & (StoreEntry.key == key))
        .returning(entry_pk)
    )
    if not updated:
        await StoreEntry.insert(
            StoreEntry(namespace=namespace, key=key, value=value, expires_at=expires_at)
        )


async def replace_value(namespace: str, key: str, value: bytes) -> None:
    """Change a value and keep its expiry (a fixed window stays fixed)."""
    await StoreEntry.update({StoreEntry.value: value}).where(
        (StoreEntry.namespace == namespace) & (StoreEntry.key == key)
    )


async def delete_entry(namespace: str, key: str) -> None:
    await StoreEntry.delete().where((StoreEntry.namespace == namespace) & (StoreEntry.key == key))


async def entries(namespace: str) -> list[tuple[str, bytes]]:
    rows = await StoreEntry.select(StoreEntry.key, StoreEntry.value).where(
        StoreEntry.namespace == namespace
    )
    return [(row["key"], bytes(row["value"])) for row in rows]


async def purge_expired(now: datetime) -> None:
    """Lazy clean-up, run at sign-in: nothing expired is ever read, this only frees space."""
    await StoreEntry.delete().where(
        StoreEntry.expires_at.is_not_null() & (StoreEntry.expires_at <= now)
    )
