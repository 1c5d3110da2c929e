"""Bounded traversals built from named queries: neighbourhoods, shortest paths, guarantee chains.

Each expansion step is one named query with a LIMIT, so the work of a request is bounded by
(steps × frontier cap) rows, and a per-request deadline stops long walks with a 503.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from guanxi.api.errors import ApiError
from guanxi.api.graphview import GraphView, fast_label
from guanxi.api.limits import Deadline
from guanxi.graph.model import RELS

STRUCTURAL = frozenset({"WORKS_AT", "BELONGS_TO", "MANAGES", "IN_GRID"})
DEFAULT_TYPES: tuple[str, ...] = tuple(t for t in RELS if t not in STRUCTURAL)
"""Relation types followed by default: everything but the bank's org structure (hubs)."""
RISK_TYPES: tuple[str, ...] = (
    "GUARANTEES", "BORROWED", "GUARANTEES_PARTY", "SHAREHOLDER_OF", "LEGAL_REP_OF",
    "EXECUTIVE_OF", "INVESTS", "MEMBER_OF", "OWNS", "SUPPLIES", "IN_CIRCLE",
)
"""Relation types along which risk spreads (exposure)."""


def check_types(types: Iterable[str] | None, default: tuple[str, ...] = DEFAULT_TYPES) -> list[str]:
    """Return the relation types to follow, or raise 400 naming unknown ones."""
    got = [t.strip().upper() for t in (types or []) for t in t.split(",") if t.strip()]
    if not got:
        return list(default)
    bad = sorted({t for t in got if t not in RELS})
    if bad:
        raise ApiError(400, "bad_request", f"unknown relation types: {', '.join(bad[:5])}")
    return sorted(set(got))


def node_label(node_id: str) -> str | None:
    """Return the label of an id from its prefix, or None."""
    return fast_label(node_id)


def get_entity(graph: GraphView, entity_id: str) -> dict[str, Any]:
    """Return the entity's displayable properties (None values dropped), or raise 404."""
    row = graph.entity(entity_id)
    if not row:
        raise ApiError(404, "not_found", "no entity with that id")
    return {k: v for k, v in row.items() if v is not None}


def _edges(graph: GraphView, ids: list[str], types: list[str], cap: int) -> list[dict[str, Any]]:
    return graph.edges(ids, types, cap)


def neighbourhood(
    graph: GraphView,
    entity_id: str,
    hops: int,
    types: list[str],
    max_nodes: int,
    frontier_cap: int,
    deadline: Deadline,
) -> dict[str, Any]:
    """Return {nodes, edges, truncated} within `hops` of the entity, at most `max_nodes` nodes."""
    root = get_entity(graph, entity_id)
    nodes: dict[str, dict[str, Any]] = {
        entity_id: {"id": entity_id, "label": root.get("label"), "name": root.get("name"), "hop": 0}
    }
    edges: dict[tuple[str, str, str, Any], dict[str, Any]] = {}
    frontier = [entity_id]
    truncated = False
    for hop in range(1, hops + 1):
        if not frontier:
            break
        if deadline.expired():
            raise ApiError(503, "query_timeout", "the traversal took too long; narrow it")
        rows = _edges(graph, frontier, types, frontier_cap)
        if len(rows) >= frontier_cap:
            truncated = True
        nxt: list[str] = []
        for r in rows:
            other = r["other"]
            if other not in nodes:
                if len(nodes) >= max_nodes:
                    truncated = True
                    continue
                nodes[other] = {"id": other, "label": r["other_label"], "name": r["other_name"],
                                "hop": hop}
                nxt.append(other)
            edges[(r["src"], r["dst"], r["type"], r["key"])] = {
                "src": r["src"], "dst": r["dst"], "type": r["type"]
            }
        frontier = nxt
    return {"root": entity_id, "nodes": list(nodes.values()), "edges": list(edges.values()),
            "truncated": truncated}


