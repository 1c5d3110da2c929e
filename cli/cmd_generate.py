"""`guanxi generate OUT`: write a synthetic county extract with planted answers (truth.json)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table


def generate(
    out: Annotated[Path, typer.Argument(help="Folder to write the extract into.")],
    households: Annotated[int, typer.Option("--households", help="Households (祁门 ≈ 63000, 兴化 ≈ 330000).")] = 63000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same bytes.")] = 7,
    corrupt: Annotated[float, typer.Option("--corrupt", help="Share of extra known-bad rows per table.")] = 0.0,
    as_of: Annotated[str, typer.Option("--as-of", help="Extract date YYYY-MM-DD.")] = "2026-10-31",
    household_size: Annotated[float | None, typer.Option(
        "--household-size", help="Mean persons per household (default 3.01; 兴化 ≈ 3.33).")] = None,
    next_month: Annotated[Path | None, typer.Option(
        "--next-month", help="Also write the month after (planted tier drops) to this folder.")] = None,
) -> None:
    """Generate a synthetic county (manifest.yaml, CSVs, documents/, truth.json)."""
    from guanxi.loaders.synthetic.generate import TABLES, generate_county

    con = Console(stderr=True)
    t0 = time.perf_counter()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=con, transient=True) as prog:
        task = prog.add_task("starting", total=None)

        def say(step: str, done: float = 0, total: float | None = None) -> None:
            prog.update(task, description=step)

        truth = generate_county(out, households=households, seed=seed, corrupt=corrupt, as_of=as_of,
                                progress=say, household_size=household_size)
        month2 = None
        if next_month is not None:
            from guanxi.loaders.synthetic.month import generate_next_month

            month2 = generate_next_month(next_month, households=households, seed=seed, as_of=as_of,
                                         progress=say, household_size=household_size)
    tbl = Table("table", "rows", title=f"{out} ({time.perf_counter() - t0:.1f} s)")
    for name in TABLES:
        tbl.add_row(name, f"{truth['rows'][name]:,}")
    Console().print(tbl)
    planted = {k: len(truth[k]) for k in ("guarantee_circles", "joint_guarantee_groups", "guarantee_chains",
                                          "referral_trees", "supply_chains", "round_trips", "communities",
                                          "negative_records", "documents", "rings", "lookalikes",
                                          "corrupt_rows")}
    Console().print("planted: " + ", ".join(f"{k} {v}" for k, v in planted.items()))
    if month2 is not None:
        Console().print(f"{next_month} (as of {month2['as_of']}): tier drops {len(month2['tier_drops'])}, "
                        f"rises {len(month2['tier_rises'])}, rows " +
                        ", ".join(f"{k} {v}" for k, v in month2["rows"].items()))


def register(app: typer.Typer) -> None:
    """Add `generate` to the CLI."""
    app.command("generate")(generate)
