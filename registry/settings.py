"""Settings read once from the environment, with safe defaults for one office."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

SESSION_SECRET_FILE = "session-secret"  # noqa: S105 - a file name


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    """Where the state, the ledger and the policy rows live."""

    url: str

    @property
    def engine(self) -> str:
        return "postgres" if self.url.startswith(("postgresql://", "postgres://")) else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        if self.engine != "sqlite":
            raise ValueError("not a SQLite database URL")
        return Path(self.url.removeprefix("sqlite:///"))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable about one registry instance."""

    data_dir: Path
    database: DatabaseSettings
    timezone: str = "Asia/Ho_Chi_Minh"
    default_language: str = "vi"
    public_base_url: str = "http://127.0.0.1:8000"
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    ledger_origin: str = "registry.example/ledger"
    checkpoint_interval_seconds: int = 60
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    secure_cookies: bool = False
    authorization_max_days: int | None = None
    log_json: bool = True
    #: A connection pool per worker on PostgreSQL; tests that share an engine across event
    #: loops turn it off (a new connection per query then).
    database_pool: bool = True
    debug: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def session_secret(self) -> bytes:
        """The secret that signs cookies, generated into the data directory on first use."""
        return load_or_create_secret(self.data_dir / SESSION_SECRET_FILE)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _optional_int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Build settings from `REGISTRY_*` variables; every variable has a safe default."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("REGISTRY_DATA_DIR") or "./var").resolve()
    url = env.get("REGISTRY_DATABASE_URL") or f"sqlite:///{data_dir / 'registry.sqlite3'}"
    hosts = env.get("REGISTRY_ALLOWED_HOSTS")
    base_url = env.get("REGISTRY_PUBLIC_BASE_URL") or "http://127.0.0.1:8000"
    language = env.get("REGISTRY_DEFAULT_LANGUAGE") or "vi"
    if language not in {"vi", "en"}:
        raise ValueError(f"REGISTRY_DEFAULT_LANGUAGE must be vi or en, not {language!r}")
    timezone = env.get("REGISTRY_TIMEZONE") or "Asia/Ho_Chi_Minh"
    ZoneInfo(timezone)  # fail at start-up, not on the first page
    return Settings(
        data_dir=data_dir,
        database=DatabaseSettings(url=url),
        timezone=timezone,
        default_language=language,
        public_base_url=base_url.rstrip("/"),
        allowed_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip())
        if hosts
        else ("127.0.0.1", "localhost", "testserver.local"),
        ledger_origin=env.get("REGISTRY_LEDGER_ORIGIN")
        or base_url.split("://", 1)[-1].rstrip("/") + "/ledger",
        checkpoint_interval_seconds=int(env.get("REGISTRY_CHECKPOINT_INTERVAL") or 60),
        session_idle_minutes=int(env.get("REGISTRY_SESSION_IDLE_MINUTES") or 30),
        session_absolute_hours=int(env.get("REGISTRY_SESSION_ABSOLUTE_HOURS") or 12),
        secure_cookies=_flag(env.get("REGISTRY_SECURE_COOKIES"), base_url.startswith("https")),
        authorization_max_days=_optional_int(env.get("REGISTRY_AUTHORIZATION_MAX_DAYS")),
        log_json=_flag(env.get("REGISTRY_LOG_JSON"), True),
        database_pool=_flag(env.get("REGISTRY_DATABASE_POOL"), True),
        debug=False,
    )


def load_or_create_secret(path: Path, nbytes: int = 32) -> bytes:
    """Read a secret file, or create it once with mode 0600; an existing file is never replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(nbytes))
    return bytes.fromhex(path.read_text().strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return settings_from_env()
