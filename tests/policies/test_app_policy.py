"""The app policy gives each role its permissions, in its domain's subtree only."""

import itertools

import casbin
import pytest

from registry.authz.model import (
    POLICIES_DIR,
    app_allows,
    load_unit_tree,
    new_app_enforcer,
    revoke_role,
)
from registry.authz.permissions import ANONYMOUS, GLOBAL_DOMAIN, Action, Resource, Role

A, R = Action, Resource
UNITS = load_unit_tree(POLICIES_DIR / "authority_fixture_units.csv")

PUBLIC = {
    (R.LEDGER, A.READ),
    (R.PAGES, A.READ),
    (R.UNITS, A.READ),
    (R.POSITIONS, A.READ),
    (R.OFFICIALS, A.READ),
    (R.POWERS, A.READ),
    (R.INSTRUMENTS, A.READ),
    (R.GRANTS, A.READ),
}
GRANT_ACTIONS = {(R.GRANTS, a) for a in (A.GRANT, A.AMEND, A.SUSPEND, A.REVOKE, A.RENOUNCE)}
EXPECTED: dict[Role, set[tuple[Resource, Action]]] = {
    Role.ADMIN: set(itertools.product(Resource, Action)),
    Role.CHECKER: {(R.CHECK, A.READ)},
    Role.REGISTRAR: {
        *itertools.product((R.UNITS, R.POSITIONS, R.OFFICIALS), (A.CREATE, A.UPDATE)),
        *itertools.product((R.ASSIGNMENTS,), (A.READ, A.CREATE, A.UPDATE)),
        *itertools.product((R.INSTRUMENTS,), (A.CREATE, A.UPDATE)),
        *GRANT_ACTIONS,
        (R.CHECK, A.READ),
    },
    Role.LEADER: {
        (R.ASSIGNMENTS, A.READ),
        (R.INSTRUMENTS, A.CREATE),
        *GRANT_ACTIONS,
        (R.CHECK, A.READ),
    },
    Role.INSPECTOR: {
        *itertools.product(
            (R.UNITS, R.POSITIONS, R.OFFICIALS, R.ASSIGNMENTS, R.POWERS, R.INSTRUMENTS),
            (A.READ,),
        ),
        (R.GRANTS, A.READ),
        *itertools.product((R.ACTS,), (A.READ, A.RECORD, A.IMPORT, A.TRACE, A.EXPORT)),
        *itertools.product((R.CASES, R.FINDINGS), (A.READ, A.CREATE, A.UPDATE)),
        *itertools.product((R.COVERAGE, R.LEDGER), (A.READ, A.EXPORT)),
        (R.CHECK, A.READ),
    },
    Role.PUBLIC: set(),
}

# subject, role, the domain it is held in; and domains inside / outside that domain
HOLDERS = [
    ("user:admin", Role.ADMIN, GLOBAL_DOMAIN, ["UBND-T", "SXD-QLN", GLOBAL_DOMAIN], []),
    ("user:inspector", Role.INSPECTOR, GLOBAL_DOMAIN, ["XA-AN-PHU", GLOBAL_DOMAIN], []),
    ("token:dms", Role.CHECKER, GLOBAL_DOMAIN, ["STC", GLOBAL_DOMAIN], []),
    ("user:registrar", Role.REGISTRAR, "SXD", ["SXD", "SXD-QLN"], ["UBND-T", "STC", "*"]),
    ("user:leader", Role.LEADER, "XA-AN-PHU", ["XA-AN-PHU"], ["XA-BINH-MINH", "UBND-T", "*"]),
    ("user:citizen", Role.PUBLIC, GLOBAL_DOMAIN, [], ["SXD", "*"]),
]


@pytest.fixture(scope="module")
def enforcer() -> casbin.Enforcer:
    enforcer = new_app_enforcer(UNITS)
    for subject, role, domain, _inside, _outside in HOLDERS:
        enforcer.add_grouping_policy(subject, role, domain)
    return enforcer


def _grid() -> list[tuple[str, Role, str, Resource, Action, bool]]:
    cases = []
    for subject, role, _domain, inside, outside in HOLDERS:
        for unit, covered in [*((u, True) for u in inside), *((u, False) for u in outside)]:
            allowed = PUBLIC | (EXPECTED[role] if covered else set())
            for resource, action in itertools.product(Resource, Action):
                expected = (resource, action) in allowed
                cases.append((subject, role, unit, resource, action, expected))
    return cases


def test_each_role_holds_exactly_its_permissions_inside_its_domain_and_public_ones_outside(
    enforcer: casbin.Enforcer,
) -> None:
    wrong = [
        case
        for case in _grid()
        if app_allows(enforcer, case[0], case[2], case[3], case[4]) is not case[5]
    ]
    assert wrong == []


@pytest.mark.parametrize("domain", ["UBND-T", "SXD-QLN", "XA-KHONG-CO", GLOBAL_DOMAIN])
def test_anonymous_visitor_reads_public_resources_only(
    enforcer: casbin.Enforcer, domain: str
) -> None:
    allowed = {
        (resource, action)
        for resource, action in itertools.product(Resource, Action)
        if app_allows(enforcer, ANONYMOUS, domain, resource, action)
    }
    assert allowed == PUBLIC


def test_check_api_is_not_public(enforcer: casbin.Enforcer) -> None:
    assert not app_allows(enforcer, ANONYMOUS, GLOBAL_DOMAIN, R.CHECK, A.READ)
    assert app_allows(enforcer, "token:dms", GLOBAL_DOMAIN, R.CHECK, A.READ)


def test_role_given_at_run_time_applies_to_the_whole_subtree_at_once() -> None:
    enforcer = new_app_enforcer(UNITS)
    assert not app_allows(enforcer, "user:new", "SXD-QLN", R.GRANTS, A.GRANT)
    enforcer.add_grouping_policy("user:new", Role.LEADER, "SXD")
    assert app_allows(enforcer, "user:new", "SXD-QLN", R.GRANTS, A.GRANT)
    assert not app_allows(enforcer, "user:new", "STC", R.GRANTS, A.GRANT)


def test_revoking_a_role_in_one_domain_keeps_it_where_another_assignment_covers() -> None:
    enforcer = new_app_enforcer(UNITS)
    enforcer.add_grouping_policy("user:both", Role.REGISTRAR, "SXD")
    enforcer.add_grouping_policy("user:both", Role.REGISTRAR, "UBND-T")
    assert app_allows(enforcer, "user:both", "SXD-QLN", R.UNITS, A.CREATE)
    assert revoke_role(enforcer, "user:both", Role.REGISTRAR, "SXD")
    assert app_allows(enforcer, "user:both", "SXD-QLN", R.UNITS, A.CREATE)
    assert revoke_role(enforcer, "user:both", Role.REGISTRAR, "UBND-T")
    assert not app_allows(enforcer, "user:both", "SXD-QLN", R.UNITS, A.CREATE)
