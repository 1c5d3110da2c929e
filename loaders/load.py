"""Load a bank extract folder into the graph: read, validate, quarantine, map, bulk upsert.

`load_extract(store, folder)` is idempotent (a second load of the same extract changes
nothing) and incremental (a later extract adds new rows and updates changed properties;
a Person's tier drop is recorded). Every write is a bulk `upsert_nodes` / `upsert_edges`
whose result depends only on the extract and on what the graph held before, so a load killed
half-way and run again ends in the same graph as one clean load.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from pydantic import ValidationError

from guanxi.graph.generation import new_load_generation
from guanxi.graph.pii import pii_key_for
from guanxi.graph.progress import Progress
from guanxi.graph.progress import report as report_progress
from guanxi.graph.secrets import key_dir
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore, UpsertResult
from guanxi.graph.tables import plan_upsert
from guanxi.loaders.errors import LoadError
from guanxi.loaders.keys import edge_keys, hmac_hex, party_ids, pii_ids, prefixed
from guanxi.loaders.quarantine import write_records
from guanxi.loaders.read import RawTable, read_table
from guanxi.loaders.schema import SPECS, TABLE_ORDER, TIERS, Manifest
from guanxi.loaders.validate import (
    CODES,
    Checked,
    check_duplicates,
    check_fields,
    check_reference,
    date_to_ms,
    message,
)

LOAD_STAGES = ("read", "validate", "write", "done")
"""The stages of a table's load, in order; the loader reports each through the one
`Progress` type as the step ``"<table> <stage>"`` (`load_step`, `split_load_step`): ``read``
(size unknown), ``validate`` and ``write`` (rows done of the table's or the slice's rows),
``done`` (rows read of rows read)."""


def load_step(table: str, stage: str) -> str:
    """Return the progress step naming `stage` of `table`'s load: ``"<table> <stage>"``."""
    return f"{table} {stage}"


def split_load_step(step: str) -> tuple[str, str]:
    """Return (table, stage) of a step `load_step` made (table names hold no space)."""
    table, _, stage = step.partition(" ")
    return table, stage

_NULL = pa.scalar(None, pa.string())
SLICE_ROWS = 1_000_000  # rows of a SLICED table validated and written at a time
SLICED = {"transfers"}  # tables whose rows map independently of each other


@dataclass
class TableReport:
    """What happened to one table: rows read / loaded / rejected, and what changed in the graph."""

    read: int = 0
    loaded: int = 0
    rejected: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    file: str = ""
    seconds: float = 0.0


@dataclass
class LoadReport:
    """The outcome of one `load_extract` call, per table in load order."""

    folder: str
    as_of: str
    quarantine: str
    tables: dict[str, TableReport] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        """Return the number of rejected rows over all tables."""
        return sum(t.rejected for t in self.tables.values())

    @property
    def ok(self) -> bool:
        """Return True when every row of every table was loaded (no rejects)."""
        return self.rejected == 0

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "folder": self.folder,
            "as_of": self.as_of,
            "quarantine": self.quarantine,
            "seconds": round(self.seconds, 3),
            "ok": self.ok,
            "rejected": self.rejected,
            "tables": {k: asdict(v) for k, v in self.tables.items()},
        }


