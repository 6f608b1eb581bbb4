"""The vocabulary of the app's own permissions: resources, actions and roles."""

from enum import StrEnum

ANONYMOUS = "anonymous"
"""Subject of a request without a session or token; it gets the `public` role's rows only."""

GLOBAL_DOMAIN = "*"
"""Domain of global roles (admin, inspector) and of requests that concern no unit."""


class Resource(StrEnum):
    """What a request touches (the `obj` of the app model)."""

    UNITS = "units"
    POSITIONS = "positions"
    OFFICIALS = "officials"
    ASSIGNMENTS = "assignments"
    POWERS = "powers"
    INSTRUMENTS = "instruments"
    GRANTS = "grants"
    ACTS = "acts"
    CASES = "cases"
    FINDINGS = "findings"
    COVERAGE = "coverage"
    LEDGER = "ledger"
    PAGES = "pages"
    CHECK = "check"
    ACCOUNTS = "accounts"
    TOKENS = "tokens"
    SETTINGS = "settings"


class Action(StrEnum):
    """What a request does to a resource (the `act` of the app model)."""

    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    GRANT = "grant"
    AMEND = "amend"
    SUSPEND = "suspend"
    REVOKE = "revoke"
    RENOUNCE = "renounce"
    RECORD = "record"
    TRACE = "trace"
    IMPORT = "import"
    EXPORT = "export"
    ADMIN = "admin"


class Role(StrEnum):
    """Roles of the app policy; all but `admin`, `inspector` and `public` are held per domain."""

    ADMIN = "admin"
    REGISTRAR = "registrar"
    LEADER = "leader"
    INSPECTOR = "inspector"
    CHECKER = "checker"
    PUBLIC = "public"


ROLE = Role
