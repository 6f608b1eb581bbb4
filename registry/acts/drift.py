"""The drift report: how far signed acts stray from the authority in force, by verdict, unit,
power and month, with the signers who stray most."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from registry.acts.tables import Act
from registry.db import is_postgres

WITHIN = "within_authority"


@dataclass(frozen=True, slots=True)
class Count:
    """One line of a breakdown: a key, acts traced, acts outside authority."""

    key: str
    total: int
    outside: int

    @property
    def share_within(self) -> int:
        """Percent within authority, rounded down."""
        return 0 if not self.total else (100 * (self.total - self.outside)) // self.total


@dataclass(frozen=True, slots=True)
class DriftReport:
    by_verdict: list[Count]
    by_unit: list[Count]
    by_power: list[Count]
    by_month: list[Count]
    offenders: list[Count]

    @property
    def total(self) -> int:
        return sum(c.total for c in self.by_verdict)


def _month_sql() -> str:
    if is_postgres():
        return "to_char(a.signed_at AT TIME ZONE 'UTC' + interval '7 hours', 'YYYY-MM')"
    return "strftime('%Y-%m', a.signed_at, '+7 hours')"


async def _counts(
    key_sql: str, join: str = "", limit: int | None = None, order: str = "key"
) -> list[Count]:
    sql = (
        f"SELECT {key_sql} AS key, COUNT(*) AS total, "
        f"SUM(CASE WHEN a.verdict = '{WITHIN}' THEN 0 ELSE 1 END) AS outside "
        f"FROM act a {join} GROUP BY {key_sql} "
        + ("ORDER BY outside DESC, total DESC" if order == "outside" else "ORDER BY key")
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    rows = await Act.raw(sql)
    return [Count(str(r["key"] or "—"), int(r["total"]), int(r["outside"] or 0)) for r in rows]


async def drift_report(top: int = 20) -> DriftReport:
    return DriftReport(
        by_verdict=await _counts("a.verdict"),
        by_unit=await _counts("u.code", "LEFT JOIN unit u ON u.id = a.unit", top, "outside"),
        by_power=await _counts("p.code", "LEFT JOIN power p ON p.id = a.power", top, "outside"),
        by_month=await _counts(_month_sql()),
        offenders=[
            c
            for c in await _counts(
                "o.code", "LEFT JOIN official o ON o.id = a.signer", top, "outside"
            )
            if c.outside
        ],
    )


def drift_csv(report: DriftReport) -> str:
    """Every breakdown in one table: dimension, key, total, outside, percent within."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["dimension", "key", "total", "outside_authority", "percent_within"])
    for name, counts in (
        ("verdict", report.by_verdict),
        ("unit", report.by_unit),
        ("power", report.by_power),
        ("month", report.by_month),
        ("signer", report.offenders),
    ):
        for c in counts:
            writer.writerow([name, c.key, c.total, c.outside, c.share_within])
    return "\ufeff" + buffer.getvalue()
