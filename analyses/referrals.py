"""MGM referrals (老带新): REFERRED edges → trees, referrer stats, K-factors → Meta results.

`compute_referrals` runs `algorithms.referrals` over the exported REFERRED table;
`run_referrals` also ranks prospects (`analyses.prospects`) and stores every list as its own
result kind (``mkt:referral_trees``, ``mkt:referrers``, ``mkt:campaigns``,
``mkt:referral_grids``, ``mkt:prospects``). The API and the workbench read them back with
the functions at the end of this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from guanxi.algorithms import referrals as refs
from guanxi.analyses import flow_projection as fp
from guanxi.analyses.communities import run_communities, stored_assignment
from guanxi.analyses.prospects import compute_prospects, write_prospects
from guanxi.analyses.results import Progress, now, read_stored, report, stored_page, write_stored
from guanxi.analyses.results.marketing import (
    CAMPAIGNS,
    REFERRAL_GRIDS,
    REFERRAL_TREES,
    REFERRERS,
    GroupK,
    ReferralsResult,
    ReferralTree,
    Referrer,
)
from guanxi.graph.store import GraphStore

__all__ = [
    "StoredReferrals",
    "compute_referrals",
    "referrers_page",
    "run_referrals",
    "stored_referrals",
    "write_referrals",
]


@dataclass
class StoredReferrals:
    """The stored referral results: trees, referrers, K-factor per campaign and per grid,
    and when they were computed."""

    trees: list[ReferralTree]
    referrers: list[Referrer]
    campaigns: list[GroupK]
    grids: list[GroupK]
    computed_at: str


def compute_referrals(
    referrals: pa.Table, parties: pa.Table
) -> tuple[list[ReferralTree], list[Referrer], list[GroupK], list[GroupK]]:
    """Return (trees, referrers, campaigns, grids) of the REFERRED table `referrals`;
    `parties` (id, name, grid_id) names the referrers and puts them in their grids."""
    ids = parties["id"].to_pylist()
    grid_of = {p: g for p, g in zip(ids, parties["grid_id"].to_pylist(), strict=True) if g}
    names = dict(zip(ids, parties["name"].to_pylist(), strict=True))
    trees = [ReferralTree.model_validate(t) for t in refs.referral_trees(referrals)]
    stats = [Referrer.model_validate({**s, "name": names.get(s["referrer"])})
             for s in refs.referrer_stats(referrals, grid_of)]
    campaigns = [GroupK.model_validate(g) for g in refs.group_k_factor(referrals, by="campaign")]
    grids = [GroupK.model_validate(g)
             for g in refs.group_k_factor(referrals, grid_of, by="referrer")]
    return trees, stats, campaigns, grids


def write_referrals(
    store: GraphStore,
    trees: list[ReferralTree],
    referrers: list[Referrer],
    campaigns: list[GroupK],
    grids: list[GroupK],
    *,
    computed_at: str,
    n_referrals: int,
) -> None:
    """Store the referral results, one envelope per kind (replacing the previous ones)."""
    summary = {"n_referrals": n_referrals}
    write_stored(store, REFERRAL_TREES, trees, computed_at=computed_at, summary=summary)
    write_stored(store, REFERRERS, referrers, computed_at=computed_at, summary=summary)
    write_stored(store, CAMPAIGNS, campaigns, computed_at=computed_at)
    write_stored(store, REFERRAL_GRIDS, grids, computed_at=computed_at)


def run_referrals(
    store: GraphStore, *, top: int = 20, progress: Progress | None = None
) -> ReferralsResult:
    """Analyse the MGM referral trees and rank prospects; store both; return them.

    Prospects use the stored communities (the communities analysis runs first when none are
    stored). `influencers` are the first `top` referrers.
    """
    report(progress, "exporting referrals")
    r = fp.export_referrals(store)
    proj = fp.export_projection(store)
    trees, stats, campaigns, grids = compute_referrals(r, proj.parties)
    assignment = stored_assignment(store)
    if not assignment:
        report(progress, "no stored communities: running communities first")
        run_communities(store, progress=progress)
        assignment = stored_assignment(store)
    report(progress, "ranking prospects")
    prospects = compute_prospects(proj, assignment)
    computed_at = now()
    write_referrals(store, trees, stats, campaigns, grids, computed_at=computed_at,
                    n_referrals=r.num_rows)
    write_prospects(store, prospects, computed_at)
    return ReferralsResult(computed_at=computed_at, n_referrals=r.num_rows, trees=trees,
                           referrers=stats, campaigns=campaigns, grids=grids,
                           influencers=stats[:top], prospects=prospects)


def stored_referrals(store: GraphStore) -> StoredReferrals | None:
    """Return the stored referral results; None when the analysis has not run (or its
    results are from another model version)."""
    trees = read_stored(store, REFERRAL_TREES)
    stats = read_stored(store, REFERRERS)
    if trees is None or stats is None:
        return None
    campaigns = read_stored(store, CAMPAIGNS)
    grids = read_stored(store, REFERRAL_GRIDS)
    return StoredReferrals(trees=trees.items, referrers=stats.items,
                           campaigns=campaigns.items if campaigns else [],
                           grids=grids.items if grids else [], computed_at=stats.computed_at)


def referrers_page(store: GraphStore, offset: int, limit: int) -> tuple[list[Referrer], str]:
    """Return (referrers[offset:offset+limit], note): best influencers first; an empty page
    and a note naming the command when the analysis has not run."""
    items, note, _ = stored_page(store, REFERRERS, offset, limit)
    return items, note
