"""Settings and store access shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from guanxi.graph.connect import open_store
from guanxi.graph.model import NODES
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore, StoreError

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


LOAD_FIRST = "load an extract first (`guanxi load <folder>`)"


@contextmanager
def store_session(*, read_only: bool = False, command: str | None = None,
                  need_data: bool = False) -> Iterator[GraphStore]:
    """Open the configured store for the duration of a command and close it after.

    With `need_data` (analyses), a store that does not exist is not created and an empty one
    is refused: both say "load an extract first" (a mistyped `--store` analyses nothing).
    """
    from guanxi.graph.embedded import DB_FILE

    s = settings()
    if need_data and s.backend == "embedded" and not (s.store / DB_FILE).exists():
        raise StoreError(f"no store at {s.store}: {LOAD_FIRST}")
    st = open_store(s, read_only=read_only, command=command)
    if need_data and not any(n for k, n in st.counts().items() if k in NODES and k != "Meta"):
        st.close()
        raise StoreError(f"store {st.location} is empty: {LOAD_FIRST}")
    try:
        yield st
    finally:
        st.close()
