"""API keys bound to roles (kept in SQLite beside the store), and who may call which route.

A key reads `gx_<key id>_<secret>`; only a salted SHA-256 of the secret is stored. The
route → roles table `ACCESS` is the single declaration of access control; a global
dependency enforces it for every route (no key / unknown key → 401, wrong role → 403).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request

from guanxi.api.errors import ApiError

ROLES: tuple[str, ...] = ("risk_analyst", "marketer", "investigator", "admin")
KEYS_FILE = "api_keys.sqlite3"

_ALL = frozenset(ROLES)
_RISK = frozenset({"risk_analyst", "investigator", "admin"})
_MKT = frozenset({"marketer", "admin"})
_MKT_RISK = frozenset({"marketer", "risk_analyst", "admin"})
_ADMIN = frozenset({"admin"})
_INV = frozenset({"investigator", "admin"})

PUBLIC: frozenset[str] = frozenset({"health", "explorer"})
"""Routes that need no key."""

ACCESS: dict[str, frozenset[str]] = {
    "me": _ALL,
    # entities
    "entities.search": _ALL,
    "entities.detail": _ALL,
    "entities.neighbourhood": _ALL,
    # guarantee
    "guarantee.circles": _RISK,
    "guarantee.circle": _RISK,
    "guarantee.circle_explain": _RISK,
    "guarantee.chains": _RISK,
    "guarantee.systemic": _RISK,
    # exposure
    "exposure.events": _RISK,
    "exposure.alerts": _RISK,
    # marketing
    "communities.list": frozenset({"marketer", "risk_analyst", "investigator", "admin"}),
    "communities.detail": frozenset({"marketer", "risk_analyst", "investigator", "admin"}),
    "referrals.top": _MKT,
    "referrals.of": _MKT,
    "prospects.list": _MKT,
    # supply chains
    "supply.list": _MKT_RISK,
    "supply.detail": _MKT_RISK,
    "supply.risks": frozenset({"risk_analyst", "admin"}),
    "supply.opportunities": _MKT,
    # rings, tier drops, 整村授信 (issue #19)
    "rings.list": frozenset({"risk_analyst", "investigator", "admin"}),
    "tier_drops.list": _MKT,
    "village_credit.list": frozenset({"risk_analyst", "admin"}),
    "village_credit.grants": frozenset({"marketer", "risk_analyst", "admin"}),
    # documents (NLP)
    "documents.upload": _RISK,
    "documents.list": _RISK,
    "documents.detail": _RISK,
    "records.list": _RISK,
    "records.documents": _RISK,
    # paths
    "paths.find": _ALL,
    # investigator checks (FinBench TCR1–TCR12)
    **{f"checks.tcr{k}": _INV for k in range(1, 13)},
    # admin
    "admin.keys_create": _ADMIN,
    "admin.keys_list": _ADMIN,
    "admin.keys_revoke": _ADMIN,
    "admin.audit": _ADMIN,
    "admin.audit_verify": _ADMIN,
}
"""Route name → roles allowed. Every named API route must appear here or in PUBLIC."""


@dataclass(frozen=True)
class Principal:
    """The caller behind a valid key."""

    key_id: str
    role: str
    name: str


@dataclass(frozen=True)
class NewKey:
    """A freshly created key: `key` is shown once and never stored."""

    key_id: str
    key: str
    role: str
    name: str


def _hash(salt: str, secret: str) -> str:
    return hashlib.sha256((salt + secret).encode("utf-8")).hexdigest()


class KeyStore:
    """API keys in `<store folder>/api_keys.sqlite3` (salted hashes only)."""

    def __init__(self, folder: str | Path) -> None:
        from guanxi.graph.secrets import private_dir, private_file

        self.path = Path(folder) / KEYS_FILE
        private_dir(self.path.parent)
        private_file(self.path)
        self._local = threading.local()
        self._generation = 0  # bumped by revoke(): drops every thread's verified-key cache
        with self._conn() as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS api_keys (key_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
                " role TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL,"
                " created_at TEXT NOT NULL, revoked_at TEXT)"
            )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    def add(self, role: str, name: str = "") -> NewKey:
        """Create a key for `role`; return it (the only time its secret is visible)."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(24)
        salt = secrets.token_hex(16)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self._conn() as c:
            c.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, NULL)",
                (key_id, name or role, role, salt, _hash(salt, secret), now),
            )
        return NewKey(key_id, f"gx_{key_id}_{secret}", role, name or role)

    def list(self) -> list[dict[str, Any]]:
        """Return every key's id, name, role, created_at and revoked_at (no secrets)."""
        cur = self._conn().execute(
            "SELECT key_id, name, role, created_at, revoked_at FROM api_keys ORDER BY created_at, key_id"
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def revoke(self, key_id: str) -> bool:
        """Revoke a key; return False when no active key has that id."""
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self._conn() as c:
            cur = c.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (now, key_id),
            )
        self._generation += 1
        return cur.rowcount > 0

    def verify(self, key: str) -> Principal | None:
        """Return the principal for a presented key, or None if unknown, malformed or revoked.

        Valid keys are remembered per thread until the key table changes: SQLite's
        `data_version` moves when another connection (any process) commits, `revoke` here
        bumps a generation, so a revocation counts from the next request on.
        """
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != "gx" or len(parts[1]) != 12:
            return None
        conn = self._conn()
        version = (conn.execute("PRAGMA data_version").fetchone()[0], self._generation)
        cache: dict[str, Principal] | None = getattr(self._local, "verified", None)
        if cache is None or self._local.version != version:
            cache = self._local.verified = {}
            self._local.version = version
        hit = cache.get(key)
        if hit is not None:
            return hit
        p = self._lookup(conn, parts[1], parts[2])
        if p is not None and len(cache) < 10_000:
            cache[key] = p
        return p

    def _lookup(self, conn: sqlite3.Connection, key_id: str, secret: str) -> Principal | None:
        row = (
            conn
            .execute(
                "SELECT salt, hash, role, name FROM api_keys WHERE key_id = ? AND revoked_at IS NULL",
                (key_id,),
            )
            .fetchone()
        )
        if row is None:
            return None
        salt, digest, role, name = row
        if not hmac.compare_digest(_hash(salt, secret), digest):
            return None
        return Principal(key_id, role, name)


def principal_of(request: Request) -> Principal | None:
    """Return the principal the middleware resolved for this request (None without a valid key)."""
    p = request.scope.get("state", {}).get("principal")
    return p if isinstance(p, Principal) else None


def role_of(request: Request) -> str | None:
    """Return the caller's role, or None."""
    p = principal_of(request)
    return p.role if p else None


async def enforce_access(request: Request) -> None:
    """Global dependency: apply `ACCESS` to the matched route (401 / 403)."""
    route = request.scope.get("route")
    name = getattr(route, "name", None)
    if name in PUBLIC:
        return
    allowed = ACCESS.get(name or "")
    if allowed is None:  # a route nobody declared: deny rather than expose
        raise ApiError(403, "forbidden", f"route {name!r} has no access rule")
    p = principal_of(request)
    if p is None:
        if request.headers.get("x-api-key"):
            raise ApiError(401, "unauthorized", "invalid or revoked API key")
        raise ApiError(401, "unauthorized", "missing X-API-Key header")
    if p.role not in allowed:
        raise ApiError(403, "forbidden", f"role {p.role} may not call {name}")
