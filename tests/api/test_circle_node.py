"""The circle detail serves a Circle node's facts typed; a node an older version of the
analysis wrote (its ``motifs_json`` makes no `Circle`) is served by its columns and a note."""

from __future__ import annotations

import json

from guanxi.analyses.guarantee import OLDER_CIRCLE, circle_node
from guanxi.api.models import CircleNode

ROW = {"id": "K:old", "size": 3, "members": ["P:1", "P:2", "P:3"], "loans": ["L:1"],
       "total_balance": 1.0, "guaranteed_amount": 2.0, "risk_score": 0.5, "contraction": "none",
       "explanation": "互保", "computed_at": "2024-01-01T00:00:00Z"}


def test_older_circle_node_is_its_columns_and_a_note() -> None:
    for motifs_json in (json.dumps({"cycle": 3}), "not json", None):
        got = CircleNode.model_validate(circle_node({**ROW, "motifs_json": motifs_json}))
        assert got.note == OLDER_CIRCLE and got.motifs is None and got.break_plan is None
        assert got.members == ROW["members"] and got.risk_score == 0.5


def test_circle_node_facts_are_typed() -> None:
    stored = {"mutual_pairs": 1, "triangles": 0, "cycles": 1, "cycles_by_length": {"2": 1},
              "cycles_listed": [["P:1", "P:2"]], "contracted_via": [["P:3", "C:1", "legal_rep"]],
              "grids": ["G:1"], "managers": [], "live_balance": 5.0}
    got = CircleNode.model_validate(circle_node({**ROW, "motifs_json": json.dumps(stored)}))
    assert got.note is None and got.motifs is not None and got.motifs.mutual_pairs == 1
    assert got.cycles == [["P:1", "P:2"]] and got.contracted_via == [["P:3", "C:1", "legal_rep"]]
    assert got.live_balance == 5.0 and got.break_plan is None
