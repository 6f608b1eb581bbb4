"""The grant wizard's choices: what I may pass on, by which kinds, over which units; the grantee
search. The signed instrument's file is checked and kept by `registry.organisation.uploads`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from registry.domain.kinds import INSTRUMENT_TYPE_LABELS, KIND_RULES, GrantKind, InstrumentType
from registry.domain.scope import Scope
from registry.domain.text import fold_for_search
from registry.grants import repository
from registry.grants.views import Holding, parse_holding_key
from registry.organisation.tables import Official, Position, Unit
from registry.powers.sectors import SECTOR_LABELS
from registry.powers.tables import Power


@dataclass(frozen=True, slots=True)
class UnitOption:
    code: str
    name_vi: str
    name_en: str
    depth: int

    def name(self, lang: str) -> str:
        return self.name_en or self.name_vi if lang == "en" else self.name_vi


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label_vi: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_vi


@dataclass(frozen=True, slots=True)
class WizardOptions:
    """What the form offers for one holding: kinds, units, sectors, act types, instrument types."""

    holding: Holding
    kinds: list[Choice]
    units: list[UnitOption]
    sectors: list[Choice]
    act_types: list[str]
    amount_ceiling: int | None
    instrument_types: list[Choice]
    source_valid_to: datetime | None


def kinds_for(power_kinds: frozenset[GrantKind], source_kind: str) -> list[GrantKind]:
    """The kinds the power allows that may also follow the source (the law allows any)."""
    allowed = []
    for kind in GrantKind:
        rule = KIND_RULES[kind]
        from_source = source_kind == "law" or source_kind in {k.value for k in rule.source_kinds}
        if kind in power_kinds and from_source:
            allowed.append(kind)
    return allowed


async def options_for(holding: Holding, at: datetime) -> WizardOptions | None:
    power = await repository.power_facts(holding.power)
    if power is None:
        return None
    source = holding.chain[-1]
    kinds = kinds_for(power.kinds_allowed, holding.via)
    tree = await repository.unit_tree()
    roots = source.territory
    rows = await Unit.select(
        Unit.code, Unit.name_vi, Unit.name_en, Unit.valid_to, Unit.parent.code.as_alias("parent")
    )
    alive = {r["code"]: r for r in rows if r["valid_to"] is None or r["valid_to"] > at}
    units = _tree_order(alive, roots, tree)
    sectors = source.sectors or tuple(SECTOR_LABELS)
    act_types = list(source.act_types or sorted(power.act_types))
    accepted = sorted({t for k in kinds for t in KIND_RULES[k].instrument_types})
    return WizardOptions(
        holding=holding,
        kinds=[Choice(k.value, KIND_RULES[k].label_vi, KIND_RULES[k].label_en) for k in kinds],
        units=units,
        sectors=[Choice(s, *SECTOR_LABELS.get(s, (s, s))) for s in sectors],
        act_types=act_types,
        amount_ceiling=source.amount_ceiling,
        instrument_types=[
            Choice(t.value, *INSTRUMENT_TYPE_LABELS[InstrumentType(t)]) for t in accepted
        ],
        source_valid_to=holding.valid_to,
    )


def _tree_order(
    alive: Mapping[str, Mapping[str, object]], roots: Sequence[str], tree: object
) -> list[UnitOption]:
    children: dict[str | None, list[str]] = {}
    for code, row in alive.items():
        parent = row["parent"]
        children.setdefault(parent if isinstance(parent, str) else None, []).append(code)
    found: list[UnitOption] = []

    def walk(code: str, depth: int) -> None:
        row = alive[code]
        found.append(UnitOption(code, str(row["name_vi"]), str(row["name_en"]), depth))
        for child in sorted(children.get(code, [])):
            walk(child, depth + 1)

    for root in sorted(roots):
        if root in alive:
            walk(root, 0)
    return found


def holding_from(key: str, holdings: Sequence[Holding]) -> Holding | None:
    parsed = parse_holding_key(key)
    if parsed is None:
        return None
    return next((h for h in holdings if h.key == key and h.may_pass_on), None)


@dataclass(frozen=True, slots=True)
class PartyMatch:
    party: str
    label: str
    detail: str


async def search_parties(query: str, limit: int = 15) -> list[PartyMatch]:
    """Units, positions and officials whose code or name contains the words typed, with or
    without diacritics (đ matches d)."""
    words = fold_for_search(query).split()
    if not words:
        return []
    found: list[PartyMatch] = []

    def hit(*texts: str) -> bool:
        folded = fold_for_search(" ".join(texts))
        return all(word in folded for word in words)

    for r in await Unit.select(Unit.code, Unit.name_vi, Unit.valid_to):
        if r["valid_to"] is None and hit(r["code"], r["name_vi"]):
            found.append(PartyMatch(f"unit:{r['code']}", r["name_vi"], r["code"]))
    for r in await Position.select(Position.code, Position.title_vi, Position.valid_to):
        if r["valid_to"] is None and hit(r["code"], r["title_vi"]):
            found.append(PartyMatch(f"position:{r['code']}", r["title_vi"], r["code"]))
    for r in await Official.select(Official.code, Official.full_name):
        if hit(r["code"], r["full_name"]):
            found.append(PartyMatch(f"official:{r['code']}", r["full_name"], r["code"]))
    return found[:limit]


def grant_values(
    form: Mapping[str, list[str]], holding: Holding, registrar: bool, file_sha256: str = ""
) -> dict[str, str]:
    """The flat values `make_grant` reads, from the wizard's form (lists of values per name)."""

    def one(name: str) -> str:
        values = form.get(name) or [""]
        return values[0].strip()

    values = {
        name: one(name)
        for name in (
            "power",
            "kind",
            "grantor",
            "grantee",
            "parent",
            "amount_ceiling",
            "valid_from",
            "valid_to",
            "conditions_vi",
            "conditions_en",
            "instrument",
            "instrument_type",
            "instrument_signed_at",
            "instrument_title_vi",
        )
    }
    for name in ("territory", "sectors", "act_types"):
        values[name] = " ".join(v.strip() for v in form.get(name, []) if v.strip())
    values["may_pass_on"] = "true" if one("may_pass_on") else "false"
    values["instrument_normative"] = "true" if one("instrument_normative") else "false"
    if values["parent"] == "0":
        values["parent"] = ""
    # Only the file uploaded with the form gives a hash: a posted hash would claim a file
    # nobody has.
    values["instrument_file_sha256"] = file_sha256
    if registrar:
        values["recorded_for"] = values["grantor"]
    return values


