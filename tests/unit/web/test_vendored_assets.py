"""The vendored front-end files are exactly the released ones we reviewed, and no CDN is used."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT / "registry" / "static" / "vendor"

# Computed once from the npm tarballs htmx.org@4.0.1 and @picocss/pico@2.1.1. Upgrading a file
# means reviewing the new release and changing its digest here and in SHA384SUMS.
PINNED_SHA384 = {
    "htmx.min.js": "Qp9rdC8H7EqOoX+nR0P3RPG2Noji+qdwJlGpfzwQJsfOpp3sGwIdSP9xO3+UlEhn",
    "pico.classless.min.css": "NZhm4G1I7BpEGdjDKnzEfy3d78xvy7ECKUwwnKTYi036z42IyF056PbHfpQLIYgL",
}


def sha384_base64(path: Path) -> str:
    return base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode("ascii")


@pytest.mark.parametrize(("name", "digest"), sorted(PINNED_SHA384.items()))
def test_vendored_file_matches_its_pinned_sha384(name: str, digest: str) -> None:
    assert sha384_base64(VENDOR / name) == digest


def test_sha384sums_lists_the_pinned_digests() -> None:
    listed = {}
    for line in (VENDOR / "SHA384SUMS").read_text().splitlines():
        digest, name = line.split()
        listed[name] = digest.removeprefix("sha384-")
    assert listed == PINNED_SHA384


def test_vendored_versions_are_the_ones_we_chose() -> None:
    assert b"this.version = '4.0.1'" in (VENDOR / "htmx.min.js").read_bytes() or re.search(
        rb"version\s*=\s*[\"']4\.0\.1[\"']", (VENDOR / "htmx.min.js").read_bytes()
    )
    assert b"Pico CSS" in (VENDOR / "pico.classless.min.css").read_bytes()
    assert b"v2.1.1" in (VENDOR / "pico.classless.min.css").read_bytes()


@pytest.mark.parametrize("license_file", ["htmx.LICENSE", "pico.LICENSE.md"])
def test_vendored_licences_are_kept(license_file: str) -> None:
    assert (VENDOR / license_file).read_text().strip()


def _front_end_files() -> list[Path]:
    files = [*(ROOT / "templates").rglob("*.html")]
    files += [*(ROOT / "registry" / "static" / "css").rglob("*.css")]
    files += [*(ROOT / "registry" / "static" / "js").rglob("*.js")]
    return sorted(files)


#: Documents written into files (the evidence bundle's summary, rendered to HTML and PDF) are
#: never served under the site's CSP and must carry their own styles to be readable offline.
STANDALONE_DOCUMENTS = {"templates/cases/summary.html"}


@pytest.mark.parametrize("path", _front_end_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_cdn_inline_script_or_inline_style(path: Path) -> None:
    text = path.read_text()
    standalone = str(path.relative_to(ROOT)) in STANDALONE_DOCUMENTS
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text), "external asset"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline script (CSP)"
    assert standalone or not re.search(r"<style\b", text), "inline <style> (CSP)"
    assert not re.search(r"\sstyle\s*=", text), "style attribute (CSP)"
    assert not re.search(r"\shx-on[:-]", text), "hx-on needs unsafe-eval under CSP"
