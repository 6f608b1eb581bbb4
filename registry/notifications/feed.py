"""The private Atom feed of one account: a secret token in the URL, derived with HMAC."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from datetime import datetime
from xml.etree import ElementTree as ET

from registry.domain.validity import utc_string
from registry.notifications.notices import Notice
from registry.notifications.texts import notice_body, notice_title

ATOM = "http://www.w3.org/2005/Atom"


def feed_token(secret: bytes, account_id: int) -> str:
    """Stable per account; changing the session secret changes every feed URL."""
    message = f"notifications-feed:{account_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def token_holds(secret: bytes, account_id: int, token: str) -> bool:
    return hmac.compare_digest(feed_token(secret, account_id), token)


def atom_feed(
    notices: Sequence[Notice],
    *,
    title: str,
    feed_url: str,
    updated: datetime,
    grant_url: Callable[[int], str],
) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = utc_string(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url)
    for notice in notices:
        url = grant_url(notice.lineage)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = notice_title(notice)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{feed_url}#{notice.key}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = utc_string(notice.at)
        ET.SubElement(entry, f"{{{ATOM}}}link", href=url)
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = notice_body(notice, url)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
