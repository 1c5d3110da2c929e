"""Every algorithms module declares its public names in `__all__` (and only names it has)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "algorithms"
MODULES = sorted(p.stem for p in ROOT.glob("*.py") if p.stem != "__init__")


def _defined_public(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body
            if isinstance(n, ast.FunctionDef | ast.ClassDef) and not n.name.startswith("_")}


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_every_public_function_and_class(name: str) -> None:
    mod = importlib.import_module(f"guanxi.algorithms.{name}")
    declared = getattr(mod, "__all__", None)
    assert declared is not None, f"algorithms/{name}.py has no __all__"
    assert len(declared) == len(set(declared))
    assert [n for n in declared if not hasattr(mod, n) or n.startswith("_")] == []
    missing = _defined_public(ROOT / f"{name}.py") - set(declared)
    assert not missing, f"algorithms/{name}.py: public but not in __all__: {sorted(missing)}"
