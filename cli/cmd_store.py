"""`guanxi store …`: what the store is and what it holds."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from guanxi.cli.context import settings, store_session

store_app = typer.Typer(help="Inspect the graph store.", no_args_is_help=True)


@store_app.command("info")
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the backend, its location and node/edge counts."""
    s = settings()
    ro = s.backend == "embedded" and (s.store / "graph.kz").exists()
    with store_session(read_only=ro) as st:
        counts = st.counts()
        out = {"backend": st.backend, "location": st.location, "counts": counts}
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    con = Console()
    con.print(f"[bold]backend[/] {out['backend']}   [bold]location[/] {out['location']}")
    t = Table("label / type", "count")
    for k, v in counts.items():
        t.add_row(k, f"{v:,}")
    con.print(t)


def register(app: typer.Typer) -> None:
    """Add `store` to the CLI."""
    app.add_typer(store_app, name="store")
