"""拆圈断链: which guarantees (or guarantors) to replace so that a guarantee circle is gone.

A circle is a strongly connected guarantee graph (guarantor → borrower). Replacing a set of
guarantees (by collateral, a guarantee company or a reduced line) removes their edges; the
circle is gone when no directed cycle is left. The cheapest such set is a minimum-weight
feedback arc set (FAS); the fewest guarantors whose guarantees, once all replaced, leave no
cycle is a minimum feedback vertex set (FVS). Both are NP-hard in general:

* up to ``exact_max_pairs`` distinct guarantor → borrower pairs the plan is exact: an integer
  program solved by scipy's HiGHS-based ``milp`` over cycle constraints added lazily (start
  from the short cycles, solve, look for a cycle among the guarantees kept, add it, repeat;
  when none is left the relaxed optimum is feasible, hence optimal);
* beyond, a heuristic (weighted Eades–Lin–Smyth ordering improved by sifting; for the FVS,
  greedy removal of the guarantors with the most in-circle guarantees given × received) with
  a stated lower bound from a greedy packing of short cycles (each packed cycle must lose one
  of its edges: a feasible solution of the LP dual).

Parallel edges (several guarantees of one guarantor for loans of one borrower) form one pair:
all of them are replaced together, and the pair's weight is their sum. Pure functions over
integer edge arrays; nothing here opens a store.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from guanxi.algorithms.cycles import _jit, group_order, scc_labels, simple_cycles

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

EXACT_MAX_PAIRS = 400
EXACT_TIME_LIMIT_S = 10.0


@dataclass
class ArcPlan:
    """A feedback arc set: ``edges`` (indices into the input edge arrays, every parallel
    guarantee of a chosen pair), its ``weight``, whether it is proven optimal (``exact``),
    a ``lower_bound`` on the optimum and the ``method`` used."""

    edges: list[int]
    weight: float
    exact: bool
    lower_bound: float
    method: str


@dataclass
class VertexPlan:
    """A feedback vertex set: ``nodes``, whether it is proven smallest (``exact``), a
    ``lower_bound`` on the smallest size and the ``method`` used."""

    nodes: list[int]
    exact: bool
    lower_bound: int
    method: str


def has_cycle(n: int, src: IntArray, dst: IntArray) -> bool:
    """Return True when the directed graph has a cycle of two or more nodes (self-loops are
    ignored).

    Examples
    --------
    >>> import numpy as np
    >>> has_cycle(3, np.array([0, 1]), np.array([1, 2])), has_cycle(2, np.array([0, 1]),
    ...                                                              np.array([1, 0]))
    (False, True)
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    keep = src != dst
    if n == 0 or not keep.any():
        return False
    lab = scc_labels(n, src[keep], dst[keep])
    return bool(np.bincount(lab).max() > 1)


def _pairs(n: int, src: IntArray, dst: IntArray, weight: FloatArray
           ) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Return (pair src, pair dst, pair weight, pair of each input edge; -1 for self-loops)."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    ok = src != dst
    key = np.where(ok, src * max(n, 1) + dst, -1)
    pairs, inv = np.unique(key[ok], return_inverse=True)
    pairs = pairs.astype(np.int64)
    pw = np.bincount(inv, weights=np.asarray(weight, dtype=float)[ok],
                     minlength=len(pairs)).astype(np.float64)
    of = np.full(len(src), -1, dtype=np.int64)
    of[ok] = inv
    return pairs // max(n, 1), pairs % max(n, 1), pw, of


def _short_cycles(n: int, ps: IntArray, pd: IntArray, alive: npt.NDArray[np.bool_],
                  limit: int) -> list[list[int]]:
    """Return up to ``limit`` cycles (as pair-index lists) among the ``alive`` pairs: for nodes
    of non-trivial strong components, the shortest cycle through each (BFS)."""
    idx = np.flatnonzero(alive)
    if len(idx) == 0:
        return []
    lab = scc_labels(n, ps[idx], pd[idx])
    same = lab[ps[idx]] == lab[pd[idx]]
    idx = idx[same]
    if len(idx) == 0:
        return []
    out_adj: dict[int, list[tuple[int, int]]] = {}
    for e in idx.tolist():
        out_adj.setdefault(int(ps[e]), []).append((int(pd[e]), e))
    seen_cycles: set[frozenset[int]] = set()
    out: list[list[int]] = []
    for s in sorted(out_adj):
        parent: dict[int, int] = {}
        queue = deque([s])
        found = -1
        while queue and found < 0:
            v = queue.popleft()
            for w, e in out_adj.get(v, ()):
                if w == s:
                    found = e
                    break
                if w not in parent:
                    parent[w] = e
                    queue.append(w)
        if found < 0:
            continue
        cyc = [found]
        v = int(ps[found])
        while v != s:
            e = parent[v]
            cyc.append(e)
            v = int(ps[e])
        key = frozenset(cyc)
        if key not in seen_cycles:
            seen_cycles.add(key)
            out.append(cyc)
            if len(out) >= limit:
                break
    return out


