"""Read CSV or JSON import files as numbered rows; UTF-8 with or without BOM."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from registry.domain.reasons import Reason, ReasonCode


class UnreadableFile(Exception):
    """The whole file is refused: wrong encoding, not CSV/JSON, unknown columns."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(str(reason.code))
        self.reason = reason


@dataclass(frozen=True, slots=True)
class NumberedRow:
    """A row with the line it came from (CSV: the physical line; JSON: the item's position)."""

    line: int
    values: Mapping[str, Any]


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            Reason.of(ReasonCode.FILE_NOT_UTF8, "file", position=str(exc.start))
        ) from exc


def read_rows(content: bytes, file_name: str, columns: frozenset[str]) -> Iterator[NumberedRow]:
    """Yield rows from CSV (by extension or content) or JSON (an array of objects)."""
    text = decode(content)
    if file_name.lower().endswith(".json") or text.lstrip().startswith("["):
        yield from _json_rows(text, columns)
    else:
        yield from _csv_rows(text, columns)


def read_path(path: Path, columns: frozenset[str]) -> Iterator[NumberedRow]:
    return read_rows(path.read_bytes(), path.name, columns)


def _check_columns(found: list[str], columns: frozenset[str]) -> None:
    unknown = [name for name in found if name not in columns]
    if unknown:
        raise UnreadableFile(Reason.of(ReasonCode.UNKNOWN_FIELD, unknown[0], value=unknown[0]))


def _csv_rows(text: str, columns: frozenset[str]) -> Iterator[NumberedRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        return
    _check_columns(header, columns)
    for values in reader:
        if not any(cell.strip() for cell in values):
            continue
        row = dict(zip(header, values, strict=False))
        yield NumberedRow(reader.line_num, row)


def _json_rows(text: str, columns: frozenset[str]) -> Iterator[NumberedRow]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(Reason.of(ReasonCode.INVALID_FORMAT, "file", line=exc.lineno)) from exc
    if not isinstance(items, list):
        raise UnreadableFile(Reason.of(ReasonCode.INVALID_FORMAT, "file", line=1))
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise UnreadableFile(Reason.of(ReasonCode.INVALID_FORMAT, "file", line=position))
        _check_columns(list(item), columns)
        yield NumberedRow(position, item)
