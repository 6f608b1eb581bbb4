"""Gettext catalogues for Vietnamese and English, the request's language, and the Jinja wiring."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, Final

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from registry.web import formatting

SUPPORTED_LANGUAGES: Final = ("vi", "en")
DEFAULT_LANGUAGE: Final = "vi"
DOMAIN: Final = "messages"
#: registry/i18n/<lang>/LC_MESSAGES/messages.{po,mo}
CATALOGUE_DIR: Final = Path(__file__).resolve().parent.parent / "i18n"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)

_catalogues: dict[str, Translations] = {}
_catalogue_lock = threading.Lock()
#: Template messages without variables, translated and formatted, by (language, autoescape,
#: message): a page asks for a hundred or more, the same ones on every request.
_rendered: dict[tuple[str, bool, str], str] = {}


class CatalogueError(RuntimeError):
    """A .po file that cannot be compiled (broken placeholders, bad plural forms)."""


def _read_catalogue(po_path: Path, lang: str) -> Catalog:
    with po_path.open("rb") as po_file:
        return read_po(po_file, locale=lang, domain=DOMAIN)


def _check_catalogue(catalogue: Catalog, po_path: Path) -> None:
    problems = [
        f"{po_path}:{message.lineno}: {message.id!r}: {error}"
        for message, errors in catalogue.check()
        for error in errors
    ]
    if problems:
        raise CatalogueError("\n".join(problems))


def _mo_bytes(catalogue: Catalog) -> bytes:
    buffer = BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def _load_translations(lang: str, directory: Path) -> Translations:
    messages_dir = directory / lang / "LC_MESSAGES"
    mo_path = messages_dir / f"{DOMAIN}.mo"
    po_path = messages_dir / f"{DOMAIN}.po"
    # A fresh checkout has only .po files; compile them in memory so the app runs before `make`.
    if po_path.exists() and (
        not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime
    ):
        return Translations(BytesIO(_mo_bytes(_read_catalogue(po_path, lang))), domain=DOMAIN)
    if mo_path.exists():
        with mo_path.open("rb") as mo_file:
            return Translations(mo_file, domain=DOMAIN)
    return Translations(domain=DOMAIN)


def get_translations(lang: str, directory: Path = CATALOGUE_DIR) -> Translations:
    """The catalogue for one language, loaded once per process."""
    if lang not in SUPPORTED_LANGUAGES:
        lang = DEFAULT_LANGUAGE
    key = f"{directory}:{lang}"
    translations = _catalogues.get(key)
    if translations is None:
        with _catalogue_lock:
            translations = _catalogues.get(key)
            if translations is None:
                translations = _load_translations(lang, directory)
                _catalogues[key] = translations
    return translations


def reload_catalogues() -> None:
    """Forget loaded catalogues (after `compile_catalogues`, or in tests)."""
    with _catalogue_lock:
        _catalogues.clear()
        _rendered.clear()


def compile_catalogues(directory: Path = CATALOGUE_DIR) -> list[Path]:
    """Compile every <lang>/LC_MESSAGES/messages.po under `directory` to .mo; return the .mo paths.

    Used by `make` and the Dockerfile through `python -m registry.i18n.compile`.
    """
    written: list[Path] = []
    for lang in SUPPORTED_LANGUAGES:
        po_path = directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po_path.exists():
            continue
        catalogue = _read_catalogue(po_path, lang)
        _check_catalogue(catalogue, po_path)
        mo_path = po_path.with_suffix(".mo")
        mo_path.write_bytes(_mo_bytes(catalogue))
        written.append(mo_path)
    reload_catalogues()
    return written


def gettext(message: str) -> str:
    """Translate `message` (an English msgid) into the current language."""
    return get_translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count (Vietnamese has a single plural form)."""
    return get_translations(current_language.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate `message` with a disambiguating context."""
    return str(get_translations(current_language.get()).pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """Translate a counted message with a disambiguating context."""
    return get_translations(current_language.get()).npgettext(context, singular, plural, n)


def lazy_gettext(message: str) -> LazyProxy:
    """A translation resolved each time it is used, for module-level labels and enum titles."""
    return LazyProxy(gettext, message, enable_cache=False)


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Run a block (a PDF render, a CLI command, a test) in one language."""
    token = current_language.set(lang if lang in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        current_language.reset(token)


def _parse_accept_language(header: str) -> list[tuple[float, int, str]]:
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            # Sort by quality descending, then by the order the browser listed them.
            ranked.append((-quality, position, tag))
    return sorted(ranked)


def negotiate_language(
    cookie_value: str | None, accept_language_header: str | None, default: str = DEFAULT_LANGUAGE
) -> str:
    """Pick 'vi' or 'en': the visitor's explicit choice, then the browser's, then `default`."""
    if cookie_value:
        chosen = cookie_value.strip().lower()
        if chosen in SUPPORTED_LANGUAGES:
            return chosen
    for _quality, _position, tag in _parse_accept_language(accept_language_header or ""):
        if tag == "*":
            break
        primary = tag.split("-", 1)[0]
        if primary in SUPPORTED_LANGUAGES:
            return primary
    return default if default in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


@pass_context
def template_gettext(context: Context, message: str, /, **variables: Any) -> str:
    """Jinja2's new-style `gettext` (`_()` and `{% trans %}` call it), with the answer kept for
    messages without variables. Same result: the translation, marked safe when the template
    autoescapes, always formatted with `%` (so `%%` in a message is one `%`)."""
    language = current_language.get()
    autoescape = bool(context.eval_ctx.autoescape)
    if variables:
        translated: str = get_translations(language).gettext(message)
        # Our own catalogue, marked safe as Jinja2's i18n extension marks it.
        return (Markup(translated) if autoescape else translated) % variables  # noqa: S704
    key = (language, autoescape, message)
    found = _rendered.get(key)
    if found is None:
        translated = get_translations(language).gettext(message)
        found = _rendered[key] = (Markup(translated) if autoescape else translated) % {}  # noqa: S704
    return found


def install_i18n(
    jinja_env: Environment, *, timezone: str = formatting.DEFAULT_TIMEZONE
) -> Environment:
    """Add `jinja2.ext.i18n` bound to `current_language`, the formatting filters and globals."""
    jinja_env.add_extension("jinja2.ext.i18n")
    jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    jinja_env.globals["gettext"] = template_gettext

    def datetime_filter(value: datetime | str | None) -> str:
        return formatting.format_datetime(value, current_language.get(), timezone)

    def date_filter(value: date | datetime | str | None) -> str:
        return formatting.format_date(value, current_language.get(), timezone)

    def date_long_filter(value: date | datetime | str | None) -> str:
        return formatting.format_date_long(value, current_language.get(), timezone)

    def money_filter(value: int | Decimal | float | None) -> str:
        return formatting.format_money(value, current_language.get())

    def number_filter(value: int | Decimal | float | None) -> str:
        return formatting.format_number(value, current_language.get())

    jinja_env.filters.update(
        {
            "datetime": datetime_filter,
            "date": date_filter,
            "date_long": date_long_filter,
            "money": money_filter,
            "number": number_filter,
            "isoformat": formatting.iso_format,
        }
    )
    jinja_env.globals.update(
        {
            "current_language": current_language.get,
            "supported_languages": SUPPORTED_LANGUAGES,
            "display_timezone": timezone,
        }
    )
    return jinja_env
