"""Rules on a grant's term and instrument, shared by new grants and amendments."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from registry.domain.grants import InstrumentFacts
from registry.domain.kinds import GrantKind, KindRule
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.validity import Validity, utc_string

C = ReasonCode
KindRules = Mapping[GrantKind, KindRule]


def instrument_present(instrument: InstrumentFacts | None) -> list[Reason]:
    return [] if instrument is not None else [Reason.of(C.INSTRUMENT_MISSING, "instrument")]


def instrument_type_accepted(
    kind: GrantKind, instrument: InstrumentFacts | None, rules: KindRules
) -> list[Reason]:
    accepted = rules[kind].instrument_types
    if instrument is None or instrument.type in accepted:
        return []
    return [
        Reason.of(
            C.INSTRUMENT_TYPE_NOT_ACCEPTED,
            "instrument.type",
            kind=kind,
            instrument_type=instrument.type,
            accepted=",".join(sorted(accepted)),
        )
    ]


def instrument_normative(
    kind: GrantKind, instrument: InstrumentFacts | None, rules: KindRules
) -> list[Reason]:
    if instrument is None or instrument.normative or not rules[kind].instrument_must_be_normative:
        return []
    return [
        Reason.of(
            C.INSTRUMENT_NOT_NORMATIVE,
            "instrument.normative",
            kind=kind,
            instrument=instrument.number,
        )
    ]


def instrument_signed_by(instrument: InstrumentFacts | None, start: datetime) -> list[Reason]:
    """The instrument must be signed no later than the moment it takes effect."""
    if instrument is None or instrument.signed_at <= start:
        return []
    return [
        Reason.of(
            C.INSTRUMENT_AFTER_START,
            "instrument.signed_at",
            instrument=instrument.number,
            signed_at=utc_string(instrument.signed_at),
            start=utc_string(start),
        )
    ]


def instrument_not_future(instrument: InstrumentFacts | None, now: datetime) -> list[Reason]:
    if instrument is None or instrument.signed_at <= now:
        return []
    return [
        Reason.of(
            C.INSTRUMENT_NOT_YET_SIGNED,
            "instrument.signed_at",
            instrument=instrument.number,
            signed_at=utc_string(instrument.signed_at),
        )
    ]


def end_given_where_required(kind: GrantKind, validity: Validity, rules: KindRules) -> list[Reason]:
    if validity.valid_to is not None or not rules[kind].end_required:
        return []
    return [Reason.of(C.END_REQUIRED, "valid_to", kind=kind)]


def end_after_start(validity: Validity) -> list[Reason]:
    return [Reason.of(C.END_NOT_AFTER_START, "valid_to")] if validity.is_empty else []


def _days(duration: timedelta) -> str:
    days = duration / timedelta(days=1)
    return str(int(days)) if days == int(days) else f"{days:.2f}"


def duration_within_max(kind: GrantKind, validity: Validity, rules: KindRules) -> list[Reason]:
    rule = rules[kind]
    if rule.max_duration is None:
        return []
    length = validity.duration
    if length is None and rule.end_required:
        return []  # already refused for the missing end
    if length is not None and length <= rule.max_duration:
        return []
    return [
        Reason.of(C.DURATION_TOO_LONG, "valid_to", kind=kind, max_days=_days(rule.max_duration))
    ]


def outlives(validity: Validity, source_end: datetime | None) -> list[Reason]:
    """Refuse, never clip, a term running past the end of its source (None: open-ended)."""
    if source_end is None or (validity.valid_to is not None and validity.valid_to <= source_end):
        return []
    return [Reason.of(C.GRANT_OUTLIVES_SOURCE, "valid_to", source_end=utc_string(source_end))]


def check_term_and_instrument(
    kind: GrantKind,
    validity: Validity,
    instrument: InstrumentFacts | None,
    takes_effect: datetime,
    now: datetime,
    rules: KindRules,
) -> list[Reason]:
    """All term and instrument rules for a grant of this kind."""
    return [
        *instrument_present(instrument),
        *instrument_type_accepted(kind, instrument, rules),
        *instrument_normative(kind, instrument, rules),
        *instrument_signed_by(instrument, takes_effect),
        *instrument_not_future(instrument, now),
        *end_given_where_required(kind, validity, rules),
        *end_after_start(validity),
        *duration_within_max(kind, validity, rules),
    ]
