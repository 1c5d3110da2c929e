"""Entity linking: the parties of one extracted document → the graph's Person/Company nodes.

A party is linked to a node only when the evidence for that node reaches `THRESHOLD` and
beats the next candidate by `MARGIN`; otherwise it stays an unresolved `Mention`.
Evidence and weights (additive; see docs/nlp.md "Linking and ingest"):

=================  ======  ==============================================================
evidence           weight  when
=================  ======  ==============================================================
id_exact           1.00    a full 身份证 in the text hashes (store PII key) to the node
uscc_exact         1.00    the USCC in the text equals the company's
name_exact         0.45    full person name equal (a person's name alone never links)
company_name       0.70    full registered company name equal (unique → links)
name_masked        0.15    masked name (张某, 李某1, 王×) compatible with the node's name
birth_date         0.35    birth date (出生 details or digits 7–14 of an ID fragment)
sex                0.05    sex (details or the 17th digit of an ID fragment)
address            0.20    the address in the text names the node's village/grid/household
                           (companies: their registered address)
legal_rep          0.20    the document names the company's legal representative
tie_linked         0.30    a loan/guarantee/legal-rep/household tie to a co-party already
                           linked in the same document
tie_candidate      0.25    such a tie to a (not yet linked) candidate of another co-party
loan_amount        0.10    the tie's loan amount equals a principal in the document
bank_record        0.40    a negative record loaded from the bank cites this document and
                           names this node as its subject
=================  ======  ==============================================================

Contradictions veto a candidate: another birth date, another sex, another full 身份证 or
USCC, or (for a full name) a different name. Only the single best tie counts.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from guanxi.graph.ids import pii_hash, pii_node_id
from guanxi.graph.store import GraphStore

THRESHOLD = 0.70
"""Minimum score for a link."""
MARGIN = 0.15
"""The best candidate must beat the second best by at least this much."""

WEIGHTS: dict[str, float] = {
    "id_exact": 1.00,
    "uscc_exact": 1.00,
    "name_exact": 0.45,
    "company_name": 0.70,
    "name_masked": 0.15,
    "birth_date": 0.35,
    "sex": 0.05,
    "address": 0.20,
    "legal_rep": 0.20,
    "tie_linked": 0.30,
    "tie_candidate": 0.25,
    "loan_amount": 0.10,
    "bank_record": 0.40,
}
NAME_KINDS = frozenset({"name_exact", "company_name", "name_masked"})

_CJK = "\u4e00-\u9fff"
_MASK_CHARS = "某×xX*＊○〇"
_MASKED_RE = re.compile(rf"^([{_CJK}]{{1,2}}?)(?:某{{1,2}}|[×xX*＊○〇]{{1,3}})[{_CJK}]?\d{{0,2}}$")
_SURNAME_RE = re.compile(rf"^([{_CJK}]{{1,2}}?)[{_MASK_CHARS}]")


def is_masked(name: str) -> bool:
    """Return True when a name is anonymised (张某, 李某1, 王某某, 刘×, 某某公司)."""
    return bool(_MASKED_RE.match(name)) or any(c in name for c in "某×*＊○")


def masked_surname(name: str) -> str | None:
    """Return the visible surname of a masked person name (`欧阳某` → `欧阳`), or None."""
    m = _SURNAME_RE.match(name)
    return m.group(1) if m else None


def masked_pattern(name: str) -> re.Pattern[str]:
    """Return a regex matching the full names a masked name can stand for."""
    parts = re.split(r"([某×xX*＊○〇]+\d*)", name)
    rx = "".join(
        (rf"[{_CJK}]{{1,{max(2, len(p))}}}" if re.match(r"[某×xX*＊○〇]", p) else re.escape(p))
        for p in parts
        if p
    )
    return re.compile(f"^{rx}$")


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence for a candidate: kind, weight and what was compared."""

    kind: str
    weight: float
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as a JSON-ready dict."""
        return {"kind": self.kind, "weight": self.weight, "detail": self.detail}


@dataclass
class Candidate:
    """A graph node that may be the party, with its facts and base (tie-free) evidence."""

    id: str
    label: str
    name: str
    facts: dict[str, Any]
    evidence: list[Evidence] = field(default_factory=list)
    vetoed: str | None = None

    @property
    def base(self) -> float:
        """Return the summed weight of the tie-free evidence."""
        return sum(e.weight for e in self.evidence)


@dataclass
class PartyLink:
    """The linking decision for one party of a document."""

    index: int
    name: str
    role: str
    kind: str
    masked: bool
    node_id: str | None = None
    label: str | None = None
    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    candidates: int = 0
    reason: str = ""
    ranked: list[dict[str, Any]] = field(default_factory=list)
    """The uncontradicted candidates, best first: id, label, name, score."""

    @property
    def linked(self) -> bool:
        """Return True when the party was linked to a graph node."""
        return self.node_id is not None

    def evidence_json(self) -> str:
        """Return the evidence as a compact JSON list (stored on the SAME_AS edge)."""
        return json.dumps([e.to_dict() for e in self.evidence], ensure_ascii=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the decision as a JSON-ready dict."""
        return {
            "name": self.name,
            "role": self.role,
            "kind": self.kind,
            "masked": self.masked,
            "node_id": self.node_id,
            "label": self.label,
            "score": self.score,
            "evidence": [e.to_dict() for e in self.evidence],
            "candidates": self.candidates,
            "reason": self.reason,
            "ranked": self.ranked,
        }


