"""Shapes of input and output: JSON structs of the API and the fields of the browser forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from registry.organisation.tables import INSTRUMENT_TYPES, SIGNATURE_FORMS, UNIT_KINDS
from registry.web.i18n import gettext as _

# ---------------------------------------------------------------- JSON API


class Unit(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    name_vi: str
    name_en: str
    kind: str
    tier: str
    parent_code: str | None
    works_collectively: bool
    valid_from: str
    valid_to: str | None
    merged_into: str | None


class Holder(msgspec.Struct, forbid_unknown_fields=True):
    official_code: str
    display_name: str
    position_code: str
    valid_from: str
    valid_to: str | None


class Position(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    unit_code: str
    title_vi: str
    title_en: str
    is_head: bool
    is_deputy: bool
    valid_from: str
    valid_to: str | None
    holders: list[Holder]


class UnitDetail(msgspec.Struct, forbid_unknown_fields=True):
    unit: Unit
    children: list[str]
    positions: list[Position]
    powers: list[str]
    orphaned_grants: list[int]


class Official(msgspec.Struct, forbid_unknown_fields=True):
    """Public fields only: never the staff number, e-mail or phone."""

    code: str
    display_name: str
    positions: list[Holder]


class UnitsPage(msgspec.Struct, forbid_unknown_fields=True):
    items: list[Unit]
    next: str | None


class PositionsPage(msgspec.Struct, forbid_unknown_fields=True):
    items: list[Position]
    next: str | None


class OfficialsPage(msgspec.Struct, forbid_unknown_fields=True):
    items: list[Official]
    next: str | None


class UnitCreate(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    name_vi: str
    kind: str
    tier: str
    valid_from: str
    name_en: str = ""
    parent_code: str | None = None
    works_collectively: bool = False


class OfficialCreate(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    full_name: str
    display_name: str = ""
    staff_number: str = ""
    email: str = ""
    phone: str = ""


class AssignmentCreate(msgspec.Struct, forbid_unknown_fields=True):
    official_code: str
    position_code: str
    valid_from: str
    valid_to: str | None = None
    instrument_number: str = ""
    #: A position the official leaves at `valid_from` (a transfer, in one transaction).
    transfer_from: str = ""


class Assignment(msgspec.Struct, forbid_unknown_fields=True):
    official_code: str
    position_code: str
    valid_from: str
    valid_to: str | None
    instrument_number: str | None
    ended: Holder | None = None


class ErrorAnswer(msgspec.Struct):
    status: int
    reasons: list[dict[str, Any]]


# ---------------------------------------------------------------- browser forms


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a form, rendered by the shared macros in templates/macros/forms.html."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    help: str | None = None
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FormSpec:
    title: str
    fields: tuple[FormField, ...]
    submit: str
    intro: str = ""
    multipart: bool = False
    #: Preview first (a confirmation listing the grants affected), then confirm.
    confirm: bool = False


def _choices(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


def _yes_no() -> tuple[tuple[str, str], ...]:
    return (("true", _("Yes")), ("false", _("No")))


def _validity(end: bool = True) -> tuple[FormField, ...]:
    start = FormField("valid_from", _("Valid from"), "date", True, _("A date is local midnight."))
    return (start, FormField("valid_to", _("Valid until"), "date")) if end else (start,)


def unit_form() -> FormSpec:
    return FormSpec(
        _("New unit"),
        (
            FormField("code", _("Code"), required=True, help=_("For example: XA-AN-PHU")),
            FormField("name_vi", _("Name (Vietnamese)"), required=True),
            FormField("name_en", _("Name (English)")),
            FormField("kind", _("Kind"), "select", True, options=_choices(UNIT_KINDS)),
            FormField("tier", _("Tier"), "select", True, options=_choices(("province", "commune"))),
            FormField("parent_code", _("Parent unit code"), help=_("Empty for a root unit.")),
            FormField("works_collectively", _("Works collectively"), "checkbox"),
            *_validity(end=False),
        ),
        _("Create the unit"),
    )


def unit_edit_form() -> FormSpec:
    return FormSpec(
        _("Rename or move the unit"),
        (
            FormField("name_vi", _("Name (Vietnamese)"), required=True),
            FormField("name_en", _("Name (English)")),
            FormField("parent_code", _("Parent unit code"), help=_("Empty for a root unit.")),
        ),
        _("Save"),
    )


def unit_end_form(merge: bool) -> FormSpec:
    fields = (
        FormField("at", _("Effective date"), "date", True),
        *(
            (FormField("merged_into", _("Merged into (unit code)"), required=True),)
            if merge
            else ()
        ),
        FormField("instrument_number", _("Instrument number")),
    )
    if merge:
        return FormSpec(
            _("Merge the unit into another"),
            fields,
            _("Merge"),
            _("The unit and its history are kept; from the date on it is shown as merged."),
            confirm=True,
        )
    return FormSpec(
        _("Dissolve the unit"),
        fields,
        _("Dissolve"),
        _("The unit and its history are kept; from the date on it no longer exists."),
        confirm=True,
    )


def position_form() -> FormSpec:
    return FormSpec(
        _("New position"),
        (
            FormField("code", _("Code"), required=True, help=_("Unit code, dot, post: SXD.PGD2")),
            FormField("unit_code", _("Unit code"), required=True),
            FormField("title_vi", _("Title (Vietnamese)"), required=True),
            FormField("title_en", _("Title (English)")),
            FormField("is_head", _("Head of the unit"), "checkbox"),
            FormField("is_deputy", _("Deputy of the head"), "checkbox"),
            *_validity(),
        ),
        _("Create the position"),
    )


def official_form(new: bool = True) -> FormSpec:
    private = _("Private: never published.")
    return FormSpec(
        _("New official") if new else _("Official"),
        (
            *((FormField("code", _("Code"), required=True),) if new else ()),
            FormField("full_name", _("Full name"), required=True),
            FormField("display_name", _("Public display name")),
            FormField("staff_number", _("Staff number"), help=private),
            FormField("email", _("E-mail"), "email", help=private),
            FormField("phone", _("Phone"), "tel", help=private),
        ),
        _("Save"),
    )


def assignment_form() -> FormSpec:
    return FormSpec(
        _("Appointment or transfer"),
        (
            FormField("official_code", _("Official code"), required=True),
            FormField("position_code", _("Position code"), required=True),
            *_validity(),
            FormField("instrument_number", _("Appointing instrument")),
            FormField(
                "transfer_from",
                _("Transfer from position"),
                help=_("The position the official leaves on the same date (optional)."),
            ),
        ),
        _("Record the appointment"),
    )


def vacancy_form() -> FormSpec:
    return FormSpec(
        _("End an assignment"),
        (
            FormField("official_code", _("Official code"), required=True),
            FormField("position_code", _("Position code"), required=True),
            FormField("at", _("Effective date"), "date", True),
        ),
        _("End the assignment"),
        _("With no successor the position falls vacant."),
        confirm=True,
    )


def instrument_form() -> FormSpec:
    return FormSpec(
        _("New instrument"),
        (
            FormField("number", _("Number and symbol"), required=True, help="08/GUQ-UBND"),
            FormField("type", _("Type"), "select", True, options=_choices(INSTRUMENT_TYPES)),
            FormField("normative", _("Normative legal document"), "checkbox"),
            FormField("title_vi", _("Title (Vietnamese)")),
            FormField("title_en", _("Title (English)")),
            FormField("issuing_unit_code", _("Issuing unit code")),
            FormField("signer_official_code", _("Signing official code")),
            FormField("signer_position_code", _("Signer's position code")),
            FormField(
                "signature_form", _("Signature form"), "select", options=_choices(SIGNATURE_FORMS)
            ),
            FormField("signed_at", _("Signed on"), "date", True),
            FormField("effective_from", _("In force from"), "date"),
            FormField("effective_to", _("In force until"), "date"),
            FormField("public", _("Public"), "select", True, options=_yes_no()),
            FormField("file", _("Signed PDF"), "file", help=_("PDF only, at most 20 MB.")),
        ),
        _("Record the instrument"),
        multipart=True,
    )


def instrument_file_form() -> FormSpec:
    return FormSpec(
        _("Attach the signed PDF"),
        (
            FormField("number", _("Number and symbol"), required=True),
            FormField("file", _("Signed PDF"), "file", True, _("PDF only, at most 20 MB.")),
        ),
        _("Upload"),
        multipart=True,
    )


FormFactory = Callable[[], FormSpec]
