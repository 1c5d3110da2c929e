"""Rings, tier drops and 整村授信 on a generated county loaded into a real store (two months)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guanxi.analyses.guarantee_projection import negative_record_table
from guanxi.analyses.results import read_stored
from guanxi.analyses.results.frontline import RINGS, TIER_DROPS, VILLAGE_CREDIT
from guanxi.analyses.rings import run_rings
from guanxi.analyses.tier_drops import run_tier_drops
from guanxi.analyses.village_credit import (
    GuaranteeNotRun,
    compute_village_credit,
    run_village_credit,
)
from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.load import load_extract
from tests.refs import node_id

generate = pytest.importorskip("guanxi.loaders.synthetic.generate")
KEY = "frontline-key"


class County:
    def __init__(self, base: Path) -> None:
        from guanxi.loaders.synthetic.month import generate_next_month

        self.t1 = generate.generate_county(base / "m1", households=2000, seed=23)
        self.t2 = generate_next_month(base / "m2", households=2000, seed=23)
        self.store = EmbeddedStore(base / "store", buffer_pool_mb=512)
        self.settings = Settings(store=base / "store", pii_key=KEY)
        assert load_extract(self.store, base / "m1", settings=self.settings).ok

    def id(self, ref: str) -> str:
        return node_id(ref, KEY.encode())


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    c = County(tmp_path_factory.mktemp("frontline"))
    yield c
    c.store.close()


def _match(found: set[str], planted: set[str]) -> bool:
    return len(found & planted) / len(found | planted) >= 0.5


def test_rings_found_stored_and_lookalikes_not_flagged(county: County) -> None:
    res = run_rings(county.store)
    planted = [{county.id(m) for m in r["members"]} for r in county.t1["rings"]]
    found = [{m.id for m in r.members} for r in res.items]
    assert res.items and all(r.flagged for r in res.items)
    precision = sum(any(_match(f, p) for p in planted) for f in found) / len(found)
    recall = sum(any(_match(f, p) for f in found) for p in planted) / len(planted)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    for la in county.t1["lookalikes"]:
        members = {county.id(m) for m in la["members"]}
        assert all(len(f & members) < 2 for f in found), la["kind"]
    ring = res.items[0]
    assert len(ring.kinds) >= 2 and ring.units >= 3 and ring.recent_borrowers >= 2
    assert all(e.degree >= len(e.holders) >= 2 for e in ring.evidence)
    assert all("…" in e.hint or e.kind in ("address", "employer") for e in ring.evidence)
    stored = read_stored(county.store, RINGS)
    assert stored is not None and {r.id for r in res.items} <= {r.id for r in stored.items}
    # a collecting account shared by a planted ring is named in the evidence
    with_acct = [r for r in county.t1["rings"] if r["collecting_account"]]
    if with_acct:
        assert any(e.kind == "account" for r in res.items for e in r.evidence)


def test_village_credit_needs_the_guarantee_analysis(county: County) -> None:
    with pytest.raises(GuaranteeNotRun, match="guanxi analyze guarantee"):
        compute_village_credit(county.store)


def _circle_and_enforcement_neighbours(store: EmbeddedStore) -> tuple[set[str], set[str]]:
    from guanxi.analyses.guarantee_projection import tie_table

    in_circle = {m for c in store.export_nodes("Circle", ["members"]).to_pylist() for m in c["members"] or []}
    recs = negative_record_table(store)
    subjects = {s for s, k in zip(recs["subject"].to_pylist(), recs["kind"].to_pylist(), strict=True)
                if k in ("被执行人", "失信被执行人")}
    ties = tie_table(store)
    near = set(subjects)
    for a, b in zip(ties["a"].to_pylist(), ties["b"].to_pylist(), strict=True):
        if a in subjects:
            near.add(b)
        if b in subjects:
            near.add(a)
    return in_circle, near


def test_village_credit_never_grants_circles_or_enforcement_neighbours_silently(county: County) -> None:
    from guanxi.cli.analyze_risk import run_guarantee_analysis

    run_guarantee_analysis(county.store)
    res = run_village_credit(county.store)
    assert res.counts["grant"] and res.counts["review"] and res.counts["exclude"]
    in_circle, near = _circle_and_enforcement_neighbours(county.store)
    checked_circle = checked_near = 0
    for h in res.items:
        circ = [m for m in h.members if m in in_circle]
        nb = [m for m in h.members if m in near]
        codes = {r.code for r in h.reasons}
        if circ:
            checked_circle += 1
            assert h.decision != "grant" and "circle" in codes, h
            assert any(m in r.members for r in h.reasons if r.code == "circle" for m in circ)
        if nb:
            checked_near += 1
            assert h.decision != "grant" and codes & {"negative_near", "negative_self"}, h
        if h.decision == "grant":
            assert not h.reasons and h.line > 0
        else:
            assert h.reasons and all(r.text and r.text_en and r.args for r in h.reasons)
        # every line says how it was reached, in Chinese
        assert h.line_basis == ("excluded" if h.decision == "exclude" else h.line_basis)
        assert h.line_text and ("流入" in h.line_text or h.decision == "exclude")
        if h.decision == "exclude":
            assert h.line == 0 and any(r.decision == "exclude" for r in h.reasons)
    assert checked_circle and checked_near
    # only credit-relevant records are reasons: no traffic violation, illness or police fine
    kinds = {str(k) for k in negative_record_table(county.store)["kind"].to_pylist()}
    assert "车辆违法" in kinds
    for h in res.items:
        for r in h.reasons:
            if r.code in ("negative_near", "negative_self", "negative_other"):
                assert not any(k in r.text for k in ("车辆违法", "严重疾病", "公安处罚")), r
                # the record is shown by its key (and date), not by the graph's internal id
                assert str(r.args["rec"]) not in r.text and "N:" not in r.text, r
    stored = read_stored(county.store, VILLAGE_CREDIT)
    assert stored is not None and len(stored.items) == len(res.items)
    one = res.grids[0]
    only = run_village_credit(county.store, [one])
    assert only.grids == [one] and {h.grid_id for h in only.items} == {one}


def test_tier_drops_listed_per_grid_with_context(county: County) -> None:
    assert load_extract(county.store, Path(county.settings.store).parent / "m2", settings=county.settings).ok
    res = run_tier_drops(county.store)
    assert res.drop_on == county.t2["as_of"]
    planted: dict[str, dict[str, Any]] = {county.id(d["person"]): d for d in county.t2["tier_drops"]}
    got = {d.id: d for d in res.items}
    assert set(got) == set(planted)
    keys = [(d.grid_id or "~", d.manager_id or "~") for d in res.items]
    assert keys == sorted(keys)  # per grid, then manager
    for pid, d in planted.items():
        g = got[pid]
        related = {county.id(r) for r in d["related"]}
        assert (g.tier_prev, g.tier) == (d["from"], d["to"])
        if d["pattern"] == "household":
            assert related <= {n.id for n in g.household_dropped}
        elif d["pattern"] == "referral":
            assert related <= ({g.referrer} if g.referrer_dropped else set()) | {n.id for n in g.referees_dropped}
        elif d["pattern"] == "counterparty":
            assert related <= {c.id for c in g.counterparties if c.dropped}, (g.counterparties, related)
        else:
            assert not g.household_dropped and not g.referrer_dropped and not g.referees_dropped
            assert not any(c.dropped for c in g.counterparties)
        if d["other_bank_accounts"]:
            assert g.other_bank_amount == pytest.approx(d["moved_out"]) and g.other_banks
        else:
            assert g.other_bank_transfers == 0
        assert g.score == 0 or g.signals
    stored = read_stored(county.store, TIER_DROPS)
    assert stored is not None and [x.id for x in stored.items] == [x.id for x in res.items]
