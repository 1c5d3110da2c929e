"""Default contagion over guarantees: base probabilities, fixed-point propagation, DebtRank.

Pure numpy functions over edge arrays ``src`` (guarantor) → ``dst`` (borrower), one entry
per guarantee. The mapping from 五级分类, overdue days and negative records to a base
probability is documented in docs/risk.md; it is a transparent scoring rule, not a
calibrated PD model.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
from guanxi.algorithms.cycles import unique_ints

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: 五级分类 → probability that the borrower defaults (regulatory-style buckets).
CLASSIFICATION_PD: dict[str, float] = {
    "正常": 0.02,
    "关注": 0.10,
    "次级": 0.35,
    "可疑": 0.65,
    "损失": 0.95,
}
#: (minimum overdue days, probability) — the highest threshold reached applies.
OVERDUE_PD: tuple[tuple[int, float], ...] = (
    (1, 0.05),
    (30, 0.15),
    (90, 0.35),
    (180, 0.65),
    (360, 0.90),
)
#: negative-record kind → probability that the event leads to default; others: DEFAULT_NEGATIVE_PD
NEGATIVE_PD: dict[str, float] = {
    "失信被执行人": 0.40,
    "被执行人": 0.25,
    "判决被告": 0.15,
    "行政处罚": 0.08,
    "公安处罚": 0.08,
    "严重疾病": 0.10,
    "车辆违法": 0.01,
}
DEFAULT_NEGATIVE_PD = 0.05
UNKNOWN_PD = 0.02  # a party with no loan and no record


def loan_probability(classification: str | None, overdue_days: int | None) -> float:
    """Return the default probability implied by one loan's 五级分类 and overdue days.

    The larger of the classification bucket and the overdue bucket applies.

    Examples
    --------
    >>> loan_probability("关注", 95)
    0.35
    >>> loan_probability(None, None)
    0.02
    """
    p = CLASSIFICATION_PD.get(classification or "", UNKNOWN_PD)
    days = int(overdue_days or 0)
    for threshold, q in OVERDUE_PD:
        if days >= threshold:
            p = max(p, q)
    return p


def negative_probability(kinds: Iterable[str]) -> float:
    """Return 1 − Π(1 − q(kind)) over a party's negative records (0 when there are none).

    Examples
    --------
    >>> round(negative_probability(["被执行人", "判决被告"]), 4)
    0.3625
    """
    keep = 1.0
    for k in kinds:
        keep *= 1.0 - NEGATIVE_PD.get(k, DEFAULT_NEGATIVE_PD)
    return 1.0 - keep


def combine(*ps: float) -> float:
    """Return the probability that at least one of independent events happens.

    Examples
    --------
    >>> combine(0.5, 0.5)
    0.75
    """
    keep = 1.0
    for p in ps:
        keep *= 1.0 - p
    return 1.0 - keep


def guarantee_weights(amount: FloatArray, capacity: FloatArray) -> FloatArray:
    """Return w = guaranteed amount / guarantor's capacity proxy, clipped to [0, 1].

    ``capacity`` is given per edge (the guarantor's). A zero or missing capacity gives 1.

    Examples
    --------
    >>> import numpy as np
    >>> guarantee_weights(np.array([50.0, 300.0]), np.array([100.0, 100.0])).tolist()
    [0.5, 1.0]
    """
    cap = np.where(np.asarray(capacity, dtype=float) > 0, capacity, 1.0)
    w = np.asarray(amount, dtype=float) / cap
    w = np.where(np.asarray(capacity, dtype=float) > 0, w, 1.0)
    return np.clip(np.nan_to_num(w, nan=1.0), 0.0, 1.0)


def propagate_default(
    n: int,
    src: IntArray,
    dst: IntArray,
    w: FloatArray,
    p_own: FloatArray,
    *,
    tol: float = 1e-10,
    max_iter: int = 200,
) -> tuple[FloatArray, int]:
    """Return (propagated probabilities, iterations) of the guarantee contagion fixed point.

    p(v) = 1 − (1 − p_own(v)) · Π over guarantees e of v (v = src[e]) of (1 − w[e] · p(dst[e])),
    iterated from p = p_own until the largest change is below ``tol``. The map is monotone
    and bounded, so the iteration converges (to the least fixed point above p_own). Each
    round revisits only the guarantees of borrowers whose probability moved by ``tol`` or
    more in the previous round (same answer as full Jacobi rounds, far less work).

    Examples
    --------
    >>> import numpy as np
    >>> p, _ = propagate_default(2, np.array([0]), np.array([1]), np.array([0.5]),
    ...                          np.array([0.1, 0.2]))
    >>> p.round(3).tolist()
    [0.19, 0.2]
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    w = np.asarray(w, dtype=float)
    p = np.clip(np.asarray(p_own, dtype=float), 0.0, 1.0).copy()
    base = np.log1p(-np.clip(p, 0.0, 1.0 - 1e-15))
    if n == 0 or len(src) == 0:
        return p, 1
    # edges grouped by borrower, so that only guarantees of changed borrowers are revisited
    order = np.argsort(dst, kind="stable")
    e_src, e_dst, e_w = src[order], dst[order], w[order]
    ptr = np.searchsorted(e_dst, np.arange(n + 1))
    contrib = np.log1p(-np.clip(e_w * p[e_dst], 0.0, 1.0 - 1e-15))
    logq = base + np.bincount(e_src, weights=contrib, minlength=n)
    new = -np.expm1(logq)
    changed = np.flatnonzero(np.abs(new - p) >= tol)
    p = new
    it = 1
    while len(changed) and it < max_iter:
        it += 1
        starts, ends = ptr[changed], ptr[changed + 1]
        lens = ends - starts
        total = int(lens.sum())
        if total == 0:
            break
        idx = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
        c_new = np.log1p(-np.clip(e_w[idx] * p[e_dst[idx]], 0.0, 1.0 - 1e-15))
        g = e_src[idx]
        if total > n // 8:
            logq += np.bincount(g, weights=c_new - contrib[idx], minlength=n)
        else:
            np.add.at(logq, g, c_new - contrib[idx])
        contrib[idx] = c_new
        if total > n // 64:
            mark = np.zeros(n, dtype=bool)
            mark[g] = True
            affected = np.flatnonzero(mark)
        else:
            affected = unique_ints(g)
        pa_new = -np.expm1(logq[affected])
        moved = np.abs(pa_new - p[affected]) >= tol
        p[affected] = pa_new
        changed = affected[moved]
    return p, it


def debtrank(
    n: int,
    src: IntArray,
    dst: IntArray,
    impact: FloatArray,
    value: FloatArray,
    sources: Iterable[int] | None = None,
) -> FloatArray:
    """Return DebtRank (Battiston et al. 2012) of each source node (0 for the others).

    Distress flows borrower → guarantor: edge e means guarantor ``src[e]`` loses
    ``impact[e]`` (guaranteed amount / its equity proxy, in [0, 1]) of its equity per unit
    of distress of borrower ``dst[e]``. Starting from h(source) = 1, every distressed node
    propagates once; DebtRank = Σ_j h_j v_j − v_source with ``value`` v summing to 1 — the
    share of the book put under distress by the source's default, beyond its own.

    Examples
    --------
    >>> import numpy as np
    >>> r = debtrank(3, np.array([0, 1]), np.array([1, 2]), np.array([0.5, 1.0]),
    ...              np.array([0.5, 0.3, 0.2]))
    >>> r.round(3).tolist()
    [0.0, 0.25, 0.55]
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    order = np.argsort(dst, kind="stable")
    ptr = np.searchsorted(dst[order], np.arange(n + 1))
    out_nb = src[order]
    out_w = np.asarray(impact, dtype=float)[order]
    val = np.asarray(value, dtype=float)
    res = np.zeros(n)
    cand = range(n) if sources is None else sources
    for s in cand:
        if ptr[s] == ptr[s + 1]:
            continue
        h: dict[int, float] = {s: 1.0}
        done: set[int] = set()
        active = {s: 1.0}  # distressed this round → their h at that time
        while active:
            nxt: dict[int, float] = {}
            for i, hi in active.items():
                done.add(i)
                a, b = ptr[i], ptr[i + 1]
                for j, wij in zip(out_nb[a:b].tolist(), out_w[a:b].tolist(), strict=True):
                    if j in done:
                        continue
                    h[j] = min(1.0, h.get(j, 0.0) + wij * hi)
                    nxt[j] = h[j]
            active = {j: h[j] for j in nxt if j not in done}
        res[s] = sum(h[j] * val[j] for j in h) - val[s]
    return res


def explain_paths(
    node: int,
    src: IntArray,
    dst: IntArray,
    w: FloatArray,
    p_own: FloatArray,
    *,
    max_depth: int = 4,
    top: int = 5,
    loans: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Return the guarantee paths that contribute most to a node's propagated probability.

    A path v → x1 → … → xk (v guarantees x1's loan, x1 guarantees x2's, …) contributes
    Π w(edges) · p_own(xk): the chance that xk defaults on its own and the loss reaches v.
    Best-first search, at most ``max_depth`` edges, the ``top`` highest contributions.

    Examples
    --------
    >>> import numpy as np
    >>> ps = explain_paths(0, np.array([0, 1]), np.array([1, 2]), np.array([0.5, 1.0]),
    ...                    np.array([0.0, 0.1, 0.8]))
    >>> [(p["path"], round(p["contribution"], 3)) for p in ps]
    [([0, 1, 2], 0.4), ([0, 1], 0.05)]
    """
    src = np.asarray(src, dtype=np.int64)
    order = np.argsort(src, kind="stable")
    n = int(max(src.max(initial=-1), np.asarray(dst).max(initial=-1), node)) + 1
    ptr = np.searchsorted(src[order], np.arange(n + 1))
    heap: list[tuple[float, list[int], list[int]]] = [(-1.0, [node], [])]
    found: list[dict[str, Any]] = []
    while heap and len(found) < top * 4:
        negw, path, edges = heapq.heappop(heap)
        last = path[-1]
        if edges:
            found.append(
                {
                    "path": path,
                    "loans": [loans[e] for e in edges] if loans else edges,
                    "weight": -negw,
                    "contribution": -negw * float(p_own[last]),
                }
            )
        if len(edges) >= max_depth:
            continue
        for k in order[ptr[last] : ptr[last + 1]].tolist():
            x = int(dst[k])
            if x in path or w[k] <= 0:
                continue
            heapq.heappush(heap, (negw * float(w[k]), [*path, x], [*edges, k]))
    found.sort(key=lambda f: -f["contribution"])
    return found[:top]
