"""Loan-proceeds tracing (资金回流) and other abnormal cycles of funds.

Pure functions over Arrow tables: transfers (src, dst account ids, amount, ts), deposits
(src loan, dst account, amount, ts), and account → owner maps. Paths follow transfers with
strictly increasing times inside a window, as money actually moves.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

DAY_MS = 86_400_000
CYCLE_MIN_AMOUNT = 50_000.0
"""Smallest transfer a cycle of funds (`fund_cycles`) follows by default."""


class TransferIndex:
    """Transfers grouped by source account, sorted by time, for time-respecting walks."""

    def __init__(self, transfers: pa.Table, *, min_amount: float = 0.0) -> None:
        by: dict[str, list[tuple[int, str, float, int]]] = defaultdict(list)
        for i, (s, d, a, t) in enumerate(
            zip(
                transfers["src"].to_pylist(),
                transfers["dst"].to_pylist(),
                transfers["amount"].to_pylist(),
                transfers["ts"].to_pylist(),
                strict=True,
            )
        ):
            if t is None or a is None or a < min_amount:
                continue
            by[s].append((int(t), d, float(a), i))
        for v in by.values():
            v.sort()
        self.out = dict(by)
        self.times = {k: [x[0] for x in v] for k, v in self.out.items()}

    def after(self, account: str, t: int, until: int) -> list[tuple[int, str, float, int]]:
        """Return transfers out of `account` with t < ts ≤ until, in time order."""
        v = self.out.get(account)
        if not v:
            return []
        ts = self.times[account]
        lo = bisect.bisect_right(ts, t)
        hi = bisect.bisect_right(ts, until)
        return v[lo:hi]


def related_index(
    parties: Iterable[str],
    *,
    legal_rep: Iterable[tuple[str, str]] = (),
    shareholder: Iterable[tuple[str, str]] = (),
    executive: Iterable[tuple[str, str]] = (),
    household_of: dict[str, str] | None = None,
) -> dict[str, set[str]]:
    """Return party → {the party and its related parties} for each of `parties`.

    For a company: its legal representatives, shareholders and executives, and the household
    members of those persons. For a person: household members and the companies the person
    represents, holds shares in or runs. Edge iterables are (holder, company) pairs. The
    lookups are built once, so this is linear in the input.

    Examples
    --------
    >>> r = related_index(["C:1"], legal_rep=[("P:a", "C:1")],
    ...                   household_of={"P:a": "H:1", "P:b": "H:1"})
    >>> sorted(r["C:1"])
    ['C:1', 'P:a', 'P:b']
    """
    household_of = household_of or {}
    members: dict[str, set[str]] = defaultdict(set)
    for p, h in household_of.items():
        members[h].add(p)
    links: dict[str, set[str]] = defaultdict(set)
    for pairs in (legal_rep, shareholder, executive):
        for holder, company in pairs:
            links[company].add(holder)
            links[holder].add(company)
    out: dict[str, set[str]] = {}
    for party in parties:
        rel = {party} | links.get(party, set())
        for q in list(rel):
            hq = household_of.get(q)
            if hq:
                rel |= members[hq]
        out[party] = rel
    return out


def related_parties(
    party: str,
    *,
    legal_rep: Iterable[tuple[str, str]] = (),
    shareholder: Iterable[tuple[str, str]] = (),
    executive: Iterable[tuple[str, str]] = (),
    household_of: dict[str, str] | None = None,
) -> set[str]:
    """Return `party` and its related parties (one-party form of `related_index`).

    Examples
    --------
    >>> sorted(related_parties("P:a", shareholder=[("P:a", "C:1")],
    ...                        household_of={"P:a": "H:1", "P:b": "H:1"}))
    ['C:1', 'P:a', 'P:b']
    """
    return related_index([party], legal_rep=legal_rep, shareholder=shareholder,
                         executive=executive, household_of=household_of)[party]


def trace_loan(
    loan: str,
    deposit_account: str,
    deposit_ts: int,
    amount: float,
    index: TransferIndex,
    owners: dict[str, str],
    related: set[str],
    *,
    max_hops: int = 3,
    window_days: int = 30,
    min_share: float = 0.3,
) -> list[dict[str, Any]]:
    """Return where one disbursed loan went: paths that come back to the borrower's side.

    Follows transfers out of `deposit_account` for up to `max_hops` hops, each later than
    the one before (strictly) and within `window_days` of the deposit, each carrying at
    least `min_share` of the loan amount. A path ends at the first account whose owner is in
    `related` (the borrower, its legal rep, shareholders, household members; the borrower's
    own accounts, the deposit account itself included): a round trip (资金回流). `via` says whether the money passed through
    unrelated parties first (`others`, the layering pattern) or went straight to a related
    party (`direct`). Each finding: loan, kind (`round_trip`), via, path (accounts from the
    deposit account on), owners, hops, amounts, returns_to (owner reached), first_ts, last_ts.

    Examples
    --------
    >>> tr = pa.table({"src": ["A:b", "A:x"], "dst": ["A:x", "A:r"], "amount": [90.0, 85.0],
    ...                "ts": [10, 20]})
    >>> idx = TransferIndex(tr)
    >>> f = trace_loan("L:1", "A:b", 0, 100.0, idx, {"A:b": "C:1", "A:x": "C:9",
    ...                "A:r": "P:rep"}, {"C:1", "P:rep"})
    >>> f[0]["via"], f[0]["path"], f[0]["returns_to"]
    ('others', ['A:b', 'A:x', 'A:r'], 'P:rep')
    """
    until = deposit_ts + window_days * DAY_MS
    need = min_share * amount
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()

    def owner(a: str) -> str:
        return owners.get(a, a)

    stack: list[tuple[list[str], list[int], list[float]]] = [([deposit_account], [deposit_ts], [])]
    while stack:
        path, times, amts = stack.pop()
        if len(path) - 1 >= max_hops:
            continue
        for t, d, a, _ in index.after(path[-1], times[-1], until):
            # an account already on the path is not visited again, except the deposit
            # account itself at the end of a path: money back where it was paid in
            back_home = d == deposit_account and len(path) > 1
            if a < need or (d in path and not back_home):
                continue
            npath = [*path, d]
            if owner(d) in related and not (
                owner(d) == owner(deposit_account) and len(npath) == 2
            ):  # (a first hop between the borrower's own accounts is followed on)
                key = tuple(npath)
                if key in seen:
                    continue
                seen.add(key)
                unrelated_between = any(owner(x) not in related for x in npath[1:-1])
                found.append(
                    {
                        "loan": loan,
                        "kind": "round_trip",
                        "via": "others" if unrelated_between else "direct",
                        "path": npath,
                        "owners": [owner(x) for x in npath],
                        "hops": len(npath) - 1,
                        "amounts": [*amts, round(a, 2)],
                        "returns_to": owner(d),
                        "first_ts": times[1] if len(times) > 1 else t,
                        "last_ts": t,
                    }
                )
                continue
            if back_home:  # the deposit account of someone unrelated: a closed loop, no trip
                continue
            stack.append((npath, [*times, t], [*amts, round(a, 2)]))
    found.sort(key=lambda f: (f["hops"], f["path"]))
    return found


def trace_loans(
    deposits: pa.Table,
    borrowers: dict[str, str],
    transfers: pa.Table,
    owners: dict[str, str],
    related_of: dict[str, set[str]],
    *,
    max_hops: int = 3,
    window_days: int = 30,
    min_share: float = 0.3,
) -> list[dict[str, Any]]:
    """Return the findings of `trace_loan` for every deposit (loan → account).

    `borrowers` maps loan → borrower party; `related_of` maps borrower → related parties
    (see `related_parties`); loans without a borrower are skipped.
    """
    index = TransferIndex(transfers)
    out: list[dict[str, Any]] = []
    for loan, acct, amount, ts in zip(
        deposits["src"].to_pylist(),
        deposits["dst"].to_pylist(),
        deposits["amount"].to_pylist(),
        deposits["ts"].to_pylist(),
        strict=True,
    ):
        b = borrowers.get(loan)
        if b is None or ts is None or not amount:
            continue
        rel = related_of.get(b) or {b}
        for f in trace_loan(loan, acct, int(ts), float(amount), index, owners, rel,
                            max_hops=max_hops, window_days=window_days, min_share=min_share):
            f["borrower"] = b
            f["loan_amount"] = float(amount)
            out.append(f)
    return out


def fund_cycles(
    transfers: pa.Table,
    owners: dict[str, str],
    *,
    max_len: int = 4,
    window_days: int = 30,
    min_amount: float = CYCLE_MIN_AMOUNT,
    amount_ratio: float = 0.7,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Return abnormal cycles of funds: money that leaves a party and comes back to it.

    A cycle is a chain of 2..`max_len` transfers of at least `min_amount`, each strictly
    later than the previous and within `window_days` of the first, each carrying at least
    `amount_ratio` of the previous amount, through distinct owners, ending at an account of
    the owner it started from. Each cycle: owners (start first), accounts, amounts, ts
    (first, last), days, amount (first transfer). Deduplicated by the set of transfers.

    Examples
    --------
    >>> tr = pa.table({"src": ["A:1", "A:2", "A:3"], "dst": ["A:2", "A:3", "A:1"],
    ...                "amount": [1e5, 9.8e4, 9.5e4], "ts": [1, 2, 3]})
    >>> c = fund_cycles(tr, {})
    >>> len(c), c[0]["owners"]
    (1, ['A:1', 'A:2', 'A:3'])
    """
    index = TransferIndex(transfers, min_amount=min_amount)

    def owner(a: str) -> str:
        return owners.get(a, a)

    seen: set[frozenset[int]] = set()
    out: list[dict[str, Any]] = []
    for start_acct in sorted(index.out):
        start = owner(start_acct)
        for t0, d0, a0, i0 in index.out[start_acct]:
            if owner(d0) == start:
                continue
            until = t0 + window_days * DAY_MS
            stack = [([start_acct, d0], [owner(d0)], [a0], [i0], t0)]
            while stack:
                accts, owns, amts, ids, t = stack.pop()
                for t2, d2, a2, i2 in index.after(accts[-1], t, until):
                    if a2 < amount_ratio * amts[-1]:
                        continue
                    o2 = owner(d2)
                    if o2 == start:
                        key = frozenset([*ids, i2])
                        if key not in seen:
                            seen.add(key)
                            out.append(
                                {
                                    "owners": [start, *owns],
                                    "accounts": [*accts, d2],
                                    "amounts": [round(x, 2) for x in [*amts, a2]],
                                    "first_ts": t0,
                                    "last_ts": t2,
                                    "days": round((t2 - t0) / DAY_MS, 1),
                                    "amount": round(a0, 2),
                                }
                            )
                            if len(out) >= limit:
                                return out
                        continue
                    if o2 in owns or len(ids) + 1 >= max_len:
                        continue
                    stack.append(([*accts, d2], [*owns, o2], [*amts, a2], [*ids, i2], t2))
    out.sort(key=lambda c: (-c["amount"], c["first_ts"]))
    return out


__all__ = [
    "CYCLE_MIN_AMOUNT",
    "DAY_MS",
    "TransferIndex",
    "fund_cycles",
    "related_index",
    "related_parties",
    "trace_loan",
    "trace_loans",
]
