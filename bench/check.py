"""Benchmark of the authority check: compiled, indexed enforcer against plain pycasbin."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.authz.compiled import CompiledAuthorityEnforcer
from registry.authz.functions import OPEN_END
from registry.authz.model import (
    new_authority_enforcer,
    new_compiled_authority_enforcer,
)

PROVINCE = "UBND-T"
DEPARTMENTS = [f"S{d:02d}" for d in range(20)]
DIVISIONS = [f"{d}-P{v}" for d in DEPARTMENTS for v in range(3)]
COMMUNES = [f"XA-{c:03d}" for c in range(100)]
POWERS = [f"P-{p:03d}" for p in range(200)]
SECTORS = ["xay-dung", "dat-dai", "tai-chinh", "y-te", "giao-duc", "dau-tu", "tu-phap"]
ACT_TYPES = ["cap-phep", "thu-hoi", "phe-duyet", "gia-han", "dieu-chinh"]
DAYS = [
    (dt.date(2024, 1, 1) + dt.timedelta(days=i)).strftime("%Y-%m-%dT00:00:00Z")
    for i in range(3 * 365)
]
Request = tuple[str, str, str, str, str, str, str]


def unit_tree() -> dict[str, str | None]:
    """1 province, 20 departments with 3 divisions each, 100 communes."""
    tree: dict[str, str | None] = {PROVINCE: None}
    tree.update(dict.fromkeys(DEPARTMENTS, PROVINCE))
    tree.update({v: v.split("-P")[0] for v in DIVISIONS})
    tree.update(dict.fromkeys(COMMUNES, PROVINCE))
    return tree


@dataclass
class Synthetic:
    """Rows in grant chains up to depth 3; what a hit needs to rebuild its chain."""

    size: int
    seed: int
    parent_of_grant: dict[int, int | None] = field(default_factory=dict)
    samples: list[list[str]] = field(default_factory=list)

    def rows(self) -> Iterator[list[str]]:
        rng = random.Random(self.seed)
        positions = max(50, self.size // 6)
        officials = max(50, self.size // 3)
        every = max(1, self.size // 4000)
        for power in POWERS:  # the Chairman holds every power by law
            yield ["position:UBND-T.CT", power, PROVINCE, "*", "*", "*", DAYS[0], OPEN_END,
                   f"law:{power}"]  # fmt: skip
        emitted, grant = len(POWERS), 0
        while emitted < self.size:
            power, parent = rng.choice(POWERS), None
            start, end = rng.randrange(0, 700), rng.randrange(720, len(DAYS) + 1)
            territory = rng.choice([*DEPARTMENTS, *COMMUNES, PROVINCE])
            for depth in range(rng.randint(1, 3)):
                grant += 1
                self.parent_of_grant[grant] = parent
                if depth and territory in DEPARTMENTS:
                    territory = f"{territory}-P{rng.randrange(3)}"
                elif depth and territory == PROVINCE:
                    territory = " ".join(rng.sample(COMMUNES, 3))
                sub = (
                    f"position:U{rng.randrange(positions)}.GD"
                    if depth < 2
                    else f"official:CB-{rng.randrange(officials):06d}"
                )
                start = min(start + rng.randrange(30), end - 1)
                vto = OPEN_END if end == len(DAYS) else DAYS[end]
                row = [
                    sub,
                    power,
                    territory,
                    rng.choice(["*", " ".join(rng.sample(SECTORS, 2))]),
                    rng.choice(["*", " ".join(rng.sample(ACT_TYPES, 2))]),
                    rng.choice(["*", str(rng.randrange(1, 10**4) * 10**6)]),
                    DAYS[start],
                    vto,
                    f"grant:{grant}",
                ]
                if emitted % every == 0:
                    self.samples.append(row)
                yield row
                emitted, parent = emitted + 1, grant
                if emitted >= self.size:
                    return


def chain(source: str, parent_of_grant: dict[int, int | None]) -> list[int]:
    """The grant ids from the matched grant up to its first link (depth ≤ 3)."""
    if not source.startswith("grant:"):
        return []
    found: list[int] = []
    current: int | None = int(source[6:])
    while current is not None and len(found) < 3:
        found.append(current)
        current = parent_of_grant.get(current)
    return found


def _inside(root: str, rng: random.Random) -> str:
    below = [u for u in (*DIVISIONS, *COMMUNES) if u.startswith(root + "-P")]
    return rng.choice([root, *below]) if root != PROVINCE else rng.choice(COMMUNES)


def requests(
    synthetic: Synthetic, compiled: CompiledAuthorityEnforcer, count: int, seed: int
) -> tuple[list[Request], list[Request]]:
    """`count` allowed and `count` denied requests near the sampled rows."""
    rng = random.Random(seed)
    hits: list[Request] = []
    misses: list[Request] = []
    while len(hits) < count or len(misses) < count:
        sub, power, territory, sectors, acts, ceiling, vfrom, vto, _ = rng.choice(synthetic.samples)
        unit = _inside(rng.choice(territory.split()), rng)
        sector = rng.choice(SECTORS if sectors == "*" else sectors.split())
        act = rng.choice(ACT_TYPES if acts == "*" else acts.split())
        amount = "0" if ceiling == "*" else ceiling
        t = vfrom.replace("T00:", "T08:")
        request: Request = (sub, power, unit, sector, act, amount, t)
        variant = rng.randrange(4)
        if variant == 0:
            request = (sub, power, rng.choice(COMMUNES), sector, act, amount, t)
        elif variant == 1:
            request = (sub, power, unit, sector, act, amount, vto)
        elif variant == 2:
            request = (sub, power, unit, sector, act, str(int(amount) + 1), t)
        (hits if compiled.enforce(*request) else misses).append(request)
    return hits[:count], misses[:count]


def timed(check: Callable[[Request], object], batch: list[Request]) -> list[float]:
    """Microseconds per call."""
    clock = time.perf_counter_ns
    spent = []
    for request in batch:
        began = clock()
        check(request)
        spent.append((clock() - began) / 1000)
    return spent


def once(operation: Callable[[], object]) -> float:
    """Microseconds of one call."""
    began = time.perf_counter_ns()
    operation()
    return (time.perf_counter_ns() - began) / 1000


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(size: int, checks: int, seed: int) -> dict[str, float]:
    """Every figure for one size (run in a fresh process, so RSS is this size's alone)."""
    tree = unit_tree()
    synthetic = Synthetic(size, seed)
    gc.disable()  # synthesis only: load_rows pauses the collector itself
    fetched = list(synthetic.rows())  # what a database fetch hands over: fresh strings
    gc.enable()
    began = time.perf_counter()
    compiled = new_compiled_authority_enforcer(tree, fetched)
    cold = time.perf_counter() - began
    del fetched
    gc.collect()
    rss = rss_mib()
    hits, misses = requests(synthetic, compiled, checks, seed + 1)
    parents = synthetic.parent_of_grant

    def check_and_chain(request: Request) -> object:
        allowed, row = compiled.enforce_ex(*request)
        return chain(row[-1], parents) if allowed else None

    timed(check_and_chain, hits[:1000])  # warm caches
    hit_us = timed(check_and_chain, hits)
    miss_us = timed(check_and_chain, misses)
    extra = [[f"official:NEW-{i}", *synthetic.samples[i][1:]] for i in range(200)]
    add_us = [once(partial(compiled.add_rows, [row])) for row in extra]
    remove_us = [once(partial(compiled.remove_rows, [row])) for row in extra]

    plain_checks = max(4, min(40, 2_000_000 // size))
    sample = [*hits[: plain_checks // 2], *misses[: plain_checks // 2]]
    compiled_sample = timed(check_and_chain, sample * 50)
    gc.disable()
    reference = new_authority_enforcer(tree, Synthetic(size, seed).rows())
    gc.enable()
    plain_us = timed(lambda r: reference.enforce_ex(*r), sample)
    return {
        "size": size,
        "cold_s": cold,
        "rss_mib": rss,
        "hit_med": statistics.median(hit_us),
        "hit_p99": p99(hit_us),
        "miss_med": statistics.median(miss_us),
        "miss_p99": p99(miss_us),
        "add_us": statistics.median(add_us),
        "remove_us": statistics.median(remove_us),
        "plain_checks": len(sample),
        "plain_ms": statistics.median(plain_us) / 1000,
        "ratio": statistics.median(plain_us) / statistics.median(compiled_sample),
    }


def table(results: list[dict[str, float]]) -> str:
    head = (
        "| rows | cold start s | RSS MiB | hit median µs | hit p99 µs | miss median µs "
        "| miss p99 µs | add row µs | remove row µs | pycasbin ms/check (n) | speed-up |"
    )
    lines = [head, "|" + "---:|" * 11]
    for r in results:
        lines.append(
            f"| {int(r['size']):,} | {r['cold_s']:.2f} | {r['rss_mib']:.0f} | {r['hit_med']:.1f} "
            f"| {r['hit_p99']:.1f} | {r['miss_med']:.1f} | {r['miss_p99']:.1f} "
            f"| {r['add_us']:.1f} | {r['remove_us']:.1f} "
            f"| {r['plain_ms']:.1f} ({int(r['plain_checks'])}) | {r['ratio']:,.0f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--checks", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.checks, args.seed)))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size)]
        command += ["--checks", str(args.checks), "--seed", str(args.seed)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.splitlines()[-1]))
        print(f"measured {size:,} rows", file=sys.stderr)
    print(table(results))


if __name__ == "__main__":
    main()
