"""The signed PDF of an instrument, served by its number: to anyone for a public instrument, to
those who record instruments for any other. Files are kept under their SHA-256
(`uploads.store_file`), so the name on disk comes from the stored hash, never from the request."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import File

from registry.authz.guard import actor_of, allows, permission
from registry.authz.permissions import Action, Resource
from registry.errors import NotFound
from registry.organisation.pages import settings_of
from registry.organisation.queries import find_instrument

_SHA256 = re.compile(r"[0-9a-f]{64}")


def download_name(number: str) -> str:
    """`08/GUQ-UBND` → `08-GUQ-UBND.pdf`: the number without path separators."""
    return re.sub(r"[^\w.-]+", "-", number).strip("-") + ".pdf"


@get(
    "/instruments/file",
    name="public:instrument_file",
    opt=permission(Resource.INSTRUMENTS, Action.READ),
)
async def instrument_file(request: Request[Any, Any, Any], number: FromQuery[str] = "") -> File:
    """The stored PDF, shown in the browser; 404 for an unknown number, a number without a
    file, or an instrument that is not public and the visitor may not record instruments."""
    may_see_private = allows(actor_of(request), Resource.INSTRUMENTS, Action.UPDATE)
    instrument = await find_instrument(number, public_only=not may_see_private)
    digest = instrument.file_sha256 if instrument is not None else None
    if not digest or not _SHA256.fullmatch(digest):
        raise NotFound("instrument file")
    path = settings_of(request).data_dir / "files" / digest
    if not path.is_file():
        raise NotFound("instrument file")
    return File(
        path=path,
        filename=download_name(number),
        media_type="application/pdf",
        content_disposition_type="inline",
    )


FILE_ROUTES: list[Any] = [instrument_file]
