"""neo4j-admin import files from an extract: consistent with the model and the documented
header format, and holding the graph the loader writes (embedded store, and over Bolt)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pytest

from guanxi.graph.model import NODES, RELS
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore
from guanxi.loaders.errors import LoadError
from guanxi.loaders.import_files import ImportFiles, export_import_files
from guanxi.loaders.load import load_extract
from guanxi.loaders.synthetic.generate import generate_county
from tests.conftest import make_store

KEY = "import-files-test"
TYPES = {"string": pa.string(), "double": pa.float64(), "long": pa.int64(),
         "boolean": pa.bool_(), "string[]": pa.string()}
FIELD = re.compile(r"^([a-z_][a-z0-9_]*):(string|double|long|boolean|string\[\])$")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county") / "extract"
    generate_county(out, 200, seed=5, corrupt=0.02)
    return out


@pytest.fixture(scope="module")
def exported(county: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ImportFiles]:
    out = tmp_path_factory.mktemp("import") / "files"
    home = tmp_path_factory.mktemp("target")
    res = export_import_files(county, out, settings=Settings(store=home / "store", pii_key=KEY))
    return out, res


def _read(out: Path, header_file: str, data_file: str) -> tuple[list[str], pa.Table]:
    """Read a header + data pair the way neo4j-admin documents them: typed columns, an empty
    cell is no property, a quoted empty string is an empty string."""
    header = (out / header_file).read_text(encoding="utf-8").rstrip("\n").split(",")
    names = [h.split(":", 1)[0] or h for h in header]
    types: dict[str, pa.DataType] = {}
    for h, n in zip(header, names, strict=True):
        t = h.split(":", 1)[1] if ":" in h[1:] and not h.startswith(":") else "string"
        types[n] = TYPES.get(t, pa.string())
    table = pcsv.read_csv(
        out / data_file,
        pcsv.ReadOptions(column_names=names),
        convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=True,
                                            quoted_strings_can_be_null=False),
    )
    return header, table


def _files(out: Path, res: ImportFiles) -> dict[str, tuple[list[str], pa.Table]]:
    return {f.name: _read(out, f.header, f.data) for f in res.files}


def test_headers_follow_the_documented_format_and_the_model(
    exported: tuple[Path, ImportFiles],
) -> None:
    out, res = exported
    files = _files(out, res)
    assert {f.kind for f in res.files} == {"nodes", "relationships"}
    for f in res.files:
        header, table = files[f.name]
        assert table.num_rows == f.rows > 0
        if f.kind == "nodes":
            nt = NODES[f.name]
            assert header[0] == f"id:ID({f.name})" and header[-1] == ":LABEL"
            props = header[1:-1]
            assert [p.split(":")[0] for p in props] == [p.name for p in nt.props]
            assert set(table[":LABEL"].to_pylist()) == {f.name}
        else:
            rel, pair = f.name.split(".")
            src, dst = pair.split("-")
            rt = RELS[rel]
            assert (src, dst) in rt.pairs
            assert header[:3] == [f":START_ID({src})", f":END_ID({dst})", "key:long"]
            assert header[-1] == ":TYPE"
            props = header[3:-1]
            assert [p.split(":")[0] for p in props] == [p.name for p in rt.props]
            assert set(table[":TYPE"].to_pylist()) == {rel}
        for p in props:
            assert FIELD.match(p), p


def test_every_relationship_endpoint_exists_and_ids_are_unique(
    exported: tuple[Path, ImportFiles],
) -> None:
    out, res = exported
    files = _files(out, res)
    ids: dict[str, set[str]] = {}
    for f in res.files:
        if f.kind == "nodes":
            col = files[f.name][1]["id"]
            assert col.null_count == 0 and len(pc.unique(col)) == len(col)
            ids[f.name] = set(col.to_pylist())
    keys: dict[str, set[int]] = {}
    for f in res.files:
        if f.kind != "relationships":
            continue
        rel, pair = f.name.split(".")
        src, dst = pair.split("-")
        _, t = files[f.name]
        assert set(t.column(0).to_pylist()) <= ids[src], f.name
        assert set(t.column(1).to_pylist()) <= ids[dst], f.name
        k = t["key"].to_pylist()
        assert None not in k
        before = keys.setdefault(rel, set())
        assert not before & set(k), f"{rel}: a key in two files"
        before |= set(k)
        assert len(set(k)) == len(k)


def test_script_imports_every_file(exported: tuple[Path, ImportFiles]) -> None:
    out, res = exported
    script = (out / "neo4j-admin-import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin" in script and "database" in script and "full" in script
    for f in res.files:
        flag = "--nodes" if f.kind == "nodes" else "--relationships"
        assert f"{flag}={f.header},{f.data}" in script
    report = json.loads((out / "import-report.json").read_text(encoding="utf-8"))
    load = report["load"]
    for t in load["tables"].values():
        assert t["loaded"] + t["rejected"] == t["read"]
    assert load["rejected"] > 0  # the county is generated with corrupt rows
    assert (out / "quarantine").is_dir() and not (out / ".scratch").exists()


def _same_as_store(out: Path, res: ImportFiles, st: GraphStore) -> None:
    files = _files(out, res)
    counts = st.counts()
    for label, n in res.nodes.items():
        assert counts[label] == n, label
    for rel, n in res.relationships.items():
        assert counts[rel] == n, rel
    assert {k for k, v in counts.items() if v} == set(res.nodes) | {
        r for r, n in res.relationships.items() if n}
    for f in res.files:
        _, t = files[f.name]
        if f.kind == "nodes":
            if f.name == "Meta":
                assert st.get_meta("pii_key_fingerprint") in t["value"].to_pylist()
                continue
            nt = NODES[f.name]
            want = st.export_nodes(f.name).sort_by("id")
            got = t.sort_by("id")
            assert got["id"].to_pylist() == want["id"].to_pylist()
            cols = [p for p in nt.props]
        else:
            rel, pair = f.name.split(".")
            src, dst = pair.split("-")
            rt = RELS[rel]
            e = st.export_edges(rel)
            want = e.filter(pc.and_(pc.equal(e["src_label"], src),
                                    pc.equal(e["dst_label"], dst))).sort_by("key")
            got = t.sort_by("key")
            assert got["key"].to_pylist() == want["key"].to_pylist(), f.name
            assert got.column(0).to_pylist() == want["src"].to_pylist(), f.name
            assert got.column(1).to_pylist() == want["dst"].to_pylist(), f.name
            cols = list(rt.props)
        for p in cols:
            w = want[p.name].to_pylist()
            g = got[p.name].to_pylist()
            if p.type == "STRING[]":
                w = [";".join(v) if v else None for v in w]
            assert g == w, f"{f.name}.{p.name}"


def test_files_hold_what_the_loader_writes_into_the_embedded_store(
    county: Path, exported: tuple[Path, ImportFiles], tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    out, res = exported
    st = make_store("embedded", request, tmp_path)
    try:
        load_extract(st, county, settings=Settings(store=tmp_path / "store", pii_key=KEY))
        _same_as_store(out, res, st)
    finally:
        st.close()


def test_files_hold_what_the_loader_writes_over_bolt(
    county: Path, exported: tuple[Path, ImportFiles], tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """The same extract loaded over Bolt (a real ArcadeDB server, the Neo4j backend's test
    server) holds the same ids, keys and properties as the import files."""
    out, res = exported
    st = make_store("arcadedb", request, tmp_path)
    try:
        load_extract(st, county, settings=Settings(store=tmp_path / "store", pii_key=KEY))
        _same_as_store(out, res, st)
    finally:
        st.clear()
        st.close()


def test_refuses_a_folder_that_holds_import_files(
    county: Path, exported: tuple[Path, ImportFiles], tmp_path: Path,
) -> None:
    out, _ = exported
    with pytest.raises(LoadError, match="already holds import files"):
        export_import_files(county, out, settings=Settings(store=tmp_path / "s", pii_key=KEY))


def test_cli_export_import(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "files"
    env_store = tmp_path / "store"
    p = subprocess.run(
        [sys.executable, "-m", "guanxi.cli", "--store", str(env_store), "store",
         "export-import", str(county), str(out), "--json"],
        capture_output=True, text=True, check=False,
        env={**__import__("os").environ, "GUANXI_PII_KEY": KEY},
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["nodes"]["Person"] > 0 and data["command"][:4] == [
        "neo4j-admin", "database", "import", "full"]
    bad = subprocess.run(
        [sys.executable, "-m", "guanxi.cli", "store", "export-import", str(tmp_path / "nope"),
         str(tmp_path / "x")], capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
