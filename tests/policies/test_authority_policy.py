"""The authority model decides the fixture grants as the law and the grants say."""

from collections.abc import Callable

import pytest

from registry.authz.model import (
    POLICIES_DIR,
    load_policy_rows,
    load_unit_tree,
    new_authority_enforcer,
    new_compiled_authority_enforcer,
)

Enforce = Callable[..., tuple[bool, list[str]]]

UNITS = load_unit_tree(POLICIES_DIR / "authority_fixture_units.csv")
ROWS = load_policy_rows(POLICIES_DIR / "authority_fixture.csv")

CT, GD, PGD, CB2, TC = (
    "position:UBND-T.CT",
    "position:SXD.GD",
    "position:SXD.PGD",
    "official:CB-0002",
    "position:STC.GD",
)
AUG, SEP, OCT = "2025-08-15T03:00:00Z", "2025-09-15T03:00:00Z", "2025-10-15T03:00:00Z"

# (case, request (sub, power, unit, sector, act_type, amount, t), expected source or None = denied)
CASES = [
    (
        "lawful holder anywhere in the province",
        (CT, "DD-01", "XA-AN-PHU", "xay-dung", "cap-phep", "0", AUG),
        "law:DD-01",
    ),
    (
        "lawful holder deep in a subtree",
        (CT, "DD-01", "SXD-QLN", "dat-dai", "thu-hoi", "9" * 15, AUG),
        "law:DD-01",
    ),
    (
        "lawful holder from the first second",
        (CT, "DD-01", "UBND-T", "xay-dung", "cap-phep", "0", "2025-07-01T00:00:00Z"),
        "law:DD-01",
    ),
    (
        "lawful holder before the law applies",
        (CT, "DD-01", "UBND-T", "xay-dung", "cap-phep", "0", "2025-06-30T23:59:59Z"),
        None,
    ),
    (
        "lawful holder of another power",
        (CT, "TC-02", "UBND-T", "tai-chinh", "phe-duyet", "0", AUG),
        None,
    ),
    (
        "decentralized grant inside scope",
        (GD, "DD-01", "XA-BINH-MINH", "xay-dung", "cap-phep-sua-doi", "10", AUG),
        "grant:1",
    ),
    (
        "decentralized grant at its ceiling",
        (GD, "DD-01", "XA-AN-PHU", "xay-dung", "cap-phep", "5000000000", AUG),
        "grant:1",
    ),
    (
        "decentralized grant over its ceiling",
        (GD, "DD-01", "XA-AN-PHU", "xay-dung", "cap-phep", "5000000001", AUG),
        None,
    ),
    (
        "decentralized grant outside its territory",
        (GD, "DD-01", "SXD", "xay-dung", "cap-phep", "0", AUG),
        None,
    ),
    (
        "decentralized grant for the parent of its territory",
        (GD, "DD-01", "UBND-T", "xay-dung", "cap-phep", "0", AUG),
        None,
    ),
    (
        "decentralized grant in a wrong sector",
        (GD, "DD-01", "XA-AN-PHU", "dat-dai", "cap-phep", "0", AUG),
        None,
    ),
    (
        "decentralized grant for a wrong act type",
        (GD, "DD-01", "XA-AN-PHU", "xay-dung", "thu-hoi", "0", AUG),
        None,
    ),
    (
        "decentralized grant before it starts",
        (GD, "DD-01", "XA-AN-PHU", "xay-dung", "cap-phep", "0", "2025-07-31T23:59:59Z"),
        None,
    ),
    (
        "decentralized grant with a malformed amount",
        (GD, "DD-01", "XA-AN-PHU", "xay-dung", "cap-phep", "1e3", AUG),
        None,
    ),
    (
        "decentralized grant for an unknown unit",
        (GD, "DD-01", "XA-KHONG-CO", "xay-dung", "cap-phep", "0", AUG),
        None,
    ),
    (
        "authorization inside its subtree",
        (CB2, "DD-01", "SXD-QLN", "dat-dai", "bat-ky", "123", SEP),
        "grant:2",
    ),
    (
        "authorization with any act type and no ceiling",
        (CB2, "DD-01", "SXD", "xay-dung", "x", "9" * 20, SEP),
        "grant:2",
    ),
    (
        "authorization outside its subtree",
        (CB2, "DD-01", "STC", "xay-dung", "cap-phep", "0", SEP),
        None,
    ),
    (
        "authorization in a sector it lacks",
        (CB2, "DD-01", "SXD", "tai-chinh", "cap-phep", "0", SEP),
        None,
    ),
    (
        "authorization one second before its end",
        (CB2, "DD-01", "SXD", "xay-dung", "a", "0", "2025-12-31T23:59:59Z"),
        "grant:2",
    ),
    (
        "authorization exactly at its end (half-open)",
        (CB2, "DD-01", "SXD", "xay-dung", "a", "0", "2026-01-01T00:00:00Z"),
        None,
    ),
    ("authorization before it starts", (CB2, "DD-01", "SXD", "xay-dung", "a", "0", AUG), None),
    (
        "finance approval at its ceiling",
        (TC, "TC-02", "XA-AN-PHU", "tai-chinh", "phe-duyet", "1000000000", AUG),
        "grant:3",
    ),
    (
        "finance approval over its ceiling",
        (TC, "TC-02", "XA-AN-PHU", "tai-chinh", "phe-duyet", "1000000001", AUG),
        None,
    ),
    (
        "finance grant for another act type",
        (TC, "TC-02", "XA-AN-PHU", "tai-chinh", "quyet-toan", "1", AUG),
        None,
    ),
    (
        "suspended grant before the suspension",
        (PGD, "DD-01", "SXD-QLN", "x", "y", "1", AUG),
        "grant:4",
    ),
    ("suspended grant during the suspension", (PGD, "DD-01", "SXD-QLN", "x", "y", "1", SEP), None),
    (
        "suspended grant after the suspension",
        (PGD, "DD-01", "SXD-QLN", "x", "y", "1", OCT),
        "grant:4",
    ),
    (
        "suspended grant at the end of its first interval",
        (PGD, "DD-01", "SXD", "x", "y", "1", "2025-09-01T00:00:00Z"),
        None,
    ),
    (
        "suspended grant at the start of its second interval",
        (PGD, "DD-01", "SXD", "x", "y", "1", "2025-10-01T00:00:00Z"),
        "grant:4",
    ),
    ("unknown subject", ("official:CB-9999", "DD-01", "SXD", "xay-dung", "a", "0", SEP), None),
]


