"""Which notices a set of parties has, derived from grants and their events (no table needed):
grants received, sources suspended or revoked, grants expiring in 30, 7 and 1 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from registry.domain.effective import GrantStatus
from registry.grants import repository
from registry.grants.dashboard import grants_where
from registry.grants.queries import GrantView
from registry.grants.tables import GrantEvent

#: Days before the end of validity when a reminder is due, largest first.
EXPIRY_STEPS = (30, 7, 1)
#: Received grants and source events older than this are history, not news.
NEWS_WINDOW = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing a leader should know; `key` is stable, so each notice is mailed once."""

    key: str
    kind: str
    lineage: int
    power: str
    at: datetime
    grantor: str
    grantee: str
    days: int | None = None
    source: int | None = None


def expiry_notice(view: GrantView, now: datetime) -> Notice | None:
    """The most urgent reminder step reached by an active grant, if any."""
    if view.status != GrantStatus.ACTIVE or view.valid_to is None:
        return None
    left = view.valid_to - now
    reached = [d for d in EXPIRY_STEPS if left <= timedelta(days=d)]
    if not reached:
        return None
    days = min(reached)
    return Notice(
        f"expiring-{days}:{view.lineage}",
        "expiring",
        view.lineage,
        view.power,
        view.valid_to - timedelta(days=days),
        view.grantor,
        view.grantee,
        days=days,
    )


async def _ancestors(received: list[GrantView]) -> dict[int, set[int]]:
    """For each received grant: itself and every grant above it."""
    found: dict[int, set[int]] = {}
    for power in sorted({v.power for v in received}):
        records = await repository.grant_records(power=power)
        parent = {r.id: r.parent_id for r in records}
        for view in (v for v in received if v.power == power):
            chain: set[int] = set()
            current: int | None = view.lineage
            while current is not None and current not in chain:
                chain.add(current)
                current = parent.get(current)
            found[view.lineage] = chain
    return found


async def notices_for(parties: frozenset[str], now: datetime) -> list[Notice]:
    received = await grants_where(parties, "grantee", now)
    given = await grants_where(parties, "grantor", now)
    notices: dict[str, Notice] = {}
    ancestry = await _ancestors(received)
    lineages = sorted(set().union(*ancestry.values())) if ancestry else []
    events = await GrantEvent.select(GrantEvent.lineage, GrantEvent.event, GrantEvent.at).where(
        GrantEvent.lineage.is_in(lineages or [0])
        & GrantEvent.event.is_in(["made", "suspended", "revoked"])
    )
    for view in received:
        for event in events:
            if event["lineage"] not in ancestry[view.lineage] or event["at"] < now - NEWS_WINDOW:
                continue
            if event["at"] > now:
                continue
            if event["event"] == "made" and event["lineage"] == view.lineage:
                key, kind, source = f"received:{view.lineage}", "received", None
            elif event["event"] in ("suspended", "revoked"):
                source = event["lineage"]
                kind = f"source_{event['event']}"
                key = f"{kind}:{source}:{view.lineage}:{event['at'].isoformat()}"
            else:
                continue
            notices[key] = Notice(
                key,
                kind,
                view.lineage,
                view.power,
                event["at"],
                view.grantor,
                view.grantee,
                source=source,
            )
    for view in {v.lineage: v for v in (*given, *received)}.values():
        notice = expiry_notice(view, now)
        if notice is not None:
            notices[notice.key] = notice
    return sorted(notices.values(), key=lambda n: (n.at, n.key), reverse=True)
