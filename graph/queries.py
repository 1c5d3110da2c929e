"""Named Cypher queries from `cypher/*.cypher`: one query per file, parameters only.

A file starts with a header of `//` comment lines:

    // name: guarantee_edges
    // params: (none) | $since: date string, …
    // returns: guarantor, borrower, loan, amount, balance
    // example: {"limit": 10}          (JSON parameters the contract test runs it with)

Where the embedded dialect (kuzu) must differ, `<name>.kuzu.cypher` sits next to it;
`<name>.neo4j.cypher` likewise for Neo4j-only syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from guanxi.graph.store import QueryNotFoundError

_HEADER = re.compile(r"^//\s*(name|params|returns|example):\s*(.*)$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class NamedQuery:
    """A query's name, header and text for one dialect."""

    name: str
    params: str
    returns: str
    example: str
    text: str
    dialect: str


def _files() -> dict[str, str]:
    root = resources.files("guanxi.cypher")
    return {
        p.name: p.read_text(encoding="utf-8") for p in root.iterdir() if p.name.endswith(".cypher")
    }


@cache
def _all_files() -> dict[str, str]:
    return _files()


def query_names() -> list[str]:
    """Return the names of all named queries (without dialect suffixes), sorted."""
    return sorted({f.split(".", 1)[0] for f in _all_files()})


def load(name: str, dialect: str) -> NamedQuery:
    """Return the named query for `dialect` (`kuzu` or `neo4j`), preferring its variant."""
    if not _NAME.match(name):
        raise QueryNotFoundError(f"invalid query name {name!r}")
    files = _all_files()
    text = files.get(f"{name}.{dialect}.cypher") or files.get(f"{name}.cypher")
    if text is None:
        raise QueryNotFoundError(f"no query named {name!r} in cypher/")
    meta = {"name": "", "params": "", "returns": "", "example": ""}
    body = []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if m:
            meta[m.group(1)] = m.group(2).strip()
        elif not line.strip().startswith("//"):
            body.append(line)
    if meta["name"] != name:
        raise QueryNotFoundError(f"cypher file for {name!r} declares name {meta['name']!r}")
    text_body = "\n".join(body).strip()
    return NamedQuery(name, meta["params"], meta["returns"], meta["example"], text_body, dialect)
