"""Tests mirror the packages (tests/algorithms, tests/analyses, …), and the same file name
in two folders (tests/algorithms/test_guarantee.py, tests/analyses/test_guarantee.py) is
two modules: every folder holding test modules is a package, so pytest imports each by its
dotted path (tests.algorithms.test_guarantee), never by a bare basename that could collide."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_folder_is_a_package() -> None:
    folders = {p.parent for p in TESTS.rglob("test_*.py")}
    assert not [str(f.relative_to(TESTS.parent)) for f in folders
                if not (f / "__init__.py").exists()]



def _imported(path: Path) -> set[str]:
    """Return every module the file at `path` imports (`from a import b` counts as a and
    a.b), also imports inside functions."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def test_algorithm_tests_do_not_import_analyses() -> None:
    """tests/algorithms tests the pure functions: a test that needs a projection, a store
    source or a write-back of `guanxi.analyses` belongs in tests/analyses."""
    above = ("guanxi.analyses", "tests.analyses")
    bad = sorted(f"{f.relative_to(TESTS.parent)}: {m}"
                 for f in (TESTS / "algorithms").rglob("*.py") for m in _imported(f)
                 if any(m == a or m.startswith(a + ".") for a in above))
    assert not bad
