"""Primary-key columns: Piccolo adds `id` to a table class at run time, where mypy cannot see it."""

from __future__ import annotations

from registry.accounts.tables import ApiToken, StoreEntry, UserAccount
from registry.organisation.tables import Official

account_pk = UserAccount._meta.primary_key
token_pk = ApiToken._meta.primary_key
entry_pk = StoreEntry._meta.primary_key
official_pk = Official._meta.primary_key