def _milp_cover(
    nvar: int, cost: FloatArray, rows: list[list[int]], time_limit: float
) -> tuple[npt.NDArray[np.bool_], bool, float]:
    """Return (chosen, optimal, dual bound) of min cost·x s.t. each row's sum ≥ 1, x binary."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    r = np.repeat(np.arange(len(rows)), [len(x) for x in rows])
    c = np.concatenate([np.asarray(x, dtype=np.int64) for x in rows])
    a = csr_matrix((np.ones(len(c)), (r, c)), shape=(len(rows), nvar))
    res = milp(c=cost, constraints=LinearConstraint(a, lb=1.0, ub=np.inf),
               integrality=np.ones(nvar), bounds=Bounds(0.0, 1.0),
               options={"time_limit": max(time_limit, 0.1), "disp": False})
    if res.x is None:
        return np.zeros(nvar, dtype=bool), False, 0.0
    bound = getattr(res, "mip_dual_bound", None)
    lb = float(res.fun if bound is None or not np.isfinite(bound) else bound)
    return np.asarray(res.x) > 0.5, res.status == 0, lb


def _exact_cover(
    n: int, ps: IntArray, pd: IntArray, cost: FloatArray, var_of_pair: Any, nvar: int,
    time_limit: float, *, by_node: bool = False,
) -> tuple[npt.NDArray[np.bool_], bool, float] | None:
    """Lazy-constraint loop shared by FAS (a variable per pair) and FVS (a variable per node).

    ``var_of_pair(cycle pairs) -> variable indices`` maps a cycle to the variables that break
    it. Returns (chosen variables, optimal, lower bound) or None when out of time."""
    import time

    t0 = time.perf_counter()
    rows: list[list[int]] = []
    seen: set[tuple[int, ...]] = set()

    def add(cycles: list[list[int]]) -> int:
        k = 0
        for cyc in cycles:
            vs = tuple(sorted(set(var_of_pair(cyc))))
            if vs not in seen:
                seen.add(vs)
                rows.append(list(vs))
                k += 1
        return k

    lookup = {(int(a), int(b)): i for i, (a, b) in enumerate(zip(ps, pd, strict=True))}
    short = simple_cycles(n, ps, pd, 3)
    add([[lookup[(c[i], c[(i + 1) % len(c)])] for i in range(len(c))] for c in short])
    add(_short_cycles(n, ps, pd, np.ones(len(ps), dtype=bool), n))
    lb = 0.0
    while True:
        left = time_limit - (time.perf_counter() - t0)
        if left <= 0:
            return None
        chosen, optimal, bound = _milp_cover(nvar, cost, rows, left)
        lb = max(lb, bound)
        if not optimal:
            return None
        # FAS: a pair stays unless chosen; FVS: unless one of its end nodes is chosen
        alive = ~(chosen[ps] | chosen[pd]) if by_node else ~chosen
        new = _short_cycles(n, ps, pd, alive, max(50, n))
        if not new:
            return chosen, True, lb
        if add(new) == 0:  # pragma: no cover - a found cycle is always a new constraint
            return None


def _els_kernel(n: int, optr: IntArray, o_nb: IntArray, o_w: FloatArray, iptr: IntArray,
                i_nb: IntArray, i_w: FloatArray) -> IntArray:
    """Weighted Eades–Lin–Smyth order (see `_els_order`) with a lazy-deletion heap."""
    outdeg = np.empty(n, dtype=np.int64)
    indeg = np.empty(n, dtype=np.int64)
    wout = np.zeros(n, dtype=np.float64)
    win = np.zeros(n, dtype=np.float64)
    for v in range(n):
        outdeg[v] = optr[v + 1] - optr[v]
        indeg[v] = iptr[v + 1] - iptr[v]
        for t in range(optr[v], optr[v + 1]):
            wout[v] += o_w[t]
        for t in range(iptr[v], iptr[v + 1]):
            win[v] += i_w[t]
    removed = np.zeros(n, dtype=np.bool_)
    front = np.empty(n, dtype=np.int64)
    back = np.empty(n, dtype=np.int64)
    nf = 0
    nb = 0
    stack = np.empty(2 * n + 2 * len(o_nb) + 1, dtype=np.int64)  # sinks (+) / sources (-1-v)
    ns = 0
    heap = [(0.0, 0, 0)]
    heap.pop()
    for v in range(n):
        if outdeg[v] == 0:
            stack[ns] = v
            ns += 1
        elif indeg[v] == 0:
            stack[ns] = -1 - v
            ns += 1
        heapq.heappush(heap, (-(wout[v] - win[v]), -outdeg[v], v))
    left = n
    while left > 0:
        v = -1
        to_front = True
        while ns > 0:
            x = stack[ns - 1]
            ns -= 1
            y = x if x >= 0 else -1 - x
            if not removed[y]:
                v = y
                to_front = x < 0
                break
        if v < 0:
            while len(heap) > 0:
                key, _, y = heapq.heappop(heap)
                if not removed[y] and -key == wout[y] - win[y]:
                    v = y
                    break
            if v < 0:
                break
        removed[v] = True
        left -= 1
        if to_front:
            front[nf] = v
            nf += 1
        else:
            back[nb] = v
            nb += 1
        for t in range(iptr[v], iptr[v + 1]):
            u = i_nb[t]
            if not removed[u]:
                outdeg[u] -= 1
                wout[u] -= i_w[t]
                if outdeg[u] == 0:
                    stack[ns] = u
                    ns += 1
                else:
                    heapq.heappush(heap, (-(wout[u] - win[u]), -outdeg[u], u))
        for t in range(optr[v], optr[v + 1]):
            x = o_nb[t]
            if not removed[x]:
                indeg[x] -= 1
                win[x] -= o_w[t]
                if indeg[x] == 0 and outdeg[x] > 0:
                    stack[ns] = -1 - x
                    ns += 1
                else:
                    heapq.heappush(heap, (-(wout[x] - win[x]), -outdeg[x], x))
    out = np.empty(nf + nb, dtype=np.int64)
    out[:nf] = front[:nf]
    for j in range(nb):
        out[nf + j] = back[nb - 1 - j]
    return out


_els_jit = _jit(_els_kernel)


def _els_order(n: int, ps: IntArray, pd: IntArray, pw: FloatArray) -> IntArray:
    """Return a node order by the weighted Eades–Lin–Smyth greedy (sinks last, sources first,
    else the node with the largest out-weight minus in-weight next)."""
    optr, oord = group_order(ps, n)
    iptr, iord = group_order(pd, n)
    return np.asarray(_els_jit(n, optr, pd[oord], pw[oord], iptr, ps[iord], pw[iord]))


def _sift_kernel(n: int, optr: IntArray, o_nb: IntArray, o_w: FloatArray, iptr: IntArray,
                 i_nb: IntArray, i_w: FloatArray, order: IntArray, passes: int) -> FloatArray:
    """Return node positions (ranks) improved by sifting: each node moves to the place among
    its neighbours where its backward edges weigh least, ``passes`` times or until none
    moves."""
    pos = np.empty(n, dtype=np.float64)
    for r in range(n):
        pos[order[r]] = r
    for _ in range(passes):
        moved = 0
        seq = np.argsort(pos)
        for v in seq:
            k = (optr[v + 1] - optr[v]) + (iptr[v + 1] - iptr[v])
            if k == 0:
                continue
            evp = np.empty(k, dtype=np.float64)
            evd = np.empty(k, dtype=np.float64)
            j = 0
            for t in range(optr[v], optr[v + 1]):
                evp[j] = pos[o_nb[t]]
                evd[j] = o_w[t]  # v after an out-neighbour: that edge goes backward
                j += 1
            for t in range(iptr[v], iptr[v + 1]):
                evp[j] = pos[i_nb[t]]
                evd[j] = -i_w[t]  # v after an in-neighbour: that edge stops going backward
                j += 1
            srt = np.argsort(evp)
            cost = 0.0
            here = 0.0
            for t in range(k):
                if evd[t] < 0:
                    cost -= evd[t]
            here = cost
            for t in range(k):
                if evp[t] < pos[v]:
                    here += evd[t]
            best = cost
            bi = 0
            c = cost
            for t in range(k):
                c += evd[srt[t]]
                if t + 1 < k and evp[srt[t + 1]] == evp[srt[t]]:
                    continue  # no slot between two edges to the same neighbour
                if c < best - 1e-9:
                    best = c
                    bi = t + 1
            if best < here - 1e-9:
                lo = evp[srt[bi - 1]] if bi > 0 else evp[srt[0]] - 1.0
                hi = evp[srt[bi]] if bi < k else evp[srt[k - 1]] + 1.0
                pos[v] = (lo + hi) / 2.0
                moved += 1
        rank = np.argsort(pos, kind="mergesort")
        for r in range(n):
            pos[rank[r]] = r
        if moved == 0:
            break
    return pos


_sift_jit = _jit(_sift_kernel)


def _sift(n: int, ps: IntArray, pd: IntArray, pw: FloatArray, order: IntArray,
          passes: int = 8) -> FloatArray:
    """Return node positions after sifting (see `_sift_kernel`) from the order ``order``."""
    optr, oord = group_order(ps, n)
    iptr, iord = group_order(pd, n)
    return np.asarray(_sift_jit(n, optr, pd[oord], pw[oord], iptr, ps[iord], pw[iord],
                                np.asarray(order, dtype=np.int64), passes))


def _pack_kernel(indptr: IntArray, indices: IntArray, eid: IntArray, resid: FloatArray,
                 ps: IntArray, pd: IntArray, order: IntArray, max_depth: int, budget: int
                 ) -> tuple[float, int]:
    """Greedy cycle packing: for each pair u → v, BFS v ⇝ u (≤ max_depth edges) over pairs
    with residual weight left, subtract the cycle's smallest residual; return (the packed
    total — a lower bound on any feedback arc set's weight —, steps)."""
    n = len(indptr) - 1
    parent = np.full(n, -1, dtype=np.int64)
    depth = np.zeros(n, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    lb = 0.0
    steps = 0
    for e in order:
        u = ps[e]
        v = pd[e]
        while resid[e] > 0 and steps < budget:
            qn = 1
            queue[0] = v
            parent[v] = -2
            depth[v] = 0
            head = 0
            hit = -1
            while head < qn and hit < 0:
                x = queue[head]
                head += 1
                if depth[x] >= max_depth - 1:
                    continue
                for k in range(indptr[x], indptr[x + 1]):
                    steps += 1
                    f = eid[k]
                    if resid[f] <= 0:
                        continue
                    y = indices[k]
                    if y == u:
                        hit = f
                        break
                    if parent[y] == -1 and y != v:
                        parent[y] = f
                        depth[y] = depth[x] + 1
                        queue[qn] = y
                        qn += 1
            if hit >= 0:
                delta = resid[e]
                f = hit
                while f >= 0:
                    if resid[f] < delta:
                        delta = resid[f]
                    f = parent[ps[f]]
                lb += delta
                resid[e] -= delta
                f = hit
                while f >= 0:
                    resid[f] -= delta
                    f = parent[ps[f]]
            for j in range(qn):
                parent[queue[j]] = -1
            if hit < 0:
                break
    return lb, steps


_pack_jit = _jit(_pack_kernel)


def cycle_packing_bound(n: int, ps: IntArray, pd: IntArray, pw: FloatArray, *,
                        max_depth: int = 8, budget: int = 100_000_000) -> float:
    """Return a lower bound on the minimum feedback arc set weight of distinct pairs
    ``ps → pd`` with weights ``pw``: a greedy packing of short cycles (each cycle charges its
    smallest residual weight to all its edges; the sum is feasible for the LP dual). Passes
    pack cycles of at most 2, 3, …, ``max_depth`` edges, scanning edges cheapest first, until
    ``budget`` BFS steps are spent.

    Examples
    --------
    >>> import numpy as np
    >>> cycle_packing_bound(3, np.array([0, 1, 1, 2]), np.array([1, 0, 2, 0]),
    ...                     np.array([5.0, 2.0, 3.0, 4.0]))
    5.0
    """
    ps = np.asarray(ps, dtype=np.int64)
    pd = np.asarray(pd, dtype=np.int64)
    if len(ps) == 0:
        return 0.0
    optr, oord = group_order(ps, n)
    resid = np.asarray(pw, dtype=np.float64).copy()
    order = np.argsort(resid, kind="stable").astype(np.int64)
    total, used = 0.0, 0
    # shortest cycles first (each pass: cycles of at most `depth` edges), cheapest edges first
    for depth in range(2, max_depth + 1):
        lb, steps = _pack_jit(optr, pd[oord], oord, resid, ps, pd, order, depth, budget - used)
        total += float(lb)
        used += int(steps)
        if used >= budget:
            break
    return total


def feedback_arc_set(
    n: int,
    src: IntArray,
    dst: IntArray,
    weight: FloatArray,
    *,
    exact_max_pairs: int = EXACT_MAX_PAIRS,
    time_limit: float = EXACT_TIME_LIMIT_S,
) -> ArcPlan:
    """Return a minimum-weight set of edges whose removal leaves no directed cycle.

    Edges are ``src[i] → dst[i]`` with ``weight[i]`` ≥ 0 (e.g. the guaranteed amount);
    parallel edges are removed together. Exact (``milp``, lazy cycle constraints) up to
    ``exact_max_pairs`` distinct pairs and ``time_limit`` seconds; otherwise a heuristic with
    ``lower_bound`` from cycle packing (see the module docstring).

    References
    ----------
    .. [1] P. Eades, X. Lin and W. F. Smyth, "A fast and effective heuristic for the feedback
       arc set problem", Information Processing Letters 47(6), 319–323 (1993).
       https://doi.org/10.1016/0020-0190(93)90079-O

    Examples
    --------
    >>> import numpy as np
    >>> # A ⇄ B and A → B → C → A: dropping B → A (1) and C → A (2) costs 3; A → B costs 4
    >>> p = feedback_arc_set(3, np.array([0, 1, 1, 2]), np.array([1, 0, 2, 0]),
    ...                      np.array([4.0, 1.0, 5.0, 2.0]))
    >>> p.edges, p.weight, p.exact
    ([1, 3], 3.0, True)
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    w = np.asarray(weight, dtype=np.float64)
    if not has_cycle(n, src, dst):
        return ArcPlan([], 0.0, True, 0.0, "none needed")
    ps, pd, pw, of = _pairs(n, src, dst, w)
    chosen: npt.NDArray[np.bool_] | None = None
    exact, lb, method = False, 0.0, "milp"
    if len(ps) <= exact_max_pairs:
        got = _exact_cover(n, ps, pd, pw, lambda cyc: cyc, len(ps), time_limit)
        if got is not None:
            chosen, exact, lb = got
    if chosen is None:
        method = "eades-lin-smyth + sifting"
        order = _els_order(n, ps, pd, pw)
        pos = _sift(n, ps, pd, pw, order)
        chosen = pos[ps] > pos[pd]
        if has_cycle(n, ps[~chosen], pd[~chosen]):  # pragma: no cover - ranks are distinct
            pos[order] = np.arange(n)
            chosen = pos[ps] > pos[pd]
        lb = cycle_packing_bound(n, ps, pd, pw)
    total = float(pw[chosen].sum())
    if exact:
        lb = total
    edges = np.flatnonzero((of >= 0) & chosen[np.maximum(of, 0)]).tolist()
    return ArcPlan(edges, total, exact, min(lb, total), method)


def feedback_vertex_set(
    n: int,
    src: IntArray,
    dst: IntArray,
    *,
    exact_max_nodes: int = 150,
    time_limit: float = EXACT_TIME_LIMIT_S,
) -> VertexPlan:
    """Return a smallest set of nodes whose removal leaves no directed cycle.

    Exact (``milp``, lazy cycle constraints) up to ``exact_max_nodes`` nodes in cycles and
    ``time_limit`` seconds; beyond, greedy removal of the nodes with the largest in-degree ×
    out-degree inside their strong component, with ``lower_bound`` = the number of
    node-disjoint cycles found by greedy packing.

    Examples
    --------
    >>> import numpy as np
    >>> # two triangles sharing node 0
    >>> p = feedback_vertex_set(5, np.array([0, 1, 2, 0, 3, 4]), np.array([1, 2, 0, 3, 4, 0]))
    >>> p.nodes, p.exact
    ([0], True)
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    if not has_cycle(n, src, dst):
        return VertexPlan([], True, 0, "none needed")
    ps, pd, _, _ = _pairs(n, src, dst, np.ones(len(src)))
    lab = scc_labels(n, ps, pd)
    in_cycle = np.zeros(n, dtype=bool)
    inner = lab[ps] == lab[pd]
    in_cycle[ps[inner]] = True
    if int(in_cycle.sum()) <= exact_max_nodes:
        got = _exact_cover(n, ps, pd, np.ones(n),
                           lambda cyc: [int(ps[e]) for e in cyc], n, time_limit, by_node=True)
        if got is not None:
            chosen, _, _ = got
            nodes = np.flatnonzero(chosen).tolist()
            return VertexPlan(nodes, True, len(nodes), "milp")
    # greedy: repeatedly drop the top 1% (at least one) by in×out degree inside components
    alive = np.ones(n, dtype=bool)
    picked: list[int] = []
    while True:
        keep = alive[ps] & alive[pd]
        s, d = ps[keep], pd[keep]
        if len(s) == 0:
            break
        lab = scc_labels(n, s, d)
        inner = lab[s] == lab[d]
        if not inner.any():
            break
        s, d = s[inner], d[inner]
        score = np.bincount(s, minlength=n) * np.bincount(d, minlength=n)
        cand = np.flatnonzero(score > 0)
        k = max(1, len(cand) // 100)
        top = cand[np.argsort(-score[cand], kind="stable")[:k]]
        alive[top] = False
        picked.extend(top.tolist())
    # drop guarantors that turned out unnecessary (checked while the work stays small)
    if len(picked) * len(ps) <= 20_000_000:
        for v in picked[::-1]:
            alive[v] = True
            keep = alive[ps] & alive[pd]
            if has_cycle(n, ps[keep], pd[keep]):
                alive[v] = False
    nodes = np.flatnonzero(~alive).tolist()
    # lower bound: node-disjoint cycles (split every node v into v → v' with weight 1)
    big = float(n + 1)
    split_s = np.concatenate([np.arange(n), ps + n])
    split_d = np.concatenate([np.arange(n) + n, pd])
    split_w = np.concatenate([np.ones(n), np.full(len(ps), big)])
    lb = round(cycle_packing_bound(2 * n, split_s, split_d, split_w, max_depth=12))
    return VertexPlan(nodes, False, min(lb, len(nodes)), "greedy in×out degree")


def plan_sentence(k: int, amount: float, *, exact: bool, lower_bound: float,
                  guarantors: list[str] | None = None) -> str:
    """Return the Chinese one-line 拆圈断链 advice for a circle.

    Examples
    --------
    >>> plan_sentence(3, 2_100_000, exact=True, lower_bound=2_100_000)
    '替换这3笔担保（¥210.0万）即可消除该担保圈。'
    >>> plan_sentence(2, 5e4, exact=False, lower_bound=3e4, guarantors=["甲", "乙"])
    '替换这2笔担保（¥5.0万；近似方案，最优不低于¥3.0万）即可消除该担保圈；或由2个担保人（甲、乙）改用抵押或担保公司担保。'
    """
    note = "" if exact else f"；近似方案，最优不低于¥{lower_bound / 1e4:.1f}万"
    s = f"替换这{k}笔担保（¥{amount / 1e4:.1f}万{note}）即可消除该担保圈"
    if guarantors:
        shown = "、".join(guarantors[:5]) + ("等" if len(guarantors) > 5 else "")
        s += f"；或由{len(guarantors)}个担保人（{shown}）改用抵押或担保公司担保"
    return s + "。"


__all__ = [
    "EXACT_MAX_PAIRS",
    "EXACT_TIME_LIMIT_S",
    "ArcPlan",
    "VertexPlan",
    "cycle_packing_bound",
    "feedback_arc_set",
    "feedback_vertex_set",
    "has_cycle",
    "plan_sentence",
]
