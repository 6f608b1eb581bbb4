"""Due notices go out by e-mail through a real SMTP server, one message per notice, only once."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest

from registry.accounts.actor import SYSTEM
from registry.accounts.authentication import actor_for_account
from registry.accounts.services import create_account
from registry.grants.dashboard import acting_for
from registry.grants.services import make_grant
from registry.notifications.mail import send_due_notifications
from registry.notifications.notices import notices_for
from tests.integration.leaders.conftest import local_day

pytestmark = pytest.mark.usefixtures("demo")


class SmtpSink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server (RFC 5321 commands a client sends) that keeps every message."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.messages: list[Message] = []


class _SmtpSession(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        server = self.server
        assert isinstance(server, SmtpSink)
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                self.reply("250 sink")
            elif verb.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                body = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                server.messages.append(message_from_bytes(bytes(body)))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


async def test_each_due_notice_is_mailed_once_through_smtp(
    database: Any, smtp_sink: SmtpSink
) -> None:
    account = await create_account(
        "chutich", "a long enough passphrase 2026", [("leader", "UBND-T")], official_code="CB-0001"
    )
    await make_grant(
        {
            "power": "XD-03",
            "kind": "authorization",
            "grantor": "position:UBND-T.CT",
            "grantee": "position:SXD.GD",
            "territory": "UBND-T",
            "sectors": "xay_dung",
            "act_types": "quyet_dinh_xu_phat",
            "amount_ceiling": "500000000",
            "valid_from": local_day(0),
            "valid_to": local_day(5),
            "instrument": "79/GUQ-UBND",
            "instrument_type": "authorization_letter",
            "instrument_signed_at": local_day(0),
        },
        SYSTEM,
    )
    now = datetime.now(UTC)
    env = {
        "REGISTRY_SMTP_HOST": "127.0.0.1",
        "REGISTRY_SMTP_PORT": str(smtp_sink.server_address[1]),
        "REGISTRY_SMTP_FROM": "so-dang-ky@songlam.gov.vn",
    }
    actor = await actor_for_account(account.id)
    assert actor is not None
    expected = {n.key for n in await notices_for((await acting_for(actor, now)).parties, now)}
    assert any(key.startswith("expiring-7:") for key in expected)

    first = await send_due_notifications(now, base_url="https://registry.example", env=env)
    again = await send_due_notifications(now, base_url="https://registry.example", env=env)

    assert first == len(expected)
    assert again == 0
    assert len(smtp_sink.messages) == len(expected)
    assert {m["To"] for m in smtp_sink.messages} == {"haihc.0001@songlam.gov.vn"}
    assert len({m["Message-ID"] for m in smtp_sink.messages}) == len(expected)
    body = "".join(str(m.get_payload(decode=True), "utf-8") for m in smtp_sink.messages)
    assert "https://registry.example/grants/" in body


async def test_nothing_is_sent_without_smtp_settings(database: Any) -> None:
    assert await send_due_notifications(datetime.now(UTC), env={}) == 0
