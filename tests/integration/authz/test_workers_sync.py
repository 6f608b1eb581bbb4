"""Two `registry serve` processes on one database: a revocation made through one is refused by
the other at once — the very first check it answers after the revocation is acknowledged already
sees it (the policy version moves in the write transaction; every check compares it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PROJECT_ROOT, run_cli

pytestmark = [pytest.mark.usefixtures("demo"), pytest.mark.slow]

GRANT = {
    "power": "XD-03",
    "kind": "authorization",
    "grantor": "position:UBND-T.CT",
    "grantee": "position:SXD.GD",
    "scope": {
        "territory": ["UBND-T"],
        "sectors": ["xay_dung"],
        "act_types": ["quyet_dinh_xu_phat"],
        "amount_ceiling": 500_000_000,
    },
    "valid_from": "2026-11-01T00:00:00Z",
    "valid_to": "2027-06-30T00:00:00Z",
    "instrument": {
        "number": "77/GUQ-UBND",
        "type": "authorization_letter",
        "signed_at": "2026-10-30T02:00:00Z",
    },
}
CHECK = {
    "official": "CB-0014",
    "power": "XD-03",
    "facts": {
        "unit": "SXD",
        "sector": "xay_dung",
        "act_type": "quyet_dinh_xu_phat",
        "amount": 1_000_000,
    },
    "at": "2027-01-05T03:00:00Z",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(database_url: str, data_dir: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "REGISTRY_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "registry.cli", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_revocation_through_one_server_is_refused_by_the_other_at_once(
    database: str, tmp_path: Path
) -> None:
    env_data = tmp_path / "shared-data"
    created = run_cli(
        "create-user",
        "quantri",
        "--admin",
        "--password-stdin",
        database_url=database,
        stdin="mot mat khau rat dai 2026\n",
    )
    assert created.returncode == 0, created.stderr
    token = run_cli(
        "token", "create", "--user", "quantri", "--scope", "write", database_url=database
    ).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    with serve(database, env_data) as first, serve(database, env_data) as second:
        made = httpx.post(f"{first}/api/v1/grants", json=GRANT, headers=headers, timeout=10)
        assert made.status_code == 201, made.text
        grant = made.json()["grant"]
        allowed = httpx.post(f"{second}/api/v1/check", json=CHECK, headers=headers, timeout=10)
        assert allowed.json()["allowed"] is True
        # Checks keep arriving at the second server while the first revokes, so that its
        # version was read moments before the revocation commits (the worst case).
        answers: list[tuple[float, dict[str, Any]]] = []
        stop = threading.Event()

        def keep_checking() -> None:
            with httpx.Client(headers=headers, timeout=10) as checker:
                while not stop.is_set():
                    sent = time.monotonic()
                    answers.append(
                        (sent, checker.post(f"{second}/api/v1/check", json=CHECK).json())
                    )

        checking = threading.Thread(target=keep_checking)
        checking.start()
        try:
            time.sleep(0.2)
            revoked = httpx.post(
                f"{first}/api/v1/grants/{grant}/revoke",
                json={
                    "reason": "Thu hồi",
                    "instrument": {
                        "number": "78/QĐ-UBND",
                        "type": "decision",
                        "signed_at": "2026-11-02T02:00:00Z",
                    },
                    "at": "2026-11-03T00:00:00Z",
                },
                headers=headers,
                timeout=10,
            )
            acknowledged = time.monotonic()
            # A few answers to checks sent 100 ms or more after it (a slow machine may need
            # longer than that to give them).
            deadline = acknowledged + 20
            while time.monotonic() < deadline:
                if sum(sent >= acknowledged + 0.1 for sent, _ in list(answers)) >= 3:
                    break
                time.sleep(0.05)
        finally:
            stop.set()
            checking.join()
        assert revoked.status_code == 200, revoked.text
        # Within 100 ms of the acknowledgement every answer is a refusal (the second server
        # reads the version at most every READ_MAX_AGE = 10 ms; figures: docs/authz.md).
        late = [answer for sent, answer in answers if sent >= acknowledged + 0.1]
        assert late, "no check was answered after the revocation"
        assert all(answer["allowed"] is False for answer in late)
        assert {answer["reasons"][0]["code"] for answer in late} == {"GRANT_REVOKED"}
        assert all(answer["policy_version"] > allowed.json()["policy_version"] for answer in late)
        assert any(answer["allowed"] is True for sent, answer in answers if sent < acknowledged)
