"""Compile the .po catalogues to .mo files: `python -m registry.i18n.compile`."""

from __future__ import annotations

import sys

from registry.web.i18n import CatalogueError, compile_catalogues


def main() -> int:
    """Compile every catalogue; exit non-zero with the problems if one is broken."""
    try:
        written = compile_catalogues()
    except CatalogueError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    for path in written:
        sys.stdout.write(f"compiled {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
