"""`guanxi analyze communities | referrals | supply-chain`: parse the options, run the
marketing analyses of `guanxi.analyses` (communities, referrals + prospects, supply_chain)
and print their typed results (`--json`: the result as JSON; otherwise tables).

What is computed and stored where is in those modules and docs/marketing.md.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from guanxi.analyses.communities import Engine, run_communities
from guanxi.analyses.referrals import run_referrals
from guanxi.analyses.results import dump
from guanxi.analyses.supply_chain import run_supply_chain


def _progress(con: Console, quiet: bool) -> Any:
    if quiet:
        return None

    def say(step: str, done: float = 0, total: float | None = None) -> None:
        con.log(step)

    return say


# -- CLI ---------------------------------------------------------------------------------------


def _emit_json(obj: Any) -> None:
    typer.echo(json.dumps(dump(obj), ensure_ascii=False, default=str))


def register_analyze(analyze_app: typer.Typer) -> None:
    """Add `communities`, `referrals` and `supply-chain` to `guanxi analyze`."""
    from guanxi.cli.context import store_session

    con = Console(stderr=True)

    @analyze_app.command("communities")
    def communities_cmd(
        resolution: Annotated[float, typer.Option(help="Leiden resolution (higher: smaller).")]
        = 1.0,
        merge_households: Annotated[bool, typer.Option(help="Treat a household as one node.")]
        = False,
        top: Annotated[int, typer.Option(help="Communities to show.")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        engine: Annotated[Engine, typer.Option(help="single (one process) or spark "
                                               "(GUANXI_SPARK_MASTER; needs guanxi[spark]).")]
        = "single",
        extract: Annotated[str | None, typer.Option(
            help="Extract folder Spark reads (default GUANXI_SPARK_EXTRACT).")] = None,
    ) -> None:
        """Find fund-flow communities (Leiden) and store them with their profiles."""
        with store_session(command="analyze communities", need_data=True) as st:
            out = run_communities(st, resolution=resolution, merge_households=merge_households,
                                  progress=_progress(con, as_json), engine=engine,
                                  extract=extract)
        if as_json:
            _emit_json(out)
            return
        c = Console()
        c.print(f"{out.communities} communities, {out.members:,} members, "
                f"modularity {out.modularity}")
        t = Table("community", "size", "customers", "tiers", "internal flow", "grids",
                  "key members")
        for p in out.profiles[:top]:
            t.add_row(p.id, str(p.size), f"{p.customers}/{p.size}",
                      " ".join(f"{k}{v}" for k, v in p.tiers.items()),
                      f"¥{p.internal_flow:,.0f} ({p.internal_share:.0%})",
                      " ".join(g for g, _ in p.grids),
                      ", ".join((k.name or k.id) for k in p.key_members[:3]))
        c.print(t)

    @analyze_app.command("referrals")
    def referrals_cmd(
        top: Annotated[int, typer.Option(help="Rows per list.")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Analyse MGM referral trees (K-factor, influencers) and rank prospects."""
        with store_session(command="analyze referrals", need_data=True) as st:
            out = run_referrals(st, progress=_progress(con, as_json))
        if as_json:
            _emit_json(out)
            return
        c = Console()
        c.print(f"{len(out.trees)} referral trees from {out.n_referrals} referrals")
        t = Table("influencer", "name", "invites", "converted", "K", "downline converted")
        for s in out.influencers[:top]:
            t.add_row(s.referrer, s.name or "", str(s.invites), str(s.converted),
                      f"{s.k_factor:.2f}", str(s.descendants_converted))
        c.print(t)
        t = Table("campaign", "referrers", "invites", "conversion", "K-factor")
        for g in out.campaigns:
            t.add_row(g.group, str(g.referrers), str(g.invites),
                      f"{g.conversion_rate:.0%}", f"{g.k_factor:.2f}")
        c.print(t)
        t = Table("prospect", "manager", "reason")
        for p in out.prospects[:top]:
            t.add_row(p.name or p.prospect, p.manager, p.reason)
        c.print(t)

    @analyze_app.command("supply-chain")
    def supply_chain_cmd(
        min_counterparties: Annotated[int, typer.Option(help="Counterparties of a core.")] = 4,
        window_days: Annotated[int, typer.Option(help="Loan tracing window (days).")] = 30,
        top: Annotated[int, typer.Option(help="Chains to show.")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        engine: Annotated[Engine, typer.Option(help="single (one process) or spark "
                                               "(GUANXI_SPARK_MASTER; needs guanxi[spark]).")]
        = "single",
        extract: Annotated[str | None, typer.Option(
            help="Extract folder Spark reads (default GUANXI_SPARK_EXTRACT).")] = None,
    ) -> None:
        """Infer 1+N supply chains, their funding risk and loan round trips (资金回流)."""
        with store_session(command="analyze supply-chain", need_data=True) as st:
            out = run_supply_chain(st, min_counterparties=min_counterparties,
                                   window_days=window_days,
                                   progress=_progress(con, as_json), engine=engine,
                                   extract=extract)
        if as_json:
            _emit_json(out)
            return
        c = Console()
        c.print(f"{out.supplies} supplier→buyer relations, {len(out.chains)} chains, "
                f"{sum(t.kind == 'round_trip' for t in out.round_trips)} loan round "
                f"trips, {len(out.cycles)} other cycles")
        t = Table("core", "up", "down", "concentrated", "to other banks", "round trips",
                  "risk")
        for ch in out.chains[:top]:
            t.add_row(f"{ch.core_name or ''} {ch.core}", str(len(ch.upstream)),
                      str(len(ch.downstream)), str(len(ch.risk.concentration)),
                      f"{ch.risk.leakage_share:.0%}", str(len(ch.round_trips)),
                      f"{ch.risk_score:.2f}")
        c.print(t)


__all__ = ["register_analyze"]
