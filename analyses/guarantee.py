"""Guarantee-risk analysis: guarantee circles, 联保 groups, chains, default contagion, DebtRank.

projection (`analyses.guarantee_projection`) → algorithms (`algorithms.guarantee` finds the
circles, `algorithms.contagion` propagates default, `algorithms.guarantee_risk` scores and
explains) → typed result (`results.risk.GuaranteeResult`) → write-back:

- Circle nodes + IN_CIRCLE memberships (`write_circles`: one `writeback.replace_nodes`);
  a circle's facts beyond the node's columns sit in its ``motifs_json`` (`circle_nodes`
  writes them, `circle_from_node` / `stored_circle` read the `Circle` back: the one place
  that text is parsed; `circle_node` is the stored circle as the API serves it);
- Meta ``risk:systemic`` (`results.risk.SYSTEMIC`: the DebtRank ranking, top 500) and
  ``risk:scores`` (`results.risk.SCORES`: every party's score; `explain_node` reads it).

`compute_guarantee_risk` computes without writing; `run_guarantee_analysis` computes and
writes. With ``engine="spark"`` the circles are found on Spark (`analyses.spark`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from pydantic import ValidationError

from guanxi.algorithms import contagion, guarantee
from guanxi.algorithms.guarantee_risk import (
    base_probabilities,
    capacity,
    circle_risk,
    explain_circle,
)
from guanxi.analyses import guarantee_projection as proj
from guanxi.analyses.results import WriteCounts, dump, now, read_stored, stored_page, write_stored
from guanxi.analyses.results.risk import (
    SCORES,
    SYSTEMIC,
    Basis,
    Circle,
    CircleGuarantee,
    ContagionPath,
    GuaranteeResult,
    PartyExplanation,
    PartyScore,
    SystemicRank,
)
from guanxi.analyses.writeback import Membership, replace_nodes
from guanxi.graph.ids import edge_key
from guanxi.graph.progress import Progress, report
from guanxi.graph.store import GraphStore

__all__ = [
    "CIRCLE_COLUMNS",
    "CIRCLE_EXTRAS",
    "CIRCLE_FACTS",
    "DEBTRANK_WORK",
    "OLDER_CIRCLE",
    "SYSTEMIC_STORED",
    "circle_from_node",
    "circle_node",
    "circle_nodes",
    "compute_guarantee_risk",
    "contraction_table",
    "explain_node",
    "run_guarantee_analysis",
    "stored_circle",
    "systemic_page",
    "write_circles",
]

DEBTRANK_WORK = 20_000_000
"""DebtRank source × guarantee work above which only the likeliest sources are computed."""
SYSTEMIC_STORED = 500
"""How many parties of the systemic ranking are stored for the API."""
CIRCLE_EXTRAS = ("break_plan", "live_balance", "live_loans", "history", "hub_guarantors",
                 "sub_circles", "top_cycles")
"""Circle facts kept in the Circle's ``motifs_json`` beside the motifs (#18). A circle's
guarantees are not stored: they are the guarantee graph's edges among its members
(`_circle_guarantees`)."""
_MOTIF_KEYS = ("mutual_pairs", "triangles", "cycles", "cycles_by_length", "capped",
               "exact_up_to")


def contraction_table(store: GraphStore, *, households: bool = False) -> pa.Table:
    """Return merge pairs (a, b, kind): legal reps, controlling shareholders, households."""
    rel = proj.related_party_table(store, households=households)
    kinds = rel["kind"].to_pylist()
    a = [x for x, k in zip(rel["a"].to_pylist(), kinds, strict=True) if k != "shareholder"]
    b = [x for x, k in zip(rel["b"].to_pylist(), kinds, strict=True) if k != "shareholder"]
    kk = [k for k in kinds if k != "shareholder"]
    for h, c in guarantee.controlling_shareholders(proj.controlling_shareholder_table(store)):
        a.append(h)
        b.append(c)
        kk.append("shareholder")
    return pa.table({"a": pa.array(a, pa.string()), "b": pa.array(b, pa.string()),
                     "kind": pa.array(kk, pa.string())})


@dataclass
class _Inputs:
    """The projections and the contagion graph of one run."""

    gt: pa.Table
    loans: pa.Table
    parties: pa.Table
    records: pa.Table
    names: dict[str, str]
    gg_all: guarantee.GuaranteeGraph
    gg: guarantee.GuaranteeGraph
    p_own: npt.NDArray[np.float64]
    basis: dict[str, dict[str, Any]]
    w: npt.NDArray[np.float64]


def _inputs(store: GraphStore, include_settled: bool) -> _Inputs:
    """Return the projections, the guarantee graph (live loans unless `include_settled`),
    own default probabilities and guarantee weights."""
    gt = proj.guarantee_table(store)
    loans = proj.loan_table(store)
    parties = proj.party_table(store)
    records = proj.negative_record_table(store)
    names = dict(zip(parties["id"].to_pylist(), parties["name"].to_pylist(), strict=True))
    gg_all = guarantee.build_guarantee_graph(gt, as_of=store.get_meta("last_extract_as_of"))
    gg = gg_all if include_settled else gg_all.subset(gg_all.live_mask())
    p_own, basis = base_probabilities(gg.nodes, loans, records)
    cap = capacity(gg.nodes, parties, loans)
    w = contagion.guarantee_weights(gg.amount, cap[gg.src])
    return _Inputs(gt, loans, parties, records, names, gg_all, gg, p_own, basis, w)


def _named_paths(x: _Inputs, i: int) -> list[dict[str, Any]]:
    paths = contagion.explain_paths(i, x.gg.src, x.gg.dst, x.w, x.p_own, loans=x.gg.loans)
    return [{"path": [x.gg.nodes[j] for j in ph["path"]], "loans": ph["loans"],
             "weight": ph["weight"], "contribution": ph["contribution"]} for ph in paths]


def compute_guarantee_risk(
    store: GraphStore,
    *,
    max_cycle: int = 8,
    contract_households: bool = False,
    progress: Progress | None = None,
    top: int = 20,
    include_settled: bool = False,
    cycle_budget: int = guarantee.CYCLE_BUDGET,
    circles: list[dict[str, Any]] | None = None,
) -> GuaranteeResult:
    """Return the full guarantee-risk result of the store without writing anything.

    `circles` (as `guarantee.find_circles` returns them, e.g. from the Spark engine) are
    used instead of finding them here. Circles (riskiest first), chains and contagion use
    guarantees of live loans only unless ``include_settled``; ``systemic`` holds the `top`
    parties by DebtRank with their explaining paths, ``scores`` every party of the
    guarantee graph.
    """
    report(progress, "export projections", 0.0, 1.0)
    x = _inputs(store, include_settled)
    merges = contraction_table(store, households=contract_households)
    grid = dict(zip(x.parties["id"].to_pylist(), x.parties["grid_id"].to_pylist(), strict=True))
    mgr = dict(zip(x.parties["id"].to_pylist(), x.parties["manager_id"].to_pylist(),
                   strict=True))
    gg, gg_all, names, loans = x.gg, x.gg_all, x.names, x.loans
    kinds = ("legal_rep", "shareholder", "household") if contract_households else (
        "legal_rep", "shareholder")
    report(progress, "circles and cycles", 0.25, 1.0)
    if circles is None:
        circles = guarantee.find_circles(gg_all, max_cycle=max_cycle, related=merges,
                                         kinds=kinds, include_settled=include_settled,
                                         cycle_budget=cycle_budget)
    report(progress, "联保 groups and chains", 0.45, 1.0)
    joint = guarantee.joint_guarantee_groups(
        x.gt if include_settled else x.gt.filter(pa.array(gg_all.live_mask())))
    per_chain, chains = guarantee.guarantee_chains(gg)
    report(progress, "default contagion", 0.6, 1.0)
    p, iters = contagion.propagate_default(gg.n, gg.src, gg.dst, x.w, x.p_own)
    bal: dict[str, float] = defaultdict(float)
    for b, v in zip(loans["borrower"].to_pylist(), loans["balance"].to_pylist(), strict=True):
        bal[b] += float(v or 0.0)
    value = np.array([bal.get(v, 0.0) for v in gg.nodes])
    value = value / value.sum() if value.sum() > 0 else value
    report(progress, "DebtRank", 0.75, 1.0)
    k = gg.n if gg.n * len(gg.src) <= DEBTRANK_WORK else max(1, DEBTRANK_WORK // len(gg.src))
    sources = None if k >= gg.n else contagion.debtrank_candidates(gg.n, gg.src, gg.dst, x.w,
                                                                   value, k)
    dr = contagion.debtrank(gg.n, gg.src, gg.dst, x.w, value, sources)
    pmap = {v: float(p[i]) for i, v in enumerate(gg.nodes)}
    circles_of: dict[str, list[str]] = defaultdict(list)
    for c in circles:
        c["risk_score"] = circle_risk(pmap.get(m, 0.0) for m in c["members"])
        c["grids"] = sorted({g for m in c["members"] if (g := grid.get(m))})
        c["managers"] = sorted({m_ for m in c["members"] if (m_ := mgr.get(m))})
        c["member_names"] = [names.get(m) for m in c["members"]]
        c["explanation"] = explain_circle(c, names, pmap)
        for m in c["members"]:
            circles_of[m].append(c["id"])
    circles.sort(key=lambda c: (-c["risk_score"], c["id"]))
    report(progress, "rank and explain", 0.85, 1.0)
    rank = sorted(range(gg.n), key=lambda i: (-dr[i], -p[i], gg.nodes[i]))[:top]
    paths_of = {i: _named_paths(x, i) for i in rank}
    systemic = [{"id": gg.nodes[i], "name": names.get(gg.nodes[i]), "debtrank": float(dr[i]),
                 "propagated_probability": float(p[i]), "paths": paths_of[i]} for i in rank]
    scores: dict[str, dict[str, Any]] = {}
    for i, v in enumerate(gg.nodes):
        scores[v] = {
            "name": names.get(v),
            "base_probability": float(x.p_own[i]),
            "propagated_probability": float(p[i]),
            "debtrank": float(dr[i]),
            "circles": circles_of.get(v, []),
            **per_chain[v],
            "basis": x.basis.get(v, {"loans": [], "records": []}),
            "paths": paths_of.get(i),
        }
    report(progress, "done", 1.0, 1.0)
    live = gg_all.live_mask()
    return GuaranteeResult.model_validate({
        "circles": circles,
        "joint_groups": joint,
        "chains": chains,
        "systemic": systemic,
        "scores": scores,
        "summary": {
            "parties": gg.n,
            "guarantees": len(gg.src),
            "circles": len(circles),
            "contracted_circles": sum(c["contraction"] != "none" for c in circles),
            "joint_groups": len(joint),
            "chains": len(chains),
            "contagion_iterations": iters,
            "max_cycle": max_cycle,
            "include_settled": include_settled,
            "live_guarantees": int(live.sum()),
            "settled_guarantees": int((~live).sum()),
            "circles_balance": float(sum(c["total_balance"] for c in circles)),
            "capped_circles": sum(bool(c["motifs"].get("capped")) for c in circles),
            "debtrank_sources": gg.n if sources is None else len(sources),
        },
    })


def circle_nodes(circles: Sequence[Circle], computed_at: str) -> pa.Table:
    """Return the Circle node table of `circles`: the model's columns (members, loans,
    balances, risk, contraction, explanation), ``computed_at``, and in ``motifs_json`` the
    motifs and the facts beyond the columns (listed cycles, merges, grids, managers and
    `CIRCLE_EXTRAS`) as JSON text; `circle_from_node` reads a row back."""
    motifs = []
    for c in circles:
        d = dump(c)
        motifs.append(json.dumps({**d["motifs"], "cycles_listed": d.get("cycles", []),
                                  "contracted_via": d.get("contracted_via", []),
                                  "grids": d.get("grids", []), "managers": d.get("managers", []),
                                  **{k: d[k] for k in CIRCLE_EXTRAS if k in d}},
                                 ensure_ascii=False))
    return pa.table({
        "id": pa.array([c.id for c in circles], pa.string()),
        "size": pa.array([c.size for c in circles], pa.int64()),
        "members": pa.array([c.members for c in circles], pa.list_(pa.string())),
        "loans": pa.array([c.loans for c in circles], pa.list_(pa.string())),
        "total_balance": pa.array([c.total_balance for c in circles], pa.float64()),
        "guaranteed_amount": pa.array([c.guaranteed_amount for c in circles], pa.float64()),
        "risk_score": pa.array([c.risk_score for c in circles], pa.float64()),
        "contraction": pa.array([c.contraction for c in circles], pa.string()),
        "motifs_json": pa.array(motifs, pa.string()),
        "explanation": pa.array([c.explanation for c in circles], pa.string()),
        "computed_at": pa.array([computed_at] * len(circles), pa.string()),
    })


def write_circles(store: GraphStore, circles: Sequence[Circle]) -> WriteCounts:
    """Replace the store's Circle nodes and IN_CIRCLE edges by `circles` (`circle_nodes`,
    stamped now); return counts."""
    nodes = circle_nodes(circles, now())
    src = [m for c in circles for m in c.members]
    dst = [c.id for c in circles for _ in c.members]
    keys = [edge_key("IN_CIRCLE", s, d) for s, d in zip(src, dst, strict=True)]
    return replace_nodes(store, "Circle", nodes, [Membership("IN_CIRCLE", src, dst, keys)])


def circle_from_node(row: dict[str, Any], names: dict[str, str] | None = None) -> Circle:
    """Return the `Circle` a Circle node holds (its columns and ``motifs_json``), with
    ``member_names`` from `names` when given. Raises pydantic's ValidationError when the
    node does not hold a whole circle (written by an older version: `stored_circle`)."""
    try:
        extra = json.loads(row.get("motifs_json") or "{}")
    except ValueError:
        extra = {}
    if not isinstance(extra, dict):
        extra = {}
    d: dict[str, Any] = {k: row[k] for k in ("id", "size", "members", "loans", "total_balance",
                                            "guaranteed_amount", "risk_score", "contraction",
                                            "explanation") if row.get(k) is not None}
    d["motifs"] = {k: extra[k] for k in _MOTIF_KEYS if k in extra}
    d["cycles"] = extra.get("cycles_listed", [])
    for k in ("contracted_via", "grids", "managers", *CIRCLE_EXTRAS):
        if k in extra:
            d[k] = extra[k]
    if names is not None:
        d["member_names"] = [names.get(m) for m in d.get("members") or []]
    return Circle.model_validate(d)


def stored_circle(row: dict[str, Any]) -> Circle | None:
    """Return the `Circle` a Circle node holds (`circle_from_node`), or None when its stored
    facts do not make one (the node was written by an older version of the analysis)."""
    try:
        return circle_from_node(row)
    except ValidationError:
        return None


CIRCLE_COLUMNS = ("id", "size", "members", "loans", "total_balance", "guaranteed_amount",
                  "risk_score", "contraction", "explanation", "computed_at")
"""The Circle node's columns `circle_node` returns as they are stored."""
CIRCLE_FACTS = ("motifs", "cycles", "contracted_via", "grids", "managers", "top_cycles",
                "hub_guarantors", "sub_circles", "break_plan", "live_balance", "live_loans",
                "history")
