"""Guarantee structures: circles (担保圈), related-party contraction, 联保 groups and chains.

Pure functions over a guarantee edge table (Arrow; one row per guarantee of a loan:
``guarantor``, ``borrower``, ``loan``, ``amount`` = guaranteed amount, ``balance`` = loan
balance, optional ``group_id``) and a related-party table (``a``, ``b``, ``kind`` with kind
``legal_rep`` | ``shareholder`` | ``household``). Nothing here opens a store.

Edges point guarantor → borrower: if the borrower defaults, the guarantor pays.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from guanxi.algorithms.cycles import mutual_pairs, nontrivial_sccs, simple_cycles

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

CONTRACTION_KINDS = ("legal_rep", "shareholder", "household")


@dataclass
class GuaranteeGraph:
    """A guarantee projection: node ids, and one directed edge per guarantee row."""

    nodes: list[str]
    index: dict[str, int]
    src: IntArray
    dst: IntArray
    amount: FloatArray
    balance: FloatArray
    loans: list[str]
    group_ids: list[str | None] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Return the number of nodes."""
        return len(self.nodes)

    def igraph(self) -> ig.Graph:
        """Return a directed igraph graph (vertex ``name``; edge ``loan``, ``amount``, ``balance``)."""
        g = ig.Graph(n=self.n, edges=np.column_stack([self.src, self.dst]).tolist(),
                     directed=True)
        g.vs["name"] = self.nodes
        g.es["loan"] = self.loans
        g.es["amount"] = self.amount.tolist()
        g.es["balance"] = self.balance.tolist()
        return g


def _col(table: pa.Table, name: str) -> list[Any]:
    return table[name].to_pylist() if name in table.column_names else [None] * table.num_rows


def build_guarantee_graph(table: pa.Table, extra_nodes: list[str] | None = None) -> GuaranteeGraph:
    """Return the guarantor → borrower graph of a guarantee table (one edge per row).

    A null guaranteed ``amount`` falls back to the loan ``balance``; null balances are 0.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"guarantor": ["A", "B"], "borrower": ["B", "A"], "loan": ["L1", "L2"],
    ...               "amount": [10.0, None], "balance": [8.0, 5.0]})
    >>> gg = build_guarantee_graph(t)
    >>> gg.nodes, gg.src.tolist(), gg.amount.tolist()
    (['A', 'B'], [0, 1], [10.0, 5.0])
    """
    g = [str(x) for x in _col(table, "guarantor")]
    b = [str(x) for x in _col(table, "borrower")]
    nodes = sorted(set(g) | set(b) | set(extra_nodes or []))
    index = {v: i for i, v in enumerate(nodes)}
    bal = np.array([x if x is not None else 0.0 for x in _col(table, "balance")], dtype=float)
    amt = np.array(
        [a if a is not None else bal[i] for i, a in enumerate(_col(table, "amount"))], dtype=float
    )
    return GuaranteeGraph(
        nodes=nodes,
        index=index,
        src=np.array([index[x] for x in g], dtype=np.int64),
        dst=np.array([index[x] for x in b], dtype=np.int64),
        amount=amt,
        balance=bal,
        loans=[str(x) for x in _col(table, "loan")],
        group_ids=[x if x else None for x in _col(table, "group_id")],
    )


