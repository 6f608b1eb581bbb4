"""The printable certificate of a grant: an HTML print view and an A4 PDF, with a QR code that
opens the grant's public ledger entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import segno
from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from registry.authz.guard import PUBLIC_ROUTE, actor_of
from registry.grants.queries import GrantDetailView, grant_detail
from registry.grants.views import Names, chain_parties, chain_units, load_names
from registry.organisation.tables import Instrument
from registry.settings import Settings

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "registry.css"


@dataclass(frozen=True, slots=True)
class InstrumentFacts:
    number: str
    type: str
    title_vi: str
    signed_at: datetime | None
    file_sha256: str | None


@dataclass(frozen=True, slots=True)
class Certificate:
    detail: GrantDetailView
    names: Names
    instrument: InstrumentFacts | None
    ledger_url: str | None
    qr_svg: str
    issued_at: datetime


def qr_svg(url: str) -> str:
    """Inline SVG (no image request, nothing for CSP to refuse), readable when printed small."""
    return str(segno.make(url, error="m").svg_inline(scale=3, title=url))


async def certificate_of(grant_id: int, base_url: str, ledger_path: str | None) -> Certificate:
    detail = await grant_detail(grant_id)
    grant = detail.grant
    names = await load_names(
        chain_parties(detail.chain) | {grant.grantor, grant.grantee},
        {grant.power},
        set(grant.territory) | chain_units(detail.chain),
    )
    instrument = None
    if grant.instrument:
        row = (
            await Instrument.select(
                Instrument.number,
                Instrument.type,
                Instrument.title_vi,
                Instrument.signed_at,
                Instrument.file_sha256,
            )
            .where(Instrument.number == grant.instrument)
            .first()
        )
        if row is not None:
            instrument = InstrumentFacts(
                row["number"], row["type"], row["title_vi"], row["signed_at"], row["file_sha256"]
            )
    ledger_url = f"{base_url}{ledger_path}" if ledger_path else None
    return Certificate(
        detail,
        names,
        instrument,
        ledger_url,
        qr_svg(ledger_url) if ledger_url else "",
        datetime.now(UTC),
    )


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state["settings"]
    return settings


async def _model(request: Request[Any, Any, Any], grant_id: int) -> Certificate:
    detail_index = (await grant_detail(grant_id)).versions[0].ledger_index
    path = (
        request.app.route_reverse("ledger:entry", index=detail_index)
        if detail_index is not None
        else None
    )
    return await certificate_of(grant_id, _settings(request).public_base_url, path)


@get("/grants/{grant_id:int}/certificate", name="grants:certificate", opt=PUBLIC_ROUTE)
async def certificate_page(request: Request[Any, Any, Any], grant_id: FromPath[int]) -> Template:
    """The certificate as a page to print (the browser's print dialog gives A4)."""
    actor = actor_of(request)
    return Template(
        "grants/certificate.html",
        context={
            "certificate": await _model(request, grant_id),
            "pdf": False,
            "current_user": actor if actor.username else None,
        },
    )


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Everything the certificate needs is inline; never let a URL in a name fetch anything.
    raise ValueError(f"not fetched: {url}")


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=_no_fetch)
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    return pdf


@get("/grants/{grant_id:int}/certificate.pdf", name="grants:certificate_pdf", opt=PUBLIC_ROUTE)
async def certificate_pdf(
    request: Request[Any, Any, Any], grant_id: FromPath[int]
) -> Response[bytes]:
    """The same certificate as an A4 PDF (WeasyPrint), in the page's language."""
    import anyio

    model = await _model(request, grant_id)
    engine = request.app.template_engine
    assert engine is not None
    html = engine.get_template("grants/certificate.html").render(
        certificate=model, pdf=True, request=request, csrf_input=""
    )
    pdf = await anyio.to_thread.run_sync(render_pdf, html)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="grant-{grant_id}.pdf"'},
    )


CERTIFICATE_ROUTES = [certificate_page, certificate_pdf]