@dataclass
class _Party:
    index: int
    name: str
    role: str
    kind: str
    masked: bool
    surname: str | None
    sex: str | None
    birth: str | None
    full_id: str | None
    uscc: str | None
    address: str | None
    cands: dict[str, Candidate] = field(default_factory=dict)


# -- facts read from the text -------------------------------------------------------------


def _valid_date(y: str, m: str, d: str) -> str | None:
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def id_facts(id_number: str | None) -> tuple[str | None, str | None, str | None]:
    """Return (full 身份证 or None, birth date or None, sex or None) from an ID as written.

    A masked fragment (`3410**********1234`) gives the birth date only when digits 7–14
    are visible, and the sex from its 17th digit (odd: 男).
    """
    if not id_number:
        return None, None, None
    v = id_number.strip().upper()
    if len(v) != 18:
        return None, None, None
    full = v if re.fullmatch(r"\d{17}[\dX]", v) else None
    birth = _valid_date(v[6:10], v[10:12], v[12:14]) if v[6:14].isdigit() else None
    sex = ("男" if int(v[16]) % 2 else "女") if v[16].isdigit() else None
    return full, birth, sex


def _norm_addr(s: str | None) -> str:
    return re.sub(r"[\s，,。；;]", "", s or "")


def address_evidence(doc_addr: str | None, texts: list[str]) -> str | None:
    """Return the graph text (village, grid, address) the document address names, or None."""
    a = _norm_addr(doc_addr)
    if len(a) < 3:
        return None
    for t in texts:
        t = _norm_addr(t)
        if len(t) >= 3 and "某" not in t and (t in a or (len(a) >= 6 and a in t)):
            return t
    return None


def _party(i: int, p: dict[str, Any]) -> _Party:
    d = p.get("details") or {}
    name = p["name"]
    full, fbirth, fsex = id_facts(d.get("id_number"))
    uscc = d.get("uscc")
    if uscc and not re.fullmatch(r"[0-9A-Z]{18}", uscc):
        uscc = None
    return _Party(
        index=i,
        name=name,
        role=p.get("role") or "",
        kind=p.get("kind") or "person",
        masked=is_masked(name),
        surname=masked_surname(name),
        sex=d.get("sex") or fsex,
        birth=d.get("birth_date") or fbirth,
        full_id=full,
        uscc=uscc,
        address=d.get("address"),
    )


# -- candidate retrieval ------------------------------------------------------------------


def _add_person(p: _Party, row: dict[str, Any], key: bytes) -> None:
    if row["id"] in p.cands:
        return
    c = Candidate(row["id"], "Person", row.get("name") or "", row)
    ev: list[Evidence] = []
    if p.full_id:
        if row.get("id_hash") == pii_hash(p.full_id, key) or row["id"] == pii_node_id(
            "Person", p.full_id, key
        ):
            ev.append(Evidence("id_exact", WEIGHTS["id_exact"], "身份证"))
        elif row.get("id_hash"):
            c.vetoed = "another 身份证"
    exact = any(e.kind == "id_exact" for e in ev)
    if c.name == p.name and not p.masked:
        ev.append(Evidence("name_exact", WEIGHTS["name_exact"], p.name))
    elif p.masked and masked_pattern(p.name).match(c.name):
        ev.append(Evidence("name_masked", WEIGHTS["name_masked"], f"{p.name}~{c.name}"))
    elif not exact:
        c.vetoed = c.vetoed or "another name"
    if p.birth and row.get("birth_date"):
        if p.birth == row["birth_date"]:
            ev.append(Evidence("birth_date", WEIGHTS["birth_date"], p.birth))
        elif not exact:
            c.vetoed = c.vetoed or "another birth date"
    if p.sex and row.get("sex"):
        if p.sex == row["sex"]:
            ev.append(Evidence("sex", WEIGHTS["sex"], p.sex))
        elif not exact:
            c.vetoed = c.vetoed or "another sex"
    c.evidence = ev
    p.cands[c.id] = c