"""The circle facts `circle_node` returns typed, as the analysis's `Circle` has them."""
OLDER_CIRCLE = ("this circle was stored by an older version of the analysis: run `guanxi "
                "analyze guarantee` again for its motifs and break plan")
"""The note of a circle whose stored facts do not read (`stored_circle` is None)."""


def circle_node(row: dict[str, Any]) -> dict[str, Any]:
    """Return a stored Circle node (a row of ``api_circle_get``) as the API serves it
    (`api.models.CircleNode`): its columns, and its facts as the analysis's `Circle` has
    them (unset ones left out); only the columns and a ``note`` (`OLDER_CIRCLE`) when the
    node was written by an older version of the analysis."""
    out = {k: row.get(k) for k in CIRCLE_COLUMNS}
    circle = stored_circle(row)
    if circle is None:
        return {**out, "note": OLDER_CIRCLE}
    facts = dump(circle)
    return {**out, **{k: facts[k] for k in CIRCLE_FACTS if k in facts}}


def _circle_guarantees(x: _Inputs, c: Circle, rep: dict[str, str]) -> list[dict[str, Any]]:
    """Return the guarantees of circle `c` as `guarantee.find_circles` lists them: the edges
    of the guarantee graph between two members that are not merged into one party (`rep`:
    the merge representatives of the circle's contraction), in edge order."""
    gg = x.gg
    inside = set(c.members)
    live = gg.live_mask()
    out = []
    for i in range(len(gg.src)):
        a, b = gg.nodes[int(gg.src[i])], gg.nodes[int(gg.dst[i])]
        if a in inside and b in inside and rep.get(a, a) != rep.get(b, b):
            out.append({"guarantor": a, "borrower": b, "loan": gg.loans[i],
                        "amount": float(gg.amount[i]), "live": bool(live[i])})
    return out


