"""Risk analytics over a store: guarantee circles/chains/contagion and negative exposure.

`run_guarantee_analysis` and `run_exposure_analysis` are the store-facing orchestration the
CLI, the demo and the API call: export projections (analyses/guarantee_projection.py), run the
pure algorithms (algorithms/), and write Circle results back. `register_analyze` adds
`guanxi analyze guarantee` and `guanxi analyze exposure`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import numpy as np
import pyarrow as pa
import typer

from guanxi.algorithms import contagion, exposure, guarantee
from guanxi.analyses import guarantee_projection as proj
from guanxi.analyses.results import write_stored
from guanxi.analyses.results.risk import ALERTS, SYSTEMIC, LoanAlert, SystemicRank
from guanxi.graph.ids import edge_key, is_label
from guanxi.graph.progress import Progress, report
from guanxi.graph.store import GraphStore

#: capacity proxy floors (yuan) when a party has no registered capital / small loans
PERSON_CAPACITY_FLOOR = 300_000.0
COMPANY_CAPACITY_FLOOR = 1_000_000.0
LOAN_CAPACITY_FACTOR = 2.0
CONTRACTION_CN = {"none": "直接", "legal_rep": "法定代表人合并", "shareholder": "控股股东合并",
                  "household": "家庭合并"}


def _tick(progress: Progress | None, step: str, frac: float) -> None:
    report(progress, step, frac, 1.0)


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


def _base_probabilities(
    nodes: list[str], loans: pa.Table, records: pa.Table
) -> tuple[np.ndarray, dict[str, dict[str, Any]]]:
    loan_p: dict[str, float] = defaultdict(float)
    detail: dict[str, dict[str, Any]] = defaultdict(lambda: {"loans": [], "records": []})
    for ln, b, c, od, bal in zip(loans["loan"].to_pylist(), loans["borrower"].to_pylist(),
                                 loans["classification"].to_pylist(),
                                 loans["overdue_days"].to_pylist(),
                                 loans["balance"].to_pylist(), strict=True):
        q = contagion.loan_probability(c, od)
        loan_p[b] = max(loan_p[b], q)
        detail[b]["loans"].append({"loan": ln, "classification": c, "overdue_days": od,
                                   "balance": bal, "p": q})
    kinds: dict[str, list[str]] = defaultdict(list)
    for s, r, k, d in zip(records["subject"].to_pylist(), records["record"].to_pylist(),
                          records["kind"].to_pylist(), records["date"].to_pylist(), strict=True):
        kinds[s].append(k)
        detail[s]["records"].append({"record": r, "kind": k, "date": d})
    p = np.empty(len(nodes))
    for i, v in enumerate(nodes):
        pl = loan_p.get(v, contagion.UNKNOWN_PD)
        p[i] = contagion.combine(pl, contagion.negative_probability(kinds.get(v, [])))
    return p, detail


def _capacity(nodes: list[str], parties: pa.Table, loans: pa.Table) -> np.ndarray:
    cap_reg = dict(zip(parties["id"].to_pylist(), parties["registered_capital"].to_pylist(),
                       strict=True))
    borrowed: dict[str, float] = defaultdict(float)
    for b, amt in zip(loans["borrower"].to_pylist(), loans["amount"].to_pylist(), strict=True):
        borrowed[b] += float(amt or 0.0)
    out = np.empty(len(nodes))
    for i, v in enumerate(nodes):
        floor = COMPANY_CAPACITY_FLOOR if is_label(v, "Company") else PERSON_CAPACITY_FLOOR
        out[i] = max(floor, float(cap_reg.get(v) or 0.0), LOAN_CAPACITY_FACTOR * borrowed[v])
    return out


def _explain_circle(c: dict[str, Any], names: dict[str, str], p: dict[str, float]) -> str:
    top = max(c["members"], key=lambda m: p.get(m, 0.0))
    mot = c["motifs"]
    kind = CONTRACTION_CN.get(c["contraction"], c["contraction"])
    via = ""
    if c["contracted_via"]:
        via = "；合并：" + "、".join(
            f"{names.get(a, a)}~{names.get(b, b)}({k})" for a, b, k in c["contracted_via"]
        )
    return (
        f"担保圈（{kind}）：{c['size']} 个主体相互担保 {len(c['loans'])} 笔贷款，"
        f"余额 {c['total_balance'] / 1e4:.1f} 万元，担保金额 {c['guaranteed_amount'] / 1e4:.1f} 万元；"
        f"互保 {mot['mutual_pairs']} 对，三角 {mot['triangles']} 个，"
        f"环 {mot['cycles']}{'+' if mot.get('capped') else ''} 个{via}。"
        f"风险最高成员 {names.get(top, top)}"
        f"（传导后违约概率 {p.get(top, 0.0):.0%}），圈风险 {c['risk_score']:.0%}。"
        f"{c['break_plan']['advice'] if c.get('break_plan') else ''}"
        f" / Circle ({c['contraction']}) of {c['size']} parties over {len(c['loans'])} loans, "
        f"balance {c['total_balance']:,.0f} yuan; {mot['mutual_pairs']} mutual pairs, "
        f"{mot['triangles']} triangles, {mot['cycles']} cycles; riskiest member "
        f"{names.get(top, top)} (p={p.get(top, 0.0):.2f}); circle risk {c['risk_score']:.2f}."
    )


#: DebtRank source × guarantee work above which only the likeliest sources are computed
DEBTRANK_WORK = 20_000_000


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
) -> dict[str, Any]:
    """Return the full guarantee-risk result of the store without writing anything.

    `circles` (as `guarantee.find_circles` returns them, e.g. from the Spark engine) are
    used instead of finding them here.

    Keys: ``circles``, ``joint_groups``, ``chains``, ``systemic`` (top nodes by DebtRank,
    with explaining paths), ``scores`` (per party: base/propagated probability, DebtRank,
    chain facts, circles) and ``summary``. Circles, chains and contagion use guarantees of
    live loans only unless ``include_settled``.
    """
    _tick(progress, "export projections", 0.0)
    gt = proj.guarantee_table(store)
    loans = proj.loan_table(store)
    parties = proj.party_table(store)
    records = proj.negative_record_table(store)
    merges = contraction_table(store, households=contract_households)
    names = dict(zip(parties["id"].to_pylist(), parties["name"].to_pylist(), strict=True))
    grid = dict(zip(parties["id"].to_pylist(), parties["grid_id"].to_pylist(), strict=True))
    mgr = dict(zip(parties["id"].to_pylist(), parties["manager_id"].to_pylist(), strict=True))
    _tick(progress, "guarantee graph", 0.15)
    gg_all = guarantee.build_guarantee_graph(gt, as_of=store.get_meta("last_extract_as_of"))
    gg = gg_all if include_settled else gg_all.subset(gg_all.live_mask())
    kinds = ("legal_rep", "shareholder", "household") if contract_households else (
        "legal_rep", "shareholder")
    _tick(progress, "circles and cycles", 0.25)
    if circles is None:
        circles = guarantee.find_circles(gg_all, max_cycle=max_cycle, related=merges,
                                         kinds=kinds, include_settled=include_settled,
                                         cycle_budget=cycle_budget)
    _tick(progress, "联保 groups and chains", 0.45)
    joint = guarantee.joint_guarantee_groups(
        gt if include_settled else gt.filter(pa.array(gg_all.live_mask())))
    per_chain, chains = guarantee.guarantee_chains(gg)
    _tick(progress, "default contagion", 0.6)
    p_own, detail = _base_probabilities(gg.nodes, loans, records)
    cap = _capacity(gg.nodes, parties, loans)
    w = contagion.guarantee_weights(gg.amount, cap[gg.src])
    p, iters = contagion.propagate_default(gg.n, gg.src, gg.dst, w, p_own)
    bal: dict[str, float] = defaultdict(float)
    for b, x in zip(loans["borrower"].to_pylist(), loans["balance"].to_pylist(), strict=True):
        bal[b] += float(x or 0.0)
    value = np.array([bal.get(v, 0.0) for v in gg.nodes])
    value = value / value.sum() if value.sum() > 0 else value
    _tick(progress, "DebtRank", 0.75)
    k = gg.n if gg.n * len(gg.src) <= DEBTRANK_WORK else max(1, DEBTRANK_WORK // len(gg.src))
    sources = None if k >= gg.n else contagion.debtrank_candidates(gg.n, gg.src, gg.dst, w,
                                                                   value, k)
    dr = contagion.debtrank(gg.n, gg.src, gg.dst, w, value, sources)
    pmap = {v: float(p[i]) for i, v in enumerate(gg.nodes)}
    circles_of: dict[str, list[str]] = defaultdict(list)
    for c in circles:
        ps = [pmap.get(m, 0.0) for m in c["members"]]
        c["risk_score"] = float(contagion.combine(*ps))
        c["grids"] = sorted({g for m in c["members"] if (g := grid.get(m))})
        c["managers"] = sorted({x for m in c["members"] if (x := mgr.get(m))})
        c["member_names"] = [names.get(m) for m in c["members"]]
        c["explanation"] = _explain_circle(c, names, pmap)
        for m in c["members"]:
            circles_of[m].append(c["id"])
    circles.sort(key=lambda c: (-c["risk_score"], c["id"]))
    _tick(progress, "rank and explain", 0.85)
    scores: dict[str, dict[str, Any]] = {}
    for i, v in enumerate(gg.nodes):
        scores[v] = {
            "name": names.get(v),
            "base_probability": float(p_own[i]),
            "propagated_probability": float(p[i]),
            "debtrank": float(dr[i]),
            "circles": circles_of.get(v, []),
            **per_chain[v],
            "basis": detail.get(v, {"loans": [], "records": []}),
        }
    rank = sorted(range(gg.n), key=lambda i: (-dr[i], -p[i], gg.nodes[i]))[:top]
    systemic = []
    for i in rank:
        v = gg.nodes[i]
        systemic.append({"id": v, "name": names.get(v), "debtrank": float(dr[i]),
                         "propagated_probability": float(p[i]),
                         "paths": _named_paths(gg, i, w, p_own)})
    for i, v in enumerate(gg.nodes):
        scores[v]["paths"] = None if i not in rank else systemic[rank.index(i)]["paths"]
    _tick(progress, "done", 1.0)
    return {
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
            "live_guarantees": int(gg_all.live_mask().sum()),
            "settled_guarantees": int((~gg_all.live_mask()).sum()),
            "circles_balance": float(sum(c["total_balance"] for c in circles)),
            "capped_circles": sum(bool(c["motifs"].get("capped")) for c in circles),
            "debtrank_sources": gg.n if sources is None else len(sources),
        },
        "_graph": (gg, w, p_own),
    }


def _named_paths(
    gg: guarantee.GuaranteeGraph, i: int, w: np.ndarray, p_own: np.ndarray
) -> list[dict[str, Any]]:
    paths = contagion.explain_paths(i, gg.src, gg.dst, w, p_own, loans=gg.loans)
    return [{"path": [gg.nodes[x] for x in ph["path"]], "loans": ph["loans"],
             "weight": ph["weight"], "contribution": ph["contribution"]} for ph in paths]


#: circle facts kept in the Circle's motifs_json beside the motifs (#18)
CIRCLE_EXTRAS = ("break_plan", "live_balance", "live_loans", "history", "hub_guarantors",
                 "sub_circles", "top_cycles")


def write_circles(store: GraphStore, circles: list[dict[str, Any]]) -> dict[str, int]:
    """Replace the store's Circle nodes and IN_CIRCLE edges by `circles`; return counts."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    old = set(store.export_nodes("Circle", [])["id"].to_pylist())
    new_ids = [c["id"] for c in circles]
    stale = sorted(old - set(new_ids))
    deleted = store.delete_nodes("Circle", stale) if stale else 0
    if circles:
        motifs = [json.dumps({**c["motifs"], "cycles_listed": c["cycles"],
                              "contracted_via": c["contracted_via"], "grids": c["grids"],
                              "managers": c["managers"],
                              **{k: c[k] for k in CIRCLE_EXTRAS if k in c}},
                             ensure_ascii=False) for c in circles]
        store.upsert_nodes("Circle", pa.table({
            "id": new_ids,
            "size": pa.array([c["size"] for c in circles], pa.int64()),
            "members": [c["members"] for c in circles],
            "loans": [c["loans"] for c in circles],
            "total_balance": [c["total_balance"] for c in circles],
            "guaranteed_amount": [c["guaranteed_amount"] for c in circles],
            "risk_score": [c["risk_score"] for c in circles],
            "contraction": [c["contraction"] for c in circles],
            "motifs_json": motifs,
            "explanation": [c["explanation"] for c in circles],
            "computed_at": [now] * len(circles),
        }))
        for label in ("Person", "Company"):
            src = [m for c in circles for m in c["members"] if is_label(m, label)]
            dst = [c["id"] for c in circles for m in c["members"] if is_label(m, label)]
            if src:
                store.upsert_edges("IN_CIRCLE", label, "Circle", pa.table({
                    "src": src, "dst": dst,
                    "key": pa.array([edge_key("IN_CIRCLE", s, d) for s, d in
                                     zip(src, dst, strict=True)], pa.int64()),
                }))
    return {"written": len(circles), "deleted": deleted}