def read_manifest(folder: Path) -> Manifest:
    """Return the parsed `manifest.yaml` of an extract folder, or raise LoadError."""
    path = folder / "manifest.yaml"
    if not folder.is_dir():
        raise LoadError(f"{folder}: no such extract folder")
    if not path.is_file():
        raise LoadError(f"{folder}: no manifest.yaml (see docs/extract-format.md)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, ValueError) as exc:
        raise LoadError(f"manifest.yaml: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise LoadError("manifest.yaml: expected a mapping with as_of and files")
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise LoadError(f"manifest.yaml: {where}: {err['msg']}") from None


def _quarantine_root(store: GraphStore, settings: Settings) -> Path:
    folder = getattr(store, "folder", None)
    return Path(folder) if folder is not None else Path(settings.store)


def _sel(v: dict[str, pa.Array], idx: pa.Array) -> dict[str, pa.Array]:
    return {k: a.take(idx) for k, a in v.items()}


def _digits(col: pa.Array) -> pa.Array:
    """Return the value with spaces and dashes removed (phone and account numbers)."""
    return pc.replace_substring_regex(col, r"[\s\-]", "")


def _normal_text(col: pa.Array) -> pa.Array:
    """Return free text in one spelling: NFKC (full-width → half-width), no whitespace.

    Addresses and employer names are compared (and address hashes joined) in this form, so
    `幸福路 12 号` and `幸福路１２号` are one address."""
    t = pc.replace_substring_regex(pc.utf8_normalize(col, "NFKC"), r"\s+", "")
    return pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)


class _Loader:
    def __init__(
        self,
        store: GraphStore,
        folder: Path,
        settings: Settings,
        progress: Progress | None,
    ) -> None:
        self.store = store
        self.folder = folder
        self.settings = settings
        self.progress = progress
        self.manifest = read_manifest(folder)
        self.as_of = self.manifest.as_of
        self.qdir = _quarantine_root(store, settings) / "quarantine" / self.as_of
        self._ids: dict[str, pa.Array] = {}
        self.key = b""
        # edges of a sliced table, written in one upsert after its last slice: kuzu's COPY
        # into a relationship table that already holds rows costs more each time
        self._held: dict[tuple[str, str, str], list[pa.Table]] | None = None

    # -- known ids ------------------------------------------------------------------
    def known(self, label: str) -> pa.Array:
        if label not in self._ids:
            t = self.store.export_nodes(label, [])
            self._ids[label] = t["id"].combine_chunks().cast(pa.string())
        return self._ids[label]

    def touched(self, label: str) -> None:
        self._ids.pop(label, None)

    # -- writes ---------------------------------------------------------------------
    def nodes(self, label: str, cols: dict[str, pa.Array | None]) -> UpsertResult:
        t = pa.table({k: v for k, v in cols.items() if v is not None})
        res = self.store.upsert_nodes(label, t)
        self.touched(label)
        return res

    def edges(
        self,
        rel: str,
        src_label: str,
        dst_label: str,
        cols: dict[str, pa.Array | None],
        mask: pa.Array | None = None,
    ) -> UpsertResult:
        t = pa.table({k: v for k, v in cols.items() if v is not None})
        if mask is not None:
            t = t.filter(pc.fill_null(mask, False))
        t = t.filter(pc.and_(pc.is_valid(t["src"]), pc.is_valid(t["dst"])))
        if t.num_rows == 0:
            return UpsertResult()
        if self._held is not None:
            self._held.setdefault((rel, src_label, dst_label), []).append(t)
            return UpsertResult()
        return self.store.upsert_edges(rel, src_label, dst_label, t)

    # -- main -----------------------------------------------------------------------
    def run(self) -> LoadReport:
        t0 = time.perf_counter()
        self.key = pii_key_for(self.store, self.settings)
        report = LoadReport(str(self.folder), self.as_of, str(self.qdir))
        files = self.manifest.files
        enc = self.manifest.encoding
        # every named file must exist before anything is written
        base = self.folder.resolve()
        for table in TABLE_ORDER:
            if table in files and not (self.folder / files[table]).resolve().is_relative_to(base):
                raise LoadError(f"{files[table]}: outside the extract folder (a link leads out)")
            if table in files and not (self.folder / files[table]).is_file():
                raise LoadError(
                    f"{files[table]}: file named in manifest.yaml for {table} does not exist"
                )
        new_load_generation(self.store)  # what was derived from the old records is stale now
        for table in TABLE_ORDER:
            if table not in files:
                continue
            t1 = time.perf_counter()
            spec = SPECS[table]
            report_progress(self.progress, load_step(table, "read"))
            raw = read_table(self.folder / files[table], spec, enc, files[table])
            tr = self._load_table(table, raw)
            tr.file = files[table]
            tr.seconds = time.perf_counter() - t1
            report.tables[table] = tr
            report_progress(self.progress, load_step(table, "done"), raw.read, raw.read)
            del raw  # a large table's columns must not outlive its turn
        self.store.set_meta("last_extract_as_of", self.as_of)
        report.seconds = time.perf_counter() - t0
        return report

    def _load_table(self, table: str, raw: RawTable) -> TableReport:
        """Validate, map and write one file's rows; quarantine the rejected ones.

        Tables in `SLICED` are handled `SLICE_ROWS` rows at a time (duplicate keys are still
        found across the whole file), so the memory of validation and writing stays bounded.
        """
        spec = SPECS[table]
        mapper = MAPPERS[table]
        step = SLICE_ROWS if table in SLICED else max(raw.num_rows, 1)
        total = TableReport(read=raw.read)
        rejects: list[tuple[int, dict[str, Any]]] = [
            (m.line, {"reason": "malformed_row", "message": m.message, "original": m.text})
            for m in raw.malformed
        ]
        if raw.malformed:
            total.rejected = len(raw.malformed)
            total.reasons["malformed_row"] = len(raw.malformed)
        seen: list[pa.Array] = []
        self._held = {} if step < raw.num_rows else None
        for start in range(0, max(raw.num_rows, 1), step):
            part = raw.slice(start, step) if step < raw.num_rows else raw
            report_progress(self.progress, load_step(table, "validate"), start, raw.read)
            chk = check_fields(part, spec)
            seen.append(check_duplicates(chk, pa.concat_arrays(seen) if seen else None))
            tr = mapper(self, chk)
            total.loaded += tr.loaded
            total.inserted += tr.inserted
            total.updated += tr.updated
            total.unchanged += tr.unchanged
            for reason, n in tr.reasons.items():
                if part is raw and reason == "malformed_row":
                    continue  # counted above from the whole file
                total.reasons[reason] = total.reasons.get(reason, 0) + n
            total.rejected += int((~chk.ok).sum())
            rejects += self._rejected_rows(chk)
            del chk, part
        held, self._held = self._held or {}, None
        for (rel, src_label, dst_label), parts in held.items():
            r = self.store.upsert_edges(rel, src_label, dst_label, pa.concat_tables(parts))
            total.inserted += r.inserted
            total.updated += r.updated
            total.unchanged += r.unchanged
        assert total.loaded + total.rejected == total.read, "loaded + rejected must equal read"
        self._write_quarantine(table, raw.file, rejects)
        return total

    def _accept(self, chk: Checked) -> tuple[dict[str, pa.Array], TableReport]:
        """Return the accepted rows' parsed values and a report with read/loaded/rejected."""
        raw = chk.raw
        ok = np.nonzero(chk.ok)[0]
        v = _sel(chk.values, pa.array(ok, pa.int64()))
        tr = TableReport(read=raw.read, loaded=len(ok))
        tr.rejected = raw.read - len(ok)
        reasons: dict[str, int] = {}
        if raw.malformed:
            reasons["malformed_row"] = len(raw.malformed)
        codes, counts = np.unique(chk.code[chk.code != 0], return_counts=True)
        for c, n in zip(codes, counts, strict=True):
            reasons[CODES[int(c)]] = reasons.get(CODES[int(c)], 0) + int(n)
        tr.reasons = reasons
        assert tr.loaded + tr.rejected == tr.read, "loaded + rejected must equal read"
        assert sum(reasons.values()) == tr.rejected
        report_progress(self.progress, load_step(raw.table, "write"), 0, len(ok))
        return v, tr

    def _extra(self, chk: Checked, v_idx: np.ndarray) -> pa.Array | None:
        if not chk.extra_columns:
            return None
        idx = pa.array(v_idx, pa.int64())
        cols = {c: chk.values[c].take(idx).to_pylist() for c in chk.extra_columns}
        out: list[str | None] = []
        for i in range(len(v_idx)):
            d = {c: cols[c][i] for c in chk.extra_columns if cols[c][i] is not None}
            out.append(json.dumps(d, ensure_ascii=False, sort_keys=True) if d else None)
        return pa.array(out, pa.string())

    def _has(self, chk: Checked, col: str) -> bool:
        return col in chk.raw.header

    def _opt(self, chk: Checked, v: dict[str, pa.Array], col: str) -> pa.Array | None:
        """Return column `col` of accepted rows if the file has it (else leave it alone)."""
        return v[col] if self._has(chk, col) else None

    def _ref(self, chk: Checked, col: str, label: str, natural: pa.Array | None = None) -> pa.Array:
        """Check references of `col` to nodes of `label`; return the referenced node ids."""
        vals = chk.values[col] if natural is None else natural
        ids = prefixed(label, vals)
        if self._has(chk, col):
            check_reference(chk, col, ids, self.known(label))
        return ids

    def _party_ref(self, chk: Checked, type_col: str, id_col: str) -> pa.Array:
        ids = party_ids(chk.values[type_col], chk.values[id_col], self.key)
        known = pa.concat_arrays([self.known("Person"), self.known("Company")])
        check_reference(chk, id_col, ids, known)
        return ids

    def _pii_ref(self, chk: Checked, col: str) -> pa.Array:
        ids = pii_ids("Person", hmac_hex(chk.values[col], self.key))
        check_reference(chk, col, ids, self.known("Person"))
        return ids

    def _rejected_rows(self, chk: Checked) -> list[tuple[int, dict[str, Any]]]:
        """Return (line, quarantine record) of the rows `chk` rejected (malformed ones aside)."""
        raw = chk.raw
        bad = np.nonzero(~chk.ok)[0]
        if len(bad) == 0:
            return []
        texts = raw.text_at(bad)
        return [
            (
                int(raw.lines[p]),
                {
                    "reason": CODES[int(chk.code[p])],
                    "message": message(chk, int(p)),
                    "original": text,
                },
            )
            for p, text in zip(bad, texts, strict=True)
        ]

    def _write_quarantine(self, table: str, file: str, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Write the rejected rows of `table` (0600 file in a 0700 folder): reason and message
        with identifiers masked, the original row masked (`original`) and encrypted under the
        quarantine key outside the store (`sealed`, `guanxi.graph.secrets.unseal`)."""
        path = self.qdir / f"{table}.jsonl"
        if not rows:
            if path.exists():
                path.unlink()
            return
        keys = key_dir(_quarantine_root(self.store, self.settings), self.settings.key_dir)
        rows.sort(key=lambda r: r[0])
        write_records(path, ({"table": table, "file": file, "line": line, **rec}
                             for line, rec in rows), keys)

    # -- tables ---------------------------------------------------------------------
    def _map_branches(self, chk: Checked) -> TableReport:
        v, tr = self._accept(chk)
        ids = prefixed("Branch", v["branch_id"])
        r = self.nodes(
            "Branch",
            {
                "id": ids,
                "name": v["name"],
                "county": self._opt(chk, v, "county"),
                "address": self._opt(chk, v, "address"),
                "extra": self._extra(chk, np.nonzero(chk.ok)[0]),
            },
        )
        return _counts(tr, r)

    def _map_managers(self, chk: Checked) -> TableReport:
        branch = self._ref(chk, "branch_id", "Branch")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        ids = prefixed("CustomerManager", v["manager_id"])
        br = branch.take(okp)
        phone = _digits(v["phone"]) if self._has(chk, "phone") else None
        r = self.nodes(
            "CustomerManager",
            {
                "id": ids,
                "name": v["name"],
                "branch_id": br,
                "phone_last4": None if phone is None else pc.utf8_slice_codeunits(phone, -4),
                "extra": self._extra(chk, np.nonzero(chk.ok)[0]),
            },
        )
        self.edges(
            "WORKS_AT",
            "CustomerManager",
            "Branch",
            {"src": ids, "dst": br, "key": edge_keys("WORKS_AT", ids)},
        )
        return _counts(tr, r)

    def _map_grids(self, chk: Checked) -> TableReport:
        branch = self._ref(chk, "branch_id", "Branch")
        mgr = self._ref(chk, "manager_id", "CustomerManager")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        ids = prefixed("Grid", v["grid_id"])
        br, mg = branch.take(okp), mgr.take(okp)
        r = self.nodes(
            "Grid",
            {
                "id": ids,
                "name": v["name"],
                "kind": self._opt(chk, v, "kind"),
                "village": self._opt(chk, v, "village"),
                "branch_id": br,
                "manager_id": mg if self._has(chk, "manager_id") else None,
                "extra": self._extra(chk, np.nonzero(chk.ok)[0]),
            },
        )
        self.edges(
            "BELONGS_TO",
            "Grid",
            "Branch",
            {"src": ids, "dst": br, "key": edge_keys("BELONGS_TO", ids)},
        )
        self.edges(
            "MANAGES",
            "CustomerManager",
            "Grid",
            {"src": mg, "dst": ids, "key": edge_keys("MANAGES", ids)},
        )
        return _counts(tr, r)

    def _map_households(self, chk: Checked) -> TableReport:
        grid = self._ref(chk, "grid_id", "Grid")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        ids = prefixed("Household", v["household_id"])
        gr = grid.take(okp)
        r = self.nodes(
            "Household",
            {
                "id": ids,
                "grid_id": gr,
                "address": self._opt(chk, v, "address"),
                "extra": self._extra(chk, np.nonzero(chk.ok)[0]),
            },
        )
        self.edges(
            "IN_GRID",
            "Household",
            "Grid",
            {"src": ids, "dst": gr, "key": edge_keys("IN_GRID", ids)},
        )
        return _counts(tr, r)

    def _map_persons(self, chk: Checked) -> TableReport:
        hh = self._ref(chk, "household_id", "Household")
        mgr = self._ref(chk, "manager_id", "CustomerManager")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        hh, mgr = hh.take(okp), mgr.take(okp)
        id_hash = hmac_hex(v["id_number"], self.key)
        ids = pii_ids("Person", id_hash)
        idn = v["id_number"]
        born = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(idn, 6, 10),
            pc.utf8_slice_codeunits(idn, 10, 12),
            pc.utf8_slice_codeunits(idn, 12, 14),
            "-",
        )
        parity = pc.utf8_slice_codeunits(idn, 16, 17)
        sex_id = pc.if_else(
            pc.is_in(parity, value_set=pa.array(["1", "3", "5", "7", "9"])), "男", "女"
        )
        cols: dict[str, pa.Array | None] = {
            "id": ids,
            "id_hash": id_hash,
            "name": v["name"],
            "sex": pc.coalesce(v["sex"], sex_id),
            "birth_date": pc.coalesce(v["birth_date"], born),
        }
        if self._has(chk, "phone"):
            phone = _digits(v["phone"])
            cols["phone_hash"] = hmac_hex(phone, self.key)
            cols["phone_last4"] = pc.utf8_slice_codeunits(phone, -4)
        if self._has(chk, "address"):
            cols["address_hash"] = hmac_hex(_normal_text(v["address"]), self.key)
        if self._has(chk, "employer"):
            cols["employer"] = _normal_text(v["employer"])
        if self._has(chk, "contact_phone"):
            contact = v["contact_phone"]
            cols["contact_phone_hash"] = hmac_hex(contact, self.key)
            cols["contact_phone_last4"] = pc.utf8_slice_codeunits(contact, -4)
        if self._has(chk, "household_id"):
            cols["household_id"] = hh
            grids = self._household_grids()
            cols["grid_id"] = grids["grid_id"].take(pc.index_in(hh, value_set=grids["id"]))
        for c in ("relation_to_head", "is_customer"):
            cols[c] = self._opt(chk, v, c)
        if self._has(chk, "tags"):
            tags = pc.split_pattern(v["tags"], ";")
            cols["tags"] = tags
        if self._has(chk, "manager_id"):
            cols["manager_id"] = mgr
        cols["extra"] = self._extra(chk, np.nonzero(chk.ok)[0])
        if self._has(chk, "tier"):
            cols.update(self._tiers(ids, v["tier"]))
        cols = self._stamp_as_of("Person", cols)
        r = self.nodes("Person", cols)
        if self._has(chk, "household_id"):
            rel = v["relation_to_head"]
            self.edges(
                "MEMBER_OF",
                "Person",
                "Household",
                {"src": ids, "dst": hh, "key": edge_keys("MEMBER_OF", ids), "relation": rel},
            )
            heads = pc.fill_null(pc.equal(rel, "户主"), False)
            head_t = pa.table({"id": hh, "head_id": ids}).filter(heads)
            if head_t.num_rows:
                self.store.upsert_nodes("Household", head_t)
        self.edges(
            "MANAGES",
            "CustomerManager",
            "Person",
            {"src": mgr, "dst": ids, "key": edge_keys("MANAGES", ids)},
        )
        return _counts(tr, r)

    def _household_grids(self) -> pa.Table:
        t = self.store.export_nodes("Household", ["grid_id"])
        return pa.table({"id": t["id"].combine_chunks(), "grid_id": t["grid_id"].combine_chunks()})

    def _tiers(self, ids: pa.Array, tier: pa.Array) -> dict[str, pa.Array]:
        """Return tier and tier_prev / tier_changed_on / tier_drop_on for persons `ids`."""
        cols = ["tier", "tier_prev", "tier_changed_on", "tier_drop_on"]
        old = self.store.export_nodes("Person", cols)
        idx = pc.index_in(ids, value_set=old["id"].combine_chunks())
        o = {c: old[c].combine_chunks().take(idx).cast(pa.string()) for c in cols}
        rank = {t: i for i, t in enumerate(TIERS)}
        rk_keys = pa.array(list(rank))
        rk_vals = pa.array(list(rank.values()), pa.int64())
        new_r = rk_vals.take(pc.index_in(tier, value_set=rk_keys))
        old_r = rk_vals.take(pc.index_in(o["tier"], value_set=rk_keys))
        changed = pc.fill_null(pc.not_equal(new_r, old_r), False)
        drop = pc.fill_null(pc.greater(new_r, old_r), False)
        as_of = pa.scalar(self.as_of, pa.string())
        return {
            "tier": tier,
            "tier_prev": pc.if_else(changed, o["tier"], o["tier_prev"]),
            "tier_changed_on": pc.if_else(changed, as_of, o["tier_changed_on"]),
            "tier_drop_on": pc.if_else(drop, as_of, o["tier_drop_on"]),
        }

    def _stamp_as_of(
        self, label: str, cols: dict[str, pa.Array | None]
    ) -> dict[str, pa.Array | None]:
        """Add `as_of`: this extract's date for new or changed rows, the stored one otherwise."""
        given = {k: c for k, c in cols.items() if c is not None}
        inc = pa.table(given)
        names = [c for c in inc.column_names if c != "id"]
        old = self.store.export_nodes(label, [*names, "as_of"])
        plan = plan_upsert(inc, old.select(["id", *names]), "id")
        fresh = (
            pa.concat_arrays([plan.new["id"].combine_chunks(), plan.changed["id"].combine_chunks()])
            if plan.new.num_rows + plan.changed.num_rows
            else pa.array([], pa.string())
        )
        is_fresh = pc.is_in(inc["id"], value_set=fresh)
        stored = (
            old["as_of"]
            .combine_chunks()
            .take(pc.index_in(inc["id"], value_set=old["id"].combine_chunks()))
        )
        out = dict(cols)
        out["as_of"] = pc.if_else(is_fresh, pa.scalar(self.as_of), stored.cast(pa.string()))
        return out

    def _map_enterprises(self, chk: Checked) -> TableReport:
        grid = self._ref(chk, "grid_id", "Grid")
        mgr = self._ref(chk, "manager_id", "CustomerManager")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        grid, mgr = grid.take(okp), mgr.take(okp)
        ids = prefixed("Company", v["uscc"])
        cols: dict[str, pa.Array | None] = {"id": ids, "uscc": v["uscc"], "name": v["name"]}
        for c in (
            "legal_rep_name",
            "industry",
            "registered_capital",
            "status",
            "address",
            "is_customer",
            "tier",
        ):
            cols[c] = self._opt(chk, v, c)
        if self._has(chk, "grid_id"):
            cols["grid_id"] = grid
        if self._has(chk, "manager_id"):
            cols["manager_id"] = mgr
        cols["extra"] = self._extra(chk, np.nonzero(chk.ok)[0])
        cols = self._stamp_as_of("Company", cols)
        r = self.nodes("Company", cols)
        if self._has(chk, "legal_rep_id"):
            rep = pii_ids("Person", hmac_hex(v["legal_rep_id"], self.key))
            exists = pc.is_in(rep, value_set=self.known("Person"))
            self.edges(
                "LEGAL_REP_OF",
                "Person",
                "Company",
                {"src": rep, "dst": ids, "key": edge_keys("LEGAL_REP_OF", ids)},
                mask=exists,
            )
        self.edges(
            "IN_GRID",
            "Company",
            "Grid",
            {"src": ids, "dst": grid, "key": edge_keys("IN_GRID", ids)},
        )
        self.edges(
            "MANAGES",
            "CustomerManager",
            "Company",
            {"src": mgr, "dst": ids, "key": edge_keys("MANAGES", ids)},
        )
        return _counts(tr, r)

    def _map_enterprise_roles(self, chk: Checked) -> TableReport:
        # a legal representative or an executive is a natural person
        person_only = pc.and_(
            pc.is_in(chk.values["role"], value_set=pa.array(["legal_rep", "executive"])),
            pc.fill_null(pc.equal(chk.values["holder_type"], "company"), False),
        )
        chk.fail(person_only, "bad_type", chk.col_index("holder_type"))
        holder = self._party_ref(chk, "holder_type", "holder_id")
        company = self._ref(chk, "uscc", "Company")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        holder, company = holder.take(okp), company.take(okp)
        role, htype = v["role"], v["holder_type"]
        total = UpsertResult()
        is_p = pc.equal(htype, "person")
        lr = pc.equal(role, "legal_rep")
        total += self.edges(
            "LEGAL_REP_OF",
            "Person",
            "Company",
            {"src": holder, "dst": company, "key": edge_keys("LEGAL_REP_OF", company)},
            mask=lr,
        )
        for src_label, m in (("Person", is_p), ("Company", pc.invert(is_p))):
            total += self.edges(
                "SHAREHOLDER_OF",
                src_label,
                "Company",
                {
                    "src": holder,
                    "dst": company,
                    "key": edge_keys("SHAREHOLDER_OF", holder, company),
                    "share": v["share"] if self._has(chk, "share") else None,
                },
                mask=pc.and_(pc.equal(role, "shareholder"), m),
            )
        total += self.edges(
            "EXECUTIVE_OF",
            "Person",
            "Company",
            {
                "src": holder,
                "dst": company,
                "key": edge_keys("EXECUTIVE_OF", holder, company),
                "title": self._opt(chk, v, "title"),
            },
            mask=pc.equal(role, "executive"),
        )
        return _counts(tr, total)

    def _map_merchants(self, chk: Checked) -> TableReport:
        owner = self._party_ref(chk, "owner_type", "owner_id")
        grid = self._ref(chk, "grid_id", "Grid")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        owner, grid = owner.take(okp), grid.take(okp)
        ids = prefixed("Merchant", v["merchant_id"])
        acct = None
        if self._has(chk, "account_no"):
            acct = pii_ids("Account", hmac_hex(v["account_no"], self.key))
        r = self.nodes(
            "Merchant",
            {
                "id": ids,
                "name": v["name"],
                "mcc": self._opt(chk, v, "mcc"),
                "owner_id": owner,
                "account_id": acct,
                "grid_id": grid if self._has(chk, "grid_id") else None,
                "extra": self._extra(chk, np.nonzero(chk.ok)[0]),
            },
        )
        self._owns("Merchant", owner, ids, v["owner_type"])
        self.edges(
            "IN_GRID",
            "Merchant",
            "Grid",
            {"src": ids, "dst": grid, "key": edge_keys("IN_GRID", ids)},
        )
        return _counts(tr, r)

    def _owns(self, label: str, owner: pa.Array, ids: pa.Array, owner_type: pa.Array) -> None:
        """Write OWNS edges to `label` nodes and remove each one's edge from an owner of the
        other kind (an account or merchant whose owner changed between person, company and
        external keeps the same edge key)."""
        keys = edge_keys("OWNS", ids)
        for src_label in ("Person", "Company"):
            mine = pc.fill_null(pc.equal(owner_type, src_label.lower()), False)
            self.edges("OWNS", src_label, label, {"src": owner, "dst": ids, "key": keys}, mask=mine)
            others = pa.table({"dst": ids, "key": keys}).filter(pc.invert(mine))
            self.store.delete_edges("OWNS", src_label, label, others)

    def _map_accounts(self, chk: Checked) -> TableReport:
        typ = chk.values["owner_type"]
        external = pc.fill_null(pc.equal(typ, "external"), False)
        party = pc.invert(external)
        chk.fail(
            pc.and_(party, pc.is_null(chk.values["owner_id"])),
            "missing_field",
            chk.col_index("owner_id"),
        )
        owner = self._party_ref(chk, "owner_type", "owner_id")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        owner = owner.take(okp)
        h = hmac_hex(v["account_no"], self.key)
        ids = pii_ids("Account", h)
        r = self.nodes(
            "Account",
            {
                "id": ids,
                "number_hash": h,
                "number_last4": pc.utf8_slice_codeunits(v["account_no"], -4),
                "in_bank": v["in_bank"],
                "bank_name": self._opt(chk, v, "bank_name"),
                "kind": self._opt(chk, v, "kind"),
                "created_ts": date_to_ms(v["opened_on"]) if self._has(chk, "opened_on") else None,
                "extra": self._extra(chk, np.nonzero(chk.ok)[0]),
            },
        )
        self._owns("Account", owner, ids, v["owner_type"])
        return _counts(tr, r)

    def _acct_ref(self, chk: Checked, col: str) -> pa.Array:
        ids = pii_ids("Account", hmac_hex(chk.values[col], self.key))
        check_reference(chk, col, ids, self.known("Account"))
        return ids

    def _map_loans(self, chk: Checked) -> TableReport:
        borrower = self._party_ref(chk, "borrower_type", "borrower_id")
        acct = self._acct_ref(chk, "account_no") if self._has(chk, "account_no") else None
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        borrower = borrower.take(okp)
        ids = prefixed("Loan", v["loan_id"])
        cols: dict[str, pa.Array | None] = {"id": ids}
        for c in (
            "product",
            "amount",
            "balance",
            "rate",
            "start_date",
            "maturity_date",
            "classification",
            "overdue_days",
        ):
            cols[c] = self._opt(chk, v, c)
        cols["extra"] = self._extra(chk, np.nonzero(chk.ok)[0])
        cols = self._stamp_as_of("Loan", cols)
        r = self.nodes("Loan", cols)
        start_ms = date_to_ms(v["start_date"])
        for src_label in ("Person", "Company"):
            self.edges(
                "BORROWED",
                src_label,
                "Loan",
                {"src": borrower, "dst": ids, "key": edge_keys("BORROWED", ids), "ts": start_ms},
                mask=pc.equal(v["borrower_type"], src_label.lower()),
            )
        if acct is not None:
            self.edges(
                "DEPOSIT",
                "Loan",
                "Account",
                {
                    "src": ids,
                    "dst": acct.take(okp),
                    "key": edge_keys("DEPOSIT", ids),
                    "amount": v["amount"],
                    "ts": start_ms,
                },
            )
        return _counts(tr, r)

    def _map_guarantees(self, chk: Checked) -> TableReport:
        loan = self._ref(chk, "loan_id", "Loan")
        g = self._party_ref(chk, "guarantor_type", "guarantor_id")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        loan, g = loan.take(okp), g.take(okp)
        total = UpsertResult()
        for src_label in ("Person", "Company"):
            total += self.edges(
                "GUARANTEES",
                src_label,
                "Loan",
                {
                    "src": g,
                    "dst": loan,
                    "key": edge_keys(loan, g),
                    "gtype": v["gtype"],
                    "amount": self._opt(chk, v, "amount"),
                    "group_id": self._opt(chk, v, "group_id"),
                    "start_date": self._opt(chk, v, "start_date"),
                },
                mask=pc.equal(v["guarantor_type"], src_label.lower()),
            )
        return _counts(tr, total)

    def _map_transfers(self, chk: Checked) -> TableReport:
        src = self._acct_ref(chk, "from_account")
        dst = self._acct_ref(chk, "to_account")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        r = self.edges(
            "TRANSFER",
            "Account",
            "Account",
            {
                "src": src.take(okp),
                "dst": dst.take(okp),
                "key": edge_keys(v["transfer_id"]),
                "id": v["transfer_id"],
                "amount": v["amount"],
                "ts": v["ts"],
                "channel": self._opt(chk, v, "channel"),
                "memo": self._opt(chk, v, "memo"),
            },
        )
        return _counts(tr, r)

    def _map_referrals(self, chk: Checked) -> TableReport:
        a = self._pii_ref(chk, "referrer_id")
        b = self._pii_ref(chk, "referee_id")
        v, tr = self._accept(chk)
        okp = pa.array(np.nonzero(chk.ok)[0], pa.int64())
        a, b = a.take(okp), b.take(okp)
        r = self.edges(
            "REFERRED",
            "Person",
            "Person",
            {
                "src": a,
                "dst": b,
                "key": edge_keys("REFERRED", a, b),
                "date": v["date"],
                "campaign": self._opt(chk, v, "campaign"),
                "converted": self._opt(chk, v, "converted"),
            },
        )
        return _counts(tr, r)

    def _map_negative_records(self, chk: Checked) -> TableReport:
        v, tr = self._accept(chk)
        ids = prefixed("NegativeRecord", v["record_id"])
        subj, matched_by = self._resolve_subjects(v)
        r = self.nodes(
            "NegativeRecord",
            {
                "id": ids,
                "kind": v["kind"],
                "date": v["date"],
                "amount": self._opt(chk, v, "amount"),
                "source": self._opt(chk, v, "source"),
                "document_id": self._opt(chk, v, "document_id"),
                "subject_name": v["subject_name"],
                "subject_ref": subj,
                "extra": self._extra(chk, np.nonzero(chk.ok)[0]),
            },
        )
        for label in ("Person", "Company"):
            self.edges(
                "SUBJECT_OF",
                label,
                "NegativeRecord",
                {
                    "src": subj,
                    "dst": ids,
                    "key": edge_keys("SUBJECT_OF", ids),
                    "matched_by": matched_by,
                },
                mask=pc.starts_with(subj, f"{label[0]}:"),
            )
        return _counts(tr, r)

    def _resolve_subjects(self, v: dict[str, pa.Array]) -> tuple[pa.Array, pa.Array]:
        """Return (subject node id or null, matched_by `id`/`name`) per negative record.

        The decision is `guanxi.nlp.linking.resolve_subjects` (the one party matcher).
        """
        from guanxi.nlp.linking import resolve_subjects

        known = pa.concat_arrays([self.known("Person"), self.known("Company")])
        return resolve_subjects(
            self.store, v["subject_name"], v["subject_id"], v["subject_type"], self.key, known=known
        )


MAPPERS: dict[str, Callable[[_Loader, Checked], TableReport]] = {
    "branches": _Loader._map_branches,
    "managers": _Loader._map_managers,
    "grids": _Loader._map_grids,
    "households": _Loader._map_households,
    "persons": _Loader._map_persons,
    "enterprises": _Loader._map_enterprises,
    "enterprise_roles": _Loader._map_enterprise_roles,
    "merchants": _Loader._map_merchants,
    "accounts": _Loader._map_accounts,
    "loans": _Loader._map_loans,
    "guarantees": _Loader._map_guarantees,
    "transfers": _Loader._map_transfers,
    "referrals": _Loader._map_referrals,
    "negative_records": _Loader._map_negative_records,
}
"""Table → the method that maps its validated rows to nodes and edges and writes them."""


def _counts(tr: TableReport, r: UpsertResult) -> TableReport:
    tr.inserted, tr.updated, tr.unchanged = r.inserted, r.updated, r.unchanged
    return tr


def load_extract(
    store: GraphStore,
    folder: Path,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Load the extract in `folder` into `store`; return the per-table report.

    Raises LoadError (one line) when the manifest or a whole file cannot be read; bad rows
    are quarantined under `<store>/quarantine/<as_of>/<table>.jsonl` and counted, never
    dropped silently.
    """
    loader = _Loader(store, Path(folder), settings or Settings(), progress)
    return loader.run()


__all__ = ["LOAD_STAGES", "LoadError", "LoadReport", "Progress", "RawTable", "TableReport",
           "load_extract", "load_step", "split_load_step"]