def run_guarantee_analysis(
    store: GraphStore,
    *,
    max_cycle: int = 8,
    contract_households: bool = False,
    progress: Progress | None = None,
    include_settled: bool = False,
    cycle_budget: int = guarantee.CYCLE_BUDGET,
    engine: str = "single",
    extract: str | None = None,
) -> GuaranteeResult:
    """Return the guarantee-risk result (see `compute_guarantee_risk`) after writing the
    circles back (`write_circles`), the systemic ranking (Meta ``risk:systemic``) and every
    party's score (Meta ``risk:scores``). With `engine="spark"` the circles are found on
    Spark from the extract folder `extract` (see guanxi.analyses.spark)."""
    circles = None
    if engine == "spark":
        from guanxi.analyses.spark import engine as spark_engine

        report(progress, "Spark: guarantee circles per component", 0.0, 1.0)
        circles = spark_engine.circles(store, extract, max_cycle=max_cycle,
                                       contract_households=contract_households,
                                       include_settled=include_settled,
                                       cycle_budget=cycle_budget)
    res = compute_guarantee_risk(store, max_cycle=max_cycle,
                                 contract_households=contract_households, progress=progress,
                                 include_settled=include_settled, cycle_budget=cycle_budget,
                                 circles=circles)
    res.written = write_circles(store, res.circles)
    params = {"max_cycle": max_cycle, "contract_households": contract_households,
              "include_settled": include_settled, "cycle_budget": cycle_budget,
              "engine": engine}
    ranked = sorted(res.scores.items(), key=lambda kv: (
        -kv[1].debtrank, -kv[1].propagated_probability, kv[0]))
    items = [SystemicRank(rank=i + 1, id=pid, name=s.name, debtrank=s.debtrank,
                          propagated_probability=s.propagated_probability,
                          base_probability=s.base_probability, paths=s.paths)
             for i, (pid, s) in enumerate(ranked[:SYSTEMIC_STORED])]
    summary = dump(res.summary)
    at = now()
    write_stored(store, SYSTEMIC, items, parameters=params, summary=summary, computed_at=at)
    write_stored(store, SCORES,
                 [PartyScore.model_validate({**{k: v for k, v in dump(s).items() if k != "paths"},
                                             "id": pid}) for pid, s in ranked], parameters=params, summary=summary, computed_at=at)
    return res