SYSTEMIC_STORED = 500


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
) -> dict[str, Any]:
    """Return the guarantee-risk result (see `compute_guarantee_risk`) after writing the
    circles back as Circle nodes + IN_CIRCLE edges (stale circles deleted) and the systemic
    ranking as Meta `risk:systemic`. With `engine="spark"` the circles are found on Spark
    from the extract folder `extract` (see guanxi.analyses.spark)."""
    circles = None
    if engine == "spark":
        from guanxi.analyses.spark import engine as spark_engine

        _tick(progress, "Spark: guarantee circles per component", 0.0)
        circles = spark_engine.circles(store, extract, max_cycle=max_cycle,
                                       contract_households=contract_households,
                                       include_settled=include_settled,
                                       cycle_budget=cycle_budget)
    res = compute_guarantee_risk(store, max_cycle=max_cycle,
                                 contract_households=contract_households, progress=progress,
                                 include_settled=include_settled, cycle_budget=cycle_budget,
                                 circles=circles)
    res["written"] = write_circles(store, res["circles"])
    res.pop("_graph", None)
    ranked = sorted(res["scores"].items(), key=lambda kv: (
        -kv[1]["debtrank"], -kv[1]["propagated_probability"], kv[0]))[:SYSTEMIC_STORED]
    items = [{"rank": i + 1, "id": pid, "name": s["name"], "debtrank": s["debtrank"],
              "propagated_probability": s["propagated_probability"],
              "base_probability": s["base_probability"], "paths": s.get("paths")}
             for i, (pid, s) in enumerate(ranked)]
    write_stored(store, SYSTEMIC, [SystemicRank.model_validate(x) for x in items],
                 parameters={"max_cycle": max_cycle, "contract_households": contract_households,
                             "include_settled": include_settled, "cycle_budget": cycle_budget,
                             "engine": engine})
    return res


