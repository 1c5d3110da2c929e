"""Shared-attribute rings: projection party ↔ attribute → `algorithms.rings` → `RingsResult`
→ stored as ``fraud:rings``.

The projection (`ring_projection`) reads, through the storage contract only:
- Person ``phone_hash`` and ``contact_phone_hash`` (one ``phone`` namespace), ``address_hash``,
  ``employer``;
- the account each loan's proceeds were paid into (DEPOSIT), as an ``account`` attribute of
  the borrower, and of the account's owner (OWNS) when several loans were paid into it;
- ties that make parties one unit: household (MEMBER_OF), LEGAL_REP_OF, SHAREHOLDER_OF,
  EXECUTIVE_OF;
- each borrower's loan start dates; as-of = the newest ``as_of`` of the loaded persons/loans.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from guanxi.algorithms.rings import RingRules, find_rings
from guanxi.analyses.guarantee_projection import loan_table, related_party_table
from guanxi.analyses.results import Progress, report, write_stored
from guanxi.analyses.results.frontline import RINGS, Ring, RingEvidence, RingMember, RingsResult
from guanxi.graph.store import GraphStore

__all__ = ["RingProjection", "compute_rings", "ring_projection", "run_rings"]


@dataclass
class RingProjection:
    """The bipartite projection and what the ring search needs besides."""

    parties: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)
    ties: list[tuple[str, str]] = field(default_factory=list)
    loan_starts: dict[str, list[str]] = field(default_factory=dict)
    loans_of: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    info: dict[str, dict[str, str | None]] = field(default_factory=dict)
    as_of: str = ""


def _add(pr: RingProjection, party: str, key: str, hint: str) -> None:
    pr.parties.append(party)
    pr.attributes.append(key)
    pr.hints.setdefault(key, hint)


def ring_projection(store: GraphStore) -> RingProjection:
    """Return the party ↔ attribute projection of the store (module docstring)."""
    pr = RingProjection()
    persons = store.export_nodes("Person", ["name", "household_id", "grid_id", "phone_hash", "phone_last4",
                                            "contact_phone_hash", "contact_phone_last4", "address_hash",
                                            "employer", "as_of"]).to_pylist()
    as_ofs = [str(p["as_of"]) for p in persons if p["as_of"]]
    for p in persons:
        pid = p["id"]
        pr.info[pid] = {"name": p["name"], "household_id": p["household_id"], "grid_id": p["grid_id"]}
        if p["phone_hash"]:
            _add(pr, pid, f"phone:{p['phone_hash']}", f"…{p['phone_last4'] or '????'}")
        if p["contact_phone_hash"]:
            _add(pr, pid, f"phone:{p['contact_phone_hash']}", f"…{p['contact_phone_last4'] or '????'}")
        if p["address_hash"]:
            _add(pr, pid, f"address:{p['address_hash']}", f"#{str(p['address_hash'])[:8]}")
        if p["employer"]:
            _add(pr, pid, f"employer:{p['employer']}", str(p['employer']))
    for c in store.export_nodes("Company", ["name", "grid_id"]).to_pylist():
        pr.info[c["id"]] = {"name": c["name"], "household_id": None, "grid_id": c["grid_id"]}
    loans = loan_table(store).select(["loan", "borrower", "start_date", "as_of"]).to_pylist()
    borrower = {}
    for ln in loans:
        borrower[ln["loan"]] = ln["borrower"]
        if ln["start_date"]:
            pr.loan_starts.setdefault(ln["borrower"], []).append(str(ln["start_date"]))
            pr.loans_of.setdefault(ln["borrower"], []).append((ln["loan"], str(ln["start_date"])))
        if ln["as_of"]:
            as_ofs.append(str(ln["as_of"]))
    pr.as_of = max(as_ofs) if as_ofs else ""
    accounts = {a["id"]: a for a in store.export_nodes("Account", ["number_last4", "bank_name"]).to_pylist()}
    dep = store.export_edges("DEPOSIT", [])
    paid_into: dict[str, set[str]] = defaultdict(set)
    for loan, acct in zip(dep["src"].to_pylist(), dep["dst"].to_pylist(), strict=True):
        if loan in borrower:
            paid_into[acct].add(borrower[loan])
    owns = store.export_edges("OWNS", [])
    owner = {d: s for s, d, lab in zip(owns["src"].to_pylist(), owns["dst"].to_pylist(),
                                       owns["dst_label"].to_pylist(), strict=True) if lab == "Account"}
    for acct, who in sorted(paid_into.items()):
        a = accounts.get(acct, {})
        hint = f"…{a.get('number_last4') or '????'}" + (f" ({a['bank_name']})" if a.get("bank_name") else "")
        for b in sorted(who):
            _add(pr, b, f"account:{acct}", hint)
        if len(who) >= 2 and acct in owner:
            _add(pr, owner[acct], f"account:{acct}", hint)
    rel = related_party_table(store, households=True)
    pr.ties = list(zip(rel["a"].to_pylist(), rel["b"].to_pylist(), strict=True))
    ex = store.export_edges("EXECUTIVE_OF", [])
    pr.ties += list(zip(ex["src"].to_pylist(), ex["dst"].to_pylist(), strict=True))
    return pr


def _ring_id(members: list[str]) -> str:
    return "R:" + hashlib.sha256("|".join(sorted(members)).encode()).hexdigest()[:16]


def compute_rings(store: GraphStore, rules: RingRules = RingRules(), *, include_unflagged: bool = False,
                  progress: Progress | None = None) -> RingsResult:
    """Return the rings of the store: flagged ones (and, if asked, every candidate of ≥ 3
    parties), best first."""
    report(progress, "projection")
    pr = ring_projection(store)
    report(progress, "components")
    cands = find_rings(pr.parties, pr.attributes, pr.ties, pr.loan_starts, pr.as_of or "2100-01-01", rules)
    items: list[Ring] = []
    recent = set()
    for c in cands:
        recent.update(c.recent_borrowers)
    for c in cands:
        if not c.flagged and (not include_unflagged or len(c.members) < 3):
            continue
        members = []
        for m in c.members:
            inf = pr.info.get(m, {})
            rl = [lid for lid, s in pr.loans_of.get(m, []) if m in recent and _recent(s, pr.as_of, rules)]
            members.append(RingMember(id=m, name=inf.get("name"), household_id=inf.get("household_id"),
                                      grid_id=inf.get("grid_id"), recent_loans=rl))
        ev = [RingEvidence(kind=e.kind, hint=pr.hints.get(f"{e.kind}:{e.value}", e.kind), holders=e.holders,
                           degree=e.degree, weight=e.weight) for e in c.evidence]
        items.append(Ring(id=_ring_id(c.members), members=members, units=len(c.units),
                          recent_borrowers=sum(1 for u in c.units if any(x in c.recent_borrowers for x in u)),
                          kinds=c.kinds, evidence=ev, score=c.score, flagged=c.flagged, reasons=c.reasons,
                          reason_codes=c.reason_codes, reasons_en=c.reasons_en))
    return RingsResult(as_of=pr.as_of, parameters=asdict(rules), candidates=len(cands),
                       flagged=sum(1 for c in cands if c.flagged), items=items)


def _recent(start: str, as_of: str, rules: RingRules) -> bool:
    import datetime as dt

    if not as_of:
        return True
    age = (dt.date.fromisoformat(as_of[:10]) - dt.date.fromisoformat(start[:10])).days
    return 0 <= age <= rules.recent_days


def run_rings(store: GraphStore, rules: RingRules = RingRules(), *, progress: Progress | None = None
              ) -> RingsResult:
    """Compute the rings and store them (``fraud:rings``: flagged rings and near misses of ≥ 3
    parties); return the result with the flagged rings as items."""
    res = compute_rings(store, rules, include_unflagged=True, progress=progress)
    report(progress, "write-back")
    write_stored(store, RINGS, res.items, parameters=res.parameters,
                 summary={"as_of": res.as_of, "candidates": res.candidates, "flagged": res.flagged})
    return res.model_copy(update={"items": [r for r in res.items if r.flagged]})
