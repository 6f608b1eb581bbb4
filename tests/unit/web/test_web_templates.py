"""Base layout, home, error pages and shared macros render in both languages without Litestar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from web_template_env import TEMPLATES, build_environment, render, render_string

from registry.domain.effective import GrantStatus
from registry.errors import AccessReason
from registry.ledger.events import EventType
from registry.ledger.queries import EntrySummary, RegistryStatistics


@dataclass(frozen=True)
class FormError:
    code: str
    field: str | None
    message_vi: str
    message_en: str


@pytest.mark.parametrize(
    ("lang", "product", "skip"),
    [
        ("vi", "Sổ đăng ký phân quyền, phân cấp, ủy quyền", "Bỏ qua, đến nội dung chính"),
        ("en", "Delegation registry", "Skip to main content"),
    ],
)
def test_base_layout_renders_in_each_language(lang: str, product: str, skip: str) -> None:
    html = render("base.html", lang=lang, path="/ledger/search", query="q=đất&page=2")
    assert f'<html lang="{lang}"' in html
    assert product in html
    assert f'<a class="skip-link" href="#main">{skip}</a>' in html
    assert '<main id="main"' in html
    assert '<meta name="csrf-token" content="csrf-123">' in html
    assert 'src="/static/vendor/htmx.min.js"' in html
    assert 'href="/static/vendor/pico.classless.min.css"' in html
    assert 'href="/ledger/key"' in html


def test_language_switch_is_a_plain_post_form_that_returns_to_the_page() -> None:
    html = render("base.html", lang="en", path="/ledger/search", query="q=a&b=1")
    form = re.search(r'<form class="language-switch".*?</form>', html, re.S)
    assert form is not None
    switch = form.group(0)
    assert 'method="post" action="/set_language"' in switch
    assert 'name="_csrf_token" value="csrf-123"' in switch
    assert 'name="next" value="/ledger/search?q=a&amp;b=1"' in switch
    assert 'type="submit" name="language" value="vi"' in switch
    assert 'value="en" lang="en" aria-pressed="true"' in switch
    assert "hx-" not in switch


def test_navigation_serves_three_audiences_and_marks_the_current_page() -> None:
    html = render("base.html", lang="vi", path="/inspect/acts")
    for label in ("Tra cứu công khai", "Lãnh đạo", "Thanh tra"):
        assert label in html
    assert '<a href="/inspect/acts" aria-current="page">' in html
    assert '<a href="/dashboard/index">' in html
    assert 'href="/accounts/login"' in html


def test_signed_in_user_gets_a_sign_out_form_with_csrf() -> None:
    @dataclass
    class User:
        display_name: str

    html = render("base.html", lang="vi", current_user=User("Nguyễn Văn An"))
    assert "Đang đăng nhập: Nguyễn Văn An" in html
    logout = re.search(r'<form class="account-form".*?</form>', html, re.S)
    assert logout is not None
    assert 'action="/accounts/logout"' in logout.group(0)
    assert "csrf-123" in logout.group(0)


def test_flash_messages_are_shown_with_a_known_category() -> None:
    html = render(
        "base.html",
        flashes=[
            {"message": "Đã lưu", "category": "success"},
            {"message": "<b>x</b>", "category": "bogus"},
        ],
    )
    assert '<li class="flash-success">Đã lưu</li>' in html
    assert '<li class="flash-info">&lt;b&gt;x&lt;/b&gt;</li>' in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_home_renders_without_stats_or_latest_entries(lang: str) -> None:
    html = render("home.html", lang=lang)
    assert 'role="search" method="get" action="/ledger/search"' in html
    assert 'method="get" action="/public/lookup"' in html
    assert 'class="stats"' not in html
    assert "<table" not in html


def test_home_shows_counts_and_latest_entries() -> None:
    html = render(
        "home.html",
        lang="vi",
        stats=RegistryStatistics(
            units=12, officials=340, powers=56, grants=789, ledger_entries=12345
        ),
        latest=[EntrySummary(7, "2025-07-15T01:30:00Z", "grant.made", {"name_vi": "Cấp phép"})],
    )
    assert "<dd>12.345</dd>" in html
    assert '<time datetime="2025-07-15T01:30:00Z">15/07/2025 08:30</time>' in html
    assert "<td>Giao quyền</td>" in html
    assert "<td>Cấp phép</td>" in html


@pytest.mark.parametrize(
    ("template", "status", "vi_title", "en_title"),
    [
        (
            "errors/400.html",
            422,
            "Yêu cầu không được chấp nhận",
            "The request could not be accepted",
        ),
        ("errors/403.html", 403, "Không có quyền truy cập", "Access denied"),
        ("errors/404.html", 404, "Không tìm thấy trang", "Page not found"),
        ("errors/500.html", 500, "Đã xảy ra lỗi", "Something went wrong"),
    ],
)
def test_error_pages_in_both_languages(
    template: str, status: int, vi_title: str, en_title: str
) -> None:
    reasons = [AccessReason("FORBIDDEN")]
    vi = render(template, lang="vi", status=status, reasons=reasons)
    en = render(template, lang="en", status=status, reasons=reasons)
    assert f"<h1>{vi_title}</h1>" in vi
    assert f"<h1>{en_title}</h1>" in en
    assert "Bạn không có quyền thực hiện thao tác này." in vi
    assert "You are not allowed to do this." in en
    assert "[FORBIDDEN]" in vi
    assert "Traceback" not in vi + en


def test_error_page_is_a_fragment_for_an_htmx_partial_request() -> None:
    html = render("errors/404.html", lang="vi", headers={"hx-request-type": "partial"})
    assert html.lstrip().startswith('<article class="error-page"')
    assert "<html" not in html


def test_server_error_page_quotes_the_request_reference() -> None:
    html = render("errors/500.html", lang="en", request_id="req-42")
    assert "req-42" in html


def test_field_is_tied_to_its_label_help_and_errors() -> None:
    errors = [
        FormError(
            "VALIDITY_END_REQUIRED", "valid_to", "Cần nhập ngày kết thúc.", "End date required."
        ),
        FormError("OTHER", "unit", "Khác", "Other"),
    ]
    source = (
        '{% import "macros/forms.html" as forms %}'
        '{{ forms.field("valid_to", "Đến ngày", "", errors, type="date", required=True,'
        ' help="Ủy quyền phải có thời hạn", attrs={"hx-post": "/check"}) }}'
    )
    html = render_string(source, lang="vi", errors=errors)
    assert '<label for="f-valid_to">' in html
    assert 'id="f-valid_to" name="valid_to"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="f-valid_to-help f-valid_to-errors"' in html
    assert 'id="f-valid_to-errors"' in html
    assert "Cần nhập ngày kết thúc." in html
    assert "[VALIDITY_END_REQUIRED]" in html
    assert "Khác" not in html
    assert 'hx-post="/check"' in html
    assert "End date required." in render_string(source, lang="en", errors=errors)


def test_field_without_errors_is_not_marked_invalid() -> None:
    html = render_string(
        '{% import "macros/forms.html" as forms %}{{ forms.field("q", "Tìm", "đất") }}'
    )
    assert "aria-invalid" not in html
    assert "aria-describedby" not in html
    assert 'value="đất"' in html


def test_password_is_never_echoed_back() -> None:
    html = render_string(
        '{% import "macros/forms.html" as forms %}'
        '{{ forms.field("password", "Mật khẩu", "secret", type="password") }}'
    )
    assert "secret" not in html


def test_select_textarea_and_checkbox_tie_errors_to_fields() -> None:
    errors = [
        FormError("A", "kind", "Sai hình thức", "Bad kind"),
        FormError("B", "note", "Quá dài", "Too long"),
        FormError("C", "agree", "Cần xác nhận", "Confirm"),
    ]
    source = (
        '{% import "macros/forms.html" as forms %}'
        '{{ forms.select("kind", "Hình thức", [("devolution", "Phân quyền"),'
        ' ("authorization", "Ủy quyền")], "authorization", errors, placeholder="—") }}'
        '{{ forms.textarea("note", "Ghi chú", "<b>", errors) }}'
        '{{ forms.checkbox("agree", "Tôi xác nhận", False, errors) }}'
    )
    html = render_string(source, errors=errors)
    assert '<option value="authorization" selected>Ủy quyền</option>' in html
    assert 'id="f-kind" name="kind" aria-invalid="true" aria-describedby="f-kind-errors"' in html
    assert ">&lt;b&gt;</textarea>" in html
    assert 'aria-describedby="f-note-errors"' in html
    assert 'type="checkbox" id="f-agree" name="agree" value="1" aria-invalid="true"' in html


def test_errors_summary_links_each_error_to_its_field_and_takes_focus() -> None:
    errors = [
        FormError("A", "valid_to", "Thiếu ngày", "Missing date"),
        FormError("B", None, "Lỗi chung", "General"),
    ]
    html = render_string(
        '{% import "macros/forms.html" as forms %}{{ forms.errors_summary(errors) }}',
        lang="en",
        errors=errors,
    )
    assert 'tabindex="-1" autofocus' in html
    assert '<a href="#f-valid_to">Missing date <span class="error-code">[A]</span></a>' in html
    assert "General" in html
    assert (
        render_string(
            '{% import "macros/forms.html" as forms %}{{ forms.errors_summary([]) }}'
        ).strip()
        == ""
    )


@pytest.mark.parametrize("status", list(GrantStatus))
def test_every_grant_status_has_a_translated_badge(status: GrantStatus) -> None:
    html = render_string('{% import "macros/ui.html" as ui %}{{ ui.status_badge(s) }}', s=status)
    assert f'class="badge badge-{status.value}"' in html
    assert "badge-unknown" not in html


@pytest.mark.parametrize("event_type", list(EventType))
def test_every_ledger_event_type_has_a_label(event_type: EventType) -> None:
    html = render_string('{% import "macros/ui.html" as ui %}{{ ui.ledger_kind(e) }}', e=event_type)
    assert html.strip() != event_type.value


def test_dates_and_money_render_through_the_filters() -> None:
    source = (
        '{% import "macros/ui.html" as ui %}{{ ui.date(d) }}|{{ ui.date_long(d) }}|'
        "{{ ui.money(m) }}|{{ ui.validity(a) }}"
    )
    context = {"d": date(2025, 7, 15), "m": 5_000_000_000, "a": datetime(2025, 7, 1, tzinfo=UTC)}
    vi = render_string(source, lang="vi", **context)
    assert '<time datetime="2025-07-15">15/07/2025</time>' in vi
    assert "ngày 15 tháng 7 năm 2025" in vi
    assert '<data value="5000000000">5.000.000.000\u00a0₫</data>' in vi
    assert "không xác định thời hạn" in vi
    assert "5,000,000,000\u00a0VND" in render_string(source, lang="en", **context)


def test_next_page_link_carries_the_filters_and_replaces_the_cursor() -> None:
    source = (
        '{% import "macros/ui.html" as ui %}'
        '{{ ui.next_page("/ledger", "k42", {"q": "đất", "after": "k10"}, target="#results") }}'
    )
    html = render_string(source, lang="en")
    assert 'href="/ledger?q=%C4%91%E1%BA%A5t&amp;after=k42"' in html
    assert 'rel="next"' in html
    assert 'hx-target="#results"' in html
    assert "k10" not in html
    assert render_string('{% import "macros/ui.html" as ui %}{{ ui.next_page("/l", none) }}') == ""


def test_every_template_in_the_repository_compiles() -> None:
    env = build_environment()
    names = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")]
    assert names
    for name in names:
        env.get_template(name)