def run_exposure_analysis(
    store: GraphStore, *, hops: int = 3, progress: Progress | None = None
) -> dict[str, Any]:
    """Return negative-event exposure within `hops` (≤ 4) for every customer, and alerts.

    Keys: ``exposed`` (party id → hits with shortest explaining path and tie types),
    ``alerts`` (live loans whose borrower/guarantor or a related party has a negative record
    dated after the loan start; also stored as Meta `risk:alerts` for the API) and ``summary``.
    """
    if not 1 <= hops <= 4:
        raise ValueError("--hops must be between 1 and 4")
    _tick(progress, "export ties", 0.0)
    ties = proj.tie_table(store)
    records = proj.negative_record_table(store)
    parties = proj.party_table(store)
    loans = proj.loan_table(store)
    gt = proj.guarantee_table(store)
    related = proj.related_party_table(store, households=True)
    _tick(progress, "tie graph", 0.3)
    tg = exposure.build_tie_graph(ties, extra_nodes=parties["id"].to_pylist())
    _tick(progress, "breadth-first search", 0.5)
    hits = exposure.negative_exposure(tg, records, hops=hops)
    customers = {i for i, c in zip(parties["id"].to_pylist(), parties["is_customer"].to_pylist(),
                                   strict=True) if c is not False}
    exposed = {v: h for v, h in hits.items() if v in customers}
    _tick(progress, "alerts", 0.8)
    alerts = exposure.loan_alerts(loans, gt, related, records)
    write_stored(store, ALERTS, [LoanAlert.model_validate(a) for a in alerts],
                 parameters={"hops": hops})
    _tick(progress, "done", 1.0)
    return {
        "exposed": exposed,
        "alerts": alerts,
        "summary": {
            "hops": hops,
            "records": records.num_rows,
            "exposed_customers": len(exposed),
            "alerts": len(alerts),
            "alerted_loans": len({a["loan"] for a in alerts}),
        },
    }


