"""Result models of the marketing analyses: communities, referrals, prospects, supply chains.

`analyses.communities` returns a `CommunitiesResult` (its `Community` profiles are also the
``profile_json`` of the Community nodes), `analyses.referrals` a `ReferralsResult` (trees,
referrers, K-factor per campaign and per grid, prospects), `analyses.supply_chain` a
`SupplyChainResult` (the `SupplyChain` profiles are the ``profile_json`` of the SupplyChain
nodes). The stored kinds below are what the API and the workbench serve; docs/marketing.md
says what every field means.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from guanxi.analyses.results import Result, ResultKind

__all__ = [
    "CAMPAIGNS",
    "COMMUNITY_RUN",
    "FUND_CYCLES",
    "PROSPECTS",
    "REFERRAL_GRIDS",
    "REFERRAL_TREES",
    "REFERRERS",
    "ROUND_TRIPS",
    "ChainMember",
    "ChainRisk",
    "CommunitiesResult",
    "Community",
    "CommunityNode",
    "Concentration",
    "Core",
    "FundCycle",
    "GraphSize",
    "GroupK",
    "KeyMember",
    "Opportunity",
    "Prospect",
    "ReferralTree",
    "ReferralsResult",
    "Referrer",
    "RoundTrip",
    "Supply",
    "SupplyChain",
    "SupplyChainNode",
    "SupplyChainResult",
    "community_from_node",
    "supply_chain_from_node",
]

# -- communities -----------------------------------------------------------------------------


class KeyMember(Result):
    """One of a community's most central members (PageRank on the flow graph): the person to
    visit first."""

    id: str
    name: str | None = None
    label: str
    tier: str | None = None
    is_customer: bool = False
    rank: float
    weighted_degree: float | None = None


class Community(Result):
    """A fund-flow community (资金往来圈) and its marketing profile: who is in it, how much of
    it we serve, how much money stays inside, its grids and managers, its key members.
    ``grids`` and ``managers`` are ``[id, members]`` pairs, the three most common."""

    id: str
    index: int
    size: int
    persons: int
    companies: int
    external_accounts: int
    customers: int
    non_customers: int
    tiers: dict[str, int]
    total_flow: float
    internal_flow: float
    internal_share: float
    n_transfers_internal: int
    grids: list[tuple[str, int]]
    managers: list[tuple[str, int]]
    key_members: list[KeyMember]


class GraphSize(Result):
    """Nodes and edges of the graph an algorithm ran on."""

    nodes: int
    edges: int


class CommunitiesResult(Result):
    """A communities run: its parameters, modularity, the graph it cut, how many communities
    (of at least the minimum size) and members were written, and their profiles (largest
    first)."""

    resolution: float
    merge_households: bool
    modularity: float
    graph: GraphSize
    communities: int
    members: int
    computed_at: str
    profiles: list[Community]


class CommunityNode(Result):
    """A stored Community node as the API lists it: id, size, when computed, and its
    profile (None when the node holds none that reads as a `Community`)."""

    id: str
    size: int | None = None
    computed_at: str | None = None
    profile: Community | None = None


def _profile(raw: Any) -> dict[str, Any] | None:
    if isinstance(raw, dict):
        return raw
    try:
        val = json.loads(raw or "null")
    except (TypeError, ValueError):
        return None
    return val if isinstance(val, dict) else None


def community_from_node(row: dict[str, Any]) -> CommunityNode:
    """Return the `CommunityNode` of a Community node's row (id, size, profile_json,
    computed_at)."""
    prof = _profile(row.get("profile_json"))
    try:
        profile = Community.model_validate(prof) if prof is not None else None
    except ValidationError:
        profile = None
    return CommunityNode(id=row["id"], size=row.get("size"), computed_at=row.get("computed_at"),
                         profile=profile)


# -- referrals and prospects --------------------------------------------------------------------


class ReferralTree(Result):
    """An MGM referral tree (老带新): its root referrer, most common campaign, the
    ``[referrer, referee]`` edges the tree keeps, depth (generations), size (referees), the
    converted referees, conversion rate and the largest fan-out."""

    root: str
    campaign: str | None = None
    edges: list[list[str]]
    depth: int
    size: int
    converted: list[str]
    conversion_rate: float
    max_fanout: int


class Referrer(Result):
    """A referrer: invitations kept by the trees, how many converted, conversion rate,
    K-factor (= the new customers this person brought) and the whole downline."""

    referrer: str
    grid: str | None = None
    invites: int
    converted: int
    conversion_rate: float
    k_factor: float
    descendants: int
    descendants_converted: int
    depth_below: int
    name: str | None = None


class GroupK(Result):
    """K-factor of a group of referrers (a campaign, or the referrers of one grid):
    invites per referrer × conversion rate."""

    group: str
    referrers: int
    invites: int
    converted: int
    invites_per_referrer: float
    conversion_rate: float
    k_factor: float


class Prospect(Result):
    """A non-customer who trades regularly with one of our high-value customers (潜在客户):
    who, whom it trades with, how much and how often, the manager to route it to and the
    reason to give."""

    prospect: str
    kind: str
    name: str | None = None
    customer: str
    customer_name: str | None = None
    customer_tier: str | None = None
    community: str | None = None
    grid: str | None = None
    manager: str | None = None
    n_transfers: int | None = None
    amount: float | None = None
    months: int | None = None
    first: str | None = None
    last: str | None = None
    score: float
    reason: str
    links: int | None = None


class ReferralsResult(Result):
    """A referrals run: trees (largest first), referrers (best first), K-factor per campaign
    and per grid, the top influencers and the ranked prospects."""

    computed_at: str
    n_referrals: int
    trees: list[ReferralTree]
    referrers: list[Referrer]
    campaigns: list[GroupK]
    grids: list[GroupK]
    influencers: list[Referrer]
    prospects: list[Prospect]


# -- supply chains ------------------------------------------------------------------------------


class Supply(Result):
    """An inferred supplier → buyer relation (SUPPLIES): score, payments, months, the shares
    behind the score and the evidence in words."""

    supplier: str
    buyer: str
    score: float
    n_transfers: int
    amount: float
    months: int
    keyword_share: float
    share_out: float
    share_in: float
    evidence: str


class Core(Result):
    """A core enterprise (1+N): distinct suppliers, buyers and the amount it trades."""

    id: str
    suppliers: int
    buyers: int
    counterparties: int
    amount: float


class ChainMember(Result):
    """A supplier (upstream) or buyer (downstream) of a core, ``depth`` steps away."""

    id: str
    depth: int


class Concentration(Result):
    """A chain member that gets more than half of its receipts from one payer."""

    member: str
    payer: str
    share: float
    inflow: float


class Opportunity(Result):
    """Another bank's account the chain pays or is paid by: whom to bring into the bank."""

    account: str
    bank: str | None = None
    amount: float
    paid: float
    received: float
    paid_by: list[str]
    received_by: list[str]