def _add_company(p: _Party, row: dict[str, Any], reps: set[str]) -> None:
    if row["id"] in p.cands:
        return
    c = Candidate(row["id"], "Company", row.get("name") or "", row)
    ev: list[Evidence] = []
    if p.uscc:
        if row.get("uscc") == p.uscc:
            ev.append(Evidence("uscc_exact", WEIGHTS["uscc_exact"], p.uscc))
        elif row.get("uscc"):
            c.vetoed = "another USCC"
    exact = bool(ev)
    if c.name == p.name and not p.masked:
        ev.append(Evidence("company_name", WEIGHTS["company_name"], p.name))
    elif p.masked and masked_pattern(p.name).match(c.name):
        ev.append(Evidence("name_masked", WEIGHTS["name_masked"], f"{p.name}~{c.name}"))
    elif not exact:
        c.vetoed = c.vetoed or "another name"
    rep = row.get("legal_rep_name")
    if rep and rep in reps:
        ev.append(Evidence("legal_rep", WEIGHTS["legal_rep"], rep))
    if p.address:
        hit = address_evidence(p.address, [row.get("address") or ""])
        if hit:
            ev.append(Evidence("address", WEIGHTS["address"], hit))
    c.evidence = ev
    p.cands[c.id] = c


_PERSON_QUERIES = {
    "nlp_persons_by_name": ("names", "name"),
    "nlp_persons_by_birth": ("dates", "birth_date"),
    "nlp_persons_by_id": ("ids", "id"),
}


