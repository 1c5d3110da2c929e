"""LDBC FinBench complex reads TCR1–TCR12 as traversals over a source.

The functions take a `FinBenchSource` (edges fetched per frontier by named Cypher queries,
see `guanxi.analyses.finbench.StoreSource`) and FinBench integer ids, and return
plain rows with snake_case keys and integer ids. The readings of the spec (open windows,
truncation, distinctness, rounding) are written down in docs/finbench.md.

Tiny example (a → b at t=5, b → c at t=7, window 0 < t < 10; c signed in by blocked m):
`tcr1(src, a, 0, 10)` → `[{"other_id": c, "account_distance": 2, "medium_id": m, ...}]`.

References
----------
.. [1] LDBC Financial Benchmark (FinBench) specification, complex read queries TCR1–TCR12.
   https://github.com/ldbc/ldbc_finbench_docs
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple, Protocol

from guanxi.graph.ids import fb_int_id, fb_node_id

DESC = "TIMESTAMP_DESCENDING"
ASC = "TIMESTAMP_ASCENDING"
QUERIES = tuple(f"tcr{k}" for k in range(1, 13))


class Edge(NamedTuple):
    """One edge of a projection: endpoints (node ids), key, amount (or 0.0) and ts."""

    src: str
    dst: str
    key: int
    amount: float
    ts: int


class Signin(NamedTuple):
    """A blocked medium signing in to an account inside a window."""

    account: str
    medium: str
    medium_type: str


class LoanRef(NamedTuple):
    """A loan reached from an account or person: loan id, amount and balance."""

    account: str
    loan: str
    amount: float
    balance: float


class FinBenchSource(Protocol):
    """Where the traversals read edges: one call per frontier (the store, or a test double)."""

    def transfers_out(self, ids: list[str]) -> list[Edge]:
        """Return every TRANSFER edge leaving one of the accounts."""
        ...

    def transfers_in(self, ids: list[str]) -> list[Edge]:
        """Return every TRANSFER edge arriving at one of the accounts."""
        ...

    def withdraws_out(self, ids: list[str]) -> list[Edge]:
        """Return every WITHDRAW edge leaving one of the accounts."""
        ...

    def guarantees_out(self, ids: list[str]) -> list[Edge]:
        """Return every person→person GUARANTEES_PARTY edge leaving one of the persons."""
        ...

    def blocked_signins(self, ids: list[str], start: int, end: int) -> list[Signin]:
        """Return distinct (account, blocked medium, type) sign-ins with start < ts < end."""
        ...

    def owned_accounts(self, person: str) -> list[str]:
        """Return the accounts a person owns."""
        ...

    def deposits_into(self, ids: list[str], start: int, end: int) -> list[LoanRef]:
        """Return distinct (account, loan) pairs of deposits with start < ts < end."""
        ...

    def loan_deposits(self, loan: str, start: int, end: int) -> tuple[float | None, list[str]]:
        """Return the loan amount and the accounts it deposited into with start < ts < end."""
        ...

    def loans_of(self, persons: list[str]) -> list[tuple[str, float]]:
        """Return the distinct (loan, amount) applied for by the persons."""
        ...

    def withdraws_in(self, ids: list[str]) -> list[Edge]:
        """Return every WITHDRAW edge arriving at one of the accounts."""
        ...

    def deposits_in(self, ids: list[str]) -> list[Edge]:
        """Return every DEPOSIT edge (src = the loan) arriving at one of the accounts."""
        ...

    def repays_out(self, ids: list[str]) -> list[Edge]:
        """Return every REPAY edge (dst = the loan) leaving one of the accounts."""
        ...

    def person_invests(self, ids: list[str]) -> list[Edge]:
        """Return every Person→Company INVESTS edge leaving one of the persons."""
        ...

    def company_owned(self, ids: list[str]) -> list[str]:
        """Return those of the accounts that some Company owns."""
        ...

    def account_kind(self, id: str) -> str | None:
        """Return the account's type (`kind`), or None if there is no such account."""
        ...


# -- helpers ----------------------------------------------------------------------------------


def exact(x: float) -> Fraction:
    """Return the decimal value a float was written as (`0.1` → 1/10), as a Fraction."""
    return Fraction(Decimal(repr(x)))


def round3(x: Fraction) -> float:
    """Return `x` rounded half up (away from zero) to 3 decimals, as a float."""
    scaled = abs(x) * 1000
    q = int(scaled)
    if scaled - q >= Fraction(1, 2):
        q += 1
    return float(Decimal(q if x >= 0 else -q).scaleb(-3))


