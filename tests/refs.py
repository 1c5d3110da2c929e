"""Refs (`person:<身份证>`, `company:<USCC>`, `loan:<id>`, …) → graph node ids, for tests.

The truth files of generated counties and hand-written extracts name nodes by ref; the
loader computes the same ids column-wise (tests/loaders/test_keys.py checks they agree).
"""

from __future__ import annotations

from typing import Any

from guanxi.graph.ids import node_id as plain_node_id
from guanxi.graph.ids import pii_node_id

REF_LABELS: dict[str, str] = {
    "person": "Person",
    "company": "Company",
    "loan": "Loan",
    "account": "Account",
    "household": "Household",
    "grid": "Grid",
    "manager": "CustomerManager",
    "branch": "Branch",
    "merchant": "Merchant",
    "record": "NegativeRecord",
}
PII_KINDS = {"person", "account"}


def node_id(ref: str, key: bytes) -> str:
    """Return the node id for a ref: keyed hash for persons and accounts, prefix otherwise."""
    kind, _, natural = ref.partition(":")
    if kind not in REF_LABELS or not natural:
        raise ValueError(f"not a ref: {ref!r}")
    label = REF_LABELS[kind]
    if kind in PII_KINDS:
        return pii_node_id(label, natural, key)
    return plain_node_id(label, natural)


def party_node_id(party_type: str, natural: str, key: bytes) -> str:
    """Return the node id of a party given its `<x>_type` (person/company) and natural key."""
    return node_id(f"{party_type}:{natural}", key)


def planted_communities(truth: dict[str, Any], key: bytes) -> list[list[str]]:
    """Return the planted fund-flow communities of a generated county's truth.json as lists
    of node ids (for `algorithms.communities.planted_nmi`)."""
    return [[node_id(m, key) for m in c["members"]] for c in truth["communities"]]
