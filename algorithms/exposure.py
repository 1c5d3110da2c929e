"""Negative-event exposure: records within k hops of each party, and live-loan alerts.

Pure functions over Arrow tables: typed party–party ties (``a``, ``b``, ``type`` with type
``guarantee`` | ``legal_rep`` | ``shareholder`` | ``household`` | ``transfer``), negative
records (``subject``, ``record``, ``kind``, ``date``), loans and guarantees. The tie graph is
undirected; parallel ties between two parties collapse into one edge that keeps every type,
so the shortest path explains itself ("guarantee → household").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import igraph as ig
import pyarrow as pa

RELATED_KINDS = ("legal_rep", "shareholder", "household")


def _col(table: pa.Table, name: str) -> list[Any]:
    return table[name].to_pylist() if name in table.column_names else [None] * table.num_rows


@dataclass
class TieGraph:
    """An undirected party graph whose edges keep the sorted list of tie types."""

    nodes: list[str]
    index: dict[str, int]
    graph: ig.Graph
    edge_types: dict[tuple[int, int], list[str]]

    def types(self, u: int, v: int) -> list[str]:
        """Return the tie types between nodes ``u`` and ``v`` (empty when not adjacent)."""
        return self.edge_types.get((min(u, v), max(u, v)), [])


def build_tie_graph(ties: pa.Table, extra_nodes: list[str] | None = None) -> TieGraph:
    """Return the undirected typed tie graph of a (``a``, ``b``, ``type``) table.

    Examples
    --------
    >>> import pyarrow as pa
    >>> tg = build_tie_graph(pa.table({"a": ["X", "Y", "X"], "b": ["Y", "X", "Z"],
    ...                                "type": ["guarantee", "household", "transfer"]}))
    >>> tg.graph.ecount(), tg.types(tg.index["X"], tg.index["Y"])
    (2, ['guarantee', 'household'])
    """
    a, b, t = _col(ties, "a"), _col(ties, "b"), _col(ties, "type")
    nodes = sorted({x for x in a if x} | {x for x in b if x} | set(extra_nodes or []))
    index = {v: i for i, v in enumerate(nodes)}
    types: dict[tuple[int, int], set[str]] = defaultdict(set)
    for x, y, k in zip(a, b, t, strict=True):
        if not x or not y or x == y:
            continue
        i, j = index[x], index[y]
        types[(min(i, j), max(i, j))].add(str(k))
    keys = sorted(types)
    g = ig.Graph(n=len(nodes), edges=keys, directed=False)
    return TieGraph(nodes, index, g, {k: sorted(v) for k, v in types.items()})


def negative_exposure(
    tg: TieGraph, records: pa.Table, *, hops: int = 3
) -> dict[str, list[dict[str, Any]]]:
    """Return, for every party within ``hops`` of a negative record's subject, the records.

    Each hit: ``record``, ``kind``, ``date``, ``subject``, ``hops``, ``path`` (party ids from
    the party to the subject, one shortest path) and ``via`` (the tie types of each step).
    Parties appear only if they have at least one hit; the subject itself has hops 0.

    Examples
    --------
    >>> import pyarrow as pa
    >>> tg = build_tie_graph(pa.table({"a": ["A", "B"], "b": ["B", "C"],
    ...                                "type": ["guarantee", "legal_rep"]}))
    >>> rec = pa.table({"subject": ["C"], "record": ["N:1"], "kind": ["被执行人"],
    ...                 "date": ["2026-01-01"]})
    >>> h = negative_exposure(tg, rec, hops=3)["A"][0]
    >>> h["hops"], h["path"], h["via"]
    (2, ['A', 'B', 'C'], [['guarantee'], ['legal_rep']])
    """
    by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s, r, k, d in zip(_col(records, "subject"), _col(records, "record"),
                          _col(records, "kind"), _col(records, "date"), strict=True):
        if s:
            by_subject[s].append({"record": r, "kind": k, "date": d})
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for subject in sorted(by_subject):
        recs = by_subject[subject]
        if subject not in tg.index:
            for rec in recs:
                out[subject].append({**rec, "subject": subject, "hops": 0, "path": [subject],
                                     "via": []})
            continue
        s = tg.index[subject]
        parents: dict[int, int] = {s: s}
        frontier = [s]
        for depth in range(hops + 1):
            if depth:  # expand one layer; stop at `hops` instead of visiting the whole graph
                nxt = []
                for u in frontier:
                    for w in tg.graph.neighbors(u):
                        if w not in parents:
                            parents[w] = u
                            nxt.append(w)
                frontier = sorted(nxt)
            for v in frontier:
                path = [v]
                while path[-1] != s:
                    path.append(parents[path[-1]])
                via = [tg.types(path[i], path[i + 1]) for i in range(len(path) - 1)]
                names = [tg.nodes[i] for i in path]
                for rec in recs:
                    out[tg.nodes[v]].append(
                        {**rec, "subject": subject, "hops": depth, "path": names, "via": via}
                    )
    for hits in out.values():
        hits.sort(key=lambda h: (h["hops"], str(h["date"]), str(h["record"])))
    return dict(out)


def loan_alerts(
    loans: pa.Table,
    guarantees: pa.Table,
    related: pa.Table,
    records: pa.Table,
) -> list[dict[str, Any]]:
    """Return alerts: live loans whose parties have a negative record dated after the start.

    ``loans``: ``loan``, ``borrower``, ``balance``, ``start_date``; ``guarantees``:
    ``guarantor``, ``loan``; ``related``: ``a``, ``b``, ``kind`` (legal_rep / shareholder /
    household ties, either direction); ``records``: ``subject``, ``record``, ``kind``,
    ``date``. A loan is live when its balance is > 0. The party hit is the borrower, a
    guarantor, or a related party of either (``role`` says which, ``via`` the tie kind).
    Records with no date are not compared and do not alert.

    Examples
    --------
    >>> import pyarrow as pa
    >>> loans = pa.table({"loan": ["L:1"], "borrower": ["B"], "balance": [10.0],
    ...                   "start_date": ["2025-01-01"]})
    >>> gs = pa.table({"guarantor": ["G"], "loan": ["L:1"]})
    >>> rel = pa.table({"a": ["G"], "b": ["H"], "kind": ["household"]})
    >>> recs = pa.table({"subject": ["H", "B"], "record": ["N:1", "N:2"],
    ...                  "kind": ["被执行人", "判决被告"], "date": ["2025-06-01", "2024-01-01"]})
    >>> [(a["record"], a["role"], a["party"]) for a in loan_alerts(loans, gs, rel, recs)]
    [('N:1', 'related_of_guarantor', 'H')]
    """
    recs_by: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for s, r, k, d in zip(_col(records, "subject"), _col(records, "record"),
                          _col(records, "kind"), _col(records, "date"), strict=True):
        if s and d:
            recs_by[s].append((str(r), str(k), str(d)))
    rel_by: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a, b, k in zip(_col(related, "a"), _col(related, "b"), _col(related, "kind"),
                       strict=True):
        if a and b and a != b and k in RELATED_KINDS:
            rel_by[a].append((b, str(k)))
            rel_by[b].append((a, str(k)))
    guar_by: dict[str, list[str]] = defaultdict(list)
    for g, ln in zip(_col(guarantees, "guarantor"), _col(guarantees, "loan"), strict=True):
        if g and ln:
            guar_by[ln].append(g)
    out: list[dict[str, Any]] = []
    for ln, b, bal, start in zip(_col(loans, "loan"), _col(loans, "borrower"),
                                 _col(loans, "balance"), _col(loans, "start_date"), strict=True):
        if not bal or bal <= 0 or not start:
            continue
        parties: list[tuple[str, str, str | None, list[str]]] = [(b, "borrower", None, [b])]
        parties += [(g, "guarantor", None, [g]) for g in sorted(set(guar_by.get(ln, [])))]
        for p, role, _, _ in list(parties):
            for q, rel_kind in sorted(set(rel_by.get(p, []))):
                parties.append((q, f"related_of_{role}", rel_kind, [p, q]))
        seen: set[tuple[str, str]] = set()
        for p, role, via, path in parties:
            for r, k, d in recs_by.get(p, []):
                if d > str(start) and (r, p) not in seen:
                    seen.add((r, p))
                    out.append({"loan": ln, "borrower": b, "balance": float(bal),
                                "start_date": start, "party": p, "role": role, "via": via,
                                "path": path, "record": r, "kind": k, "date": d})
    out.sort(key=lambda a: (a["loan"], a["date"], a["record"]))
    return out


__all__ = [
    "RELATED_KINDS",
    "TieGraph",
    "build_tie_graph",
    "loan_alerts",
    "negative_exposure",
]
