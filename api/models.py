"""Response models for the OpenAPI document.

Resources the analyses produce are their typed results (`guanxi.analyses.results`); rows of
the graph a route returns beside them (circle members, loans, guarantees, negative records)
are declared here, as are the API's own resources (entities, subgraphs and paths, documents,
keys and the audit log, the workbench's lists). `PageOf[T]` is a page of one resource,
`ListOf[T]` a page of a workbench list; every JSON response of every route names its model
(tests/api/test_openapi_resources.py walks /openapi.json to check it).
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from guanxi.analyses.results.marketing import GroupK
from guanxi.analyses.results.risk import (
    BreakPlan,
    CircleHistory,
    HubGuarantor,
    Motifs,
    SubCircle,
    TopCycle,
)
from guanxi.nlp.schema import Amount, Extraction

T = TypeVar("T")


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
    """A node of a returned subgraph: id, label, name and ``hop`` (steps from the root)."""

    id: str
    label: str | None = None
    name: str | None = None
    hop: int | None = None


class GraphEdge(BaseModel):
    """A relationship of a returned subgraph or path: ``src`` -[``type``]-> ``dst``."""

    src: str
    dst: str
    type: str


class GraphOut(BaseModel):
    """A bounded subgraph around `root`: the nodes within the hops asked for and the
    relationships among them."""

    root: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
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


class PathNode(BaseModel):
    """A node on a path: id, label, name."""

    id: str
    label: str | None = None
    name: str | None = None


class GraphPath(BaseModel):
    """One path: its nodes in order and the relationships between consecutive nodes (either
    direction)."""

    nodes: list[PathNode]
    edges: list[GraphEdge]


class PathsOut(BaseModel):
    """Shortest paths between two entities (``length``: edges per path, null when none)."""

    paths: list[GraphPath]
    length: int | None
    truncated: bool


class Health(BaseModel):
    """The service is up: ``status`` "ok" and the store's backend."""

    status: str
    backend: str


class Me(BaseModel):
    """The caller's API key: id, name and role."""

    key_id: str
    name: str
    role: str


class EntityHit(BaseModel):
    """A person or company a search found."""

    id: str
    label: str
    name: str | None = None


class Entity(BaseModel):
    """A node's displayable properties, as its label's ``api_entity_<label>`` query returns
    them (properties the node does not have, or that are null, are left out). The fields
    are `api.graphview.SHOWN`, in that order (the queries' column order), typed as
    `guanxi.graph.model` has them."""

    id: str
    label: str
    name: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    phone_last4: str | None = None
    tier: str | None = None
    is_customer: bool | None = None
    tags: list[str] | None = None
    household_id: str | None = None
    grid_id: str | None = None
    manager_id: str | None = None
    uscc: str | None = None
    legal_rep_name: str | None = None
    industry: str | None = None
    registered_capital: float | None = None
    status: str | None = None
    address: str | None = None
    product: str | None = None
    amount: float | None = None
    balance: float | None = None
    rate: float | None = None
    start_date: str | None = None
    maturity_date: str | None = None
    classification: str | None = None
    overdue_days: int | None = None
    kind: str | None = None
    date: str | None = None
    subject_name: str | None = None
    description: str | None = None
    doc_type: str | None = None
    case_number: str | None = None
    authority: str | None = None
    cause: str | None = None
    title: str | None = None
    size: int | None = None
    risk_score: float | None = None
    total_balance: float | None = None
    as_of: str | None = None


class PartyCircle(BaseModel):
    """A guarantee circle a party belongs to."""

    id: str
    size: int | None = None
    risk_score: float | None = None
    total_balance: float | None = None


class PartyCommunity(BaseModel):
    """A fund-flow community a node belongs to, with the node's rank in it."""

    id: str
    size: int | None = None
    rank: float | None = None


class EntityDetail(BaseModel):
    """An entity's properties; for a person or company also its loans, the guarantees it
    gave and received, its circles, communities and negative records (each ≤ 50)."""

    entity: Entity
    loans: list[LoanRow] | None = None
    guarantees_given: list[GuaranteeRow] | None = None
    guarantees_received: list[GuaranteeRow] | None = None
    circles: list[PartyCircle] | None = None
    communities: list[PartyCommunity] | None = None
    negative_records: list[NegativeRecordRow] | None = None


class DocumentRow(BaseModel):
    """A document (judgment, ruling, enforcement notice, penalty) in a list."""

    id: str
    doc_type: str | None = None
    case_number: str | None = None
    authority: str | None = None
    date: str | None = None
    cause: str | None = None
    title: str | None = None
    outcome: list[str] | None = None


class DocumentNode(DocumentRow):
    """A document with the amounts extracted from it."""

    amounts: list[Amount] | None = Field(
        default=None, description="the amounts extracted from it (`guanxi.nlp.schema.Amount`)")


