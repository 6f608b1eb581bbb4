"""Put table constraints inside CREATE TABLE on SQLite, which has no ADD CONSTRAINT."""

from __future__ import annotations

from collections.abc import Sequence

from piccolo.query.methods.create import Create


def _sqlite_create_ddl(self: Create) -> Sequence[str]:
    statements = list(self.default_ddl)
    constraints = self.table._meta.constraints
    if not constraints:
        return statements
    inline = ", ".join(f"CONSTRAINT {c._meta.name} {c.ddl}" for c in constraints)
    kept = [statement for statement in statements if " ADD CONSTRAINT " not in statement]
    for position, statement in enumerate(kept):
        if statement.startswith("CREATE TABLE"):
            kept[position] = f"{statement[:-1]}, {inline})"
            break
    return kept


def install() -> None:
    """Use the inline form for SQLite; PostgreSQL keeps Piccolo's ALTER TABLE statements."""
    Create.sqlite_ddl = property(_sqlite_create_ddl)  # type: ignore[assignment,method-assign]
