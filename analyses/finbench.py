"""FinBench analysis: the traversals' edge source on a GraphStore, one named `fb_*` query per
frontier, for the pure queries in `guanxi.algorithms.finbench`.

Works on every backend (the queries are plain Cypher, run by `store.run`).
"""

from __future__ import annotations

from collections.abc import Callable

from guanxi.algorithms.finbench import Edge, LoanRef, Signin
from guanxi.graph.store import GraphStore


def _edges(rows: list[dict[str, object]]) -> list[Edge]:
    return [
        Edge(
            str(r["src"]),
            str(r["dst"]),
            int(r["key"]),  # type: ignore[call-overload]
            float(r.get("amount") or 0.0),  # type: ignore[arg-type]
            int(r["ts"]),  # type: ignore[call-overload]
        )
        for r in rows
    ]


class StoreSource:
    """`FinBenchSource` reading from a store through the `cypher/fb_*.cypher` queries.

    `guard`, when given, is called after every query with the number of rows it returned
    (the API uses it to bound a check's work: it raises to stop the traversal)."""

    def __init__(self, store: GraphStore, guard: Callable[[int], None] | None = None) -> None:
        self.store = store
        self.calls = 0
        self.rows = 0
        self.guard = guard

    def _run(self, name: str, params: dict[str, object]) -> list[dict[str, object]]:
        self.calls += 1
        out = self.store.run(name, params)
        self.rows += len(out)
        if self.guard is not None:
            self.guard(len(out))
        return out

    def transfers_out(self, ids: list[str]) -> list[Edge]:
        """Return every TRANSFER edge leaving one of the accounts."""
        return _edges(self._run("fb_transfer_out", {"ids": ids})) if ids else []

    def transfers_in(self, ids: list[str]) -> list[Edge]:
        """Return every TRANSFER edge arriving at one of the accounts."""
        return _edges(self._run("fb_transfer_in", {"ids": ids})) if ids else []

    def withdraws_out(self, ids: list[str]) -> list[Edge]:
        """Return every WITHDRAW edge leaving one of the accounts."""
        return _edges(self._run("fb_withdraw_out", {"ids": ids})) if ids else []

    def guarantees_out(self, ids: list[str]) -> list[Edge]:
        """Return every person→person GUARANTEES_PARTY edge leaving one of the persons."""
        return _edges(self._run("fb_guarantee_out", {"ids": ids})) if ids else []

    def blocked_signins(self, ids: list[str], start: int, end: int) -> list[Signin]:
        """Return distinct (account, blocked medium, type) sign-ins with start < ts < end."""
        if not ids:
            return []
        rows = self._run("fb_blocked_signins", {"ids": ids, "t_start": start, "t_end": end})
        return [Signin(str(r["account"]), str(r["medium"]), str(r["medium_type"])) for r in rows]

    def owned_accounts(self, person: str) -> list[str]:
        """Return the accounts a person owns."""
        return [str(r["account"]) for r in self._run("fb_owned_accounts", {"id": person})]

    def deposits_into(self, ids: list[str], start: int, end: int) -> list[LoanRef]:
        """Return distinct (account, loan) pairs of deposits with start < ts < end."""
        if not ids:
            return []
        rows = self._run("fb_deposits_into", {"ids": ids, "t_start": start, "t_end": end})
        return [
            LoanRef(
                str(r["account"]),
                str(r["loan"]),
                float(r["amount"] or 0.0),  # type: ignore[arg-type]
                float(r["balance"] or 0.0),  # type: ignore[arg-type]
            )
            for r in rows
        ]

    def loan_deposits(self, loan: str, start: int, end: int) -> tuple[float | None, list[str]]:
        """Return the loan amount and the accounts it deposited into with start < ts < end."""
        rows = self._run("fb_loan_deposits", {"id": loan, "t_start": start, "t_end": end})
        if not rows:
            return None, []
        return float(rows[0]["loan_amount"] or 0.0), [str(r["account"]) for r in rows]  # type: ignore[arg-type]

    def loans_of(self, persons: list[str]) -> list[tuple[str, float]]:
        """Return the distinct (loan, amount) applied for by the persons."""
        if not persons:
            return []
        rows = self._run("fb_loans_of_persons", {"ids": persons})
        return [(str(r["loan"]), float(r["amount"] or 0.0)) for r in rows]  # type: ignore[arg-type]

    def withdraws_in(self, ids: list[str]) -> list[Edge]:
        """Return every WITHDRAW edge arriving at one of the accounts."""
        return _edges(self._run("fb_withdraw_in", {"ids": ids})) if ids else []

    def deposits_in(self, ids: list[str]) -> list[Edge]:
        """Return every DEPOSIT edge (src = the loan) arriving at one of the accounts."""
        return _edges(self._run("fb_deposit_in", {"ids": ids})) if ids else []

    def repays_out(self, ids: list[str]) -> list[Edge]:
        """Return every REPAY edge (dst = the loan) leaving one of the accounts."""
        return _edges(self._run("fb_repay_out", {"ids": ids})) if ids else []

    def person_invests(self, ids: list[str]) -> list[Edge]:
        """Return every Person→Company INVESTS edge leaving one of the persons."""
        return _edges(self._run("fb_person_invests", {"ids": ids})) if ids else []

    def company_owned(self, ids: list[str]) -> list[str]:
        """Return those of the accounts that some Company owns."""
        if not ids:
            return []
        return [str(r["account"]) for r in self._run("fb_company_owned", {"ids": ids})]

    def account_kind(self, id: str) -> str | None:
        """Return the account's type (`kind`), or None if there is no such account."""
        rows = self._run("fb_account_kind", {"id": id})
        return None if not rows or rows[0]["kind"] is None else str(rows[0]["kind"])
