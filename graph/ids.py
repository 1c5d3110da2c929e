"""Node ids and edge keys: every id prefix, stable ids from natural keys, keyed hashes.

This module owns the id vocabulary: the one-letter prefix of each label (`P:` Person,
`C:` Company, `K:` Circle, …), how ids of derived nodes are spelled (circles, communities,
supply chains, documents, mentions, records, FinBench entities) and how edge keys are made.
Nothing else spells a prefix literally.

>>> node_id("Company", "91341024MA2N0TQ51U")
'C:91341024MA2N0TQ51U'
>>> label_of("P:8c79c013d93f862b"), is_label("C:1", "Person")
('Person', False)
>>> fb_int_id(fb_node_id("Account", 42))
42
"""

from __future__ import annotations

import hashlib
import hmac

ID_PREFIX: dict[str, str] = {
    "Branch": "B",
    "CustomerManager": "M",
    "Grid": "G",
    "Household": "H",
    "Person": "P",
    "Company": "C",
    "Merchant": "S",
    "Account": "A",
    "Loan": "L",
    "NegativeRecord": "N",
    "Document": "D",
    "Mention": "X",
    "Medium": "E",
    "Circle": "K",
    "Community": "Y",
    "SupplyChain": "Z",
    "Meta": "_",
}
"""Label → the letter before the colon of its node ids."""

_LABEL_OF_PREFIX = {p: label for label, p in ID_PREFIX.items()}


def prefix(label: str) -> str:
    """Return the id prefix of `label` with its colon (`prefix("Person") == "P:"`)."""
    return f"{ID_PREFIX[label]}:"


def is_label(node_id: str, label: str) -> bool:
    """Return whether `node_id` is the id of a `label` node (by its prefix)."""
    return node_id.startswith(prefix(label))


def label_of(node_id: str) -> str:
    """Return the label encoded in a node id's prefix (`P:…` → Person); ValueError if none."""
    label = _LABEL_OF_PREFIX.get(node_id.split(":", 1)[0])
    if label is None:
        raise ValueError(f"node id {node_id!r} has no known label prefix")
    return label


def pii_hash(value: str, key: bytes) -> str:
    """Return the hex HMAC-SHA256 of a personal identifier, normalised (strip, upper-case)."""
    norm = value.strip().upper().encode("utf-8")
    return hmac.new(key, norm, hashlib.sha256).hexdigest()


def node_id(label: str, natural_key: str) -> str:
    """Return the id of a node whose natural key is not personal: `<prefix>:<key>`."""
    return f"{ID_PREFIX[label]}:{natural_key.strip()}"


def pii_node_id(label: str, identifier: str, key: bytes) -> str:
    """Return the id of a node keyed by a personal identifier: prefix + 16 hex of its HMAC."""
    return f"{ID_PREFIX[label]}:{pii_hash(identifier, key)[:16]}"


def edge_key(*parts: object) -> int:
    """Return a signed 64-bit key for an edge from the parts of its natural key."""
    h = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode("utf-8"), digest_size=8)
    return int.from_bytes(h.digest(), "big", signed=True)


# -- ids of derived nodes ---------------------------------------------------------------------


def circle_id(members: list[str] | set[str]) -> str:
    """Return the stable id of the circle of `members`: `K:<16 hex of sha256 of sorted ids>`.

    >>> circle_id(["P:b", "P:a"]) == circle_id({"P:a", "P:b"})
    True
    """
    h = hashlib.sha256("\x1f".join(sorted(members)).encode("utf-8")).hexdigest()[:16]
    return f"{ID_PREFIX['Circle']}:{h}"


def community_id(resolution: float, index: int) -> str:
    """Return the id of community `index` of a Leiden run: `Y:r<resolution>#<index>`.

    >>> community_id(1.0, 3)
    'Y:r1#3'
    """
    return f"{ID_PREFIX['Community']}:r{resolution:g}#{index}"


def supply_chain_id(core: str) -> str:
    """Return the id of the supply chain around core firm `core`: `Z:<core id>`."""
    return f"{ID_PREFIX['SupplyChain']}:{core}"


def document_id(doc_key: str) -> str:
    """Return the id of a document from its content key: `D:<key>`."""
    return f"{ID_PREFIX['Document']}:{doc_key}"


def mention_id(doc_key: str, suffix: str | int) -> str:
    """Return the id of mention `suffix` of a document: `X:<doc key>#<suffix>`."""
    return f"{ID_PREFIX['Mention']}:{doc_key}#{suffix}"


def record_id(doc_key: str, suffix: str | int) -> str:
    """Return the id of negative record `suffix` extracted from a document: `N:<key>#<n>`."""
    return f"{ID_PREFIX['NegativeRecord']}:{doc_key}#{suffix}"


def record_label(record: str, date: object = None) -> str:
    """Return how a negative record is shown to people: its key without the ``N:`` prefix
    and the ``#n`` of a document's record, with its date when known.

    >>> record_label("N:NR0000023", "2025-06-01"), record_label("N:（2026）皖1024执15号#2")
    ('NR0000023（2025-06-01）', '（2026）皖1024执15号')
    """
    key = record.split(":", 1)[1] if record.startswith(f"{ID_PREFIX['NegativeRecord']}:") else record
    if "#" in key and key.rsplit("#", 1)[1].isdigit():
        key = key.rsplit("#", 1)[0]
    return f"{key}（{str(date)[:10]}）" if date else key


# -- FinBench ---------------------------------------------------------------------------------


def fb_node_id(label: str, fb_id: int) -> str:
    """Return the Guanxi node id of a FinBench entity: `<prefix>:fb-<id>` (e.g. `A:fb-42`)."""
    return f"{ID_PREFIX[label]}:fb-{fb_id}"


def fb_int_id(node_id: str) -> int:
    """Return the FinBench integer id inside a node id made by `fb_node_id`."""
    _, _, rest = node_id.partition(":fb-")
    if not rest:
        raise ValueError(f"not a FinBench node id: {node_id!r}")
    return int(rest)
