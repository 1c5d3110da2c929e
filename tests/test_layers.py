"""The layer rules of docs/architecture.md, checked over the source with `ast`.

Every `import` and `from … import` in the packages counts, also those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "cypher", "loaders", "nlp", "algorithms", "analyses", "api", "cli")
DRIVERS = ("kuzu", "neo4j", "arcadedb_embedded")
VOCABULARY = ("guanxi.graph.ids", "guanxi.graph.model")
"""The graph modules that are model vocabulary, not storage: algorithms may import them."""


def _imports(path: Path) -> list[tuple[int, str]]:
    """Return (line, absolute module) of every import in the file at `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    pkg = "guanxi." + ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            out.append((node.lineno, mod))
            # `from guanxi.graph import store` imports the module guanxi.graph.store
            out += [(node.lineno, f"{mod}.{a.name}") for a in node.names if a.name != "*"]
    return out


def _all_imports() -> dict[str, list[tuple[str, int, str]]]:
    """Return package → [(file, line, imported module)] over every package's .py files."""
    out: dict[str, list[tuple[str, int, str]]] = {}
    for pkg in PACKAGES:
        rows = out.setdefault(pkg, [])
        for f in sorted((ROOT / pkg).rglob("*.py")):
            if "vendor" in f.parts:
                continue
            rows += [(str(f.relative_to(ROOT)), ln, m) for ln, m in _imports(f)]
    return out


IMPORTS = _all_imports()


def _under(mod: str, *prefixes: str) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in prefixes)


def _layer(name: str) -> str:
    return f"guanxi.{name}"


def _violations(pkg: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    return [f"{f}:{ln} imports {m}" for f, ln, m in IMPORTS[pkg]
            if _under(m, *forbidden) and not _under(m, *allowed)]


def test_the_check_sees_imports() -> None:
    """The walk finds the imports it should (a guard against a vacuous pass)."""
    mods = {m for _, _, m in IMPORTS["cli"]}
    assert "guanxi.cli.context" in mods and "typer" in mods
    assert any(m == "guanxi.graph.ids" for _, _, m in IMPORTS["algorithms"])


@pytest.mark.parametrize("pkg", [p for p in PACKAGES if p != "cli"])
def test_nothing_outside_cli_imports_cli(pkg: str) -> None:
    """cli/ is a leaf: no package but cli/ itself imports `guanxi.cli`."""
    assert _violations(pkg, ("guanxi.cli",)) == []


def test_algorithms_are_pure() -> None:
    """algorithms/ imports no storage module, driver, loaders, nlp, api, cli or analyses; of
    graph/ only the model vocabulary (ids, model)."""
    forbidden = (*DRIVERS, "guanxi.graph", "guanxi.cypher", "guanxi.loaders", "guanxi.nlp",
                 "guanxi.api", "guanxi.cli", "guanxi.analyses")
    bad = [v for v in _violations("algorithms", forbidden, allowed=VOCABULARY)
           if not v.endswith(" imports guanxi.graph")]  # `from guanxi.graph import ids`
    assert bad == []


def test_graph_imports_no_layer_above() -> None:
    """graph/ (model + storage contract) imports none of the layers above it."""
    above = tuple(_layer(p) for p in ("loaders", "nlp", "algorithms", "analyses", "api", "cli"))
    assert _violations("graph", above) == []


def test_api_imports_neither_cli_nor_loaders() -> None:
    """api/ reads through analyses/ and graph/, never cli/ or loaders/."""
    assert _violations("api", ("guanxi.cli", "guanxi.loaders")) == []


def test_analyses_import_no_layer_above() -> None:
    """analyses/ sits under api/ and cli/ and beside loaders/ and nlp/."""
    above = tuple(_layer(p) for p in ("api", "cli", "loaders", "nlp"))
    assert _violations("analyses", above) == []


@pytest.mark.parametrize("pkg", ["loaders", "nlp"])
def test_loaders_and_nlp_import_no_layer_above(pkg: str) -> None:
    """loaders/ and nlp/ build the graph: they import neither analyses, api nor cli."""
    above = tuple(_layer(p) for p in ("analyses", "api", "cli"))
    assert _violations(pkg, above) == []


@pytest.mark.parametrize("pkg", [p for p in PACKAGES if p != "graph"])
def test_only_graph_imports_a_driver(pkg: str) -> None:
    """Only graph/ talks to a database driver."""
    assert _violations(pkg, DRIVERS) == []
