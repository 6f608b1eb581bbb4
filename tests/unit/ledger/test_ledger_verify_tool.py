"""The standalone verifier, run as a citizen would run it, against good and tampered ledgers."""

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import ledger_fixtures as fx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.ledger.canonical import canonical_json
from registry.ledger.merkle import root_from_leaves

TOOL = Path(__file__).resolve().parents[3] / "tools" / "verify_ledger.py"
SIZE = 10


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=120
    )


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_ledger_tool", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # No tools/__pycache__: the tool directory stays as a citizen downloads it.
    writes_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = writes_bytecode
    return module


def write_export(directory: Path, entries: list[dict[str, Any]], note: str) -> list[str]:
    export = directory / "export.ndjson"
    export.write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8"
    )
    (directory / "cp.txt").write_text(note, encoding="utf-8")
    (directory / "key.vkey").write_text(fx.VKEY + "\n", encoding="utf-8")
    return [
        "--file",
        str(export),
        "--checkpoint",
        str(directory / "cp.txt"),
        "--vkey",
        str(directory / "key.vkey"),
    ]


def test_the_tool_does_not_import_the_registry_package() -> None:
    source = TOOL.read_text(encoding="utf-8")
    assert "import registry" not in source
    assert "from registry" not in source


# Offline: an NDJSON export against a signed checkpoint


