"""`guanxi nlp …`: extraction from legal documents and their ingest into the graph."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Mount the `guanxi.nlp` sub-app (extract, ingest) as `guanxi nlp`."""
    from guanxi.nlp.cli_commands import app as nlp_app

    app.add_typer(nlp_app, name="nlp")
