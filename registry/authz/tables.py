"""Tables for the Casbin policy rows (a projection of grants and roles) and the policy version."""

from __future__ import annotations

from piccolo.columns import BigInt, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class PolicyRule(Table, tablename="casbin_rule"):
    """One Casbin policy line; `model` says which model it belongs to (authority or app)."""

    id: Serial  # added by Piccolo; declared for the type checker

    model = Varchar(length=20, null=False, default="authority", index=True)
    ptype = Varchar(length=10, null=False)
    v0 = Varchar(length=200, null=False, default="", index=True)
    v1 = Varchar(length=200, null=False, default="")
    v2 = Text(null=False, default="")
    v3 = Text(null=False, default="")
    v4 = Text(null=False, default="")
    v5 = Varchar(length=40, null=False, default="")
    v6 = Varchar(length=40, null=False, default="")
    v7 = Varchar(length=40, null=False, default="")
    v8 = Varchar(length=80, null=False, default="", index=True)


class PolicyVersion(Table, tablename="policy_version"):
    """A single row whose number moves in every write that changes policy rows."""

    id: Serial  # added by Piccolo; declared for the type checker

    version = BigInt(default=0, null=False)
    changed_at = Timestamptz(default=TimestamptzNow(), null=False)


class PolicyChange(Table, tablename="policy_change"):
    """Which power's rows moved at which policy version, so workers reload only those rows."""

    id: Serial  # added by Piccolo; declared for the type checker

    version = BigInt(null=False, index=True)
    power_code = Varchar(length=40, null=False)