def explain_node(store: GraphStore, node_id: str) -> dict[str, Any]:
    """Return why `node_id` scores as it does: probabilities, DebtRank, circles, paths."""
    res = compute_guarantee_risk(store)
    gg, w, p_own = res["_graph"]
    if node_id not in gg.index:
        if node_id not in set(proj.party_table(store)["id"].to_pylist()):
            raise ValueError(f"no Person or Company with id {node_id}")
        loans = proj.loan_table(store)
        recs = proj.negative_record_table(store)
        p, detail = _base_probabilities([node_id], loans, recs)
        return {"id": node_id, "in_guarantee_graph": False, "base_probability": float(p[0]),
                "propagated_probability": float(p[0]), "debtrank": 0.0, "circles": [],
                "paths": [], "basis": detail.get(node_id, {"loans": [], "records": []})}
    s = dict(res["scores"][node_id])
    s["paths"] = _named_paths(gg, gg.index[node_id], w, p_own)
    s["circles"] = [c for c in res["circles"] if node_id in c["members"]]
    return {"id": node_id, "in_guarantee_graph": True, **s}


def _with_progress(fn: Callable[[Progress], dict[str, Any]], quiet: bool) -> dict[str, Any]:
    if quiet:
        return fn(lambda *_a: None)
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    with RichProgress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      transient=True) as bar:
        task = bar.add_task("start", total=100)

        def cb(step: str, done: float = 0, total: float | None = None) -> None:
            bar.update(task, description=step, completed=int(done / (total or 1.0) * 100))

        return fn(cb)


