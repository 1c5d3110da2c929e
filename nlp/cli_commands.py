"""``guanxi nlp`` sub-commands (mounted by the main CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .extract import extract_file
from .readers import UnreadableFileError

app = typer.Typer(help="Extraction from Chinese judgments, rulings and penalty decisions.",
                  no_args_is_help=True)


@app.callback()
def _nlp() -> None:
    """Extraction from Chinese judgments, rulings and penalty decisions."""


@app.command("extract")
def extract_cmd(
    file: Path = typer.Argument(..., help="A .txt (UTF-8/GBK), .docx or .html document."),
    fmt: str = typer.Option("json", "--format", "-f", help="Output format (json)."),
) -> None:
    """Print the extraction of FILE as one JSON object."""
    if fmt != "json":
        typer.echo(f"error: unsupported format {fmt!r} (use json)", err=True)
        raise typer.Exit(2)
    try:
        result = extract_file(file)
    except (UnreadableFileError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(result, ensure_ascii=False))
