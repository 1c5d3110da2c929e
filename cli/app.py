"""The `guanxi` command: global options, command discovery and one-line errors.

Each `cli/cmd_<area>.py` module defines `register(app: typer.Typer) -> None`; this module
finds them, so areas add commands without editing a shared list.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from guanxi.cli import context

app = typer.Typer(
    name="guanxi",
    help="Guanxi — knowledge graph and relationship analytics for rural commercial banks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _global(
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Folder of the embedded store (env GUANXI_STORE)."),
    ] = None,
    neo4j_uri: Annotated[
        str | None,
        typer.Option("--neo4j-uri", help="Use Neo4j at this Bolt URI (env GUANXI_NEO4J_URI)."),
    ] = None,
) -> None:
    """Global options shared by every command."""
    context.configure(store=store, neo4j_uri=neo4j_uri)


def _register_commands() -> None:
    pkg = importlib.import_module("guanxi.cli")
    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if mod.name.startswith("cmd_"):
            module = importlib.import_module(f"guanxi.cli.{mod.name}")
            module.register(app)


_register_commands()


def main() -> None:
    """Run the CLI; expected failures print one line and exit 1 (GUANXI_DEBUG=1 for traces)."""
    try:
        app(standalone_mode=False)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except BaseException as exc:
        import click

        if isinstance(exc, click.exceptions.Exit):
            raise SystemExit(exc.exit_code) from None
        if isinstance(exc, click.exceptions.Abort):
            print("aborted", file=sys.stderr)
            raise SystemExit(1) from None
        if isinstance(exc, click.ClickException):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        if os.environ.get("GUANXI_DEBUG"):
            raise
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: {msg}", file=sys.stderr)
        raise SystemExit(1) from None
