"""Hammer a served registry with concurrent clients; prove nothing was lost, doubled or leaked.

Starts `registry serve --workers 2` on 127.0.0.1 (a free port) over a fresh database holding the
demo province, then N async clients send a seeded mix of grants, revocations, checks, ledger
searches and deliberately invalid requests. It passes only if: the ledger grew by exactly the
entries the successful writes imply (2 per grant, 2 + voided per revocation: every write records
a new instrument), the indexes are contiguous, no leaf hash repeats, `registry ledger verify` is
clean, no answer was 5xx, every invalid request got its expected status and reason code, and a
revocation made through one server was refused by another within 100 ms.

    .venv/bin/python bench/hammer.py --engine sqlite --clients 8 --requests 50 --seed 1
    .venv/bin/python bench/hammer.py --engine postgres
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN_URL = os.environ.get(
    "REGISTRY_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "mot mat khau tai nang rat dai 2026"  # noqa: S105 - a throwaway bench account
CHAIRMAN = "position:UBND-T.CT"
GRANTEES = ("position:SXD.GD", "position:SXD.PGD1", "position:SXD.PGD2")
#: The propagation probe's own grantee (official CB-0016), so hammer grants never answer for it.
PROBE_GRANTEE, PROBE_OFFICIAL = "position:SXD.PGD3", "CB-0016"
SEARCH_WORDS = ("xây dựng", "Sở Xây dựng", "uy quyen", "GUQ", "thu hồi", "Đất đai", "hammer")
PROPAGATION_LIMIT_S = 0.100


# --- a database and servers on loopback -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _admin_sql(sql: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run())


@dataclass
class Workspace:
    """A throwaway data directory and database; `env` is what every `registry` command gets."""

    engine: str
    directory: Path
    database_url: str = ""
    postgres_name: str = ""

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "REGISTRY_DATA_DIR": str(self.directory / "data"),
            "REGISTRY_DATABASE_URL": self.database_url,
            "REGISTRY_LOG_JSON": "true",
            # One connection pool per worker; two workers and the CLI stay far below max clients.
        }

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 900) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "registry.cli", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"registry {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Read the database directly (the ledger checks must not trust the API)."""
        if self.engine == "sqlite":
            path = self.database_url.removeprefix("sqlite:///")
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as connection:
                return list(connection.execute(sql).fetchall())
        import asyncpg

        async def run() -> list[tuple[Any, ...]]:
            connection = await asyncpg.connect(self.database_url)
            try:
                return [tuple(r) for r in await connection.fetch(sql)]
            finally:
                await connection.close()

        return asyncio.run(run())


def load_demo(space: Workspace, demo: str) -> None:
    """`full`: `registry demo` (organisation, powers, grants and the traced acts); `grants`: the
    same importer without the acts (`tests/support/load_demo.py`, as the test fixtures do)."""
    if demo == "full":
        space.cli("demo")
        return
    result = subprocess.run(
        [sys.executable, "tests/support/load_demo.py"],
        cwd=ROOT,
        env=space.env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"loading the demo failed:\n{result.stderr[-3000:]}")


@contextlib.contextmanager
def workspace(engine: str, keep: bool = False, demo: str = "full") -> Iterator[Workspace]:
    """A fresh migrated database with the demo province, removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix=f"registry-{engine}-"))
    space = Workspace(engine, directory)
    if engine == "postgres":
        space.postgres_name = f"registry_bench_{uuid.uuid4().hex[:10]}"
        _admin_sql(f'CREATE DATABASE "{space.postgres_name}"')
        base = POSTGRES_ADMIN_URL.rpartition("/")[0]
        space.database_url = f"{base}/{space.postgres_name}"
    else:
        space.database_url = f"sqlite:///{directory / 'registry.sqlite3'}"
    try:
        space.cli("migrate")
        load_demo(space, demo)
        yield space
    finally:
        if space.postgres_name:
            _admin_sql(f'DROP DATABASE IF EXISTS "{space.postgres_name}" WITH (FORCE)')
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


def admin_token(space: Workspace, username: str = "hammer") -> str:
    space.cli("create-user", username, "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    return space.cli("token", "create", "--user", username, "--scope", "write").strip()


@dataclass
class Server:
    """One `registry serve` process (with its uvicorn workers) in its own process group."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def start_server(
    space: Workspace, workers: int, port: int | None = None, label: str = "a"
) -> Server:
    port = port or free_port()
    log = space.directory / f"server-{label}.log"
    with open(log, "ab") as handle:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "registry.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=space.env,
            stdout=handle,
            stderr=handle,
            start_new_session=True,
        )
    return Server(process, f"http://127.0.0.1:{port}", log)


