"""Reading the demo import files with the standard library only, and checking their references."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "registry" / "demo"
CSV_FILES = ("units", "positions", "officials", "instruments", "assignments", "powers", "acts")


def read_csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_all(folder: Path) -> dict[str, Any]:
    files: dict[str, Any] = {name: read_csv(folder, name) for name in CSV_FILES}
    files["grants"] = json.loads((folder / "grants.json").read_text(encoding="utf-8"))
    return files


def is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def reference_problems(files: dict[str, Any]) -> list[str]:
    """Every reference between the files that does not resolve, as readable lines."""
    units = {u["code"] for u in files["units"]}
    positions = {p["code"] for p in files["positions"]}
    officials = {o["code"] for o in files["officials"]}
    instruments = {i["number"] for i in files["instruments"]}
    powers = {p["code"] for p in files["powers"]}
    problems: list[str] = []

    def party_known(party: str) -> bool:
        kind, _, code = party.partition(":")
        return code in {"unit": units, "position": positions, "official": officials}.get(kind, ())

    for u in files["units"]:
        if u["parent_code"] and u["parent_code"] not in units:
            problems.append(f"unit {u['code']}: parent {u['parent_code']}")
    for p in files["positions"]:
        if p["unit_code"] not in units:
            problems.append(f"position {p['code']}: unit {p['unit_code']}")
        if not p["code"].startswith(p["unit_code"] + "."):
            problems.append(f"position {p['code']}: code is not <unit>.<post>")
    for a in files["assignments"]:
        if a["official_code"] not in officials or a["position_code"] not in positions:
            problems.append(f"assignment {a}")
        if a["instrument_number"] and a["instrument_number"] not in instruments:
            problems.append(f"assignment instrument {a['instrument_number']}")
    for i in files["instruments"]:
        if i["issuing_unit_code"] and i["issuing_unit_code"] not in units:
            problems.append(f"instrument {i['number']}: issuer {i['issuing_unit_code']}")
        if i["signer_official_code"] and i["signer_official_code"] not in officials:
            problems.append(f"instrument {i['number']}: signer {i['signer_official_code']}")
        if i["signer_position_code"] and i["signer_position_code"] not in positions:
            problems.append(f"instrument {i['number']}: position {i['signer_position_code']}")
    for p in files["powers"]:
        if not party_known(p["holder"]):
            problems.append(f"power {p['code']}: holder {p['holder']}")
        if p["legal_basis_number"] not in instruments:
            problems.append(f"power {p['code']}: legal basis {p['legal_basis_number']}")
    refs: set[str] = set()
    for g in files["grants"]:
        if g["power"] not in powers:
            problems.append(f"grant {g['ref']}: power {g['power']}")
        for side in ("grantor", "grantee"):
            if not party_known(g[side]):
                problems.append(f"grant {g['ref']}: {side} {g[side]}")
        if g["parent_ref"] is not None and g["parent_ref"] not in refs:
            problems.append(f"grant {g['ref']}: parent {g['parent_ref']} not before it")
        if g["instrument"] not in instruments:
            problems.append(f"grant {g['ref']}: instrument {g['instrument']}")
        for root in g["scope"]["territory"]:
            if root not in units:
                problems.append(f"grant {g['ref']}: territory {root}")
        for event in g["events"]:
            if event["instrument"] is not None and event["instrument"] not in instruments:
                problems.append(f"grant {g['ref']}: event instrument {event['instrument']}")
        refs.add(g["ref"])
    for a in files["acts"]:
        if a["power_code"] not in powers:
            problems.append(f"act {a['number']}: power {a['power_code']}")
        if a["signer_official_code"] not in officials:
            problems.append(f"act {a['number']}: signer {a['signer_official_code']}")
        if a["signer_position_code"] not in positions:
            problems.append(f"act {a['number']}: position {a['signer_position_code']}")
        for column in ("unit_code", "issuing_unit_code"):
            if a[column] not in units:
                problems.append(f"act {a['number']}: {column} {a[column]}")
    return problems
