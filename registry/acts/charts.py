"""Geometry of the server-rendered SVG pictures (no JavaScript): chain diagrams, bar charts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

BOX_WIDTH = 420
BOX_HEIGHT = 64
GAP = 36


@dataclass(frozen=True, slots=True)
class ChainBox:
    x: int
    y: int
    width: int
    height: int
    holder: str
    kind: str
    grant: int | None
    detail: str
    #: This link's amount ceiling is what the act went over (AMOUNT_EXCEEDED).
    exceeded: bool = False


@dataclass(frozen=True, slots=True)
class Arrow:
    x: int
    y1: int
    y2: int


@dataclass(frozen=True, slots=True)
class ChainDiagram:
    width: int
    height: int
    boxes: list[ChainBox]
    arrows: list[Arrow]


def is_exceeded_link(link: dict[str, Any], exceeded: str | None) -> bool:
    """Whether a chain link is the policy source (`grant:<id>`, `law:<power>`) named by an
    AMOUNT_EXCEEDED reason."""
    if exceeded is None:
        return False
    if exceeded.startswith("law:"):
        return link.get("kind") == "law"
    return f"grant:{link.get('grant')}" == exceeded


def chain_diagram(
    chain: Sequence[dict[str, Any]], signer: str | None = None, exceeded: str | None = None
) -> ChainDiagram:
    """One box per holder from the lawful holder down, an arrow per grant; the signer last.
    `exceeded` names the link whose amount ceiling the act went over, which is marked."""
    boxes: list[ChainBox] = []
    arrows: list[Arrow] = []
    y = 8
    holders = [(str(link.get("grantee") or ""), link) for link in chain]
    if signer:
        holders.append((signer, {"kind": "signer"}))
    for position, (holder, link) in enumerate(holders):
        territory = " ".join(link.get("territory") or [])
        until = link.get("valid_to") or ""
        detail = " · ".join(part for part in (territory, f"→ {until}" if until else "") if part)
        boxes.append(
            ChainBox(
                8,
                y,
                BOX_WIDTH,
                BOX_HEIGHT,
                holder,
                str(link.get("kind") or ""),
                link.get("grant"),
                detail,
                is_exceeded_link(link, exceeded),
            )
        )
        if position:
            arrows.append(Arrow(8 + BOX_WIDTH // 2, y - GAP, y))
        y += BOX_HEIGHT + GAP
    return ChainDiagram(BOX_WIDTH + 16, max(y - GAP + 8, 16), boxes, arrows)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    x: int
    y: int
    width: int
    height: int
    css_class: str = ""


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    label_width: int


def bar_chart(
    values: Sequence[tuple[str, int]],
    *,
    width: int = 480,
    row: int = 22,
    label_width: int = 190,
    classes: dict[str, str] | None = None,
) -> BarChart:
    """Horizontal bars, longest = the largest value; labels left, values right of each bar."""
    top = max((value for _label, value in values), default=0) or 1
    room = width - label_width - 70
    bars = [
        Bar(
            label,
            value,
            label_width,
            4 + i * row,
            max(1, round(room * value / top)) if value else 0,
            row - 6,
            (classes or {}).get(label, ""),
        )
        for i, (label, value) in enumerate(values)
    ]
    return BarChart(width, 8 + len(values) * row, bars, label_width)
