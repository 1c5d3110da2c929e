"""The docstring examples of the packages run: every package file with a `>>>` example lies
under a path that pytest collects with `--doctest-modules` (pyproject's testpaths)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "cypher", "loaders", "nlp", "algorithms", "analyses", "api", "cli")


def test_every_docstring_example_is_collected() -> None:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    opts = cfg["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in opts["addopts"].split()
    paths = [ROOT / p for p in opts["testpaths"]]
    with_examples = [f for pkg in PACKAGES for f in sorted((ROOT / pkg).rglob("*.py"))
                     if ">>>" in f.read_text(encoding="utf-8")]
    assert with_examples
    uncollected = [str(f.relative_to(ROOT)) for f in with_examples
                   if not any(f.is_relative_to(p) for p in paths)]
    assert uncollected == []
