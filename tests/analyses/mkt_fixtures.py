"""The planted marketing bank of `tests/algorithms/mkt_fixtures.py` as the analyses see it:
its `MarketingProjection`, written into a store, and a small generated county analysed once
per process."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from guanxi.analyses.flow_projection import MarketingProjection
from guanxi.graph.store import GraphStore
from tests.algorithms.mkt_fixtures import DAY, T0, Planted, build, edge_rows, edge_table, owners

__all__ = ["DAY", "T0", "Planted", "build", "county", "edge_table", "load_into", "projection"]


def projection(p: Planted) -> MarketingProjection:
    """Return the MarketingProjection of the fixture, built without a store."""
    owner = {a: o for _, o, a in owners(p)}
    acc = p.nodes["Account"]
    parties = [{**x, "label": "Person"} for x in p.nodes["Person"]] + [
        {**x, "label": "Company", "household_id": None} for x in p.nodes["Company"]]
    cols = ["id", "label", "name", "tier", "is_customer", "grid_id", "manager_id",
            "household_id"]
    tr = edge_rows(p, "TRANSFER")
    return MarketingProjection(
        transfers=pa.table({c: [r[c] for r in tr] for c in ["src", "dst", "amount", "ts",
                                                             "memo"]}),
        accounts=pa.table({
            "id": [a["id"] for a in acc],
            "owner": pa.array([owner.get(a["id"]) for a in acc], pa.string()),
            "in_bank": [a["in_bank"] for a in acc],
            "bank_name": pa.array([a["bank_name"] for a in acc], pa.string()),
            "merchant": pa.array([None] * len(acc), pa.string()),
        }),
        parties=pa.table({c: pa.array([r.get(c) for r in parties],
                                      pa.bool_() if c == "is_customer" else pa.string())
                          for c in cols}),
        grids=pa.table({c: [g[c] for g in p.nodes["Grid"]] for c in ["id", "name",
                                                                       "manager_id"]}),
        merchants=pa.table({c: pa.array([], pa.string()) for c in
                            ["id", "name", "owner_id", "account_id", "grid_id"]}),
    )


def load_into(store: GraphStore, p: Planted) -> None:
    """Write the fixture into an empty store."""
    for label, rows in p.nodes.items():
        store.upsert_nodes(label, pa.Table.from_pylist(rows))
    for rel, sl, dl, rows in p.edges:
        if rows:
            store.upsert_edges(rel, sl, dl, pa.Table.from_pylist(rows))


# -- a generated county (loaders.synthetic + loaders.load), analysed once per process --------

COUNTY_HOUSEHOLDS = 400
COUNTY_SEED = 7
_county: dict[tuple[int, int], dict[str, Any]] = {}


def county(root: Any, households: int = COUNTY_HOUSEHOLDS, seed: int = COUNTY_SEED) -> dict[str, Any]:
    """Generate, load and analyse a small county once per process; return truth and results.

    Keys: truth (truth.json), nid (ref → node id), communities / referrals / supply (the
    `run_*` results as JSON data), assignment (stored node → community id), parties
    (id → row).
    """
    k = (households, seed)
    if k in _county:
        return _county[k]
    import json
    from pathlib import Path

    from guanxi.analyses import flow_projection as fp
    from guanxi.analyses.communities import run_communities, stored_assignment
    from guanxi.analyses.referrals import run_referrals
    from guanxi.analyses.results import dump
    from guanxi.analyses.supply_chain import run_supply_chain
    from guanxi.graph.embedded import EmbeddedStore
    from guanxi.graph.pii import pii_key
    from guanxi.loaders.load import load_extract
    from guanxi.loaders.synthetic.generate import generate_county
    from tests.refs import node_id

    out = Path(root) / f"county-{households}-{seed}"
    generate_county(out / "extract", households, seed)
    st = EmbeddedStore(out / "store", buffer_pool_mb=512)
    try:
        load_extract(st, out / "extract")
        key = pii_key(st)
        res = {
            "truth": json.loads((out / "extract" / "truth.json").read_text()),
            "nid": lambda ref: node_id(ref, key),
            "communities": dump(run_communities(st)),
            "referrals": dump(run_referrals(st)),
            "supply": dump(run_supply_chain(st)),
            "assignment": stored_assignment(st),
            "parties": {r["id"]: r for r in fp.export_parties(st).to_pylist()},
        }
    finally:
        st.close()
    _county[k] = res
    return res
