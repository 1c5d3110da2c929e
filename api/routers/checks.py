"""Investigator checks: the twelve LDBC FinBench complex reads (TCR1–TCR12) as named checks.

Every check answers exactly as `guanxi finbench` does (same traversal code, same readings
of the spec: docs/finbench.md) over the FinBench-format data of the served store: ids are
FinBench integers (node ids `A:fb-<n>`, `P:fb-<n>`, `L:fb-<n>`). The work is bounded: the
traversal stops with 400 `too_large` once it has read `20 × frontier_cap` edges and with
503 `query_timeout` after the query timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from guanxi.algorithms import finbench as fb
from guanxi.analyses.finbench import StoreSource
from guanxi.api.deps import Api, Budget, Store
from guanxi.api.errors import ApiError
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/checks", tags=["investigator checks"], route_class=ShapedRoute)

MAX_ID = 2**63 - 1
MAX_MS = 32_503_680_000_000  # year 3000
EDGE_BUDGET = 20
"""A check may read `EDGE_BUDGET × frontier_cap` edges in all."""


class CheckParams(BaseModel):
    """The parameters of a check as understood (FinBench's camelCase names; each check sets
    the ones it takes)."""

    id: int | None = None
    id1: int | None = None
    id2: int | None = None
    pid1: int | None = None
    pid2: int | None = None
    threshold: float | None = None
    threshold1: float | None = None
    threshold2: float | None = None
    startTime: int
    endTime: int
    truncationLimit: int | None = None
    truncationOrder: str | None = None


R = TypeVar("R")


class CheckOf(BaseModel, Generic[R]):
    """The answer of one check: its name, the parameters as understood, the result rows
    (`CheckOf[Tcr1Row]` is named `CheckOf_Tcr1Row_`)."""

    check: str = Field(description="tcr1 … tcr12")
    params: CheckParams
    rows: list[R] = Field(description="snake_case columns, FinBench integer ids")


class Tcr1Row(BaseModel):
    """TCR1: an account 1–3 transfers away signed into by a blocked medium."""

    other_id: int
    account_distance: int
    medium_id: int
    medium_type: str | None = None


class Tcr2Row(BaseModel):
    """TCR2: an account 1–3 transfers upstream of the person's accounts that got loan
    deposits, with the distinct loans' amount and balance."""

    other_id: int
    sum_loan_amount: float
    sum_loan_balance: float


class Tcr3Row(BaseModel):
    """TCR3: the shortest transfer path length between two accounts (-1: none)."""

    shortest_path_length: int


class Tcr4Row(BaseModel):
    """TCR4: an account ``other`` with transfers other → id1 (edge2) and id2 → other (edge3),
    their counts, sums and largest amounts."""

    other_id: int
    num_edge2: int
    sum_edge2_amount: float
    max_edge2_amount: float
    num_edge3: int
    sum_edge3_amount: float
    max_edge3_amount: float


class Tcr5Row(BaseModel):
    """TCR5: a simple path of 1–3 time-ascending transfers (account ids)."""

    path: list[int]


class Tcr6Row(BaseModel):
    """TCR6: an account withdrawing to the card that received more than 3 transfers, with
    the sums of those transfers (edge1) and withdrawals (edge2)."""

    mid_id: int
    sum_edge1_amount: float
    sum_edge2_amount: float


class Tcr7Row(BaseModel):
    """TCR7: senders and receivers of an account's transfers and the in/out ratio."""

    num_src: int
    num_dst: int
    in_out_ratio: float


class Tcr8Row(BaseModel):
    """TCR8: an account 1–3 hops downstream of the loan's deposits, the ratio and the
    distance from the loan."""

    dst_id: int
    ratio: float
    min_distance_from_loan: int


class Tcr9Row(BaseModel):
    """TCR9: an account's repay, deposit and transfer ratios."""

    ratio_repay: float
    ratio_deposit: float
    ratio_transfer: float


class Tcr10Row(BaseModel):
    """TCR10: the Jaccard similarity of the companies two persons invested in."""

    jaccard_similarity: float


class Tcr11Row(BaseModel):
    """TCR11: the distinct loans of every person reached over guarantee edges."""

    sum_loan_amount: float
    num_loans: int


class Tcr12Row(BaseModel):
    """TCR12: a company-owned account the person's accounts transferred to, and the sum."""

    comp_account_id: int
    sum_edge2_amount: float


def _id(what: str) -> Any:
    return Query(ge=0, le=MAX_ID, description=f"FinBench id of the {what}")


