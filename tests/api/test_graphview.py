"""The in-memory index answers exactly what the label-specific named queries answer."""

from __future__ import annotations

from guanxi.api.graphview import IndexedGraph, QueryGraph
from guanxi.api.traverse import DEFAULT_TYPES
from tests.api.conftest import Live


def _edge_set(rows: list[dict]) -> set[tuple]:  # type: ignore[type-arg]
    return {(r["src"], r["dst"], r["type"], r["key"], r["other"], r["other_label"],
             r["other_name"]) for r in rows}


def test_index_matches_named_queries_on_the_county(county_live: Live) -> None:
    served = county_live.server.config.app.state.services.graph  # type: ignore[attr-defined]
    assert isinstance(served, IndexedGraph)
    q = QueryGraph(county_live.store)
    f = county_live.facts
    parties = sorted({f.person_a, f.person_b, f.company, *f.circle_members,
                      *sorted(f.persons)[:20], *sorted(f.companies)[:10]})
    checked = 0
    for i in parties:
        assert served.entity(i) == q.entity(i), i
        assert served.loans_of(i, 50) == q.loans_of(i, 50), i
        assert served.guarantees([i], "given", 50) == q.guarantees([i], "given", 50), i
        assert served.guarantees([i], "received", 50) == q.guarantees([i], "received", 50), i
        assert served.records_of([i], 50) == q.records_of([i], 50), i
        assert served.circles_of(i) == q.circles_of(i), i
        assert served.communities_of(i) == q.communities_of(i), i
        types = list(DEFAULT_TYPES)
        assert _edge_set(served.edges([i], types, 5000)) == _edge_set(q.edges([i], types, 5000)), i
        checked += 1
    assert checked >= 20
    for label, needle in (("Person", f.persons[f.person_a][0]), ("Company", "有限")):
        assert served.search(label, needle, 20) == q.search(label, needle, 20)
    assert served.entity("P:nope") is None and q.entity("P:nope") is None


class _RowByRow:
    """An IndexedGraph seen only through the GraphView protocol: the traversals then take
    their row-by-row path instead of the integer-array one."""

    def __init__(self, g: IndexedGraph) -> None:
        self.store = g.store
        self.entity = g.entity
        self.edges = g.edges


def test_array_traversals_match_row_by_row_walks(county_live: Live) -> None:
    from guanxi.api.limits import Deadline
    from guanxi.api.traverse import RISK_TYPES, neighbourhood, shortest_paths

    served = county_live.server.config.app.state.services.graph  # type: ignore[attr-defined]
    assert isinstance(served, IndexedGraph)
    slow = _RowByRow(served)
    f = county_live.facts
    parties = sorted({f.person_a, f.person_b, f.company, *f.circle_members,
                      *sorted(f.persons)[:25], *sorted(f.companies)[:15]})
    budget = Deadline(600)
    every = list(served.types)
    for i in parties:
        for hops, types, max_nodes, cap in ((1, list(DEFAULT_TYPES), 100, 2000),
                                            (2, list(DEFAULT_TYPES), 100, 2000),
                                            (3, list(DEFAULT_TYPES), 500, 2000),
                                            (2, list(RISK_TYPES), 500, 2000),
                                            (2, every, 40, 50), (3, ["TRANSFER"], 7, 5)):
            args = (i, hops, types, max_nodes, cap, budget)
            assert neighbourhood(served, *args) == neighbourhood(slow, *args), (i, hops)  # type: ignore[arg-type]
    for a, b in zip(parties, parties[7:] + parties[:7], strict=True):
        for hops, limit, types, cap in ((2, 5, list(DEFAULT_TYPES), 2000),
                                        (4, 3, list(DEFAULT_TYPES), 2000),
                                        (6, 20, list(DEFAULT_TYPES), 2000),
                                        (5, 10, every, 30), (3, 1, ["TRANSFER", "OWNS"], 2000)):
            args = (a, b, types, hops, limit, cap, budget)
            assert shortest_paths(served, *args) == shortest_paths(slow, *args), (a, b, hops)  # type: ignore[arg-type]
    assert neighbourhood(served, f.person_a, 2, list(DEFAULT_TYPES), 1, 2000, budget)["truncated"]
