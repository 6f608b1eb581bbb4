"""E-mail the notices that are due, each once per account (stdlib smtplib).

Configured by `REGISTRY_SMTP_HOST`, `REGISTRY_SMTP_PORT` and `REGISTRY_SMTP_FROM`; without them
nothing is sent. Run from cron: `python -m registry.notifications.mail`.
"""

from __future__ import annotations

import asyncio
import os
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage

import structlog

from registry.accounts import store
from registry.accounts.authentication import actor_for_account
from registry.accounts.keys import account_pk
from registry.accounts.tables import UserAccount
from registry.grants.dashboard import acting_for
from registry.notifications.notices import Notice, notices_for
from registry.notifications.texts import notice_body, notice_title
from registry.web.i18n import use_language

log = structlog.get_logger("registry.notifications")

#: Until the `notice_sent` table exists, sent notices are remembered here (no expiry).
SENT_NAMESPACE = "notice_sent"


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    sender: str


def smtp_config(env: Mapping[str, str] | None = None) -> SmtpConfig | None:
    env = os.environ if env is None else env
    host, port, sender = (env.get(f"REGISTRY_SMTP_{k}", "") for k in ("HOST", "PORT", "FROM"))
    if not (host and port and sender):
        return None
    return SmtpConfig(host, int(port), sender)


@dataclass(frozen=True, slots=True)
class Recipient:
    account_id: int
    email: str
    language: str


async def recipients() -> list[Recipient]:
    """Active accounts linked to an official with an e-mail address."""
    rows = await UserAccount.select(
        account_pk,
        UserAccount.language,
        UserAccount.official.email.as_alias("email"),
    ).where((UserAccount.active == True) & UserAccount.official.email.is_not_null())  # noqa: E712
    return [Recipient(r["id"], r["email"], r["language"]) for r in rows if r["email"]]


def _message(notice: Notice, recipient: Recipient, sender: str, base_url: str) -> EmailMessage:
    url = f"{base_url}/grants/{notice.lineage}"
    with use_language(recipient.language):
        message = EmailMessage()
        message["Subject"] = notice_title(notice)
        message["From"] = sender
        message["To"] = recipient.email
        message["Message-ID"] = f"<{notice.key.replace(':', '.')}.{recipient.account_id}@registry>"
        message.set_content(notice_body(notice, url))
    return message


async def send_due_notifications(
    now: datetime | None = None, *, base_url: str = "", env: Mapping[str, str] | None = None
) -> int:
    """Send every notice due at `now` that was not sent before; returns how many were sent."""
    config = smtp_config(env)
    if config is None:
        return 0
    now = now or datetime.now(UTC)
    sent = 0
    for recipient in await recipients():
        actor = await actor_for_account(recipient.account_id)
        if actor is None:
            continue
        acting = await acting_for(actor, now)
        for notice in await notices_for(acting.parties, now):
            key = f"{recipient.account_id}:{notice.key}"
            if await store.get_entry(SENT_NAMESPACE, key, now) is not None:
                continue
            message = _message(notice, recipient, config.sender, base_url)
            with smtplib.SMTP(config.host, config.port, timeout=30) as smtp:
                smtp.send_message(message)
            # After the send: a crash in between means one duplicate, never a lost notice.
            await store.put_entry(SENT_NAMESPACE, key, now.isoformat().encode(), None)
            log.info("notice_mailed", account=recipient.account_id, notice=notice.key)
            sent += 1
    return sent


def main() -> None:
    import registry.piccolo_conf  # noqa: F401  (binds the tables to the configured database)
    from registry.settings import get_settings

    count = asyncio.run(send_due_notifications(base_url=get_settings().public_base_url))
    print(f"{count} notice(s) sent")


if __name__ == "__main__":
    main()
