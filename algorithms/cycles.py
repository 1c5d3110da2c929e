"""Strongly connected components and every simple cycle up to a length bound.

Pure functions over integer edge arrays (``src``, ``dst`` of equal length, node indices
``0..n-1``). They never open a store. The cycle search is exact: it restricts itself to
non-trivial strongly connected components, and from each start node ``s`` runs a
depth-bounded DFS that only visits nodes of the same component with a higher index than
``s``, pruned by the BFS distance back to ``s`` — so each cycle is found once, in its
canonical rotation (smallest node first).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def group_order(keys: IntArray, k: int) -> tuple[IntArray, IntArray]:
    """Return (ptr, order): a stable counting sort of integer ``keys`` in ``0..k-1``.

    ``order`` lists the positions of ``keys`` grouped by key (stable within a key) and
    ``ptr[c]:ptr[c + 1]`` is key c's slice of it. Built as a CSR matrix by scipy (compiled
    counting sort), several times faster than ``np.argsort(kind="stable")`` on int64 keys.

    Examples
    --------
    >>> import numpy as np
    >>> ptr, order = group_order(np.array([2, 0, 2, 1]), 3)
    >>> ptr.tolist(), order.tolist()
    ([0, 1, 2, 4], [1, 3, 0, 2])
    """
    from scipy.sparse import csr_matrix

    keys = np.asarray(keys, dtype=np.int64)
    m = len(keys)
    a = csr_matrix((np.ones(m, dtype=np.int8), (keys, np.arange(m))), shape=(k, m))
    return a.indptr.astype(np.int64), a.indices.astype(np.int64)


def scc_labels(n: int, src: IntArray, dst: IntArray) -> IntArray:
    """Return the strongly connected component label of every node (array of length ``n``).

    Uses scipy's compiled Pearce algorithm on a CSR matrix (building an igraph graph from
    millions of edges costs more than the search). The matrix is built from COO so that
    parallel edges are summed: scipy's search does not terminate on a CSR matrix with
    duplicate entries (seen with scipy 1.17).

    References
    ----------
    .. [1] D. J. Pearce, "A space-efficient algorithm for finding strongly connected
       components", Information Processing Letters 116(1), 47–52 (2016).
       https://doi.org/10.1016/j.ipl.2015.08.010

    Examples
    --------
    >>> import numpy as np
    >>> lab = scc_labels(3, np.array([0, 0, 1]), np.array([1, 1, 0]))
    >>> bool(lab[0] == lab[1] != lab[2])
    True
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    a = csr_matrix((np.ones(len(src), dtype=np.int32), (src, dst)), shape=(n, n))
    _, labels = connected_components(a, directed=True, connection="strong")
    return np.asarray(labels, dtype=np.int64)


def components_from_labels(labels: IntArray, min_size: int = 2) -> list[IntArray]:
    """Return the components (sorted node arrays) of ``labels`` with at least ``min_size``
    nodes, ordered by their smallest node.

    Examples
    --------
    >>> import numpy as np
    >>> [c.tolist() for c in components_from_labels(np.array([1, 0, 1, 2]))]
    [[0, 2]]
    """
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0:
        return []
    sizes = np.bincount(labels)
    big = np.flatnonzero(sizes >= min_size)
    if len(big) == 0:
        return []
    starts, order = group_order(labels, len(sizes))
    out = [order[starts[c] : starts[c + 1]] for c in big.tolist()]
    out.sort(key=lambda a: int(a[0]))
    return out


def nontrivial_sccs(n: int, src: IntArray, dst: IntArray, min_size: int = 2) -> list[IntArray]:
    """Return the strongly connected components with at least ``min_size`` nodes, each sorted.

    Examples
    --------
    >>> import numpy as np
    >>> [c.tolist() for c in nontrivial_sccs(4, np.array([0, 1, 2]), np.array([1, 0, 3]))]
    [[0, 1]]
    """
    if n == 0:
        return []
    return components_from_labels(scc_labels(n, src, dst), min_size)


