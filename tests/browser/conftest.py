"""Browser-test fixtures: one registry server with the demo province, Chromium through Playwright,
and pages that fail the test on any console error or Content-Security-Policy violation.

The server is the real `registry serve` on a free loopback port against a fresh SQLite database
in a temporary directory (`registry migrate`, `registry demo`, accounts made with the CLI). It is
started once per run. Playwright drives Debian's Chromium (`/usr/bin/chromium`); no browser is
downloaded. On a failure each open page is saved as a PNG under `test-artifacts/`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pyotp
import pytest

from tests.conftest import PROJECT_ROOT, run_cli

CHROMIUM = Path(os.environ.get("REGISTRY_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "mot mat khau rat dai cho trinh duyet 2026"
#: Known TOTP secrets written into the test database (base32, 160 bits).
LEADER_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ADMIN_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
#: Chromium asks every site for /favicon.ico by itself; the registry declares no icon, so each
#: first page load logs a 404. Pinned by test_the_browser_is_not_sent_to_a_missing_favicon.
_FAVICON = re.compile(r"/favicon\.ico$")
SERVER_START_SECONDS = 60


def today() -> date:
    """Today in the registry's display zone: the date a leader types into a date field."""
    return datetime.now(ZONE).date()


# ---------------------------------------------------------------- the server


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    totp_secret: str | None = None


@dataclass(frozen=True)
class Registry:
    """The running server and what the tests know about it."""

    base_url: str
    database_url: str
    leader: Account
    inspector: Account
    admin: Account
    #: An API token of scope `check` (the admin's), for `POST /api/v1/check`.
    check_token: str
    log_file: Path

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(*args: str, database_url: str, stdin: str | None = None) -> str:
    result = run_cli(*args, database_url=database_url, stdin=stdin)
    assert result.returncode == 0, f"registry {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def _prepare_database(database_url: str, sqlite_path: Path) -> tuple[Account, Account, Account]:
    _cli("migrate", database_url=database_url)
    _cli("demo", database_url=database_url)
    admin = Account("quantri", PASSWORD, ADMIN_SECRET)
    leader = Account("chutich", PASSWORD, LEADER_SECRET)
    inspector = Account("thanhtra", PASSWORD)
    for account, options in (
        (admin, ["--admin"]),
        (leader, ["--role", "leader@UBND-T", "--official", "CB-0001"]),
        (inspector, ["--role", "inspector"]),
    ):
        _cli(
            "create-user",
            account.username,
            *options,
            "--password-stdin",
            database_url=database_url,
            stdin=f"{account.password}\n",
        )
    # Known second factors, as if enrolled: the tests compute codes with pyotp.
    with sqlite3.connect(sqlite_path) as connection:
        for account in (admin, leader):
            connection.execute(
                "UPDATE user_account SET mfa_secret = ? WHERE username = ?",
                (account.totp_secret, account.username),
            )
    return admin, leader, inspector


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM}: `apt-get install chromium` "
            "(.ci/run does it), or set REGISTRY_TEST_CHROMIUM"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def registry_server(
    chromium_executable: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """`registry serve` on a free port, on a fresh database holding the demo province."""
    folder = tmp_path_factory.mktemp("browser-registry")
    sqlite_path = folder / "registry.sqlite3"
    database_url = f"sqlite:///{sqlite_path}"
    admin, leader, inspector = _prepare_database(database_url, sqlite_path)
    check_token = _cli(
        "token",
        "create",
        "--user",
        admin.username,
        "--scope",
        "check",
        "--name",
        "browser",
        database_url=database_url,
    ).strip()
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_DATA_DIR": str(folder / "data"),
        "REGISTRY_PUBLIC_BASE_URL": base_url,
        "REGISTRY_LOG_JSON": "true",
        "PYTHONUNBUFFERED": "1",
    }
    log_file = folder / "serve.log"
    with log_file.open("wb") as log:
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
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_ready(base_url, process, log_file)
        yield Registry(base_url, database_url, leader, inspector, admin, check_token, log_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_ready(base_url: str, process: subprocess.Popen[bytes], log_file: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"registry serve exited ({process.returncode}):\n{log_file.read_text()[-3000:]}"
            )
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"registry serve was not ready in {SERVER_START_SECONDS} s:\n{log_file.read_text()[-3000:]}"
    )


# ---------------------------------------------------------------- second factor


class TotpCodes:
    """TOTP codes the server will accept: each 30-second step only once per account.

    The server accepts the previous, current and next step, each at most once and in
    increasing order; this hands out the next unspent one, waiting for the clock only when
    every allowed step is spent.
    """

    def __init__(self) -> None:
        self.last_step: dict[str, int] = {}

    def code(self, secret: str) -> str:
        totp = pyotp.TOTP(secret)
        while True:
            now = datetime.now(UTC)
            current = totp.timecode(now)
            step = max(current, self.last_step.get(secret, current - 1) + 1)
            if step <= current + 1:
                self.last_step[secret] = step
                return totp.at(now, counter_offset=step - current)
            time.sleep(totp.interval - now.timestamp() % totp.interval + 0.05)