Start = Annotated[int, Query(ge=0, le=MAX_MS, description="window start, epoch ms (exclusive)")]
End = Annotated[int, Query(ge=0, le=MAX_MS, description="window end, epoch ms (exclusive)")]
Limit = Annotated[
    int, Query(ge=1, le=10_000, description="edges kept per vertex before the time filter")
]
Order = Annotated[
    Literal["TIMESTAMP_DESCENDING", "TIMESTAMP_ASCENDING"],
    Query(description="which edges truncation keeps: the newest or the oldest"),
]
Amount = Annotated[
    float, Query(ge=0, le=1e15, allow_inf_nan=False, description="amounts must exceed this")
]
Ratio = Annotated[
    float,
    Query(ge=0, le=1e6, allow_inf_nan=False,
          description="an edge must exceed this × its source's transfers in"),
]
Account = Annotated[int, _id("account")]
Person = Annotated[int, _id("person")]


def _run(
    store: Store, api: Api, budget: Budget, check: str, params: dict[str, Any],
    call: Callable[[StoreSource], list[dict[str, Any]]],
) -> dict[str, Any]:
    """Run one check through a bounded StoreSource; return `{check, params, rows}`."""
    if params["startTime"] >= params["endTime"]:
        raise ApiError(400, "bad_request", "start_time must be before end_time")
    cap = EDGE_BUDGET * api.frontier_cap
    read = [0]

    def guard(n: int) -> None:
        read[0] += n
        if read[0] > cap:
            raise ApiError(400, "too_large", f"the check reads more than {cap} edges; not answered")
        if budget.expired():
            raise ApiError(503, "query_timeout", "the check took too long")

    rows = call(StoreSource(store, guard=guard))
    return {"check": check, "params": params, "rows": rows}


def _window(start: int, end: int, **kw: Any) -> dict[str, Any]:
    return {**kw, "startTime": start, "endTime": end}


def _trunc(limit: int, order: str) -> dict[str, Any]:
    return {"truncationLimit": limit, "truncationOrder": order}


@router.get("/tcr1", name="checks.tcr1",
            response_model=CheckOf[Tcr1Row], response_model_exclude_unset=True)