def unique_ints(a: IntArray) -> IntArray:
    """Return the sorted distinct values of an integer array (sort-based; numpy 2's hash
    path of ``np.unique`` is slow on large int64 arrays).

    Examples
    --------
    >>> import numpy as np
    >>> unique_ints(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    s = np.sort(np.asarray(a, dtype=np.int64))
    if len(s) == 0:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _csr(m: int, src: IntArray, dst: IntArray) -> tuple[IntArray, IntArray]:
    """Return (indptr, indices) of a de-duplicated, sorted adjacency over ``m`` nodes."""
    if len(src):
        pairs = unique_ints(src * m + dst)
        src, dst = pairs // m, pairs % m
    indptr = np.zeros(m + 1, dtype=np.int64)
    np.add.at(indptr, src + 1, 1)
    return np.cumsum(indptr), dst.astype(np.int64)


def _adjacency(src: IntArray, dst: IntArray) -> dict[int, list[int]]:
    """Return node → sorted distinct successors, built with one sort (no per-node numpy)."""
    if len(src) == 0:
        return {}
    m = int(max(src.max(), dst.max())) + 1
    pairs = unique_ints(src * m + dst)
    s, d = pairs // m, pairs % m
    cut = (np.flatnonzero(np.diff(s)) + 1).tolist()
    heads = s[[0, *cut]].tolist()
    dl = d.tolist()
    bounds = [0, *cut, len(dl)]
    return {h: dl[bounds[i] : bounds[i + 1]] for i, h in enumerate(heads)}


def _component_cycles(
    comp: list[int], out_nb: dict[int, list[int]], in_nb: dict[int, list[int]], max_len: int
) -> Iterator[tuple[int, ...]]:
    """Yield the simple cycles (length 2..max_len) of one strong component (sorted ids)."""
    empty: list[int] = []
    for s in comp:
        # distance from each node back to s, through nodes > s, at most max_len - 1 steps
        dist = {s: 0}
        frontier = [s]
        d = 0
        while frontier and d < max_len - 1:
            d += 1
            nxt = []
            for v in frontier:
                for u in in_nb.get(v, empty):
                    if u > s and u not in dist:
                        dist[u] = d
                        nxt.append(u)
            frontier = nxt
        if len(dist) == 1:
            continue
        path = [s]
        on_path = {s}
        stack = [iter(out_nb.get(s, empty))]
        while stack:
            advanced = False
            for w in stack[-1]:
                if w == s:
                    if len(path) >= 2:
                        yield tuple(path)
                    continue
                if w < s or w in on_path:
                    continue
                dw = dist.get(w)
                # path has len(path) nodes; adding w then returning needs dw more edges
                if dw is None or len(path) + dw > max_len:
                    continue
                path.append(w)
                on_path.add(w)
                stack.append(iter(out_nb.get(w, empty)))
                advanced = True
                break
            if not advanced:
                stack.pop()
                on_path.discard(path.pop())


def simple_cycles(
    n: int,
    src: IntArray,
    dst: IntArray,
    max_len: int = 8,
    *,
    self_loops: bool = False,
    components: list[IntArray] | None = None,
) -> list[tuple[int, ...]]:
    """Return every simple directed cycle with at most ``max_len`` nodes.

    Each cycle is a tuple of node indices in its canonical rotation (smallest index first,
    then following the edges). Parallel edges count once. Self-loops are returned as 1-cycles
    only with ``self_loops=True``. ``components`` may pass precomputed non-trivial SCCs.

    Examples
    --------
    >>> import numpy as np
    >>> sorted(simple_cycles(3, np.array([0, 1, 2, 1]), np.array([1, 2, 0, 0])))
    [(0, 1), (0, 1, 2)]
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    out: list[tuple[int, ...]] = []
    if self_loops:
        out.extend((int(v),) for v in unique_ints(src[src == dst]))
    if max_len < 2 or n == 0:
        return out
    comps = nontrivial_sccs(n, src, dst) if components is None else components
    if not comps:
        return out
    comp_of = np.full(n, -1, dtype=np.int64)
    for ci, c in enumerate(comps):
        comp_of[c] = ci
    keep = (comp_of[src] >= 0) & (comp_of[src] == comp_of[dst]) & (src != dst)
    es, ed = src[keep], dst[keep]
    out_nb = _adjacency(es, ed)
    in_nb = _adjacency(ed, es)
    for c in comps:
        out.extend(_component_cycles(c.tolist(), out_nb, in_nb, max_len))
    return out


