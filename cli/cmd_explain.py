"""`guanxi explain NODE_ID`: why a party scores as it does in the stored guarantee-risk analysis."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer


def _print(res: dict[str, Any]) -> None:
    from rich.console import Console

    con = Console()
    con.print(f"[bold]{res['id']}[/bold] {res.get('name') or ''}")
    if not res["in_guarantee_graph"]:
        con.print("not part of any guarantee; its probability is its own only")
    con.print(f"base default probability       {res['base_probability']:.3f}")
    con.print(f"propagated default probability {res['propagated_probability']:.3f}")
    con.print(f"DebtRank                       {res['debtrank']:.4f}")
    if "chain_length" in res:
        con.print(f"longest guarantee chain        {res['chain_length']} "
                  f"({' → '.join(res['chain'])}); downstream balance "
                  f"{res['downstream_balance']:,.0f}")
    basis = res.get("basis") or {}
    for ln in basis.get("loans", []):
        con.print(f"  loan {ln['loan']}: {ln['classification']}, overdue {ln['overdue_days']} "
                  f"days → p {ln['p']:.2f}")
    for r in basis.get("records", []):
        con.print(f"  record {r['record']}: {r['kind']} on {r['date']}")
    for c in res.get("circles", []):
        con.print(f"circle {c['id']}: {c['explanation']}")
    for p in res.get("paths", []):
        con.print(f"  path {' → '.join(p['path'])} via {', '.join(p['loans'])}: "
                  f"contribution {p['contribution']:.4f}")


def register(app: typer.Typer) -> None:
    """Add `guanxi explain`."""

    @app.command("explain")
    def explain(
        node_id: Annotated[str, typer.Argument(help="Person or Company id (P:… / C:…).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Show a party's base and propagated default probability, DebtRank, circles, paths."""
        from guanxi.analyses.guarantee import explain_node
        from guanxi.analyses.results import dump
        from guanxi.cli.context import store_session

        with store_session(read_only=True, command="explain", need_data=True) as st:
            res = dump(explain_node(st, node_id))
        if as_json:
            typer.echo(json.dumps(res, ensure_ascii=False, indent=1, default=str))
        else:
            _print(res)
