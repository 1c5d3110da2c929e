"""Shared-attribute rings on a generated county: planted rings found, look-alikes not flagged."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from guanxi.algorithms.rings import RingRules, find_rings

generate = pytest.importorskip("guanxi.loaders.synthetic.generate")


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def projection(folder: Path) -> tuple[list[str], list[str], list[tuple[str, str]], dict[str, list[str]]]:
    """Return the party ↔ attribute projection of an extract (by ref), its ties and loan starts."""
    parties: list[str] = []
    attrs: list[str] = []
    ties: list[tuple[str, str]] = []
    hh_head: dict[str, str] = {}
    for p in _rows(folder, "persons"):
        ref = f"person:{p['id_number']}"
        for kind, col in (("phone", "phone"), ("phone", "contact_phone"), ("address", "address"),
                          ("employer", "employer")):
            if p.get(col):
                parties.append(ref)
                attrs.append(f"{kind}:{p[col]}")
        if p["household_id"]:
            first = hh_head.setdefault(p["household_id"], ref)
            if first != ref:
                ties.append((first, ref))
    for r in _rows(folder, "enterprise_roles"):
        ties.append((f"{r['holder_type']}:{r['holder_id']}", f"company:{r['uscc']}"))
    starts: dict[str, list[str]] = defaultdict(list)
    for ln in _rows(folder, "loans"):
        ref = f"{ln['borrower_type']}:{ln['borrower_id']}"
        starts[ref].append(ln["start_date"])
        parties.append(ref)
        attrs.append(f"account:{ln['account_no']}")
    return parties, attrs, ties, starts


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("rings") / "ex"
    truth = generate.generate_county(out, households=2000, seed=19)
    return out, truth


def _match(found: list[str], planted: list[str]) -> bool:
    a, b = set(found), set(planted)
    return len(a & b) / len(a | b) >= 0.5


def test_planted_rings_found_with_precision_and_recall(county: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = county
    assert len(truth["rings"]) >= 20
    parties, attrs, ties, starts = projection(folder)
    found = [r for r in find_rings(parties, attrs, ties, starts, truth["as_of"]) if r.flagged]
    planted = [r["members"] for r in truth["rings"]]
    tp_found = sum(any(_match(f.members, p) for p in planted) for f in found)
    tp_planted = sum(any(_match(f.members, p) for f in found) for p in planted)
    precision = tp_found / max(1, len(found))
    recall = tp_planted / len(planted)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, len(found), len(planted))


def test_lookalikes_not_flagged(county: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = county
    kinds = {la["kind"] for la in truth["lookalikes"]}
    assert kinds == {"shop_phone", "employer"}
    assert all(la["loans"] for la in truth["lookalikes"])  # they borrow recently too
    parties, attrs, ties, starts = projection(folder)
    flagged = [set(r.members) for r in find_rings(parties, attrs, ties, starts, truth["as_of"]) if r.flagged]
    for la in truth["lookalikes"]:
        members = set(la["members"])
        assert all(len(f & members) < 2 for f in flagged), la["kind"]
    # with the rarity rule switched off (every shared attribute links) the shop is a candidate
    loose = RingRules(max_degree=10_000, min_link=0.0, min_shared=1)
    cands = find_rings(parties, attrs, ties, starts, truth["as_of"], loose)
    shop = next(la for la in truth["lookalikes"] if la["kind"] == "shop_phone")
    assert any(set(shop["members"]) <= set(c.members) for c in cands)


def test_candidates_explain_why_not_flagged(county: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = county
    parties, attrs, ties, starts = projection(folder)
    for r in find_rings(parties, attrs, ties, starts, truth["as_of"]):
        assert r.reasons
        assert r.flagged == (len(r.units) >= 3 and len(r.kinds) >= 2)  or not r.flagged


def test_related_parties_are_one_unit() -> None:
    ps = ["a", "b", "c", "a", "b", "c"]
    at = ["phone:1", "phone:1", "phone:1", "employer:x", "employer:x", "employer:x"]
    loans = {"a": ["2026-10-01"], "b": ["2026-10-01"], "c": ["2026-10-01"]}
    (r,) = find_rings(ps, at, [], loans, "2026-10-31")
    assert r.flagged and len(r.units) == 3
    (r,) = find_rings(ps, at, [("a", "c")], loans, "2026-10-31")
    assert not r.flagged and r.units == [["a", "c"], ["b"]]
    assert r.reason_codes[0] == "few_units" and "无关联户" in r.reasons[0] and "unrelated" in r.reasons_en[0]
    # old loans only: not flagged, and it says so
    (r,) = find_rings(ps, at, [], {"a": ["2020-01-01"]}, "2026-10-31")
    assert not r.flagged and "few_recent" in r.reason_codes
    assert len(r.reasons) == len(r.reason_codes) == len(r.reasons_en)