def truncate(edges: list[Edge], limit: int, order: str, *, other: str = "dst") -> list[Edge]:
    """Return the first `limit` edges in time order `order` (ties: other endpoint, amount).

    `limit` < 0 means no limit. Edges are taken out of one vertex, before any time filter.
    """
    desc = order.upper() == DESC
    if order.upper() not in (DESC, ASC):
        raise ValueError(f"unknown truncation order {order!r}")

    def key(e: Edge) -> tuple[int, int, Fraction]:
        o = fb_int_id(e.dst if other == "dst" else e.src)
        return (-e.ts if desc else e.ts, o, exact(e.amount))

    ordered = sorted(edges, key=key)
    return ordered if limit < 0 else ordered[:limit]


class _Adjacency:
    """Per-query cache of truncated adjacency lists, fetched a frontier at a time."""

    def __init__(self, fetch: Any, limit: int, order: str, side: str) -> None:
        self._fetch = fetch
        self._limit = limit
        self._order = order
        self._side = side  # "src": edges grouped by src (outgoing); "dst": incoming
        self._adj: dict[str, list[Edge]] = {}

    def load(self, ids: Iterable[str]) -> None:
        todo = sorted({i for i in ids if i not in self._adj})
        if not todo:
            return
        grouped: dict[str, list[Edge]] = {i: [] for i in todo}
        for fetch in self._fetch:
            for e in fetch(todo):
                grouped[e.src if self._side == "src" else e.dst].append(e)
        other = "dst" if self._side == "src" else "src"
        for i, es in grouped.items():
            self._adj[i] = truncate(es, self._limit, self._order, other=other)

    def __getitem__(self, node: str) -> list[Edge]:
        return self._adj.get(node, [])


# -- TCR1 -------------------------------------------------------------------------------------


