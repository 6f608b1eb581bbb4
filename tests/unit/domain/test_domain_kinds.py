"""Specification of the one table of rules per grant kind."""

from datetime import timedelta

import pytest

from registry.domain.kinds import (
    KIND_RULES,
    GrantKind,
    InstrumentType,
    ResponsibleParty,
    with_max_duration,
)

T = InstrumentType


@pytest.mark.parametrize(
    ("kind", "label_vi", "normative", "end_required", "passes_on", "responsible"),
    [
        (GrantKind.DEVOLUTION, "Phân quyền", True, False, True, ResponsibleParty.GRANTEE),
        (GrantKind.DECENTRALIZATION, "Phân cấp", True, False, True, ResponsibleParty.GRANTEE),
        (GrantKind.AUTHORIZATION, "Ủy quyền", False, True, False, ResponsibleParty.GRANTOR),
    ],
)
def test_kind_rule_table(
    kind: GrantKind,
    label_vi: str,
    normative: bool,
    end_required: bool,
    passes_on: bool,
    responsible: ResponsibleParty,
) -> None:
    rule = KIND_RULES[kind]
    assert rule.label_vi == label_vi
    assert rule.instrument_must_be_normative is normative
    assert rule.end_required is end_required
    assert rule.may_pass_on_default is passes_on
    assert rule.responsible is responsible


def test_devolution_only_by_law_or_national_assembly_resolution() -> None:
    assert KIND_RULES[GrantKind.DEVOLUTION].instrument_types == {T.LAW, T.NA_RESOLUTION}


def test_authorization_is_made_by_the_grantors_own_instrument() -> None:
    accepted = KIND_RULES[GrantKind.AUTHORIZATION].instrument_types
    assert T.AUTHORIZATION_LETTER in accepted
    assert T.DECISION in accepted
    assert T.LAW not in accepted


def test_the_table_cannot_be_edited_in_place() -> None:
    with pytest.raises(TypeError):
        KIND_RULES[GrantKind.AUTHORIZATION] = KIND_RULES[GrantKind.DEVOLUTION]  # type: ignore[index]


def test_max_duration_is_set_by_configuration_without_touching_the_table() -> None:
    rules = with_max_duration(GrantKind.AUTHORIZATION, timedelta(days=365))
    assert rules[GrantKind.AUTHORIZATION].max_duration == timedelta(days=365)
    assert KIND_RULES[GrantKind.AUTHORIZATION].max_duration is None
    assert rules[GrantKind.DEVOLUTION] == KIND_RULES[GrantKind.DEVOLUTION]
