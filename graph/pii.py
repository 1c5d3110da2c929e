"""The key for hashing personal identifiers: `GUANXI_PII_KEY`, else the key file `pii.key` in
the key folder outside the store (`guanxi.graph.secrets`). Only the key's fingerprint is kept
in the store, so a different key than the one the store was loaded with is refused (ids would
no longer join)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from guanxi.graph.secrets import key_dir, secret
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore, StoreError

LEGACY_META = "pii_key"
"""Where stores written before the key moved out kept the key itself (see `migrate`)."""
_FINGERPRINT = "pii_key_fingerprint"
MIGRATE_HINT = "run `guanxi store migrate-pii` once"


def fingerprint(key: bytes) -> str:
    """Return the 16-hex fingerprint of a key (what the store keeps)."""
    return hashlib.sha256(key).hexdigest()[:16]


def store_key_dir(store: GraphStore, key_folder: Path | str | None = None) -> Path:
    """Return the key folder for `store`: `key_folder`, `GUANXI_KEY_DIR`, else beside the
    store folder (`<store>.keys`)."""
    s = Settings()
    folder = getattr(store, "folder", None) or s.store
    return key_dir(folder, key_folder or s.key_dir)


def pii_key_for(store: GraphStore, settings: Settings) -> bytes:
    """Return the PII key for `store` under `settings` (`GUANXI_PII_KEY`, else the key file
    in `settings.key_dir`, else beside the store folder — `settings.store` for a server
    backend)."""
    folder = getattr(store, "folder", None) or settings.store
    return pii_key(store, settings.pii_key, key_dir(folder, settings.key_dir))


def pii_key(store: GraphStore, configured: str | None = None,
            key_folder: Path | str | None = None) -> bytes:
    """Return the PII hashing key for `store` (configured, else the key file, created on first
    use); refuse a key whose fingerprint differs from the store's, and a store that still
    holds its key inside (old layout: `guanxi store migrate-pii`)."""
    if store.get_meta(LEGACY_META):
        raise StoreError(f"this store keeps its PII hashing key inside (old layout): {MIGRATE_HINT}")
    key = configured.encode("utf-8") if configured else secret("pii", store_key_dir(store,
                                                                                    key_folder))
    fp = fingerprint(key)
    old = store.get_meta(_FINGERPRINT)
    if old is None:
        store.set_meta(_FINGERPRINT, fp)
    elif old != fp:
        where = "GUANXI_PII_KEY" if configured else "the key file"
        raise StoreError(f"{where} differs from the key this store was loaded with")
    return key


_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{3,}(?:[ \-]\d{3,})*[Xx]?(?![0-9A-Za-z])")


def mask_identifiers(text: str) -> str:
    """Return `text` with every number of ten or more digits (身份证, phone, account numbers,
    also written in groups of three or more digits with spaces or dashes: `138-1234-5678`)
    masked but its last four characters: `*******5678`. Dates and times (groups of two) stay."""

    def repl(m: re.Match[str]) -> str:
        digits = re.sub(r"[ \-]", "", m[0])
        if len(digits) < 10:
            return m[0]
        return "*" * (len(digits) - 4) + digits[-4:]

    return _NUMBER.sub(repl, text)


def move_key_out(store: GraphStore, key_folder: Path | str, configured: str | None = None) -> bool:
    """Move a key kept inside `store` (older layout) to the key file `pii.key` in
    `key_folder`, and delete it from the store; return False when there was none.
    A configured key (`GUANXI_PII_KEY`) different from the stored one is refused."""
    from guanxi.graph.secrets import write_key_file

    old = store.get_meta(LEGACY_META)
    if not old:
        return False
    if configured and configured != old:
        raise StoreError("GUANXI_PII_KEY differs from the key this store was loaded with")
    if not configured:
        write_key_file(key_folder, "pii", old)
    store.set_meta(_FINGERPRINT, fingerprint(old.encode("utf-8")))
    store.delete_nodes("Meta", [LEGACY_META])
    return True
