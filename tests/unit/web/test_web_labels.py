"""Codes the data carries (unit kinds and tiers, act types) are shown as words in each language."""

from __future__ import annotations

import csv

import pytest
from web_template_env import ROOT, render_string

from registry.organisation.tables import UNIT_KINDS

DEMO_ACT_TYPES = sorted(
    {
        act_type
        for row in csv.DictReader((ROOT / "registry/demo/powers.csv").open(encoding="utf-8"))
        for act_type in row["act_types"].split("|")
        if act_type
    }
)


def label(macro: str, code: str, lang: str) -> str:
    template = f'{{% import "macros/labels.html" as labels %}}{{{{ labels.{macro}(code) }}}}'
    return render_string(template, lang=lang, code=code).strip()


@pytest.mark.parametrize(
    ("macro", "code"),
    [
        *[pytest.param("unit_kind", kind, id=f"kind-{kind}") for kind in UNIT_KINDS],
        *[pytest.param("unit_tier", tier, id=f"tier-{tier}") for tier in ("province", "commune")],
        *[pytest.param("act_type", code, id=f"act-{code}") for code in DEMO_ACT_TYPES],
    ],
)
def test_every_known_code_has_its_own_words_in_vietnamese_and_english(
    macro: str, code: str
) -> None:
    vietnamese, english = label(macro, code, "vi"), label(macro, code, "en")
    assert code not in (vietnamese, english)
    assert vietnamese != english, "the Vietnamese catalogue translates it"


def test_the_labels_in_use_read_as_a_person_writes_them() -> None:
    assert label("unit_kind", "department", "vi") == "Sở"
    assert label("unit_tier", "commune", "vi") == "Cấp xã"
    assert label("act_type", "quyet_dinh_xu_phat", "vi") == "Quyết định xử phạt vi phạm hành chính"
    assert label("act_type", "quyet_dinh_xu_phat", "en") == (
        "Decision imposing an administrative sanction"
    )


def test_a_code_without_a_label_yet_is_shown_in_words() -> None:
    assert label("act_type", "cap_phep_khai_thac_cat", "vi") == "cap phep khai thac cat"
    assert label("unit_kind", "<b>x</b>", "en") == "&lt;b&gt;x&lt;/b&gt;"


@pytest.mark.parametrize(
    ("lang", "kind", "tier"),
    [("vi", "Hội đồng nhân dân", "Cấp xã"), ("en", "People's Council", "Commune level")],
)
def test_the_new_unit_form_offers_kinds_and_tiers_in_words(lang: str, kind: str, tier: str) -> None:
    from registry.organisation.schemas import unit_form
    from registry.web.i18n import use_language

    with use_language(lang):
        form = unit_form()
    html = render_string(
        '{% include "organisation/_fields.html" %}', lang=lang, form=form, values={}, errors=[]
    )
    assert f'<option value="people_council">{kind}</option>' in html
    assert f'<option value="commune">{tier}</option>' in html


@pytest.mark.parametrize(
    ("code", "vietnamese", "english"),
    [("direct", "Ký trực tiếp", "Direct"), ("KT", "KT.", "KT."), ("TUQ", "TUQ.", "TUQ.")],
)
def test_signature_forms_read_as_they_are_written_on_an_act(
    code: str, vietnamese: str, english: str
) -> None:
    assert label("signature_form", code, "vi") == vietnamese
    assert label("signature_form", code, "en") == english
