"""The model is consistent with itself, with its documentation and with the id scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from guanxi.graph import ids
from guanxi.graph.model import ID_PREFIX, NODES, REL_TYPES, label_of
from guanxi.graph.model_doc import render

ROOT = Path(__file__).resolve().parents[2]


def test_every_relationship_connects_known_labels() -> None:
    for rt in REL_TYPES:
        for a, b in rt.pairs:
            assert a in NODES and b in NODES, rt.type


def test_docs_model_md_is_generated_from_the_model() -> None:
    assert (ROOT / "docs" / "model.md").read_text(encoding="utf-8") == render(), (
        "run: python -m guanxi.graph.model_doc > docs/model.md")


def test_personal_ids_are_keyed_hashes() -> None:
    k1, k2 = b"key-one", b"key-two"
    a = ids.pii_node_id("Person", "11010519491231002X", k1)
    assert a.startswith("P:") and "1101" not in a and len(a) == 18
    assert a == ids.pii_node_id("Person", " 11010519491231002x ", k1)
    assert a != ids.pii_node_id("Person", "11010519491231002X", k2)
    assert label_of(a) == "Person"


def test_edge_keys_are_stable_int64() -> None:
    k = ids.edge_key("GUARANTEES", "P:1", "L:1")
    assert k == ids.edge_key("GUARANTEES", "P:1", "L:1")
    assert -(2**63) <= k < 2**63 and k != ids.edge_key("GUARANTEES", "P:1", "L:2")


@pytest.mark.parametrize("label", sorted(ID_PREFIX))
def test_id_prefixes_are_unique(label: str) -> None:
    assert list(ID_PREFIX.values()).count(ID_PREFIX[label]) == 1
