"""Every named query in cypher/ is called by the code (a query nothing calls is dead code).

A query counts as called when its name is a string in a module of the packages, the tests
or bench/ (queries are called by name: `store.run("name", …)`; the contract suite and the
load benchmark call a few that only they need), or, for `api_entity_<label>`, when the label is a
node label of the model (api/graphview.py builds that name from the label)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from guanxi.graph import model, queries

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("graph", "loaders", "nlp", "algorithms", "analyses", "api", "cli", "tests", "bench")


def _strings() -> set[str]:
    out: set[str] = set()
    for pkg in PACKAGES:
        for f in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    out.add(node.value)
    return out


def test_every_named_query_is_called() -> None:
    used = _strings()
    entity = {"api_entity_" + re.sub(r"(?<!^)([A-Z])", r"_\1", label).lower()
              for label in model.NODES}
    unused = [q for q in queries.query_names() if q not in used and q not in entity]
    assert unused == []
