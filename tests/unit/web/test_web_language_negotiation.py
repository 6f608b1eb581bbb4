"""Which language a visitor gets: their choice, then their browser, then Vietnamese."""

from __future__ import annotations

import pytest

from registry.web.i18n import (
    current_language,
    gettext,
    lazy_gettext,
    negotiate_language,
    use_language,
)


@pytest.mark.parametrize(
    ("cookie", "accept_language", "default", "expected"),
    [
        (None, None, "vi", "vi"),
        ("", "", "vi", "vi"),
        ("en", None, "vi", "en"),
        ("EN", "vi-VN,vi;q=0.9", "vi", "en"),
        ("vi", "en-US,en;q=0.9", "vi", "vi"),
        ("fr", "en-GB,en;q=0.8", "vi", "en"),
        (None, "en-US,en;q=0.9", "vi", "en"),
        (None, "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "vi", "vi"),
        (None, "fr-FR,fr;q=0.9,en;q=0.5", "vi", "en"),
        (None, "en;q=0.3,vi;q=0.9", "vi", "vi"),
        (None, "vi;q=0,en", "vi", "en"),
        (None, "de,fr", "vi", "vi"),
        (None, "de,fr", "en", "en"),
        (None, "*", "vi", "vi"),
        (None, "en;q=abc,vi", "en", "vi"),
        (None, "de", "xx", "vi"),
    ],
)
def test_negotiate_language(
    cookie: str | None, accept_language: str | None, default: str, expected: str
) -> None:
    assert negotiate_language(cookie, accept_language, default) == expected


def test_gettext_follows_the_current_language() -> None:
    with use_language("vi"):
        assert gettext("Delegation registry") == "Sổ đăng ký phân quyền, phân cấp, ủy quyền"
    with use_language("en"):
        assert gettext("Delegation registry") == "Delegation registry"
    assert current_language.get() == "vi"


def test_lazy_gettext_is_resolved_when_used_not_when_defined() -> None:
    label = lazy_gettext("Sign in")
    with use_language("en"):
        assert str(label) == "Sign in"
    with use_language("vi"):
        assert str(label) == "Đăng nhập"


def test_unknown_message_falls_back_to_the_english_source() -> None:
    with use_language("vi"):
        assert gettext("A sentence nobody translated") == "A sentence nobody translated"
