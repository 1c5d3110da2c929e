"""Stable ids from natural keys; keyed hashes (HMAC-SHA256) for personal identifiers."""

from __future__ import annotations

import hashlib
import hmac

from guanxi.graph.model import ID_PREFIX


def pii_hash(value: str, key: bytes) -> str:
    """Return the hex HMAC-SHA256 of a personal identifier, normalised (strip, upper-case)."""
    norm = value.strip().upper().encode("utf-8")
    return hmac.new(key, norm, hashlib.sha256).hexdigest()


def node_id(label: str, natural_key: str) -> str:
    """Return the id of a node whose natural key is not personal: `<prefix>:<key>`."""
    return f"{ID_PREFIX[label]}:{natural_key.strip()}"


def pii_node_id(label: str, identifier: str, key: bytes) -> str:
    """Return the id of a node keyed by a personal identifier: prefix + 16 hex of its HMAC."""
    return f"{ID_PREFIX[label]}:{pii_hash(identifier, key)[:16]}"


def edge_key(*parts: object) -> int:
    """Return a signed 64-bit key for an edge from the parts of its natural key."""
    h = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode("utf-8"), digest_size=8)
    return int.from_bytes(h.digest(), "big", signed=True)
