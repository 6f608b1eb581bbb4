"""The policy version as a worker reads it before every decision: the cheap question that keeps
workers and hosts in step (it moves in every write transaction that changes who may do what).

It is read through `registry/kept_reads.py`: a kept read-only connection on SQLite, the pool on
PostgreSQL.
"""

from __future__ import annotations

from registry.authz.tables import PolicyVersion
from registry.kept_reads import KeptReader

VERSION_SQL = "SELECT version FROM policy_version WHERE id = 1"


async def stored_policy_version() -> int:
    row = await PolicyVersion.select(PolicyVersion.version).where(PolicyVersion.id == 1).first()
    return int(row["version"]) if row else 0


class VersionReader(KeptReader):
    """Reads the stored policy version (see `registry/kept_reads.py`)."""

    def __init__(self) -> None:
        super().__init__(VERSION_SQL)

    async def read(self) -> int:
        row = await self.first_row()
        return int(row[0]) if row else 0
