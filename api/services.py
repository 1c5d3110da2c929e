"""Domain rules of the API's route groups, over the analyses' stored results.

Routers parse a request and shape the answer; what counts as an impaired loan, where a
stored result is read and what a page says when the analysis has not run live here. Stored
results are read through `guanxi.analyses` (never cli/); a result that is not computed yet
is an empty page with a note naming the command that computes it. The marketing route
groups' service functions are in `api/marketing.py`.
"""

from __future__ import annotations

from typing import Any

from guanxi.api.graphview import GraphView

# -- exposure -------------------------------------------------------------------------------------


def records_near(graph: GraphView, hop_of: dict[str, int], need: int) -> list[dict[str, Any]]:
    """Return the first `need` negative records about the parties of `hop_of` (party id →
    hops away), nearest party first, then newest first, then by record id; each row gets its
    ``hop``. Reads one hop at a time, so records of far parties never push out nearer ones."""
    out: list[dict[str, Any]] = []
    for hop in sorted(set(hop_of.values())):
        if len(out) >= need:
            break
        ids = sorted(v for v, h in hop_of.items() if h == hop)
        rows = graph.records_of(ids, need - len(out))  # newest first, then id
        for r in rows:
            r["hop"] = hop
        out += rows
    return out[:need]


# -- loans ------------------------------------------------------------------------------------------


def is_impaired(loan: dict[str, Any]) -> bool:
    """Return whether a loan is impaired or overdue: classified worse than 正常 (pass), or
    any days overdue."""
    return (loan.get("classification") or "正常") != "正常" or (loan.get("overdue_days")
                                                                or 0) > 0
