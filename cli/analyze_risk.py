"""`guanxi analyze guarantee` and `guanxi analyze exposure`: parse options, run the analyses
(`guanxi.analyses.guarantee`, `guanxi.analyses.exposure`), print a table or the JSON of the
typed result."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

import typer

from guanxi.algorithms.guarantee import CYCLE_BUDGET
from guanxi.analyses.exposure import run_exposure_analysis
from guanxi.analyses.guarantee import run_guarantee_analysis
from guanxi.analyses.results import dump
from guanxi.graph.progress import Progress


def _with_progress(fn: Callable[[Progress], Any], quiet: bool) -> Any:
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
            "counts are lower bounds (capped).")] = CYCLE_BUDGET,
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
        out = dump(res)
        out.pop("scores", None)
        if as_json:
            typer.echo(json.dumps(out, ensure_ascii=False, indent=1, default=str))
            return
        _print_guarantee(out)

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
        out = dump(res)
        if as_json:
            typer.echo(json.dumps(out, ensure_ascii=False, indent=1, default=str))
            return
        _print_exposure(out)


def _print_guarantee(res: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    s = res["summary"]
    con.print(f"{s['parties']} parties, {s['guarantees']} guarantees: {s['circles']} circles "
              f"({s['contracted_circles']} via contraction), {s['joint_groups']} 联保 groups, "
              f"{s['chains']} chains; contagion converged in {s['contagion_iterations']} "
              f"iterations; circles written: {res['written']['written']} "
              f"({res['written']['deleted']} stale deleted)")
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