def tcr1(
    src: FinBenchSource,
    id: int,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return TCR1 rows: accounts 1–3 time-ascending transfers from `id` signed into by a blocked
    medium in the window — `other_id, account_distance, medium_id, medium_type` sorted by
    distance, other_id, medium_id."""
    adj = _Adjacency([src.transfers_out], limit, order, "src")
    frontier: dict[str, int] = {fb_node_id("Account", id): start}
    reached: dict[int, set[str]] = {}
    for step in (1, 2, 3):
        adj.load(frontier)
        nxt: dict[str, int] = {}
        for u, tu in frontier.items():
            for e in adj[u]:
                if tu < e.ts < end and (e.dst not in nxt or e.ts < nxt[e.dst]):
                    nxt[e.dst] = e.ts
        if not nxt:
            break
        reached[step] = set(nxt)
        frontier = nxt
    every = sorted(set().union(*reached.values())) if reached else []
    by_acct: dict[str, list[Signin]] = {}
    if every:
        for s in src.blocked_signins(every, start, end):
            by_acct.setdefault(s.account, []).append(s)
    rows = set()
    for dist, accts in reached.items():
        for a in accts:
            for s in by_acct.get(a, []):
                rows.add((dist, fb_int_id(a), fb_int_id(s.medium), s.medium_type))
    return [
        {"other_id": o, "account_distance": d, "medium_id": m, "medium_type": t}
        for d, o, m, t in sorted(rows)
    ]


# -- TCR2 -------------------------------------------------------------------------------------


def tcr2(
    src: FinBenchSource,
    id: int,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return TCR2 rows: accounts 1–3 time-ascending transfers upstream of person `id`'s
    accounts that got a loan deposit in the window — `other_id, sum_loan_amount,
    sum_loan_balance` over distinct loans, sorted by sum_loan_amount desc, other_id."""
    owned = src.owned_accounts(fb_node_id("Person", id))
    adj = _Adjacency([src.transfers_in], limit, order, "dst")
    # bound: the next (upstream) edge must be earlier than this
    frontier: dict[str, int] = {a: end for a in owned}
    others: set[str] = set()
    for _ in (1, 2, 3):
        if not frontier:
            break
        adj.load(frontier)
        nxt: dict[str, int] = {}
        for v, bound in frontier.items():
            for e in adj[v]:
                if start < e.ts < end and e.ts < bound and e.ts > nxt.get(e.src, start):
                    nxt[e.src] = e.ts
        others |= set(nxt)
        frontier = nxt
    if not others:
        return []
    loans: dict[str, dict[str, LoanRef]] = {}
    for ref in src.deposits_into(sorted(others), start, end):
        loans.setdefault(ref.account, {})[ref.loan] = ref
    out = []
    for acct, ls in loans.items():
        amount = sum((exact(r.amount) for r in ls.values()), Fraction(0))
        balance = sum((exact(r.balance) for r in ls.values()), Fraction(0))
        out.append(
            {
                "other_id": fb_int_id(acct),
                "sum_loan_amount": round3(amount),
                "sum_loan_balance": round3(balance),
            }
        )
    out.sort(key=lambda r: (-r["sum_loan_amount"], r["other_id"]))
    return out


# -- TCR5 -------------------------------------------------------------------------------------


def tcr5(
    src: FinBenchSource,
    id: int,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return TCR5 rows `{"path": [account ids]}`: simple paths of 1–3 time-ascending transfers
    in the window from person `id`'s accounts, sorted by length desc, then path asc."""
    owned = src.owned_accounts(fb_node_id("Person", id))
    adj = _Adjacency([src.transfers_out], limit, order, "src")
    paths: set[tuple[str, ...]] = set()
    level: list[tuple[tuple[str, ...], int]] = [((a,), start) for a in sorted(set(owned))]
    for _ in (1, 2, 3):
        adj.load(p[-1] for p, _t in level)
        nxt: list[tuple[tuple[str, ...], int]] = []
        for path, t in level:
            best: dict[str, int] = {}
            for e in adj[path[-1]]:
                if t < e.ts < end and e.dst not in path and e.ts < best.get(e.dst, end):
                    best[e.dst] = e.ts
            for v, tv in best.items():
                p = (*path, v)
                if p not in paths:
                    paths.add(p)
                    nxt.append((p, tv))
        level = nxt
    ints = [[fb_int_id(x) for x in p] for p in paths]
    ints.sort(key=lambda p: (-len(p), p))
    return [{"path": p} for p in ints]


# -- TCR8 -------------------------------------------------------------------------------------


def tcr8(
    src: FinBenchSource,
    id: int,
    threshold: float,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return TCR8 rows: accounts 1–3 transfer/withdraw hops downstream of the accounts loan
    `id` deposited into in the window — `dst_id, ratio, min_distance_from_loan` sorted by
    distance desc, ratio desc, dst_id. Routes never reuse an edge; no time ordering."""
    loan_amount, starts = src.loan_deposits(fb_node_id("Loan", id), start, end)
    if not starts or loan_amount is None:
        return []
    adj = _Adjacency([src.transfers_out, src.withdraws_out], limit, order, "src")
    thr = exact(threshold)
    cache: dict[str, list[Edge]] = {}

    def prefetch(nodes: Iterable[str]) -> None:
        todo = sorted({n for n in nodes if n not in cache})
        if not todo:
            return
        adj.load(todo)
        totals: dict[str, Fraction] = {}
        if thr != 0:
            for e in src.transfers_in(todo):
                if start < e.ts < end:
                    totals[e.dst] = totals.get(e.dst, Fraction(0)) + exact(e.amount)
        for u in todo:
            bound = thr * totals.get(u, Fraction(0))
            cache[u] = [e for e in adj[u] if start < e.ts < end and exact(e.amount) > bound]

    def valid(u: str) -> list[Edge]:
        return cache[u]

    last: dict[str, dict[int, Edge]] = {}
    dist: dict[str, int] = {}

    def hit(e: Edge, hops: int) -> None:
        last.setdefault(e.dst, {})[e.key] = e
        if e.dst not in dist or hops < dist[e.dst]:
            dist[e.dst] = hops

    two: list[tuple[Edge, Edge]] = []
    prefetch(starts)
    prefetch(e.dst for s in set(starts) for e in valid(s))
    for s in sorted(set(starts)):
        for e1 in valid(s):
            hit(e1, 1)
            for e2 in valid(e1.dst):
                if e2.key != e1.key:
                    hit(e2, 2)
                    two.append((e1, e2))
    # third hop: from u = e2.dst every valid edge not used by some 2-edge trail ending at u
    by_end: dict[str, list[frozenset[int]]] = {}
    for e1, e2 in two:
        by_end.setdefault(e2.dst, []).append(frozenset((e1.key, e2.key)))
    prefetch(by_end)
    for u, used_sets in by_end.items():
        es = valid(u)
        keys = {e.key for e in es}
        if any(not (used & keys) for used in used_sets):
            allowed = keys
        else:
            allowed = set()
            for used in used_sets:
                allowed |= keys - used
                if allowed == keys:
                    break
        for e in es:
            if e.key in allowed:
                hit(e, 3)
    la = exact(loan_amount)
    out = []
    for d, into in last.items():
        total = sum((exact(e.amount) for e in into.values()), Fraction(0))
        ratio = round3(total / la) if la != 0 else 0.0
        out.append({"dst_id": fb_int_id(d), "ratio": ratio, "min_distance_from_loan": dist[d] + 1})
    out.sort(key=lambda r: (-r["min_distance_from_loan"], -r["ratio"], r["dst_id"]))
    return out


# -- TCR11 ------------------------------------------------------------------------------------


def tcr11(
    src: FinBenchSource,
    id: int,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return the one TCR11 row `{"sum_loan_amount", "num_loans"}`: distinct loans of every
    person reached from `id` over guarantee edges in the window (any depth)."""
    adj = _Adjacency([src.guarantees_out], limit, order, "src")
    reached: set[str] = set()
    frontier = {fb_node_id("Person", id)}
    while frontier:
        adj.load(frontier)
        nxt = set()
        for u in frontier:
            for e in adj[u]:
                if start < e.ts < end and e.dst not in reached:
                    reached.add(e.dst)
                    nxt.add(e.dst)
        frontier = nxt
    loans = dict(src.loans_of(sorted(reached))) if reached else {}
    total = sum((exact(a) for a in loans.values()), Fraction(0))
    return [{"sum_loan_amount": round3(total), "num_loans": len(loans)}]


# -- shared by TCR3–TCR12 ---------------------------------------------------------------------


def _window(edges: Iterable[Edge], start: int, end: int, above: Fraction | None = None) -> list[Edge]:
    """Return the edges with start < ts < end (and amount > `above` when given)."""
    return [
        e for e in edges
        if start < e.ts < end and (above is None or exact(e.amount) > above)
    ]


def _total(edges: Iterable[Edge]) -> Fraction:
    return sum((exact(e.amount) for e in edges), Fraction(0))


def _ratio(num: list[Edge], den: list[Edge]) -> float:
    """Return sum(num) / sum(den) rounded half up; -1.0 without `den` edges, 0.0 without `num`."""
    if not den:
        return -1.0
    d = _total(den)
    return round3(_total(num) / d) if d != 0 else -1.0


def _one(fetch: Any, node: str, limit: int, order: str, side: str) -> list[Edge]:
    """Return the truncated adjacency list of one vertex (`side` "src": its out-edges)."""
    adj = _Adjacency(fetch, limit, order, side)
    adj.load([node])
    return adj[node]


# -- TCR3 -------------------------------------------------------------------------------------


def tcr3(src: FinBenchSource, id1: int, id2: int, start: int, end: int) -> list[dict[str, Any]]:
    """Return the one TCR3 row `{"shortest_path_length"}`: fewest in-window transfers from
    account `id1` to `id2` in the direction money moves (any time order, no depth limit),
    -1 when `id2` cannot be reached (0 when id1 == id2).

    Bidirectional breadth-first search: each step expands the smaller frontier by one full
    level (one fetch); the first level at which the two sides meet gives the length."""
    a, b = fb_node_id("Account", id1), fb_node_id("Account", id2)
    if a == b:
        return [{"shortest_path_length": 0}]
    dist = ({a: 0}, {b: 0})  # forward (from id1), backward (to id2)
    frontier: tuple[set[str], set[str]] = ({a}, {b})
    depth = [0, 0]
    while frontier[0] and frontier[1]:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        fetch = src.transfers_out if side == 0 else src.transfers_in
        here, there = dist[side], dist[1 - side]
        depth[side] += 1
        nxt: set[str] = set()
        best = -1
        for e in fetch(sorted(frontier[side])):
            if not start < e.ts < end:
                continue
            v = e.dst if side == 0 else e.src
            if v in here:
                continue
            here[v] = depth[side]
            nxt.add(v)
            if v in there:
                length = depth[side] + there[v]
                best = length if best < 0 else min(best, length)
        if best >= 0:
            return [{"shortest_path_length": best}]
        frontier = (nxt, frontier[1]) if side == 0 else (frontier[0], nxt)
    return [{"shortest_path_length": -1}]


# -- TCR4 -------------------------------------------------------------------------------------


def tcr4(src: FinBenchSource, id1: int, id2: int, start: int, end: int) -> list[dict[str, Any]]:
    """Return TCR4 rows (none unless `id1` transferred to `id2` in the window): accounts
    `other` with in-window transfers other→id1 (edge2) and id2→other (edge3) — `other_id,
    num_edge2, sum_edge2_amount, max_edge2_amount, num_edge3, sum_edge3_amount,
    max_edge3_amount`, sorted by sum_edge2 desc, sum_edge3 desc, other_id."""
    a, b = fb_node_id("Account", id1), fb_node_id("Account", id2)
    if not any(e.dst == b for e in _window(src.transfers_out([a]), start, end)):
        return []
    edge2: dict[str, list[Edge]] = {}
    for e in _window(src.transfers_in([a]), start, end):
        edge2.setdefault(e.src, []).append(e)
    edge3: dict[str, list[Edge]] = {}
    for e in _window(src.transfers_out([b]), start, end):
        edge3.setdefault(e.dst, []).append(e)
    out = []
    for o in edge2.keys() & edge3.keys():
        e2, e3 = edge2[o], edge3[o]
        out.append(
            {
                "other_id": fb_int_id(o),
                "num_edge2": len(e2),
                "sum_edge2_amount": round3(_total(e2)),
                "max_edge2_amount": round3(max(exact(e.amount) for e in e2)),
                "num_edge3": len(e3),
                "sum_edge3_amount": round3(_total(e3)),
                "max_edge3_amount": round3(max(exact(e.amount) for e in e3)),
            }
        )
    out.sort(key=lambda r: (-r["sum_edge2_amount"], -r["sum_edge3_amount"], r["other_id"]))
    return out


# -- TCR6 -------------------------------------------------------------------------------------


def is_card(kind: str | None) -> bool:
    """Return True when an account type names a card ("debit card", "credit card", …)."""
    return kind is not None and "card" in kind.lower()


def tcr6(
    src: FinBenchSource,
    id: int,
    threshold1: float,
    threshold2: float,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return TCR6 rows (none unless account `id` is a card): accounts `mid` withdrawing to
    the card in the window (amount > threshold2) that received more than 3 in-window
    transfers with amount > threshold1 — `mid_id, sum_edge1_amount, sum_edge2_amount`,
    sorted by sum_edge2 desc, mid_id."""
    card = fb_node_id("Account", id)
    if not is_card(src.account_kind(card)):
        return []
    withdraws: dict[str, list[Edge]] = {}
    for e in _window(_one([src.withdraws_in], card, limit, order, "dst"), start, end,
                     exact(threshold2)):
        withdraws.setdefault(e.src, []).append(e)
    if not withdraws:
        return []
    adj = _Adjacency([src.transfers_in], limit, order, "dst")
    adj.load(withdraws)
    t1 = exact(threshold1)
    out = []
    for mid, e2 in withdraws.items():
        e1 = _window(adj[mid], start, end, t1)
        if len(e1) > 3:
            out.append(
                {
                    "mid_id": fb_int_id(mid),
                    "sum_edge1_amount": round3(_total(e1)),
                    "sum_edge2_amount": round3(_total(e2)),
                }
            )
    out.sort(key=lambda r: (-r["sum_edge2_amount"], r["mid_id"]))
    return out


# -- TCR7 -------------------------------------------------------------------------------------


def tcr7(
    src: FinBenchSource,
    id: int,
    threshold: float,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return the one TCR7 row `{"num_src", "num_dst", "in_out_ratio"}`: distinct senders and
    receivers of account `id`'s in-window transfers with amount > threshold, and the ratio of
    the amounts in to the amounts out (-1.0 with nothing out, 0.0 with nothing in)."""
    acct, thr = fb_node_id("Account", id), exact(threshold)
    e1 = _window(_one([src.transfers_in], acct, limit, order, "dst"), start, end, thr)
    e2 = _window(_one([src.transfers_out], acct, limit, order, "src"), start, end, thr)
    return [
        {
            "num_src": len({e.src for e in e1}),
            "num_dst": len({e.dst for e in e2}),
            "in_out_ratio": _ratio(e1, e2),
        }
    ]


# -- TCR9 -------------------------------------------------------------------------------------


def tcr9(
    src: FinBenchSource,
    id: int,
    threshold: float,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return the one TCR9 row `{"ratio_repay", "ratio_deposit", "ratio_transfer"}` of account
    `id`: deposits in / repays out, deposits in / transfers out, transfers in / transfers out
    (edge amounts in the window, each > threshold; -1.0 without a denominator edge)."""
    acct, thr = fb_node_id("Account", id), exact(threshold)

    def edges(fetch: Any, side: str) -> list[Edge]:
        return _window(_one([fetch], acct, limit, order, side), start, end, thr)

    e1 = edges(src.deposits_in, "dst")
    e2 = edges(src.repays_out, "src")
    e3 = edges(src.transfers_in, "dst")
    e4 = edges(src.transfers_out, "src")
    return [
        {
            "ratio_repay": _ratio(e1, e2),
            "ratio_deposit": _ratio(e1, e4),
            "ratio_transfer": _ratio(e3, e4),
        }
    ]


# -- TCR10 ------------------------------------------------------------------------------------


def tcr10(src: FinBenchSource, pid1: int, pid2: int, start: int, end: int) -> list[dict[str, Any]]:
    """Return the one TCR10 row `{"jaccard_similarity"}` of the sets of companies persons
    `pid1` and `pid2` invested in inside the window (0.0 when both are empty)."""
    p1, p2 = fb_node_id("Person", pid1), fb_node_id("Person", pid2)
    firms: dict[str, set[str]] = {p1: set(), p2: set()}
    for e in _window(src.person_invests(sorted({p1, p2})), start, end):
        firms[e.src].add(e.dst)
    c1, c2 = firms[p1], firms[p2]
    union = len(c1 | c2)
    jac = round3(Fraction(len(c1 & c2), union)) if union else 0.0
    return [{"jaccard_similarity": jac}]


# -- TCR12 ------------------------------------------------------------------------------------


def tcr12(
    src: FinBenchSource,
    id: int,
    start: int,
    end: int,
    limit: int = -1,
    order: str = DESC,
) -> list[dict[str, Any]]:
    """Return TCR12 rows: company-owned accounts that person `id`'s accounts transferred to
    in the window — `comp_account_id, sum_edge2_amount`, sorted by the sum desc, then id."""
    owned = sorted(set(src.owned_accounts(fb_node_id("Person", id))))
    if not owned:
        return []
    adj = _Adjacency([src.transfers_out], limit, order, "src")
    adj.load(owned)
    to: dict[str, list[Edge]] = {}
    for a in owned:
        for e in _window(adj[a], start, end):
            to.setdefault(e.dst, []).append(e)
    if not to:
        return []
    firms = set(src.company_owned(sorted(to)))
    out = [
        {"comp_account_id": fb_int_id(d), "sum_edge2_amount": round3(_total(es))}
        for d, es in to.items()
        if d in firms
    ]
    out.sort(key=lambda r: (-r["sum_edge2_amount"], r["comp_account_id"]))
    return out


# -- dispatch ---------------------------------------------------------------------------------


def run_query(src: FinBenchSource, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the rows of `query` (tcr1…tcr12) for one parameter row as read from the files."""
    q = query.lower()
    limit = int(params.get("truncationLimit", -1))
    order = str(params.get("truncationOrder", DESC))
    start, end = int(params["startTime"]), int(params["endTime"])
    if q in ("tcr1", "tcr2", "tcr5", "tcr11", "tcr12"):
        fn = {"tcr1": tcr1, "tcr2": tcr2, "tcr5": tcr5, "tcr11": tcr11, "tcr12": tcr12}[q]
        return fn(src, int(params["id"]), start, end, limit, order)
    if q in ("tcr7", "tcr8", "tcr9"):
        fn3 = {"tcr7": tcr7, "tcr8": tcr8, "tcr9": tcr9}[q]
        return fn3(src, int(params["id"]), float(params["threshold"]), start, end, limit, order)
    if q in ("tcr3", "tcr4"):
        fn4 = tcr3 if q == "tcr3" else tcr4
        return fn4(src, int(params["id1"]), int(params["id2"]), start, end)
    if q == "tcr6":
        return tcr6(src, int(params["id"]), float(params["threshold1"]),
                    float(params["threshold2"]), start, end, limit, order)
    if q == "tcr10":
        return tcr10(src, int(params["pid1"]), int(params["pid2"]), start, end)
    raise ValueError(f"unknown query {query!r} (known: {', '.join(QUERIES)})")


__all__ = [
    "ASC",
    "DESC",
    "QUERIES",
    "Edge",
    "FinBenchSource",
    "LoanRef",
    "Signin",
    "exact",
    "is_card",
    "round3",
    "run_query",
    "tcr1",
    "tcr2",
    "tcr3",
    "tcr4",
    "tcr5",
    "tcr6",
    "tcr7",
    "tcr8",
    "tcr9",
    "tcr10",
    "tcr11",
    "tcr12",
    "truncate",
]
