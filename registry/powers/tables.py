"""Table for the catalogue of powers."""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check
from piccolo.table import Table

from registry.organisation.tables import Instrument, Unit


class Power(Table, tablename="power"):
    """A competence defined by a legal basis, held by law by one position or unit."""

    id: Serial  # added by Piccolo; declared for the type checker

    code = Varchar(length=40, unique=True, null=False)
    title_vi = Varchar(length=500, null=False)
    title_en = Varchar(length=500, null=False, default="")
    sector = Varchar(length=40, null=False)
    legal_basis = ForeignKey(Instrument, null=True, on_delete=OnDelete.restrict)
    #: Article and clause of the legal basis, e.g. `Điều 123 khoản 2`.
    legal_basis_article = Varchar(length=200, null=False, default="")
    #: The lawful holder as a party string, `position:UBND-T.CT` or `unit:UBND-T`.
    holder = Varchar(length=80, null=False)
    #: The unit whose subtree is the territory of the lawful holding.
    holder_unit = ForeignKey(Unit, null=False, on_delete=OnDelete.restrict)
    #: Act types the power covers, separated by spaces.
    act_types = Text(null=False, default="")
    #: Grant kinds by which the power may be passed on, separated by spaces.
    grant_kinds = Varchar(length=80, null=False, default="")
    non_delegable = Boolean(default=False, null=False)
    max_depth = Integer(default=1, null=False)
    #: Ceiling in VND for acts under this power; NULL means none.
    amount_ceiling = BigInt(null=True, default=None)
    #: Only one holder may exercise it over a given scope (overlaps are findings).
    exclusive = Boolean(default=False, null=False)
    valid_from = Timestamptz(null=False)
    valid_to = Timestamptz(null=True, default=None)
    recorded_at = Timestamptz(default=TimestamptzNow(), null=False)

    power_depth_in_range = Check("max_depth >= 0 AND max_depth <= 10")
    power_ceiling_not_negative = Check("amount_ceiling IS NULL OR amount_ceiling >= 0")