class Lookups:
    """The store reads of entity linking, cached per value so many documents share them.

    `link_documents` warms the cache with one query per kind for a whole batch of documents
    (`warm`, then `warm_round` per linking round); a value not seen yet is fetched on demand.
    Rows come back in the order the named queries give them (by id), so linking decides the
    same with or without the cache.
    """

    def __init__(self, store: GraphStore) -> None:
        """Wrap `store`; nothing is read until asked."""
        self.store = store
        self._people: dict[tuple[str, Any], list[dict[str, Any]]] = {}
        self._companies: dict[tuple[str, Any], list[dict[str, Any]]] = {}
        self._places: dict[str, list[dict[str, Any]]] = {}
        self._ends: dict[str, list[dict[str, Any]]] = {}
        self._neighbors: dict[str, list[dict[str, Any]]] = {}
        self.queries = 0
        """Store round trips made so far."""

    def _run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.queries += 1
        return self.store.run(name, params)

    def persons(self, query: str, values: list[Any]) -> list[dict[str, Any]]:
        """Return the rows of `query` (an `nlp_persons_by_*` query) for `values`, by id."""
        param, col = _PERSON_QUERIES[query]
        want = sorted(set(values))
        miss = [v for v in want if (query, v) not in self._people]
        if miss:
            for v in miss:
                self._people[(query, v)] = []
            for r in self._run(query, {param: miss}):
                self._people.setdefault((query, r[col]), []).append(r)
        return _by_id(r for v in want for r in self._people[(query, v)])

    def companies(
        self, names: list[str], codes: list[str], ids: list[str]
    ) -> list[dict[str, Any]]:
        """Return the companies with one of the names, USCCs or ids (`nlp_companies`), by id."""
        want = (
            [("name", v) for v in sorted(set(names))]
            + [("uscc", v) for v in sorted(set(codes))]
            + [("id", v) for v in sorted(set(ids))]
        )
        miss = [k for k in want if k not in self._companies]
        if miss:
            for k in miss:
                self._companies[k] = []
            params = {
                p: sorted(v for c, v in miss if c == col) or [""]
                for p, col in (("names", "name"), ("codes", "uscc"), ("ids", "id"))
            }
            for r in self._run("nlp_companies", params):
                for col in ("name", "uscc", "id"):
                    if (col, r.get(col)) in self._companies:
                        self._companies[(col, r.get(col))].append(r)
        return _by_id(r for k in want for r in self._companies[k])

    def places(self, grids: list[str], households: list[str]) -> list[dict[str, Any]]:
        """Return grid and household rows (`nlp_places`) for the ids."""
        want = sorted(set(grids) | set(households))
        miss = [v for v in want if v not in self._places]
        if miss:
            for v in miss:
                self._places[v] = []
            gs = sorted(set(grids) & set(miss)) or [""]
            hs = sorted(set(households) & set(miss)) or [""]
            for r in self._run("nlp_places", {"grids": gs, "households": hs}):
                self._places.setdefault(r["id"], []).append(r)
        return [r for v in want for r in self._places[v]]

    def tie_ends(self, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Return, per id, its rows of `nlp_tie_ends` (loans, household, companies it
        represents or holds shares in); ids not seen yet are read with one query."""
        want = sorted(set(ids))
        miss = [v for v in want if v not in self._ends]
        if miss:
            for v in miss:
                self._ends[v] = []
            for r in self._run("nlp_tie_ends", {"ids": miss}):
                self._ends.setdefault(r["id"], []).append(r)
        return {v: self._ends[v] for v in want}

    def ties(self, ids: list[str]) -> list[dict[str, Any]]:
        """Return the ties between two of `ids`, sorted (a, b, tie, loan).

        Rows a, b, tie, loan, amount: guarantor→borrower of a loan (`guarantees_loan_of`),
        co-guarantors and co-borrowers of a loan (a < b), a legal representative → the
        company (`legal_rep_of`), a shareholder → the company, and two members of one
        household (a < b). They are paired here from each id's tie ends (`tie_ends`), so the
        ties of any set of ids whose ends were read cost no further query.
        """
        want = set(ids)
        ends = self.tie_ends(sorted(want))
        loans: dict[str, tuple[list[str], list[str], Any]] = {}
        homes: dict[str, list[str]] = {}
        rows: list[dict[str, Any]] = []
        for i in sorted(want):
            for e in ends[i]:
                rel, via = e["rel"], e["via"]
                if rel in ("GUARANTEES", "BORROWED"):
                    g, b, _ = loans.setdefault(via, ([], [], e.get("amount")))
                    (g if rel == "GUARANTEES" else b).append(i)
                elif rel == "MEMBER_OF":
                    homes.setdefault(via, []).append(i)
                elif via in want:
                    tie = "legal_rep_of" if rel == "LEGAL_REP_OF" else "shareholder_of"
                    rows.append({"a": i, "b": via, "tie": tie, "loan": "", "amount": 0.0})
        for loan, (gs, bs, amount) in loans.items():
            for a in gs:
                rows.extend(
                    {"a": a, "b": b, "tie": "guarantees_loan_of", "loan": loan, "amount": amount}
                    for b in bs
                )
            for tie, side in (("co_guarantor", gs), ("co_borrower", bs)):
                rows.extend(
                    {"a": a, "b": b, "tie": tie, "loan": loan, "amount": amount}
                    for a in side
                    for b in side
                    if a < b
                )
        for members in homes.values():
            rows.extend(
                {"a": a, "b": b, "tie": "same_household", "loan": "", "amount": 0.0}
                for a in members
                for b in members
                if a < b
            )
        return sorted(rows, key=lambda t: (t["a"], t["b"], t["tie"], t.get("loan") or ""))

    def neighbors(self, ids: list[str]) -> list[dict[str, Any]]:
        """Return persons/companies tied to the ids (`nlp_neighbors`): id, label, via;
        distinct, sorted. Ids not seen yet are read with one query."""
        want = sorted(set(ids))
        miss = [v for v in want if v not in self._neighbors]
        if miss:
            for v in miss:
                self._neighbors[v] = []
            for r in self._run("nlp_neighbors", {"ids": miss}):
                self._neighbors.setdefault(r["src"], []).append(r)
        out = {
            (r["id"], r["label"], r["via"]) for v in want for r in self._neighbors[v]
        }
        return [{"id": i, "label": lb, "via": via} for i, lb, via in sorted(out)]

    def warm(self, extractions: list[dict[str, Any]], key: bytes) -> None:
        """Fetch the candidates, places and tie ends of every party of `extractions` at once."""
        docs = [
            [_party(i, p) for i, p in enumerate(ex.get("parties") or [])] for ex in extractions
        ]
        every = [p for ps in docs for p in ps]
        persons = [p for p in every if p.kind == "person"]
        orgs = [p for p in every if p.kind != "person"]
        self.persons("nlp_persons_by_name", [p.name for p in persons if not p.masked])
        self.persons("nlp_persons_by_birth", [p.birth for p in persons if p.masked and p.birth])
        self.persons(
            "nlp_persons_by_id",
            [pii_node_id("Person", p.full_id, key) for p in persons if p.full_id],
        )
        names = [p.name for p in orgs if not p.masked]
        codes = [p.uscc for p in orgs if p.uscc]
        if names or codes:
            self.companies(names, codes, [])
        for ex, ps in zip(extractions, docs, strict=True):
            _retrieve(self, ps, key, _reps(ex))
        self.warm_parties(every)

    def warm_parties(self, parties: list[_Party]) -> None:
        """Fetch the places and tie ends the candidates of `parties` need, one query each."""
        grids, hhs = _place_ids(parties)
        if grids or hhs:
            self.places(sorted(grids), sorted(hhs))
        ids = {cid for p in parties for cid, c in p.cands.items() if c.vetoed is None}
        if ids:
            self.tie_ends(sorted(ids))


def _by_id(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(r["id"], r)
    return [seen[k] for k in sorted(seen)]


def _reps(extraction: dict[str, Any]) -> set[str]:
    return {
        r["name"]
        for r in extraction.get("representatives") or []
        if r.get("name") and not is_masked(r["name"])
    }


def _place_ids(parties: list[_Party]) -> tuple[set[str], set[str]]:
    """Return the (grid ids, household ids) whose text address evidence still needs."""
    grids: set[str] = set()
    hhs: set[str] = set()
    for p in parties:
        if p.kind != "person" or not p.address:
            continue
        for c in p.cands.values():
            if c.label == "Person" and not any(e.kind == "address" for e in c.evidence):
                if c.facts.get("grid_id"):
                    grids.add(c.facts["grid_id"])
                if c.facts.get("household_id"):
                    hhs.add(c.facts["household_id"])
    return grids, hhs


def _person_places(store: Lookups, parties: list[_Party]) -> None:
    """Add address evidence to person candidates from their grid and household."""
    grids, hhs = _place_ids(parties)
    if not grids and not hhs:
        return
    rows = store.places(sorted(grids), sorted(hhs))
    texts: dict[str, list[str]] = {}
    for r in rows:
        texts[r["id"]] = [t for t in (r.get("village"), r.get("name"), r.get("address")) if t]
    for p in parties:
        if p.kind != "person" or not p.address:
            continue
        for c in p.cands.values():
            if c.label != "Person" or any(e.kind == "address" for e in c.evidence):
                continue
            ts = texts.get(c.facts.get("household_id") or "", []) + texts.get(
                c.facts.get("grid_id") or "", []
            )
            hit = address_evidence(p.address, ts)
            if hit:
                c.evidence.append(Evidence("address", WEIGHTS["address"], hit))


def _retrieve(store: Lookups, parties: list[_Party], key: bytes, reps: set[str]) -> None:
    persons = [p for p in parties if p.kind == "person"]
    orgs = [p for p in parties if p.kind != "person"]
    rows = store.persons("nlp_persons_by_name", [p.name for p in persons if not p.masked])
    rows += store.persons(
        "nlp_persons_by_birth", [p.birth for p in persons if p.masked and p.birth]
    )
    rows += store.persons(
        "nlp_persons_by_id",
        [pii_node_id("Person", p.full_id, key) for p in persons if p.full_id],
    )
    for p in persons:
        for r in rows:
            if (
                r.get("name") == p.name
                or (p.masked and p.birth and r.get("birth_date") == p.birth)
                or (p.full_id and r["id"] == pii_node_id("Person", p.full_id, key))
            ):
                _add_person(p, r, key)
    names = [p.name for p in orgs if not p.masked]
    codes = [p.uscc for p in orgs if p.uscc]
    if names or codes:
        crow = store.companies(names, codes, [])
        for p in orgs:
            for r in crow:
                if r.get("name") == p.name or (p.uscc and r.get("uscc") == p.uscc):
                    _add_company(p, r, reps)


def _expand(
    store: Lookups,
    parties: list[_Party],
    linked: dict[int, Candidate],
    key: bytes,
    reps: set[str],
) -> bool:
    """Add neighbours of linked nodes as candidates of masked/unlinked parties; True if any."""
    open_parties = [p for p in parties if p.index not in linked]
    if not linked or not open_parties:
        return False
    nb = store.neighbors([c.id for c in linked.values()])
    pids = sorted({r["id"] for r in nb if r["label"] == "Person"})
    cids = sorted({r["id"] for r in nb if r["label"] == "Company"})
    added = False
    prow = store.persons("nlp_persons_by_id", pids) if pids else []
    crow = store.companies([], [], cids) if cids else []
    for p in open_parties:
        if p.kind == "person":
            for r in prow:
                if r["id"] in p.cands:
                    continue
                nm = r.get("name") or ""
                if nm == p.name or (p.masked and p.surname and nm.startswith(p.surname)):
                    _add_person(p, r, key)
                    added = True
        else:
            for r in crow:
                if r["id"] in p.cands:
                    continue
                nm = r.get("name") or ""
                if nm == p.name or (p.masked and masked_pattern(p.name).match(nm)):
                    _add_company(p, r, reps)
                    added = True
    return added


# -- decision -----------------------------------------------------------------------------


def _principals(extraction: dict[str, Any]) -> list[float]:
    return [
        float(a["value"])
        for a in extraction.get("amounts") or []
        if a.get("type") in ("principal", "total")
    ]


def _tie_evidence(
    p: _Party,
    c: Candidate,
    ties: dict[str, list[dict[str, Any]]],
    parties: list[_Party],
    linked: dict[int, Candidate],
    principals: list[float],
) -> list[Evidence]:
    best: list[Evidence] = []
    best_w = 0.0
    owner: dict[str, list[tuple[int, bool]]] = {}
    for q in parties:
        if q.index == p.index:
            continue
        if q.index in linked:
            owner.setdefault(linked[q.index].id, []).append((q.index, True))
        else:
            for cid, qc in q.cands.items():
                if qc.vetoed is None:
                    owner.setdefault(cid, []).append((q.index, False))
    for t in ties.get(c.id, []):
        other = t["b"] if t["a"] == c.id else t["a"]
        for qi, is_linked in owner.get(other, []):
            kind = "tie_linked" if is_linked else "tie_candidate"
            ev = [Evidence(kind, WEIGHTS[kind], f"{t['tie']} {parties[qi].name}")]
            amt = t.get("amount") or 0.0
            if t.get("loan") and any(abs(amt - x) < 0.5 for x in principals):
                ev.append(Evidence("loan_amount", WEIGHTS["loan_amount"], f"{t['loan']} {amt:g}"))
            w = sum(e.weight for e in ev)
            if w > best_w:
                best, best_w = ev, w
    return best


def _fetch_ties(store: Lookups, parties: list[_Party]) -> dict[str, list[dict[str, Any]]]:
    ids = sorted({cid for p in parties for cid, c in p.cands.items() if c.vetoed is None})
    out: dict[str, list[dict[str, Any]]] = {}
    if len(ids) < 2:
        return out
    for t in store.ties(ids):
        if t["a"] == t["b"]:
            continue
        out.setdefault(t["a"], []).append(t)
        out.setdefault(t["b"], []).append(t)
    return out


def _bank_records(parties: list[_Party], records: list[dict[str, Any]]) -> None:
    """Add `bank_record` evidence: bank negative records citing the document name a subject."""
    for r in records:
        subj = r.get("subject_ref")
        if not subj:
            continue
        for p in parties:
            c = p.cands.get(subj)
            if c is None or any(e.kind == "bank_record" for e in c.evidence):
                continue
            sname = r.get("subject_name") or ""
            if sname == p.name or sname == c.name:
                c.evidence.append(Evidence("bank_record", WEIGHTS["bank_record"], r["id"]))


def _round(
    parties: list[_Party],
    linked: dict[int, Candidate],
    ties: dict[str, list[dict[str, Any]]],
    principals: list[float],
    scored: dict[int, list[tuple[float, Candidate, list[Evidence]]]],
) -> dict[int, Candidate]:
    """Score every open party against the same snapshot; return the new links."""
    new: dict[int, Candidate] = {}
    for p in parties:
        if p.index in linked:
            continue
        used = {c.id for i, c in linked.items() if parties[i].name != p.name}
        rows = []
        for c in p.cands.values():
            if c.vetoed is not None or c.id in used:
                continue
            ev = list(c.evidence) + _tie_evidence(p, c, ties, parties, linked, principals)
            rows.append((round(sum(e.weight for e in ev), 4), c, ev))
        rows.sort(key=lambda r: (-r[0], r[1].id))
        scored[p.index] = rows
        if not rows:
            continue
        score, best, ev = rows[0]
        second = rows[1][0] if len(rows) > 1 else 0.0
        if score < THRESHOLD or score - second < MARGIN:
            continue
        if all(e.kind in NAME_KINDS for e in ev):  # a name alone never links a person
            if p.masked or best.label == "Person":
                continue
        new[p.index] = best
    # two parties claiming one node in the same round: keep neither
    claims: dict[str, set[str]] = {}
    for i, c in new.items():
        claims.setdefault(c.id, set()).add(parties[i].name)
    return {i: c for i, c in new.items() if len(claims[c.id]) == 1}


# -- subjects named by bank-extract rows ------------------------------------------------------


def resolve_subjects(
    store: GraphStore,
    names: pa.Array,
    ids: pa.Array,
    types: pa.Array,
    key: bytes,
    *,
    known: pa.Array | None = None,
) -> tuple[pa.Array, pa.Array]:
    """Return (node id or null, `matched_by` `id` / `name` / null) per row naming a subject.

    The rule for rows of a bank's own extract (a negative record's `subject_name`, optional
    `subject_id` and `subject_type`), which are records the bank keeps about its customers:

    1. the identifier (身份证 → the Person's keyed id, USCC → `C:<USCC>`) when that node
       exists (`id`); a missing type is read off the identifier's shape (17 digits + digit/X:
       a person, else a company);
    2. else the one Person/Company whose name is exactly the subject name — only when no other
       node has that name, and of the stated type when one is stated (`name`);
    3. else null (the record stays unlinked).

    Documents are linked with more evidence (`link_parties`): there a person's name alone
    never links. `known` are the ids of existing Person and Company nodes (read from the store
    when not given).
    """
    from guanxi.graph.ids import node_id

    sid = pc.utf8_upper(ids)
    looks_person = pc.match_substring_regex(sid, r"^\d{17}[\dX]$")
    typ = pc.coalesce(
        types,
        pc.if_else(
            looks_person, "person", pc.if_else(pc.is_valid(sid), "company", pa.scalar(None, pa.string()))
        ),
    )
    by_id_list = [
        (pii_node_id("Person", i, key) if t == "person" else node_id("Company", i) if t == "company" else None)
        if i else None
        for i, t in zip(sid.to_pylist(), typ.to_pylist(), strict=True)
    ]
    if known is None:
        known = pa.concat_arrays([
            store.export_nodes(label, [])["id"].combine_chunks().cast(pa.string())
            for label in ("Person", "Company")
        ])
    by_id = pa.array(by_id_list, pa.string())
    by_id = pc.if_else(pc.is_in(by_id, value_set=known), by_id, pa.scalar(None, pa.string()))
    tables = []
    for label in ("Person", "Company"):
        t = store.export_nodes(label, ["name"])
        tables.append(pa.table({
            "id": t["id"].combine_chunks().cast(pa.string()),
            "name": t["name"].combine_chunks().cast(pa.string()),
            "type": pa.array([label.lower()] * t.num_rows, pa.string()),
        }))
    allnames = pa.concat_tables(tables)
    counts = allnames.group_by("name").aggregate([("id", "count")])
    unique_names = counts.filter(pc.equal(counts["id_count"], 1))["name"]
    uniq = allnames.filter(pc.is_in(allnames["name"], value_set=unique_names))
    pos = pc.index_in(names, value_set=uniq["name"])
    by_name = uniq["id"].combine_chunks().take(pos)
    name_type = uniq["type"].combine_chunks().take(pos)
    type_ok = pc.or_kleene(pc.is_null(types), pc.equal(name_type, types))
    by_name = pc.if_else(pc.fill_null(type_ok, False), by_name, pa.scalar(None, pa.string()))
    subj = pc.coalesce(by_id, by_name)
    matched = pc.if_else(
        pc.is_valid(by_id),
        "id",
        pc.if_else(pc.is_valid(by_name), "name", pa.scalar(None, pa.string())),
    )
    return subj, matched


class _DocLinker:
    """The linking of one document as steps, so many documents can take each step together
    (their store reads warmed with one query per kind) and still decide exactly as alone."""

    ROUNDS = 6

    def __init__(
        self, extraction: dict[str, Any], key: bytes, bank_records: list[dict[str, Any]]
    ) -> None:
        self.key = key
        self.parties = [_party(i, p) for i, p in enumerate(extraction.get("parties") or [])]
        self.reps = _reps(extraction)
        self.principals = _principals(extraction)
        self.bank = bank_records
        self.linked: dict[int, Candidate] = {}
        self.scored: dict[int, list[tuple[float, Candidate, list[Evidence]]]] = {}
        self.final_ev: dict[int, tuple[float, list[Evidence]]] = {}
        self.ties: dict[str, list[dict[str, Any]]] = {}
        self.new: dict[int, Candidate] = {}
        self.rounds = 0
        self.done = False

    def start(self, store: Lookups) -> None:
        """Retrieve the candidates with their tie-free evidence and ties."""
        _retrieve(store, self.parties, self.key, self.reps)
        self.refresh(store)

    def refresh(self, store: Lookups) -> None:
        """Add place and bank-record evidence to new candidates; read the ties again."""
        _person_places(store, self.parties)
        _bank_records(self.parties, self.bank)
        self.ties = _fetch_ties(store, self.parties)

    def decide(self) -> None:
        """Score one round; keep its new links (`new`)."""
        self.rounds += 1
        self.new = _round(self.parties, self.linked, self.ties, self.principals, self.scored)
        for i in self.new:
            score, _c, ev = self.scored[i][0]
            self.final_ev[i] = (score, ev)
        self.linked.update(self.new)

    def wants_neighbors(self) -> list[str]:
        """Return the linked ids whose neighbours the expansion after this round reads."""
        if not self.new or not self.linked or len(self.linked) == len(self.parties):
            return []
        return [c.id for c in self.linked.values()]

    def expand(self, store: Lookups) -> bool:
        """Add neighbour candidates after a round with new links; return True if any."""
        grew = _expand(store, self.parties, self.linked, self.key, self.reps) if self.new else False
        if (not self.new and not grew) or self.rounds >= self.ROUNDS:
            self.done = True
        return grew

    def result(self) -> list[PartyLink]:
        """Return one `PartyLink` per party."""
        out: list[PartyLink] = []
        for p in self.parties:
            valid = [c for c in p.cands.values() if c.vetoed is None]
            pl = PartyLink(p.index, p.name, p.role, p.kind, p.masked, candidates=len(valid))
            pl.ranked = [
                {"id": c.id, "label": c.label, "name": c.name, "score": sc}
                for sc, c, _ev in self.scored.get(p.index, [])
            ]
            if p.index in self.linked:
                c = self.linked[p.index]
                pl.node_id, pl.label = c.id, c.label
                pl.score, pl.evidence = self.final_ev[p.index]
            else:
                rows = self.scored.get(p.index, [])
                if not rows:
                    pl.reason = "no candidate" if not p.cands else "every candidate contradicted"
                else:
                    pl.score, pl.evidence = rows[0][0], rows[0][2]
                    second = rows[1][0] if len(rows) > 1 else 0.0
                    if rows[0][0] >= THRESHOLD and rows[0][0] - second < MARGIN:
                        pl.reason = f"ambiguous ({rows[0][0]:.2f} vs {second:.2f})"
                    elif all(e.kind in NAME_KINDS for e in rows[0][2]):
                        pl.reason = "name only" + (" (masked)" if p.masked else "")
                    else:
                        pl.reason = f"below threshold ({rows[0][0]:.2f} < {THRESHOLD})"
            out.append(pl)
        return out


def _link_all(store: Lookups, docs: list[_DocLinker]) -> None:
    """Run the linking rounds of `docs` in step: each round's neighbour, candidate, place and
    tie reads are made once for all documents (`Lookups` caches them), then each document
    takes the round on its own."""
    for d in docs:
        d.start(store)
    active = list(docs)
    while active:
        for d in active:
            d.decide()
        nb_ids = sorted({i for d in active for i in d.wants_neighbors()})
        if nb_ids:
            nb = store.neighbors(nb_ids)
            pids = sorted({r["id"] for r in nb if r["label"] == "Person"})
            cids = sorted({r["id"] for r in nb if r["label"] == "Company"})
            if pids:
                store.persons("nlp_persons_by_id", pids)
            if cids:
                store.companies([], [], cids)
        grown = [d for d in active if d.expand(store)]
        store.warm_parties([p for d in grown for p in d.parties])
        for d in grown:
            d.refresh(store)
        active = [d for d in active if not d.done]


def link_documents(
    store: GraphStore,
    extractions: list[dict[str, Any]],
    key: bytes,
    *,
    bank_records: list[list[dict[str, Any]]] | None = None,
) -> list[list[PartyLink]]:
    """Return, per extraction, its `PartyLink`s — as `link_parties`, with shared store reads.

    The candidates, places and tie ends of all documents are read with one query per kind
    (`Lookups.warm`); then the documents take the linking rounds in step, each round's
    neighbour expansion read once for all of them, and each document is decided on its own
    exactly as `link_parties` decides it.
    """
    lk = Lookups(store)
    lk.warm(extractions, key)
    recs = bank_records or [[] for _ in extractions]
    docs = [_DocLinker(ex, key, br) for ex, br in zip(extractions, recs, strict=True)]
    _link_all(lk, docs)
    return [d.result() for d in docs]


def link_parties(
    store: GraphStore | Lookups,
    extraction: dict[str, Any],
    key: bytes,
    *,
    bank_records: list[dict[str, Any]] | None = None,
) -> list[PartyLink]:
    """Return one `PartyLink` per party of `extraction` (same order), linked or not.

    `key` is the store's PII key (`guanxi.graph.pii.pii_key`); `bank_records` are rows of
    `nlp_records_citing` (id, subject_name, subject_ref): negative records loaded from the
    bank that cite this document (never records derived from the document itself).
    """
    if not isinstance(store, Lookups):
        store = Lookups(store)
    d = _DocLinker(extraction, key, bank_records or [])
    _link_all(store, [d])
    return d.result()


__all__ = [
    "MARGIN",
    "THRESHOLD",
    "WEIGHTS",
    "Candidate",
    "Evidence",
    "Lookups",
    "PartyLink",
    "address_evidence",
    "id_facts",
    "is_masked",
    "link_documents",
    "link_parties",
    "masked_pattern",
    "masked_surname",
    "resolve_subjects",
]
