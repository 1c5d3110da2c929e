"""`guanxi serve`: run the query API and explorer page on the configured store."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
) -> None:
    """Serve the API (OpenAPI at /docs) and the explorer page at / until interrupted."""
    import uvicorn

    from guanxi.api.app import create_app
    from guanxi.api.auth import KeyStore
    from guanxi.cli.context import settings
    from guanxi.graph.connect import open_store

    s = settings()
    store = open_store(s, command="guanxi serve")  # StoreLockedError → one line, exit 1
    app = create_app(lambda: store, s)
    if not KeyStore(s.store).list():
        typer.echo("no API keys yet: create one with `guanxi keys add --role admin`", err=True)
    try:
        import httptools  # noqa: F401

        http = "httptools"
    except ImportError:  # pure-Python h11: about half the requests per second
        http = "h11"
        typer.echo("note: httptools is not installed (pip install 'uvicorn[standard]'); "
                   "serving with h11 at about half the throughput", err=True)
    typer.echo(f"serving {store.backend} store {store.location} on http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="warning", http=http)


def register(app: typer.Typer) -> None:
    """Add `serve` to the CLI."""
    app.command("serve")(serve)
