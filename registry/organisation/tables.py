"""Tables for units, positions, officials, assignments and instruments."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check
from piccolo.table import Table

UNIT_KINDS = (
    "people_council",
    "people_committee",
    "office",
    "department",
    "inspectorate",
    "board",
    "commune",
    "ward",
    "special_zone",
    "public_service_unit",
    "division",
)
INSTRUMENT_TYPES = (
    "law",
    "na_resolution",
    "council_resolution",
    "decree",
    "circular",
    "decision",
    "directive",
    "official_letter",
    "authorization_letter",
    "working_regulation",
)
SIGNATURE_FORMS = ("direct", "KT", "TM", "TUQ", "TL", "Q")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Unit(Table, tablename="unit"):
    """A node of the administrative tree: province committee, department, commune, division."""

    id: Serial  # added by Piccolo; declared for the type checker

    #: Stable public code, the natural key for imports and the API (`SXD`, `XA-AN-PHU`).
    code = Varchar(length=40, unique=True, null=False)
    name_vi = Varchar(length=200, null=False)
    name_en = Varchar(length=200, null=False, default="")
    kind = Varchar(length=30, null=False)
    #: `province` or `commune`: the two tiers after the 2025 reform.
    tier = Varchar(length=10, null=False)
    parent: ForeignKey[Unit] = ForeignKey("self", null=True, on_delete=OnDelete.restrict)
    #: People's Committees and Councils decide collectively (signature form TM.).
    works_collectively = Boolean(default=False, null=False)
    valid_from = Timestamptz(null=False)
    #: Set when the unit is dissolved or merged; history keeps the row.
    valid_to = Timestamptz(null=True, default=None)
    merged_into: ForeignKey[Unit] = ForeignKey("self", null=True, on_delete=OnDelete.restrict)

    kind_known = Check(_in("kind", UNIT_KINDS))
    tier_known = Check(_in("tier", ("province", "commune")))
    unit_ends_after_start = Check("valid_to IS NULL OR valid_to > valid_from")


class Position(Table, tablename="position"):
    """A post in a unit; powers usually attach to positions, not to people."""

    id: Serial  # added by Piccolo; declared for the type checker

    #: `<unit code>.<post>`, e.g. `UBND-T.CT` for the Chairman of the provincial committee.
    code = Varchar(length=60, unique=True, null=False)
    unit = ForeignKey(Unit, null=False, on_delete=OnDelete.restrict)
    title_vi = Varchar(length=200, null=False)
    title_en = Varchar(length=200, null=False, default="")
    is_head = Boolean(default=False, null=False)
    is_deputy = Boolean(default=False, null=False)
    valid_from = Timestamptz(null=False)
    valid_to = Timestamptz(null=True, default=None)

    position_ends_after_start = Check("valid_to IS NULL OR valid_to > valid_from")
    head_or_deputy_not_both = Check("NOT (is_head AND is_deputy)")


class Official(Table, tablename="official"):
    """A person. Only `code`, `full_name` and `display_name` are public."""

    id: Serial  # added by Piccolo; declared for the type checker

    code = Varchar(length=40, unique=True, null=False)
    #: Stored NFC-normalised so identity checks never depend on how a name was typed.
    full_name = Varchar(length=200, null=False)
    display_name = Varchar(length=200, null=False)
    #: Private: never on a public page, in the ledger or in the public API.
    staff_number = Varchar(length=40, null=True, default=None)
    #: Private.
    email = Varchar(length=200, null=True, default=None)
    #: Private.
    phone = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)


class Instrument(Table, tablename="instrument"):
    """The written document behind a power, a grant, a revocation or an appointment."""

    id: Serial  # added by Piccolo; declared for the type checker

    #: Number and symbol as printed, e.g. `08/GUQ-UBND`; unique in the registry.
    number = Varchar(length=80, unique=True, null=False)
    type = Varchar(length=30, null=False)
    #: A normative legal document (văn bản quy phạm pháp luật), needed for decentralization.
    normative = Boolean(default=False, null=False)
    title_vi = Varchar(length=500, null=False, default="")
    title_en = Varchar(length=500, null=False, default="")
    issuing_unit = ForeignKey(Unit, null=True, on_delete=OnDelete.restrict)
    signer = ForeignKey(Official, null=True, on_delete=OnDelete.restrict)
    signer_position = ForeignKey(Position, null=True, on_delete=OnDelete.restrict)
    signature_form = Varchar(length=10, null=False, default="direct")
    signed_at = Timestamptz(null=False)
    effective_from = Timestamptz(null=True, default=None)
    effective_to = Timestamptz(null=True, default=None)
    #: SHA-256 of the signed file, hex; the file itself lives in the data directory.
    file_sha256 = Varchar(length=64, null=True, default=None)
    file_path = Varchar(length=300, null=True, default=None)
    public = Boolean(default=True, null=False)
    recorded_at = Timestamptz(default=TimestamptzNow(), null=False)

    instrument_type_known = Check(_in("type", INSTRUMENT_TYPES))
    instrument_form_known = Check(_in("signature_form", SIGNATURE_FORMS))


class Assignment(Table, tablename="assignment"):
    """An official holds a position for a period (appointment); a transfer ends it."""

    id: Serial  # added by Piccolo; declared for the type checker

    official = ForeignKey(Official, null=False, on_delete=OnDelete.restrict)
    position = ForeignKey(Position, null=False, on_delete=OnDelete.restrict)
    valid_from = Timestamptz(null=False)
    valid_to = Timestamptz(null=True, default=None)
    instrument = ForeignKey(Instrument, null=True, on_delete=OnDelete.restrict)

    assignment_ends_after_start = Check("valid_to IS NULL OR valid_to > valid_from")
