"""Settings and store access shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from guanxi.graph.connect import open_store
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore

_overrides: dict[str, object] = {}


def configure(*, store: Path | None = None, neo4j_uri: str | None = None) -> None:
    """Remember the global options given on the command line."""
    _overrides.clear()
    if store is not None:
        _overrides["store"] = store
    if neo4j_uri is not None:
        _overrides["neo4j_uri"] = neo4j_uri


def settings() -> Settings:
    """Return the settings: environment and `.env`, overridden by the global options."""
    return Settings(**_overrides)  # type: ignore[arg-type,unused-ignore]


@contextmanager
def store_session(*, read_only: bool = False, command: str | None = None) -> Iterator[GraphStore]:
    """Open the configured store for the duration of a command and close it after."""
    st = open_store(settings(), read_only=read_only, command=command)
    try:
        yield st
    finally:
        st.close()
