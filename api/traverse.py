"""Bounded traversals built from named queries: neighbourhoods, shortest paths, guarantee chains.

Each expansion step is one named query with a LIMIT, so the work of a request is bounded by
(steps × frontier cap) rows, and a per-request deadline stops long walks with a 503.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from guanxi.api.errors import ApiError
from guanxi.api.graphview import GraphView, IndexedGraph, fast_label
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
    if isinstance(graph, IndexedGraph):
        return _neighbourhood_indexed(graph, entity_id, root, hops, types, max_nodes,
                                      frontier_cap, deadline)
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
    if isinstance(graph, IndexedGraph):
        return _shortest_paths_indexed(graph, src, dst, info, types, max_hops, max_paths,
                                       frontier_cap, deadline)
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

    paths = _join_chains(sorted(meet), chains, info.__getitem__, lambda e: e, max_paths)
    return {"paths": paths, "length": len(paths[0]["edges"]), "truncated": truncated}


def _join_chains(
    meets: list[Any],
    chains: Callable[[int, Any], list[list[tuple[Any, Any]]]],
    node_of: Callable[[Any], dict[str, Any]],
    edge_of: Callable[[Any], dict[str, Any]],
    max_paths: int,
) -> list[dict[str, Any]]:
    """Return up to `max_paths` paths {nodes, edges} through the meeting nodes: each chain
    from the source side joined to each chain from the destination side."""
    paths: list[dict[str, Any]] = []
    for m in meets:
        for left in chains(0, m):
            for right in chains(1, m):
                nodes = [n for n, _ in left] + [n for n, _ in reversed(right)][1:]
                edges = [e for _, e in left[1:] if e is not None] + [
                    e for _, e in reversed(right[1:]) if e is not None]
                paths.append({"nodes": [node_of(n) for n in nodes],
                              "edges": [edge_of(e) for e in edges]})
                if len(paths) >= max_paths:
                    return paths
    return paths


def _first_seen(values: np.ndarray) -> np.ndarray:
    """Return the distinct values in order of first occurrence."""
    uniq, first = np.unique(values, return_index=True)
    return uniq[np.argsort(first, kind="stable")]


def _neighbourhood_indexed(
    g: IndexedGraph,
    entity_id: str,
    root: dict[str, Any],
    hops: int,
    types: list[str],
    max_nodes: int,
    frontier_cap: int,
    deadline: Deadline,
) -> dict[str, Any]:
    """`neighbourhood` over the in-memory index with whole levels as integer arrays.

    The same result as the row-by-row walk: nodes join in the order their first edge is
    listed, up to `max_nodes`; an edge is kept when its far end is in (then or before);
    edges are listed once, in order of first appearance."""
    mask = g.type_mask(types)
    r = g.node_index(entity_id)
    in_nodes = np.zeros(len(g.ids), bool)
    if r >= 0:
        in_nodes[r] = True
    nodes = [{"id": entity_id, "label": root.get("label"), "name": root.get("name"), "hop": 0}]
    frontier = np.array([r], np.int64)
    kept: list[np.ndarray] = []
    truncated = False
    for hop in range(1, hops + 1):
        if not len(frontier):
            break
        if deadline.expired():
            raise ApiError(503, "query_timeout", "the traversal took too long; narrow it")
        e, _, other = g.expand(frontier, mask, frontier_cap)
        if len(e) >= frontier_cap:
            truncated = True
        new = _first_seen(other[~in_nodes[other]])
        room = max_nodes - len(nodes)
        if len(new) > room:
            truncated = True
            new = new[: max(room, 0)]
        in_nodes[new] = True
        for row in g.node_rows(new):
            row["hop"] = hop
            nodes.append(row)
        kept.append(e[in_nodes[other]])
        frontier = new
    edges: dict[tuple[int, int, int, int], dict[str, Any]] = {}
    if kept:
        order = _first_seen(np.concatenate(kept))
        for k, row in zip(zip(g.src[order].tolist(), g.dst[order].tolist(),
                              g.etype[order].tolist(), g.key[order].tolist(), strict=True),
                          g.edge_rows(order), strict=True):
            edges.setdefault(k, row)
    return {"root": entity_id, "nodes": nodes, "edges": list(edges.values()),
            "truncated": truncated}


def _shortest_paths_indexed(
    g: IndexedGraph,
    src: str,
    dst: str,
    info: dict[str, dict[str, Any]],
    types: list[str],
    max_hops: int,
    max_paths: int,
    frontier_cap: int,
    deadline: Deadline,
) -> dict[str, Any]:
    """`shortest_paths` over the in-memory index, one level of one side at a time as
    integer arrays (same levels, same parents in the same order, same result)."""
    mask = g.type_mask(types)
    n = len(g.ids)
    ends = (g.node_index(src), g.node_index(dst))
    seen = [np.zeros(n, bool), np.zeros(n, bool)]
    for side in (0, 1):
        if ends[side] >= 0:
            seen[side][ends[side]] = True
    # parents[side]: per level (node, the neighbour it was reached from, edge), in row order
    parents: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[], []]
    frontiers = [np.array([ends[0]], np.int64), np.array([ends[1]], np.int64)]
    depth = [0, 0]
    truncated = False
    meet = np.empty(0, np.int64)
    while depth[0] + depth[1] < max_hops and len(frontiers[0]) and len(frontiers[1]):
        if deadline.expired():
            raise ApiError(503, "query_timeout", "the path search took too long; narrow it")
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        e, here, other = g.expand(frontiers[side], mask, frontier_cap)
        if len(e) >= frontier_cap:
            truncated = True
        k = ~seen[side][other]
        e, here, other = e[k], here[k], other[k]
        if len(other):
            # the first max_paths rows of each new node, in row order
            order = np.argsort(other, kind="stable")
            so = other[order]
            pos = np.arange(len(so))
            start = np.maximum.accumulate(np.where(np.r_[True, so[1:] != so[:-1]], pos, 0))
            keep = np.sort(order[pos - start < max_paths])
            e, here, other = e[keep], here[keep], other[keep]
        level = _first_seen(other)
        parents[side].append((other, here, e))
        seen[side][level] = True
        depth[side] += 1
        frontiers[side] = level
        meet = level[seen[1 - side][level]]
        if len(meet):
            break
    if not len(meet):
        return {"paths": [], "length": None, "truncated": truncated}

    flat = [tuple(np.concatenate([lv[j] for lv in parents[s]]) if parents[s]
                  else np.empty(0, np.int64) for j in range(3)) for s in (0, 1)]

    def chains(side: int, node: int) -> list[list[tuple[int, int | None]]]:
        # paths from the side's root to node as [(node, edge into node)]
        nodes_, heres, edges_ = flat[side]
        at = np.nonzero(nodes_ == node)[0]
        if not len(at):
            return [[(node, None)]]
        out: list[list[tuple[int, int | None]]] = []
        for prev, edge in zip(heres[at].tolist(), edges_[at].tolist(), strict=True):
            for c in chains(side, prev):
                out.append([*c, (node, edge)])
                if len(out) >= max_paths:
                    return out
        return out

    def node_info(i: int) -> dict[str, Any]:
        node_id = g.ids[i]
        if node_id in info:
            return info[node_id]
        return info.setdefault(node_id, g.node_rows(np.array([i]))[0])

    def edge_row(e: int) -> dict[str, Any]:
        return g.edge_rows(np.array([e]))[0]

    meets = sorted(meet.tolist(), key=lambda i: g.ids[i])
    paths = _join_chains(meets, chains, node_info, edge_row, max_paths)
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
