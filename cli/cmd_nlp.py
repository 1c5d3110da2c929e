"""`guanxi nlp …`: extraction from legal documents and their ingest into the graph."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from guanxi.nlp.extract import extract_file
from guanxi.nlp.readers import UnreadableFileError

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


@app.command("ingest")
def ingest_cmd(
    folder: Path = typer.Argument(
        ..., help="A folder of documents (.txt, .docx, .html), or one file."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    force: bool = typer.Option(
        False, "--force", help="Ingest every document again, also those unchanged since."
    ),
) -> None:
    """Extract, link and write the documents in FOLDER into the graph (idempotent).

    Prints one row per document; files that fail (unreadable, not a legal document) are
    listed and the batch goes on. A document unchanged since its last ingest (same text,
    NLP code, PII key and graph) is skipped unless --force. Exit code 1 when no document
    could be ingested.
    """
    from rich.console import Console
    from rich.table import Table

    from guanxi.cli.context import settings, store_session
    from guanxi.nlp.ingest import document_files, ingest_documents

    if not folder.exists():
        raise FileNotFoundError(f"no such file or folder: {folder}")
    files = document_files([folder])
    if not files:
        raise ValueError(f"no .txt/.docx/.html documents in {folder}")
    err = Console(stderr=True)
    with store_session(command=f"guanxi nlp ingest {folder}") as st:
        with err.status("ingesting", spinner="dots") as status:

            def progress(step: str, done: float = 0, total: float | None = None) -> None:
                status.update(documents_status(step, done, total))

            report = ingest_documents(
                st, files, settings=settings(), progress=progress, force=force
            )
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        t = Table(
            "file",
            "status",
            "document",
            "parties",
            "linked",
            "records",
            "guarantees",
            "note",
            title=f"{report.ok} ingested ({report.skipped} unchanged, skipped), "
            f"{report.failed} failed",
        )
        for d in report.documents:
            note = d.error or "; ".join(["unchanged, skipped"] * d.skipped + d.warnings)
            t.add_row(
                Path(d.path).name,
                d.status if d.status == "ok" else f"[red]{d.status}[/]",
                d.document_id or "",
                str(d.parties),
                str(d.linked),
                str(d.records),
                str(d.guarantees),
                note,
            )
        con = Console()
        con.print(t)
        con.print(f"parties linked: {report.linked}, left as mentions: {report.mentions}")
    if report.ok == 0:
        raise typer.Exit(1)


def documents_status(step: str, done: float = 0, total: float | None = None) -> str:
    """Return the spinner text of an ingest step: ``documents n/N (step)`` (for
    ``("writing documents", 3, 7)``: ``documents 3/7 (writing)``), or the step alone when
    its size is unknown."""
    if total is None:
        return step
    return f"documents {int(done)}/{int(total)} ({step.removesuffix(' documents')})"


def register(parent: typer.Typer) -> None:
    """Mount the `nlp` sub-app (extract, ingest) as `guanxi nlp`."""
    parent.add_typer(app, name="nlp")
