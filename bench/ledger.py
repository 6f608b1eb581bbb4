"""Benchmark of the public ledger at scale: search shapes, appends, proofs, verification, export.

`python bench/ledger.py --entries 1000000 [--postgres] [--no-sqlite]` bulk-loads synthetic
grant-like entries (real canonical JSON, leaf hashes, Merkle nodes and a signed checkpoint, so
verification passes) into a fresh SQLite file and/or a throwaway PostgreSQL database
`ledger_bench_<random>` (dropped afterwards), then measures through the registry's own code.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("REGISTRY_LOG_JSON", "true")

from registry.domain.text import fold_for_search  # noqa: E402
from registry.domain.validity import utc_string  # noqa: E402
from registry.ledger import merkle  # noqa: E402
from registry.ledger.canonical import canonical_json, entry_bytes, leaf_hash  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh")
MIDDLE = _words("Văn Thị Đức Minh Hữu Ngọc Thanh Quốc Thu Xuân Hoài Kim")
GIVEN = _words(
    "An Bình Cường Dũng Đào Giang Hà Hải Hạnh Hiếu Hoa Hùng Huy Khánh Khoa Lan Linh Long Mai "
    "Nam Nga Ngân Nhung Phúc Phương Quân Quang Sơn Tâm Tân Thảo Thắng Thủy Tiến Trang Trung "
    "Tuấn Tùng Uyên Vân Vinh Việt Yến Đông Đạt Định Thịnh Lộc Lợi Hưng"
)
PLACES = [
    "Đà Nẵng",
    "An Phú",
    "Hòa Bình",
    "Tân Thành",
    "Phú Lộc",
    "Đông Hà",
    "Vĩnh Long",
    "Hội An",
    "Sơn Trà",
    "Cẩm Lệ",
]
POSTS = ["Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Trưởng phòng"]
POWERS = [f"P-{n:03d}" for n in range(200)]
UNITS = [f"U-{n:03d}" for n in range(200)]
SECTORS = ["xay-dung", "dat-dai", "tai-chinh", "y-te", "giao-duc", "dau-tu", "tu-phap"]
EVENTS = ["grant.made"] * 6 + ["grant.amended", "grant.revoked", "act.traced", "act.recorded"]
KINDS = ["devolution", "decentralization", "authorization"]
T0 = datetime(2024, 1, 1, tzinfo=UTC)
STEP = timedelta(seconds=63)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def synthetic_entries(count: int, seed: int = 1) -> Iterator[tuple[Any, ...]]:
    """Rows of ledger_entry (without id) in index order, deterministic for a seed."""
    rng = random.Random(seed)
    for index in range(count):
        event = rng.choice(EVENTS)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        grantor = f"{rng.choice(POSTS)} UBND {rng.choice(PLACES)}"
        unit, power, sector, kind = (
            rng.choice(UNITS),
            rng.choice(POWERS),
            rng.choice(SECTORS),
            rng.choice(KINDS),
        )
        payload = {
            "grant": index // 3 + 1,
            "kind": kind,
            "power": power,
            "grantor": f"position:{unit}.CT",
            "grantee": f"official:CB-{rng.randrange(100000):05d}",
            "territory": [unit],
            "valid_from": "2024-01-01T00:00:00Z",
            "valid_to": None,
            "instrument": f"{rng.randrange(1, 999)}/QĐ-UBND",
        }
        recorded_at = utc_string(T0 + STEP * index)
        leaf = leaf_hash(entry_bytes(index, recorded_at, event, payload))
        words = fold_for_search(f"{name} {grantor} {power} {unit} {kind}")
        yield (
            index,
            recorded_at,
            event,
            canonical_json(payload).decode(),
            leaf.hex(),
            power,
            unit,
            sector,
            kind,
            event.split(".")[1],
            index // 3 + 1,
            None,
            None,
            words,
        )


def nodes_for(rows: list[tuple[Any, ...]], size: int, frontier: dict[Any, bytes]) -> list[Any]:
    created = merkle.append_nodes(size, frontier, [bytes.fromhex(r[4]) for r in rows])
    known = {**frontier, **{(n.level, n.idx): n.hash for n in created}}
    frontier.clear()
    frontier.update({key: known[key] for key in merkle.frontier_keys(size + len(rows))})
    return created


def batches(count: int, size: int = 20000) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in synthetic_entries(count):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


INSERT_COLUMNS = (
    "idx, recorded_at, event_type, payload, leaf_hash, power_code, unit_code, sector, "
    "grant_kind, status, grant_lineage, act_id, corrects_idx, search_text"
)


def migrate(url: str) -> None:
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "registry.cli", "migrate"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def load_sqlite(path: Path, count: int) -> None:
    migrate(f"sqlite:///{path}")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    # The indexes of 10M entries fit in memory: without a large page cache every batch
    # reads back index pages it just evicted, and the load takes hours instead of minutes.
    connection.execute("PRAGMA cache_size=-6000000")
    frontier: dict[Any, bytes] = {}
    size = 0
    for rows in batches(count):
        nodes = nodes_for(rows, size, frontier)
        placeholders = ", ".join("?" * 14)
        connection.executemany(
            f"INSERT INTO ledger_entry ({INSERT_COLUMNS}) VALUES ({placeholders})", rows
        )
        # As the journal does: the search row of each entry, its index as the row id.
        connection.executemany(
            "INSERT INTO ledger_search (rowid, body) VALUES (?, ?)", [(r[0], r[-1]) for r in rows]
        )
        connection.executemany(
            "INSERT INTO merkle_node (level, idx, hash) VALUES (?, ?, ?)",
            [(n.level, n.idx, n.hash.hex()) for n in nodes],
        )
        connection.commit()
        size += len(rows)
        if size % 200000 == 0:
            log(f"  sqlite: {size} entries")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()


async def load_postgres(url: str, count: int) -> None:
    import asyncpg

    migrate(url)
    connection = await asyncpg.connect(url)
    frontier: dict[Any, bytes] = {}
    size = 0
    columns = [c.strip() for c in INSERT_COLUMNS.split(",")]
    for rows in batches(count):
        nodes = nodes_for(rows, size, frontier)
        await connection.copy_records_to_table("ledger_entry", records=rows, columns=columns)
        await connection.copy_records_to_table(
            "merkle_node",
            records=[(n.level, n.idx, n.hash.hex()) for n in nodes],
            columns=["level", "idx", "hash"],
        )
        size += len(rows)
        if size % 200000 == 0:
            log(f"  postgres: {size} entries")
    await connection.execute("VACUUM ANALYZE ledger_entry")
    await connection.execute("VACUUM ANALYZE merkle_node")
    await connection.close()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


async def timed(call: Callable[[], Awaitable[Any]], repeat: int) -> tuple[float, float]:
    await call()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


#: What the benchmark can measure; `--only` picks some.
PARTS = ("search", "append", "proof", "verify", "export", "page")
READ_ONLY_PARTS = frozenset({"search", "proof", "verify", "export"})

SEARCHES: list[tuple[str, dict[str, str]]] = [
    ("a word", {"q": "nguyen"}),
    ("a name", {"q": "tran thi mai"}),
    ("a phrase", {"q": '"le van hung"'}),
    ("two words", {"q": "pham da nang"}),
    ("2-letter prefix", {"q": "ng*"}),
    ("3-letter prefix", {"q": "thu*"}),
    ("rare word", {"q": "dinh xuan loc"}),
    ("name + date range", {"q": "tran thi mai", "from": "2024-06-01", "to": "2024-06-30"}),
    ("name + unit + event", {"q": "nguyen van", "unit": "U-017", "event_type": "grant.made"}),
    ("no query", {}),
    ("no query + unit", {"unit": "U-017"}),
]


async def measure(
    url: str, repeat: int, appends: int, parts: frozenset[str] = frozenset(PARTS)
) -> list[tuple[str, str]]:
    from zoneinfo import ZoneInfo

    from piccolo.engine.postgres import PostgresEngine

    from registry.db import bind_engine, engine_for, write_transaction
    from registry.ledger import proofs
    from registry.ledger.events import EventType
    from registry.ledger.journal import (
        EntryFilters,
        PendingEntry,
        append_entries,
        default_signer,
        ledger_size,
        sign_checkpoint,
    )
    from registry.ledger.search import LedgerQuery, parse_query, search_ledger
    from registry.ledger.verify import verify_stored_ledger
    from registry.settings import DatabaseSettings

    engine = engine_for(DatabaseSettings(url=url))
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=4)
    bind_engine(engine)
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    results: list[tuple[str, str]] = []
    async with write_transaction():
        await sign_checkpoint(default_signer())
    for label, params in SEARCHES if "search" in parts else []:
        query = parse_query(params)

        def run_search(q: LedgerQuery = query) -> Awaitable[Any]:
            return search_ledger(q, zone)

        p50, p95 = await timed(run_search, repeat)
        page = await search_ledger(query, zone)
        more = "50+" if page.next_before is not None else str(len(page.entries))
        results.append((f"search: {label} ({more} hits)", f"p50 {p50:.2f} ms, p95 {p95:.2f} ms"))
        log(f"  {results[-1]}")

    rng = random.Random(11)

    def pending(i: int) -> PendingEntry:
        """A grant like the loaded ones, so appends do not change what the searches find."""
        unit, power, kind = rng.choice(UNITS), rng.choice(POWERS), rng.choice(KINDS)
        facts = {
            "grant": 10**7 + i,
            "kind": kind,
            "power": power,
            "grantor": f"position:{unit}.CT",
            "grantee": f"official:CB-{rng.randrange(100000):05d}",
            "territory": [unit],
        }
        filters = EntryFilters(power_code=power, unit_code=unit, grant_kind=kind)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        return PendingEntry(EventType.GRANT_MADE, facts, datetime.now(UTC), filters, name)

    async def single() -> None:
        async with write_transaction():
            await append_entries([pending(secrets.randbelow(10**5))])

    if "append" in parts:
        p50, p95 = await timed(single, appends)
        results.append(
            ("single durable append (1 entry/tx)", f"p50 {p50:.2f} ms, p95 {p95:.2f} ms")
        )
        log(f"  {results[-1]}")
        async with write_transaction():  # warm, as every other measurement
            await append_entries([pending(i) for i in range(1000)])
        start, cpu, total = time.perf_counter(), time.process_time(), 0
        main_cpu = time.thread_time()
        for _ in range(10):
            async with write_transaction():
                await append_entries([pending(i) for i in range(1000)])
                await sign_checkpoint(default_signer())
            total += 1000
        rate = total / (time.perf_counter() - start)
        # This process's CPU (on SQLite the database's too: it runs in aiosqlite's thread),
        # and the event loop's thread alone (building the entries, the journal's Python).
        per_1000 = (time.process_time() - cpu) * 1000 * 1000 / total
        main_per_1000 = (time.thread_time() - main_cpu) * 1000 * 1000 / total
        results.append(
            (
                "batched appends (1000/tx, tree + checkpoint)",
                f"{rate:,.0f} entries/s, {per_1000:.0f} ms CPU per 1000 in this process "
                f"({main_per_1000:.0f} in its event loop's thread, "
                f"{per_1000 - main_per_1000:.0f} in the others)",
            )
        )
        log(f"  {results[-1]}")
    if "proof" in parts:
        size = (await proofs.require_latest_checkpoint()).size
        rng = random.Random(7)
        p50, p95 = await timed(lambda: proofs.inclusion_proof(rng.randrange(size), size), repeat)
        results.append((f"inclusion proof (size {size:,})", f"p50 {p50:.2f} ms, p95 {p95:.2f} ms"))
        log(f"  {results[-1]}")
    if "verify" in parts:
        start = time.perf_counter()
        verdict = await verify_stored_ledger()
        seconds = time.perf_counter() - start
        state = "ok" if verdict.ok else "FAILED"
        results.append((f"verify {await ledger_size():,} entries", f"{seconds:.1f} s ({state})"))
        log(f"  {results[-1]}")
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
    return results


async def export_child(url: str) -> None:
    """Run in a subprocess: stream the full NDJSON export, report time, bytes and peak RSS."""
    import resource
    from zoneinfo import ZoneInfo

    from registry.db import bind_engine, engine_for
    from registry.ledger.exports import ndjson_export
    from registry.ledger.search import parse_query
    from registry.settings import DatabaseSettings

    engine = engine_for(DatabaseSettings(url=url))
    bind_engine(engine)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, written, lines = time.perf_counter(), 0, 0
    async for chunk in ndjson_export(parse_query({}), ZoneInfo("UTC")):
        written += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{lines} {written} {seconds:.1f} {before / 1024:.0f} {peak / 1024:.0f}")


def measure_export(url: str) -> tuple[str, str]:
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    out = subprocess.run(
        [sys.executable, __file__, "--export-child", url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    lines, written, seconds, before, peak = out
    return (
        f"NDJSON export of {int(lines):,} entries",
        f"{seconds} s, {int(written) / 2**20:.0f} MiB, peak RSS {peak} MiB "
        f"(process at start {before} MiB)",
    )


def hello_app() -> Any:
    """The baseline for the page: a bare Litestar endpoint answering a short text, nothing else."""
    from litestar import Litestar, MediaType, get

    @get("/hello", media_type=MediaType.TEXT)
    async def hello() -> str:
        return "Hello, world!"

    return Litestar([hello], openapi_config=None)


def wrk_rps(url: str, seconds: int, connections: int) -> tuple[float, int]:
    """Requests per second of GETs on `url`, and the count of non-2xx answers."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def measure_page(url: str, work: Path, args: argparse.Namespace) -> list[tuple[str, str]]:
    """`GET /ledger` (newest 50) served by `registry serve` against the bare hello endpoint,
    both by uvicorn with the same workers, interleaved round by round in the same run."""
    from bench.hammer import Server, Workspace, free_port, start_server, wait_ready

    space = Workspace("postgres" if url.startswith("postgres") else "sqlite", work, url)
    registry = start_server(space, args.workers, label="ledger-page")
    port = free_port()
    with open(work / "server-hello.log", "ab") as handle:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "bench.ledger:hello_app", "--factory"),
                *("--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)),
                *("--log-level", "warning", "--no-access-log"),
            ],
            cwd=ROOT,
            env=space.env,
            stdout=handle,
            stderr=handle,
            start_new_session=True,
        )
    hello = Server(process, f"http://127.0.0.1:{port}", work / "server-hello.log")
    try:
        wait_ready(registry.base, timeout=120)
        for _ in range(600):
            if (
                subprocess.run(
                    ["curl", "-sf", f"{hello.base}/hello"], capture_output=True
                ).returncode
                == 0
            ):
                break
            time.sleep(0.05)
        page = subprocess.run(
            ["curl", "-sf", f"{registry.base}/ledger"], capture_output=True, check=True
        ).stdout
        shown = page.count(b'href="/ledger/')
        ratios, rows = [], []
        for _ in range(args.page_rounds):
            bare, bad_bare = wrk_rps(f"{hello.base}/hello", args.page_seconds, 16)
            ledger, bad_page = wrk_rps(f"{registry.base}/ledger", args.page_seconds, 16)
            ratios.append(ledger / bare)
            rows.append(
                f"{ledger:,.0f}/{bare:,.0f}" + (" (non-2xx!)" if bad_bare + bad_page else "")
            )
    finally:
        registry.stop()
        hello.stop()
    return [
        (
            f"/ledger page ({shown} entry links) vs bare hello, req/s per round",
            f"{', '.join(rows)}; ratio {', '.join(f'{r:.1%}' for r in ratios)}, "
            f"median {statistics.median(ratios):.1%}",
        )
    ]


