"""A pycasbin adapter over the `casbin_rule` table (Piccolo): load, save, add and remove rules
singly or in batches, and filtered loads — for either model (`authority` or `app`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from casbin.model import Model
from casbin.persist.adapters.asyncio.adapter import AsyncAdapter
from casbin.persist.adapters.asyncio.adapter_filtered import AsyncFilteredAdapter
from casbin.persist.adapters.asyncio.batch_adapter import AsyncBatchAdapter

from registry.authz.tables import PolicyRule

FIELDS = ("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8")


@dataclass(frozen=True, slots=True)
class RuleFilter:
    """Load only some rules: by policy type and by values of leading fields (v0, v1, ...)."""

    ptype: tuple[str, ...] = ()
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _values(rule: Sequence[str]) -> dict[str, str]:
    if len(rule) > len(FIELDS):
        raise ValueError(f"a policy rule has at most {len(FIELDS)} fields, got {len(rule)}")
    return {name: str(value) for name, value in zip(FIELDS, rule, strict=False)}


def _line(row: dict[str, Any]) -> list[str]:
    """A stored row as the list of its fields, trailing empty fields dropped."""
    values = [row[name] for name in FIELDS]
    while values and values[-1] == "":
        values.pop()
    return values


def _add_to_model(model: Model, ptype: str, rule: list[str]) -> None:
    section = ptype[0]
    if section in model.model and ptype in model.model[section]:
        model.model[section][ptype].policy.append(rule)


class PiccoloAdapter(AsyncAdapter, AsyncBatchAdapter, AsyncFilteredAdapter):
    """Casbin rules of one model (`authority` or `app`) in the shared `casbin_rule` table.

    Writes run inside the caller's transaction when there is one (the same transaction as the
    change that causes them), so the policy never disagrees with the state tables.
    """

    def __init__(self, model_name: str = "authority") -> None:
        self.model_name = model_name
        self._filtered = False

    def _where(self, ptype: str, rule: Sequence[str]) -> Any:
        condition = (PolicyRule.model == self.model_name) & (PolicyRule.ptype == ptype)
        for name, value in _values(rule).items():
            condition &= getattr(PolicyRule, name) == value
        for name in FIELDS[len(rule) :]:
            condition &= getattr(PolicyRule, name) == ""
        return condition

    async def load_policy(self, model: Model) -> None:
        self._filtered = False
        rows = (
            await PolicyRule.select()
            .where(PolicyRule.model == self.model_name)
            .order_by(PolicyRule.id)
        )
        for row in rows:
            _add_to_model(model, row["ptype"], _line(row))

    async def load_filtered_policy(self, model: Model, filter: RuleFilter) -> None:
        query = PolicyRule.select().where(PolicyRule.model == self.model_name)
        if filter.ptype:
            query = query.where(PolicyRule.ptype.is_in(list(filter.ptype)))
        for name, wanted in filter.values.items():
            if name not in FIELDS:
                raise ValueError(f"unknown policy field {name!r}")
            query = query.where(getattr(PolicyRule, name).is_in(list(wanted)))
        for row in await query.order_by(PolicyRule.id):
            _add_to_model(model, row["ptype"], _line(row))
        self._filtered = True

    def is_filtered(self) -> bool:
        # pycasbin 2.8 calls this without awaiting, even on its async enforcer.
        return self._filtered

    async def save_policy(self, model: Model) -> bool:
        """Replace every stored rule of this model with the model's rules."""
        await PolicyRule.delete().where(PolicyRule.model == self.model_name)
        rows: list[PolicyRule] = []
        for section in ("p", "g"):
            for ptype, assertion in model.model.get(section, {}).items():
                rows.extend(self._row(ptype, rule) for rule in assertion.policy)
        for start in range(0, len(rows), 500):
            await PolicyRule.insert(*rows[start : start + 500])
        return True

    def _row(self, ptype: str, rule: Sequence[str]) -> PolicyRule:
        row = PolicyRule(model=self.model_name, ptype=ptype)
        for name, value in _values(rule).items():
            setattr(row, name, value)
        return row

    async def add_policy(self, sec: str, ptype: str, rule: Sequence[str]) -> bool:
        await PolicyRule.insert(self._row(ptype, rule))
        return True

    async def add_policies(self, sec: str, ptype: str, rules: Iterable[Sequence[str]]) -> bool:
        rows = [self._row(ptype, rule) for rule in rules]
        for start in range(0, len(rows), 500):
            await PolicyRule.insert(*rows[start : start + 500])
        return True

    async def remove_policy(self, sec: str, ptype: str, rule: Sequence[str]) -> bool:
        found = await PolicyRule.exists().where(self._where(ptype, rule))
        await PolicyRule.delete().where(self._where(ptype, rule))
        return bool(found)

    async def remove_policies(self, sec: str, ptype: str, rules: Iterable[Sequence[str]]) -> bool:
        removed = [await self.remove_policy(sec, ptype, rule) for rule in rules]
        return all(removed)

    async def remove_filtered_policy(
        self, sec: str, ptype: str, field_index: int, *field_values: str
    ) -> bool:
        condition = (PolicyRule.model == self.model_name) & (PolicyRule.ptype == ptype)
        for offset, value in enumerate(field_values):
            if value:
                condition &= getattr(PolicyRule, FIELDS[field_index + offset]) == value
        found = await PolicyRule.exists().where(condition)
        await PolicyRule.delete().where(condition)
        return bool(found)
