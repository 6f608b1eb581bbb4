"""Benchmark: import 20,000 officials with their units, positions and assignments into a fresh
database (SQLite or PostgreSQL) and print the time of each kind.

    .venv/bin/python bench/import_officials.py                       # SQLite, scale 1
    .venv/bin/python bench/import_officials.py --engine postgres     # PostgreSQL on 127.0.0.1
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KINDS = ("units", "positions", "officials", "instruments", "assignments")


def generate(out: Path, scale: float) -> None:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--scale", str(scale), "--only", ",".join(KINDS), "--out", str(out)])
    keep_appointing_instruments(out)


def keep_appointing_instruments(out: Path) -> None:
    """The generator writes every instrument of the grants too (100,000 at scale 1); keep the
    ones the assignments name, so the benchmark measures officials and their assignments."""
    import csv

    with (out / "assignments.csv").open(encoding="utf-8", newline="") as handle:
        wanted = {row["instrument_number"] for row in csv.DictReader(handle)}
    with (out / "instruments.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = [row for row in reader if row["number"] in wanted]
    with (out / "instruments.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def migrate(url: str) -> None:
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "registry.cli", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


async def run(url: str, data: Path) -> dict[str, float]:
    from registry.db import bind_engine, engine_for
    from registry.importing.service import import_bytes
    from registry.settings import DatabaseSettings

    engine = engine_for(DatabaseSettings(url=url))
    if hasattr(engine, "start_connection_pool") and url.startswith("postgres"):
        await engine.start_connection_pool(min_size=1, max_size=4)
    bind_engine(engine)
    timings: dict[str, float] = {}
    try:
        for kind in KINDS:
            path = data / f"{kind}.csv"
            began = time.perf_counter()
            report = await import_bytes(kind, path.read_bytes(), path.name)
            timings[kind] = time.perf_counter() - began
            print(f"{kind:12} {timings[kind]:7.2f} s  {report.summary()}", flush=True)
            if report.problems:
                print("  first problems:", *report.problems[:3], sep="\n  ")
    finally:
        if url.startswith("postgres"):
            await engine.close_connection_pool()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--data", type=Path, help="files from bench/generate.py (else generated)")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="admin URL; a fresh database is created next to it and dropped after",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        os.environ["REGISTRY_DATA_DIR"] = str(work / "data")
        data = args.data or work / "files"
        if args.data is None:
            generate(data, args.scale)
        name = f"bench_import_{uuid.uuid4().hex[:8]}"
        if args.engine == "postgres":
            base = args.postgres_url.rpartition("/")[0]
            url = f"{base}/{name}"
            _admin(args.postgres_url, f'CREATE DATABASE "{name}"')
        else:
            url = f"sqlite:///{work / 'bench.sqlite3'}"
        try:
            migrate(url)
            began = time.perf_counter()
            asyncio.run(run(url, data))
            total = time.perf_counter() - began
            print(f"{'total':12} {total:7.2f} s  ({args.engine}, scale {args.scale})")
        finally:
            if args.engine == "postgres":
                _admin(args.postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


def _admin(url: str, sql: str) -> None:
    import asyncpg

    async def execute() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(execute())


if __name__ == "__main__":
    raise SystemExit(main())