def systemic_page(store: GraphStore, offset: int, limit: int
                  ) -> tuple[list[SystemicRank], str, int]:
    """Return (rows, note, total) of the stored systemic ranking; an empty page with a "not
    computed yet" note before `guanxi analyze guarantee` ran."""
    return stored_page(store, SYSTEMIC, offset, limit)


def explain_node(store: GraphStore, node_id: str) -> PartyExplanation:
    """Return why `node_id` scores as it does, from the stored analysis: probabilities,
    DebtRank, chain, circles (from the Circle nodes) and what its own probability rests on;
    the paths that carry risk to it are traced on the guarantee graph of the same view
    (live loans or history) without rerunning the analysis.

    Raises ValueError when no guarantee analysis is stored or the id is no party."""
    env = read_stored(store, SCORES)
    if env is None:
        raise ValueError("no stored guarantee analysis: run `guanxi analyze guarantee` first")
    score = next((s for s in env.items if s.id == node_id), None)
    x = _inputs(store, bool(env.parameters.get("include_settled")))
    if score is None:
        if node_id not in x.names:
            raise ValueError(f"no Person or Company with id {node_id}")
        p, basis = base_probabilities([node_id], x.loans, x.records)
        return PartyExplanation(
            id=node_id, in_guarantee_graph=False, base_probability=float(p[0]),
            propagated_probability=float(p[0]), debtrank=0.0, circles=[], paths=[],
            basis=Basis.model_validate(basis.get(node_id, {"loans": [], "records": []})))
    wanted = set(score.circles)
    rows = store.export_nodes("Circle", ["size", "members", "loans", "total_balance",
                                         "guaranteed_amount", "risk_score", "contraction",
                                         "motifs_json", "explanation"]).to_pylist()
    circles = sorted((circle_from_node(r, x.names) for r in rows if r["id"] in wanted),
                     key=lambda c: (-(c.risk_score or 0.0), c.id))
    rep: dict[str, str] = {}
    if any(c.contraction != "none" for c in circles):
        households = bool(env.parameters.get("contract_households"))
        kinds = ("legal_rep", "shareholder", "household") if households else (
            "legal_rep", "shareholder")
        rep, _ = guarantee.contraction_groups(contraction_table(store, households=households),
                                              kinds)
    for c in circles:
        c.guarantees = [CircleGuarantee.model_validate(g) for g in _circle_guarantees(
            x, c, rep if c.contraction != "none" else {})]
    paths = _named_paths(x, x.gg.index[node_id]) if node_id in x.gg.index else []
    out = {k: v for k, v in dump(score).items() if k not in ("circles", "paths")}
    return PartyExplanation.model_validate({
        **out, "in_guarantee_graph": True,
        "circles": [dump(c) for c in circles],
        "paths": [ContagionPath.model_validate(ph) for ph in paths]})
