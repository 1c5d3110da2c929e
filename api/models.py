"""Response models for the OpenAPI document.

Resources the analyses produce are their typed results (`guanxi.analyses.results`); rows of
the graph a route returns beside them (circle members, loans, guarantees, negative records)
are declared here. `PageOf[T]` is a page of one resource; `PageOut` (open dict rows) remains
for routes not yet typed.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from guanxi.analyses.results.risk import (
    BreakPlan,
    CircleHistory,
    HubGuarantor,
    Motifs,
    SubCircle,
    TopCycle,
)

T = TypeVar("T")


class PageOut(BaseModel):
    """A page of rows."""

    items: list[dict[str, Any]] = Field(description="rows of this page")
    limit: int
    offset: int
    count: int = Field(description="rows in this page")
    next_offset: int | None = Field(description="offset of the next page, null at the end")
    note: str | None = None
    total: int | None = None


class PageOf(BaseModel, Generic[T]):
    """A page of typed items (`PageOf[Prospect]` is named `PageOf_Prospect_` in the
    OpenAPI document)."""

    items: list[T] = Field(description="the items of this page")
    limit: int
    offset: int
    count: int = Field(description="items in this page")
    next_offset: int | None = Field(description="offset of the next page, null at the end")
    note: str | None = None
    total: int | None = None


class CircleRow(BaseModel):
    """A guarantee circle in a list (the Circle node's headline columns)."""

    id: str
    size: int | None = None
    total_balance: float | None = None
    guaranteed_amount: float | None = None
    risk_score: float | None = None
    contraction: str | None = None
    computed_at: str | None = None


class CircleNode(CircleRow):
    """A guarantee circle as the analysis stored it: headline columns, members, loans, the
    explanation, and its facts typed as the analysis's `guanxi.analyses.results.risk.Circle`
    has them (motifs, listed cycles, merges, grids, managers, heaviest cycles, hubs,
    sub-circles, 拆圈断链 plan, live balance vs history). ``note`` says when the stored facts
    come from an older version of the analysis (then only the columns are set)."""

    members: list[str] | None = None
    loans: list[str] | None = None
    explanation: str | None = None
    motifs: Motifs | None = None
    cycles: list[list[str]] = Field(default_factory=list, description="the listed cycles")
    contracted_via: list[list[str]] = Field(
        default_factory=list, description="merged pairs [a, b, kind] that close the circle")
    grids: list[str] = Field(default_factory=list)
    managers: list[str] = Field(default_factory=list)
    top_cycles: list[TopCycle] = Field(default_factory=list)
    hub_guarantors: list[HubGuarantor] = Field(default_factory=list)
    sub_circles: list[SubCircle] | None = None
    break_plan: BreakPlan | None = None
    live_balance: float | None = None
    live_loans: int | None = None
    history: CircleHistory | None = None
    note: str | None = None


class CircleMember(BaseModel):
    """A member of a circle."""

    id: str
    label: str | None = None
    name: str | None = None


class LoanRow(BaseModel):
    """A loan with its borrower."""

    id: str
    product: str | None = None
    amount: float | None = None
    balance: float | None = None
    classification: str | None = None
    overdue_days: int | None = None
    status: str | None = None
    maturity_date: str | None = None
    borrower: str | None = None
    borrower_name: str | None = None


class GuaranteeRow(BaseModel):
    """A guarantee: who guarantees which loan of which borrower, how, for how much."""

    guarantor: str
    guarantor_name: str | None = None
    loan: str
    borrower: str | None = None
    borrower_name: str | None = None
    gtype: str | None = None
    amount: float | None = None
    balance: float | None = None
    classification: str | None = None


class NegativeRecordRow(BaseModel):
    """A negative record (lawsuit, enforcement, penalty…) about a party; ``hop``: how far
    the party is from the entity asked about."""

    subject: str | None = None
    id: str
    kind: str | None = None
    date: str | None = None
    amount: float | None = None
    source: str | None = None
    document_id: str | None = None
    subject_name: str | None = None
    description: str | None = None
    hop: int | None = None


class CircleDetail(BaseModel):
    """A circle with its members, loans (balances, classification) and guarantees."""

    circle: CircleNode
    members: list[CircleMember]
    loans: list[LoanRow]
    guarantees: list[GuaranteeRow]


class CircleFacts(BaseModel):
    """The facts behind a circle's risk: counts, balance, impaired loans, negative records."""

    members: int
    loans: int
    total_balance: float
    impaired_loans: list[LoanRow]
    negative_records: list[NegativeRecordRow]


class CircleExplanation(BaseModel):
    """Why a circle scores as it does: the analysis's explanation, motifs, the merges that
    close it, its heaviest cycles, 拆圈断链 plan, live balance vs history, hubs,
    sub-circles, and the facts behind them."""

    id: str
    risk_score: float | None = None
    explanation: str | None = None
    motifs: Motifs | None = None
    contraction: str | None = None
    contracted_via: list[list[str]] = Field(
        default_factory=list, description="merged pairs [a, b, kind] that close the circle")
    top_cycles: list[TopCycle] = Field(default_factory=list)
    break_plan: BreakPlan | None = None
    live_balance: float | None = None
    live_loans: int | None = None
    history: CircleHistory | None = None
    hub_guarantors: list[HubGuarantor] | None = None
    sub_circles: list[SubCircle] | None = None
    facts: CircleFacts


class GraphNode(BaseModel):
    """A node of a returned subgraph."""

    id: str
    label: str | None = None
    name: str | None = None
    hop: int | None = None


class GraphOut(BaseModel):
    """A bounded subgraph around `root`."""

    root: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool = Field(description="true when a size limit cut the result")


class ChainParty(BaseModel):
    """A party on a guarantee chain: id, label, name and ``hop`` (guarantee steps from the
    entity asked about, 0 for the entity itself)."""

    id: str
    label: str | None = None
    name: str | None = None
    hop: int


class ChainGuarantee(BaseModel):
    """A guarantee on a chain: ``src`` (the guarantor) guarantees loan ``loan`` of ``dst``
    (the borrower), how (``gtype``) and for how much, with the loan's balance and
    classification."""

    src: str
    dst: str
    type: Literal["GUARANTEES"] = "GUARANTEES"
    loan: str
    gtype: str | None = None
    amount: float | None = None
    balance: float | None = None
    classification: str | None = None


class GuaranteeChains(BaseModel):
    """The guarantee chains through `root`: the parties reached and the guarantees between
    them (whom it guarantees, who backs it, up to ``max_hops`` steps)."""

    root: str
    nodes: list[ChainParty]
    edges: list[ChainGuarantee]
    truncated: bool = Field(description="true when a size limit cut the result")


class PathsOut(BaseModel):
    """Shortest paths between two entities."""

    paths: list[dict[str, Any]]
    length: int | None
    truncated: bool


class ObjectOut(BaseModel):
    """A single object (entity, circle, document…) with its related rows."""

    model_config = {"extra": "allow"}


class ErrorBody(BaseModel):
    """The error: a stable code and a one-line message."""

    code: str
    message: str


class ErrorOut(BaseModel):
    """Every 4xx/5xx response."""

    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 404, 413, 422, 429, 503)
}
