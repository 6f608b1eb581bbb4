"""Shapes of the powers API (msgspec) and the form that defines a power."""

from __future__ import annotations

import msgspec

from registry.domain.kinds import GrantKind
from registry.organisation.schemas import FormField, FormSpec
from registry.powers.sectors import SECTORS, sector_label
from registry.web.i18n import current_language
from registry.web.i18n import gettext as _


class Power(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    title_vi: str
    title_en: str
    sector: str
    legal_basis_number: str | None
    legal_basis_article: str
    holder: str
    holder_unit: str
    act_types: list[str]
    grant_kinds: list[str]
    non_delegable: bool
    max_depth: int
    amount_ceiling: int | None
    exclusive: bool
    valid_from: str
    valid_to: str | None


class PowerHolder(msgspec.Struct, forbid_unknown_fields=True):
    """The lawful holder (`source` law:<code>) or a grantee of a grant in force (grant:<id>)."""

    party: str
    source: str
    valid_from: str | None
    valid_to: str | None


class PowerDetail(msgspec.Struct, forbid_unknown_fields=True):
    power: Power
    holders: list[PowerHolder]


class PowersPage(msgspec.Struct, forbid_unknown_fields=True):
    items: list[Power]
    next: str | None


def power_form() -> FormSpec:
    lang = current_language.get()
    kinds = tuple((k.value, k.value) for k in GrantKind)
    return FormSpec(
        _("New power"),
        (
            FormField("code", _("Code"), required=True, help=_("For example: DD-02")),
            FormField("title_vi", _("Title (Vietnamese)"), required=True),
            FormField("title_en", _("Title (English)")),
            FormField(
                "sector",
                _("Sector"),
                "select",
                True,
                options=tuple((s, sector_label(s, lang)) for s in SECTORS),
            ),
            FormField("legal_basis_number", _("Legal basis (instrument number)"), required=True),
            FormField("legal_basis_article", _("Article and clause"), required=True),
            FormField(
                "holder", _("Lawful holder"), required=True, help="unit:UBND-T, position:SXD.GD"
            ),
            FormField("act_types", _("Act types"), required=True, help=_("Separated by |")),
            FormField(
                "grant_kinds", _("May be passed on by"), help=" | ".join(k for k, _l in kinds)
            ),
            FormField("non_delegable", _("Non-delegable"), "checkbox"),
            FormField("max_depth", _("Longest chain of grants"), "number", True),
            FormField("amount_ceiling", _("Amount ceiling (VND)"), "number"),
            FormField("exclusive", _("Exclusive"), "checkbox"),
            FormField(
                "valid_from", _("Valid from"), "date", help=_("Empty: from the legal basis.")
            ),
        ),
        _("Define the power"),
    )
