"""整村授信: per village, every household's facts from the graph → `algorithms.village_credit`
→ `VillageCreditResult` → stored as ``credit:village``.

Facts per household (its members: MEMBER_OF): credit-relevant negative records
(`credit_relevant`: kind in ``CreditRules.credit_kinds``, a judgment's 案由 from its linked
Document in ``judgment_causes``) whose subject is a member; such records within ``negative_hops`` ties (`guarantee_projection.tie_table`: guarantee, household,
legal rep, shareholder, recurring transfers; `algorithms.exposure.negative_exposure`); guarantee
circles from the stored Circle nodes of `guanxi analyze guarantee` (required: without it the
circle rule could not fire, so the analysis refuses to run); live loans (`live_loans`) with
their classification and overdue days; the live balance of loans the members guarantee;
yearly inflow into the members' accounts from outside the household and its top payer;
referrers (REFERRED); fund-flow communities (IN_COMMUNITY, when stored) with their share of
records' subjects; flagged rings (``fraud:rings``, when `guanxi analyze rings` ran).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict

import pyarrow as pa
import pyarrow.compute as pc

from guanxi.algorithms.exposure import build_tie_graph, negative_exposure
from guanxi.algorithms.guarantee import live_loans
from guanxi.algorithms.village_credit import CreditRules, HouseholdFacts, credit_relevant, suggest
from guanxi.analyses.guarantee_projection import (
    guarantee_table,
    loan_table,
    negative_record_table,
    tie_table,
)
from guanxi.analyses.results import Progress, read_stored, report, write_stored
from guanxi.analyses.results.frontline import (
    RINGS,
    VILLAGE_CREDIT,
    CreditReason,
    VillageCreditResult,
    VillageHousehold,
)
from guanxi.analyses.results.risk import SYSTEMIC
from guanxi.graph.ids import record_label
from guanxi.graph.store import GraphStore

__all__ = ["GuaranteeNotRun", "compute_village_credit", "run_village_credit"]

_CHINA = dt.timezone(dt.timedelta(hours=8))
IMPAIRED = ("次级", "可疑", "损失")


class GuaranteeNotRun(RuntimeError):
    """The guarantee analysis has not run on this store (circles unknown)."""


def _villages(store: GraphStore, grids: list[str] | None) -> tuple[list[str], dict[str, dict[str, str | None]]]:
    all_g = {g["id"]: g for g in store.export_nodes("Grid", ["name", "kind", "village"]).to_pylist()}
    if grids:
        unknown = [g for g in grids if g not in all_g]
        if unknown:
            raise ValueError(f"no grid {unknown[0]!r} (grid ids look like G:G0001)")
        return sorted(grids), all_g
    return sorted(g for g, v in all_g.items() if v["kind"] == "village"), all_g


def _credit_records(store: GraphStore, rules: CreditRules) -> pa.Table:
    """Return the negative records (subject, record, kind, …) that count for the credit rules:
    `credit_relevant` of their kind and, for judgments, the 案由 of the linked Document."""
    recs = negative_record_table(store)
    cause: dict[str, str] = {}
    if store.counts().get("EVIDENCED_BY", 0):
        docs = {d["id"]: d["cause"] for d in store.export_nodes("Document", ["cause"]).to_pylist()}
        ev = store.export_edges("EVIDENCED_BY", [])
        for r, d in zip(ev["src"].to_pylist(), ev["dst"].to_pylist(), strict=True):
            if docs.get(d):
                cause[r] = str(docs[d])
    keep = [credit_relevant(str(k), cause.get(r), rules)
            for r, k in zip(recs["record"].to_pylist(), recs["kind"].to_pylist(), strict=True)]
    return recs.filter(pa.array(keep, pa.bool_()))


def compute_village_credit(store: GraphStore, grids: list[str] | None = None, rules: CreditRules = CreditRules(),
                           *, progress: Progress | None = None) -> VillageCreditResult:
    """Return the 整村授信 list of `grids` (default: every village grid)."""
    if read_stored(store, SYSTEMIC) is None and store.counts().get("GUARANTEES", 0) > 0:
        raise GuaranteeNotRun("guarantee circles are not computed: run `guanxi analyze guarantee` first")
    chosen, all_g = _villages(store, grids)
    report(progress, "households")
    persons = store.export_nodes("Person", ["name", "household_id", "grid_id", "as_of"]).to_pylist()
    hh_rows = {h["id"]: h for h in store.export_nodes("Household", ["grid_id", "head_id"]).to_pylist()}
    members: dict[str, list[str]] = defaultdict(list)
    names = {p["id"]: p["name"] for p in persons}
    for p in persons:
        h = p["household_id"]
        if h and (hh_rows.get(h) or {}).get("grid_id") in chosen:
            members[h].append(p["id"])
    person_hh = {m: h for h, ms in members.items() for m in ms}
    loans = loan_table(store)
    as_ofs = [str(x) for x in loans["as_of"].to_pylist() if x] + [str(p["as_of"]) for p in persons if p["as_of"]]
    as_of = max(as_ofs) if as_ofs else dt.date.today().isoformat()
    facts = {h: HouseholdFacts(h, sorted(ms)) for h, ms in members.items()}
    # records of members, and near them
    report(progress, "negative records")
    recs = _credit_records(store, rules)
    subjects = set()
    for s, r, k in zip(recs["subject"].to_pylist(), recs["record"].to_pylist(), recs["kind"].to_pylist(), strict=True):
        subjects.add(s)
        if s in person_hh:
            facts[person_hh[s]].records.append((s, r, str(k)))
    tg = build_tie_graph(tie_table(store), extra_nodes=sorted(person_hh))
    for party, hits in negative_exposure(tg, recs, hops=rules.negative_hops).items():
        if party in person_hh:
            for hit in hits:
                if hit["hops"] >= 1 and hit["subject"] not in members[person_hh[party]]:
                    facts[person_hh[party]].near_records.append(
                        (party, hit["record"], str(hit["kind"]), int(hit["hops"]), list(hit["path"])))
    # loans: live, impaired
    live = live_loans(loans, as_of)
    lt = loans.to_pylist()
    impaired_loans = {ln["loan"] for ln in lt if ln["classification"] in IMPAIRED}
    for ln, is_live in zip(lt, live.tolist(), strict=True):
        if is_live and ln["borrower"] in person_hh:
            facts[person_hh[ln["borrower"]]].loans.append(
                (ln["borrower"], ln["loan"], ln["classification"], int(ln["overdue_days"] or 0)))
    # circles
    for c in store.export_nodes("Circle", ["members", "loans"]).to_pylist():
        bad = any(x in impaired_loans for x in (c["loans"] or []))
        for m in c["members"] or []:
            if m in person_hh:
                facts[person_hh[m]].circles.append((m, c["id"], bad))
    # guaranteed live balance
    gt = guarantee_table(store)
    g_live = live_loans(gt, as_of)
    for g, is_live in zip(gt.select(["guarantor", "balance"]).to_pylist(), g_live.tolist(), strict=True):
        if is_live and g["guarantor"] in person_hh:
            facts[person_hh[g["guarantor"]]].guaranteed_balance += float(g["balance"] or 0.0)
    # inflow in the year before as-of
    report(progress, "inflows")
    owns = store.export_edges("OWNS", [])
    owner = {d: s for s, d, lab in zip(owns["src"].to_pylist(), owns["dst"].to_pylist(),
                                       owns["dst_label"].to_pylist(), strict=True) if lab == "Account"}
    end = dt.datetime.fromisoformat(as_of[:10]).replace(tzinfo=_CHINA) + dt.timedelta(days=1)
    lo, hi = int((end - dt.timedelta(days=365)).timestamp() * 1000), int(end.timestamp() * 1000)
    tr = store.export_edges("TRANSFER", ["amount", "ts"])
    payers: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s, d, a, t in zip(tr["src"].to_pylist(), tr["dst"].to_pylist(), pc.fill_null(tr["amount"], 0.0).to_pylist(),
                          tr["ts"].to_pylist(), strict=True):
        od = owner.get(d)
        if od not in person_hh or t is None or not lo <= t < hi:
            continue
        h = person_hh[od]
        os_ = owner.get(s) or s
        if person_hh.get(os_) == h:
            continue
        payers[h][os_] += a
    for h, by in payers.items():
        f = facts[h]
        f.inflow = sum(by.values())
        top = max(by.items(), key=lambda kv: (kv[1], kv[0]))
        f.top_payer, f.top_payer_amount = top
    # referrals and communities
    ref = store.export_edges("REFERRED", [])
    for er, ee in zip(ref["src"].to_pylist(), ref["dst"].to_pylist(), strict=True):
        if ee in person_hh:
            facts[person_hh[ee]].referrers.append((ee, er))
    try:
        ic = store.export_edges("IN_COMMUNITY", [])
        comm = dict(zip(ic["src"].to_pylist(), ic["dst"].to_pylist(), strict=True))
    except Exception:
        comm = {}
    by_comm: dict[str, list[str]] = defaultdict(list)
    for p, c in comm.items():
        by_comm[c].append(p)
    share = {c: round(sum(x in subjects for x in ms) / len(ms), 3) for c, ms in by_comm.items()}
    for m, h in person_hh.items():
        if m in comm:
            facts[h].communities.append((m, comm[m], share[comm[m]]))
    rings = read_stored(store, RINGS)
    for ring in rings.items if rings else []:
        if ring.flagged:
            for m in ring.members:
                if m.id in person_hh:
                    facts[person_hh[m.id]].rings.append((m.id, ring.id))
    report(progress, "rules")
    shown = dict(names)
    shown.update({r: record_label(r, d) for r, d in zip(recs["record"].to_pylist(), recs["date"].to_pylist(),
                                                        strict=True)})
    shown.update({c["id"]: c["name"] for c in store.export_nodes("Company", ["name"]).to_pylist()})
    sugg = suggest(facts.values(), rules, sorted(s for s in subjects if s), shown)
    items = []
    for s in sugg:
        hrow = hh_rows.get(s.household) or {}
        g = all_g.get(hrow.get("grid_id") or "") or {}
        head = hrow.get("head_id")
        items.append(VillageHousehold(
            household_id=s.household, grid_id=hrow.get("grid_id"), village=g.get("village") or g.get("name"),
            head_id=head, head_name=names.get(head or ""), members=facts[s.household].members,
            decision=s.decision,
            line=s.line, line_basis=s.line_basis, line_text=s.line_text, line_text_en=s.line_text_en,
            reasons=[CreditReason(code=r.code, decision=r.decision, members=r.members, text=r.text,
                                  text_en=r.text_en, args=r.args) for r in s.reasons],
            inflow=s.inflow, guarantee_load=s.guarantee_load, concentration=s.concentration))
    counts = {d: sum(1 for i in items if i.decision == d) for d in ("grant", "review", "exclude")}
    params = {k: (",".join(v) if isinstance(v, tuple) else v) for k, v in asdict(rules).items()}
    return VillageCreditResult(as_of=as_of, grids=chosen, parameters=params, counts=counts, items=items)


def run_village_credit(store: GraphStore, grids: list[str] | None = None, rules: CreditRules = CreditRules(),
                       *, progress: Progress | None = None) -> VillageCreditResult:
    """Compute the 整村授信 list and store it (``credit:village``); return it."""
    res = compute_village_credit(store, grids, rules, progress=progress)
    report(progress, "write-back")
    write_stored(store, VILLAGE_CREDIT, res.items, parameters=res.parameters,
                 summary={"as_of": res.as_of, "grids": res.grids, **res.counts})
    return res
