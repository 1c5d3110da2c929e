"""The marketing route groups' service functions and resource models.

Communities, referrals, prospects and supply chains are computed and stored by
`guanxi.analyses` (`communities`, `referrals`, `prospects`, `supply_chain`); the functions here
read them back — result nodes through the (cached) graph view, stored lists through the
analyses' readers — and return the typed resources the routers declare as response models,
so `/openapi.json` names every shape. Rows of named queries that are not analysis results
(members, referral edges, negative records, loans) get a model here too. Domain rules of these
routes live here, not in the routers: what makes a chain member a risk (an impaired loan,
`api.services.is_impaired`, or a negative record), which members are opportunities.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from guanxi.analyses import prospects as ap
from guanxi.analyses import referrals as ar
from guanxi.analyses.results import DateText
from guanxi.analyses.results.marketing import (
    CommunityNode,
    Prospect,
    Referrer,
    SupplyChainNode,
    community_from_node,
    supply_chain_from_node,
)
from guanxi.api.deps import PageParams, run_copied, run_page
from guanxi.api.errors import ApiError
from guanxi.api.graphview import GraphView
from guanxi.api.services import is_impaired
from guanxi.graph.store import GraphStore

__all__ = [
    "MAX_MEMBERS",
    "ChainLoan",
    "ChainMemberRow",
    "ChainRecord",
    "ChainRiskRow",
    "CommunityMember",
    "ReferralEdge",
    "Row",
    "SupplyChainDetail",
    "SupplyEdge",
    "chain_detail",
    "chain_opportunities",
    "chain_risks",
    "communities",
    "community_members",
    "prospects",
    "referrals_of",
    "referrers",
    "supply_chains",
]

MAX_MEMBERS = 1000
"""Members of one supply chain read at most."""


class Row(BaseModel):
    """A row of a named query the API returns: exactly the query's columns."""

    model_config = ConfigDict(extra="forbid")


class CommunityMember(Row):
    """A member of a community (person, company or other bank's account) and its PageRank
    in the community's flow graph."""

    id: str
    label: str | None = None
    name: str | None = None
    rank: float | None = None
    is_customer: bool | None = None


class ReferralEdge(Row):
    """One invitation (REFERRED): referrer, referee, date, campaign, whether it converted."""

    src: str
    src_name: str | None = None
    dst: str
    dst_name: str | None = None
    date: DateText = None
    campaign: str | None = None
    converted: bool | None = None


class ChainMemberRow(Row):
    """A member of a supply chain: its side (core, upstream, downstream), depth, and
    whether it banks with us."""

    id: str
    label: str | None = None
    name: str | None = None
    side: str | None = None
    depth: int | None = None
    is_customer: bool | None = None


class SupplyEdge(Row):
    """An inferred supplier → buyer relation among a chain's members."""

    src: str
    dst: str
    score: float | None = None
    n_transfers: int | None = None
    amount: float | None = None


class SupplyChainDetail(Row):
    """A supply chain with its members and the SUPPLIES edges among them."""

    chain: SupplyChainNode
    members: list[ChainMemberRow]
    edges: list[SupplyEdge]


class ChainRecord(Row):
    """A negative record about a chain member."""

    subject: str
    id: str
    kind: str | None = None
    date: DateText = None
    amount: float | None = None
    source: str | None = None
    document_id: str | None = None
    subject_name: str | None = None
    description: str | None = None


class ChainLoan(Row):
    """An impaired or overdue loan of a chain member."""

    borrower: str
    id: str
    amount: float | None = None
    balance: float | None = None
    classification: str | None = None
    overdue_days: int | None = None
    status: str | None = None


class ChainRiskRow(ChainMemberRow):
    """A chain member with negative records or impaired/overdue loans."""

    records: list[ChainRecord]
    loans: list[ChainLoan]


# -- communities --------------------------------------------------------------------------------


def communities(graph: GraphView, p: PageParams) -> list[CommunityNode]:
    """Return a page of the stored communities, largest first, with their profiles."""
    return [community_from_node(r) for r in run_page(graph, "api_communities", {}, p)]


