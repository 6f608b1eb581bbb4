"""The demo province files parse, their references resolve and they show every verdict."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.unit.demo._files import CSV_FILES, DEMO, is_nfc, read_all, reference_problems

VERDICTS = {
    "within_authority",
    "no_authority",
    "grant_expired",
    "grant_not_yet_in_force",
    "grant_revoked",
    "scope_exceeded",
    "amount_exceeded",
    "signer_not_holding_position",
    "signature_form_inconsistent",
    "grant_suspended",
}
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(scope="module")
def demo() -> dict:
    return read_all(DEMO)


def test_every_demo_file_parses_and_has_rows(demo: dict) -> None:
    for name in (*CSV_FILES, "grants"):
        assert demo[name], name


def test_every_reference_between_the_demo_files_resolves(demo: dict) -> None:
    assert reference_problems(demo) == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("units", "code"),
        ("positions", "code"),
        ("officials", "code"),
        ("instruments", "number"),
        ("powers", "code"),
        ("acts", "number"),
        ("grants", "ref"),
    ],
)
def test_codes_are_unique(demo: dict, name: str, key: str) -> None:
    counts = Counter(row[key] for row in demo[name])
    assert [code for code, n in counts.items() if n > 1] == []


def test_all_text_is_nfc(demo: dict) -> None:
    for name in CSV_FILES:
        for row in demo[name]:
            assert all(is_nfc(value) for value in row.values()), row
    assert is_nfc(str(demo["grants"]))


def test_official_names_are_vietnamese_with_family_name_first(demo: dict) -> None:
    names = [o["full_name"] for o in demo["officials"]]
    assert all(len(name.split()) >= 3 for name in names)
    assert any(name.startswith("Nguyễn ") for name in names)


def test_private_columns_are_present_in_officials(demo: dict) -> None:
    for official in demo["officials"]:
        assert official["staff_number"]
        assert "@" in official["email"]
        assert official["phone"].isdigit()


def test_instants_are_utc_iso_8601(demo: dict) -> None:
    columns = {
        "units": ("valid_from", "valid_to"),
        "positions": ("valid_from", "valid_to"),
        "assignments": ("valid_from", "valid_to"),
        "acts": ("signed_at",),
        "instruments": ("signed_at", "effective_from", "effective_to"),
    }
    for name, names in columns.items():
        for row in demo[name]:
            for column in names:
                assert row[column] == "" or INSTANT.match(row[column]), (name, row)
    for grant in demo["grants"]:
        assert INSTANT.match(grant["valid_from"])
        assert INSTANT.match(grant["recorded_at"])


def test_every_authorization_has_an_end_after_its_start(demo: dict) -> None:
    for grant in demo["grants"]:
        if grant["kind"] == "authorization":
            assert grant["valid_to"] is not None
            assert grant["valid_to"] > grant["valid_from"]


def test_grants_use_all_three_kinds_and_every_event_type(demo: dict) -> None:
    assert {g["kind"] for g in demo["grants"]} == {
        "devolution",
        "decentralization",
        "authorization",
    }
    events = {e["type"] for g in demo["grants"] for e in g["events"]}
    assert events == {"suspend", "resume", "revoke", "renounce", "amend"}


def test_grant_chains_reach_depth_three(demo: dict) -> None:
    by_ref = {g["ref"]: g for g in demo["grants"]}

    def depth(ref: str) -> int:
        parent = by_ref[ref]["parent_ref"]
        return 1 if parent is None else 1 + depth(parent)

    assert max(depth(ref) for ref in by_ref) == 3


def test_each_expected_verdict_appears_at_least_twice(demo: dict) -> None:
    counts = Counter(act["expected_verdict"] for act in demo["acts"])
    assert set(counts) == VERDICTS
    assert min(counts.values()) >= 2
    assert counts["within_authority"] > len(demo["acts"]) // 2


def test_search_examples_exist_with_d_stroke_and_da(demo: dict) -> None:
    names = [u["name_vi"] for u in demo["units"]]
    assert any("phường Đông Hải" in name for name in names)
    assert any(" Đà " in name for name in names)


def test_one_position_is_vacant_and_transfers_are_back_to_back(demo: dict) -> None:
    ends = {(a["official_code"], a["valid_to"]) for a in demo["assignments"] if a["valid_to"]}
    starts = {(a["official_code"], a["valid_from"]) for a in demo["assignments"]}
    assert len(ends & starts) >= 3
    filled = {a["position_code"] for a in demo["assignments"] if not a["valid_to"]}
    vacant = {p["code"] for p in demo["positions"] if not p["valid_to"]} - filled
    assert vacant == {"SYT.PGD2"}
