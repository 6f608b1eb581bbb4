"""The ledger's newest entry (index and leaf hash): what every answer about the ledger's
contents depends on. The ledger only grows and an entry never changes, so the same question
asked at the same tip has the same answer; the public search page is kept by it
(`registry/ledger/pages.py`). Read on a kept connection (`registry/kept_reads.py`).
"""

from __future__ import annotations

from registry.kept_reads import KeptReader

TIP_SQL = "SELECT idx, leaf_hash FROM ledger_entry ORDER BY idx DESC LIMIT 1"

_reader = KeptReader(TIP_SQL)


async def ledger_tip() -> tuple[int, str] | None:
    """(index, leaf hash in hex) of the newest entry; None while the ledger is empty."""
    row = await _reader.first_row()
    return None if row is None else (int(row[0]), str(row[1]))
