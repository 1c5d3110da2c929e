"""Order-insensitive snapshots of a whole graph, for comparing stores."""

from __future__ import annotations

import json

from guanxi.graph.model import NODE_TYPES, REL_TYPES
from guanxi.graph.store import GraphStore


def snapshot(store: GraphStore) -> dict[str, list[str]]:
    """Return every node label and edge type (Meta excluded) as sorted JSON rows."""
    out: dict[str, list[str]] = {}
    for nt in NODE_TYPES:
        if nt.label == "Meta":
            continue
        rows = store.export_nodes(nt.label).to_pylist()
        out[nt.label] = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
    for rt in REL_TYPES:
        rows = store.export_edges(rt.type).to_pylist()
        out[rt.type] = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
    return out
