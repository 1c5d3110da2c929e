"""Guarantee structures: circles (担保圈), related-party contraction, 联保 groups and chains.

Pure functions over a guarantee edge table (Arrow; one row per guarantee of a loan:
``guarantor``, ``borrower``, ``loan``, ``amount`` = guaranteed amount, ``balance`` = loan
balance, optional ``group_id``) and a related-party table (``a``, ``b``, ``kind`` with kind
``legal_rep`` | ``shareholder`` | ``household``). Nothing here opens a store.

Edges point guarantor → borrower: if the borrower defaults, the guarantor pays.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from guanxi.algorithms.break_plan import (
    EXACT_MAX_PAIRS,
    EXACT_TIME_LIMIT_S,
    feedback_arc_set,
    feedback_vertex_set,
    plan_sentence,
)
from guanxi.algorithms.cycles import (
    cycle_census,
    group_order,
    mutual_pairs,
    nontrivial_sccs,
    scc_labels,
)
from guanxi.graph import ids

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
    live: npt.NDArray[np.bool_] | None = None

    def live_mask(self) -> npt.NDArray[np.bool_]:
        """Return per guarantee whether its loan is live (all True when not known)."""
        return np.ones(len(self.src), dtype=bool) if self.live is None else self.live

    def subset(self, keep: npt.NDArray[np.bool_]) -> GuaranteeGraph:
        """Return the same nodes with only the guarantees where ``keep`` is True."""
        idx = np.flatnonzero(keep)
        return GuaranteeGraph(
            nodes=self.nodes, index=self.index, src=self.src[idx], dst=self.dst[idx],
            amount=self.amount[idx], balance=self.balance[idx],
            loans=[self.loans[i] for i in idx.tolist()],
            group_ids=[self.group_ids[i] for i in idx.tolist()] if self.group_ids else [],
            live=self.live_mask()[idx],
        )

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


#: loan ``status`` values (lower-cased) of loans that are no longer live
SETTLED_STATUSES = frozenset({
    "settled", "closed", "repaid", "paid", "paid_off", "paid-off", "written_off",
    "written-off", "writeoff", "write-off", "cancelled", "terminated",
    "结清", "已结清", "核销", "已核销", "终止", "已终止", "撤销",
})


def live_loans(table: pa.Table, as_of: str | None = None) -> npt.NDArray[np.bool_]:
    """Return per row whether the row's loan is live: balance > 0, ``status`` not a settled
    or written-off one (`SETTLED_STATUSES`), and within its term or overdue (``maturity_date``
    null, not before the row's ``as_of`` — else ``as_of`` given here —, or ``overdue_days``
    > 0). Missing columns are treated as unknown, i.e. not excluding the loan.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"balance": [5.0, 0.0, 5.0, 5.0, 5.0],
    ...               "status": [None, None, "written-off", None, None],
    ...               "maturity_date": ["2027-01-01", None, None, "2025-06-30", "2025-06-30"],
    ...               "overdue_days": [0, 0, 0, 0, 40]})
    >>> live_loans(t, "2026-01-01").tolist()
    [True, False, False, False, True]
    """
    n = table.num_rows
    bal = np.array([float(x or 0.0) for x in _col(table, "balance")], dtype=float)
    live = bal > 0
    status = _col(table, "status")
    live &= np.array([(x is None) or str(x).strip().lower() not in SETTLED_STATUSES
                      for x in status], dtype=bool)
    mat = _col(table, "maturity_date")
    row_as_of = _col(table, "as_of")
    overdue = np.array([int(x or 0) for x in _col(table, "overdue_days")], dtype=np.int64)
    in_term = np.array(
        [m is None or (a or as_of) is None or str(m)[:10] >= str(a or as_of)[:10]
         for m, a in zip(mat, row_as_of, strict=True)], dtype=bool
    ) if n else np.zeros(0, dtype=bool)
    return live & (in_term | (overdue > 0))


def build_guarantee_graph(
    table: pa.Table, extra_nodes: list[str] | None = None, *, as_of: str | None = None
) -> GuaranteeGraph:
    """Return the guarantor → borrower graph of a guarantee table (one edge per row).

    A null guaranteed ``amount`` falls back to the loan ``balance``; null balances are 0.
    ``live`` marks the rows whose loan is live (see `live_loans`; ``as_of`` as there).

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
        live=live_loans(table, as_of),
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
    Parties not in the map stand for themselves. Household rows name a member and the
    household's reference member (``b``); any two members of one household are related
    directly (every pair is a merge pair), so no merge path detours through a third member.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"a": ["P", "P"], "b": ["C", "D"], "kind": ["legal_rep", "household"]})
    >>> contraction_groups(t)
    ({'C': 'C', 'P': 'C'}, [('C', 'P', 'legal_rep')])
    >>> h = pa.table({"a": ["Y", "Z"], "b": ["X", "X"], "kind": ["household"] * 2})
    >>> contraction_groups(h, ("household",))[1]
    [('X', 'Y', 'household'), ('X', 'Z', 'household'), ('Y', 'Z', 'household')]
    """
    uf = _UnionFind()
    best: dict[tuple[str, str], str] = {}
    rows = list(zip(_col(related, "a"), _col(related, "b"), _col(related, "kind"), strict=True))
    households: dict[str, set[str]] = defaultdict(set)
    for a, b, k in rows:
        if k == "household" and k in kinds and a and b and a != b:
            households[b].update((a, b))
    rows = [r for r in rows if r[2] != "household"]
    for members in households.values():
        rows.extend((x, y, "household") for x, y in itertools.combinations(sorted(members), 2))
    for a, b, k in rows:
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
    return ids.circle_id(members)


#: per-circle budget of cycle-search edge steps (see `cycles.cycle_census`)
CYCLE_BUDGET = 100_000_000
#: circles with more members are decomposed into sub-circles (communities inside the SCC)
DECOMPOSE_OVER = 100


def guarantee_ref(guarantor: str, loan: str) -> str:
    """Return the id of one guarantee, ``<guarantor>→<loan>`` (its natural key).

    Examples
    --------
    >>> guarantee_ref("P:1", "L:9")
    'P:1→L:9'
    """
    return f"{guarantor}→{loan}"


def _hubs(gg: GuaranteeGraph, eidx: IntArray, top: int = 5) -> list[dict[str, Any]]:
    """Return the circle's guarantors with most in-circle guarantees given (hub guarantors)."""
    g = gg.src[eidx]
    cnt = np.bincount(g, minlength=gg.n)
    amt = np.bincount(g, weights=gg.amount[eidx], minlength=gg.n)
    ids = np.unique(g)
    order = ids[np.lexsort((ids, -amt[ids], -cnt[ids]))][:top]
    out = []
    for v in order.tolist():
        mine = eidx[g == v]
        out.append({"guarantor": gg.nodes[v], "guarantees": int(cnt[v]),
                    "amount": float(amt[v]),
                    "borrowers": len({int(x) for x in gg.dst[mine].tolist()})})
    return out


