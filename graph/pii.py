"""The key for hashing personal identifiers: `GUANXI_PII_KEY`, else generated once per store."""

from __future__ import annotations

import hashlib
import secrets

from guanxi.graph.store import GraphStore, StoreError

_META = "pii_key"
_FINGERPRINT = "pii_key_fingerprint"


def pii_key(store: GraphStore, configured: str | None = None) -> bytes:
    """Return the PII hashing key for `store`, creating and saving one if none exists.

    With a configured key (env `GUANXI_PII_KEY`), only its fingerprint is kept in the store,
    and a different key than the one the store was loaded with is refused: ids would no longer
    join.
    """
    if configured:
        key = configured.encode("utf-8")
        fp = hashlib.sha256(key).hexdigest()[:16]
        old = store.get_meta(_FINGERPRINT)
        if old is None:
            store.set_meta(_FINGERPRINT, fp)
        elif old != fp:
            raise StoreError("GUANXI_PII_KEY differs from the key this store was loaded with")
        return key
    stored = store.get_meta(_META)
    if stored is None:
        stored = secrets.token_hex(32)
        store.set_meta(_META, stored)
        store.set_meta(_FINGERPRINT, hashlib.sha256(stored.encode()).hexdigest()[:16])
    return stored.encode("utf-8")
