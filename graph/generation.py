"""The store's load generation: a token that changes whenever a loader may have changed the
bank's records (Person, Company, Household, Loan, … and their properties).

Loaders call `new_load_generation(store)` before they write; readers that cache something
derived from the bank's records (the NLP ingest's per-document stamps) include
`load_generation(store)` in what they compare, so a reloaded county is never taken as
unchanged. A load that stops half way still leaves a new generation behind.
"""

from __future__ import annotations

import uuid

from guanxi.graph.store import GraphStore

__all__ = ["LOAD_GENERATION", "load_generation", "new_load_generation"]

LOAD_GENERATION = "load_generation"
"""The Meta key holding the current load generation."""


def new_load_generation(store: GraphStore) -> str:
    """Store a fresh random load generation in `store`'s metadata; return it."""
    token = uuid.uuid4().hex
    store.set_meta(LOAD_GENERATION, token)
    return token


def load_generation(store: GraphStore) -> str | None:
    """Return `store`'s current load generation (None when nothing was ever loaded)."""
    return store.get_meta(LOAD_GENERATION)
