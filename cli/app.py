"""The `guanxi` command: global options, the command list and one-line errors.

Each `cli/cmd_<area>.py` module defines `register(app: typer.Typer) -> None`; `COMMANDS`
lists them (as `api/app.py` lists its ROUTERS), so the commands are found by reading this file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from guanxi.cli import (
    cmd_analyze,
    cmd_demo,
    cmd_explain,
    cmd_finbench,
    cmd_generate,
    cmd_keys,
    cmd_load,
    cmd_nlp,
    cmd_serve,
    cmd_store,
    context,
)

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


COMMANDS = (cmd_demo, cmd_explain, cmd_finbench, cmd_generate, cmd_load, cmd_serve,
            cmd_analyze, cmd_keys, cmd_nlp, cmd_store)
"""The command modules, in the order `guanxi --help` lists them."""

for _cmd in COMMANDS:
    _cmd.register(app)


def main() -> None:
    """Run the CLI; expected failures print one line and exit 1 (GUANXI_DEBUG=1 for traces)."""
    try:
        # without standalone mode click returns the code of `typer.Exit(code)` (it raises
        # nothing): exit with it, or a command that printed an error would exit 0
        rc = app(standalone_mode=False)
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
    if isinstance(rc, int) and rc != 0:
        raise SystemExit(rc)
