"""Rules the API's route groups share: what counts as an impaired loan (the circle
explanation, the marketing lists), and which negative records are nearest an entity.

A guarantee circle is served by `api/routers/guarantee.py` from what `analyses/guarantee.py`
stored (`circle_node`); stored results are read through `guanxi.analyses` (never cli/). The
marketing route groups' service functions are in `api/marketing.py`.
"""

from __future__ import annotations

from typing import Any

from guanxi.api.graphview import GraphView

# -- loans -----------------------------------------------------------------------------------------


def is_impaired(loan: dict[str, Any]) -> bool:
    """Return True for an impaired loan: classified worse than 正常 (pass) or overdue.

    >>> is_impaired({"classification": "关注", "overdue_days": 0}), is_impaired({})
    (True, False)
    >>> is_impaired({"classification": "正常", "overdue_days": 3})
    True
    """
    return (loan.get("classification") or "正常") != "正常" or (loan.get("overdue_days") or 0) > 0


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
