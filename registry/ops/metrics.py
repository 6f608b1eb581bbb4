"""Prometheus metrics shared by every worker: requests by route and status, ledger, policy.

`registry serve --workers N` runs N processes behind one port, and a scrape reaches any one of
them. prometheus-client's multiprocess mode makes every worker write its samples to memory-mapped
files in one directory and every scrape sum them, so any worker answers for all. The directory is
`<data dir>/metrics/run-<id>`, where `<id>` is the uvicorn supervisor's pid (the process's own
pid with one worker): a restart starts from zero, like any Prometheus target, and directories of
runs whose process is gone are removed at start. Ledger size and policy version are read from the
database at scrape time, so they are right whichever worker wrote last.

A request is tallied in the worker's own memory and the tallies are written to the shared files
at most `FLUSH_SECONDS` later (and before this worker answers a scrape, and at exit): three
locked writes to memory-mapped files per request cost about as much CPU as the whole
`POST /api/v1/check` decision (docs/authz.md §4b). A scrape may therefore miss up to one second
of another worker's requests; the next scrape has them.
"""

from __future__ import annotations

import asyncio
import atexit
import bisect
import contextlib
import multiprocessing
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

_state: dict[str, Any] = {}


def run_id() -> int:
    """The same number in every worker of one `registry serve`: the supervisor's pid."""
    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None and parent.pid is not None else os.getpid()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_runs(root: Path, current: Path) -> None:
    for run in root.glob("run-*"):
        if run == current:
            continue
        with contextlib.suppress(ValueError):
            if not _alive(int(run.name.removeprefix("run-"))):
                shutil.rmtree(run, ignore_errors=True)


#: The labelled children by (route, method, status), so a request costs no label lookup.
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: Longest time a request's tally waits in this worker before it reaches the shared files.
FLUSH_SECONDS = 1.0


class _Tally:
    """Requests of one (route, method, status) not yet written: count, seconds, per bucket."""

    __slots__ = ("buckets", "count", "seconds")

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.buckets = [0] * (len(BUCKETS) + 1)  # the last one is +Inf


_pending: dict[tuple[str, str, int], _Tally] = {}


def configure(data_dir: Path) -> Path:
    """Point prometheus-client at this run's shared directory; once per process."""
    if "dir" in _state:
        return Path(_state["dir"])
    root = data_dir / "metrics"
    external = os.environ.get(MULTIPROC_ENV)
    directory = Path(external) if external else root / f"run-{run_id()}"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not external:
        _remove_stale_runs(root, directory)
    from prometheus_client import Counter, Histogram, values

    # The value class is chosen when prometheus_client is first imported; choose again now that
    # the directory is known. Its files are opened when the first sample of each type exists, so
    # the variable is set only meanwhile: subprocesses (the CLI, other servers) must not inherit
    # this run's directory.
    os.environ[MULTIPROC_ENV] = str(directory)
    try:
        values.ValueClass = values.MultiProcessValue()
        requests = Counter(
            "registry_http_requests",
            "HTTP requests answered, by route name, method and status.",
            ["route", "method", "status"],
        )
        latency = Histogram(
            "registry_http_request_duration_seconds",
            "Time to answer an HTTP request, by route name and method.",
            ["route", "method"],
            buckets=BUCKETS,
        )
        requests.labels("ops:metrics", "GET", "200")
        latency.labels("ops:metrics", "GET")
    finally:
        if external is None:
            del os.environ[MULTIPROC_ENV]
    _state.update(dir=str(directory), requests=requests, latency=latency)
    _children.clear()
    _pending.clear()
    atexit.register(flush)
    return directory


def observe(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request (no-op until `configure` ran); written by `flush`."""
    if "requests" not in _state:
        return
    key = (route, method, status)
    tally = _pending.get(key)
    if tally is None:
        tally = _pending[key] = _Tally()
    tally.count += 1
    tally.seconds += seconds
    # Prometheus counts a sample in the first bucket whose bound is >= it.
    tally.buckets[bisect.bisect_left(BUCKETS, seconds)] += 1
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # outside a server (a script): nothing would flush later
        flush()
        return
    if _state.get("flush_loop") is not loop:
        # No flush is due on this loop yet (or the loop that had one is gone).
        _state["flush_loop"] = loop
        loop.call_later(FLUSH_SECONDS, flush)


def flush() -> None:
    """Write this worker's pending tallies to the shared files."""
    if "requests" not in _state:
        return
    _state.pop("flush_loop", None)
    pending = list(_pending.items())
    _pending.clear()
    for key, tally in pending:
        counter, histogram = _children_of(key)
        counter.inc(tally.count)
        # prometheus-client's histogram child has no public call that adds many samples at once;
        # these are the values its `observe` increments (tests/reliability/test_metrics_and_audit.py
        # compares the exposition with the samples, so an upgrade that renames them fails there).
        histogram._sum.inc(tally.seconds)
        for bucket, count in zip(histogram._buckets, tally.buckets, strict=True):
            if count:
                bucket.inc(count)


def _children_of(key: tuple[str, str, int]) -> tuple[Any, Any]:
    children = _children.get(key)
    if children is None:  # label sets are bounded: route names, not raw paths
        route, method, status = key
        children = _children[key] = (
            _state["requests"].labels(route, method, str(status)),
            _state["latency"].labels(route, method),
        )
    return children


class _DatabaseGauges(Collector):
    """Gauges read from the database when scraped (values passed in by the handler)."""

    def __init__(self, values: dict[str, tuple[str, float]]) -> None:
        self.values = values

    def collect(self) -> Iterable[Metric]:
        for name, (documentation, value) in self.values.items():
            gauge = GaugeMetricFamily(name, documentation)
            gauge.add_metric([], value)
            yield gauge


async def database_gauges() -> dict[str, tuple[str, float]]:
    from registry.authz.tables import PolicyVersion
    from registry.ledger.journal import ledger_size
    from registry.ledger.tables import Checkpoint

    version = await PolicyVersion.select(PolicyVersion.version).first()
    last = (
        await Checkpoint.select(Checkpoint.tree_size)
        .order_by(Checkpoint.tree_size, ascending=False)
        .first()
    )
    return {
        "registry_ledger_entries": ("Entries in the public ledger.", float(await ledger_size())),
        "registry_ledger_checkpoint_size": (
            "Tree size of the newest signed checkpoint.",
            float(last["tree_size"]) if last else 0.0,
        ),
        "registry_policy_version": (
            "Policy version (moves with every change of authority).",
            float(version["version"]) if version else 0.0,
        ),
    }


def exposition(gauges: dict[str, tuple[str, float]]) -> bytes:
    """The text format of every worker's samples summed, plus the database gauges."""
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.multiprocess import MultiProcessCollector

    flush()
    registry = CollectorRegistry()
    if "dir" in _state:
        MultiProcessCollector(registry, path=_state["dir"])
    registry.register(_DatabaseGauges(gauges))
    return generate_latest(registry)
