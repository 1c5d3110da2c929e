"""Import files for `neo4j-admin database import full`: the initial bulk load of a large graph.

A province's first load (tens of millions of customers, billions of transfers) is too slow
over Bolt; Neo4j's offline importer writes its store files directly from CSV. This module
writes those CSV files from a bank extract so that the imported graph is the graph the
loader would have written over Bolt: the same ids, keyed hashes, edge keys and properties.

How: the extract is loaded by the loader itself (`load_extract`, unchanged: validation,
quarantine, ids) into a scratch embedded store under `<out>/.scratch`, then every label and
relationship (per endpoint-label pair) is written out and the scratch store removed. There
is no second implementation of the mapping to drift from the first.

Layout of `<out>` (header and data in separate files, as neo4j-admin's documentation shows;
more data files of the same header can be added for other counties):

    nodes/<Label>.header.csv            id:ID(<Label>),<prop>[:<type>],…,:LABEL
    nodes/<Label>.csv
    relationships/<TYPE>.<From>-<To>.header.csv   :START_ID(<From>),:END_ID(<To>),key:long,…,:TYPE
    relationships/<TYPE>.<From>-<To>.csv
    neo4j-admin-import.sh               the `neo4j-admin database import full` command
    import-report.json                  counts per file, the load report (read/loaded/rejected)
    quarantine/<as_of>/<table>.jsonl    rejected rows, as `guanxi load` writes them

Each label is its own ID space (`:ID(Person)`, `:START_ID(Person)`), the id is stored in the
`id` property (`--id-type=string`), model types map to `string`, `double`, `long`, `boolean`
and `string[]` (`;`-separated; the loader's only list property, `tags`, is split on `;`).
An empty cell is an absent property (what the Bolt backend's `SET n += row` leaves out for a
null); a quoted empty string is an empty string.
"""

from __future__ import annotations

import csv
import json
import shlex
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from guanxi.graph.model import NODE_TYPES, REL_TYPES, Prop
from guanxi.graph.progress import Progress
from guanxi.graph.progress import report as report_progress
from guanxi.graph.secrets import key_dir
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore
from guanxi.loaders.errors import LoadError
from guanxi.loaders.load import LoadReport, load_extract

NEO4J_TYPES: dict[str, str] = {
    "STRING": "string",
    "DOUBLE": "double",
    "INT64": "long",
    "BOOL": "boolean",
    "STRING[]": "string[]",
}
"""Model property type → neo4j-admin header type."""

ARRAY_DELIMITER = ";"
EMBEDDED_ONLY_META = frozenset({"model_fingerprint"})
"""Meta entries that describe the embedded store's own tables, not the graph."""
SCRATCH = ".scratch"


@dataclass
class ImportFile:
    """One header + data file pair: what it holds and how many rows."""

    kind: str
    """`nodes` or `relationships`."""
    name: str
    """Label, or `TYPE.From-To`."""
    header: str
    data: str
    rows: int


@dataclass
class ImportFiles:
    """What `write_import_files` wrote: the files, counts per label and type, the command."""

    out: str
    files: list[ImportFile] = field(default_factory=list)
    nodes: dict[str, int] = field(default_factory=dict)
    """Nodes per label (Meta aside)."""
    relationships: dict[str, int] = field(default_factory=dict)
    """Relationships per type."""
    multiline: bool = False
    load: dict[str, Any] | None = None

    def command(self, database: str = "neo4j") -> list[str]:
        """Return the `neo4j-admin database import full` argument list for these files
        (paths relative to the output folder)."""
        args = ["neo4j-admin", "database", "import", "full", "--id-type=string",
                f"--array-delimiter={ARRAY_DELIMITER}"]
        if self.multiline:
            args.append("--multiline-fields=true")
        for f in self.files:
            flag = "--nodes" if f.kind == "nodes" else "--relationships"
            args.append(f"{flag}={f.header},{f.data}")
        args.append(database)
        return args

    def to_dict(self) -> dict[str, Any]:
        """Return the files, counts and command as JSON-ready data."""
        return {"out": self.out, "files": [asdict(f) for f in self.files],
                "nodes": self.nodes, "relationships": self.relationships, "multiline": self.multiline,
                "command": self.command(), "load": self.load}


