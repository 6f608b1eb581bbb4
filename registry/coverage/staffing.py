"""Who is in post at an instant, from every assignment and position (pure): the parties that can
act, the vacant positions, and each official's identities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Span:
    """When something holds: [valid_from, valid_to), open-ended when valid_to is None."""

    valid_from: datetime
    valid_to: datetime | None

    def contains(self, at: datetime) -> bool:
        return self.valid_from <= at and (self.valid_to is None or self.valid_to > at)


@dataclass(frozen=True, slots=True)
class Post:
    """An assignment: an official in a position (heading its unit or not) for a span."""

    official: str
    position: str
    is_head: bool
    unit: str
    span: Span


@dataclass(frozen=True, slots=True)
class Staffing:
    """Who is in post at the instant: parties that can act, vacant positions, each official's
    identities (the official, their positions, the units they head)."""

    staffed: frozenset[str]
    vacant: frozenset[str]
    identities: dict[str, frozenset[str]]


def staffing_at(
    posts: Iterable[Post],
    positions: Iterable[tuple[str, Span]],
    officials: Iterable[str],
    at: datetime,
) -> Staffing:
    """Every official can act as themself; a position or a unit (through its head) only while
    someone holds it."""
    staffed: set[str] = set()
    identities: dict[str, set[str]] = defaultdict(set)
    for post in posts:
        if not post.span.contains(at):
            continue
        official = f"official:{post.official}"
        parties = {official, f"position:{post.position}"}
        if post.is_head:
            parties.add(f"unit:{post.unit}")
        staffed |= parties
        identities[official] |= parties
    everyone = {f"official:{code}" for code in officials}
    existing = frozenset(f"position:{code}" for code, span in positions if span.contains(at))
    return Staffing(
        frozenset(staffed | everyone),
        existing - staffed,
        {official: frozenset(parties) for official, parties in identities.items()},
    )