def community_members(graph: GraphView, community_id: str,
                      p: PageParams) -> list[CommunityMember]:
    """Return a page of a community's members, highest rank first (404: no such
    community)."""
    rows = run_page(graph, "api_community_members", {"id": community_id}, p)
    if not rows and p.offset == 0:
        raise ApiError(404, "not_found", "no community with that id")
    return [CommunityMember.model_validate(r) for r in rows]


# -- referrals and prospects ------------------------------------------------------------------


def referrers(store: GraphStore, p: PageParams) -> tuple[list[Referrer], str]:
    """Return (a page of referrers, best first; the note saying when they were computed or
    which command computes them)."""
    return ar.referrers_page(store, p.offset, p.limit)


def referrals_of(store: GraphStore, person: str, p: PageParams) -> list[ReferralEdge]:
    """Return a page of the invitations a person made or received, newest first (404: no
    such person)."""
    if not person.startswith("P:") or not store.run("api_entity_person", {"id": person}):
        raise ApiError(404, "not_found", "no person with that id")
    rows = store.run("api_referrals_of", {"id": person, "limit": p.offset + p.limit})
    return [ReferralEdge.model_validate(r) for r in rows[p.offset:]]


def prospects(store: GraphStore, p: PageParams) -> tuple[list[Prospect], str]:
    """Return (a page of ranked prospects; the note saying when they were computed or which
    command computes them)."""
    return ap.prospects_page(store, p.offset, p.limit)


# -- supply chains ------------------------------------------------------------------------------


def supply_chains(graph: GraphView, p: PageParams) -> list[SupplyChainNode]:
    """Return a page of the stored supply chains, largest first, with their profiles."""
    return [supply_chain_from_node(r) for r in run_page(graph, "api_supply_chains", {}, p)]


def _members(graph: GraphView, chain_id: str) -> tuple[SupplyChainNode, list[ChainMemberRow]]:
    rows = run_copied(graph, "api_supply_chain_get", {"id": chain_id})
    if not rows:
        raise ApiError(404, "not_found", "no supply chain with that id")
    members = run_copied(graph, "api_supply_chain_members", {"id": chain_id,
                                                              "limit": MAX_MEMBERS})
    return supply_chain_from_node(rows[0]), [ChainMemberRow.model_validate(m) for m in members]


def chain_detail(store: GraphStore, graph: GraphView, chain_id: str) -> SupplyChainDetail:
    """Return a chain with its members (side, depth) and the inferred SUPPLIES edges among
    them (404: no such chain)."""
    chain, members = _members(graph, chain_id)
    ids = [m.id for m in members]
    edges = store.run("api_supplies_among", {"ids": ids, "limit": 5000}) if ids else []
    return SupplyChainDetail(chain=chain, members=members,
                             edges=[SupplyEdge.model_validate(e) for e in edges])


def chain_risks(store: GraphStore, graph: GraphView, chain_id: str,
                p: PageParams) -> list[ChainRiskRow]:
    """Return a page of the chain's members with negative records or impaired/overdue
    loans, most findings first (404: no such chain)."""
    _, members = _members(graph, chain_id)
    by_id = {m.id: m for m in members}
    ids = sorted(by_id)
    out: dict[str, dict[str, Any]] = {}

    def entry(member: str) -> dict[str, Any]:
        return out.setdefault(member, {**by_id[member].model_dump(), "records": [],
                                       "loans": []})

    if ids:
        for r in store.run("api_records_of", {"ids": ids, "limit": 5000}):
            entry(r["subject"])["records"].append(r)
        for ln in store.run("api_loans_of_parties", {"ids": ids, "limit": 5000}):
            if is_impaired(ln):
                entry(ln["borrower"])["loans"].append(ln)
    rows = sorted(out.values(), key=lambda e: (-(len(e["records"]) + len(e["loans"])), e["id"]))
    return [ChainRiskRow.model_validate(r) for r in rows[p.offset : p.offset + p.limit]]


def chain_opportunities(graph: GraphView, chain_id: str,
                        p: PageParams) -> list[ChainMemberRow]:
    """Return a page of the chain's members that do not bank with us yet, upstream first
    (404: no such chain)."""
    _, members = _members(graph, chain_id)
    rows = [m for m in members if m.is_customer is not True]
    rows.sort(key=lambda m: (m.side != "upstream", m.depth or 0, m.id))
    return rows[p.offset : p.offset + p.limit]