def wait_ready(base: str, timeout: float = 60.0) -> float:
    """Seconds until `/readyz` answered 200; raises after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if httpx.get(f"{base}/readyz", timeout=1.0).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{base} not ready after {timeout:.0f} s")


# --- the requests ----------------------------------------------------------------------------


def grant_body(number: str, grantee: str, rng: random.Random) -> dict[str, Any]:
    """The Chairman authorizes a department head or deputy to sanction violations (XD-03)."""
    return {
        "power": "XD-03",
        "kind": "authorization",
        "grantor": CHAIRMAN,
        "grantee": grantee,
        "scope": {
            "territory": ["UBND-T"],
            "sectors": ["xay_dung"],
            "act_types": ["quyet_dinh_xu_phat"],
            "amount_ceiling": rng.choice((100_000_000, 250_000_000, 500_000_000)),
        },
        "valid_from": f"2026-12-{rng.randint(1, 28):02d}T00:00:00Z",
        "valid_to": "2027-06-30T00:00:00Z",
        "instrument": {
            "number": number,
            "type": "authorization_letter",
            "signed_at": "2026-11-20T02:00:00Z",
            "title_vi": "Giấy ủy quyền xử phạt (hammer)",
        },
    }


def revoke_body(number: str) -> dict[str, Any]:
    return {
        "reason": "Thu hồi để kiểm thử tải / hammer revocation",
        "instrument": {"number": number, "type": "decision", "signed_at": "2026-11-28T02:00:00Z"},
    }


def check_body(official: str, at: str) -> dict[str, Any]:
    return {
        "official": official,
        "power": "XD-03",
        "facts": {
            "unit": "SXD",
            "sector": "xay_dung",
            "act_type": "quyet_dinh_xu_phat",
            "amount": 1_000_000,
        },
        "at": at,
    }


@dataclass(frozen=True)
class Invalid:
    """A request that must be refused with this status and reason code, storing nothing."""

    name: str
    status: int
    code: str


def _invalid_grant(number: str, rng: random.Random, **changes: Any) -> dict[str, Any]:
    body = grant_body(number, rng.choice(GRANTEES), rng)
    body.update(changes)
    return body


#: name -> (expected, builder(number, rng, client state) -> (method, path, json body))
INVALID: dict[str, tuple[Invalid, Callable[..., tuple[str, str, dict[str, Any] | None]]]] = {
    "end_required": (
        Invalid("end_required", 422, "END_REQUIRED"),
        lambda n, rng, st: ("POST", "/api/v1/grants", _invalid_grant(n, rng, valid_to=None)),
    ),
    "end_before_start": (
        Invalid("end_before_start", 422, "END_NOT_AFTER_START"),
        lambda n, rng, st: (
            "POST",
            "/api/v1/grants",
            _invalid_grant(n, rng, valid_to="2026-11-01T00:00:00Z"),
        ),
    ),
    "amount_above_source": (
        Invalid("amount_above_source", 422, "AMOUNT_ABOVE_SOURCE"),
        lambda n, rng, st: (
            "POST",
            "/api/v1/grants",
            _invalid_grant(
                n,
                rng,
                scope={
                    "territory": ["UBND-T"],
                    "sectors": ["xay_dung"],
                    "act_types": ["quyet_dinh_xu_phat"],
                    "amount_ceiling": 2_000_000_000,
                },
            ),
        ),
    ),
    "self_grant": (
        Invalid("self_grant", 422, "SELF_GRANT"),
        lambda n, rng, st: ("POST", "/api/v1/grants", _invalid_grant(n, rng, grantee=CHAIRMAN)),
    ),
    "unknown_field": (
        Invalid("unknown_field", 400, "INVALID_REQUEST"),
        lambda n, rng, st: ("POST", "/api/v1/grants", _invalid_grant(n, rng, colour="red")),
    ),
    "impossible_date": (
        Invalid("impossible_date", 400, "INVALID_DATE"),
        lambda n, rng, st: (
            "POST",
            "/api/v1/grants",
            _invalid_grant(n, rng, valid_from="2026-02-30T00:00:00Z"),
        ),
    ),
    "unknown_power": (
        Invalid("unknown_power", 422, "UNKNOWN_REFERENCE"),
        lambda n, rng, st: ("POST", "/api/v1/grants", _invalid_grant(n, rng, power="XX-99")),
    ),
    "already_revoked": (
        Invalid("already_revoked", 422, "GRANT_ALREADY_REVOKED"),
        lambda n, rng, st: (
            "POST",
            f"/api/v1/grants/{rng.choice(st.revoked)}/revoke",
            revoke_body(n),
        ),
    ),
    "revoke_unknown_grant": (
        Invalid("revoke_unknown_grant", 404, "NOT_FOUND"),
        lambda n, rng, st: ("POST", "/api/v1/grants/99999999/revoke", revoke_body(n)),
    ),
    "check_unknown_power": (
        Invalid("check_unknown_power", 404, "NOT_FOUND"),
        lambda n, rng, st: (
            "POST",
            "/api/v1/check",
            {**check_body("CB-0014", "2027-01-05T03:00:00Z"), "power": "XX-99"},
        ),
    ),
}


@dataclass
class ClientState:
    """What one client made and may revoke."""

    active: list[int] = field(default_factory=list)
    revoked: list[int] = field(default_factory=list)


@dataclass
class Outcome:
    kind: str
    status: int
    seconds: float
    #: (grant, ledger index, entries implied) for a successful write.
    write: tuple[int, int, int, str] | None = None
    problem: str = ""


@dataclass
class Results:
    outcomes: list[Outcome] = field(default_factory=list)
    #: Seconds from a revocation's acknowledgment to the sending of the first refused check.
    propagation: list[float] = field(default_factory=list)
    refusal_round_trip: list[float] = field(default_factory=list)
    stale_answers: int = 0
    propagation_problems: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        found = [o.problem for o in self.outcomes if o.problem]
        found += [f"{o.kind}: server error {o.status}" for o in self.outcomes if o.status >= 500]
        return found + self.propagation_problems


def _code(response: httpx.Response) -> str:
    with contextlib.suppress(ValueError, KeyError, IndexError, TypeError):
        return str(response.json()["reasons"][0]["code"])
    return ""


async def _timed(
    http: httpx.AsyncClient, method: str, path: str, **kwargs: Any
) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await http.request(method, path, **kwargs)
    return response, time.perf_counter() - started


async def run_client(
    http: httpx.AsyncClient, client: int, requests: int, seed: int, results: Results
) -> None:
    rng = random.Random(seed * 10_007 + client)
    state = ClientState()
    for step in range(requests):
        number = f"{seed}-{client}-{step}/HAMMER"
        roll = rng.random()
        kind = (
            "invalid"
            if roll < 0.20
            else "grant"
            if roll < 0.45
            else "revoke"
            if roll < 0.55
            else "check"
            if roll < 0.80
            else "search"
        )
        if kind == "revoke" and not state.active:
            kind = "grant"
        if kind == "grant":
            body = grant_body(number, rng.choice(GRANTEES), rng)
            response, seconds = await _timed(http, "POST", "/api/v1/grants", json=body)
            outcome = Outcome(kind, response.status_code, seconds)
            if response.status_code == 201:
                made = response.json()
                state.active.append(made["grant"])
                outcome.write = (made["grant"], made["ledger_index"], 2, "grant.made")
            else:
                outcome.problem = f"grant {number}: {response.status_code} {response.text[:300]}"
        elif kind == "revoke":
            grant = state.active.pop(rng.randrange(len(state.active)))
            response, seconds = await _timed(
                http, "POST", f"/api/v1/grants/{grant}/revoke", json=revoke_body(number)
            )
            outcome = Outcome(kind, response.status_code, seconds)
            if response.status_code == 200:
                state.revoked.append(grant)
                done = response.json()
                outcome.write = (
                    grant,
                    done["ledger_index"],
                    2 + len(done["voided"]),
                    "grant.revoked",
                )
            else:
                outcome.problem = f"revoke {grant}: {response.status_code} {response.text[:300]}"
        elif kind == "check":
            at = f"2027-0{rng.randint(1, 5)}-{rng.randint(1, 28):02d}T03:00:00Z"
            body = check_body(rng.choice(("CB-0014", "CB-0115", "CB-0015")), at)
            response, seconds = await _timed(http, "POST", "/api/v1/check", json=body)
            outcome = Outcome(kind, response.status_code, seconds)
            if response.status_code != 200 or "allowed" not in response.json():
                outcome.problem = f"check: {response.status_code} {response.text[:300]}"
        elif kind == "search":
            params = {"q": rng.choice(SEARCH_WORDS)}
            response, seconds = await _timed(http, "GET", "/api/v1/ledger/search", params=params)
            outcome = Outcome(kind, response.status_code, seconds)
            if response.status_code != 200:
                outcome.problem = f"search {params}: {response.status_code} {response.text[:300]}"
        else:
            names = [n for n in INVALID if n != "already_revoked" or state.revoked]
            expected, build = INVALID[rng.choice(sorted(names))]
            method, path, payload = build(number, rng, state)
            response, seconds = await _timed(http, method, path, json=payload)
            outcome = Outcome(f"invalid:{expected.name}", response.status_code, seconds)
            got = (response.status_code, _code(response))
            if got != (expected.status, expected.code):
                outcome.problem = (
                    f"invalid {expected.name}: expected {expected.status} {expected.code}, "
                    f"got {got[0]} {got[1]} {response.text[:200]}"
                )
        results.outcomes.append(outcome)


async def propagation_probe(
    writer: str, reader: str, headers: dict[str, str], rounds: int, results: Results
) -> None:
    """Grant through the hammered server, wait until the other server allows, revoke through the
    hammered server, then time how long the other server keeps allowing (new connection for every
    check, no sleep between checks). Afterwards every fresh connection to the hammered server,
    whichever of its workers takes it, must refuse too."""
    at = "2027-02-10T03:00:00Z"
    probe = check_body(PROBE_OFFICIAL, at)
    for round_ in range(rounds):
        async with httpx.AsyncClient(base_url=writer, headers=headers, timeout=30) as http:
            body = grant_body(
                f"probe-{round_}-{uuid.uuid4().hex[:6]}/HAMMER",
                PROBE_GRANTEE,
                random.Random(round_),
            )
            made = await http.post("/api/v1/grants", json=body)
            if made.status_code != 201:
                results.propagation_problems.append(f"probe grant: {made.status_code} {made.text}")
                return
            grant = made.json()["grant"]
        allowed = False
        deadline = time.monotonic() + 5
        while not allowed and time.monotonic() < deadline:
            async with httpx.AsyncClient(base_url=reader, headers=headers, timeout=30) as http:
                allowed = (await http.post("/api/v1/check", json=probe)).json()["allowed"]
        if not allowed:
            results.propagation_problems.append("probe: the grant never reached the other server")
            return
        async with httpx.AsyncClient(base_url=writer, headers=headers, timeout=30) as http:
            revoked = await http.post(
                f"/api/v1/grants/{grant}/revoke",
                json=revoke_body(f"probe-r-{round_}-{grant}/HAMMER"),
            )
        acknowledged = time.perf_counter()
        if revoked.status_code != 200:
            results.propagation_problems.append(f"probe revoke: {revoked.status_code}")
            return
        stale = 0
        while True:
            sent = time.perf_counter()
            async with httpx.AsyncClient(base_url=reader, headers=headers, timeout=30) as http:
                answer = (await http.post("/api/v1/check", json=probe)).json()
            if not answer["allowed"]:
                # The window in which the other server could still answer "allowed": from the
                # acknowledgment to the sending of the first check it refused (0 when the very
                # first check refused), plus that check's own round trip as an upper bound.
                results.propagation.append(sent - acknowledged)
                results.refusal_round_trip.append(time.perf_counter() - sent)
                break
            stale += 1
            if time.perf_counter() - acknowledged > 5:
                results.propagation_problems.append("probe: revocation not seen after 5 s")
                return
        results.stale_answers += stale
        for _ in range(4):
            async with httpx.AsyncClient(base_url=writer, headers=headers, timeout=30) as http:
                if (await http.post("/api/v1/check", json=probe)).json()["allowed"]:
                    results.propagation_problems.append("probe: a worker still allowed after")
        if results.propagation[-1] > PROPAGATION_LIMIT_S:
            results.propagation_problems.append(
                f"probe: the other server allowed for {results.propagation[-1] * 1000:.0f} ms "
                "after the revocation was acknowledged"
            )


async def hammer(
    base: str, other: str, token: str, clients: int, requests: int, seed: int, probes: int
) -> Results:
    results = Results()
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as http:
        await asyncio.gather(
            *(run_client(http, c, requests, seed, results) for c in range(clients)),
            propagation_probe(base, other, headers, probes, results),
        )
    return results


# --- the checks after the run ----------------------------------------------------------------


def check_ledger(space: Workspace, before: int, results: Results) -> list[str]:
    problems: list[str] = []
    [(count, last, hashes)] = space.rows(
        "SELECT COUNT(*), MAX(idx), COUNT(DISTINCT leaf_hash) FROM ledger_entry"
    )
    if count != last + 1:
        problems.append(f"indexes not contiguous: {count} entries, last index {last}")
    if hashes != count:
        problems.append(f"{count - hashes} duplicate leaf hashes")
    added = {
        int(idx): (event, lineage)
        for idx, event, lineage in space.rows(
            f"SELECT idx, event_type, grant_lineage FROM ledger_entry WHERE idx >= {int(before)}"
        )
    }
    writes = [o.write for o in results.outcomes if o.write]
    probe_writes = 2 * len(results.propagation) * 2  # a grant and a revocation, 2 entries each
    implied = sum(w[2] for w in writes) + probe_writes
    if len(added) != implied:
        problems.append(
            f"ledger grew by {len(added)} entries, the acknowledged writes imply {implied}"
        )
    for grant, index, _, event in writes:
        if added.get(index) != (event, grant):
            problems.append(f"write of grant {grant} reported entry #{index}: {added.get(index)}")
    events = Counter(event for event, _ in added.values())
    made = sum(1 for w in writes if w[3] == "grant.made") + len(results.propagation)
    revoked = sum(1 for w in writes if w[3] == "grant.revoked") + len(results.propagation)
    if (events["grant.made"], events["grant.revoked"]) != (made, revoked):
        problems.append(f"event counts {dict(events)}; expected {made} made, {revoked} revoked")
    return problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency_table(results: Results) -> dict[str, dict[str, float]]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for outcome in results.outcomes:
        by_kind["invalid" if outcome.kind.startswith("invalid") else outcome.kind].append(
            outcome.seconds
        )
    return {
        kind: {
            "n": len(values),
            "p50_ms": statistics.median(values) * 1000,
            "p95_ms": percentile(values, 0.95) * 1000,
            "max_ms": max(values) * 1000,
        }
        for kind, values in sorted(by_kind.items())
    }


def run(args: argparse.Namespace) -> int:
    with workspace(args.engine, keep=args.keep, demo=args.demo) as space:
        token = admin_token(space)
        server = start_server(space, args.workers, label="hammered")
        other = start_server(space, 1, label="other")
        try:
            wait_ready(server.base)
            wait_ready(other.base)
            [(before,)] = space.rows("SELECT COUNT(*) FROM ledger_entry")
            started = time.monotonic()
            results = asyncio.run(
                hammer(
                    server.base,
                    other.base,
                    token,
                    args.clients,
                    args.requests,
                    args.seed,
                    args.probes,
                )
            )
            elapsed = time.monotonic() - started
        finally:
            server.stop()
            other.stop()
        problems = results.problems()
        problems += check_ledger(space, int(before), results)
        verify = subprocess.run(
            [sys.executable, "-m", "registry.cli", "ledger", "verify"],
            cwd=ROOT,
            env=space.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if verify.returncode != 0:
            problems.append("registry ledger verify: " + verify.stdout[-1000:])
        server_errors = sum(
            1
            for s in (server, other)
            for line in s.log_tail(100_000).splitlines()
            if '"server_error"' in line
        )
        if server_errors:
            problems.append(f"{server_errors} server_error lines in the server logs")
        table = latency_table(results)
        statuses = Counter(o.status for o in results.outcomes)
        summary = {
            "engine": args.engine,
            "clients": args.clients,
            "requests_per_client": args.requests,
            "seed": args.seed,
            "workers": args.workers,
            "demo": args.demo,
            "elapsed_s": round(elapsed, 2),
            "requests": len(results.outcomes),
            "statuses": dict(sorted(statuses.items())),
            "writes_acknowledged": sum(1 for o in results.outcomes if o.write),
            "ledger_entries_before": int(before),
            "latency": {k: {m: round(v, 1) for m, v in row.items()} for k, row in table.items()},
            "propagation_window_ms": [round(s * 1000, 1) for s in results.propagation],
            "propagation_refusal_round_trip_ms": [
                round(s * 1000, 1) for s in results.refusal_round_trip
            ],
            "propagation_stale_answers": results.stale_answers,
            "ledger_verify": verify.stdout.strip().splitlines()[-1:] if verify.stdout else [],
            "problems": problems,
        }
        print(
            f"hammer on {args.engine}: {len(results.outcomes)} requests in {elapsed:.1f} s, "
            f"{args.clients} clients x {args.requests}, seed {args.seed}, "
            f"{args.workers} workers"
        )
        print(f"{'kind':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for kind, row in table.items():
            print(
                f"{kind:<10} {row['n']:>5.0f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
                f"{row['max_ms']:>8.1f}"
            )
        print(f"statuses: {summary['statuses']}")
        print(
            f"propagation to the other server: stale answers {results.stale_answers}, window (ms) "
            f"{summary['propagation_window_ms']}, refusal round trip (ms) "
            f"{summary['propagation_refusal_round_trip_ms']}"
        )
        print(verify.stdout.strip().splitlines()[-1] if verify.stdout else "no verify output")
        if args.json:
            Path(args.json).write_text(json.dumps(summary, indent=2, ensure_ascii=False))
        if problems:
            print(f"FAILED ({len(problems)} problems):")
            for problem in problems[:50]:
                print(f"  - {problem}")
            print(server.log_tail(20))
            return 1
        print("PASSED: nothing lost, nothing doubled, no 5xx, every refusal as expected")
        return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=50, help="requests per client")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--demo",
        choices=["full", "grants"],
        default="full",
        help="full: `registry demo`; grants: without the acts",
    )
    parser.add_argument("--probes", type=int, default=5, help="propagation probe rounds")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    return parser.parse_args(argv)


if __name__ == "__main__":
    raise SystemExit(run(parse_args()))