def controlling_shareholders(table: pa.Table, threshold: float = 0.5) -> list[tuple[str, str]]:
    """Return (holder, company) pairs where the holder owns at least ``threshold`` (strict
    control: 0.5) of the company.

    ``table`` has columns ``src`` (holder), ``dst`` (company), ``share``; null shares are
    ignored. A largest-but-minority shareholder does not control the company and is not
    merged (it produced circles the bank does not treat as one economic unit).

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"src": ["P", "Q", "R"], "dst": ["C", "C", "D"], "share": [0.3, 0.2, 0.6]})
    >>> controlling_shareholders(t)
    [('R', 'D')]
    """
    out = {
        (h, c)
        for h, c, s in zip(_col(table, "src"), _col(table, "dst"), _col(table, "share"),
                           strict=True)
        if s is not None and float(s) >= threshold
    }
    return sorted(out, key=lambda hc: (hc[1], hc[0]))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        if p != x:
            p = self.parent[x] = self.find(p)
        return p

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def contraction_groups(
    related: pa.Table, kinds: tuple[str, ...] = ("legal_rep", "shareholder")
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Return (representative of each merged party, merge pairs ``(a, b, kind)`` used).

    ``related`` has columns ``a``, ``b``, ``kind``; only rows whose kind is in ``kinds`` merge.
    Parties not in the map stand for themselves.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"a": ["P", "P"], "b": ["C", "D"], "kind": ["legal_rep", "household"]})
    >>> contraction_groups(t)
    ({'C': 'C', 'P': 'C'}, [('C', 'P', 'legal_rep')])
    """
    uf = _UnionFind()
    best: dict[tuple[str, str], str] = {}
    for a, b, k in zip(_col(related, "a"), _col(related, "b"), _col(related, "kind"), strict=True):
        if k in kinds and a and b and a != b:
            x, y = sorted((a, b))
            # a pair related in several ways keeps the strongest kind (legal_rep first)
            if (x, y) not in best or CONTRACTION_KINDS.index(k) < CONTRACTION_KINDS.index(
                best[(x, y)]
            ):
                best[(x, y)] = k
            uf.union(x, y)
    pairs = sorted((x, y, k) for (x, y), k in best.items())
    rep = {x: uf.find(x) for x in sorted(uf.parent)}
    return rep, pairs


def _connecting_pairs(
    members: list[str], pairs: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """Return the merge pairs on shortest paths joining `members` inside one group."""
    adj: dict[str, list[tuple[str, tuple[str, str, str]]]] = defaultdict(list)
    for p in pairs:
        adj[p[0]].append((p[1], p))
        adj[p[1]].append((p[0], p))
    root = members[0]
    parent: dict[str, tuple[str, tuple[str, str, str]] | None] = {root: None}
    queue = [root]
    for x in queue:
        for y, p in adj[x]:
            if y not in parent:
                parent[y] = (x, p)
                queue.append(y)
    used: set[tuple[str, str, str]] = set()
    for m in members[1:]:
        step = parent.get(m)
        while step is not None:
            used.add(step[1])
            step = parent.get(step[0])
    return sorted(used)


def circle_id(members: list[str] | set[str]) -> str:
    """Return the stable Circle node id ``K:<16 hex of sha256 of the sorted members>``.

    Examples
    --------
    >>> circle_id(["B", "A"]) == circle_id(["A", "B"])
    True
    """
    h = hashlib.sha256("\x1f".join(sorted(members)).encode("utf-8")).hexdigest()[:16]
    return f"K:{h}"


def _motifs(m: int, src: IntArray, dst: IntArray, max_cycle: int) -> dict[str, Any]:
    cycles = simple_cycles(m, src, dst, max_cycle)
    by_len: dict[int, int] = defaultdict(int)
    for c in cycles:
        by_len[len(c)] += 1
    return {
        "mutual_pairs": len(mutual_pairs(src, dst)),
        "triangles": by_len.get(3, 0),
        "cycles": len(cycles),
        "cycles_by_length": {str(k): by_len[k] for k in sorted(by_len)},
        "_cycles": cycles,
    }


def _circle_record(
    gg: GuaranteeGraph,
    members: list[str],
    edge_idx: IntArray,
    contraction: str,
    via: list[tuple[str, str, str]],
    motifs: dict[str, Any],
    cycle_names: list[list[str]],
) -> dict[str, Any]:
    loans = sorted({gg.loans[i] for i in edge_idx})
    bal_by_loan = {gg.loans[i]: float(gg.balance[i]) for i in edge_idx}
    return {
        "id": circle_id(members),
        "members": sorted(members),
        "size": len(members),
        "contraction": contraction,
        "contracted_via": [list(p) for p in via],
        "loans": loans,
        "guarantees": [
            {"guarantor": gg.nodes[int(gg.src[i])], "borrower": gg.nodes[int(gg.dst[i])],
             "loan": gg.loans[i], "amount": float(gg.amount[i])}
            for i in edge_idx
        ],
        "total_balance": float(sum(bal_by_loan.values())),
        "guaranteed_amount": float(gg.amount[edge_idx].sum()),
        "motifs": {k: v for k, v in motifs.items() if not k.startswith("_")},
        "cycles": cycle_names,
    }


def find_circles(
    gg: GuaranteeGraph,
    *,
    max_cycle: int = 8,
    related: pa.Table | None = None,
    kinds: tuple[str, ...] = ("legal_rep", "shareholder"),
    max_listed_cycles: int = 50,
) -> list[dict[str, Any]]:
    """Return guarantee circles: non-trivial SCCs, plain and after related-party contraction.

    Each circle is a dict: ``id`` (``K:…``), ``members`` (party ids whose guarantees form it),
    ``contraction`` (``none`` or the merge kinds that made it, e.g. ``legal_rep``),
    ``contracted_via`` (merge pairs ``[a, b, kind]``), ``loans``, ``guarantees``,
    ``total_balance``, ``guaranteed_amount``, ``motifs`` (mutual pairs, triangles, cycle
    counts by length up to ``max_cycle``) and ``cycles`` (up to ``max_listed_cycles``, as
    member lists; contracted members joined by ``+``). A contracted circle is reported only
    when its member set differs from every plain circle's.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"guarantor": ["A", "B", "C"], "borrower": ["B", "A", "P"],
    ...               "loan": ["L1", "L2", "L3"], "amount": [1.0, 1.0, 1.0],
    ...               "balance": [1.0, 1.0, 1.0]})
    >>> [c["members"] for c in find_circles(build_guarantee_graph(t))]
    [['A', 'B']]
    >>> rel = pa.table({"a": ["P"], "b": ["B"], "kind": ["legal_rep"]})
    >>> t2 = pa.table({"guarantor": ["A", "P"], "borrower": ["B", "A"], "loan": ["L1", "L2"],
    ...                "amount": [1.0, 1.0], "balance": [1.0, 1.0]})
    >>> [(c["members"], c["contraction"]) for c in find_circles(build_guarantee_graph(t2),
    ...                                                         related=rel)]
    [(['A', 'B', 'P'], 'legal_rep')]
    """
    out: list[dict[str, Any]] = []
    plain_sets: set[frozenset[str]] = set()
    for comp in nontrivial_sccs(gg.n, gg.src, gg.dst):
        inside = np.zeros(gg.n, dtype=bool)
        inside[comp] = True
        eidx = np.flatnonzero(inside[gg.src] & inside[gg.dst] & (gg.src != gg.dst))
        local = {int(v): i for i, v in enumerate(comp)}
        ls = np.array([local[int(v)] for v in gg.src[eidx]], dtype=np.int64)
        ld = np.array([local[int(v)] for v in gg.dst[eidx]], dtype=np.int64)
        mot = _motifs(len(comp), ls, ld, max_cycle)
        names = [[gg.nodes[int(comp[i])] for i in c] for c in mot["_cycles"][:max_listed_cycles]]
        members = [gg.nodes[int(v)] for v in comp]
        plain_sets.add(frozenset(members))
        out.append(_circle_record(gg, members, eidx, "none", [], mot, names))
    if related is None or related.num_rows == 0:
        return out
    rep, pairs = contraction_groups(related, kinds)
    if not pairs:
        return out
    groups = sorted({rep.get(v, v) for v in gg.nodes})
    gindex = {r: i for i, r in enumerate(groups)}
    node_group = np.array([gindex[rep.get(v, v)] for v in gg.nodes], dtype=np.int64)
    cs, cd = node_group[gg.src], node_group[gg.dst]
    group_members: dict[str, list[str]] = defaultdict(list)
    for v in gg.nodes:
        group_members[rep.get(v, v)].append(v)
    for comp in nontrivial_sccs(len(groups), cs, cd):
        inside = np.zeros(len(groups), dtype=bool)
        inside[comp] = True
        eidx = np.flatnonzero(inside[cs] & inside[cd] & (cs != cd))
        members_set = {gg.nodes[int(v)] for v in gg.src[eidx]} | {
            gg.nodes[int(v)] for v in gg.dst[eidx]
        }
        if frozenset(members_set) in plain_sets:
            continue
        # merge pairs of the groups in which the loop enters and leaves at different parties
        via: list[tuple[str, str, str]] = []
        for gi in comp:
            g = groups[int(gi)]
            inside_g = sorted(v for v in group_members[g] if v in members_set)
            if len(inside_g) >= 2:
                via.extend(_connecting_pairs(inside_g, [p for p in pairs if rep.get(p[0]) == g]))
        kinds_used = sorted({k for _, _, k in via}, key=CONTRACTION_KINDS.index)
        local = {int(v): i for i, v in enumerate(comp)}
        ls = np.array([local[int(v)] for v in cs[eidx]], dtype=np.int64)
        ld = np.array([local[int(v)] for v in cd[eidx]], dtype=np.int64)
        mot = _motifs(len(comp), ls, ld, max_cycle)

        def gname(i: int, comp: IntArray = comp, ms: set[str] = members_set) -> str:
            return "+".join(sorted(v for v in group_members[groups[int(comp[i])]] if v in ms))

        names = [[gname(i) for i in c] for c in mot["_cycles"][:max_listed_cycles]]
        out.append(
            _circle_record(
                gg, sorted(members_set), eidx, "+".join(kinds_used) or "none", via, mot, names
            )
        )
    return out


def joint_guarantee_groups(table: pa.Table, min_guarantors: int = 3) -> list[dict[str, Any]]:
    """Return 联保 structures: every ``group_id`` group, and loans with many guarantors.

    Each item: ``kind`` (``group`` or ``star``), ``group_id`` (None for stars), ``loans``,
    ``guarantors``, ``borrowers``, ``guaranteed_amount``, ``total_balance``. A star is a loan
    without a group_id that has at least ``min_guarantors`` distinct guarantors.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"guarantor": ["A", "B", "C"], "borrower": ["X"] * 3, "loan": ["L"] * 3,
    ...               "amount": [1.0] * 3, "balance": [9.0] * 3, "group_id": [None] * 3})
    >>> [(s["kind"], s["guarantors"]) for s in joint_guarantee_groups(t)]
    [('star', ['A', 'B', 'C'])]
    """
    rows = list(
        zip(_col(table, "guarantor"), _col(table, "borrower"), _col(table, "loan"),
            _col(table, "amount"), _col(table, "balance"), _col(table, "group_id"), strict=True)
    )
    by_group: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    by_loan: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows:
        if r[5]:
            by_group[str(r[5])].append(r)
        else:
            by_loan[str(r[2])].append(r)

    def summary(kind: str, gid: str | None, rs: list[tuple[Any, ...]]) -> dict[str, Any]:
        bal = {r[2]: float(r[4] or 0.0) for r in rs}
        return {
            "kind": kind,
            "group_id": gid,
            "loans": sorted({r[2] for r in rs}),
            "guarantors": sorted({r[0] for r in rs}),
            "borrowers": sorted({r[1] for r in rs}),
            "guaranteed_amount": float(sum(float(r[3] or 0.0) for r in rs)),
            "total_balance": float(sum(bal.values())),
        }

    out = [summary("group", g, by_group[g]) for g in sorted(by_group)]
    for loan in sorted(by_loan):
        rs = by_loan[loan]
        if len({r[0] for r in rs}) >= min_guarantors:
            out.append(summary("star", None, rs))
    return out


def guarantee_chains(
    gg: GuaranteeGraph, *, min_nodes: int = 3, exposure: bool = True
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Return per-node chain facts and the maximal chains, on the SCC condensation DAG.

    Per node: ``chain_length`` (nodes on the longest guarantee chain through it, an SCC
    counting as one step), ``chain`` (that chain as a list of node ids; an SCC shows as its
    first member) and, with ``exposure``, ``downstream_balance`` — the total balance of
    distinct loans the node is directly or indirectly on the hook for (guarantees reachable
    along guarantor → borrower edges from it). Chains: longest chains from every DAG source
    with at least ``min_nodes`` nodes, with their ``members`` and ``loans``.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"guarantor": ["A", "B"], "borrower": ["B", "C"], "loan": ["L1", "L2"],
    ...               "amount": [1.0, 1.0], "balance": [5.0, 7.0]})
    >>> per, chains = guarantee_chains(build_guarantee_graph(t))
    >>> per["A"]["chain_length"], per["A"]["downstream_balance"], chains[0]["members"]
    (3, 12.0, ['A', 'B', 'C'])
    """
    g = ig.Graph(n=gg.n, edges=np.column_stack([gg.src, gg.dst]).tolist(), directed=True)
    memb = np.asarray(g.connected_components(mode="strong").membership, dtype=np.int64)
    nc = int(memb.max()) + 1 if gg.n else 0
    rep_node = np.full(nc, -1, dtype=np.int64)
    for v in range(gg.n):
        if rep_node[memb[v]] < 0:
            rep_node[memb[v]] = v
    cs, cd = memb[gg.src], memb[gg.dst]
    keep = cs != cd
    dag = ig.Graph(n=nc, edges=sorted(set(zip(cs[keep].tolist(), cd[keep].tolist(), strict=True))),
                   directed=True)
    topo = dag.topological_sorting(mode="out")
    succ = dag.get_adjlist(mode="out")
    pred = dag.get_adjlist(mode="in")
    down = np.zeros(nc, dtype=np.int64)
    nxt = np.full(nc, -1, dtype=np.int64)
    for c in reversed(topo):
        for s in succ[c]:
            if down[s] + 1 > down[c]:
                down[c], nxt[c] = down[s] + 1, s
    up = np.zeros(nc, dtype=np.int64)
    prv = np.full(nc, -1, dtype=np.int64)
    for c in topo:
        for p in pred[c]:
            if up[p] + 1 > up[c]:
                up[c], prv[c] = up[p] + 1, p

    def walk(c: int) -> list[int]:
        back = []
        x = int(prv[c])
        while x >= 0:
            back.append(x)
            x = int(prv[x])
        fwd = [c]
        x = int(nxt[c])
        while x >= 0:
            fwd.append(x)
            x = int(nxt[x])
        return back[::-1] + fwd

    reach_bal = np.zeros(gg.n)
    if exposure and gg.n:
        # distinct loans reachable: guarantees whose guarantor is reachable (incl. itself)
        reach = g.neighborhood(vertices=None, order=gg.n, mode="out")
        edges_by_src: dict[int, list[int]] = defaultdict(list)
        for i, s in enumerate(gg.src.tolist()):
            edges_by_src[s].append(i)
        for v in range(gg.n):
            loans: dict[str, float] = {}
            for u in reach[v]:
                for i in edges_by_src.get(u, ()):
                    loans[gg.loans[i]] = float(gg.balance[i])
            reach_bal[v] = sum(loans.values())
    per: dict[str, dict[str, Any]] = {}
    for v in range(gg.n):
        c = int(memb[v])
        per[gg.nodes[v]] = {
            "chain_length": int(up[c] + down[c] + 1),
            "chain": [gg.nodes[int(rep_node[x])] for x in walk(c)],
            "downstream_balance": float(reach_bal[v]),
        }
    edge_loans: dict[tuple[int, int], list[str]] = defaultdict(list)
    for i in range(len(gg.src)):
        edge_loans[(int(cs[i]), int(cd[i]))].append(gg.loans[i])
    chains: list[dict[str, Any]] = []
    for c in topo:
        if up[c] == 0 and down[c] + 1 >= min_nodes:
            path = walk(c)
            chain_loans = sorted({ln for a, b in itertools.pairwise(path)
                                  for ln in edge_loans[(a, b)]})
            chains.append({"members": [gg.nodes[int(rep_node[x])] for x in path],
                           "length": len(path), "loans": chain_loans})
    chains.sort(key=lambda ch: (-ch["length"], ch["members"]))
    return per, chains
