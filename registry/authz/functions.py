"""Matcher functions of the Casbin models: unit subtrees, value lists and amount ceilings."""

from collections.abc import Callable, Mapping
from functools import lru_cache

ANY = "*"
"""`sectors`, `act_types`, `ceiling` (authority) and `dom` (app) value meaning "no limit"."""

OPEN_END = "9999-12-31T23:59:59Z"
"""`vto` of an open-ended interval; fixed-width UTC strings sort like the instants they name."""

UnitTree = Mapping[str, str | None]
"""Unit code -> parent unit code (`None` or absent for the root)."""

_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def split_values(values: str) -> frozenset[str]:
    """The set of space-separated values in a policy column (cached: columns repeat a lot)."""
    return frozenset(values.split())


def member(value: str, values: str) -> bool:
    """Whether `value` is one of the space-separated `values`, or `values` is `*`."""
    return values == ANY or value in split_values(values)


def _is_amount(text: str) -> bool:
    return text.isascii() and text.isdigit()


def under_ceiling(amount: str, ceiling: str) -> bool:
    """Whether a whole VND `amount` is at most `ceiling` (`*`: no ceiling); malformed: False."""
    if not _is_amount(amount):
        return False
    if ceiling == ANY:
        return True
    return _is_amount(ceiling) and int(amount) <= int(ceiling)


def make_within(parent_of: UnitTree) -> Callable[[str, str], bool]:
    """`within(unit, territory)`: whether `unit` lies in one of the subtrees rooted at the
    space-separated unit codes of `territory`. A unit is within its own subtree; a unit the
    tree does not know has only itself as ancestor. Build a new one when the tree changes."""

    @lru_cache(maxsize=_CACHE_SIZE)
    def ancestors(unit: str) -> frozenset[str]:
        seen: set[str] = set()
        current: str | None = unit
        while current and current not in seen:  # `not in seen` guards a malformed cyclic tree
            seen.add(current)
            current = parent_of.get(current)
        return frozenset(seen)

    def within(unit: str, territory: str) -> bool:
        return not ancestors(unit).isdisjoint(split_values(territory))

    return within


def make_dom_within(parent_of: UnitTree) -> Callable[[str, str], bool]:
    """`dom_within(request_dom, dom)`: whether a request's domain falls in a policy or role
    domain: `*` covers everything, a unit code covers its subtree."""
    within = make_within(parent_of)

    def dom_within(request_dom: str, dom: str) -> bool:
        return dom == ANY or within(request_dom, dom)

    return dom_within


def authority_functions(parent_of: UnitTree) -> dict[str, Callable[..., bool]]:
    """The functions `authority_model.conf` calls, by the names it calls them."""
    return {"within": make_within(parent_of), "member": member, "under_ceiling": under_ceiling}
