"""Coverage findings on a small scenario, without a database: each kind is flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from registry.coverage.analysis import (
    GrantInfo,
    PowerInfo,
    expiring,
    find_concentration,
    find_orphans,
    find_overlaps,
    in_force_rows,
    matrix,
    open_authorizations,
)
from registry.domain.units import UnitTree

AT = datetime(2025, 9, 1, tzinfo=UTC)
TREE = UnitTree({"UBND-T": None, "SXD": "UBND-T", "XA-A": "UBND-T", "XA-B": "UBND-T"})
POWERS = {
    "DD-01": PowerInfo("DD-01", "Thu hồi đất", "UBND-T", True),
    "XD-01": PowerInfo("XD-01", "Cấp phép xây dựng", "SXD", False),
}
OPEN = "9999-12-31T23:59:59Z"
ROWS = [
    (
        "unit:UBND-T",
        "DD-01",
        "UBND-T",
        "dat_dai",
        "*",
        "*",
        "2025-01-01T00:00:00Z",
        OPEN,
        "law:DD-01",
    ),
    (
        "position:XA-A.CT",
        "DD-01",
        "XA-A XA-B",
        "*",
        "*",
        "*",
        "2025-01-01T00:00:00Z",
        OPEN,
        "grant:1",
    ),
    ("position:XA-B.CT", "DD-01", "XA-B", "*", "*", "*", "2025-01-01T00:00:00Z", OPEN, "grant:2"),
    ("position:SXD.GD", "XD-01", "SXD", "*", "*", "*", "2025-01-01T00:00:00Z", OPEN, "law:XD-01"),
    ("position:XA-A.CT", "XD-01", "XA-A", "*", "*", "*", "2026-01-01T00:00:00Z", OPEN, "grant:3"),
]
GRANTS = {
    1: GrantInfo(1, "DD-01", "decentralization", "unit:UBND-T", "position:XA-A.CT", None, None),
    2: GrantInfo(
        2,
        "DD-01",
        "authorization",
        "unit:UBND-T",
        "position:XA-B.CT",
        None,
        AT + timedelta(days=10),
    ),
    4: GrantInfo(4, "DD-01", "authorization", "unit:UBND-T", "position:XA-A.CT", None, None),
}


def test_only_rows_in_force_at_the_instant_are_holdings() -> None:
    holdings = in_force_rows(ROWS, "2025-09-01T00:00:00Z")
    assert {h.source for h in holdings} == {"law:DD-01", "grant:1", "grant:2", "law:XD-01"}


def test_the_matrix_counts_holders_in_post_and_flags_a_gap() -> None:
    holdings = in_force_rows(ROWS, "2025-09-01T00:00:00Z")
    staffed = frozenset({"unit:UBND-T", "position:XA-A.CT", "position:XA-B.CT"})
    rows, gaps = matrix(holdings, POWERS, ["SXD", "XA-A", "XA-B"], TREE, staffed)
    assert [(r.power, r.counts) for r in rows] == [
        ("DD-01", [1, 2, 3]),
        ("XD-01", [0, None, None]),  # the director's post is vacant: nobody can sign in SXD
    ]
    assert [(g.power, g.unit) for g in gaps] == [("XD-01", "SXD")]


def test_two_branches_of_an_exclusive_power_over_one_commune_overlap() -> None:
    holdings = in_force_rows(ROWS, "2025-09-01T00:00:00Z")
    found = find_overlaps(holdings, POWERS, GRANTS, TREE)
    assert [(o.power, o.first.source, o.second.source) for o in found] == [
        ("DD-01", "grant:1", "grant:2")
    ]


def test_a_sub_grant_does_not_overlap_its_own_source() -> None:
    grants = {
        **GRANTS,
        2: GrantInfo(2, "DD-01", "authorization", "position:XA-A.CT", "position:XA-B.CT", 1, None),
    }
    holdings = in_force_rows(ROWS, "2025-09-01T00:00:00Z")
    assert find_overlaps(holdings, POWERS, grants, TREE) == []


def test_a_grant_to_a_vacant_post_is_orphaned() -> None:
    found = find_orphans(GRANTS.values(), frozenset({"position:XA-B.CT"}))
    assert [(o.grant.id, o.vacant) for o in found] == [(2, "position:XA-B.CT")]


def test_an_official_above_the_threshold_is_a_concentration() -> None:
    holdings = in_force_rows(ROWS, "2026-02-01T00:00:00Z")
    identities = {
        "official:CB-1": frozenset({"official:CB-1", "position:XA-A.CT"}),
        "official:CB-2": frozenset({"official:CB-2", "position:XA-B.CT"}),
    }
    found = find_concentration(holdings, identities, 1)
    assert [(c.official, c.powers) for c in found] == [("official:CB-1", 2)]


def test_authorizations_without_end_and_grants_expiring_soon_are_listed() -> None:
    assert [g.id for g in open_authorizations(GRANTS.values())] == [4]
    assert [g.id for g in expiring(GRANTS.values(), AT)] == [2]
    assert expiring(GRANTS.values(), AT + timedelta(days=11)) == []


def test_the_matrix_counts_distinct_holders_in_post_as_a_cell_by_cell_count_does() -> None:
    import random

    from registry.coverage.analysis import Holding
    from registry.domain.scope import Scope

    rng = random.Random(7)
    tree = UnitTree({"T": None, **{f"C{i}": "T" for i in range(6)}, "C0.X": "C0"})
    columns = ["T", *(f"C{i}" for i in range(6))]
    powers = {f"P{i}": PowerInfo(f"P{i}", "", "T", False) for i in range(4)}
    holders = [f"position:H{i}" for i in range(8)]
    roots = ["T", "C0", "C1", "C2", "C0.X", "C5"]
    holdings = [
        Holding(
            rng.choice(list(powers)),
            rng.choice(holders),
            f"grant:{n}",
            Scope(frozenset(rng.sample(roots, rng.randint(1, 2))), None, None, None),
        )
        for n in range(300)
    ]
    staffed = frozenset(holders[:6])
    rows, _gaps = matrix(holdings, powers, columns, tree, staffed)
    for row in rows:
        for unit, count in zip(columns, row.counts, strict=True):
            expected = {
                h.holder
                for h in holdings
                if h.power == row.power
                and h.holder in staffed
                and any(tree.is_within(unit, root) for root in h.scope.territory)
            }
            assert count == len(expected)


def test_rows_read_once_hold_what_rows_read_at_the_instant_hold() -> None:
    from registry.coverage.analysis import in_force, read_rows

    for at in ("2025-09-01T00:00:00Z", "2026-02-01T00:00:00Z", "2024-01-01T00:00:00Z"):
        assert in_force(read_rows(ROWS), at) == in_force_rows(ROWS, at)
