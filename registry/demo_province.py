"""Load the demo province (`registry/demo/`) through the import path, or a synthetic one."""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Callable
from pathlib import Path

from registry.importing.service import KINDS, import_bytes
from registry.tables import Act, Grant, LedgerEntry, Official, Power, Unit

DEMO_DIR = Path(__file__).resolve().parent / "demo"
GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "generate.py"
Progress = Callable[[str, int, int | None], None]


def _file_for(directory: Path, kind: str) -> Path | None:
    for suffix in (".csv", ".json"):
        candidate = directory / f"{kind}{suffix}"
        if candidate.exists():
            return candidate
    return None


async def load_directory(directory: Path, progress: Progress | None = None) -> dict[str, int]:
    """Import every kind found in a directory, in dependency order; idempotent."""
    problems: list[str] = []
    for kind in KINDS:
        path = _file_for(directory, kind)
        if path is None:
            continue
        report = await import_bytes(kind, path.read_bytes(), path.name, progress=progress)
        problems += [f"{kind} {problem}" for problem in report.problems]
    acts = _file_for(directory, "acts")
    if acts is not None:
        from registry.acts.importing import import_acts_bytes

        report = await import_acts_bytes(acts.read_bytes(), acts.name, progress=progress)
        problems += [f"acts {problem}" for problem in report.problems]
    if problems:
        raise RuntimeError("the data set has refused rows:\n" + "\n".join(problems[:50]))
    return await counts()


async def counts() -> dict[str, int]:
    return {
        "units": await Unit.count(),
        "officials": await Official.count(),
        "powers": await Power.count(),
        "grants": await Grant.count().where(Grant.version == 1),
        "acts": await Act.count(),
        "ledger_entries": await LedgerEntry.count(),
    }


async def load_demo(
    progress: Progress | None = None, only_if_empty: bool = False
) -> dict[str, int]:
    """The fictional province of the demo; running it twice changes nothing."""
    if only_if_empty and await Unit.count() > 0:
        return await counts()
    return await load_directory(DEMO_DIR, progress)


async def load_synthetic(
    scale: float, seed: int = 1, progress: Progress | None = None
) -> dict[str, int]:
    """A synthetic province from `bench/generate.py` (scale 1 = 20,000 officials...)."""
    spec = importlib.util.spec_from_file_location("registry_generate", GENERATOR)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"generator not found: {GENERATOR.name}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as directory:
        module.main(["--seed", str(seed), "--scale", str(scale), "--out", directory])
        return await load_directory(Path(directory), progress)
