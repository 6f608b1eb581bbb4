"""Tables for the public ledger: entries, stored Merkle nodes and signed checkpoints."""

from __future__ import annotations

from piccolo.columns import BigInt, Integer, Serial, Text, Varchar
from piccolo.constraints import Check, Unique
from piccolo.table import Table


class LedgerEntry(Table, tablename="ledger_entry"):
    """One public, append-only event. Triggers refuse UPDATE and DELETE on both engines."""

    id: Serial  # added by Piccolo; declared for the type checker

    #: 0-based, contiguous; the entry's position in the Merkle tree.
    idx = BigInt(unique=True, null=False)
    #: Fixed-width UTC string `YYYY-MM-DDTHH:MM:SSZ`, hashed as it is stored.
    recorded_at = Varchar(length=20, null=False)
    event_type = Varchar(length=40, null=False)
    #: Canonical JSON of the public fields (sorted keys, NFC, no floats).
    payload = Text(null=False)
    #: SHA-256(0x00 || entry bytes), hex; unique, the ledger's last guard with the index.
    leaf_hash = Varchar(length=64, unique=True, null=False)
    #: Filter columns copied from the payload so searches use indexes.
    power_code = Varchar(length=40, null=False, default="")
    unit_code = Varchar(length=40, null=False, default="")
    sector = Varchar(length=40, null=False, default="")
    grant_kind = Varchar(length=20, null=False, default="")
    #: Grant status or act verdict (`signer_not_holding_position` is 27 characters).
    status = Varchar(length=40, null=False, default="")
    #: The grant an event is about (not indexed: no query reads the ledger by grant).
    grant_lineage = Integer(null=True, default=None)
    act_id = Integer(null=True, default=None)
    #: The entry this one corrects, if it is a correction.
    corrects_idx = BigInt(null=True, default=None)
    #: Text folded for search: lower case, no diacritics, đ as d.
    search_text = Text(null=False, default="")

    ledger_index_not_negative = Check("idx >= 0")


class MerkleNode(Table, tablename="merkle_node"):
    """A perfect subtree hash: level L, index i covers leaves [i*2^L, (i+1)*2^L)."""

    id: Serial  # added by Piccolo; declared for the type checker

    level = Integer(null=False)
    idx = BigInt(null=False)
    hash = Varchar(length=64, null=False)

    merkle_node_unique = Unique(["level", "idx"])


class Checkpoint(Table, tablename="checkpoint"):
    """A signed tree head in the C2SP signed-note format; every checkpoint is kept."""

    id: Serial  # added by Piccolo; declared for the type checker

    tree_size = BigInt(unique=True, null=False)
    root_hash = Varchar(length=64, null=False)
    note = Text(null=False)
    signed_at = Varchar(length=20, null=False)
