"""Grant kinds, instrument types and the one table of what the law asks of each kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType


class GrantKind(StrEnum):
    DEVOLUTION = "devolution"  # phân quyền
    DECENTRALIZATION = "decentralization"  # phân cấp
    AUTHORIZATION = "authorization"  # ủy quyền


class InstrumentType(StrEnum):
    LAW = "law"
    NA_RESOLUTION = "na_resolution"
    COUNCIL_RESOLUTION = "council_resolution"
    DECREE = "decree"
    CIRCULAR = "circular"
    DECISION = "decision"
    DIRECTIVE = "directive"
    OFFICIAL_LETTER = "official_letter"
    AUTHORIZATION_LETTER = "authorization_letter"
    WORKING_REGULATION = "working_regulation"


INSTRUMENT_TYPE_LABELS: Mapping[InstrumentType, tuple[str, str]] = MappingProxyType(
    {
        InstrumentType.LAW: ("Luật", "Law"),
        InstrumentType.NA_RESOLUTION: ("Nghị quyết của Quốc hội", "National Assembly resolution"),
        InstrumentType.COUNCIL_RESOLUTION: (
            "Nghị quyết của Hội đồng nhân dân",
            "People's Council resolution",
        ),
        InstrumentType.DECREE: ("Nghị định", "Decree"),
        InstrumentType.CIRCULAR: ("Thông tư", "Circular"),
        InstrumentType.DECISION: ("Quyết định", "Decision"),
        InstrumentType.DIRECTIVE: ("Chỉ thị", "Directive"),
        InstrumentType.OFFICIAL_LETTER: ("Công văn", "Official letter"),
        InstrumentType.AUTHORIZATION_LETTER: ("Giấy ủy quyền", "Letter of authorization"),
        InstrumentType.WORKING_REGULATION: ("Quy chế làm việc", "Working regulation"),
    }
)


class ResponsibleParty(StrEnum):
    """Who answers for the result of acts done under a grant."""

    GRANTOR = "grantor"
    GRANTEE = "grantee"


@dataclass(frozen=True, slots=True)
class KindRule:
    """What the law asks of a grant of one kind."""

    label_vi: str
    label_en: str
    instrument_types: frozenset[InstrumentType]
    instrument_must_be_normative: bool
    end_required: bool
    max_duration: timedelta | None
    may_pass_on_default: bool
    responsible: ResponsibleParty
    #: kinds of source grant this kind may be derived from; the lawful holder is always a source
    source_kinds: frozenset[GrantKind]


KIND_RULES: Mapping[GrantKind, KindRule] = MappingProxyType(
    {
        GrantKind.DEVOLUTION: KindRule(
            label_vi="Phân quyền",
            label_en="Devolution",
            instrument_types=frozenset({InstrumentType.LAW, InstrumentType.NA_RESOLUTION}),
            instrument_must_be_normative=True,
            end_required=False,
            max_duration=None,
            may_pass_on_default=True,
            responsible=ResponsibleParty.GRANTEE,
            source_kinds=frozenset({GrantKind.DEVOLUTION}),
        ),
        GrantKind.DECENTRALIZATION: KindRule(
            label_vi="Phân cấp",
            label_en="Decentralization",
            instrument_types=frozenset(
                {
                    InstrumentType.LAW,
                    InstrumentType.NA_RESOLUTION,
                    InstrumentType.COUNCIL_RESOLUTION,
                    InstrumentType.DECREE,
                    InstrumentType.CIRCULAR,
                    InstrumentType.DECISION,
                }
            ),
            instrument_must_be_normative=True,
            end_required=False,
            max_duration=None,
            may_pass_on_default=True,
            responsible=ResponsibleParty.GRANTEE,
            source_kinds=frozenset({GrantKind.DEVOLUTION, GrantKind.DECENTRALIZATION}),
        ),
        GrantKind.AUTHORIZATION: KindRule(
            label_vi="Ủy quyền",
            label_en="Authorization",
            instrument_types=frozenset(
                {
                    InstrumentType.DECISION,
                    InstrumentType.AUTHORIZATION_LETTER,
                    InstrumentType.OFFICIAL_LETTER,
                }
            ),
            instrument_must_be_normative=False,
            end_required=True,
            max_duration=None,
            may_pass_on_default=False,
            responsible=ResponsibleParty.GRANTOR,
            source_kinds=frozenset(GrantKind),
        ),
    }
)


def rule_for(kind: GrantKind, rules: Mapping[GrantKind, KindRule] | None = None) -> KindRule:
    """The rule for a kind, from the override table when one is given."""
    return (rules if rules is not None else KIND_RULES)[kind]


def with_max_duration(
    kind: GrantKind,
    max_duration: timedelta | None,
    rules: Mapping[GrantKind, KindRule] | None = None,
) -> Mapping[GrantKind, KindRule]:
    """A copy of the table where one kind has another maximum duration (set by configuration)."""
    table = dict(rules if rules is not None else KIND_RULES)
    table[kind] = replace(table[kind], max_duration=max_duration)
    return MappingProxyType(table)