async def admin(sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(
        os.environ.get("LEDGER_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40, help="samples per measured operation")
    parser.add_argument("--appends", type=int, default=200, help="single appends to time")
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    parser.add_argument(
        "--store",
        type=Path,
        help="keep the loaded databases here (SQLite file, PostgreSQL database "
        "ledger_bench_<entries>) and reuse them in later runs; appends make them grow",
    )
    parser.add_argument("--load-only", action="store_true", help="load the stores, measure nothing")
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated parts of {', '.join(PARTS)}"
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers for the page")
    parser.add_argument("--page-rounds", type=int, default=3)
    parser.add_argument("--page-seconds", type=int, default=10)
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        asyncio.run(export_child(args.export_child))
        return 0
    work = args.store.resolve() if args.store else Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # The signing key of the benchmark instance lives with its data, never in ./var.
    os.environ.setdefault("REGISTRY_DATA_DIR", str(work / "data"))
    try:
        print_report(run(args, work), args.entries)
    finally:
        if not (args.keep or args.store):
            shutil.rmtree(work, ignore_errors=True)
    return 0


def sqlite_store(args: argparse.Namespace, work: Path, in_place: bool) -> str:
    """A loaded SQLite file: from --store (migrated forwards, then copied so that every run
    starts from the same pristine ledger, unless nothing measured writes), else loaded now."""
    path = work / (f"ledger-{args.entries}.sqlite3" if args.store else "ledger.sqlite3")
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        start = time.perf_counter()
        load_sqlite(partial, args.entries)
        log(f"sqlite: loaded {args.entries:,} in {time.perf_counter() - start:.0f} s")
        partial.rename(path)
        if not args.store:
            return f"sqlite:///{path}"
    migrate(f"sqlite:///{path}")
    if in_place:
        return f"sqlite:///{path}"
    copy = work / "run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    log(f"sqlite: running on a copy of {path.name}")
    return f"sqlite:///{copy}"


def postgres_store(args: argparse.Namespace, base: str, in_place: bool) -> tuple[str, bool]:
    """A loaded PostgreSQL database to run on and whether to drop it afterwards: a copy of the
    stored one (`ledger_bench_<entries>`, migrated forwards) with --store, the stored one itself
    if nothing measured writes, else a fresh one."""
    server = base.rsplit("/", 1)[0]
    run_name = f"ledger_bench_{secrets.token_hex(4)}"
    if not args.store:
        asyncio.run(admin(f'CREATE DATABASE "{run_name}"'))
        start = time.perf_counter()
        asyncio.run(load_postgres(f"{server}/{run_name}", args.entries))
        log(f"postgres: loaded {args.entries:,} in {time.perf_counter() - start:.0f} s")
        return f"{server}/{run_name}", True
    name = f"ledger_bench_{args.entries}"
    if not asyncio.run(database_exists(name)):
        loading = f"{name}_loading"
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{loading}" WITH (FORCE)'))
        asyncio.run(admin(f'CREATE DATABASE "{loading}"'))
        start = time.perf_counter()
        asyncio.run(load_postgres(f"{server}/{loading}", args.entries))
        log(f"postgres: loaded {args.entries:,} in {time.perf_counter() - start:.0f} s")
        asyncio.run(admin(f'ALTER DATABASE "{loading}" RENAME TO "{name}"'))
    migrate(f"{server}/{name}")
    if in_place:
        return f"{server}/{name}", False
    asyncio.run(admin(f'CREATE DATABASE "{run_name}" TEMPLATE "{name}"'))
    log(f"postgres: running on a copy of {name}")
    return f"{server}/{run_name}", True


async def database_exists(name: str) -> bool:
    import asyncpg

    connection = await asyncpg.connect(
        os.environ.get("LEDGER_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    try:
        return bool(await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await connection.close()


def run(args: argparse.Namespace, work: Path) -> dict[str, list[tuple[str, str]]]:
    report: dict[str, list[tuple[str, str]]] = {}
    parts = frozenset(args.only.split(","))
    # Searches, proofs, verification and exports only read (and sign the current head once):
    # they run on the stored ledger itself, which saves copying 1.4 GB per million entries.
    in_place = bool(args.store) and (args.load_only or parts <= READ_ONLY_PARTS)

    def load(moment: str) -> tuple[str, str]:
        one, five, fifteen = os.getloadavg()
        return (f"load average {moment}", f"{one:.2f}, {five:.2f}, {fifteen:.2f}")

    if not args.no_sqlite:
        url = sqlite_store(args, work, in_place)
        try:
            if not args.load_only:
                start_load = load("at start")
                report["SQLite"] = asyncio.run(measure(url, args.repeat, args.appends, parts))
                report["SQLite"].insert(0, start_load)
                if "export" in parts:
                    report["SQLite"].append(measure_export(url))
                if "page" in parts:
                    report["SQLite"] += measure_page(url, work, args)
                report["SQLite"].append(load("at end"))
        finally:
            if args.store and not in_place:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{work / 'run.sqlite3'}{suffix}").unlink(missing_ok=True)
    if args.postgres:
        base = os.environ.get(
            "LEDGER_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
        )
        url, drop = postgres_store(args, base, in_place)
        try:
            if not args.load_only:
                start_load = load("at start")
                report["PostgreSQL"] = asyncio.run(measure(url, args.repeat, args.appends, parts))
                report["PostgreSQL"].insert(0, start_load)
                if "export" in parts:
                    report["PostgreSQL"].append(measure_export(url))
                if "page" in parts:
                    report["PostgreSQL"] += measure_page(url, work, args)
                report["PostgreSQL"].append(load("at end"))
        finally:
            if drop:
                name = url.rsplit("/", 1)[1]
                asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return report


def print_report(report: dict[str, list[tuple[str, str]]], entries: int) -> None:
    for engine, rows in report.items():
        print(f"\n{engine}, {entries:,} entries")
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    sys.exit(main())
