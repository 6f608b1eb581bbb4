"""Tables for grants, their versions and their lifecycle events."""

from __future__ import annotations

from piccolo.columns import (
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from registry.organisation.tables import Instrument
from registry.powers.tables import Power

GRANT_KINDS = ("devolution", "decentralization", "authorization")
GRANT_STATES = ("active", "suspended", "revoked", "renounced", "superseded")
GRANT_EVENTS = ("made", "amended", "suspended", "resumed", "revoked", "renounced")


class Grant(Table, tablename="grant_version"):
    """One version of a grant; the grant number (`lineage`) is shared by all its versions."""

    id: Serial  # added by Piccolo; declared for the type checker

    #: The public grant number, equal to the first version's row id.
    lineage = Integer(null=False)
    version = Integer(default=1, null=False)
    previous_version: ForeignKey[Grant] = ForeignKey("self", null=True, on_delete=OnDelete.restrict)
    kind = Varchar(length=20, null=False)
    power = ForeignKey(Power, null=False, on_delete=OnDelete.restrict)
    #: Party strings, `position:CODE`, `unit:CODE` or `official:CODE`.
    grantor = Varchar(length=80, null=False)
    grantee = Varchar(length=80, null=False)
    #: Lineage of the source grant; NULL when the grantor is the lawful holder.
    parent_lineage = Integer(null=True, default=None)
    depth = Integer(default=1, null=False)
    #: Unit codes (subtree roots) separated by spaces.
    territory = Text(null=False)
    #: Sectors separated by spaces; empty means every sector of the power.
    sectors = Text(null=False, default="")
    #: Act types separated by spaces; empty means every act type of the power.
    act_types = Text(null=False, default="")
    amount_ceiling = BigInt(null=True, default=None)
    valid_from = Timestamptz(null=False)
    valid_to = Timestamptz(null=True, default=None)
    #: For a version made by an amendment: when it took over from the previous version.
    effective_from = Timestamptz(null=True, default=None)
    may_pass_on = Boolean(default=False, null=False)
    conditions_vi = Text(null=False, default="")
    conditions_en = Text(null=False, default="")
    #: `grantor` or `grantee`: who answers for the result (ủy quyền: the grantor).
    responsible = Varchar(length=10, null=False)
    instrument = ForeignKey(Instrument, null=False, on_delete=OnDelete.restrict)
    #: The recorded state of this version; time-derived states (expired...) are computed.
    state = Varchar(length=12, default="active", null=False)
    #: When this version stopped being the current one (revoked, renounced or superseded).
    ended_at = Timestamptz(null=True, default=None)
    recorded_at = Timestamptz(default=TimestamptzNow(), null=False)
    #: The account that typed it in (a registrar records for a leader).
    recorded_by = Varchar(length=80, null=False, default="")
    #: The leader on whose behalf it was recorded, as a party string.
    recorded_for = Varchar(length=80, null=False, default="")
    ledger_index = BigInt(null=True, default=None)

    grant_kind_known = Check(
        "kind IN ('devolution', 'decentralization', 'authorization')", name="grant_kind_known"
    )
    grant_state_known = Check(
        "state IN ('active', 'suspended', 'revoked', 'renounced', 'superseded')",
        name="grant_state_known",
    )
    grant_ends_after_start = Check("valid_to IS NULL OR valid_to > valid_from")
    grant_depth_positive = Check("depth >= 1")
    grant_authorization_has_end = Check("kind <> 'authorization' OR valid_to IS NOT NULL")
    grant_not_to_itself = Check("grantor <> grantee")
    grant_version_unique = Unique(["lineage", "version"])


class GrantEvent(Table, tablename="grant_event"):
    """A dated step in a grant's life: made, amended, suspended, resumed, revoked, renounced."""

    id: Serial  # added by Piccolo; declared for the type checker

    lineage = Integer(null=False, index=True)
    grant = ForeignKey(Grant, null=False, on_delete=OnDelete.restrict)
    event = Varchar(length=12, null=False)
    at = Timestamptz(null=False)
    actor = Varchar(length=80, null=False, default="")
    reason = Text(null=False, default="")
    instrument = ForeignKey(Instrument, null=True, on_delete=OnDelete.restrict)
    recorded_at = Timestamptz(default=TimestamptzNow(), null=False)
    ledger_index = BigInt(null=True, default=None)

    grant_event_known = Check(
        "event IN ('made', 'amended', 'suspended', 'resumed', 'revoked', 'renounced')"
    )
