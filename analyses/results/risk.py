"""Result models of the risk analyses: guarantee circles, chains, contagion, exposure.

`analyses.guarantee` returns a `GuaranteeResult` (circles, 联保 groups, chains, the systemic
ranking, per-party scores), `analyses.exposure` an `ExposureResult` (negative records near
each customer, alerts on live loans). The stored kinds (`SYSTEMIC`, `SCORES`, `ALERTS`) are
what the API serves; Circle nodes carry the `Circle` model (its graph properties plus
``motifs_json``, see `circle_from_node`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from guanxi.analyses.results import DateText, Result, ResultKind, WriteCounts

__all__ = [
    "ALERTS",
    "SCORES",
    "SYSTEMIC",
    "Basis",
    "BreakItem",
    "BreakPlan",
    "Chain",
    "Circle",
    "CircleGuarantee",
    "CircleHistory",
    "ContagionPath",
    "ExposureHit",
    "ExposureResult",
    "ExposureSummary",
    "GuaranteeResult",
    "GuaranteeSummary",
    "HubGuarantor",
    "JointGroup",
    "LoanAlert",
    "LoanBasis",
    "Motifs",
    "PartyExplanation",
    "PartyScore",
    "RecordBasis",
    "SubCircle",
    "SystemicRank",
    "TopCycle",
]

# -- contagion ---------------------------------------------------------------------------------


class ContagionPath(Result):
    """A guarantee path that carries default risk to its first party: ``path`` (party ids,
    the first guarantees the second's loan, …), the ``loans`` guaranteed on the way, the
    product of the guarantee ``weight``s and the ``contribution`` to the first party's
    propagated default probability."""

    path: list[str]
    loans: list[str]
    weight: float
    contribution: float


class LoanBasis(Result):
    """A borrowed loan behind a party's own default probability ``p``."""

    loan: str
    classification: str | None = None
    overdue_days: int | None = None
    balance: float | None = None
    p: float


class RecordBasis(Result):
    """A negative record behind a party's own default probability."""

    record: str
    kind: str | None = None
    date: DateText = None


class Basis(Result):
    """What a party's own (base) default probability rests on."""

    loans: list[LoanBasis] = Field(default_factory=list)
    records: list[RecordBasis] = Field(default_factory=list)


class SystemicRank(Result):
    """A party ranked by DebtRank (systemic importance in the guarantee network).

    ``rank`` and ``base_probability`` are set in the stored ranking (`SYSTEMIC`); ``paths``
    (the guarantee paths that explain its propagated probability) for the top of the list."""

    rank: int | None = None
    id: str
    name: str | None = None
    debtrank: float
    propagated_probability: float
    base_probability: float | None = None
    paths: list[ContagionPath] | None = None


class PartyScore(Result):
    """A party's guarantee-risk facts: default probabilities (own and after contagion),
    DebtRank, its circles, the longest guarantee chain through it and the balance it is
    on the hook for downstream, and what the base probability rests on."""

    id: str | None = None
    name: str | None = None
    base_probability: float
    propagated_probability: float
    debtrank: float
    circles: list[str] = Field(default_factory=list)
    chain_length: int | None = None
    chain: list[str] | None = None
    downstream_balance: float | None = None
    downstream_exact: bool | None = None
    downstream_balance_min: float | None = None
    basis: Basis = Field(default_factory=Basis)
    paths: list[ContagionPath] | None = None


# -- circles -------------------------------------------------------------------------------------


class Motifs(Result):
    """A circle's motifs: mutual pairs, triangles, cycle counts by length (exact up to
    ``exact_up_to``; ``capped`` when the cycle search stopped at its step budget)."""

    mutual_pairs: int
    triangles: int
    cycles: int
    cycles_by_length: dict[str, int] = Field(default_factory=dict)
    capped: bool = False
    exact_up_to: int | None = None


class CircleGuarantee(Result):
    """A guarantee inside a circle (``live``: its loan is live)."""

    guarantor: str
    borrower: str
    loan: str
    amount: float
    live: bool


class TopCycle(Result):
    """One of a circle's heaviest cycles (members in cycle order) and its guaranteed amount."""

    members: list[str]
    amount: float


class HubGuarantor(Result):
    """A guarantor with many in-circle guarantees: count, amount, distinct borrowers."""

    guarantor: str
    guarantees: int
    amount: float
    borrowers: int


class SubCircle(Result):
    """A community of a large circle, split into its own strong component."""

    members: list[str]
    size: int
    guarantees: int
    total_balance: float
    guaranteed_amount: float
    hub_guarantors: list[HubGuarantor] = Field(default_factory=list)


class BreakItem(Result):
    """A guarantee the break plan replaces."""

    guarantor: str
    borrower: str
    loan: str
    amount: float


class BreakPlan(Result):
    """拆圈断链: the least-amount set of guarantees whose replacement leaves no cycle
    (``exact`` or with a ``lower_bound``), and the fewest guarantors whose guarantees would
    do it; ``advice`` says it in one Chinese line."""

    guarantees: list[str]
    amount: float
    exact: bool
    lower_bound: float
    method: str
    items: list[BreakItem] = Field(default_factory=list)
    guarantors: list[str] = Field(default_factory=list)
    guarantors_exact: bool | None = None
    guarantors_lower_bound: int | None = None
    guarantors_guarantees: int | None = None
    guarantors_amount: float | None = None
    advice: str = ""


class CircleHistory(Result):
    """Every guarantee among a circle's members, settled loans included."""

    loans: int
    settled_loans: int
    guarantees: int
    guaranteed_amount: float
    settled_guaranteed_amount: float


class Circle(Result):
    """A guarantee circle (担保圈): a strongly connected set of parties guaranteeing each
    other's loans, plainly or after merging related parties (``contraction``), with its
    loans, guarantees, motifs, heaviest cycles, hubs, sub-circles and break plan; scored by
    the analysis (``risk_score``, ``explanation``) and placed (``grids``, ``managers``)."""

    id: str
    members: list[str]
    size: int
    contraction: str
    contracted_via: list[list[str]] = Field(default_factory=list)
    loans: list[str] = Field(default_factory=list)
    guarantees: list[CircleGuarantee] = Field(default_factory=list)
    total_balance: float
    live_balance: float | None = None
    live_loans: int | None = None
    guaranteed_amount: float
    motifs: Motifs
    cycles: list[list[str]] = Field(default_factory=list)
    top_cycles: list[TopCycle] = Field(default_factory=list)
    hub_guarantors: list[HubGuarantor] = Field(default_factory=list)
    sub_circles: list[SubCircle] | None = None
    break_plan: BreakPlan | None = None
    history: CircleHistory | None = None
    risk_score: float | None = None
    grids: list[str] = Field(default_factory=list)
    managers: list[str] = Field(default_factory=list)
    member_names: list[str | None] = Field(default_factory=list)
    explanation: str | None = None


class JointGroup(Result):
    """A 联保 structure: a declared ``group`` of guarantors, or a ``star`` (a loan with many
    guarantors)."""

    kind: Literal["group", "star"]
    group_id: str | None = None
    loans: list[str]
    guarantors: list[str]
    borrowers: list[str]
    guaranteed_amount: float
    total_balance: float


class Chain(Result):
    """A maximal guarantee chain (a strong component counts as one step, shown by its first
    member): members in order, its length and the loans guaranteed along it."""

    members: list[str]
    length: int
    loans: list[str]


class GuaranteeSummary(Result):
    """Headline numbers of a guarantee analysis and the options it ran with."""

    parties: int
    guarantees: int
    circles: int
    contracted_circles: int
    joint_groups: int
    chains: int
    contagion_iterations: int
    max_cycle: int
    include_settled: bool
    live_guarantees: int
    settled_guarantees: int
    circles_balance: float
    capped_circles: int
    debtrank_sources: int


class GuaranteeResult(Result):
    """The guarantee analysis: circles (riskiest first), 联保 groups, chains, the top of the
    systemic ranking, per-party scores (left out of ``--json``), summary and, once written
    back, the write counts."""

    circles: list[Circle]
    joint_groups: list[JointGroup]
    chains: list[Chain]
    systemic: list[SystemicRank]
    scores: dict[str, PartyScore] = Field(default_factory=dict)
    summary: GuaranteeSummary
    written: WriteCounts | None = None


class PartyExplanation(PartyScore):
    """Why a party scores as it does (``guanxi explain``): its score, whether it is in the
    guarantee graph at all, its circles in full and the paths that carry risk to it."""

    in_guarantee_graph: bool
    circles: list[Circle] = Field(default_factory=list)  # type: ignore[assignment]


# -- exposure --------------------------------------------------------------------------------------


class ExposureHit(Result):
    """A negative record near a party: the record, its ``subject``, how many ``hops`` away,
    one shortest ``path`` (party → subject) and the tie types of each step (``via``)."""

    record: str
    kind: str | None = None
    date: DateText = None
    subject: str
    hops: int
    path: list[str]
    via: list[list[str]]


class LoanAlert(Result):
    """A live loan whose borrower, guarantor or a party related to them (``role``, ``via``
    the tie kind, ``path``) got a negative record dated after the loan began."""

    loan: str
    borrower: str
    balance: float
    start_date: DateText = None
    party: str
    role: str
    via: str | None = None
    path: list[str] = Field(default_factory=list)
    record: str
    kind: str | None = None
    date: DateText = None


class ExposureSummary(Result):
    """Headline numbers of an exposure analysis."""

    hops: int
    records: int
    exposed_customers: int
    alerts: int
    alerted_loans: int


class ExposureResult(Result):
    """The exposure analysis: hits per exposed customer, alerts, summary."""

    exposed: dict[str, list[ExposureHit]]
    alerts: list[LoanAlert]
    summary: ExposureSummary


# -- stored kinds ------------------------------------------------------------------------------------

SYSTEMIC = ResultKind("risk:systemic", SystemicRank, "guanxi analyze guarantee", version=2)
"""The systemic ranking (DebtRank), top 500, paths for the top."""
SCORES = ResultKind("risk:scores", PartyScore, "guanxi analyze guarantee", version=1)
"""Every party of the guarantee graph's score (``guanxi explain`` reads it)."""
ALERTS = ResultKind("risk:alerts", LoanAlert, "guanxi analyze exposure", version=2)
"""Alerts on live loans, newest event first."""
