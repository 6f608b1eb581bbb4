"""The compiled form is derived from the model file: editing the matcher needs no code change."""

from pathlib import Path

import casbin
import pytest

from registry.authz.compiled import CompiledAuthorityEnforcer
from registry.authz.functions import authority_functions
from registry.authz.model import AUTHORITY_MODEL, POLICIES_DIR, RowsAdapter

UNITS: dict[str, str | None] = {"P": None, "D": "P"}
FUNCTIONS = authority_functions(UNITS)
ROW = [
    "s",
    "DD-01",
    "D",
    "*",
    "*",
    "100",
    "2025-01-01T00:00:00Z",
    "2025-02-01T00:00:00Z",
    "grant:1",
]
AT_END = ("s", "DD-01", "D", "x", "y", "100", "2025-02-01T00:00:00Z")


def _edited_model(tmp_path: Path, old: str, new: str) -> Path:
    text = (POLICIES_DIR / AUTHORITY_MODEL).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.conf"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _pycasbin(model: Path) -> casbin.Enforcer:
    enforcer = casbin.Enforcer(str(model), RowsAdapter([("p", *ROW)]))
    for name, function in FUNCTIONS.items():
        enforcer.add_function(name, function)
    return enforcer


def test_matcher_equalities_become_the_index_and_the_rest_compiled_python() -> None:
    compiled = CompiledAuthorityEnforcer.from_model(POLICIES_DIR / AUTHORITY_MODEL, FUNCTIONS)
    assert compiled.matcher.request_key == (0, 1)
    assert compiled.matcher.policy_key == (0, 1)
    assert "r_t >= p[6] and r_t < p[7] and _fn_within(r_unit, p[2])" in compiled.matcher.source


def test_edited_matcher_changes_the_compiled_form_with_no_code_change(tmp_path: Path) -> None:
    edited = _edited_model(tmp_path, "r.t < p.vto", "r.t <= p.vto")
    original = CompiledAuthorityEnforcer.from_model(POLICIES_DIR / AUTHORITY_MODEL, FUNCTIONS)
    compiled = CompiledAuthorityEnforcer.from_model(edited, FUNCTIONS)
    original.load_rows([ROW])
    compiled.load_rows([ROW])
    assert original.enforce_ex(*AT_END) == (False, [])
    assert (
        compiled.enforce_ex(*AT_END) == (True, ROW) == tuple(_pycasbin(edited).enforce_ex(*AT_END))
    )


def test_edited_equality_terms_change_the_index(tmp_path: Path) -> None:
    edited = _edited_model(tmp_path, "r.power == p.power && ", "")
    compiled = CompiledAuthorityEnforcer.from_model(edited, FUNCTIONS)
    compiled.load_rows([ROW])
    request = ("s", "OTHER", *AT_END[2:6], "2025-01-15T00:00:00Z")
    assert compiled.matcher.request_key == (0,)
    assert (
        compiled.enforce_ex(*request)
        == (True, ROW)
        == tuple(_pycasbin(edited).enforce_ex(*request))
    )


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("under_ceiling(r.amount, p.ceiling)", "unknown_fn(r.amount)", "not given"),
        ("under_ceiling(r.amount, p.ceiling)", "r.amount + 1 > 0", "not supported"),
        ("under_ceiling(r.amount, p.ceiling)", "r.nothing == p.sub", "neither a request"),
        ("under_ceiling(r.amount, p.ceiling)", "eval(p.sub)", "eval"),
    ],
)
def test_matcher_the_compiled_form_cannot_read_alike_is_refused(
    tmp_path: Path, old: str, new: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        CompiledAuthorityEnforcer.from_model(_edited_model(tmp_path, old, new), FUNCTIONS)


def test_row_of_the_wrong_width_is_refused_at_load() -> None:
    compiled = CompiledAuthorityEnforcer.from_model(POLICIES_DIR / AUTHORITY_MODEL, FUNCTIONS)
    with pytest.raises(ValueError, match="invalid policy size"):
        compiled.load_rows([ROW[:-1]])


def test_request_of_the_wrong_width_is_refused_like_pycasbin() -> None:
    compiled = CompiledAuthorityEnforcer.from_model(POLICIES_DIR / AUTHORITY_MODEL, FUNCTIONS)
    with pytest.raises(RuntimeError, match="invalid request size"):
        compiled.enforce_ex(*AT_END[:-1])
