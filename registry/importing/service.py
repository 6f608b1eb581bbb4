"""Import a file of one kind through its importer: the CLI, the browser and the demo use this."""

from __future__ import annotations

import asyncio
from pathlib import Path

from registry.importing.engine import Importer, Progress, run_import
from registry.importing.report import ImportReport
from registry.ledger.journal import LedgerSigner, default_signer

#: Import order for a whole province: each kind refers only to kinds before it.
KINDS = ("units", "positions", "officials", "instruments", "assignments", "powers", "grants")


def importer_for(kind: str) -> Importer:
    from registry.organisation.importers.assignments import AssignmentImporter
    from registry.organisation.importers.instruments import InstrumentImporter
    from registry.organisation.importers.officials import OfficialImporter
    from registry.organisation.importers.positions import PositionImporter
    from registry.organisation.importers.units import UnitImporter
    from registry.powers.importing import PowerImporter

    importers: dict[str, type] = {
        "units": UnitImporter,
        "positions": PositionImporter,
        "officials": OfficialImporter,
        "instruments": InstrumentImporter,
        "assignments": AssignmentImporter,
        "powers": PowerImporter,
    }
    if kind not in importers:
        raise ValueError(f"unknown import kind {kind!r}")
    importer: Importer = importers[kind]()
    return importer


async def import_bytes(
    kind: str,
    content: bytes,
    file_name: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    signer: LedgerSigner | None = None,
) -> ImportReport:
    if kind == "grants":
        from registry.grants.importing import import_grants

        return await import_grants(
            content, file_name, signer=signer, dry_run=dry_run, progress=progress
        )
    return await run_import(
        importer_for(kind),
        content,
        file_name,
        signer=signer or default_signer(),
        dry_run=dry_run,
        progress=progress,
    )


async def import_file(
    kind: str, path: Path, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    content = await asyncio.to_thread(path.read_bytes)
    return await import_bytes(kind, content, path.name, dry_run=dry_run, progress=progress)
