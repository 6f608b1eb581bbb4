"""Tables for inspection cases, the acts sampled into them and their findings (proposed: to be
added to `registry/tables.py` and migrated by the maintainers of the schema)."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from registry.acts.tables import Act

SEVERITIES = ("low", "medium", "high", "critical")
FINDING_STATES = ("open", "responded", "closed")


class InspectionCase(Table, tablename="inspection_case"):
    """An inspection of some units over a period by a team."""

    id: Serial  # added by Piccolo; declared for the type checker

    title = Varchar(length=200, null=False)
    #: Unit codes (subtree roots) separated by spaces.
    units = Text(null=False)
    period_from = Timestamptz(null=False)
    period_to = Timestamptz(null=False)
    #: Names of the inspectors, one per line.
    team = Text(null=False, default="")
    #: The seed and size of the random sample; NULL size means every act in scope.
    sample_seed = Integer(null=True, default=None)
    sample_size = Integer(null=True, default=None)
    status = Varchar(length=12, null=False, default="open")
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    created_by = Varchar(length=80, null=False, default="")
    case_period_ordered = Check("period_to > period_from")


class CaseAct(Table, tablename="case_act"):
    """An act sampled into a case."""

    id: Serial  # added by Piccolo; declared for the type checker

    case = ForeignKey(InspectionCase, null=False, on_delete=OnDelete.cascade)
    act = ForeignKey(Act, null=False, on_delete=OnDelete.restrict)
    case_act_unique = Unique(["case", "act"])


class Finding(Table, tablename="finding"):
    """What the team found, the legal provision breached, and the unit's response."""

    id: Serial  # added by Piccolo; declared for the type checker

    case = ForeignKey(InspectionCase, null=False, on_delete=OnDelete.cascade)
    act = ForeignKey(Act, null=True, on_delete=OnDelete.restrict)
    legal_reference = Varchar(length=300, null=False)
    severity = Varchar(length=10, null=False, default="medium")
    description = Text(null=False, default="")
    response = Text(null=False, default="")
    status = Varchar(length=12, null=False, default="open")
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)
    created_by = Varchar(length=80, null=False, default="")
    finding_severity_known = Check("severity IN ('low', 'medium', 'high', 'critical')")
    finding_status_known = Check("status IN ('open', 'responded', 'closed')")


CASE_TABLES = [InspectionCase, CaseAct, Finding]
