"""Quarantine records without raw identifiers: masked text to read, the original sealed.

A rejected row is kept as `{table, file, line, reason, message, original, sealed}` in
`<store>/quarantine/<as_of>/<table>.jsonl` (file 0600, folders 0700): `message` and `original`
have every run of ten or more digits masked but the last four (身份证, phone and account
numbers), `sealed` is the original row encrypted under the quarantine key in the key folder
outside the store (`guanxi.graph.secrets.seal` / `unseal`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from guanxi.graph.pii import mask_identifiers
from guanxi.graph.secrets import open_private, private_dir, seal, unseal


def sealed_record(rec: dict[str, Any], keys: Path) -> dict[str, Any]:
    """Return the quarantine record `rec` with identifiers masked and the original sealed."""
    if "sealed" in rec:
        return rec
    original = str(rec.get("original") or "")
    return {**rec, "message": mask_identifiers(str(rec.get("message") or "")),
            "original": mask_identifiers(original), "sealed": seal(keys, original)}


def write_records(path: Path, records: Iterable[dict[str, Any]], keys: Path) -> None:
    """Write quarantine records to `path` (JSON lines, 0600 in a 0700 folder), sealed."""
    private_dir(path.parent)
    with os.fdopen(open_private(path), "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(sealed_record(rec, keys), ensure_ascii=False) + "\n")


def reveal(rec: dict[str, Any], keys: Path) -> str:
    """Return the original row of a sealed record (needs the key folder it was sealed with)."""
    return unseal(keys, rec["sealed"]) if "sealed" in rec else str(rec.get("original") or "")


def reseal_folder(root: Path, keys: Path) -> int:
    """Rewrite every quarantine file under `root` in the sealed form, with private modes;
    return how many files were rewritten (the migration of older stores)."""
    n = 0
    if not root.exists():
        return 0
    for path in sorted(root.rglob("*.jsonl")):
        recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
        tmp = path.with_suffix(".jsonl.tmp")
        write_records(tmp, recs, keys)
        os.replace(tmp, path)
        n += 1
    for d in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        private_dir(d)
    return n