def _sub_circles(
    gg: GuaranteeGraph, m: int, ls: IntArray, ld: IntArray, eidx: IntArray,
    names: list[str], limit: int = 100,
) -> list[dict[str, Any]]:
    """Return a large circle's sub-circles: communities of its guarantee graph (Louvain on
    the undirected, amount-weighted graph), each split into its own strong components."""
    from guanxi.algorithms.cycles import nontrivial_sccs

    und = ig.Graph(n=m, edges=np.column_stack([ls, ld]).tolist(), directed=False)
    und.es["weight"] = gg.amount[eidx].tolist()
    und.simplify(combine_edges="sum")
    memb = np.asarray(und.community_multilevel(weights="weight").membership, dtype=np.int64)
    same = memb[ls] == memb[ld]
    out: list[dict[str, Any]] = []
    for comp in nontrivial_sccs(m, ls[same], ld[same]):
        inside = np.zeros(m, dtype=bool)
        inside[comp] = True
        sel = np.flatnonzero(inside[ls] & inside[ld])
        sub = eidx[sel]
        bal = {gg.loans[i]: float(gg.balance[i]) for i in sub.tolist()}
        out.append({
            "members": sorted(names[i] for i in comp.tolist()),
            "size": len(comp),
            "guarantees": len(sub),
            "total_balance": float(sum(bal.values())),
            "guaranteed_amount": float(gg.amount[sub].sum()),
            "hub_guarantors": _hubs(gg, sub, 3),
        })
    out.sort(key=lambda c: (-c["total_balance"], c["members"]))
    return out[:limit]


