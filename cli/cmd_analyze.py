"""`guanxi analyze …`: one group; areas add commands from `cli/analyze_<area>.py` modules.

Each such module defines `register_analyze(analyze_app: typer.Typer) -> None`.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

analyze_app = typer.Typer(help="Run an analysis over the graph and store its results.",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `analyze` and every `analyze_<area>` module's commands to the CLI."""
    pkg = importlib.import_module("guanxi.cli")
    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if mod.name.startswith("analyze_"):
            importlib.import_module(f"guanxi.cli.{mod.name}").register_analyze(analyze_app)
    app.add_typer(analyze_app, name="analyze")
