"""No raw identifier or key at rest: a generated county (with corrupt rows) is loaded,
its documents ingested and the API queried with raw 身份证, phone and account numbers; then no
file under the store (graph, audit, keys table, quarantine) holds any of them or the hashing
key, and every file is 0600, every folder 0700."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

from guanxi.api.settings import ApiSettings
from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.load import load_extract
from guanxi.loaders.quarantine import reveal
from tests.api import fixture_graph
from tests.api.conftest import serve

try:  # the generator's home before and after its move to loaders/synthetic
    from guanxi.loaders.synthetic.generate import generate_county
except ImportError:  # pragma: no cover
    from guanxi.loaders.generate import generate_county  # type: ignore[no-redef]


def _column(path: Path, *names: str) -> set[str]:
    with path.open(encoding="utf-8") as fh:
        return {r[n].strip() for r in csv.DictReader(fh) for n in names
                if r.get(n) and len(r[n].strip()) >= 11}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    root = tmp_path_factory.mktemp("rest")
    extract = root / "extract"
    generate_county(extract, households=100, seed=3, corrupt=0.05)
    raw = (_column(extract / "persons.csv", "id_number", "phone")
           | _column(extract / "accounts.csv", "account_no")
           | _column(extract / "enterprises.csv", "legal_rep_id"))
    assert len(raw) > 500
    folder = root / "store"
    settings = Settings(store=folder)
    store = EmbeddedStore(folder, buffer_pool_mb=256, query_timeout_s=10)
    rep = load_extract(store, extract, settings=settings)
    assert rep.rejected > 0  # the quarantine has rows to check
    if (extract / "documents").exists():
        from guanxi.nlp.ingest import ingest_documents

        ingest_documents(store, [extract / "documents"], settings=settings)
    facts = fixture_graph.Facts(persons={}, companies={}, circle="K:x", circle_members=(),
                                record="N:x", document="D:x", community="Y:x", chain="Z:x",
                                person_a="P:x", person_b="P:y", company="C:x", planted=False)
    live = serve(store, folder, ApiSettings(rate_per_s=10_000, burst=10_000), facts,
                 close_store=True)
    try:
        probes = sorted(raw)[:40]
        for role in ("marketer", "admin"):
            with live.client(role) as c:
                for q in probes:
                    assert c.get("/entities/search", params={"q": q}).status_code == 200
                    c.get(f"/entities/A:{q}")
                c.get("/admin/audit", params={"limit": 200})
    finally:
        live.stop()
    return folder, root / "store.keys", raw


def _files(folder: Path) -> list[Path]:
    return [f for f in folder.rglob("*") if f.is_file()]


def test_no_raw_identifier_or_key_under_the_store(loaded: tuple[Path, Path, set[str]]) -> None:
    folder, keys, raw = loaded
    files = _files(folder)
    assert any(f.parent.parent.name == "quarantine" for f in files)
    assert (folder / "audit.sqlite3").exists() and (folder / "graph.kz").exists()
    pii_key = (keys / "pii.key").read_bytes().strip()
    secrets = [(keys / f).read_bytes().strip() for f in ("pii.key", "audit.key",
                                                         "quarantine.key")]
    bad = []
    for f in [*files, *_files(keys)]:
        data = f.read_bytes()
        bad += [f"{f.name}: {r}" for r in raw if r.encode() in data]
        if f.parent == folder or folder in f.parents:
            bad += [f"{f.name}: a key" for s in secrets if s in data]
    assert not bad, bad[:10]
    assert len(pii_key) == 64


def test_quarantine_keeps_the_original_sealed(loaded: tuple[Path, Path, set[str]]) -> None:
    import json

    folder, keys, _ = loaded
    q = next(f for f in _files(folder) if f.parent.parent.name == "quarantine"
             and f.name == "persons.jsonl")
    rec = json.loads(q.read_text(encoding="utf-8").splitlines()[0])
    assert set(rec) >= {"table", "line", "reason", "message", "original", "sealed"}
    assert reveal(rec, keys).count(",") >= rec["original"].count(",")


def test_files_are_private(loaded: tuple[Path, Path, set[str]]) -> None:
    folder, keys, _ = loaded
    for d in [folder, keys, *(p for p in folder.rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d
    for f in [*_files(folder), *_files(keys)]:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