def _analyse(
    gg: GuaranteeGraph, m: int, ls: IntArray, ld: IntArray, eidx: IntArray, names: list[str],
    *, max_cycle: int, cycle_budget: int, top_k: int, plan: bool, exact_max_pairs: int,
    plan_time_limit: float, decompose_over: int,
) -> dict[str, Any]:
    """Return motifs, top cycles, break plan, hubs and sub-circles of one circle whose local
    graph is ``ls → ld`` over ``m`` nodes named ``names`` (``eidx``: the guarantees)."""
    w = gg.amount[eidx]
    census = cycle_census(m, ls, ld, w, max_len=max_cycle, budget=cycle_budget, top_k=top_k)
    motifs = {
        "mutual_pairs": len(mutual_pairs(ls, ld)),
        "triangles": census.counts.get(3, 0),
        "cycles": census.total,
        "cycles_by_length": {str(k): census.counts[k] for k in sorted(census.counts)},
        "capped": census.capped,
        "exact_up_to": census.exact_up_to,
    }
    out: dict[str, Any] = {
        "motifs": motifs,
        "cycles": [[names[i] for i in c] for _, c in census.top],
        "top_cycles": [{"members": [names[i] for i in c], "amount": float(wt)}
                       for wt, c in census.top],
        "hub_guarantors": _hubs(gg, eidx),
    }
    if m > decompose_over:
        out["sub_circles"] = _sub_circles(gg, m, ls, ld, eidx, names)
    if plan:
        fas = feedback_arc_set(m, ls, ld, w, exact_max_pairs=exact_max_pairs,
                               time_limit=plan_time_limit)
        chosen = eidx[np.asarray(fas.edges, dtype=np.int64)]
        fvs = feedback_vertex_set(m, ls, ld, time_limit=plan_time_limit)
        guarantors = [names[i] for i in fvs.nodes]
        by_fvs = np.isin(ls, np.asarray(fvs.nodes, dtype=np.int64))
        out["break_plan"] = {
            "guarantees": [guarantee_ref(gg.nodes[int(gg.src[e])], gg.loans[e])
                           for e in chosen.tolist()],
            "amount": fas.weight,
            "exact": fas.exact,
            "lower_bound": fas.lower_bound,
            "method": fas.method,
            "items": [{"guarantor": gg.nodes[int(gg.src[e])],
                       "borrower": gg.nodes[int(gg.dst[e])], "loan": gg.loans[e],
                       "amount": float(gg.amount[e])} for e in chosen.tolist()],
            "guarantors": guarantors,
            "guarantors_exact": fvs.exact,
            "guarantors_lower_bound": fvs.lower_bound,
            "guarantors_guarantees": int(by_fvs.sum()),
            "guarantors_amount": float(w[by_fvs].sum()),
            "advice": plan_sentence(len(chosen), fas.weight, exact=fas.exact,
                                    lower_bound=fas.lower_bound, guarantors=guarantors),
        }
    return out


