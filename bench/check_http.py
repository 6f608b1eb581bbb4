"""Requests per second of `POST /api/v1/check` against a bare Litestar JSON endpoint.

Both servers run as uvicorn with the same worker count, options and load generator (`wrk`, from
Debian's package `wrk`), in the same run, interleaved round by round so that the machine's noise
falls on both. The registry serves the demo province from a fresh database; the check asks
whether an official could sign as the head of an office whose power comes from the provincial
committee through a department (a chain of three links), authenticated with a bearer token (scope
`check`), as a machine client sends it.

    .venv/bin/python bench/check_http.py --workers 1 --rounds 3 --seconds 10
    .venv/bin/python bench/check_http.py --engine postgres --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.hammer import (  # noqa: E402
    PASSWORD,
    Server,
    Workspace,
    free_port,
    start_server,
    wait_ready,
    workspace,
)

TARGET_RATIO = 0.60


@dataclass(frozen=True)
class Run:
    label: str
    rps: float
    p50_ms: float
    p99_ms: float
    bad: int
    requests: int = 0
    cpu_us: float = float("nan")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in a process group (a server and its workers):
    what a request costs the server, whatever else the shared machine is doing."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def check_token(space: Workspace) -> str:
    """A machine client's token, scope `check`."""
    space.cli("create-user", "bench", "--password-stdin", stdin=PASSWORD + "\n")
    return space.cli("token", "create", "--user", "bench", "--scope", "check").strip()


def check_body(args: argparse.Namespace) -> dict[str, Any]:
    """Official CB-0045 heads the land registration office (VPDKDD.GD), which holds DD-03
    through the department (SNNMT) from the provincial committee: a chain of three links."""
    return {
        "official": args.official,
        "power": args.power,
        "facts": {"unit": args.unit, "sector": args.sector, "act_type": args.act_type},
        "at": args.at,
    }


def start_bare(space: Workspace, workers: int) -> Server:
    """The baseline, served by uvicorn with the options `registry serve` uses."""
    port = free_port()
    log = space.directory / "server-bare.log"
    with open(log, "ab") as handle:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.bare_litestar:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--no-access-log",
                # `registry serve` trusts X-Forwarded-* only when told to; uvicorn's command
                # line trusts them by default, which would add a layer to the baseline only.
                "--no-proxy-headers",
            ],
            cwd=ROOT,
            env=space.env,
            stdout=handle,
            stderr=handle,
            start_new_session=True,
        )
    return Server(process, f"http://127.0.0.1:{port}", log)


def wait_bare(server: Server) -> None:
    import time

    for _ in range(600):
        try:
            httpx.post(f"{server.base}/api/v1/check", json={}, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise TimeoutError(server.log_tail())


def wrk(
    label: str,
    server: Server,
    body: dict[str, Any],
    token: str,
    args: argparse.Namespace,
    tmp: Path,
) -> Run:
    url = f"{server.base}/api/v1/check"
    script = tmp / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(body))}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    )
    cpu_before = group_cpu_seconds(server.process.pid)
    result = subprocess.run(
        [
            "wrk",
            "--latency",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    cpu = group_cpu_seconds(server.process.pid) - cpu_before
    out = result.stdout
    requests = int(_figure(r"(\d+) requests in", out))
    rps = float(_figure(r"Requests/sec:\s+([\d.]+)", out))
    bad_match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return Run(
        label,
        rps,
        _latency(out, "50%"),
        _latency(out, "99%"),
        (int(bad_match.group(1)) if bad_match else 0) + (1 if errors else 0),
        requests,
        cpu / requests * 1e6 if requests else float("nan"),
    )


def _figure(pattern: str, out: str) -> str:
    match = re.search(pattern, out)
    if match is None:
        raise SystemExit(f"wrk printed no {pattern!r}:\n{out}")
    return match.group(1)


def _latency(out: str, pct: str) -> float:
    match = re.search(rf"{re.escape(pct)}\s+([\d.]+)(us|ms|s)", out)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--official", default="CB-0045")
    parser.add_argument("--power", default="DD-03")
    parser.add_argument("--unit", default="SNNMT")
    parser.add_argument("--sector", default="dat_dai")
    parser.add_argument("--act-type", default="cap_giay_chung_nhan")
    parser.add_argument("--at", default="2026-10-01T03:00:00Z")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="check-http-"))
    with workspace(args.engine) as space:
        token = check_token(space)
        registry = start_server(space, args.workers, label="registry")
        bare = start_bare(space, args.workers)
        try:
            wait_ready(registry.base)
            wait_bare(bare)
            body = check_body(args)
            first = httpx.post(
                f"{registry.base}/api/v1/check",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            ).json()
            if not first["allowed"] or len(first["chain"]) != 3:
                raise SystemExit(f"the bench's check should be allowed through 3 links: {first}")
            print(f"check: {json.dumps(body, ensure_ascii=False)}")
            print(f"answer: allowed, chain of {len(first['chain'])} links")
            # One unmeasured round each first: both servers answer from warm caches and
            # allocators when the measured rounds start (the first round used to carry the
            # registry's start-up work: 345 against 190 us of CPU per request).
            warm = argparse.Namespace(**{**vars(args), "seconds": min(args.seconds, 3)})
            wrk("bare", bare, body, token, warm, tmp)
            wrk("registry", registry, body, token, warm, tmp)
            runs: list[Run] = []
            for _ in range(args.rounds):
                runs.append(wrk("bare", bare, body, token, args, tmp))
                runs.append(wrk("registry", registry, body, token, args, tmp))
        finally:
            registry.stop()
            bare.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    return report(runs, args)


def report(runs: list[Run], args: argparse.Namespace) -> int:
    print(
        f"\nengine {args.engine}, {args.workers} worker(s), wrk -t{args.threads} "
        f"-c{args.connections} -d{args.seconds}s, {args.rounds} rounds, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print("| round | server | req/s | p50 ms | p99 ms | server CPU µs/request | non-2xx |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for index, run in enumerate(runs):
        print(
            f"| {index // 2 + 1} | {run.label} | {run.rps:,.0f} | {run.p50_ms:.2f} | "
            f"{run.p99_ms:.2f} | {run.cpu_us:,.0f} | {run.bad} |"
        )
    pairs = list(zip(runs[::2], runs[1::2], strict=True))
    ratios = [reg.rps / bare.rps for bare, reg in pairs]
    cpu_ratios = [bare.cpu_us / reg.cpu_us for bare, reg in pairs]
    median = statistics.median(ratios)
    verdict = "met" if median >= TARGET_RATIO else "NOT met"
    print(
        f"\nreq/s ratio per round: {', '.join(f'{r:.1%}' for r in ratios)}; median {median:.1%} "
        f"(target ≥ {TARGET_RATIO:.0%}: {verdict})"
    )
    print(
        "CPU per request, bare / registry, per round: "
        f"{', '.join(f'{r:.1%}' for r in cpu_ratios)}; median {statistics.median(cpu_ratios):.1%}"
    )
    return 0 if all(run.bad == 0 for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
