"""Back up and restore the database: SQLite online backup, or pg_dump / pg_restore.

Only the database is in the backup. The data directory's secrets (session secret, ledger
signing key) are not: they are copied once, by the operator, to a safe place (docs/operations.md).
The ledger's public key is written next to the backup so a restore can tell whether the
checkpoints will verify with the key configured where it is restored.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from registry.settings import DatabaseSettings, Settings, get_settings

#: Pages copied per step of SQLite's online backup; writers get the lock between steps.
SQLITE_PAGES_PER_STEP = 1024
POSTGRES_TIMEOUT_SECONDS = 3600


class BackupError(RuntimeError):
    """A backup or restore that could not be done safely; nothing was overwritten."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    """What was written or restored, for the command line."""

    action: str
    path: Path
    engine: str
    ledger_entries: int
    verified: bool | None = None
    detail: str = ""

    def __str__(self) -> str:
        if self.action == "backup":
            vi = f"Đã sao lưu {self.engine} vào {self.path} ({self.ledger_entries} bút toán sổ cái)"
            en = f"Backed up {self.engine} to {self.path} ({self.ledger_entries} ledger entries)"
        else:
            vi = f"Đã khôi phục {self.path} ({self.ledger_entries} bút toán sổ cái)"
            en = f"Restored {self.path} ({self.ledger_entries} ledger entries)"
        lines = [f"{vi}.", f"{en}."]
        if self.detail:
            lines.append(self.detail)
        return "\n".join(lines)


def vkey_path(path: Path) -> Path:
    """The public verifier key written beside a backup file."""
    return path.with_name(path.name + ".vkey")


def _sqlite_ledger_size(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        try:
            return int(connection.execute("SELECT count(*) FROM ledger_entry").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def sqlite_backup(source: Path, target: Path) -> int:
    """Copy a live SQLite database with the online backup API: a consistent snapshot even
    while the server writes (WAL included). Written to a temporary name, then renamed."""
    if not source.exists():
        raise BackupError(f"no database at {source}")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source, timeout=30) as live, sqlite3.connect(partial) as copy:
        live.backup(copy, pages=SQLITE_PAGES_PER_STEP)
        # A single file: the copy must not depend on a -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return _sqlite_ledger_size(target)


def sqlite_restore(source: Path, target: Path) -> int:
    """Write a backup into the configured SQLite file, which must hold no ledger entries."""
    if not source.exists():
        raise BackupError(f"no backup at {source}")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
        if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is not an intact SQLite database")
    if target.exists() and _sqlite_ledger_size(target) > 0:
        raise BackupError(f"{target} already holds a ledger; restore into an empty database")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as backup_db, sqlite3.connect(target, timeout=30) as live:
        backup_db.backup(live)
        live.execute("PRAGMA journal_mode=WAL")
    return _sqlite_ledger_size(target)


def _libpq_env(url: str) -> tuple[dict[str, str], str]:
    """pg_dump/pg_restore take the URL as `--dbname`; a password goes through the environment
    so it never shows in the process list."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
        netloc = parts.netloc.replace(f":{parts.password}@", "@", 1)
        url = parts._replace(netloc=netloc).geturl()
    return env, url


def _run_postgres_tool(arguments: list[str], url: str) -> None:
    tool = arguments[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    env, url = _libpq_env(url)
    result = subprocess.run(  # noqa: S603 - fixed tool name, arguments are ours
        [*arguments, f"--dbname={url}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=POSTGRES_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


async def _postgres_ledger_size(url: str) -> int | None:
    """Entries in the ledger, or None when the database has no ledger table yet."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        exists = await connection.fetchval("SELECT to_regclass('public.ledger_entry') IS NOT NULL")
        if not exists:
            return None
        return int(await connection.fetchval("SELECT count(*) FROM ledger_entry"))
    finally:
        await connection.close()


async def postgres_backup(url: str, target: Path) -> int:
    """`pg_dump --format=custom` of a snapshot (pg_dump reads in one repeatable-read
    transaction, so it is consistent while the server writes)."""
    partial = target.with_name(f".{target.name}.partial")
    await asyncio.to_thread(
        _run_postgres_tool, ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], url
    )
    os.replace(partial, target)
    return await _postgres_ledger_size(url) or 0


async def postgres_restore(source: Path, url: str) -> int:
    """`pg_restore` in one transaction into a database with no ledger entries."""
    if not await asyncio.to_thread(source.exists):
        raise BackupError(f"no backup at {source}")
    size = await _postgres_ledger_size(url)
    if size:
        raise BackupError("the configured database already holds a ledger; use an empty one")
    arguments = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
    if size is not None:
        # Migrated but empty: drop the empty tables first (the triggers forbid only row edits).
        arguments += ["--clean", "--if-exists"]
    await asyncio.to_thread(_run_postgres_tool, [*arguments, str(source)], url)
    return await _postgres_ledger_size(url) or 0


def _write_vkey(target: Path, settings: Settings) -> None:
    from registry.ledger.journal import default_signer

    vkey_path(target).write_text(default_signer().vkey + "\n", encoding="utf-8")


def _key_note(source: Path) -> str:
    from registry.ledger.journal import default_signer

    sidecar = vkey_path(source)
    if not sidecar.exists():
        return ""
    if sidecar.read_text(encoding="utf-8").strip() != default_signer().vkey:
        return (
            "CẢNH BÁO: khóa ký sổ cái ở đây khác khóa đã ký bản sao lưu / WARNING: this data "
            "directory's ledger signing key is not the one that signed the backup's checkpoints"
        )
    return ""


async def backup(target: Path, database: DatabaseSettings | None = None) -> BackupReport:
    """Back up the configured database to `target` (a file), with its verifier key beside it."""
    settings = get_settings()
    database = database or settings.database
    target = await asyncio.to_thread(target.resolve)
    await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
    if database.engine == "postgres":
        size = await postgres_backup(database.url, target)
    else:
        size = await asyncio.to_thread(sqlite_backup, database.sqlite_path, target)
    _write_vkey(target, settings)
    return BackupReport("backup", target, database.engine, size)


async def restore(source: Path, database: DatabaseSettings | None = None) -> BackupReport:
    """Restore `source` into the configured database (which must hold no ledger), then verify
    the ledger; the report says whether it verified."""
    from registry.ledger.verify import verify_stored_ledger

    settings = get_settings()
    database = database or settings.database
    source = await asyncio.to_thread(source.resolve)
    if database.engine == "postgres":
        size = await postgres_restore(source, database.url)
    else:
        size = await asyncio.to_thread(sqlite_restore, source, database.sqlite_path)
    result = await verify_stored_ledger()
    detail = "\n".join(part for part in (_key_note(source), result.summary()) if part)
    return BackupReport("restore", source, database.engine, size, result.ok, detail)