class DocumentParty(BaseModel):
    """A party to a document: the graph node (or the mention) and, for a mention, the
    entity it was resolved to (``linked``, ``linked_name``)."""

    id: str
    label: str | None = None
    name: str | None = None
    role: str | None = None
    kind: str | None = None
    linked: str | None = None
    linked_name: str | None = None


class DocumentRecord(BaseModel):
    """A negative record a document evidences, with its subject."""

    id: str
    kind: str | None = None
    date: str | None = None
    amount: float | None = None
    subject_name: str | None = None
    subject_ref: str | None = None


class DocumentDetail(BaseModel):
    """A document with its parties (and what mentions resolved to) and negative records."""

    document: DocumentNode
    parties: list[DocumentParty]
    records: list[DocumentRecord]


class RecordRow(BaseModel):
    """A negative record (case, penalty…) in the list of all records."""

    id: str
    kind: str | None = None
    date: str | None = None
    amount: float | None = None
    source: str | None = None
    document_id: str | None = None
    subject_name: str | None = None
    subject_ref: str | None = None
    description: str | None = None


class LinkCandidate(BaseModel):
    """A node a document's party may be: id, label, name and the matcher's score."""

    id: str
    label: str | None = None
    name: str | None = None
    score: float


class LinkEvidence(BaseModel):
    """One piece of evidence for a link: kind, weight and what was compared."""

    kind: str
    weight: float
    detail: str = ""


class PartyLink(BaseModel):
    """`guanxi.nlp.linking`'s decision for one party of an uploaded document: the linked
    node (``node_id``, ``label``, ``score``, ``evidence``) or why not (``reason``), and the
    uncontradicted ``candidates``, best first."""

    party: str
    role: str | None = None
    kind: str | None = None
    candidates: list[LinkCandidate]
    node_id: str | None = None
    label: str | None = None
    score: float | None = None
    evidence: list[LinkEvidence]
    reason: str | None = None


class DocumentExtraction(BaseModel):
    """What an uploaded document says (`guanxi.nlp.schema.Extraction`) and how its parties
    link to the graph; nothing is written."""

    extraction: Extraction
    links: list[PartyLink]


class KeyCreated(BaseModel):
    """A new API key; ``key`` (the secret) is shown in this response only."""

    key_id: str
    key: str
    role: str
    name: str


class KeyRow(BaseModel):
    """An API key without its secret: id, name, role, when created and revoked."""

    key_id: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None


class KeyRevoked(BaseModel):
    """The key revoked."""

    key_id: str
    revoked: bool


class AuditUpload(BaseModel):
    """The uploaded file an audited request carried: its name (≤ 100 characters) and size."""

    filename: str
    bytes: int


class AuditEntry(BaseModel):
    """One audited request: who (key, role), what (method, route, query and path parameters
    with identifier-like digit runs as keyed hashes), how many results, status, duration,
    and the HMAC chain (``prev_hash``, ``hash``)."""

    seq: int
    ts: str
    key_id: str | None = None
    role: str | None = None
    method: str
    route: str
    params: dict[str, str | list[str] | AuditUpload]
    result_count: int
    status: int
    duration_ms: float
    prev_hash: str
    hash: str


class AuditProblem(BaseModel):
    """One finding of the audit check: kind, the entry (seq) where it shows, what was seen."""

    kind: str
    seq: int | None = None
    detail: str


