"""Load the demo province's organisation, powers and grants (not its acts) into a database.

Run as `python tests/support/load_demo.py` with REGISTRY_DATABASE_URL set; used by the test
fixtures to build a template database once per run.
"""

from __future__ import annotations

import asyncio
import sys

from registry.demo_province import DEMO_DIR, _file_for
from registry.importing.service import KINDS, import_bytes


async def main() -> int:
    for kind in KINDS:
        path = _file_for(DEMO_DIR, kind)
        if path is None:
            continue
        report = await import_bytes(kind, path.read_bytes(), path.name)
        if report.problems:
            print(report.summary(), *report.problems[:20], sep="\n", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
