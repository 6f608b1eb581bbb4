"""Tables for user accounts, their roles per unit, API tokens, sessions and login throttling."""

from __future__ import annotations

from piccolo.columns import Boolean, Bytea, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from registry.organisation.tables import Official


class UserAccount(Table, tablename="user_account"):
    """Someone who signs in: a leader, a registrar, an inspector or an admin."""

    id: Serial  # added by Piccolo; declared for the type checker

    username = Varchar(length=80, unique=True, null=False)
    #: argon2id hash; there is no default password anywhere.
    password_hash = Varchar(length=200, null=False)
    active = Boolean(default=True, null=False)
    official = ForeignKey(Official, null=True, on_delete=OnDelete.restrict)
    language = Varchar(length=2, default="vi", null=False)
    #: Base32 TOTP secret once enrolled; required for admins and leaders.
    mfa_secret = Varchar(length=64, null=True, default=None)
    #: argon2 hashes of unused recovery codes, separated by newlines.
    recovery_codes = Text(null=False, default="")
    failed_logins = Integer(default=0, null=False)
    locked_until = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    password_changed_at = Timestamptz(default=TimestamptzNow(), null=False)

    account_language_known = Check("language IN ('vi', 'en')")


class RoleAssignment(Table, tablename="role_assignment"):
    """A role held by an account in a unit subtree (`*` for everywhere)."""

    id: Serial  # added by Piccolo; declared for the type checker

    account = ForeignKey(UserAccount, null=False, on_delete=OnDelete.restrict)
    role = Varchar(length=20, null=False)
    unit_code = Varchar(length=40, null=False, default="*")

    role_known = Check("role IN ('admin', 'registrar', 'leader', 'inspector')")
    role_once_per_unit = Unique(["account", "role", "unit_code"])


class ApiToken(Table, tablename="api_token"):
    """A bearer token for machine clients, stored as a SHA-256 hash and scoped."""

    id: Serial  # added by Piccolo; declared for the type checker

    account = ForeignKey(UserAccount, null=False, on_delete=OnDelete.restrict)
    name = Varchar(length=80, null=False, default="")
    #: SHA-256 of the token, hex; the token itself is printed once and never stored.
    token_hash = Varchar(length=64, unique=True, null=False)
    scope = Varchar(length=10, null=False)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)

    token_scope_known = Check("scope IN ('check', 'read', 'write')")


class StoreEntry(Table, tablename="store_entry"):
    """A shared key-value store for sessions and rate-limit counters, visible to every worker."""

    id: Serial  # added by Piccolo; declared for the type checker

    namespace = Varchar(length=40, null=False)
    key = Varchar(length=200, null=False)
    value = Bytea(null=False)
    expires_at = Timestamptz(null=True, default=None)

    store_key_unique = Unique(["namespace", "key"])
