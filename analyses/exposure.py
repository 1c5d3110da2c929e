"""Negative-event exposure analysis: records near each customer, alerts on live loans.

projection (`analyses.guarantee_projection`: ties, records, parties, loans, guarantees,
related parties) → algorithms (`algorithms.exposure`: breadth-first search over typed ties,
loan alerts) → typed result (`results.risk.ExposureResult`) → write-back: Meta
``risk:alerts`` (`results.risk.ALERTS`, newest event first), which the API serves
(`alerts_page`).
"""

from __future__ import annotations

from guanxi.algorithms import exposure
from guanxi.analyses import guarantee_projection as proj
from guanxi.analyses.results import stored_page, write_stored
from guanxi.analyses.results.risk import ALERTS, ExposureResult, LoanAlert
from guanxi.graph.progress import Progress, report
from guanxi.graph.store import GraphStore

__all__ = ["alerts_page", "compute_exposure", "newest_first", "run_exposure_analysis"]


def compute_exposure(
    store: GraphStore, *, hops: int = 3, progress: Progress | None = None
) -> ExposureResult:
    """Return negative-event exposure within `hops` (1–4) for every customer, and alerts.

    ``exposed``: customer id → hits (record, subject, hops, one shortest explaining path and
    the tie types of each step); ``alerts``: live loans whose borrower, guarantor or a related
    party of either has a negative record dated after the loan start (by loan, date);
    ``summary``. Raises ValueError when `hops` is out of range."""
    if not 1 <= hops <= 4:
        raise ValueError("--hops must be between 1 and 4")
    report(progress, "export ties", 0.0, 1.0)
    ties = proj.tie_table(store)
    records = proj.negative_record_table(store)
    parties = proj.party_table(store)
    loans = proj.loan_table(store)
    gt = proj.guarantee_table(store)
    related = proj.related_party_table(store, households=True)
    report(progress, "tie graph", 0.3, 1.0)
    tg = exposure.build_tie_graph(ties, extra_nodes=parties["id"].to_pylist())
    report(progress, "breadth-first search", 0.5, 1.0)
    hits = exposure.negative_exposure(tg, records, hops=hops)
    customers = {i for i, c in zip(parties["id"].to_pylist(), parties["is_customer"].to_pylist(),
                                   strict=True) if c is not False}
    exposed = {v: h for v, h in hits.items() if v in customers}
    report(progress, "alerts", 0.8, 1.0)
    alerts = exposure.loan_alerts(loans, gt, related, records)
    report(progress, "done", 1.0, 1.0)
    return ExposureResult.model_validate({
        "exposed": exposed,
        "alerts": alerts,
        "summary": {
            "hops": hops,
            "records": records.num_rows,
            "exposed_customers": len(exposed),
            "alerts": len(alerts),
            "alerted_loans": len({a["loan"] for a in alerts}),
        },
    })


def newest_first(alerts: list[LoanAlert]) -> list[LoanAlert]:
    """Return the alerts newest event first (ties: loan id, descending) — the API's order."""
    return sorted(alerts, key=lambda a: (str(a.date or ""), a.loan), reverse=True)


def run_exposure_analysis(
    store: GraphStore, *, hops: int = 3, progress: Progress | None = None
) -> ExposureResult:
    """Return `compute_exposure`'s result after storing the alerts (Meta ``risk:alerts``,
    newest event first) for the API."""
    res = compute_exposure(store, hops=hops, progress=progress)
    write_stored(store, ALERTS, newest_first(res.alerts), parameters={"hops": hops},
                 summary=res.summary.model_dump())
    return res


def alerts_page(store: GraphStore, offset: int, limit: int) -> tuple[list[LoanAlert], str, int]:
    """Return (rows, note, total) of the stored alerts, newest event first; an empty page
    with a "not computed yet" note before `guanxi analyze exposure` ran."""
    return stored_page(store, ALERTS, offset, limit)
