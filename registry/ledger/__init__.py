"""Public append-only ledger: canonical entries, RFC 9162 Merkle tree and signed checkpoints."""
