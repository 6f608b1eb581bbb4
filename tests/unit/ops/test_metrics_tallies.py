"""A worker's request tallies reach the shared metric files by themselves, whichever event loop
counted them (a server has one; a loop that closes with a flush still due must not strand its
tallies)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from registry.ops import metrics


def in_files(route: str) -> float:
    """The request count another worker would read from the files, without this one flushing."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=metrics._state["dir"])
    text = generate_latest(registry).decode()
    for line in text.splitlines():
        if line.startswith("registry_http_requests_total{") and f'route="{route}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_tally_left_by_a_closed_event_loop_is_written_from_the_next_one(tmp_path: Path) -> None:
    metrics.configure(tmp_path)  # once per process: keeps an earlier test's directory
    before = in_files("test:loops")

    async def count_and_close() -> None:
        metrics.observe("test:loops", "GET", 200, 0.001)  # its flush dies with this loop

    async def count_and_wait() -> None:
        metrics.observe("test:loops", "GET", 200, 0.001)
        await asyncio.sleep(metrics.FLUSH_SECONDS + 0.3)

    asyncio.run(count_and_close())
    asyncio.run(count_and_wait())
    assert in_files("test:loops") == before + 2


def test_outside_an_event_loop_a_request_is_written_at_once(tmp_path: Path) -> None:
    metrics.configure(tmp_path)
    before = in_files("test:no-loop")
    metrics.observe("test:no-loop", "GET", 200, 0.001)
    assert in_files("test:no-loop") == before + 1
