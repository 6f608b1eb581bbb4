"""Table for signed acts and their frozen trace."""

from __future__ import annotations

from piccolo.columns import BigInt, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from registry.organisation.tables import Official, Position, Unit
from registry.powers.tables import Power


class Act(Table, tablename="act"):
    """A signed decision to be traced to the authority in force when it was signed."""

    id: Serial  # added by Piccolo; declared for the type checker

    #: Issuer, number and signing time; importing the same act twice finds this key.
    natural_key = Varchar(length=200, unique=True, null=False)
    number = Varchar(length=80, null=False)
    type = Varchar(length=30, null=False)
    issuing_unit = ForeignKey(Unit, null=True, on_delete=OnDelete.restrict)
    power = ForeignKey(Power, null=True, on_delete=OnDelete.restrict)
    signer = ForeignKey(Official, null=True, on_delete=OnDelete.restrict)
    signer_position = ForeignKey(Position, null=True, on_delete=OnDelete.restrict)
    signature_form = Varchar(length=10, null=False, default="direct")
    signed_at = Timestamptz(null=False)
    #: The facts it concerns: territory, sector, act type, amount.
    unit = ForeignKey(Unit, null=True, on_delete=OnDelete.restrict)
    sector = Varchar(length=40, null=False, default="")
    act_type = Varchar(length=80, null=False, default="")
    amount = BigInt(null=True, default=None)
    file_sha256 = Varchar(length=64, null=True, default=None)
    verdict = Varchar(length=40, null=True, default=None)
    #: Reason codes, canonical JSON.
    reasons = Text(null=False, default="[]")
    #: The chain of grants as it stood at signing time, canonical JSON.
    chain = Text(null=False, default="[]")
    traced_at = Timestamptz(null=True, default=None)
    recorded_at = Timestamptz(default=TimestamptzNow(), null=False)
    recorded_by = Varchar(length=80, null=False, default="")
    ledger_index = BigInt(null=True, default=None)
