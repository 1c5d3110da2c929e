"""Prospects (潜在客户): projection + stored communities → ranked `Prospect` list → Meta.

Non-customers who trade regularly with one of our high-value customers in the same
community (`algorithms.prospects.find_prospects`), each with a reason and the manager to
route it to. Stored as the ``mkt:prospects`` result; `analyses.referrals.run_referrals`
computes it after the referral trees (from the stored communities, running the communities
analysis first when none are stored).
"""

from __future__ import annotations

from typing import Any

from guanxi.algorithms import prospects as pros
from guanxi.analyses import flow_projection as fp
from guanxi.analyses.communities import grid_managers
from guanxi.analyses.results import read_stored, stored_page, write_stored
from guanxi.analyses.results.marketing import PROSPECTS, Prospect
from guanxi.graph.store import GraphStore

__all__ = ["compute_prospects", "prospects_page", "stored_prospects", "write_prospects"]


def compute_prospects(
    proj: fp.MarketingProjection, assignment: dict[str, str], **kw: Any
) -> list[Prospect]:
    """Return ranked prospects given a community assignment (node → `Y:` id); `kw` are
    `find_prospects`' thresholds."""
    idx = {cid: i for i, cid in enumerate(sorted(set(assignment.values())))}
    flows = fp.party_flows(proj.transfers, fp.owner_map(proj.accounts))
    rows = pros.find_prospects(
        flows,
        proj.parties,
        {n: idx[c] for n, c in assignment.items()},
        community_ids={i: c for c, i in idx.items()},
        grid_managers=grid_managers(proj.grids),
        **kw,
    )
    return [Prospect.model_validate(r) for r in rows]


def write_prospects(store: GraphStore, prospects: list[Prospect], computed_at: str) -> None:
    """Store `prospects` as the ``mkt:prospects`` result (replacing the previous one)."""
    write_stored(store, PROSPECTS, prospects, computed_at=computed_at)


def stored_prospects(store: GraphStore) -> list[Prospect] | None:
    """Return the stored prospects, best first; None when none are stored."""
    env = read_stored(store, PROSPECTS)
    return None if env is None else env.items


def prospects_page(store: GraphStore, offset: int, limit: int) -> tuple[list[Prospect], str]:
    """Return (prospects[offset:offset+limit], note) of the stored result; an empty page
    and a note naming the command when none is stored."""
    items, note, _ = stored_page(store, PROSPECTS, offset, limit)
    return items, note
