"""The administrative tree of units, asked whether one unit lies within another's subtree."""

from __future__ import annotations

from collections.abc import Mapping


class UnitTree:
    """Units by code with their parent; answers are cached, unknown codes stand alone.

    An unknown code is within nothing but itself, so a scope naming a unit the tree does not
    know covers that code only and never silently covers a real subtree.
    """

    __slots__ = ("_ancestors", "_children", "_descendants", "_parent_of")

    def __init__(self, parent_of: Mapping[str, str | None]) -> None:
        parents: dict[str, str | None] = dict(parent_of)
        for parent in list(parents.values()):
            if parent is not None and parent not in parents:
                parents[parent] = None
        children: dict[str, list[str]] = {code: [] for code in parents}
        for code, parent in parents.items():
            if parent is not None:
                children[parent].append(code)
        self._parent_of = parents
        self._children = {code: tuple(sorted(kids)) for code, kids in children.items()}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._descendants: dict[str, frozenset[str]] = {}

    @property
    def units(self) -> frozenset[str]:
        return frozenset(self._parent_of)

    def __contains__(self, code: object) -> bool:
        return code in self._parent_of

    def parent(self, code: str) -> str | None:
        return self._parent_of.get(code)

    def ancestors_or_self(self, code: str) -> tuple[str, ...]:
        """The unit, its parent, and so on up to the root."""
        cached = self._ancestors.get(code)
        if cached is not None:
            return cached
        path = [code]
        seen = {code}
        parent = self._parent_of.get(code)
        # A cycle in bad data stops the walk instead of looping forever.
        while parent is not None and parent not in seen:
            path.append(parent)
            seen.add(parent)
            parent = self._parent_of.get(parent)
        result = tuple(path)
        self._ancestors[code] = result
        return result

    def is_within(self, code: str, root: str) -> bool:
        """Whether `code` is `root` or lies in its subtree."""
        return root in self.ancestors_or_self(code)

    def descendants_or_self(self, root: str) -> frozenset[str]:
        cached = self._descendants.get(root)
        if cached is not None:
            return cached
        found = {root}
        pending = [root]
        while pending:
            for child in self._children.get(pending.pop(), ()):
                if child not in found:
                    found.add(child)
                    pending.append(child)
        result = frozenset(found)
        self._descendants[root] = result
        return result
