"""`guanxi load DIR`: load a bank extract into the graph, with progress and a summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from guanxi.cli.context import settings, store_session


def load(
    folder: Annotated[Path, typer.Argument(help="Extract folder holding manifest.yaml.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Load an extract (docs/extract-format.md); bad rows are quarantined and reported."""
    from guanxi.loaders.load import load_extract, read_manifest, split_load_step

    read_manifest(folder)  # a broken manifest fails before the store is opened
    err = Console(stderr=True)
    s = settings()
    with store_session(command=f"guanxi load {folder}") as st:
        bars = Progress(
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[stage]}"),
            TimeElapsedColumn(),
            console=err,
            transient=as_json,
            disable=not err.is_terminal,
        )
        tasks: dict[str, TaskID] = {}

        def progress(step: str, done: float = 0, total: float | None = None) -> None:
            table, stage = split_load_step(step)  # one bar per table
            if table not in tasks:
                tasks[table] = bars.add_task(table, total=None, stage="")
            tid = tasks[table]
            if stage == "done":
                bars.update(tid, total=total, completed=total, stage="done")
                if not err.is_terminal:  # plain lines for logs and pipes
                    err.print(f"{table}: {int(total or 0)} rows done", highlight=False)
            elif stage == "read":
                bars.update(tid, stage="reading")
            else:
                bars.update(tid, total=max(total or 0, 1), completed=done, stage=stage)

        with bars:
            report = load_extract(st, folder, settings=s, progress=progress)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    con = Console()
    t = Table(
        "table",
        "read",
        "loaded",
        "rejected",
        "inserted",
        "updated",
        "unchanged",
        "reasons",
        title=f"extract {report.as_of} → {st.location}",
    )
    for name, r in report.tables.items():
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(r.reasons.items()))
        t.add_row(
            name,
            f"{r.read:,}",
            f"{r.loaded:,}",
            f"[red]{r.rejected:,}[/]" if r.rejected else "0",
            f"{r.inserted:,}",
            f"{r.updated:,}",
            f"{r.unchanged:,}",
            reasons,
        )
    con.print(t)
    if report.rejected:
        con.print(f"{report.rejected:,} rejected rows quarantined in {report.quarantine}")
    con.print(f"loaded in {report.seconds:.1f} s")


def register(app: typer.Typer) -> None:
    """Add `load` to the CLI."""
    app.command("load")(load)