def register_analyze(analyze_app: typer.Typer) -> None:
    """Add `guarantee` and `exposure` to `guanxi analyze`."""

    @analyze_app.command("guarantee")
    def guarantee_cmd(
        max_cycle: Annotated[int, typer.Option("--max-cycle", min=2, max=12,
                                               help="Longest cycle to enumerate.")] = 8,
        households: Annotated[bool, typer.Option("--households",
                                                 help="Also merge household members.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        include_settled: Annotated[bool, typer.Option(
            "--include-settled", help="Also count guarantees of settled or written-off loans "
            "(history); by default only live loans.")] = False,
        cycle_budget: Annotated[int, typer.Option(
            "--cycle-budget", min=1, help="Cycle-search steps per circle; past it the "
            "counts are lower bounds (capped).")] = guarantee.CYCLE_BUDGET,
        engine: Annotated[Literal["single", "spark"], typer.Option(
            help="single (one process) or spark (circles on Spark; GUANXI_SPARK_MASTER)."
        )] = "single",
        extract: Annotated[str | None, typer.Option(
            help="Extract folder Spark reads (default GUANXI_SPARK_EXTRACT).")] = None,
    ) -> None:
        """Find guarantee circles, 联保 groups and chains; score default contagion."""
        from guanxi.cli.context import store_session

        with store_session(command="analyze guarantee", need_data=True) as st:
            res = _with_progress(
                lambda cb: run_guarantee_analysis(st, max_cycle=max_cycle,
                                                  contract_households=households, progress=cb,
                                                  include_settled=include_settled,
                                                  cycle_budget=cycle_budget,
                                                  engine=engine, extract=extract),
                as_json,
            )
        if as_json:
            res.pop("scores", None)
            typer.echo(json.dumps(res, ensure_ascii=False, indent=1, default=str))
            return
        _print_guarantee(res)

    @analyze_app.command("exposure")
    def exposure_cmd(
        hops: Annotated[int, typer.Option("--hops", min=1, max=4, help="Hops (≤ 4).")] = 3,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List negative records near each customer and alerts on live loans."""
        from guanxi.cli.context import store_session

        with store_session(command="analyze exposure", need_data=True) as st:  # stores risk:alerts
            res = _with_progress(lambda cb: run_exposure_analysis(st, hops=hops, progress=cb),
                                 as_json)
        if as_json:
            typer.echo(json.dumps(res, ensure_ascii=False, indent=1, default=str))
            return
        _print_exposure(res)


def _print_guarantee(res: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    s = res["summary"]
    con.print(f"{s['parties']} parties, {s['guarantees']} guarantees: {s['circles']} circles "
              f"({s['contracted_circles']} via contraction), {s['joint_groups']} 联保 groups, "
              f"{s['chains']} chains; contagion converged in {s['contagion_iterations']} "
              f"iterations; circles written: {res['written']}")
    con.print(f"{'history (settled loans included)' if s.get('include_settled') else 'live loans'}"
              f": circles' balance {s.get('circles_balance', 0.0):,.0f}; "
              f"{s.get('settled_guarantees', 0)} guarantees of settled loans "
              f"{'counted' if s.get('include_settled') else 'left out'}")
    t = Table("circle", "size", "contraction", "loans", "balance", "risk", "break plan",
              "grids")
    for c in res["circles"][:30]:
        bp = c.get("break_plan") or {}
        plan = (f"{len(bp.get('guarantees', []))} ({bp.get('amount', 0.0):,.0f}"
                f"{'' if bp.get('exact') else ' ≈'})") if bp else ""
        t.add_row(c["id"], str(c["size"]), c["contraction"], str(len(c["loans"])),
                  f"{c['total_balance']:,.0f}", f"{c['risk_score']:.2f}", plan,
                  ",".join(c["grids"]))
    con.print(t)
    t2 = Table("systemic node", "name", "DebtRank", "p")
    for n in res["systemic"][:10]:
        t2.add_row(n["id"], str(n["name"]), f"{n['debtrank']:.4f}",
                   f"{n['propagated_probability']:.2f}")
    con.print(t2)


def _print_exposure(res: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    s = res["summary"]
    con.print(f"{s['records']} negative records; {s['exposed_customers']} customers within "
              f"{s['hops']} hops; {s['alerts']} alerts on {s['alerted_loans']} live loans")
    t = Table("loan", "party", "role", "record", "kind", "date", "start")
    for a in res["alerts"][:40]:
        t.add_row(a["loan"], a["party"], a["role"], a["record"], a["kind"], a["date"],
                  str(a["start_date"]))
    con.print(t)