def _circle_record(
    gg: GuaranteeGraph,
    members: list[str],
    edge_idx: IntArray,
    contraction: str,
    via: list[tuple[str, str, str]],
    analysis: dict[str, Any],
) -> dict[str, Any]:
    loans = sorted({gg.loans[i] for i in edge_idx})
    bal_by_loan = {gg.loans[i]: float(gg.balance[i]) for i in edge_idx}
    live = gg.live_mask()
    live_by_loan = {gg.loans[i]: float(gg.balance[i]) for i in edge_idx if live[i]}
    return {
        "id": circle_id(members),
        "members": sorted(members),
        "size": len(members),
        "contraction": contraction,
        "contracted_via": [list(p) for p in via],
        "loans": loans,
        "guarantees": [
            {"guarantor": gg.nodes[int(gg.src[i])], "borrower": gg.nodes[int(gg.dst[i])],
             "loan": gg.loans[i], "amount": float(gg.amount[i]), "live": bool(live[i])}
            for i in edge_idx
        ],
        "total_balance": float(sum(bal_by_loan.values())),
        "live_balance": float(sum(live_by_loan.values())),
        "live_loans": len(live_by_loan),
        "guaranteed_amount": float(gg.amount[edge_idx].sum()),
        **analysis,
    }


def _history(gg: GuaranteeGraph, members: list[str]) -> dict[str, Any]:
    """Return every guarantee among ``members`` in ``gg`` (live and settled): counts, amounts."""
    inside = np.zeros(gg.n, dtype=bool)
    inside[[gg.index[v] for v in members if v in gg.index]] = True
    e = np.flatnonzero(inside[gg.src] & inside[gg.dst])
    live = gg.live_mask()[e]
    loans_all = {gg.loans[i] for i in e.tolist()}
    loans_live = {gg.loans[i] for i, ok in zip(e.tolist(), live.tolist(), strict=True) if ok}
    return {
        "loans": len(loans_all),
        "settled_loans": len(loans_all - loans_live),
        "guarantees": len(e),
        "guaranteed_amount": float(gg.amount[e].sum()),
        "settled_guaranteed_amount": float(gg.amount[e[~live]].sum()),
    }