class ChainRisk(Result):
    """A chain's funding risk: concentrated members, payments, leakage to other banks and
    the other banks' accounts (largest first)."""

    concentration: list[Concentration]
    payments: float
    leakage: float
    leakage_share: float
    opportunities: list[Opportunity]
    n_other_bank_accounts: int


class RoundTrip(Result):
    """Loan proceeds that came back to the borrower's side (资金回流): the path of accounts
    from the deposit account on, their owners, amounts, and whom the money returned to."""

    loan: str
    kind: str
    via: str
    path: list[str]
    owners: list[str]
    hops: int
    amounts: list[float]
    returns_to: str
    first_ts: int
    last_ts: int
    borrower: str
    loan_amount: float


class FundCycle(Result):
    """Money that left a party and came back to it through others within the window."""

    owners: list[str]
    accounts: list[str]
    amounts: list[float]
    first_ts: int
    last_ts: int
    days: float
    amount: float


class SupplyChain(Result):
    """A 1+N supply chain around a core enterprise and its funding risk, ``risk_score``
    first in the ranking (docs/marketing.md gives the formula). ``id`` (``Z:<core>``) is set
    on the stored chain."""

    id: str | None = None
    core: str
    upstream: list[ChainMember]
    downstream: list[ChainMember]
    members: list[str]
    size: int
    core_name: str | None = None
    core_stats: Core
    risk: ChainRisk
    round_trips: list[RoundTrip]
    cycles: list[FundCycle]
    risk_score: float


class SupplyChainResult(Result):
    """A supply-chain run: how many SUPPLIES relations, the cores, the chains (riskiest
    first), every loan round trip and other cycle of funds."""

    computed_at: str
    supplies: int
    cores: list[Core]
    chains: list[SupplyChain]
    round_trips: list[RoundTrip]
    cycles: list[FundCycle]


class SupplyChainNode(Result):
    """A stored SupplyChain node as the API lists it: id, core, core's name, size, when
    computed, and its profile (None when the node holds none that reads as a
    `SupplyChain`)."""

    id: str
    core_id: str | None = None
    core_name: str | None = None
    size: int | None = None
    computed_at: str | None = None
    profile: SupplyChain | None = None


def supply_chain_from_node(row: dict[str, Any]) -> SupplyChainNode:
    """Return the `SupplyChainNode` of a SupplyChain node's row (id, core_id, core_name?,
    size, profile_json, computed_at)."""
    prof = _profile(row.get("profile_json"))
    try:
        profile = SupplyChain.model_validate(prof) if prof is not None else None
    except ValidationError:
        profile = None
    out = SupplyChainNode(id=row["id"], core_id=row.get("core_id"), size=row.get("size"),
                          computed_at=row.get("computed_at"), profile=profile)
    if "core_name" in row:
        out.core_name = row["core_name"]
    return out


# -- stored kinds -------------------------------------------------------------------------------

_REFERRALS = "guanxi analyze referrals"

COMMUNITY_RUN = ResultKind("mkt:communities", Community, "guanxi analyze communities")
"""The last communities run: parameters and summary (no items: the communities are the
Community nodes)."""
REFERRAL_TREES = ResultKind("mkt:referral_trees", ReferralTree, _REFERRALS)
"""MGM referral trees, largest first."""
REFERRERS = ResultKind("mkt:referrers", Referrer, _REFERRALS)
"""Referrers, best influencers first."""
CAMPAIGNS = ResultKind("mkt:campaigns", GroupK, _REFERRALS)
"""K-factor per campaign."""
REFERRAL_GRIDS = ResultKind("mkt:referral_grids", GroupK, _REFERRALS)
"""K-factor per referrer's grid."""
PROSPECTS = ResultKind("mkt:prospects", Prospect, _REFERRALS)
"""Ranked prospects."""
ROUND_TRIPS = ResultKind("mkt:round_trips", RoundTrip, "guanxi analyze supply-chain")
"""Loan round trips (资金回流)."""
FUND_CYCLES = ResultKind("mkt:fund_cycles", FundCycle, "guanxi analyze supply-chain")
"""Other cycles of funds."""
