"""The chain diagram marks the link whose amount ceiling an act went over, and only that one."""

from __future__ import annotations

import pytest

from registry.acts.charts import chain_diagram
from registry.acts.verdicts import exceeded_ceiling
from registry.domain.reasons import Reason, ReasonCode

CHAIN = [
    {"kind": "law", "grant": None, "grantee": "position:UBND-T.CT", "amount_ceiling": None},
    {"kind": "decentralization", "grant": 7, "grantee": "unit:SXD", "amount_ceiling": 500},
    {"kind": "authorization", "grant": 9, "grantee": "position:SXD.GD", "amount_ceiling": 100},
]


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (
            [Reason.of(ReasonCode.AMOUNT_EXCEEDED, "amount", amount=200, ceiling=100, grant="9")],
            "grant:9",
        ),
        (
            [Reason.of(ReasonCode.AMOUNT_EXCEEDED, "amount", amount=9, ceiling=1, grant="law:P-1")],
            "law:P-1",
        ),
        ([Reason.of(ReasonCode.SCOPE_EXCEEDED, "scope.territory", value="X", grant="9")], None),
        ([Reason.of(ReasonCode.AMOUNT_EXCEEDED, "amount", amount=200, ceiling=100)], None),
        ([], None),
    ],
)
def test_the_exceeded_source_is_named_only_for_amount_exceeded(
    reasons: list[Reason], expected: str | None
) -> None:
    assert exceeded_ceiling(reasons) == expected


def test_the_grant_whose_ceiling_was_exceeded_is_the_one_marked() -> None:
    diagram = chain_diagram(CHAIN, "official:CB-0001", "grant:9")
    assert [box.exceeded for box in diagram.boxes] == [False, False, True, False]


def test_a_lawful_ceiling_marks_the_lawful_holder() -> None:
    diagram = chain_diagram(CHAIN[:1], "official:CB-0001", "law:P-1")
    assert [box.exceeded for box in diagram.boxes] == [True, False]


def test_without_an_exceeded_source_nothing_is_marked() -> None:
    assert not any(box.exceeded for box in chain_diagram(CHAIN, "official:CB-0001").boxes)
