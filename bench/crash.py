"""Kill the server with SIGKILL in the middle of writes; every acknowledged write must survive.

Each round starts `registry serve --workers 2` on 127.0.0.1, lets a few clients make grants and
revoke some of them, kills the whole process group (supervisor and workers) at a random moment,
restarts it and checks: the server answers `/readyz` within 5 s, every grant whose 201 and every
revocation whose 200 reached a client is in the database with its ledger entry, and
`registry ledger verify` is clean.

    .venv/bin/python bench/crash.py --engine sqlite --rounds 10 --seed 1
    .venv/bin/python bench/crash.py --engine postgres --rounds 10 --seed 1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.hammer import (  # noqa: E402
    GRANTEES,
    Workspace,
    admin_token,
    grant_body,
    revoke_body,
    start_server,
    wait_ready,
    workspace,
)

READY_LIMIT_S = 5.0


@dataclass
class Round:
    """What the clients were told was done before the kill, and what was found after."""

    number: int
    killed_after_s: float = 0.0
    #: grant number -> ledger index of its `grant.made` entry
    granted: dict[int, int] = field(default_factory=dict)
    #: grant number -> ledger index of its `grant.revoked` entry
    revoked: dict[int, int] = field(default_factory=dict)
    in_flight_errors: int = 0
    ready_after_s: float = 0.0
    problems: list[str] = field(default_factory=list)
    first_ack: asyncio.Event = field(default_factory=asyncio.Event)


async def _writer(
    base: str, headers: dict[str, str], client: int, round_: Round, rng: random.Random
) -> None:
    """Write until the server dies; only answers that arrived count as acknowledged."""
    step = 0
    mine: list[int] = []
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10) as http:
        while True:
            step += 1
            number = f"crash-{round_.number}-{client}-{step}-{rng.randrange(10**6)}/CRASH"
            try:
                if mine and rng.random() < 0.3:
                    grant = mine.pop()
                    answer = await http.post(
                        f"/api/v1/grants/{grant}/revoke", json=revoke_body(number)
                    )
                    if answer.status_code == 200:
                        round_.revoked[grant] = answer.json()["ledger_index"]
                        round_.first_ack.set()
                    elif answer.status_code >= 500:
                        round_.problems.append(f"revoke: {answer.status_code}")
                else:
                    body = grant_body(number, rng.choice(GRANTEES), rng)
                    answer = await http.post("/api/v1/grants", json=body)
                    if answer.status_code == 201:
                        made = answer.json()
                        round_.granted[made["grant"]] = made["ledger_index"]
                        mine.append(made["grant"])
                        round_.first_ack.set()
                    elif answer.status_code >= 500:
                        round_.problems.append(f"grant: {answer.status_code}")
            except httpx.HTTPError:
                round_.in_flight_errors += 1
                return


async def _write_then_kill(
    base: str, token: str, round_: Round, rng: random.Random, clients: int, kill: object
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    writers = [
        asyncio.create_task(_writer(base, headers, c, round_, random.Random(rng.random())))
        for c in range(clients)
    ]
    # A random moment once writes are flowing: after the first acknowledgment, up to 2 s later.
    started = time.monotonic()
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(round_.first_ack.wait(), timeout=60)
    await asyncio.sleep(rng.uniform(0.0, 2.0))
    round_.killed_after_s = time.monotonic() - started
    kill()  # type: ignore[operator]
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.gather(*writers), timeout=30)


def _check_acknowledged(space: Workspace, round_: Round) -> None:
    grants = {**round_.granted, **round_.revoked}
    if not grants:
        round_.problems.append("no write was acknowledged before the kill")
        return
    lineages = ",".join(str(int(g)) for g in grants)
    states = {
        int(lineage): state
        for lineage, state in space.rows(
            f"SELECT lineage, state FROM grant_version WHERE lineage IN ({lineages})"
        )
    }
    indexes = ",".join(str(int(i)) for i in [*round_.granted.values(), *round_.revoked.values()])
    entries = {
        int(idx): (event, lineage)
        for idx, event, lineage in space.rows(
            f"SELECT idx, event_type, grant_lineage FROM ledger_entry WHERE idx IN ({indexes})"
        )
    }
    for grant, index in round_.granted.items():
        if grant not in states:
            round_.problems.append(f"acknowledged grant {grant} is missing after restart")
        if entries.get(index) != ("grant.made", grant):
            round_.problems.append(f"grant {grant}: ledger entry #{index} is {entries.get(index)}")
    for grant, index in round_.revoked.items():
        if states.get(grant) != "revoked":
            round_.problems.append(f"acknowledged revocation of {grant}: state {states.get(grant)}")
        if entries.get(index) != ("grant.revoked", grant):
            round_.problems.append(f"revocation {grant}: entry #{index} is {entries.get(index)}")


def _verify(space: Workspace) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "registry.cli", "ledger", "verify"],
        cwd=ROOT,
        env=space.env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return "" if result.returncode == 0 else result.stdout[-1500:] + result.stderr[-1500:]


def crash_rounds(
    engine: str,
    rounds: int,
    seed: int,
    clients: int = 4,
    workers: int = 2,
    ready_limit_s: float = READY_LIMIT_S,
    demo: str = "full",
) -> list[Round]:
    """Run the rounds on a fresh database of `engine`; each round's problems are in the result."""
    rng = random.Random(seed)
    done: list[Round] = []
    with workspace(engine, demo=demo) as space:
        token = admin_token(space, "crash")
        server = start_server(space, workers, label="crash")
        wait_ready(server.base)
        for number in range(rounds):
            round_ = Round(number)
            asyncio.run(_write_then_kill(server.base, token, round_, rng, clients, server.kill))
            server = start_server(space, workers, label="crash")
            try:
                round_.ready_after_s = wait_ready(server.base, timeout=60)
            except TimeoutError:
                round_.problems.append("not ready 60 s after restart\n" + server.log_tail())
                done.append(round_)
                break
            if round_.ready_after_s > ready_limit_s:
                round_.problems.append(
                    f"/readyz answered {round_.ready_after_s:.1f} s after restart"
                )
            _check_acknowledged(space, round_)
            failure = _verify(space)
            if failure:
                round_.problems.append("ledger verify: " + failure)
            done.append(round_)
        server.stop()
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--ready-limit",
        type=float,
        default=READY_LIMIT_S,
        help="seconds allowed from restart to /readyz answering 200",
    )
    parser.add_argument(
        "--demo",
        choices=["full", "grants"],
        default="full",
        help="full: `registry demo`; grants: without the acts",
    )
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    rounds = crash_rounds(
        args.engine, args.rounds, args.seed, args.clients, args.workers, args.ready_limit, args.demo
    )
    print(f"crash on {args.engine}: {len(rounds)} rounds in {time.monotonic() - started:.0f} s")
    print(
        f"{'round':>5} {'killed at s':>11} {'grants':>6} {'revokes':>7} {'cut':>4} {'ready s':>8}"
    )
    for r in rounds:
        print(
            f"{r.number:>5} {r.killed_after_s:>11.2f} {len(r.granted):>6} {len(r.revoked):>7} "
            f"{r.in_flight_errors:>4} {r.ready_after_s:>8.2f}"
        )
    ready = [r.ready_after_s for r in rounds]
    acknowledged = sum(len(r.granted) + len(r.revoked) for r in rounds)
    print(
        f"acknowledged writes: {acknowledged}; ready after restart: "
        f"median {statistics.median(ready):.2f} s, max {max(ready):.2f} s"
    )
    problems = [f"round {r.number}: {p}" for r in rounds for p in r.problems]
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "engine": args.engine,
                    "rounds": len(rounds),
                    "acknowledged": acknowledged,
                    "ready_median_s": statistics.median(ready),
                    "ready_max_s": max(ready),
                    "writes_cut_in_flight": sum(r.in_flight_errors for r in rounds),
                    "problems": problems,
                },
                indent=2,
            )
        )
    if problems or len(rounds) < args.rounds:
        print("FAILED:", *problems, sep="\n  - ")
        return 1
    print("PASSED: every acknowledged write survived, the ledger verifies after every kill")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
