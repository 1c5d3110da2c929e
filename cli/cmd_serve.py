"""`guanxi serve`: run the query API and explorer page on the configured store."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", min=1,
        help="Server processes. Above 1, each worker opens the store read-only and builds its "
             "own in-memory index (memory × N), and rate limits count per worker.")] = 1,
) -> None:
    """Serve the API (OpenAPI at /docs) and the explorer page at / until interrupted."""
    import os

    import uvicorn

    from guanxi.api.app import create_app
    from guanxi.api.auth import KeyStore
    from guanxi.cli.context import settings
    from guanxi.graph.connect import open_store

    s = settings()
    _check_port(host, port)
    # read-only (the API writes nothing to the graph): `guanxi store info` and other
    # read-only commands can open the store while it is served, no writer can
    # StoreLockedError → one line, exit 1 (checked here too when workers open the store)
    store = open_store(s, read_only=True, command="guanxi serve")
    if not KeyStore(s.store).list():
        typer.echo("no API keys yet: create one with `guanxi keys add --role admin`", err=True)
    try:
        import httptools  # noqa: F401

        http = "httptools"
    except ImportError:  # pure-Python h11: about half the requests per second
        http = "h11"
        typer.echo("note: httptools is not installed (pip install 'uvicorn[standard]'); "
                   "serving with h11 at about half the throughput", err=True)
    if workers > 1:
        # the parent keeps its read-only handle: no writer can take the store meanwhile
        # the workers read their settings from the environment: pass on the global options
        os.environ["GUANXI_STORE"] = str(s.store)
        if s.neo4j_uri:
            os.environ["GUANXI_NEO4J_URI"] = s.neo4j_uri
        typer.echo(f"serving {store.backend} store {store.location} on http://{host}:{port}/ "
                   f"with {workers} worker processes (store read-only in each)")
        try:
            uvicorn.run("guanxi.api.app:worker_app", factory=True, workers=workers, host=host,
                        port=port, log_level="warning", http=http)
        finally:
            store.close()
        return
    app = create_app(lambda: store, s)
    typer.echo(f"serving {store.backend} store {store.location} on http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="warning", http=http)


def _check_port(host: str, port: int) -> None:
    """Raise a one-line error when `host:port` cannot be bound (in use, or not allowed)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind(addr)
        except OSError as exc:
            why = "is already in use" if exc.errno == 98 else f"cannot be bound ({exc.strerror})"
            raise OSError(f"port {port} on {host} {why}: stop the process using it or "
                          "choose another with --port") from None


def register(app: typer.Typer) -> None:
    """Add `serve` to the CLI."""
    app.command("serve")(serve)
