"""`guanxi analyze …`: one group; `ANALYSES` lists the `cli/analyze_<area>.py` modules.

Each such module defines `register_analyze(analyze_app: typer.Typer) -> None`.
"""

from __future__ import annotations

import typer

from guanxi.cli import analyze_frontline, analyze_marketing, analyze_risk

ANALYSES = (analyze_marketing, analyze_risk, analyze_frontline)
"""The modules adding `guanxi analyze` commands, in the order `--help` lists them."""

analyze_app = typer.Typer(help="Run an analysis over the graph and store its results.",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `analyze` and the commands of every module in `ANALYSES` to the CLI."""
    for mod in ANALYSES:
        mod.register_analyze(analyze_app)
    app.add_typer(analyze_app, name="analyze")
