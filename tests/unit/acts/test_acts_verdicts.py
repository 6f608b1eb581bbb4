"""The signature form table of docs/import-formats.md and the verdict rules, without a database."""

from __future__ import annotations

import pytest

from registry.acts.verdicts import (
    SignerPost,
    Source,
    Verdict,
    consistent_forms,
    judge_form,
    missing_instruments,
    reasons_from_json,
    reasons_json,
    refused,
    unknown_references,
)
from registry.domain.parties import Party
from registry.domain.reasons import Reason, ReasonCode

UBND_CT = SignerPost("UBND-T.CT", "UBND-T", True, False, True, frozenset({"UBND-T.CT"}))
UBND_PCT = SignerPost("UBND-T.PCT2", "UBND-T", False, True, True, frozenset({"UBND-T.CT"}))
SXD_GD = SignerPost("SXD.GD", "SXD", True, False, False, frozenset({"SXD.GD"}))
SXD_PGD = SignerPost("SXD.PGD1", "SXD", False, True, False, frozenset({"SXD.GD"}))
SXD_TP = SignerPost("SXD.TP", "SXD", False, False, False, frozenset({"SXD.GD"}))


def source(acting_as: str, kind: str, grantor: str | None = None) -> Source:
    return Source(Party.parse(acting_as), kind, grantor, acting_as)


@pytest.mark.parametrize(
    ("case", "post", "src", "forms"),
    [
        ("head of a collective unit holding by law", UBND_CT, source("unit:UBND-T", "law"), {"TM"}),
        (
            "head of a collective unit holding by a grant",
            UBND_CT,
            source("unit:UBND-T", "authorization", "position:X.CT"),
            {"TM"},
        ),
        ("head of a department holding by law", SXD_GD, source("unit:SXD", "law"), {"direct"}),
        (
            "head of a department holding by decentralization",
            SXD_GD,
            source("unit:SXD", "decentralization", "unit:UBND-T"),
            {"direct"},
        ),
        (
            "head of a department holding by authorization",
            SXD_GD,
            source("unit:SXD", "authorization", "position:UBND-T.CT"),
            {"TUQ"},
        ),
        ("a position holding by law", SXD_GD, source("position:SXD.GD", "law"), {"direct"}),
        (
            "a position holding by devolution",
            SXD_TP,
            source("position:SXD.TP", "devolution", "unit:UBND-T"),
            {"direct"},
        ),
        (
            "a deputy authorized by the head of his own unit",
            UBND_PCT,
            source("position:UBND-T.PCT2", "authorization", "position:UBND-T.CT"),
            {"KT"},
        ),
        (
            "a deputy authorized by his own unit",
            SXD_PGD,
            source("position:SXD.PGD1", "authorization", "unit:SXD"),
            {"KT"},
        ),
        (
            "a deputy authorized from outside his unit",
            SXD_PGD,
            source("position:SXD.PGD1", "authorization", "position:UBND-T.CT"),
            {"TUQ"},
        ),
        (
            "a non-deputy authorized by his own head",
            SXD_TP,
            source("position:SXD.TP", "authorization", "position:SXD.GD"),
            {"TUQ"},
        ),
        (
            "a named official authorized by his head",
            SXD_PGD,
            source("official:CB-0001", "authorization", "position:SXD.GD"),
            {"TUQ"},
        ),
    ],
)
def test_signature_forms_follow_the_table(
    case: str, post: SignerPost, src: Source, forms: set[str]
) -> None:
    assert consistent_forms(src, post) == frozenset(forms), case


def test_any_consistent_source_makes_the_act_within_authority() -> None:
    first = (source("position:SXD.PGD1", "authorization", "position:UBND-T.CT"), [{"kind": "law"}])
    second = (source("position:SXD.PGD1", "authorization", "unit:SXD"), [{"kind": "x"}])
    judged = judge_form("KT", SXD_PGD, [first, second])
    assert judged.verdict is Verdict.WITHIN_AUTHORITY
    assert judged.chain == [{"kind": "x"}]


def test_an_inconsistent_form_names_the_forms_expected() -> None:
    judged = judge_form("TM", SXD_GD, [(source("position:SXD.GD", "law"), [])])
    assert judged.verdict is Verdict.SIGNATURE_FORM_INCONSISTENT
    (reason,) = judged.reasons
    assert reason.code is ReasonCode.SIGNATURE_FORM_INCONSISTENT
    assert dict(reason.params) == {"form": "TM", "expected": "direct"}


def test_a_refusal_takes_its_verdict_from_the_first_reason() -> None:
    judged = refused([Reason.of(ReasonCode.GRANT_SUSPENDED, None, grant=7)])
    assert judged.verdict is Verdict.GRANT_SUSPENDED
    assert refused([]).verdict is Verdict.NO_AUTHORITY


def test_unknown_references_give_no_authority_naming_each_field() -> None:
    assert unknown_references([]) is None
    judged = unknown_references([("signer", "CB-9"), ("power", "P-1")])
    assert judged is not None and judged.verdict is Verdict.NO_AUTHORITY
    assert [(str(r.code), r.field) for r in judged.reasons] == [
        ("NO_AUTHORITY", None),
        ("UNKNOWN_REFERENCE", "signer"),
        ("UNKNOWN_REFERENCE", "power"),
    ]


def test_a_grant_without_instrument_in_the_chain_is_reported() -> None:
    chain = [
        {"kind": "law", "instrument": None},
        {"kind": "authorization", "grant": 4, "instrument": None},
    ]
    assert [(str(r.code), r.params["grant"]) for r in missing_instruments(chain)] == [
        ("INSTRUMENT_MISSING", "4")
    ]


def test_stored_reasons_read_back_the_same() -> None:
    reasons = [Reason.of(ReasonCode.GRANT_EXPIRED, None, grant=3, at="2025-01-01T00:00:00Z")]
    assert reasons_from_json(reasons_json(reasons)) == reasons