def find_circles(
    gg: GuaranteeGraph,
    *,
    max_cycle: int = 8,
    related: pa.Table | None = None,
    kinds: tuple[str, ...] = ("legal_rep", "shareholder"),
    max_listed_cycles: int = 50,
    include_settled: bool = False,
    cycle_budget: int = CYCLE_BUDGET,
    plan: bool = True,
    exact_max_pairs: int = EXACT_MAX_PAIRS,
    plan_time_limit: float = EXACT_TIME_LIMIT_S,
    decompose_over: int = DECOMPOSE_OVER,
) -> list[dict[str, Any]]:
    """Return guarantee circles: non-trivial SCCs, plain and after related-party contraction.

    By default only guarantees of live loans count (``gg.live``; ``include_settled`` for the
    history). Each circle is a dict: ``id`` (``K:…``), ``members`` (party ids whose
    guarantees form it), ``contraction`` (``none`` or the merge kinds that made it, e.g.
    ``legal_rep``), ``contracted_via`` (merge pairs ``[a, b, kind]``), ``loans``,
    ``guarantees``, ``total_balance``, ``live_balance``/``live_loans`` (live loans only),
    ``history`` (every guarantee among the members, settled included), ``guaranteed_amount``,
    ``motifs`` (mutual pairs, triangles, cycle counts by length up to ``max_cycle`` — exact,
    or ``capped`` past ``cycle_budget`` steps with the counts reached —), ``cycles`` /
    ``top_cycles`` (the ``max_listed_cycles`` heaviest by guaranteed amount; contracted
    members joined by ``+``), ``hub_guarantors``, ``sub_circles`` (circles of more than
    ``decompose_over`` members) and ``break_plan`` (拆圈断链: the least-amount set of
    guarantees whose replacement leaves no cycle, exact up to ``exact_max_pairs`` pairs, and
    the fewest guarantors; see `break_plan`). A contracted circle is reported only when its
    member set differs from every plain circle's.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"guarantor": ["A", "B", "C"], "borrower": ["B", "A", "P"],
    ...               "loan": ["L1", "L2", "L3"], "amount": [1.0, 2.0, 1.0],
    ...               "balance": [1.0, 1.0, 1.0]})
    >>> [(c["members"], c["break_plan"]["guarantees"]) for c in find_circles(
    ...     build_guarantee_graph(t))]
    [(['A', 'B'], ['A→L1'])]
    >>> rel = pa.table({"a": ["P"], "b": ["B"], "kind": ["legal_rep"]})
    >>> t2 = pa.table({"guarantor": ["A", "P"], "borrower": ["B", "A"], "loan": ["L1", "L2"],
    ...                "amount": [1.0, 1.0], "balance": [1.0, 1.0]})
    >>> [(c["members"], c["contraction"]) for c in find_circles(build_guarantee_graph(t2),
    ...                                                         related=rel)]
    [(['A', 'B', 'P'], 'legal_rep')]
    >>> settled = pa.table({"guarantor": ["A", "B"], "borrower": ["B", "A"], "loan": ["L1", "L2"],
    ...                     "amount": [1.0, 1.0], "balance": [1.0, 0.0]})
    >>> find_circles(build_guarantee_graph(settled)), len(find_circles(
    ...     build_guarantee_graph(settled), include_settled=True))
    ([], 1)
    """
    full = gg
    if not include_settled:
        gg = gg.subset(gg.live_mask())
    opts = {"max_cycle": max_cycle, "cycle_budget": cycle_budget, "top_k": max_listed_cycles,
            "plan": plan, "exact_max_pairs": exact_max_pairs,
            "plan_time_limit": plan_time_limit, "decompose_over": decompose_over}
    out: list[dict[str, Any]] = []
    plain_sets: set[frozenset[str]] = set()
    for comp in nontrivial_sccs(gg.n, gg.src, gg.dst):
        inside = np.zeros(gg.n, dtype=bool)
        inside[comp] = True
        eidx = np.flatnonzero(inside[gg.src] & inside[gg.dst] & (gg.src != gg.dst))
        ls = np.searchsorted(comp, gg.src[eidx]).astype(np.int64)
        ld = np.searchsorted(comp, gg.dst[eidx]).astype(np.int64)
        members = [gg.nodes[int(v)] for v in comp]
        plain_sets.add(frozenset(members))
        rec = _circle_record(gg, members, eidx, "none", [],
                             _analyse(gg, len(comp), ls, ld, eidx, members, **opts))  # type: ignore[arg-type]
        rec["history"] = _history(full, members)
        out.append(rec)
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
    pairs_of: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for p in pairs:
        pairs_of[rep.get(p[0], p[0])].append(p)
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
                via.extend(_connecting_pairs(inside_g, pairs_of[g]))
        kinds_used = sorted({k for _, _, k in via}, key=CONTRACTION_KINDS.index)
        ls = np.searchsorted(comp, cs[eidx]).astype(np.int64)
        ld = np.searchsorted(comp, cd[eidx]).astype(np.int64)
        names = ["+".join(sorted(v for v in group_members[groups[int(g)]] if v in members_set))
                 for g in comp.tolist()]
        rec = _circle_record(gg, sorted(members_set), eidx, "+".join(kinds_used) or "none", via,
                             _analyse(gg, len(comp), ls, ld, eidx, names, **opts))  # type: ignore[arg-type]
        rec["history"] = _history(full, sorted(members_set))
        out.append(rec)
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


