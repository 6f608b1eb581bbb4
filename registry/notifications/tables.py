"""Proposed table (not yet registered in `registry/tables.py`, no migration yet): the notices
already sent by e-mail. Until it exists, `mail.py` remembers them in the shared key-value store."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.constraints import Unique
from piccolo.table import Table

from registry.accounts.tables import UserAccount


class NoticeSent(Table, tablename="notice_sent"):
    """One notice mailed to one account; the unique pair makes sending idempotent."""

    id: Serial  # added by Piccolo; declared for the type checker

    account = ForeignKey(UserAccount, null=False, on_delete=OnDelete.cascade)
    #: `Notice.key`, e.g. `expiring-7:42` or `source_revoked:18:20:2026-03-10T00:00:00+00:00`.
    notice_key = Varchar(length=200, null=False)
    sent_at = Timestamptz(null=False)

    notice_sent_once = Unique(["account", "notice_key"])
