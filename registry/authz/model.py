"""Loads the Casbin models from `policies/` and builds enforcers with their functions registered."""

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

import casbin
from casbin.persist import Adapter
from casbin.persist.adapters import FileAdapter

from registry.authz.compiled import CompiledAuthorityEnforcer
from registry.authz.functions import UnitTree, authority_functions, make_dom_within
from registry.authz.permissions import Action, Resource

POLICIES_DIR = Path(__file__).resolve().parents[2] / "policies"
AUTHORITY_MODEL = "authority_model.conf"
APP_MODEL = "app_model.conf"
APP_POLICY = "app_policy.csv"


class RowsAdapter(Adapter):
    """Loads policy lines held in memory (`("p", sub, ...)`, `("g", user, role, dom)`)."""

    def __init__(self, lines: Iterable[Sequence[str]]) -> None:
        self.lines = [list(line) for line in lines]

    def load_policy(self, model: casbin.model.Model) -> None:
        # What casbin.persist.load_policy_line does with one parsed CSV line.
        for ptype, *values in self.lines:
            model[ptype[0]][ptype].policy.append(values)


def load_unit_tree(path: Path) -> dict[str, str | None]:
    """A `unit,parent` CSV file (empty parent for the root) as a unit tree."""
    with path.open(newline="", encoding="utf-8") as units:
        return {row["unit"]: row["parent"] or None for row in csv.DictReader(units)}


def load_policy_rows(path: Path, ptype: str = "p") -> list[list[str]]:
    """The `ptype` rows of a policy CSV file, parsed exactly as pycasbin's file adapter does."""
    model = casbin.Enforcer.new_model(
        text=f"[request_definition]\nr = _\n[policy_definition]\n{ptype} = _"
    )
    FileAdapter(str(path)).load_policy(model)
    rows: list[list[str]] = model["p"][ptype].policy
    return rows


def new_authority_enforcer(
    parent_of: UnitTree, rows: Iterable[Sequence[str]] = (), policies: Path = POLICIES_DIR
) -> casbin.Enforcer:
    """Plain pycasbin over the authority model: the reference the compiled form must equal."""
    lines = [("p", *row) for row in rows]
    enforcer = casbin.Enforcer(str(policies / AUTHORITY_MODEL), RowsAdapter(lines))
    enforcer.enable_auto_save(False)
    for name, function in authority_functions(parent_of).items():
        enforcer.add_function(name, function)
    return enforcer


def new_compiled_authority_enforcer(
    parent_of: UnitTree, rows: Iterable[Sequence[str]] = (), policies: Path = POLICIES_DIR
) -> CompiledAuthorityEnforcer:
    """The indexed, compiled authority enforcer used to answer checks."""
    enforcer = CompiledAuthorityEnforcer.from_model(
        policies / AUTHORITY_MODEL, authority_functions(parent_of)
    )
    enforcer.load_rows(rows)
    return enforcer


def new_app_enforcer(
    parent_of: UnitTree, policy: Path | None = None, policies: Path = POLICIES_DIR
) -> casbin.Enforcer:
    """The app-permission enforcer; role domains match unit subtrees through `dom_within`.
    Auto-save is off: the bootstrap CSV is code, role assignments are stored by the services."""
    dom_within = make_dom_within(parent_of)
    enforcer = casbin.Enforcer(str(policies / APP_MODEL), str(policy or policies / APP_POLICY))
    enforcer.enable_auto_save(False)
    enforcer.add_function("dom_within", dom_within)
    enforcer.add_named_domain_matching_func("g", dom_within)
    return enforcer


def revoke_role(enforcer: casbin.Enforcer, subject: str, role: str, domain: str) -> bool:
    """Remove a role assignment, then rebuild the role links. pycasbin 2.8's incremental removal
    with a domain matching function is wrong: it also drops the same role held through another
    covering domain, and raises KeyError on the next removal. So it is switched off here."""
    enforcer.enable_auto_build_role_links(False)
    try:
        removed: bool = enforcer.remove_grouping_policy(subject, role, domain)
    finally:
        enforcer.enable_auto_build_role_links(True)
        enforcer.build_role_links()
    return removed


def app_allows(
    enforcer: casbin.Enforcer, subject: str, domain: str, resource: Resource, action: Action
) -> bool:
    """Whether `subject` may do `action` on `resource` for a unit (`domain`) or `*`."""
    allowed: bool = enforcer.enforce(subject, domain, str(resource), str(action))
    return allowed