@pytest.fixture(scope="session")
def totp_codes() -> TotpCodes:
    return TotpCodes()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Any, chromium_executable: Path) -> Iterator[Any]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(chromium_executable), args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


_CSP_REPORTER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (event) {
  var violation = {
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    page: document.location.href
  };
  window.__csp.push(violation);
  if (window.__registryCspViolation) { window.__registryCspViolation(violation); }
});
"""


@dataclass
class BrowserProblems:
    """Console errors, uncaught page errors and CSP violations seen during one test."""

    problems: list[str] = field(default_factory=list)
    #: Console errors a test expects, e.g. the 422 of a refused form post without JavaScript.
    expected: list[re.Pattern[str]] = field(default_factory=list)

    def expect_console_error(self, pattern: str) -> None:
        self.expected.append(re.compile(pattern))

    def console(self, message: Any) -> None:
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        if _FAVICON.search(location):
            return
        if any(p.search(message.text) for p in self.expected):
            return
        self.problems.append(f"console error on {location or '?'}: {message.text}")

    def page_error(self, error: Any) -> None:
        self.problems.append(f"uncaught error: {error}")

    def csp(self, violation: dict[str, Any]) -> None:
        text = (
            f"CSP violation on {violation.get('page')}: {violation.get('directive')} refused "
            f"{violation.get('blocked') or violation.get('sample')!r} "
            f"({violation.get('source')}:{violation.get('line')})"
        )
        if text not in self.problems:  # reported by the binding and read again at the end
            self.problems.append(text)


REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def _outcomes(node: pytest.Item) -> tuple[bool, bool]:
    """(failed, failed as expected): an `xfail` failure is reported as skipped."""
    reports = node.stash.get(REPORTS, {}).values()
    return any(r.failed for r in reports), any(hasattr(r, "wasxfail") for r in reports)


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest,
    browser: Any,
    registry_server: Registry,
    browser_problems: BrowserProblems,
) -> Iterator[Callable[..., Any]]:
    """Open a page in a new browser context: `new_page(locale=..., java_script_enabled=...,
    storage_state=...)`. Every page is watched; the test fails on any console error, uncaught
    error or CSP violation, and each page is screenshotted when the test fails."""
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        options.setdefault("base_url", registry_server.base_url)
        options.setdefault("locale", "en-US")
        options.setdefault("timezone_id", "Asia/Ho_Chi_Minh")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        if options.get("java_script_enabled", True):
            context.expose_binding(
                "__registryCspViolation", lambda _source, violation: browser_problems.csp(violation)
            )
            context.add_init_script(_CSP_REPORTER)
        page = context.new_page()
        page.on("console", browser_problems.console)
        page.on("pageerror", browser_problems.page_error)
        return page

    yield open_page

    failed, expected_failure = _outcomes(request.node)
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        for c, context in enumerate(contexts):
            for p, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{c}-{p}.png"), full_page=True)
                except Exception as exc:  # a screenshot must not hide the failure
                    sys.stderr.write(f"screenshot failed: {exc}\n")
        shutil.copyfile(registry_server.log_file, ARTIFACTS / "serve.log")
    for context in contexts:
        for page in context.pages:
            _collect_csp_left_on(page, browser_problems)
        context.close()
    if browser_problems.problems and not (failed or expected_failure):
        pytest.fail(
            "the browser reported problems:\n  "
            + "\n  ".join(dict.fromkeys(browser_problems.problems))
        )


def _collect_csp_left_on(page: Any, problems: BrowserProblems) -> None:
    """Violations on the last page that the binding may not have delivered yet."""
    try:
        found = page.evaluate("window.__csp || []")
    except Exception:  # JavaScript off or page closed: nothing to read
        return
    for violation in found:
        problems.csp(violation)


# ---------------------------------------------------------------- signed-in people


def sign_in(
    page: Any, account: Account, codes: TotpCodes | None = None, next_path: str = ""
) -> None:
    """Through the pages, as a person would: user name and password, then the TOTP code."""
    page.goto("/login" + (f"?next={next_path}" if next_path else ""))
    form = page.locator("form[action='/login']")
    form.locator("input[name=username]").fill(account.username)
    form.locator("input[name=password]").fill(account.password)
    form.locator("button[type=submit]").click()
    if account.totp_secret:
        page.wait_for_url(re.compile(r"/login/mfa$"))
        assert codes is not None, f"{account.username} needs a second factor"
        page.locator("input[name=code]").fill(codes.code(account.totp_secret))
        page.locator("form[action='/login/mfa'] button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def leader_session(
    browser: Any, registry_server: Registry, totp_codes: TotpCodes
) -> dict[str, Any]:
    """Cookies of the Chairman's signed-in session, shared by the leaders' tests."""
    context = browser.new_context(base_url=registry_server.base_url, locale="en-US")
    try:
        page = context.new_page()
        sign_in(page, registry_server.leader, totp_codes)
        assert page.url.endswith("/dashboard"), page.url
        state: dict[str, Any] = context.storage_state()
    finally:
        context.close()
    return state
