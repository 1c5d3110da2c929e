"""Secrets kept outside the store: the PII hashing key and the audit key.

A secret comes from the environment (`GUANXI_PII_KEY`, `GUANXI_AUDIT_KEY`) or from a key file
`<key dir>/<name>.key`, created on first use with 32 random bytes (hex) and mode 0600 in a
folder of mode 0700. The key dir is `GUANXI_KEY_DIR`, by default the store folder's sibling
`<store>.keys/` — never inside the store, so whoever copies the store folder does not hold
the keys. Files under the store and the quarantine are created 0600 / folders 0700
(`private_dir`, `private_file`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

KEY_DIR_SUFFIX = ".keys"
DIR_MODE = 0o700
FILE_MODE = 0o600


class SecretError(RuntimeError):
    """A key file is unreadable, malformed, or not private."""


def key_dir(store: Path | str, configured: Path | str | None = None) -> Path:
    """Return the folder of the key files: `configured`, else `<store>.keys` beside the store."""
    if configured:
        return Path(configured)
    p = Path(store)
    return p.parent / (p.name + KEY_DIR_SUFFIX)


def private_dir(path: Path | str) -> Path:
    """Create `path` (and missing parents) with mode 0700 where this call creates it; tighten
    an existing folder to 0700; return it."""
    p = Path(path)
    missing = []
    q = p
    while not q.exists():
        missing.append(q)
        q = q.parent
    p.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    for m in (*missing, p):
        with contextlib.suppress(OSError):
            os.chmod(m, DIR_MODE)
    return p


def private_file(path: Path | str) -> Path:
    """Create `path` empty with mode 0600 if missing, else tighten its mode to 0600; return it."""
    p = Path(path)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    os.close(fd)
    os.chmod(p, FILE_MODE)
    return p


def open_private(path: Path | str, mode: str = "w") -> int:
    """Return an OS file descriptor for writing `path` with mode 0600 (`w` truncates, `a`
    appends)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if mode == "w" else os.O_APPEND)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def secret(name: str, folder: Path | str, env_value: str | None = None) -> bytes:
    """Return the secret `name`: `env_value` when given, else the contents of
    `<folder>/<name>.key`, created (0600, folder 0700) with a fresh random key if missing."""
    if env_value:
        return env_value.encode("utf-8")
    d = private_dir(folder)
    path = d / f"{name}.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
    return read_key_file(path)


def read_key_file(path: Path) -> bytes:
    """Return the key in `path`, refusing a file others may read (mode wider than 0600)."""
    try:
        st = path.stat()
        if st.st_mode & 0o077:
            raise SecretError(f"{path}: key file must be private (chmod 600), is "
                              f"{oct(st.st_mode & 0o777)}")
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretError(f"{path}: cannot read the key file ({exc.strerror})") from None
    if not text:
        # another process created it and is writing it now
        import time

        for _ in range(50):
            time.sleep(0.02)
            text = path.read_text(encoding="utf-8").strip()
            if text:
                break
        else:
            raise SecretError(f"{path}: key file is empty")
    return text.encode("utf-8")


def write_key_file(folder: Path | str, name: str, value: str) -> Path:
    """Write `value` as the key `name` in `folder` (0600), refusing to replace a different key;
    return the file's path (used by the migration of old stores)."""
    d = private_dir(folder)
    path = d / f"{name}.key"
    if path.exists():
        if read_key_file(path).decode("utf-8") != value:
            raise SecretError(f"{path} already holds a different key")
        return path
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _fernet(folder: Path | str) -> Any:
    import base64

    from cryptography.fernet import Fernet

    raw = secret("quarantine", folder)
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"quarantine|" + raw).digest()))


def seal(folder: Path | str, text: str) -> str:
    """Return `text` encrypted (Fernet: AES-CBC + HMAC) under the quarantine key in `folder`."""
    token: bytes = _fernet(folder).encrypt(text.encode("utf-8"))
    return token.decode("ascii")


def unseal(folder: Path | str, token: str) -> str:
    """Return the text `seal` encrypted (needs the same key folder)."""
    data: bytes = _fernet(folder).decrypt(token.encode("ascii"))
    return data.decode("utf-8")


def scrub_bytes(folder: Path | str, value: bytes) -> list[Path]:
    """Overwrite every occurrence of `value` in the files under `folder` with as many `0`
    bytes; return the files changed. For a secret deleted from a closed store whose database
    kept the dead bytes in freed pages (kuzu does): same length, so no structure moves."""
    changed = []
    for f in Path(folder).rglob("*"):
        if not f.is_file():
            continue
        data = f.read_bytes()
        if value in data:
            f.write_bytes(data.replace(value, b"0" * len(value)))
            changed.append(f)
    return changed
