"""bench/generate.py writes referentially consistent files, the same ones for the same seed."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.unit.demo._files import ROOT, read_all, reference_problems

GENERATE = ROOT / "bench" / "generate.py"


def generate(out: Path, *extra: str) -> None:
    subprocess.run(
        [
            sys.executable,
            str(GENERATE),
            "--seed",
            "1",
            "--scale",
            "0.005",
            "--out",
            str(out),
            *extra,
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(out)
    return out


def test_generated_files_resolve_every_reference(generated: Path) -> None:
    assert reference_problems(read_all(generated)) == []


def test_generated_files_have_the_scaled_sizes(generated: Path) -> None:
    files = read_all(generated)
    assert len(files["officials"]) == 100
    assert len(files["powers"]) == 10
    assert len(files["grants"]) == 500
    assert len(files["acts"]) == 5000


def test_generated_grants_are_mostly_in_chains_and_authorizations_end(generated: Path) -> None:
    grants = read_all(generated)["grants"]
    assert all(g["valid_to"] for g in grants if g["kind"] == "authorization")
    assert any(g["parent_ref"] for g in grants)
    assert (
        Counter(a["expected_verdict"] for a in read_all(generated)["acts"]).most_common(1)[0][0]
        == "within_authority"
    )


def test_generation_is_deterministic_for_a_seed(generated: Path, tmp_path: Path) -> None:
    generate(tmp_path)
    for path in sorted(generated.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_only_and_acts_override(tmp_path: Path) -> None:
    generate(tmp_path, "--only", "units,acts", "--acts", "50")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acts.csv", "units.csv"]
    assert len((tmp_path / "acts.csv").read_text(encoding="utf-8").splitlines()) == 51
