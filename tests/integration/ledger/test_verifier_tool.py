"""The standalone `tools/verify_ledger.py` verifies a running registry server end to end."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.ledger.journal import default_signer
from tests.integration.ledger.ledger_fixtures import append, append_one_by_one, grant_made

PROJECT_ROOT = Path(__file__).resolve().parents[3]
CHECKPOINT = "/api/v1/ledger/checkpoint"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(database: str) -> Iterator[str]:
    """`registry serve` in a subprocess on this test's database; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": database,
        "REGISTRY_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "registry.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(port, "/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {process.stderr!r}") from None
                time.sleep(0.2)  # readiness polling, not a timing assumption
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "tools/verify_ledger.py", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


async def test_the_standalone_verifier_checks_a_running_server(server: str, tmp_path: Path) -> None:
    await append_one_by_one([grant_made(i + 1, f"Đinh Văn {i}", "SXD") for i in range(5)])
    saved = tmp_path / "cp-5.txt"
    saved.write_text(
        json.loads(await asyncio.to_thread(_get, int(server.rsplit(":", 1)[1]), CHECKPOINT))[
            "checkpoint"
        ],
        encoding="utf-8",
    )
    await append([grant_made(100 + i, f"Lý Thị {i}", "XA-AN-PHU") for i in range(1200)])
    vkey = default_signer().vkey
    result = await asyncio.to_thread(
        verify,
        server,
        "--vkey",
        vkey,
        "--entries",
        "0,4,777,1204",
        "--saved-checkpoint",
        str(saved),
        "--all",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:")
    assert "1205 entries recompute the signed root" in result.stdout


def _get(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        if answer.status != 200:
            raise OSError(f"{path}: HTTP {answer.status}")
        return answer.read().decode("utf-8")
    finally:
        connection.close()