def test_a_good_export_verifies(tmp_path: Path) -> None:
    ledger = fx.Ledger.sample(SIZE)
    result = run_tool(*write_export(tmp_path, ledger.entries, ledger.note()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:")


def test_an_export_newer_than_the_checkpoint_verifies_up_to_its_size(tmp_path: Path) -> None:
    ledger = fx.Ledger.sample(SIZE)
    result = run_tool(*write_export(tmp_path, ledger.entries, ledger.note(6)))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_changed_payload_is_caught_at_its_index(tmp_path: Path) -> None:
    ledger = fx.Ledger.sample(SIZE)
    entries = [dict(e) for e in ledger.entries]
    entries[3]["payload"] = {**entries[3]["payload"], "grantee": "official:CB-0666"}
    result = run_tool(*write_export(tmp_path, entries, ledger.note()))
    assert result.returncode == 1
    assert result.stdout.startswith("FAIL: entry 3")


def test_a_change_rehashed_through_the_tail_still_fails_against_the_signed_root(
    tmp_path: Path,
) -> None:
    ledger = fx.Ledger.sample(SIZE)
    entries = [dict(e) for e in ledger.entries]
    entries[3]["payload"] = {**entries[3]["payload"], "grantee": "official:CB-0666"}
    entries[3:] = [fx.rehash(e) for e in entries[3:]]
    result = run_tool(*write_export(tmp_path, entries, ledger.note()))
    assert result.returncode == 1
    assert result.stdout.startswith("FAIL:")
    assert "signed root" in result.stdout


def test_a_deleted_tail_is_caught_at_the_first_missing_index(tmp_path: Path) -> None:
    ledger = fx.Ledger.sample(SIZE)
    result = run_tool(*write_export(tmp_path, ledger.entries[:7], ledger.note()))
    assert result.returncode == 1
    assert result.stdout.startswith("FAIL: entries 7..9 are missing")


def test_a_checkpoint_signed_by_another_key_fails(tmp_path: Path) -> None:
    ledger = fx.Ledger.sample(SIZE)
    ledger.key = fx.Ed25519PrivateKey.generate()
    result = run_tool(*write_export(tmp_path, ledger.entries, ledger.note()))
    assert result.returncode == 1
    assert "no signature by key" in result.stdout


def test_a_reordered_export_is_caught(tmp_path: Path) -> None:
    ledger = fx.Ledger.sample(SIZE)
    entries = list(ledger.entries)
    entries[4], entries[5] = entries[5], entries[4]
    result = run_tool(*write_export(tmp_path, entries, ledger.note()))
    assert result.returncode == 1
    assert result.stdout.startswith("FAIL: expected entry 4")


# Online: a registry's public API


@pytest.fixture
def server() -> Iterator[fx.LedgerServer]:
    with fx.serving(fx.Ledger.sample(SIZE)) as running:
        yield running


def test_a_good_server_verifies_entries_history_and_the_whole_log(
    server: fx.LedgerServer, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.txt"
    saved.write_text(server.ledger.note(4), encoding="utf-8")
    result = run_tool(
        server.url, "--vkey", fx.VKEY, "--entries", "0,5,9", "--saved-checkpoint", str(saved),
        "--all",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 entries included" in result.stdout
    assert "saved checkpoint at size 4" in result.stdout
    assert "WARNING" not in result.stderr


def test_trusting_the_servers_own_key_works_but_warns(server: fx.LedgerServer) -> None:
    result = run_tool(server.url, "--entries", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" in result.stderr


def test_rewritten_history_fails_against_a_saved_checkpoint(
    server: fx.LedgerServer, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.txt"
    saved.write_text(server.ledger.note(6), encoding="utf-8")
    entries = [dict(e) for e in server.ledger.entries]
    entries[2]["payload"] = {"grant": 2, "grantee": "official:CB-0666"}
    server.ledger = fx.Ledger.of([fx.rehash(e) for e in entries])  # re-signed, same key
    result = run_tool(server.url, "--vkey", fx.VKEY, "--saved-checkpoint", str(saved))
    assert result.returncode == 1
    assert "does not extend the saved one at size 6" in result.stdout


def test_a_shrunk_log_fails_against_a_saved_checkpoint(
    server: fx.LedgerServer, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.txt"
    saved.write_text(server.ledger.note(), encoding="utf-8")
    server.ledger = fx.Ledger.of(server.ledger.entries[:7])
    result = run_tool(server.url, "--vkey", fx.VKEY, "--saved-checkpoint", str(saved))
    assert result.returncode == 1
    assert "shrank" in result.stdout


def test_an_entry_served_differently_from_the_tree_is_named(server: fx.LedgerServer) -> None:
    entry = dict(server.ledger.entries[6])
    entry["payload"] = {**entry["payload"], "grantee": "official:CB-0666"}
    server.ledger.entries[6] = fx.rehash(entry)  # the signed tree still holds the original
    included = run_tool(server.url, "--vkey", fx.VKEY, "--entries", "6")
    assert included.returncode == 1
    assert included.stdout.startswith("FAIL: entry 6 is not in the signed tree")
    everything = run_tool(server.url, "--vkey", fx.VKEY, "--all")
    assert everything.returncode == 1
    assert everything.stdout.startswith("FAIL: entry 6 differs")


def test_an_unreachable_server_is_an_error_not_a_verdict() -> None:
    result = run_tool("http://127.0.0.1:9", "--vkey", fx.VKEY)
    assert result.returncode == 2
    assert "ERROR" in result.stderr


# The tool's own copy of the hashing agrees with the registry's


TOOL_MODULE = load_tool()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_the_tools_canonical_json_equals_the_registrys(value: object) -> None:
    try:
        expected = canonical_json(value)
    except ValueError:
        with pytest.raises(ValueError, match="NFC"):
            TOOL_MODULE.canonical_json(value)
        return
    assert TOOL_MODULE.canonical_json(value) == expected


@given(st.integers(min_value=0, max_value=300))
def test_the_tools_streaming_root_equals_the_rfc_root(size: int) -> None:
    leaves = [bytes([i % 256, i // 256]) * 16 for i in range(size)]
    assert TOOL_MODULE.root_of(leaves) == root_from_leaves(leaves)


def test_the_reusable_function_verifies_entries_against_a_note() -> None:
    ledger = fx.Ledger.sample(SIZE)
    checkpoint = TOOL_MODULE.verify_entries_against_checkpoint(
        ledger.entries, ledger.note(), fx.VKEY
    )
    assert (checkpoint.origin, checkpoint.size) == (fx.ORIGIN, SIZE)