def tcr1(store: Store, api: Api, budget: Budget, id: Account, start_time: Start, end_time: End,
         truncation_limit: Limit = 500,
         truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR1 blocked media: accounts 1–3 time-ordered transfers from `id` that a blocked medium
    signed in to inside the window."""
    p = {**_window(start_time, end_time, id=id), **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr1", p, lambda s: fb.run_query(s, "tcr1", p))


@router.get("/tcr2", name="checks.tcr2",
            response_model=CheckOf[Tcr2Row], response_model_exclude_unset=True)
def tcr2(store: Store, api: Api, budget: Budget, id: Person, start_time: Start, end_time: End,
         truncation_limit: Limit = 500,
         truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR2 fund gathering: accounts 1–3 time-ordered transfers upstream of person `id`'s
    accounts that received a loan deposit, with the loans' amounts and balances."""
    p = {**_window(start_time, end_time, id=id), **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr2", p, lambda s: fb.run_query(s, "tcr2", p))


@router.get("/tcr3", name="checks.tcr3",
            response_model=CheckOf[Tcr3Row], response_model_exclude_unset=True)
def tcr3(store: Store, api: Api, budget: Budget, id1: Account, id2: Account,
         start_time: Start, end_time: End) -> dict[str, Any]:
    """TCR3 shortest transfer route: fewest in-window transfers from `id1` to `id2` (-1: none)."""
    p = _window(start_time, end_time, id1=id1, id2=id2)
    return _run(store, api, budget, "tcr3", p, lambda s: fb.run_query(s, "tcr3", p))


@router.get("/tcr4", name="checks.tcr4",
            response_model=CheckOf[Tcr4Row], response_model_exclude_unset=True)
def tcr4(store: Store, api: Api, budget: Budget, id1: Account, id2: Account,
         start_time: Start, end_time: End) -> dict[str, Any]:
    """TCR4 money coming back: when `id1` paid `id2` in the window, the accounts `id2` paid that
    also paid `id1`, with counts, sums and maxima of both sides."""
    p = _window(start_time, end_time, id1=id1, id2=id2)
    return _run(store, api, budget, "tcr4", p, lambda s: fb.run_query(s, "tcr4", p))


@router.get("/tcr5", name="checks.tcr5",
            response_model=CheckOf[Tcr5Row], response_model_exclude_unset=True)
def tcr5(store: Store, api: Api, budget: Budget, id: Person, start_time: Start, end_time: End,
         truncation_limit: Limit = 500,
         truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR5 transfer trails: simple time-ordered transfer paths (1–3 hops) out of person `id`'s
    accounts."""
    p = {**_window(start_time, end_time, id=id), **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr5", p, lambda s: fb.run_query(s, "tcr5", p))


@router.get("/tcr6", name="checks.tcr6",
            response_model=CheckOf[Tcr6Row], response_model_exclude_unset=True)
def tcr6(store: Store, api: Api, budget: Budget, id: Account, threshold1: Amount,
         threshold2: Amount, start_time: Start, end_time: End, truncation_limit: Limit = 500,
         truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR6 withdrawal after many-to-one transfers: accounts withdrawing to card `id` that
    received more than 3 transfers (each > threshold1; withdrawals > threshold2)."""
    p = {**_window(start_time, end_time, id=id, threshold1=threshold1, threshold2=threshold2),
         **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr6", p, lambda s: fb.run_query(s, "tcr6", p))


@router.get("/tcr7", name="checks.tcr7",
            response_model=CheckOf[Tcr7Row], response_model_exclude_unset=True)
def tcr7(store: Store, api: Api, budget: Budget, id: Account, threshold: Amount,
         start_time: Start, end_time: End, truncation_limit: Limit = 500,
         truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR7 pass-through: distinct senders and receivers of account `id` and the ratio of the
    amounts in to the amounts out (transfers > threshold)."""
    p = {**_window(start_time, end_time, id=id, threshold=threshold),
         **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr7", p, lambda s: fb.run_query(s, "tcr7", p))


@router.get("/tcr8", name="checks.tcr8",
            response_model=CheckOf[Tcr8Row], response_model_exclude_unset=True)
def tcr8(store: Store, api: Api, budget: Budget,
         id: Annotated[int, _id("loan")], threshold: Ratio, start_time: Start, end_time: End,
         truncation_limit: Limit = 500,
         truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR8 loan trace: accounts 1–3 transfer/withdraw hops downstream of loan `id`'s deposits,
    with the share of the loan that reached them."""
    p = {**_window(start_time, end_time, id=id, threshold=threshold),
         **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr8", p, lambda s: fb.run_query(s, "tcr8", p))


@router.get("/tcr9", name="checks.tcr9",
            response_model=CheckOf[Tcr9Row], response_model_exclude_unset=True)
def tcr9(store: Store, api: Api, budget: Budget, id: Account, threshold: Amount,
         start_time: Start, end_time: End, truncation_limit: Limit = 500,
         truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR9 loan laundering ratios of account `id`: deposits in / repays out, deposits in /
    transfers out, transfers in / transfers out (edges > threshold)."""
    p = {**_window(start_time, end_time, id=id, threshold=threshold),
         **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr9", p, lambda s: fb.run_query(s, "tcr9", p))


@router.get("/tcr10", name="checks.tcr10",
            response_model=CheckOf[Tcr10Row], response_model_exclude_unset=True)
def tcr10(store: Store, api: Api, budget: Budget, pid1: Person, pid2: Person,
          start_time: Start, end_time: End) -> dict[str, Any]:
    """TCR10 similar investment: Jaccard similarity of the companies persons `pid1` and `pid2`
    invested in inside the window."""
    p = _window(start_time, end_time, pid1=pid1, pid2=pid2)
    return _run(store, api, budget, "tcr10", p, lambda s: fb.run_query(s, "tcr10", p))


@router.get("/tcr11", name="checks.tcr11",
            response_model=CheckOf[Tcr11Row], response_model_exclude_unset=True)
def tcr11(store: Store, api: Api, budget: Budget, id: Person, start_time: Start, end_time: End,
          truncation_limit: Limit = 500,
          truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR11 guarantee chain: sum and number of the loans of everyone person `id` guarantees,
    directly or through others, inside the window."""
    p = {**_window(start_time, end_time, id=id), **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr11", p, lambda s: fb.run_query(s, "tcr11", p))


@router.get("/tcr12", name="checks.tcr12",
            response_model=CheckOf[Tcr12Row], response_model_exclude_unset=True)
def tcr12(store: Store, api: Api, budget: Budget, id: Person, start_time: Start, end_time: End,
          truncation_limit: Limit = 500,
          truncation_order: Order = "TIMESTAMP_DESCENDING") -> dict[str, Any]:
    """TCR12 transfers to companies: company-owned accounts that person `id`'s accounts paid in
    the window, with the sums."""
    p = {**_window(start_time, end_time, id=id), **_trunc(truncation_limit, truncation_order)}
    return _run(store, api, budget, "tcr12", p, lambda s: fb.run_query(s, "tcr12", p))
