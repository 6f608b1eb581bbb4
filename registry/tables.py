"""Every table of the registry, in dependency order, for Piccolo and the migrations."""

from registry.accounts.tables import ApiToken, RoleAssignment, StoreEntry, UserAccount
from registry.acts.case_tables import CaseAct, Finding, InspectionCase
from registry.acts.tables import Act
from registry.authz.tables import PolicyChange, PolicyRule, PolicyVersion
from registry.grants.tables import Grant, GrantEvent
from registry.ledger.tables import Checkpoint, LedgerEntry, MerkleNode
from registry.notifications.tables import NoticeSent
from registry.organisation.tables import Assignment, Instrument, Official, Position, Unit
from registry.powers.tables import Power

TABLES = [
    Unit,
    Official,
    Position,
    Instrument,
    Assignment,
    Power,
    Grant,
    GrantEvent,
    Act,
    LedgerEntry,
    MerkleNode,
    Checkpoint,
    UserAccount,
    RoleAssignment,
    ApiToken,
    StoreEntry,
    PolicyRule,
    PolicyVersion,
    PolicyChange,
    InspectionCase,
    CaseAct,
    Finding,
    NoticeSent,
]

__all__ = [
    "TABLES",
    "Act",
    "ApiToken",
    "Assignment",
    "CaseAct",
    "Checkpoint",
    "Finding",
    "Grant",
    "GrantEvent",
    "InspectionCase",
    "Instrument",
    "LedgerEntry",
    "MerkleNode",
    "NoticeSent",
    "Official",
    "PolicyChange",
    "PolicyRule",
    "PolicyVersion",
    "Position",
    "RoleAssignment",
    "StoreEntry",
    "Unit",
    "UserAccount",
]
