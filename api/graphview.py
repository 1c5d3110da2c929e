"""What the traversal routes read: one interface, two sources.

- `QueryGraph`: label-specific named queries (any backend; the only choice for Neo4j, whose
  graph other processes may change while the API runs).
- `IndexedGraph`: an in-memory adjacency (CSR over every relationship type) plus the small
  tables the routes show (loans, guarantees, records, circles, community ranks), built once
  at start from `export_edges` / `export_nodes`. Used for an embedded store opened
  read-write: kuzu then lets no other process write, so the graph cannot change under the
  index. On the 祁门-scale county a labelled kuzu edge query costs 6–70 ms on a busy
  machine (an `id IN $ids` filter scans the whole label table, kuzu uses no index for it),
  a lookup here costs microseconds.

Both return the same rows (`tests/api/test_graphview.py` compares them on a generated county).
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from guanxi.graph.model import ID_PREFIX, NODES, RELS
from guanxi.graph.store import GraphStore

_PREFIX_LABEL = {p: label for label, p in ID_PREFIX.items()}
_NAMED = tuple(nt.label for nt in NODES.values() if any(p.name == "name" for p in nt.props))
_EDGE_PROPS = {"GUARANTEES": ["gtype", "amount"], "IN_COMMUNITY": ["rank"]}
SHOWN = (
    "name sex birth_date phone_last4 tier is_customer tags household_id grid_id manager_id uscc "
    "legal_rep_name industry registered_capital status address product amount balance rate "
    "start_date maturity_date classification overdue_days kind date subject_name description "
    "doc_type case_number authority cause title size risk_score total_balance as_of"
).split()
"""Displayable properties, in the column order of the `api_entity_<label>` queries."""
CACHE_ENTRIES = 4096
_LOAN_COLS = ["amount", "balance", "classification", "overdue_days", "status"]
_RECORD_COLS = ["kind", "date", "amount", "source", "document_id", "subject_name", "description"]


def fast_label(node_id: str) -> str | None:
    """Return the label of an id from its prefix, or None (no exception)."""
    return _PREFIX_LABEL.get(node_id.split(":", 1)[0]) if ":" in node_id else None


def entity_query(label: str) -> str:
    """Return the name of the per-label entity query (`Person` → `api_entity_person`)."""
    return "api_entity_" + re.sub(r"(?<!^)([A-Z])", r"_\1", label).lower()


class GraphView(Protocol):
    """The reads behind entities, neighbourhoods, paths, chains and exposure."""

    store: GraphStore

    def entity(self, node_id: str) -> dict[str, Any] | None:
        """Return the node's displayable properties (None values kept), or None."""
        ...

    def edges(self, ids: list[str], types: list[str], cap: int) -> list[dict[str, Any]]:
        """Return ≤ 2×cap edges touching `ids` (out then in): src, dst, type, key, other,
        other_label, other_name."""
        ...

    def guarantees(self, ids: list[str], side: str, cap: int) -> list[dict[str, Any]]:
        """Return guarantees given (`side="given"`) or received by `ids`, ≤ cap rows."""
        ...

    def loans_of(self, party: str, cap: int) -> list[dict[str, Any]]:
        """Return the loans the party borrowed."""
        ...

    def records_of(self, ids: list[str], cap: int) -> list[dict[str, Any]]:
        """Return negative records about the parties, newest first."""
        ...

    def circles_of(self, party: str) -> list[dict[str, Any]]:
        """Return the guarantee circles of the party, riskiest first."""
        ...

    def communities_of(self, node_id: str) -> list[dict[str, Any]]:
        """Return the fund-flow communities of the node with its rank."""
        ...

    def search(self, label: str, q: str, limit: int) -> list[dict[str, Any]]:
        """Return ≤ limit {id, label, name} of `label` (Person/Company) whose name contains q
        or whose id (or USCC) is q, by id."""
        ...

    def run_cached(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the rows of a named query over analysis results, cached when the graph
        cannot change (callers must not mutate the rows)."""
        ...


def _g_sort(side: str) -> Any:
    if side == "given":
        return lambda r: (r["guarantor"], r["loan"], r["borrower"])
    return lambda r: (r["borrower"], r["loan"], r["guarantor"])


def _rec_sort(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows.sort(key=lambda r: r["id"])
    rows.sort(key=lambda r: str(r.get("date") or ""), reverse=True)
    return rows


class QueryGraph:
    """GraphView over label-specific named queries (one per id prefix)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def entity(self, node_id: str) -> dict[str, Any] | None:
        """Return the node's properties via its label's query, or None."""
        label = fast_label(node_id)
        if label in (None, "Meta"):
            return None
        rows = self.store.run(entity_query(str(label)), {"id": node_id})
        return rows[0] if rows else None

    def edges(self, ids: list[str], types: list[str], cap: int) -> list[dict[str, Any]]:
        """Return edges touching `ids` (see GraphView)."""
        out = self.store.run("api_edges_out", {"ids": ids, "types": types, "limit": cap})
        inc = self.store.run("api_edges_in", {"ids": ids, "types": types, "limit": cap})
        return out + inc

    def guarantees(self, ids: list[str], side: str, cap: int) -> list[dict[str, Any]]:
        """Return guarantees given or received by the parties (one query per party)."""
        q = "api_party_guarantees_given" if side == "given" else "api_party_guarantees_received"
        rows: list[dict[str, Any]] = []
        for i in ids:
            if fast_label(i) in ("Person", "Company"):
                rows += self.store.run(q, {"id": i, "limit": cap})
            if len(rows) >= cap:
                break
        rows.sort(key=_g_sort(side))
        return rows[:cap]

    def loans_of(self, party: str, cap: int) -> list[dict[str, Any]]:
        """Return the loans the party borrowed."""
        return self.store.run("api_party_loans", {"id": party, "limit": cap})

    def records_of(self, ids: list[str], cap: int) -> list[dict[str, Any]]:
        """Return negative records about the parties, newest first."""
        rows: list[dict[str, Any]] = []
        for i in ids:
            if fast_label(i) in ("Person", "Company"):
                rows += self.store.run("api_party_records", {"id": i, "limit": cap})
        return _rec_sort(rows)[:cap]

    def circles_of(self, party: str) -> list[dict[str, Any]]:
        """Return the guarantee circles of the party."""
        return self.store.run("api_circles_of", {"id": party})

    def communities_of(self, node_id: str) -> list[dict[str, Any]]:
        """Return the communities of the node."""
        return self.store.run("api_communities_of", {"id": node_id})

    def search(self, label: str, q: str, limit: int) -> list[dict[str, Any]]:
        """Return matching persons or companies via `api_person_search` / `api_company_search`."""
        name = "api_person_search" if label == "Person" else "api_company_search"
        return self.store.run(name, {"q": q, "skip": 0, "limit": limit})

    def run_cached(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the rows of the named query (no cache: other processes may write)."""
        return self.store.run(name, params)


class IndexedGraph:
    """GraphView over an in-memory index of the whole (immutable while served) graph."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        tables = []
        self.types = list(RELS)
        extra: dict[str, pa.Table] = {}
        for code, rel in enumerate(self.types):
            # kuzu's parallel scan returns edges in varying order: fix it, so that neighbourhoods
            # (and which nodes a size limit cuts) are the same after every restart
            t = store.export_edges(rel, _EDGE_PROPS.get(rel, [])).sort_by("key")
            if rel in _EDGE_PROPS:
                extra[rel] = t
            tables.append(pa.table({
                "src": t["src"].cast(pa.string()), "dst": t["dst"].cast(pa.string()),
                "key": t["key"].cast(pa.int64()),
                "type": pa.array(np.full(t.num_rows, code, np.int8)),
            }))
        e = pa.concat_tables(tables)
        ids = pc.unique(pa.concat_arrays([e["src"].combine_chunks(), e["dst"].combine_chunks()]))
        self.ids: list[str] = ids.to_pylist()
        self.index: dict[str, int] = {v: i for i, v in enumerate(self.ids)}
        n = len(self.ids)
        src = pc.index_in(e["src"], value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)
        dst = pc.index_in(e["dst"], value_set=ids).to_numpy(zero_copy_only=False).astype(np.int64)
        self.src, self.dst = src, dst
        self.etype = e["type"].to_numpy(zero_copy_only=False)
        self.key = e["key"].to_numpy(zero_copy_only=False)
        self.out_order = np.argsort(src, kind="stable")
        self.out_ptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
        self.in_order = np.argsort(dst, kind="stable")
        self.in_ptr = np.concatenate([[0], np.cumsum(np.bincount(dst, minlength=n))])
        # names of every node that has one
        self.names: dict[str, str] = {}
        for label in _NAMED:
            t = store.export_nodes(label, ["name"])
            for i, nm in zip(t["id"].to_pylist(), t["name"].to_pylist(), strict=True):
                if nm is not None:
                    self.names[i] = nm
        self.loans = _rows_by_id(store.export_nodes("Loan", _LOAN_COLS))
        self.records = _rows_by_id(store.export_nodes("NegativeRecord", _RECORD_COLS))
        self.circles = _rows_by_id(store.export_nodes("Circle", ["size", "risk_score",
                                                                 "total_balance"]))
        self.community_size = {r["id"]: r["size"] for r in
                               store.export_nodes("Community", ["size"]).to_pylist()}
        self.guarantee_props: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in extra["GUARANTEES"].to_pylist():
            self.guarantee_props[(r["src"], r["dst"])].append(
                {"gtype": r["gtype"], "amount": r["amount"]})
        self.rank = {(r["src"], r["dst"]): r["rank"] for r in extra["IN_COMMUNITY"].to_pylist()}
        self.borrowers: dict[str, list[str]] = defaultdict(list)
        self.loans_by: dict[str, list[str]] = defaultdict(list)
        b = self.types.index("BORROWED")
        sel = np.nonzero(self.etype == b)[0]
        for s, d in zip(src[sel].tolist(), dst[sel].tolist(), strict=True):
            self.borrowers[self.ids[d]].append(self.ids[s])
            self.loans_by[self.ids[s]].append(self.ids[d])
        self.n_edges = len(src)
        # displayable properties of every node, columnar, and where each id's row is
        self.tables: dict[str, pa.Table] = {}
        self.row_of: dict[str, tuple[str, int]] = {}
        for nt in NODES.values():
            if nt.label == "Meta":
                continue
            cols = [c for c in SHOWN if any(p.name == c for p in nt.props)]
            t = store.export_nodes(nt.label, cols)
            self.tables[nt.label] = t
            for r, i in enumerate(t["id"].to_pylist()):
                self.row_of[i] = (nt.label, r)
        self.by_id: dict[str, list[tuple[str, str | None, str | None]]] = {}
        for label in ("Person", "Company"):
            t = self.tables[label].sort_by("id")
            uscc = t["uscc"].to_pylist() if "uscc" in t.column_names else [None] * t.num_rows
            self.by_id[label] = list(zip(t["id"].to_pylist(), t["name"].to_pylist(), uscc,
                                         strict=True))
        self._cache: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._cache_lock = threading.Lock()

    # -- integer traversal (what `traverse` uses for an IndexedGraph) --------------------
    def node_index(self, node_id: str) -> int:
        """Return the node's position in `ids`, or -1 for a node without edges."""
        return self.index.get(node_id, -1)

    def type_mask(self, types: list[str]) -> np.ndarray | None:
        """Return a per-type-code keep mask for `types`, or None when all types are wanted."""
        if len(set(types)) >= len(self.types):
            return None
        mask = np.zeros(len(self.types), bool)
        mask[[self.types.index(t) for t in types]] = True
        return mask

    def _gather(self, frontier: np.ndarray, mask: np.ndarray | None, cap: int,
                out: bool) -> np.ndarray:
        ptr, order = (self.out_ptr, self.out_order) if out else (self.in_ptr, self.in_order)
        got: list[np.ndarray] = []
        n = 0
        for lo in range(0, len(frontier), 256):  # chunks: stop early past the cap
            f = frontier[lo : lo + 256]
            starts = ptr[f]
            lens = ptr[f + 1] - starts
            total = int(lens.sum())
            if total == 0:
                continue
            pos = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total)
            sl = order[pos]
            if mask is not None:
                sl = sl[mask[self.etype[sl]]]
            got.append(sl[: cap - n])
            n += min(len(sl), cap - n)
            if n >= cap:
                break
        return np.concatenate(got) if got else np.empty(0, np.int64)

    def expand(self, frontier: np.ndarray, mask: np.ndarray | None,
               cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (edge, here, other) index arrays of the edges touching `frontier` (node
        positions, -1 for none) in the order `edges` lists them: out-edges node by node cut
        at `cap`, then in-edges cut at `cap`; `here` is the frontier end, `other` the far end."""
        f = frontier[frontier >= 0]
        e_out = self._gather(f, mask, cap, True)
        e_in = self._gather(f, mask, cap, False)
        e = np.concatenate([e_out, e_in])
        here = np.concatenate([self.src[e_out], self.dst[e_in]])
        other = np.concatenate([self.dst[e_out], self.src[e_in]])
        return e, here, other

    def node_rows(self, nodes: np.ndarray) -> list[dict[str, Any]]:
        """Return {id, label, name} of nodes given by position (label from the id prefix)."""
        out = []
        for i in nodes.tolist():
            node_id = self.ids[i]
            out.append({"id": node_id, "label": fast_label(node_id),
                        "name": self.names.get(node_id)})
        return out

    def edge_rows(self, edges: np.ndarray) -> list[dict[str, Any]]:
        """Return {src, dst, type} of edges given by position."""
        ids, types = self.ids, self.types
        return [{"src": ids[s], "dst": ids[d], "type": types[t]} for s, d, t in
                zip(self.src[edges].tolist(), self.dst[edges].tolist(),
                    self.etype[edges].tolist(), strict=True)]

    # -- helpers -----------------------------------------------------------------------
    def _adjacent(self, node: str, codes: np.ndarray, out: bool) -> np.ndarray:
        i = self.index.get(node)
        if i is None:
            return np.empty(0, np.int64)
        ptr, order = (self.out_ptr, self.out_order) if out else (self.in_ptr, self.in_order)
        sl = order[ptr[i] : ptr[i + 1]]
        if len(codes) < len(self.types):
            sl = sl[np.isin(self.etype[sl], codes)]
        return sl

    def _row(self, e: int, out: bool) -> dict[str, Any]:
        s, d = self.ids[self.src[e]], self.ids[self.dst[e]]
        other = d if out else s
        return {"src": s, "dst": d, "type": self.types[self.etype[e]], "key": int(self.key[e]),
                "other": other, "other_label": fast_label(other),
                "other_name": self.names.get(other)}

    # -- GraphView ---------------------------------------------------------------------
    def entity(self, node_id: str) -> dict[str, Any] | None:
        """Return the node's properties (as its label's `api_entity_*` query would)."""
        at = self.row_of.get(node_id)
        if at is None:
            return None
        label, r = at
        row = self.tables[label].slice(r, 1).to_pylist()[0]
        return {"id": row.pop("id"), "label": label, **row}

    def edges(self, ids: list[str], types: list[str], cap: int) -> list[dict[str, Any]]:
        """Return edges touching `ids` (see GraphView)."""
        codes = np.array([self.types.index(t) for t in types], np.int8)
        rows: list[dict[str, Any]] = []
        for out in (True, False):
            n = 0
            for node in ids:
                for e in self._adjacent(node, codes, out)[: cap - n].tolist():
                    rows.append(self._row(e, out))
                    n += 1
                if n >= cap:
                    break
        return rows

    def _guarantee_rows(self, g: str, loan: str) -> list[dict[str, Any]]:
        ln = self.loans.get(loan, {})
        return [
            {"guarantor": g, "guarantor_name": self.names.get(g), "loan": loan, "borrower": b,
             "borrower_name": self.names.get(b), "gtype": p["gtype"], "amount": p["amount"],
             "balance": ln.get("balance"), "classification": ln.get("classification")}
            for p in self.guarantee_props.get((g, loan), []) for b in self.borrowers.get(loan, [])
        ]

    def guarantees(self, ids: list[str], side: str, cap: int) -> list[dict[str, Any]]:
        """Return guarantees given or received by the parties (see GraphView)."""
        code = np.array([self.types.index("GUARANTEES")], np.int8)
        rows: list[dict[str, Any]] = []
        for i in ids:
            if side == "given":
                for e in self._adjacent(i, code, True).tolist():
                    rows += self._guarantee_rows(i, self.ids[self.dst[e]])
            else:
                for loan in self.loans_by.get(i, []):
                    for e in self._adjacent(loan, code, False).tolist():
                        rows += [r for r in self._guarantee_rows(self.ids[self.src[e]], loan)
                                 if r["borrower"] == i]
            if len(rows) >= cap:
                break
        rows.sort(key=_g_sort(side))
        return rows[:cap]

    def loans_of(self, party: str, cap: int) -> list[dict[str, Any]]:
        """Return the loans the party borrowed."""
        out = [{"borrower": party, "id": ln, **{k: self.loans.get(ln, {}).get(k) for k in
                                                ("amount", "balance", "classification",
                                                 "overdue_days", "status")}}
               for ln in sorted(self.loans_by.get(party, []))]
        return out[:cap]

    def records_of(self, ids: list[str], cap: int) -> list[dict[str, Any]]:
        """Return negative records about the parties, newest first."""
        code = np.array([self.types.index("SUBJECT_OF")], np.int8)
        rows = []
        for i in ids:
            for e in self._adjacent(i, code, True).tolist():
                rec = self.ids[self.dst[e]]
                if rec in self.records:
                    rows.append({"subject": i, **self.records[rec]})
        return _rec_sort(rows)[:cap]

    def circles_of(self, party: str) -> list[dict[str, Any]]:
        """Return the guarantee circles of the party, riskiest first."""
        code = np.array([self.types.index("IN_CIRCLE")], np.int8)
        rows = [dict(self.circles[k]) for e in self._adjacent(party, code, True).tolist()
                if (k := self.ids[self.dst[e]]) in self.circles]
        rows.sort(key=lambda r: r["id"])
        rows.sort(key=lambda r: -(r.get("risk_score") or 0.0))
        return rows

    def communities_of(self, node_id: str) -> list[dict[str, Any]]:
        """Return the communities of the node with its rank."""
        code = np.array([self.types.index("IN_COMMUNITY")], np.int8)
        rows = []
        for e in self._adjacent(node_id, code, True).tolist():
            c = self.ids[self.dst[e]]
            rows.append({"id": c, "size": self.community_size.get(c),
                         "rank": self.rank.get((node_id, c))})
        return sorted(rows, key=lambda r: r["id"])

    def search(self, label: str, q: str, limit: int) -> list[dict[str, Any]]:
        """Return matching persons or companies, by id (see GraphView)."""
        out = []
        for i, name, uscc in self.by_id[label]:
            if i == q or uscc == q or (name is not None and q in name):
                out.append({"id": i, "label": label, "name": name})
                if len(out) >= limit:
                    break
        return out

    def run_cached(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the rows of the named query, cached for the life of the index."""
        key = (name, json.dumps(params, sort_keys=True, default=str))
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        rows = self.store.run(name, params)
        with self._cache_lock:
            if len(self._cache) >= CACHE_ENTRIES:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = rows
        return rows


def _rows_by_id(t: pa.Table) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in t.to_pylist()}
