"""Settings come from the environment with safe defaults; secrets are generated once, 0600."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from registry.settings import load_or_create_secret, settings_from_env


def test_defaults_are_an_embedded_sqlite_file_in_var_with_vietnamese_and_hanoi_time() -> None:
    settings = settings_from_env({})
    assert settings.data_dir == Path("./var").resolve()
    assert settings.database.engine == "sqlite"
    assert settings.database.sqlite_path == settings.data_dir / "registry.sqlite3"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.default_language == "vi"
    assert settings.public_base_url == "http://127.0.0.1:8000"
    assert "127.0.0.1" in settings.allowed_hosts
    assert settings.secure_cookies is False
    assert settings.session_idle_minutes == 30
    assert settings.session_absolute_hours == 12


def test_every_setting_can_be_overridden(tmp_path: Path) -> None:
    settings = settings_from_env(
        {
            "REGISTRY_DATA_DIR": str(tmp_path),
            "REGISTRY_DATABASE_URL": "postgresql://registry@db:5432/registry",
            "REGISTRY_TIMEZONE": "Europe/Paris",
            "REGISTRY_DEFAULT_LANGUAGE": "en",
            "REGISTRY_PUBLIC_BASE_URL": "https://registry.songlam.gov.vn/",
            "REGISTRY_ALLOWED_HOSTS": "registry.songlam.gov.vn, 10.0.0.5",
            "REGISTRY_SESSION_IDLE_MINUTES": "15",
            "REGISTRY_SESSION_ABSOLUTE_HOURS": "8",
        }
    )
    assert settings.data_dir == tmp_path
    assert settings.database.engine == "postgres"
    assert settings.timezone == "Europe/Paris"
    assert settings.default_language == "en"
    assert settings.public_base_url == "https://registry.songlam.gov.vn"
    assert settings.allowed_hosts == ("registry.songlam.gov.vn", "10.0.0.5")
    assert settings.secure_cookies is True  # https base URL
    assert settings.ledger_origin == "registry.songlam.gov.vn/ledger"
    assert (settings.session_idle_minutes, settings.session_absolute_hours) == (15, 8)


@pytest.mark.parametrize(
    ("name", "value"),
    [("REGISTRY_DEFAULT_LANGUAGE", "fr"), ("REGISTRY_TIMEZONE", "Mars/Olympus")],
)
def test_a_wrong_setting_fails_at_start_up(name: str, value: str) -> None:
    with pytest.raises((ValueError, KeyError)):
        settings_from_env({name: value})


def test_the_session_secret_is_generated_once_with_mode_0600_and_never_overwritten(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "session-secret"
    first = load_or_create_secret(path)
    assert len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(path) == first
    settings = settings_from_env({"REGISTRY_DATA_DIR": str(tmp_path / "data")})
    assert settings.session_secret() == first


def test_the_ledger_signing_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    from registry.ledger.signing_key import load_or_create_signing_key

    def raw(key) -> bytes:  # type: ignore[no-untyped-def]
        return key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    first = load_or_create_signing_key(tmp_path, "example.org/ledger")
    second = load_or_create_signing_key(tmp_path, "example.org/ledger")
    assert raw(first) == raw(second)
    files = list(tmp_path.iterdir())
    assert files
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files if f.is_file())


def test_no_secret_is_hard_coded_in_the_package() -> None:
    package = Path(__file__).resolve().parents[3] / "registry"
    suspicious = [
        path
        for path in package.rglob("*.py")
        if any(
            word in path.read_text(encoding="utf-8")
            for word in ("BEGIN PRIVATE KEY", 'secret_key = "')
        )
    ]
    assert suspicious == []
