"""The compiled authority enforcer answers exactly as pycasbin's Enforcer: same allow, same row."""

import random
from collections.abc import Sequence

import casbin
import pytest

from registry.authz.compiled import CompiledAuthorityEnforcer
from registry.authz.functions import OPEN_END
from registry.authz.model import new_authority_enforcer, new_compiled_authority_enforcer

# A province, 4 departments with 2 divisions each, 6 communes.
UNITS: dict[str, str | None] = {"P": None}
for d in range(4):
    UNITS[f"D{d}"] = "P"
    for v in range(2):
        UNITS[f"D{d}-{v}"] = f"D{d}"
for c in range(6):
    UNITS[f"C{c}"] = "P"
KNOWN = sorted(UNITS)
SUBJECTS = [f"position:U{i}.GD" for i in range(12)] + [f"official:CB-{i:04d}" for i in range(12)]
POWERS = ["DD-01", "DD-02", "TC-01"]
SECTORS = ["xay-dung", "dat-dai", "tai-chinh", "y-te"]
ACT_TYPES = ["cap-phep", "thu-hoi", "phe-duyet"]
CEILINGS = ["*", "0", "1000", "5000000000"]
BOUNDS = [f"2025-{m:02d}-01T00:00:00Z" for m in range(1, 13)]
MIDDLES = [f"2025-{m:02d}-15T12:30:00Z" for m in range(1, 13)]

# (size, random requests compared at that size): 10,000 in all, fewer where pycasbin is slow.
SIZES = [(100, 7000), (1000, 2400), (5000, 600)]


def _some(rng: random.Random, values: Sequence[str], most: int) -> str:
    return " ".join(rng.sample(list(values), rng.randint(1, most)))


def random_row(rng: random.Random, serial: int) -> list[str]:
    start = rng.randrange(len(BOUNDS) - 1)
    end = rng.choice([*BOUNDS[start + 1 :], OPEN_END])
    return [
        rng.choice(SUBJECTS),
        rng.choice(POWERS),
        _some(rng, KNOWN, 3),
        rng.choice(["*", _some(rng, SECTORS, 2)]),
        rng.choice(["*", _some(rng, ACT_TYPES, 2)]),
        rng.choice(CEILINGS),
        BOUNDS[start],
        end,
        rng.choice([f"grant:{serial}", f"law:{rng.choice(POWERS)}"]),
    ]


def _likely(rng: random.Random, listed: str, known: Sequence[str]) -> str:
    """Mostly a value the row lists, sometimes any known value."""
    if listed == "*" or rng.random() < 0.2:
        return rng.choice(known)
    return rng.choice(listed.split())


def random_request(rng: random.Random, rows: Sequence[Sequence[str]]) -> tuple[str, ...]:
    if rows and rng.random() < 0.7:  # near an existing row: hits and boundary misses
        sub, power, territory, sectors, act_types, ceiling, vfrom, vto, _ = rng.choice(rows)
        root = rng.choice(territory.split())
        inside = [u for u in KNOWN if u == root or UNITS.get(u) == root]
        unit = rng.choice(inside) if rng.random() < 0.7 else rng.choice([*KNOWN, "X-UNKNOWN"])
        sector = _likely(rng, sectors, SECTORS)
        act_type = _likely(rng, act_types, ACT_TYPES)
        limit = int(ceiling) if ceiling != "*" else 10**12
        amount = str(rng.choice([0, limit, limit, limit + 1, max(limit - 1, 0)]))
        between = [m for m in MIDDLES if vfrom < m < vto]
        t = rng.choice([vfrom, vfrom, vto, *between, *between, rng.choice([*BOUNDS, *MIDDLES])])
        return (sub, power, unit, sector, act_type, amount, t)
    return (
        rng.choice([*SUBJECTS, "official:CB-9999"]),
        rng.choice([*POWERS, "XX-99"]),
        rng.choice([*KNOWN, "X-UNKNOWN"]),
        rng.choice(SECTORS),
        rng.choice(ACT_TYPES),
        rng.choice(["0", "1000", "1001", "5000000000", "5000000001", "12a"]),
        rng.choice([*BOUNDS, *MIDDLES, OPEN_END]),
    )


def _disagreements(
    reference: casbin.Enforcer,
    compiled: CompiledAuthorityEnforcer,
    requests: Sequence[tuple[str, ...]],
) -> list[tuple[tuple[str, ...], object, object]]:
    found: list[tuple[tuple[str, ...], object, object]] = []
    for request in requests:
        expected = tuple(reference.enforce_ex(*request))
        actual = compiled.enforce_ex(*request)
        if actual != expected:
            found.append((request, expected, actual))
    return found


@pytest.mark.parametrize(("size", "checks"), SIZES)
def test_compiled_enforcer_agrees_with_pycasbin_on_random_requests(size: int, checks: int) -> None:
    rng = random.Random(size)
    rows = [random_row(rng, serial) for serial in range(size)]
    rows += rng.sample(rows, size // 50)  # duplicates: pycasbin keeps both, explains the first
    reference = new_authority_enforcer(UNITS, rows)
    compiled = new_compiled_authority_enforcer(UNITS, rows)
    requests = [random_request(rng, rows) for _ in range(checks)]

    assert compiled.row_count == len(rows)
    assert _disagreements(reference, compiled, requests) == []
    hits = sum(compiled.enforce(*request) for request in requests)
    assert checks * 0.2 < hits < checks * 0.8, "the requests must mix hits and misses"


@pytest.mark.parametrize("size", [100, 1000])
def test_compiled_enforcer_agrees_with_pycasbin_after_incremental_changes(size: int) -> None:
    rng = random.Random(-size)
    rows = [random_row(rng, serial) for serial in range(size)]
    reference = new_authority_enforcer(UNITS, rows)
    compiled = new_compiled_authority_enforcer(UNITS, rows)
    live = list(rows)
    for round_ in range(20):
        added = [random_row(rng, size + 100 * round_ + i) for i in range(rng.randint(1, 5))]
        if rng.random() < 0.3:
            added.append(rng.choice(live))  # an existing row: the whole batch is refused
        removed = rng.sample(live, rng.randint(1, 5))
        if rng.random() < 0.3:
            removed.insert(rng.randrange(len(removed)), random_row(rng, -1))  # absent row
        assert compiled.add_rows(added) == reference.add_policies(added)
        assert compiled.remove_rows(removed) == reference.remove_policies(removed)
        live = reference.get_policy()
        assert compiled.row_count == len(live)
        requests = [random_request(rng, live) for _ in range(50)]
        assert _disagreements(reference, compiled, requests) == []


def test_compiled_enforcer_agrees_with_pycasbin_without_any_row() -> None:
    rng = random.Random(0)
    reference = new_authority_enforcer(UNITS, [])
    compiled = new_compiled_authority_enforcer(UNITS, [])
    requests = [random_request(rng, []) for _ in range(100)]
    requests.append(("", "", "", "", "", "0", ""))
    assert _disagreements(reference, compiled, requests) == []
