"""Template `_()` keeps answers for messages without variables: the answers stay those of
Jinja2's own new-style gettext, in each language, escaped where the template escapes."""

from __future__ import annotations

from jinja2 import Environment

from registry.web.i18n import install_i18n, use_language


def render(source: str, language: str, autoescape: bool = True, **context: object) -> str:
    # autoescape=False only to show the plain-text path answers a plain string.
    environment = Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])  # noqa: S701
    install_i18n(environment)
    with use_language(language):
        return environment.from_string(source).render(**context)


def test_the_same_message_follows_the_language_of_each_request() -> None:
    source = '{{ _("Search the ledger") }}'
    assert render(source, "en") == "Search the ledger"
    vietnamese = render(source, "vi")
    assert vietnamese != "Search the ledger"
    assert render(source, "en") == "Search the ledger"
    assert render(source, "vi") == vietnamese


def test_percent_signs_and_variables_are_formatted_as_jinja_does() -> None:
    assert render('{{ _("100%% public") }}', "en") == "100% public"
    assert render('{{ _("100%% public") }}', "en") == "100% public"
    assert render("{% trans n=3 %}{{ n }} results{% endtrans %}", "en") == "3 results"
    assert render("{% trans n=4 %}{{ n }} results{% endtrans %}", "en") == "4 results"


def test_variables_are_escaped_and_the_message_is_kept_apart_per_autoescape() -> None:
    escaped = render("{% trans who=who %}Signed by {{ who }}{% endtrans %}", "en", who="<b>")
    assert escaped == "Signed by &lt;b&gt;"
    assert render('{{ _("A & B") }}', "en", autoescape=False) == "A & B"
    assert render('{{ _("A & B") }}', "en", autoescape=True) == "A & B"
