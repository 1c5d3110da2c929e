"""`guanxi finbench DATA_DIR`: load LDBC FinBench data into its own store and answer TCR1–12."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from guanxi.cli.context import settings
from guanxi.graph.store import GraphStore


def _open(backend: str, store: Path | None, neo4j_uri: str | None) -> GraphStore:
    s = settings()
    if backend == "embedded":
        from guanxi.graph.embedded import EmbeddedStore

        folder = store or (s.store.parent / "finbench-store")
        return EmbeddedStore(folder, buffer_pool_mb=min(s.buffer_pool_mb, 1024), command="finbench")
    if backend == "neo4j":
        from guanxi.graph.neo4j_store import Neo4jStore

        uri = neo4j_uri or s.neo4j_uri
        if not uri:
            raise ValueError("--backend neo4j needs --neo4j-uri or GUANXI_NEO4J_URI")
        return Neo4jStore(uri, s.neo4j_user, s.neo4j_password, s.neo4j_database)
    raise ValueError(f"unknown backend {backend!r} (embedded or neo4j)")


def finbench(
    data_dir: Annotated[
        Path, typer.Argument(help="FinBench data folder (snapshot/, read_params/).")
    ],
    queries: Annotated[
        str,
        typer.Option("--queries", help="Comma-separated tcr1 … tcr12, or all (every one)."),
    ] = "all",
    limit_params: Annotated[
        int | None, typer.Option("--limit-params", help="Use the first N parameter rows.")
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help="embedded or neo4j.")] = "embedded",
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Embedded store folder (default <store>/../finbench-store)."),
    ] = None,
    neo4j_uri: Annotated[
        str | None, typer.Option("--neo4j-uri", help="Bolt URI for --backend neo4j.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Answers as JSON lines.")] = Path(
        "finbench-results.jsonl"
    ),
) -> None:
    """Load the snapshot (once per data fingerprint) and write one JSON line per answer."""
    from guanxi.algorithms.finbench import QUERIES, run_query
    from guanxi.analyses.finbench import StoreSource
    from guanxi.loaders.finbench import load_finbench, read_params

    names = [q.strip().lower() for q in queries.split(",") if q.strip()]
    if "all" in names:
        names = list(QUERIES)
    bad = [q for q in names if q not in QUERIES]
    if bad:
        raise ValueError(f"unknown queries {bad} (known: {', '.join(QUERIES)})")
    if not (data_dir / "snapshot").is_dir():
        raise ValueError(f"{data_dir} has no snapshot/ folder")
    st = _open(backend, store, neo4j_uri)
    try:
        qpath = (
            Path(st.location) / "finbench-quarantine.jsonl"
            if backend == "embedded"
            else out.with_suffix(".quarantine.jsonl")
        )
        t0 = time.perf_counter()
        rep = load_finbench(st, data_dir, quarantine=qpath)
        if rep.skipped:
            typer.echo(f"data already loaded (fingerprint {rep.fingerprint[:12]})", err=True)
        else:
            typer.echo(
                f"loaded {rep.loaded} rows, rejected {rep.rejected} (see {qpath}) "
                f"in {time.perf_counter() - t0:.1f} s",
                err=True,
            )
        src = StoreSource(st)
        n = 0
        with out.open("w", encoding="utf-8") as fh:
            for q in names:
                for i, params in enumerate(read_params(data_dir, q, limit_params)):
                    rows = run_query(src, q, params)
                    line = {"query": q, "param_index": i, "params": params, "rows": rows}
                    fh.write(json.dumps(line, ensure_ascii=False) + "\n")
                    n += 1
        typer.echo(f"wrote {n} answers to {out}", err=True)
    finally:
        st.close()


def register(app: typer.Typer) -> None:
    """Add `finbench` to the CLI."""
    app.command("finbench")(finbench)
