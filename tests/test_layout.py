"""Tests mirror the packages (tests/algorithms, tests/analyses, …), and the same file name
in two folders (tests/algorithms/test_guarantee.py, tests/analyses/test_guarantee.py) is
two modules: every folder holding test modules is a package, so pytest imports each by its
dotted path (tests.algorithms.test_guarantee), never by a bare basename that could collide."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_folder_is_a_package() -> None:
    folders = {p.parent for p in TESTS.rglob("test_*.py")}
    assert not [str(f.relative_to(TESTS.parent)) for f in folders
                if not (f / "__init__.py").exists()]