def node_header(label: str, props: tuple[Prop, ...]) -> list[str]:
    """Return the header fields of a node file of `label`: `id:ID(<label>)`, typed
    properties, `:LABEL`.

    >>> node_header("Loan", (Prop("amount", "DOUBLE"), Prop("status")))
    ['id:ID(Loan)', 'amount:double', 'status:string', ':LABEL']
    """
    return [f"id:ID({label})", *(f"{p.name}:{NEO4J_TYPES[p.type]}" for p in props), ":LABEL"]


def rel_header(src_label: str, dst_label: str, props: tuple[Prop, ...]) -> list[str]:
    """Return the header fields of a relationship file: `:START_ID(<from>)`,
    `:END_ID(<to>)`, `key:long`, typed properties, `:TYPE`.

    >>> rel_header("Person", "Loan", (Prop("amount", "DOUBLE"),))
    [':START_ID(Person)', ':END_ID(Loan)', 'key:long', 'amount:double', ':TYPE']
    """
    return [f":START_ID({src_label})", f":END_ID({dst_label})", "key:long",
            *(f"{p.name}:{NEO4J_TYPES[p.type]}" for p in props), ":TYPE"]


def _cell_column(col: pa.ChunkedArray | pa.Array, typ: str) -> pa.Array:
    """Return `col` as the CSV writer should print it (lists joined by the array delimiter;
    an empty list as an absent property, which is how CSV import treats it anyway)."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if typ != "STRING[]":
        return arr
    if pa.types.is_null(arr.type):
        return pa.nulls(len(arr), pa.string())
    bad = pc.any(pc.match_substring(pc.list_flatten(arr), ARRAY_DELIMITER)).as_py()
    if bad:
        raise LoadError(f"a list value contains the array delimiter {ARRAY_DELIMITER!r}")
    joined = pc.binary_join(arr, ARRAY_DELIMITER)
    empty = pc.fill_null(pc.equal(pc.list_value_length(arr), 0), False)
    return pc.if_else(empty, pa.scalar(None, pa.string()), joined)


def _has_newline(table: pa.Table) -> bool:
    for c in table.columns:
        if pa.types.is_string(c.type) and pc.any(pc.match_substring(c, "\n")).as_py():
            return True
    return False


def _write(path: Path, header: list[str], table: pa.Table) -> None:
    with (path.with_name(path.stem + ".header.csv")).open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(header)
    pcsv.write_csv(table, path, pcsv.WriteOptions(include_header=False))


def write_import_files(store: GraphStore, out: Path,
                       progress: Progress | None = None) -> ImportFiles:
    """Write every node and relationship of `store` as neo4j-admin import files under `out`
    (`nodes/`, `relationships/`, `neo4j-admin-import.sh`); return what was written. Each
    file written is reported as the step ``"nodes <Label>"`` / ``"relationships <name>"``
    with its rows as done and total."""
    out = Path(out)
    (out / "nodes").mkdir(parents=True, exist_ok=True)
    (out / "relationships").mkdir(parents=True, exist_ok=True)
    res = ImportFiles(str(out))
    for nt in NODE_TYPES:
        t = store.export_nodes(nt.label)
        if nt.label == "Meta":
            t = t.filter(pc.invert(pc.is_in(t["id"], pa.array(sorted(EMBEDDED_ONLY_META)))))
        if t.num_rows == 0:
            continue
        report_progress(progress, f"nodes {nt.label}", t.num_rows, t.num_rows)
        cols = {"id": t["id"].combine_chunks()}
        for p in nt.props:
            cols[p.name] = _cell_column(t[p.name], p.type)
        cols[":LABEL"] = pa.array([nt.label] * t.num_rows, pa.string())
        table = pa.table(cols)
        res.multiline |= _has_newline(table)
        path = out / "nodes" / f"{nt.label}.csv"
        _write(path, node_header(nt.label, nt.props), table)
        res.files.append(ImportFile("nodes", nt.label, f"nodes/{nt.label}.header.csv",
                                    f"nodes/{nt.label}.csv", t.num_rows))
        if nt.label != "Meta":
            res.nodes[nt.label] = t.num_rows
    for rt in REL_TYPES:
        t = store.export_edges(rt.type)
        res.relationships[rt.type] = t.num_rows
        for src_label, dst_label in rt.pairs:
            part = t.filter(pc.and_(pc.equal(t["src_label"], src_label),
                                    pc.equal(t["dst_label"], dst_label)))
            if part.num_rows == 0:
                continue
            name = f"{rt.type}.{src_label}-{dst_label}"
            report_progress(progress, f"relationships {name}", part.num_rows, part.num_rows)
            cols = {"src": part["src"].combine_chunks(), "dst": part["dst"].combine_chunks(),
                    "key": part["key"].combine_chunks()}
            for p in rt.props:
                cols[p.name] = _cell_column(part[p.name], p.type)
            cols[":TYPE"] = pa.array([rt.type] * part.num_rows, pa.string())
            table = pa.table(cols)
            res.multiline |= _has_newline(table)
            _write(out / "relationships" / f"{name}.csv", rel_header(src_label, dst_label,
                                                                     rt.props), table)
            res.files.append(ImportFile("relationships", name,
                                        f"relationships/{name}.header.csv",
                                        f"relationships/{name}.csv", part.num_rows))
    script = out / "neo4j-admin-import.sh"
    cmd = res.command("neo4j")
    lines = ["#!/bin/sh", "# Initial bulk load of the graph (written by `guanxi store "
             "export-import`).", "# Usage: sh neo4j-admin-import.sh [DATABASE]  — with "
             "neo4j-admin on PATH and the database stopped/absent.", 'cd "$(dirname "$0")"',
             " \\\n  ".join(shlex.quote(a) for a in cmd[:-1]) + ' \\\n  "${1:-neo4j}"', ""]
    script.write_text("\n".join(lines), encoding="utf-8")
    script.chmod(0o755)
    return res


def export_import_files(folder: Path, out: Path, *, settings: Settings | None = None,
                        progress: Progress | None = None,
                        say: Progress | None = None) -> ImportFiles:
    """Load the extract in `folder` with the loader into a scratch embedded store and write
    the neo4j-admin import files of the resulting graph under `out`; return what was written.

    Ids are keyed with the PII key the configured store would use (`GUANXI_PII_KEY`, else the
    key file of the configured store's key folder), so the imported graph joins with later
    loads over Bolt. Rejected rows go to `<out>/quarantine/<as_of>/` (sealed, as `guanxi
    load` writes them). `progress` is told the load's steps (`load.load_step`), `say` each
    file written (`write_import_files`). Raises LoadError when `out` already holds import
    files."""
    from guanxi.graph.embedded import EmbeddedStore

    s = settings or Settings()
    out = Path(out)
    if (out / "nodes").exists() or (out / "relationships").exists():
        raise LoadError(f"{out}: already holds import files; write into a new folder")
    scratch = out / SCRATCH
    shutil.rmtree(scratch, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    keys = key_dir(s.store, s.key_dir)
    local = Settings(store=scratch, pii_key=s.pii_key, key_dir=keys,
                     buffer_pool_mb=s.buffer_pool_mb)
    st = EmbeddedStore(scratch, buffer_pool_mb=s.buffer_pool_mb,
                       command=f"guanxi store export-import {folder}")
    try:
        report: LoadReport = load_extract(st, Path(folder), settings=local, progress=progress)
        res = write_import_files(st, out, say)
    finally:
        st.close()
    q = scratch / "quarantine"
    if q.exists():
        shutil.rmtree(out / "quarantine", ignore_errors=True)
        shutil.move(str(q), str(out / "quarantine"))
        report.quarantine = str(out / "quarantine" / report.as_of)
    shutil.rmtree(scratch, ignore_errors=True)
    res.load = report.to_dict()
    (out / "import-report.json").write_text(
        json.dumps(res.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return res


__all__ = ["NEO4J_TYPES", "ImportFile", "ImportFiles", "export_import_files", "node_header",
           "rel_header", "write_import_files"]