def shortest_paths(
    graph: GraphView,
    src: str,
    dst: str,
    types: list[str],
    max_hops: int,
    max_paths: int,
    frontier_cap: int,
    deadline: Deadline,
) -> dict[str, Any]:
    """Return up to `max_paths` shortest undirected paths src→dst (≤ `max_hops` edges).

    Bidirectional breadth-first search; each level is one bounded query per side.
    Result: {paths: [{nodes: [...], edges: [...]}], length, truncated}.
    """
    a = get_entity(graph, src)
    b = get_entity(graph, dst)
    info: dict[str, dict[str, Any]] = {
        src: {"id": src, "label": a.get("label"), "name": a.get("name")},
        dst: {"id": dst, "label": b.get("label"), "name": b.get("name")},
    }
    if src == dst:
        return {"paths": [{"nodes": [info[src]], "edges": []}], "length": 0, "truncated": False}
    # parents[side][node] = list of (neighbour closer to that side's root, edge)
    parents: list[dict[str, list[tuple[str, dict[str, Any]]]]] = [{src: []}, {dst: []}]
    frontiers = [[src], [dst]]
    depth = [0, 0]
    truncated = False
    meet: list[str] = []
    while depth[0] + depth[1] < max_hops and frontiers[0] and frontiers[1]:
        if deadline.expired():
            raise ApiError(503, "query_timeout", "the path search took too long; narrow it")
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        rows = _edges(graph, frontiers[side], types, frontier_cap)
        if len(rows) >= frontier_cap:
            truncated = True
        seen, other_seen = parents[side], parents[1 - side]
        level: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        front = set(frontiers[side])
        for r in rows:
            here = r["dst"] if r["src"] == r["other"] else r["src"]
            if here not in front:
                continue
            o = r["other"]
            if o in seen:
                continue
            info.setdefault(o, {"id": o, "label": r["other_label"], "name": r["other_name"]})
            edge = {"src": r["src"], "dst": r["dst"], "type": r["type"]}
            lst = level.setdefault(o, [])
            if len(lst) < max_paths:
                lst.append((here, edge))
        seen.update(level)
        depth[side] += 1
        frontiers[side] = list(level)
        meet = [n for n in level if n in other_seen]
        if meet:
            break
    if not meet:
        return {"paths": [], "length": None, "truncated": truncated}

    def chains(side: int, node: str) -> list[list[tuple[str, dict[str, Any] | None]]]:
        # paths from the side's root to node as [(node, edge into node)]
        if not parents[side][node]:
            return [[(node, None)]]
        out: list[list[tuple[str, dict[str, Any] | None]]] = []
        for prev, edge in parents[side][node]:
            for c in chains(side, prev):
                out.append([*c, (node, edge)])
                if len(out) >= max_paths:
                    return out
        return out

    paths: list[dict[str, Any]] = []
    for m in sorted(meet):
        for left in chains(0, m):
            for right in chains(1, m):
                seq_nodes = [n for n, _ in left] + [n for n, _ in reversed(right)][1:]
                seq_edges = [e for _, e in left[1:] if e] + [e for _, e in reversed(right[1:]) if e]
                paths.append({"nodes": [info[n] for n in seq_nodes], "edges": seq_edges})
                if len(paths) >= max_paths:
                    break
            if len(paths) >= max_paths:
                break
        if len(paths) >= max_paths:
            break
    return {"paths": paths, "length": len(paths[0]["edges"]), "truncated": truncated}


def guarantee_chains(
    graph: GraphView,
    entity_id: str,
    direction: str,
    max_hops: int,
    frontier_cap: int,
    deadline: Deadline,
) -> dict[str, Any]:
    """Return the guarantee chain graph around an entity: {nodes, edges, truncated}.

    `down` follows whom the entity guarantees (guarantor → borrower), `up` who guarantees
    the entity's loans, `both` both. Edges carry loan, guaranteed amount and loan balance.
    """
    root = get_entity(graph, entity_id)
    nodes: dict[str, dict[str, Any]] = {
        entity_id: {"id": entity_id, "label": root.get("label"), "name": root.get("name"),
                    "hop": 0}
    }
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    truncated = False
    sides = {"down": ["given"], "up": ["received"], "both": ["given", "received"]}[direction]
    for q in sides:
        frontier = [entity_id]
        for hop in range(1, max_hops + 1):
            if not frontier:
                break
            if deadline.expired():
                raise ApiError(503, "query_timeout", "the chain walk took too long; narrow it")
            rows = graph.guarantees(frontier, q, frontier_cap)
            truncated = truncated or len(rows) >= frontier_cap
            nxt = []
            for r in rows:
                for who, name in ((r["guarantor"], r["guarantor_name"]),
                                  (r["borrower"], r["borrower_name"])):
                    if who not in nodes:
                        nodes[who] = {"id": who, "label": node_label(who), "name": name,
                                      "hop": hop}
                        nxt.append(who)
                edges[(r["guarantor"], r["borrower"], r["loan"])] = {
                    "src": r["guarantor"], "dst": r["borrower"], "type": "GUARANTEES",
                    "loan": r["loan"], "gtype": r["gtype"], "amount": r["amount"],
                    "balance": r["balance"], "classification": r["classification"],
                }
            frontier = nxt
    return {"root": entity_id, "nodes": list(nodes.values()), "edges": list(edges.values()),
            "truncated": truncated}
