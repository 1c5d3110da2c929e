"""The one write-back of result nodes: replace an analysis's nodes and their memberships.

An analysis that stores its results as graph nodes (Circle, Community, SupplyChain) calls
`replace_nodes` once per result kind with all of its nodes and the membership edges that
point at them (IN_CIRCLE, IN_COMMUNITY, IN_CHAIN …). After the call the store holds exactly
those nodes and memberships of that label/relationship: nodes of the label that the run did
not produce are deleted with their edges, membership edges of surviving nodes that the run did
not produce are deleted, the rest is upserted in batches through the storage contract.
Reruns are idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from guanxi.analyses.results import WriteCounts
from guanxi.graph.ids import label_of
from guanxi.graph.store import GraphStore

__all__ = ["BATCH", "Membership", "replace_nodes"]

BATCH = 50_000
"""Rows per upsert / delete call."""


@dataclass
class Membership:
    """Membership edges ``src → dst`` of relationship `rel` (src: any party id, its label
    from its id prefix; dst: one of the written nodes), with their edge `keys` and extra
    edge properties `props` (column name → values)."""

    rel: str
    src: list[str]
    dst: list[str]
    keys: list[int]
    props: dict[str, list[Any]] = field(default_factory=dict)


def _batches(n: int, size: int) -> range:
    return range(0, n, size)


def replace_nodes(
    store: GraphStore,
    label: str,
    nodes: pa.Table,
    memberships: Sequence[Membership] = (),
    *,
    batch: int = BATCH,
) -> WriteCounts:
    """Make the store's `label` nodes exactly `nodes` (an Arrow table with ``id``) and the
    memberships exactly `memberships`; return how many nodes were written and deleted."""
    new_ids = nodes["id"].to_pylist() if nodes.num_rows else []
    keep = set(new_ids)
    old = store.export_nodes(label, [])["id"].to_pylist()
    stale = sorted(x for x in old if x not in keep)
    deleted = 0
    for i in _batches(len(stale), batch):
        deleted += store.delete_nodes(label, stale[i : i + batch])
    for i in _batches(nodes.num_rows, batch):
        store.upsert_nodes(label, nodes.slice(i, batch))
    for m in memberships:
        _replace_edges(store, label, m, batch)
    return WriteCounts(written=len(new_ids), deleted=deleted)


def _replace_edges(store: GraphStore, label: str, m: Membership, batch: int) -> None:
    """Delete `m.rel` edges into `label` nodes that `m` does not hold; upsert `m`'s edges."""
    wanted = set(zip(m.dst, m.keys, strict=True))
    have = store.export_edges(m.rel, [])
    gone: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for s_label, d_label, d, k in zip(have["src_label"].to_pylist(),
                                      have["dst_label"].to_pylist(), have["dst"].to_pylist(),
                                      have["key"].to_pylist(), strict=True):
        if d_label == label and (d, k) not in wanted:
            gone[s_label].append((d, k))
    for s_label, rows in sorted(gone.items()):
        for i in _batches(len(rows), batch):
            part = rows[i : i + batch]
            store.delete_edges(m.rel, s_label, label, pa.table({
                "dst": [d for d, _ in part], "key": pa.array([k for _, k in part], pa.int64())}))
    by_label: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(m.src):
        by_label[label_of(s)].append(j)
    for s_label, idx in sorted(by_label.items()):
        for i in _batches(len(idx), batch):
            sel = idx[i : i + batch]
            cols: dict[str, Any] = {
                "src": [m.src[j] for j in sel], "dst": [m.dst[j] for j in sel],
                "key": pa.array([m.keys[j] for j in sel], pa.int64())}
            for name, values in m.props.items():
                cols[name] = [values[j] for j in sel]
            store.upsert_edges(m.rel, s_label, label, pa.table(cols))
