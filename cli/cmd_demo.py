"""`guanxi demo`: generate a county, load it, run every analysis, ingest documents, serve."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from guanxi.cli.cmd_nlp import documents_status
from guanxi.cli.context import settings
from guanxi.graph.progress import Progress

console = Console(stderr=True)


def _step(name: str, fn: Callable[[], Any]) -> Any:
    """Run one demo step under a spinner; return its result and print how long it took."""
    return _step_with_progress(name, lambda _progress: fn())


def _step_with_progress(name: str, fn: Callable[[Progress], Any]) -> Any:
    """Run one demo step under a spinner that shows what `fn` reports to the progress
    callback it is given (documents n/N); return its result and print how long it took."""
    t = time.perf_counter()
    with console.status(f"[bold]{name}…") as status:

        def progress(step: str, done: float = 0, total: float | None = None) -> None:
            status.update(f"[bold]{name}…[/] {documents_status(step, done, total)}")

        out = fn(progress)
    console.print(f"[green]✓[/] {name} [dim]({time.perf_counter() - t:.1f} s)[/]")
    return out


def _same_county(folder: Path, households: int, seed: int) -> bool:
    try:
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(truth.get("households") == households and truth.get("seed") == seed)


def demo(
    households: Annotated[
        int,
        typer.Option(help="Households in the generated county (63,000 ≈ 祁门; 330,000 ≈ 兴化)."),
    ] = 63000,
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 7,
    extract: Annotated[
        Path | None, typer.Option(help="Where to write the extract (default: next to the store).")
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the API and explorer page at the end.")
    ] = True,
    host: Annotated[str, typer.Option(help="Interface to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Run the whole product on a generated county: generate, load, analyse, ingest, serve."""
    from guanxi.analyses.communities import run_communities
    from guanxi.analyses.exposure import run_exposure_analysis
    from guanxi.analyses.guarantee import run_guarantee_analysis
    from guanxi.analyses.referrals import run_referrals
    from guanxi.analyses.supply_chain import run_supply_chain
    from guanxi.api.auth import KeyStore
    from guanxi.graph.connect import open_store
    from guanxi.loaders.load import load_extract
    from guanxi.loaders.synthetic.generate import generate_county
    from guanxi.nlp.ingest import ingest_documents

    s = settings()
    folder = extract or Path(s.store).parent / "demo-extract"
    console.print(f"[bold]Guanxi demo[/] — store: {s.neo4j_uri or s.store}, extract: {folder}")
    if _same_county(folder, households, seed):
        console.print(f"[green]✓[/] county of {households:,} households already generated")
    else:
        _step(
            f"generate a county of {households:,} households",
            lambda: generate_county(folder, households=households, seed=seed),
        )

    store = open_store(s, command="guanxi demo")
    try:
        report = _step(
            "load the extract (validate, quarantine, upsert)",
            lambda: load_extract(store, folder, settings=s),
        )
        t = Table("table", "read", "loaded", "rejected", "inserted", "updated", title="load")
        for name, tr in report.tables.items():
            t.add_row(
                name,
                f"{tr.read:,}",
                f"{tr.loaded:,}",
                f"{tr.rejected:,}",
                f"{tr.inserted:,}",
                f"{tr.updated:,}",
            )
        console.print(t)
        results: dict[str, Any] = {}
        results["guarantee"] = _step(
            "guarantee circles, chains, contagion", lambda: run_guarantee_analysis(store)
        )
        results["exposure"] = _step(
            "negative-event exposure and alerts", lambda: run_exposure_analysis(store)
        )
        results["communities"] = _step(
            "fund-flow communities (Leiden)", lambda: run_communities(store)
        )
        results["referrals"] = _step(
            "MGM referral trees and prospects", lambda: run_referrals(store)
        )
        results["supply_chain"] = _step(
            "supply chains and funding risk", lambda: run_supply_chain(store)
        )
        from guanxi.analyses.rings import run_rings
        from guanxi.analyses.village_credit import run_village_credit

        results["rings"] = _step("shared-attribute rings (anti-fraud)", lambda: run_rings(store))
        results["village_credit"] = _step("整村授信 lists per village", lambda: run_village_credit(store))
        docs = folder / "documents"
        if docs.is_dir():
            results["documents"] = _step_with_progress(
                "read judgments and penalty notices (NLP)",
                lambda progress: ingest_documents(store, [docs], settings=s, progress=progress),
            )
        counts = store.counts()
        console.print("graph: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if v))
        _summary(results)

        keys = KeyStore(s.store)
        made = {
            role: keys.add(role, name="demo")
            for role in ("risk_analyst", "marketer", "investigator", "admin")
        }
        console.print("API keys for this demo (stored hashed; shown once):")
        for role, k in made.items():
            console.print(f"  {role:<13} {k.key}")
        if not serve:
            console.print(f"next: [bold]guanxi --store {s.store} serve --port {port}[/]")
            return
        import uvicorn

        from guanxi.api.app import create_app

        app = create_app(lambda: store, s, close_store=False)
        console.print(
            f"serving the API and the explorer page on [bold]http://{host}:{port}/[/]"
            " (Ctrl-C to stop)"
        )
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        store.close()


def _summary(results: dict[str, Any]) -> None:
    """Print one line per analysis with its headline numbers."""
    g = results.get("guarantee")
    console.print(f"  guarantee circles: {len(g.circles) if g is not None else 0:,}")
    e = results.get("exposure")
    console.print(f"  live-loan alerts: {len(e.alerts) if e is not None else 0:,}")
    c = results.get("communities")
    if c is not None:
        console.print(f"  fund-flow communities: {c.communities:,} (modularity {c.modularity})")
    r = results.get("rings")
    if r is not None:
        console.print(f"  shared-attribute rings flagged: {r.flagged:,} of {r.candidates:,} candidates")
    v = results.get("village_credit")
    if v is not None:
        console.print("  整村授信 households: " + ", ".join(f"{k} {n:,}" for k, n in v.counts.items()))
    d = results.get("documents")
    if d is not None:
        console.print(
            f"  documents ingested: {d.ok}, failed: {d.failed}, parties linked: "
            f"{d.linked}, left as mentions: {d.mentions}"
        )


def register(app: typer.Typer) -> None:
    """Add `demo` to the CLI."""
    app.command("demo")(demo)
