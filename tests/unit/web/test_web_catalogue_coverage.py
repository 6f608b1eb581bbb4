"""Every message the templates show has a Vietnamese translation; the check itself can fail."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po

from registry.web.i18n import CatalogueError, compile_catalogues

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "templates"
CATALOGUES = ROOT / "registry" / "i18n"

#: Messages whose Vietnamese is the same as the English source (codes, names). Keep it short.
SAME_IN_BOTH_LANGUAGES: frozenset[str] = frozenset()


def template_messages(template_dir: Path) -> dict[str, list[str]]:
    """msgid -> where it is used, from every template (including `_partials`, which pybabel's
    default directory filter skips)."""
    found: dict[str, list[str]] = {}
    for path in sorted(template_dir.rglob("*.html")):
        with path.open("rb") as template:
            for lineno, message, _comments, _context in extract(
                "jinja2",  # jinja2.ext.babel_extract, registered by Jinja2
                template,
                keywords=DEFAULT_KEYWORDS,
                options={"extensions": "jinja2.ext.i18n,jinja2.ext.do", "silent": "false"},
            ):
                ids: Iterable[str] = (message,) if isinstance(message, str) else message
                for msgid in ids:
                    if msgid:
                        where = f"{path.relative_to(template_dir)}:{lineno}"
                        found.setdefault(msgid, []).append(where)
    return found


def load_catalogue(lang: str, directory: Path = CATALOGUES) -> Catalog:
    with (directory / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


def untranslated(messages: dict[str, list[str]], catalogue: Catalog) -> list[str]:
    problems = []
    for msgid, where in sorted(messages.items()):
        entry = catalogue.get(msgid)
        if entry is None:
            problems.append(f"{msgid!r} missing from the catalogue (used in {', '.join(where)})")
            continue
        strings = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
        if not all(str(s or "").strip() for s in strings) or entry.fuzzy:
            problems.append(f"{msgid!r} has no approved translation (used in {', '.join(where)})")
    return problems


def test_templates_use_translatable_messages() -> None:
    assert len(template_messages(TEMPLATES)) > 50


def test_every_template_message_has_a_vietnamese_translation() -> None:
    problems = untranslated(template_messages(TEMPLATES), load_catalogue("vi"))
    assert not problems, "run the update steps in docs/i18n.md:\n" + "\n".join(problems)


def test_vietnamese_translations_are_not_the_english_source() -> None:
    copied = [
        message.id
        for message in load_catalogue("vi")
        if message.id and message.string == message.id and message.id not in SAME_IN_BOTH_LANGUAGES
    ]
    assert not copied


def test_catalogues_pass_babel_checks() -> None:
    for lang in ("vi", "en"):
        problems = [(m.id, errors) for m, errors in load_catalogue(lang).check() if errors]
        assert not problems, lang


def test_check_reports_a_message_without_translation(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        '{{ _("Active") }} {% trans %}A brand new sentence{% endtrans %}'
    )
    (tmp_path / "_partials").mkdir()
    (tmp_path / "_partials" / "_bit.html").write_text('{{ _("Another new sentence") }}')
    problems = untranslated(template_messages(tmp_path), load_catalogue("vi"))
    assert len(problems) == 2
    assert "A brand new sentence" in problems[0] + problems[1]
    assert any("_partials/_bit.html:1" in problem for problem in problems)


def test_check_reports_a_fuzzy_translation(tmp_path: Path) -> None:
    catalogue = load_catalogue("vi")
    catalogue["Active"].flags.add("fuzzy")
    assert untranslated({"Active": ["x.html:1"]}, catalogue)


def test_compile_writes_mo_files_and_refuses_broken_placeholders(tmp_path: Path) -> None:
    for lang in ("vi", "en"):
        target = tmp_path / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "messages.po").write_bytes(
            (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").read_bytes()
        )
    written = compile_catalogues(tmp_path)
    assert sorted(p.parent.parent.name for p in written) == ["en", "vi"]
    assert all(p.stat().st_size > 0 for p in written)

    po = tmp_path / "vi" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text().replace(
            'msgstr "Đang đăng nhập: %(name)s"', 'msgstr "Đang đăng nhập: %(ten)s"'
        )
    )
    with pytest.raises(CatalogueError, match="name"):
        compile_catalogues(tmp_path)