def canonical_rotation(cycle: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    """Return the rotation of ``cycle`` that starts at its smallest node.

    Examples
    --------
    >>> canonical_rotation([3, 1, 2])
    (1, 2, 3)
    """
    i = min(range(len(cycle)), key=lambda k: cycle[k])
    return tuple(cycle[i:]) + tuple(cycle[:i])


def mutual_pairs(src: IntArray, dst: IntArray) -> list[tuple[int, int]]:
    """Return the unordered pairs (u < v) with edges both ways (互保).

    Examples
    --------
    >>> import numpy as np
    >>> mutual_pairs(np.array([0, 1, 1]), np.array([1, 0, 2]))
    [(0, 1)]
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    m = int(max(src.max(initial=-1), dst.max(initial=-1))) + 1
    fwd = unique_ints(src * m + dst)
    rev = unique_ints(dst * m + src)
    both = np.intersect1d(fwd, rev)
    u, v = both // m, both % m
    sel = u < v
    return [(int(a), int(b)) for a, b in zip(u[sel], v[sel], strict=True)]


# ----- counting cycles without keeping them -------------------------------------------------


def _jit(fn: Any) -> Any:
    """Return ``fn`` compiled by numba when it is installed, else ``fn`` itself (same result,
    far slower: the pure-Python path is for environments without numba)."""
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency; kept for old venvs
        return fn
    return numba.njit(cache=True, nogil=True)(fn)


def _census_kernel(
    indptr: IntArray, indices: IntArray, ewt: FloatArray, in_ptr: IntArray, in_idx: IntArray,
    max_len: int, budget: int, top_k: int,
) -> tuple[IntArray, int, bool, FloatArray, IntArray]:
    """Count simple cycles of 2..max_len nodes of one strong component (local ids 0..c-1).

    Same search as `_component_cycles` (canonical rotation, BFS-distance pruning), counting
    instead of keeping; stops after ``budget`` edge steps. Returns (counts by length, steps,
    finished, weights of the ``top_k`` heaviest cycles, those cycles padded with -1).
    """
    c = len(indptr) - 1
    counts = np.zeros(max_len + 1, dtype=np.int64)
    dist = np.full(c, -1, dtype=np.int64)
    touched = np.empty(c, dtype=np.int64)
    path = np.empty(max_len + 1, dtype=np.int64)
    pos = np.empty(max_len + 1, dtype=np.int64)
    pw = np.zeros(max_len + 1, dtype=np.float64)
    on = np.zeros(c, dtype=np.bool_)
    top_w = np.full(top_k, -1.0, dtype=np.float64)
    top_c = np.full((top_k, max_len), -1, dtype=np.int64)
    min_i = 0
    steps = 0
    for s in range(c):
        nt = 1
        dist[s] = 0
        touched[0] = s
        head = 0
        while head < nt:
            v = touched[head]
            head += 1
            dv = dist[v]
            if dv >= max_len - 1:
                continue
            for k in range(in_ptr[v], in_ptr[v + 1]):
                u = in_idx[k]
                steps += 1
                if u > s and dist[u] < 0:
                    dist[u] = dv + 1
                    touched[nt] = u
                    nt += 1
        if nt > 1:
            depth = 0
            path[0] = s
            pos[0] = indptr[s]
            on[s] = True
            pw[0] = 0.0
            while depth >= 0:
                v = path[depth]
                k = pos[depth]
                if k >= indptr[v + 1]:
                    on[v] = False
                    depth -= 1
                    continue
                pos[depth] = k + 1
                steps += 1
                w = indices[k]
                if w == s:
                    if depth >= 1:
                        counts[depth + 1] += 1
                        cw = pw[depth] + ewt[k]
                        if top_k > 0 and cw > top_w[min_i]:
                            top_w[min_i] = cw
                            for j in range(max_len):
                                top_c[min_i, j] = path[j] if j <= depth else -1
                            for j in range(top_k):
                                if top_w[j] < top_w[min_i]:
                                    min_i = j
                    continue
                if w < s or on[w]:
                    continue
                dw = dist[w]
                if dw < 0 or depth + 1 + dw > max_len:
                    continue
                depth += 1
                path[depth] = w
                pos[depth] = indptr[w]
                on[w] = True
                pw[depth] = pw[depth - 1] + ewt[k]
        for j in range(nt):
            dist[touched[j]] = -1
        if steps > budget:
            return counts, steps, s == c - 1, top_w, top_c
    return counts, steps, True, top_w, top_c


_census_jit = _jit(_census_kernel)


@dataclass
class CycleCensus:
    """Cycle counts of one strong component, with the heaviest cycles found.

    ``counts[L]`` for L in 2..``exact_up_to`` is exact; when ``capped`` the count of length
    ``exact_up_to + 1`` is a lower bound (the search stopped at the step budget) and longer
    lengths were not searched. ``top`` lists ``(weight, cycle)`` pairs, heaviest first, cycles
    as local node ids in canonical rotation (smallest first).
    """

    counts: dict[int, int]
    exact_up_to: int
    capped: bool
    steps: int
    top: list[tuple[float, tuple[int, ...]]]

    @property
    def total(self) -> int:
        """Return the number of cycles counted (a lower bound when ``capped``)."""
        return sum(self.counts.values())


def cycle_census(
    n: int,
    src: IntArray,
    dst: IntArray,
    weight: FloatArray | None = None,
    *,
    max_len: int = 8,
    budget: int = 200_000_000,
    top_k: int = 50,
) -> CycleCensus:
    """Return the counts of simple cycles by length (2..``max_len``) of a strongly connected
    graph without materialising them, and its ``top_k`` heaviest cycles.

    ``weight`` is per edge (parallel edges are merged and their weights summed); a cycle's
    weight is the sum over its edges. The search deepens one length at a time (bound 2, 3,
    …), each pass exact; when the edge steps of all passes exceed ``budget`` it stops and
    reports ``capped`` with the counts reached (see `CycleCensus`). Compiled with numba.
    Nodes of ``src``/``dst`` are ``0..n-1``; pass one strong component (other nodes are
    searched too, but only cycles matter).

    Examples
    --------
    >>> import numpy as np
    >>> c = cycle_census(3, np.array([0, 1, 2, 1]), np.array([1, 2, 0, 0]),
    ...                  np.array([1.0, 2.0, 3.0, 5.0]))
    >>> c.counts, c.capped, c.top[0]
    ({2: 1, 3: 1}, False, (6.0, (0, 1)))
    >>> cycle_census(3, np.array([0, 1, 2, 1]), np.array([1, 2, 0, 0]), budget=1).capped
    True
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    w = np.ones(len(src)) if weight is None else np.asarray(weight, dtype=np.float64)
    keep = src != dst
    src, dst, w = src[keep], dst[keep], w[keep]
    if n == 0 or len(src) == 0 or max_len < 2:
        return CycleCensus({}, max(max_len, 0), False, 0, [])
    key = src * n + dst
    pairs, inv = np.unique(key, return_inverse=True)
    pw = np.bincount(inv, weights=w, minlength=len(pairs))
    ps, pd = pairs // n, pairs % n
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, ps + 1, 1)
    indptr = np.cumsum(indptr)
    in_ptr, in_order = group_order(pd, n)
    in_idx = ps[in_order]
    counts: dict[int, int] = {}
    used = 0
    best: dict[tuple[int, ...], float] = {}
    exact_up_to = 1
    capped = False
    for bound in range(2, max_len + 1):
        cnt, steps, finished, tw, tc = _census_jit(indptr, pd, pw, in_ptr, in_idx, bound,
                                                   budget - used, top_k)
        used += int(steps)
        for wt, row in zip(tw.tolist(), tc.tolist(), strict=True):
            if wt >= 0:
                best[tuple(x for x in row if x >= 0)] = wt
        if finished:
            counts = {ln: int(cnt[ln]) for ln in range(2, bound + 1) if cnt[ln]}
            exact_up_to = bound
            continue
        capped = True
        if cnt[bound]:
            counts[bound] = int(cnt[bound])
        break
    top = sorted(((wt, cyc) for cyc, wt in best.items()), key=lambda t: (-t[0], t[1]))[:top_k]
    return CycleCensus(counts, exact_up_to, capped, used, top)


__all__ = [
    "CycleCensus",
    "canonical_rotation",
    "components_from_labels",
    "cycle_census",
    "group_order",
    "mutual_pairs",
    "nontrivial_sccs",
    "scc_labels",
    "simple_cycles",
    "unique_ints",
]
