"""Signed PDF files of instruments: what is accepted (a PDF of at most 20 MB) and how it is kept
(under its SHA-256, written once and atomically, in the data directory). The organisation forms
and the grant wizard share them."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from registry.errors import AccessReason, Refused

#: The largest signed file we keep (the request limit of the app is the same).
MAX_FILE_BYTES = 20 * 1024 * 1024

UPLOAD_MESSAGES: dict[str, tuple[str, str]] = {
    "FILE_TOO_LARGE": (
        "Tệp vượt quá dung lượng tối đa {max_mb} MB.",
        "The file is larger than the {max_mb} MB limit.",
    ),
    "FILE_NOT_PDF": (
        "Tệp không phải là PDF (không bắt đầu bằng %PDF-).",
        "The file is not a PDF (it does not start with %PDF-).",
    ),
    "FILE_EMPTY": ("Tệp rỗng.", "The file is empty."),
}


class UploadReason(AccessReason):
    """A refused upload, in the same JSON shape as every other reason."""

    def message(self, lang: str = "vi") -> str:
        vi, en = UPLOAD_MESSAGES[self.code]
        return (vi if lang == "vi" else en).format(**self.params)


@dataclass(frozen=True, slots=True)
class Upload:
    file_name: str
    content_type: str
    content: bytes


def upload_problems(content: bytes, field: str = "file") -> list[UploadReason]:
    """Why a signed file is refused (too large, empty, not a PDF); none if it is acceptable."""
    if len(content) > MAX_FILE_BYTES:
        return [UploadReason("FILE_TOO_LARGE", field, max_mb=str(MAX_FILE_BYTES >> 20))]
    if not content:
        return [UploadReason("FILE_EMPTY", field)]
    if not content.startswith(b"%PDF-"):
        return [UploadReason("FILE_NOT_PDF", field)]
    return []


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def check_upload(upload: Upload) -> str:
    """The SHA-256 of an acceptable signed PDF, or the reason it is refused."""
    problems = upload_problems(upload.content)
    if problems:
        raise Refused(list(problems))
    return file_digest(upload.content)


def store_file(data_dir: Path, digest: str, content: bytes) -> str:
    """Keep the file under its hash (written once, atomically); return its relative path."""
    folder = data_dir / "files"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if not target.exists():
        temporary = folder / f".{digest}.{os.getpid()}.tmp"
        temporary.write_bytes(content)
        os.replace(temporary, target)
    return f"files/{digest}"
