"""Compile the .po catalogues to .mo files: `python -m registry.i18n.compile`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from registry.web.i18n import CatalogueError, compile_catalogues

#: What may follow a "%" in a translation: a named placeholder or a literal "%%".
_PERCENT = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sd]|%%")


def stray_percent_signs(directory: Path | None = None) -> list[str]:
    """Translations with a "%" that is neither `%(name)s` nor `%%`.

    Gettext is installed "newstyle" in Jinja, so every template message is %-formatted: a bare
    "%" (say "Tỷ lệ (%)") passes the placeholder check but makes the page fail with
    "unsupported format character". Write it as "%%", or in words.
    """
    root = directory or Path(__file__).resolve().parent
    problems = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as po:
            catalogue = read_po(po)
        for message in catalogue:
            if not message.id:
                continue
            strings = (
                message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            )
            for string in strings:
                if "%" in _PERCENT.sub("", string or ""):
                    problems.append(f"{po_path}: {message.id!r}: stray % in {string!r}")
    return problems


def main() -> int:
    """Compile every catalogue; exit non-zero with the problems if one is broken."""
    problems = stray_percent_signs()
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        return 1
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