@pytest.fixture(params=["pycasbin", "compiled"])
def enforce_ex(request: pytest.FixtureRequest) -> Enforce:
    if request.param == "pycasbin":
        enforce: Enforce = new_authority_enforcer(UNITS, ROWS).enforce_ex
    else:
        enforce = new_compiled_authority_enforcer(UNITS, ROWS).enforce_ex
    return enforce


@pytest.mark.parametrize(("case", "request_", "source"), CASES, ids=[case[0] for case in CASES])
def test_authority_decision_and_its_source_follow_the_fixture_grants(
    enforce_ex: Enforce, case: str, request_: tuple[str, ...], source: str | None
) -> None:
    allowed, row = enforce_ex(*request_)
    assert allowed is (source is not None), case
    assert (row[-1] if row else None) == source, case


def test_explanation_names_the_first_matching_row_in_policy_order() -> None:
    duplicate = [*ROWS[0][:-1], "grant:99"]
    compiled = new_compiled_authority_enforcer(UNITS, [*ROWS, duplicate])
    request = (CT, "DD-01", "SXD", "xay-dung", "cap-phep", "0", AUG)
    assert compiled.enforce_ex(*request) == (True, ROWS[0])
    assert [row[-1] for row in compiled.matching_rows(*request)] == ["law:DD-01", "grant:99"]