def _downstream(
    gg: GuaranteeGraph, memb: IntArray, nc: int, topo: list[int], succ: list[list[int]],
    pred: list[list[int]], exact_loans: int,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Return per SCC (lower bound, upper bound, exact) of the balance of distinct loans it is
    directly or indirectly on the hook for, on the condensation DAG in reverse topological
    order: exact sets of loan codes while they hold at most ``exact_loans`` loans (a set is
    freed once every predecessor has used it), beyond that bounds (max / sum over the
    successors plus the component's own loans). No all-pairs reachability."""
    codes, first = np.unique(np.asarray(gg.loans, dtype=object), return_index=True)
    loan_code = np.searchsorted(codes, np.asarray(gg.loans, dtype=object)).astype(np.int64)
    loan_bal = gg.balance[first]
    comp_of_edge = memb[gg.src]
    eptr, eord = group_order(comp_of_edge, nc)
    lo = np.zeros(nc)
    hi = np.zeros(nc)
    exact = np.ones(nc, dtype=bool)
    sets: dict[int, IntArray] = {}
    waiting = np.array([len(p) for p in pred], dtype=np.int64)
    for c in reversed(topo):
        own = np.unique(loan_code[eord[eptr[c]:eptr[c + 1]]])
        own_bal = float(loan_bal[own].sum())
        parts = [own]
        ok = True
        for x in succ[c]:
            if not exact[x]:
                ok = False
            elif ok:
                parts.append(sets[x])
        if ok:
            merged = parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
            if len(merged) <= exact_loans:
                sets[c] = merged
                lo[c] = hi[c] = float(loan_bal[merged].sum())
            else:
                ok = False
        if not ok:
            exact[c] = False
            hi[c] = own_bal + float(sum(hi[x] for x in succ[c]))
            lo[c] = max([own_bal, *(lo[x] for x in succ[c])])
        for x in succ[c]:
            waiting[x] -= 1
            if waiting[x] == 0:
                sets.pop(x, None)
        if waiting[c] == 0:
            sets.pop(c, None)
    return lo, hi, exact


def guarantee_chains(
    gg: GuaranteeGraph, *, min_nodes: int = 3, exposure: bool = True,
    exact_loans: int = 200_000,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Return per-node chain facts and the maximal chains, on the SCC condensation DAG.

    Per node: ``chain_length`` (nodes on the longest guarantee chain through it, an SCC
    counting as one step), ``chain`` (that chain as a list of node ids; an SCC shows as its
    first member) and, with ``exposure``, ``downstream_balance`` — the total balance of
    distinct loans the node is directly or indirectly on the hook for (guarantees reachable
    along guarantor → borrower edges from it), computed on the condensation without
    all-pairs reachability: exact (``downstream_exact``) while the loan set holds at most
    ``exact_loans`` loans, else an upper bound (sum over the DAG successors), with
    ``downstream_balance_min`` a lower bound. Chains: longest chains from every DAG source
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
    memb = scc_labels(gg.n, gg.src, gg.dst)
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

    lo = hi = np.zeros(nc)
    exact = np.ones(nc, dtype=bool)
    if exposure and gg.n:
        lo, hi, exact = _downstream(gg, memb, nc, topo, succ, pred, exact_loans)
    per: dict[str, dict[str, Any]] = {}
    for v in range(gg.n):
        c = int(memb[v])
        per[gg.nodes[v]] = {
            "chain_length": int(up[c] + down[c] + 1),
            "chain": [gg.nodes[int(rep_node[x])] for x in walk(c)],
            "downstream_balance": float(hi[c]),
            "downstream_exact": bool(exact[c]),
            "downstream_balance_min": float(lo[c]),
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


__all__ = [
    "CONTRACTION_KINDS",
    "CYCLE_BUDGET",
    "DECOMPOSE_OVER",
    "SETTLED_STATUSES",
    "GuaranteeGraph",
    "build_guarantee_graph",
    "circle_id",
    "contraction_groups",
    "controlling_shareholders",
    "find_circles",
    "guarantee_chains",
    "guarantee_ref",
    "joint_guarantee_groups",
    "live_loans",
]
