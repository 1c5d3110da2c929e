"""A small generated county (150 households, real generated Chinese names) loaded and analysed,
for the auth matrix and the PII scan on realistic data."""

from __future__ import annotations

from pathlib import Path

from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore
from tests.api.fixture_graph import Facts

HOUSEHOLDS = 150
SEED = 11


def _first(store: GraphStore, name: str, params: dict[str, object]) -> str:
    rows = store.run(name, params)
    assert rows, f"the generated county has no rows for {name}"
    return str(rows[0]["id"])


def build(store: GraphStore, folder: Path, households: int = HOUSEHOLDS) -> Facts:
    """Generate, load and analyse a county of `households` into `store`; return ids that
    every route can use."""
    from guanxi.analyses.communities import run_communities
    from guanxi.analyses.exposure import run_exposure_analysis
    from guanxi.analyses.guarantee import run_guarantee_analysis
    from guanxi.analyses.referrals import run_referrals
    from guanxi.analyses.supply_chain import run_supply_chain
    from guanxi.loaders.load import load_extract
    from guanxi.loaders.synthetic.generate import generate_county
    from guanxi.nlp.ingest import ingest_documents

    extract = folder / "extract"
    generate_county(extract, households=households, seed=SEED, hard_names=True)
    settings = Settings(store=folder / "store")
    load_extract(store, extract, settings=settings)
    run_guarantee_analysis(store)
    run_exposure_analysis(store)
    run_communities(store)
    run_referrals(store)
    run_supply_chain(store, min_counterparties=2)
    if (extract / "documents").exists():
        ingest_documents(store, [extract / "documents"], settings=settings)
    # rings, 整村授信, then the second month and its tier drops (issue #19)
    from guanxi.analyses.rings import run_rings
    from guanxi.analyses.tier_drops import run_tier_drops
    from guanxi.analyses.village_credit import run_village_credit
    from guanxi.loaders.synthetic.month import generate_next_month

    run_rings(store)
    run_village_credit(store)
    generate_next_month(folder / "extract2", households=households, seed=SEED, hard_names=True)
    load_extract(store, folder / "extract2", settings=settings)
    run_tier_drops(store)
    persons = {r["id"]: r["name"] for r in store.export_nodes("Person", ["name"]).to_pylist()
               if r["name"]}
    companies = {r["id"]: r["name"] for r in store.export_nodes("Company", ["name"]).to_pylist()}
    circle = _first(store, "api_circles", {"min_size": 0, "skip": 0, "limit": 1})
    members = [m["id"] for m in store.run("api_circle_members", {"id": circle})]
    people = sorted(m for m in members if m.startswith("P:"))
    firms = sorted(m for m in members if m.startswith("C:")) or sorted(companies)
    chains = store.run("api_supply_chains", {"skip": 0, "limit": 1})
    docs = store.run("api_documents", {"doc_type": "", "skip": 0, "limit": 1})
    records = store.run("api_negative_records", {"kind": "", "skip": 0, "limit": 1})
    return Facts(
        persons=persons,
        companies=companies,
        circle=circle,
        circle_members=tuple(members),
        record=str(records[0]["id"]) if records else "N:none",
        document=str(docs[0]["id"]) if docs else "D:none",
        community=_first(store, "api_communities", {"skip": 0, "limit": 1}),
        chain=str(chains[0]["id"]) if chains else "Z:none",
        person_a=people[0] if people else sorted(persons)[0],
        person_b=people[-1] if len(people) > 1 else sorted(persons)[1],
        company=firms[0],
        planted=False,
    )