def scope_of(values: Mapping[str, str]) -> Scope | None:
    territory = frozenset(values.get("territory", "").split())
    if not territory:
        return None
    amount = values.get("amount_ceiling", "")
    return Scope(
        territory,
        frozenset(values.get("sectors", "").split()) or None,
        frozenset(values.get("act_types", "").split()) or None,
        int(amount) if amount.isdigit() else None,
    )


@dataclass(frozen=True, slots=True)
class Found:
    """A power or a unit the lookup form matched."""

    code: str
    name_vi: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en or self.name_vi if lang == "en" else self.name_vi


def _matching(rows: Sequence[Mapping[str, str]], text: str, name_field: str) -> list[Found]:
    exact = [r for r in rows if r["code"].casefold() == text.strip().casefold()]
    words = fold_for_search(text).split()
    chosen = exact or [
        r
        for r in rows
        if all(w in fold_for_search(f"{r['code']} {r[name_field + '_vi']}") for w in words)
    ]
    return [Found(r["code"], r[name_field + "_vi"], r[name_field + "_en"]) for r in chosen[:20]]


async def find_power(text: str) -> list[Found]:
    """Powers by code (exact) or by words of their title, without diacritics if typed so."""
    rows = await Power.select(Power.code, Power.title_vi, Power.title_en)
    return _matching(rows, text, "title")


async def find_unit(text: str) -> list[Found]:
    rows = await Unit.select(Unit.code, Unit.name_vi, Unit.name_en)
    return _matching(rows, text, "name")
