"""Coverage keeps each power's parsed rows and grants until that power's rows move: after a
write, only the touched power is read again, and the answer equals a fresh engine's."""

from __future__ import annotations

from datetime import UTC, datetime


async def test_coverage_after_a_suspension_rereads_one_power_and_equals_a_fresh_read(
    demo_organisation: str,
) -> None:
    from registry.accounts.actor import SYSTEM
    from registry.authz.engine import authority_engine, reset_engine
    from registry.coverage.services import cell, coverage
    from registry.grants.lifecycle import suspend_grant

    at = datetime(2026, 7, 1, tzinfo=UTC)
    before = await coverage(at)
    found = None
    for row in before.rows:
        for unit in before.columns:
            for holder in await cell(at, row.power, unit):
                if found is None and holder.grant is not None and holder.in_post:
                    found, where = holder.grant, unit
    assert found is not None
    engine = authority_engine()
    kept = {power: dict(bucket) for power, bucket in engine.power_cache.items()}
    assert found.power in kept and len(kept) > 1

    await suspend_grant(found.id, {"at": "2026-06-01T00:00:00Z", "reason": "thanh tra"}, SYSTEM)
    after = await coverage(at)

    for power, bucket in engine.power_cache.items():
        for key, value in bucket.items():
            if power == found.power:
                assert value is not kept[power].get(key), key  # read again
            elif key in kept.get(power, {}):
                assert value is kept[power][key], (power, key)  # kept as it was
    assert all(
        h.grant is None or h.grant.id != found.id for h in await cell(at, found.power, where)
    )
    reset_engine()
    assert await coverage(at) == after
