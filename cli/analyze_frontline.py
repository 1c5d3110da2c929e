"""`guanxi analyze rings | tier-drops | village-credit`: parse options, run, print.

`--json` prints the typed result (`analyses.results.frontline`) with its list under `items`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from guanxi.analyses.results import dump


def _echo_json(model: object) -> None:
    import json

    typer.echo(json.dumps(dump(model), ensure_ascii=False, indent=1, default=str))


def register_analyze(analyze_app: typer.Typer) -> None:
    """Add `rings`, `tier-drops` and `village-credit` to `guanxi analyze`."""

    @analyze_app.command("rings")
    def rings_cmd(
        max_degree: Annotated[int, typer.Option("--max-degree", min=2,
                                                help="Attributes held by more parties are common, ignored.")] = 50,
        min_link: Annotated[float, typer.Option("--min-link", min=0.0,
                                                help="Rarity-weighted sharing that links two parties.")] = 0.66,
        min_units: Annotated[int, typer.Option("--min-units", min=2, help="Unrelated units a ring needs.")] = 3,
        recent_days: Annotated[int, typer.Option("--recent-days", min=1, help="Loan recency window.")] = 365,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON (rings under items).")] = False,
    ) -> None:
        """Find fraud rings: unrelated applicants sharing phone, address, employer, collecting account."""
        from guanxi.algorithms.rings import RingRules
        from guanxi.analyses.rings import run_rings
        from guanxi.cli.context import store_session

        rules = RingRules(max_degree=max_degree, min_link=min_link, min_units=min_units,
                          recent_days=recent_days)
        with store_session(command="analyze rings", need_data=True) as st:
            res = run_rings(st, rules)
        if as_json:
            _echo_json(res)
            return
        from rich.console import Console
        from rich.table import Table

        con = Console()
        con.print(f"as of {res.as_of}: {res.candidates} candidate components, {res.flagged} rings flagged")
        t = Table("ring", "members", "units", "recent borrowers", "shares", "score")
        for r in res.items[:40]:
            t.add_row(r.id, str(len(r.members)), str(r.units), str(r.recent_borrowers),
                      "; ".join(f"{e.hint} ×{len(e.holders)}/{e.degree}" for e in r.evidence), f"{r.score:.3f}")
        con.print(t)

    @analyze_app.command("tier-drops")
    def tier_drops_cmd(
        drop_on: Annotated[str | None, typer.Option("--drop-on", help="Drop date (default: the newest).")] = None,
        window_days: Annotated[int, typer.Option("--window-days", min=1,
                                                 help="Days before the drop that count as 'dropped too' "
                                                      "and for transfers to other banks.")] = 31,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON (drops under items).")] = False,
    ) -> None:
        """List tier drops per grid and manager, with household/referrer/counterparty context."""
        from guanxi.analyses.tier_drops import run_tier_drops
        from guanxi.cli.context import store_session

        with store_session(command="analyze tier-drops", need_data=True) as st:
            res = run_tier_drops(st, drop_on, window_days=window_days)
        if as_json:
            _echo_json(res)
            return
        from rich.console import Console
        from rich.table import Table

        con = Console()
        if res.drop_on is None:
            con.print("no tier drops recorded (load a later extract with changed tiers)")
            return
        con.print(f"{len(res.items)} tier drops on {res.drop_on} in {res.grids} grids")
        t = Table("grid", "manager", "customer", "tier", "context")
        for d in res.items[:60]:
            t.add_row(d.grid_name or d.grid_id or "", d.manager_name or "", d.id,
                      f"{d.tier_prev}→{d.tier}", "; ".join(d.signals) or "—")
        con.print(t)

    @analyze_app.command("village-credit")
    def village_credit_cmd(
        grid: Annotated[list[str] | None, typer.Option("--grid", help="Grid id (G:…); repeat; default every village.")] = None,
        hops: Annotated[int, typer.Option("--hops", min=1, max=3, help="Ties to a negative record that ask for review.")] = 2,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON (households under items).")] = False,
    ) -> None:
        """整村授信: every household of a village with grant / review / exclude and the reasons."""
        from guanxi.algorithms.village_credit import CreditRules
        from guanxi.analyses.village_credit import run_village_credit
        from guanxi.cli.context import store_session

        with store_session(command="analyze village-credit", need_data=True) as st:
            res = run_village_credit(st, grid or None, CreditRules(negative_hops=hops))
        if as_json:
            _echo_json(res)
            return
        from rich.console import Console
        from rich.table import Table

        con = Console()
        con.print(f"as of {res.as_of}: {len(res.grids)} grids, " +
                  ", ".join(f"{k} {v}" for k, v in res.counts.items()))
        t = Table("household", "village", "decision", "line", "reasons")
        for h in res.items[:60]:
            t.add_row(h.household_id, h.village or "", h.decision, f"{h.line:,.0f}",
                      "; ".join(r.text for r in h.reasons) or "—")
        con.print(t)