class AuditVerification(BaseModel):
    """The audit log checked: ``ok`` false if any entry was edited, deleted, renumbered,
    reordered or truncated; entries and signed checkpoints checked; every problem found."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str
    checkpoints: int
    problems: list[AuditProblem]


# -- the workbench (/wb) -----------------------------------------------------------------------


class NamedFacet(BaseModel):
    """A facet value that is a name, offered with its id (filter by the id): a grid
    (``grid``, ``grid_name``) or a manager (``manager``, ``manager_name``)."""

    grid: str | None = None
    grid_name: str | None = None
    manager: str | None = None
    manager_name: str | None = None


class ListOf(BaseModel, Generic[T]):
    """A page of a workbench list (`ListOf[AlertRow]` is named `ListOf_AlertRow_`): the rows
    after the request's filters and sort, the rows matching, and the values each filter
    field takes."""

    items: list[T] = Field(description="rows of this page")
    limit: int
    offset: int
    count: int = Field(description="rows in this page")
    total: int = Field(description="rows matching the filters")
    next_offset: int | None
    facets: dict[str, list[str | NamedFacet]] = Field(
        description="values each filter field takes (a name comes with its id)")


class Place(BaseModel):
    """Where a party is served: its grid and the manager (the grid's when it has none)."""

    grid: str | None = None
    grid_name: str | None = None
    manager: str | None = None
    manager_name: str | None = None


class AlertRow(Place):
    """A live-loan alert of the risk worklist: the loan and borrower, the event behind it
    (kind, date, amount, source), the party it concerns and how it ties to the loan, and the
    borrower's grid and manager."""

    id: str = Field(description="loan|record|party")
    loan: str
    borrower: str
    borrower_name: str | None = None
    loan_amount: float | None = None
    balance: float | None = None
    classification: str | None = None
    overdue_days: int | None = None
    start_date: str | None = None
    party: str
    party_name: str | None = None
    role: str | None = None
    via: str | None = None
    record: str
    kind: str | None = None
    date: str | None = None
    event_amount: float | None = None
    source: str | None = None


class CircleListRow(CircleRow):
    """A guarantee circle in the workbench list, named by its members."""

    name: str
    member_names: str
    loans: int
    explanation: str | None = None


class ProspectRow(Place):
    """A ranked prospect with the related customer, grid and manager."""

    id: str
    rank: int
    prospect: str
    prospect_name: str | None = None
    kind: str | None = None
    customer: str | None = None
    customer_name: str | None = None
    customer_tier: str | None = None
    n_transfers: int | None = None
    amount: float | None = None
    score: float | None = None
    reason: str | None = None


class ReferralTreeRow(Place):
    """An MGM referral tree: the root referrer, campaign, size, depth, converted, conversion
    rate and the root's K-factor and invitations."""

    id: str
    referrer: str
    referrer_name: str | None = None
    campaign: str | None = None
    size: int
    depth: int
    converted: int
    conversion_rate: float | None = None
    k_factor: float | None = None
    invites: int | None = None


class ReferralTreeNode(BaseModel):
    """A person in a referral tree: depth from the root, converted, invitations, K-factor."""

    id: str
    label: str
    name: str | None = None
    depth: int
    converted: bool
    invites: int
    k_factor: float


class ReferralTree(BaseModel):
    """One referral tree drawn as nodes and REFERRED edges, with its campaign's K-factor
    (a person in no tree comes alone, size 0)."""

    root: str
    campaign: str | None = None
    campaign_stats: GroupK | None = None
    size: int
    depth: int
    conversion_rate: float | None = None
    nodes: list[ReferralTreeNode]
    edges: list[GraphEdge]


class SupplyChainRow(BaseModel):
    """A 1+N supply chain: core firm, suppliers, buyers, the highest concentration of a
    member on one payer, and the share of payments leaking to other banks."""

    id: str
    core: str | None = None
    core_name: str | None = None
    size: int | None = None
    suppliers: int | None = None
    buyers: int | None = None
    amount: float | None = None
    concentration: float | None = None
    payments: float | None = None
    leakage_share: float | None = None


class CommunityMemberBrief(BaseModel):
    """A top member of a community group."""

    id: str
    label: str | None = None
    name: str | None = None
    is_customer: bool | None = None


class CommunityGroup(Place):
    """The members of a community in one grid under one manager: counts and the top five."""

    members: int
    customers: int
    non_customers: int
    top: list[CommunityMemberBrief]


class CommunityBreakdown(BaseModel):
    """A community broken down into groups a manager can act on, largest first."""

    id: str
    size: int
    groups: list[CommunityGroup]


class EventSource(BaseModel):
    """One record behind a merged event: the bank's or a document's."""

    record: str
    source: str | None = None
    amount: float | None = None
    document: str | None = None
    from_document: bool
    description: str | None = None


class EventRow(BaseModel):
    """A negative event: the bank's record and the documents' records of one happening (same
    subject, kind, date) merged, with each source."""

    id: str = Field(description="its first record")
    subject: str | None = None
    subject_name: str | None = None
    kind: str | None = None
    date: str | None = None
    amount: float | None = None
    sources: list[EventSource]
    n_sources: int
    documents: list[str]
    source: str


class TextMark(BaseModel):
    """A span of a document's text to highlight: a party (``party`` or ``guarantee``, with
    the node it links to) or an ``amount`` (with its label, value and type)."""

    start: int
    end: int
    kind: Literal["party", "guarantee", "amount"]
    role: str | None = None
    linked: str | None = None
    label: str | None = None
    name: str | None = None
    value: float | None = None
    type: str | None = None


class EventDocument(BaseModel):
    """A document behind an event: the document, its parties, the guarantors among them, its
    text (null when the file is not at hand) and the marks on it."""

    document: DocumentNode
    parties: list[DocumentParty]
    guarantees: list[DocumentParty]
    text: str | None = None
    marks: list[TextMark]


class EventDetail(BaseModel):
    """One merged event with its sources and the documents behind it."""

    event: EventRow
    documents: list[EventDocument]


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
