"""The importer of officials (public names and codes; private fields stay private)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from registry.domain.reasons import ReasonCode
from registry.importing.engine import Record
from registry.importing.fields import FieldReader
from registry.ledger.events import EventType
from registry.ledger.journal import PendingEntry
from registry.organisation.importers.common import (
    bulk_insert,
)
from registry.organisation.tables import (
    Official,
)


class OfficialImporter:
    kind = "officials"
    columns = frozenset(["code", "full_name", "display_name", "staff_number", "email", "phone"])

    async def prepare(self) -> None:
        rows = await Official.select(*(getattr(Official, c) for c in sorted(self.columns)))
        self.stored = {r["code"]: {k: r[k] or "" for k in self.columns} for r in rows}

    def parse(self, reader: FieldReader) -> Record | None:
        full_name = reader.text("full_name")
        record: Record = {
            "code": reader.code("code"),
            "full_name": full_name,
            "display_name": reader.text("display_name", required=False) or full_name,
            "staff_number": reader.text("staff_number", required=False, max_length=40),
            "email": reader.text("email", required=False),
            "phone": reader.text("phone", required=False, max_length=40),
        }
        if record["email"] and "@" not in record["email"]:
            reader.refuse(ReasonCode.INVALID_FORMAT, "email", line=0)
        # A file without the private columns (a public export) keeps what is stored.
        stored = self.stored.get(record["code"])
        for name in ("staff_number", "email", "phone"):
            if name not in reader.values:
                record[name] = stored[name] if stored else ""
        return record

    def key(self, record: Record) -> str:
        return str(record["code"])

    def existing(self, key: str) -> Record | None:
        return self.stored.get(key)

    async def write(
        self, creates: Sequence[Record], updates: Sequence[Record], at: datetime
    ) -> list[PendingEntry]:
        await bulk_insert(
            Official,
            [
                {
                    **{
                        k: (v or None) if k in {"staff_number", "email", "phone"} else v
                        for k, v in r.items()
                    },
                    "created_at": at,
                }
                for r in creates
            ],
        )
        for record in updates:
            values: dict[Column | str, Any] = {
                k: (v or None) if k in {"staff_number", "email", "phone"} else v
                for k, v in record.items()
            }
            await Official.update(values).where(Official.code == record["code"])
        entries = []
        for record in [*creates, *updates]:
            self.stored[record["code"]] = record
            # Only public fields are passed on; the allow-list would drop the rest anyway.
            public = {k: record[k] for k in ("code", "full_name", "display_name")}
            entries.append(PendingEntry(EventType.OFFICIAL_RECORDED, public, at))
        return entries
