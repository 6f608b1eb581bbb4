"""The report of an import: what was (or would be) created, changed, kept, and refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.domain.reasons import Reason


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    reason: Reason

    def __str__(self) -> str:
        vi, en = self.reason.message("vi"), self.reason.message("en")
        return f"dòng/line {self.line}: {self.reason.code} {vi} / {en}"

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, **self.reason.as_json()}


@dataclass(slots=True)
class ImportReport:
    kind: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def refuse(self, line: int, reasons: list[Reason]) -> None:
        self.problems.extend(RowProblem(line, reason) for reason in reasons)

    @property
    def refused_lines(self) -> int:
        return len({problem.line for problem in self.problems})

    def summary(self) -> str:
        verb = "sẽ / would be" if self.dry_run else ""
        return (
            f"{self.kind}: {verb} tạo mới/created {self.created}, cập nhật/updated {self.updated}, "
            f"không đổi/unchanged {self.unchanged}, lỗi/refused {self.refused_lines} dòng/lines"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": [problem.as_json() for problem in self.problems],
        }
