"""The workbench's lists, built once from the analyses' results with names instead of ids.

Each `*_rows` function returns every row of one list (alerts, circles, prospects, referral
trees, supply chains, events), each row flat and named: the borrower's name beside its id,
the grid's and the manager's names, the event behind an alert. The workbench routes page,
sort and filter them (`query`); the export writes them to a spreadsheet. Rows leave the API
only through the role shaping (`api.masking`), like every other response.

Lists are cached per graph view and analysis run (`computed_at`): the graph cannot change
under an in-memory index, and a new analysis run has a new `computed_at`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from guanxi.analyses.exposure import alerts_page
from guanxi.analyses.referrals import stored_referrals
from guanxi.analyses.results import dump, read_stored
from guanxi.analyses.results.marketing import PROSPECTS, supply_chain_from_node
from guanxi.api.deps import Services, run_copied
from guanxi.api.errors import ApiError

MAX_ROWS = 100_000
_cache: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
_lock = threading.Lock()


def _cached(svc: Services, what: str, version: str, build: Callable[[], list[dict[str, Any]]]
            ) -> list[dict[str, Any]]:
    key = (id(svc.graph), what, version)
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    rows = build()
    with _lock:
        for k in [k for k in _cache if k[0] == key[0] and k[1] == what]:
            del _cache[k]
        _cache[key] = rows
    return rows


def clear_cache() -> None:
    """Forget every cached list (after a reload or a new analysis run)."""
    with _lock:
        _cache.clear()


class Names:
    """Looks up names, labels and the grid / manager of entities, once per id."""

    def __init__(self, svc: Services) -> None:
        self.graph = svc.graph
        self._ent: dict[str, dict[str, Any] | None] = {}

    def entity(self, node_id: str | None) -> dict[str, Any]:
        """Return the entity's properties ({} when unknown)."""
        if not node_id:
            return {}
        if node_id not in self._ent:
            self._ent[node_id] = self.graph.entity(node_id)
        return self._ent[node_id] or {}

    def name(self, node_id: str | None) -> str | None:
        """Return the entity's name, or None."""
        n = self.entity(node_id).get("name")
        return str(n) if n is not None else None

    def place(self, party: str | None) -> dict[str, Any]:
        """Return grid, grid_name, manager, manager_name of a party (its grid's manager when
        the party has none)."""
        e = self.entity(party)
        grid = e.get("grid_id")
        manager = e.get("manager_id")
        if grid and not manager:
            manager = self.entity(grid).get("manager_id")
        return {"grid": grid, "grid_name": self.name(grid), "manager": manager,
                "manager_name": self.name(manager)}


# -- the generic table query ------------------------------------------------------------------


def _sort_key(field: str) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    def key(r: dict[str, Any]) -> tuple[int, Any]:
        v = r.get(field)
        if v is None:
            return (2, "")
        if isinstance(v, bool):
            return (0, int(v))
        if isinstance(v, int | float):
            return (0, v)
        return (1, str(v))
    return key


def query(
    rows: list[dict[str, Any]],
    *,
    sort: str | None,
    order: str,
    q: str | None,
    where: Iterable[str],
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """Return (the page, the number of matching rows) of `rows` filtered, sorted and cut.

    `q` keeps rows where any text cell contains it; each `where` item `field:value` keeps
    rows whose field equals the value (as text; `true`/`false` for booleans). Sorting is
    stable (the list's own order breaks ties); missing values sort last in either order.
    """
    out = rows
    for w in where:
        field, _, value = w.partition(":")
        if not field:
            continue
        out = [r for r in out if _as_text(r.get(field)) == value]
    if q:
        needle = q.strip().lower()
        out = [r for r in out if any(needle in str(v).lower() for v in r.values()
                                     if isinstance(v, str))]
    if sort:
        present = [r for r in out if r.get(sort) is not None]
        missing = [r for r in out if r.get(sort) is None]
        present = sorted(present, key=_sort_key(sort), reverse=order == "desc")
        out = present + missing
    return [dict(r) for r in out[offset : offset + limit]], len(out)


def _as_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return "" if v is None else str(v)


# -- risk analyst -------------------------------------------------------------------------------


def alert_rows(svc: Services) -> list[dict[str, Any]]:
    """Return every live-loan alert with borrower, loan amount/balance, classification, overdue
    days, the event (kind, date, amount, source), the party it concerns and how it is tied to
    the loan, and the borrower's grid and manager — newest event first."""
    stored, note, _ = alerts_page(svc.store, 0, MAX_ROWS)
    rows = dump(stored)

    def build() -> list[dict[str, Any]]:
        names = Names(svc)
        records = {r["id"]: r for r in svc.graph.run_cached(
            "api_negative_records", {"kind": "", "skip": 0, "limit": MAX_ROWS})}
        out = []
        for a in rows:
            loan = names.entity(a.get("loan"))
            rec = records.get(a.get("record")) or names.entity(a.get("record"))
            out.append({
                "id": f"{a.get('loan')}|{a.get('record')}|{a.get('party')}",
                "loan": a.get("loan"),
                "borrower": a.get("borrower"),
                "borrower_name": names.name(a.get("borrower")),
                "loan_amount": loan.get("amount"),
                "balance": a.get("balance", loan.get("balance")),
                "classification": loan.get("classification"),
                "overdue_days": loan.get("overdue_days"),
                "start_date": a.get("start_date"),
                "party": a.get("party"),
                "party_name": names.name(a.get("party")),
                "role": a.get("role"),
                "via": a.get("via"),
                "record": a.get("record"),
                "kind": a.get("kind") or rec.get("kind"),
                "date": a.get("date") or rec.get("date"),
                "event_amount": rec.get("amount"),
                "source": rec.get("source"),
                **names.place(a.get("borrower")),
            })
        return out

    return _cached(svc, "alerts", note or "", build)


def circle_rows(svc: Services) -> list[dict[str, Any]]:
    """Return every guarantee circle, riskiest first, with its members' names and explanation."""
    def build() -> list[dict[str, Any]]:
        names = Names(svc)
        circles = run_copied(svc.graph, "api_circles", {"min_size": 0, "skip": 0,
                                                        "limit": MAX_ROWS})
        out = []
        for c in circles:
            full = run_copied(svc.graph, "api_circle_get", {"id": c["id"]})
            k = full[0] if full else {}
            members = list(k.get("members") or [])
            member_names = [names.name(m) or m for m in members]
            title = "、".join(member_names[:3]) + ("等" if len(members) > 3 else "")
            out.append({**c, "name": title, "member_names": "、".join(member_names),
                        "loans": len(k.get("loans") or []),
                        "explanation": k.get("explanation")})
        return out

    return _cached(svc, "circles", _version(svc, "api_circles"), build)


def _version(svc: Services, name: str) -> str:
    rows = svc.graph.run_cached(name, {"min_size": 0, "skip": 0, "limit": 1}) \
        if name == "api_circles" else svc.graph.run_cached(name, {"skip": 0, "limit": 1})
    return str(rows[0].get("computed_at")) if rows else ""


# -- marketer -------------------------------------------------------------------------------------


def prospect_rows(svc: Services) -> list[dict[str, Any]]:
    """Return every ranked prospect with its name, the related customer, grid and manager names."""
    env = read_stored(svc.store, PROSPECTS)
    rows = env.items if env is not None else []

    def build() -> list[dict[str, Any]]:
        names = Names(svc)
        out = []
        for i, p in enumerate(rows):
            grid = p.grid
            manager = p.manager or names.entity(grid).get("manager_id")
            out.append({
                "id": p.prospect, "rank": i + 1, "prospect": p.prospect,
                "prospect_name": p.name or names.name(p.prospect),
                "kind": p.kind, "customer": p.customer,
                "customer_name": p.customer_name, "customer_tier": p.customer_tier,
                "n_transfers": p.n_transfers, "amount": p.amount,
                "score": p.score, "reason": p.reason,
                "grid": grid, "grid_name": names.name(grid),
                "manager": manager, "manager_name": names.name(manager),
            })
        return out

    return _cached(svc, "prospects", env.note if env is not None else "", build)


def referral_tree_rows(svc: Services) -> list[dict[str, Any]]:
    """Return every MGM referral tree (largest first): root referrer's name, campaign, size,
    depth, converted, conversion rate, and the root's K-factor."""
    stored = stored_referrals(svc.store)

    def build() -> list[dict[str, Any]]:
        if stored is None:
            return []
        names = Names(svc)
        stats = {s.referrer: s for s in stored.referrers}
        out = []
        for t in stored.trees:
            root = t.root
            s = stats.get(root)
            out.append({
                "id": root, "referrer": root, "referrer_name": names.name(root),
                "campaign": t.campaign, "size": t.size, "depth": t.depth,
                "converted": len(t.converted),
                "conversion_rate": t.conversion_rate,
                "k_factor": s.k_factor if s else None,
                "invites": s.invites if s else None, **names.place(root),
            })
        return out

    return _cached(svc, "referral_trees", str(stored.computed_at if stored else None), build)


def referral_tree(svc: Services, root: str) -> dict[str, Any]:
    """Return the referral tree rooted at (or holding) `root` as nodes (name, depth, converted,
    K-factor) and edges, with its campaign's K-factor; a person in no tree comes alone."""
    stored = stored_referrals(svc.store)
    trees = stored.trees if stored else []
    tree = next((t for t in trees if t.root == root), None) or next(
        (t for t in trees if any(root in e for e in t.edges)), None)
    names = Names(svc)
    if stored is None or tree is None:  # a person in no tree: the person alone
        return {"root": root, "campaign": None, "campaign_stats": None, "size": 0, "depth": 0,
                "conversion_rate": None, "edges": [],
                "nodes": [{"id": root, "label": "Person", "name": names.name(root), "depth": 0,
                           "converted": False, "invites": 0, "k_factor": 0.0}]}
    root = tree.root
    stats = {s.referrer: s for s in stored.referrers}
    converted = set(tree.converted)
    edges = [(str(e[0]), str(e[1])) for e in tree.edges]
    children: dict[str, list[str]] = defaultdict(list)
    for src, dst in edges:
        children[src].append(dst)
    depth = {root: 0}
    todo = [root]
    while todo:
        node = todo.pop()
        for kid in children.get(node, ()):
            if kid not in depth:
                depth[kid] = depth[node] + 1
                todo.append(kid)
    nodes = []
    for n in sorted(depth, key=lambda x: (depth[x], x)):
        s = stats.get(n)
        nodes.append({"id": n, "label": "Person", "name": names.name(n), "depth": depth[n],
                      "converted": n in converted or n == root,
                      "invites": s.invites if s else 0, "k_factor": s.k_factor if s else 0.0})
    campaign = tree.campaign
    camp = next((c for c in stored.campaigns if c.group == campaign), None)
    return {"root": root, "campaign": campaign,
            "campaign_stats": camp.model_dump() if camp else None,
            "size": tree.size, "depth": tree.depth,
            "conversion_rate": tree.conversion_rate, "nodes": nodes,
            "edges": [{"src": s, "dst": d, "type": "REFERRED"} for s, d in edges]}


def supply_chain_rows(svc: Services) -> list[dict[str, Any]]:
    """Return every 1+N supply chain: core firm, suppliers, buyers, the highest concentration
    of a member on one payer, and the share of payments leaking to other banks."""
    def build() -> list[dict[str, Any]]:
        rows = run_copied(svc.graph, "api_supply_chains", {"skip": 0, "limit": MAX_ROWS})
        out = []
        for r in rows:
            node = supply_chain_from_node(r)
            prof = node.profile
            conc = [c.share for c in prof.risk.concentration] if prof else []
            out.append({
                "id": node.id, "core": node.core_id, "core_name": node.core_name,
                "size": node.size,
                "suppliers": prof.core_stats.suppliers if prof else None,
                "buyers": prof.core_stats.buyers if prof else None,
                "amount": prof.core_stats.amount if prof else None,
                "concentration": max(conc) if conc else None,
                "payments": prof.risk.payments if prof else None,
                "leakage_share": prof.risk.leakage_share if prof else None,
            })
        return out

    return _cached(svc, "supply_chains", _version(svc, "api_supply_chains"), build)


def _json(raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return None


# -- investigator ---------------------------------------------------------------------------------


def event_rows(svc: Services) -> list[dict[str, Any]]:
    """Return negative events, newest first, the bank's record and the documents' records of
    the same happening merged into one event: same subject, same kind, same date.

    Each event: id (its first record), subject, subject_name, kind, date, amount (the bank's
    amount when it has one, else the documents'), amounts (each source's), sources (the
    records: id, source, amount, document), documents (document ids), n_sources."""
    def build() -> list[dict[str, Any]]:
        recs = run_copied(svc.graph, "api_negative_records", {"kind": "", "skip": 0,
                                                              "limit": MAX_ROWS})
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in recs:
            subject = r.get("subject_ref") or f"name:{r.get('subject_name')}"
            groups[(subject, str(r.get("kind")), str(r.get("date")))].append(r)
        out = []
        for (_, kind, date), rs in groups.items():
            rs.sort(key=lambda r: (_from_document(r), str(r["id"])))
            bank = [r for r in rs if not _from_document(r)]
            docs = sorted({str(r["document_id"]) for r in rs
                           if str(r.get("document_id") or "").startswith("D:")})
            amount = next((r.get("amount") for r in bank if r.get("amount") is not None),
                          next((r.get("amount") for r in rs if r.get("amount") is not None),
                               None))
            out.append({
                "id": rs[0]["id"], "subject": rs[0].get("subject_ref"),
                "subject_name": rs[0].get("subject_name"), "kind": kind, "date": date,
                "amount": amount,
                "sources": [{"record": r["id"], "source": r.get("source"),
                             "amount": r.get("amount"), "document": r.get("document_id"),
                             "from_document": _from_document(r),
                             "description": r.get("description")} for r in rs],
                "n_sources": len(rs), "documents": docs,
                "source": "、".join(sorted({_source_name(r) for r in rs})),
            })
        out.sort(key=lambda e: (e["date"], e["id"]), reverse=True)
        return out

    return _cached(svc, "events", _records_version(svc), build)


def _records_version(svc: Services) -> str:
    rows = svc.graph.run_cached("api_negative_records", {"kind": "", "skip": 0, "limit": 1})
    return str(rows[0]["id"]) if rows else ""


def _from_document(r: dict[str, Any]) -> bool:
    return str(r.get("source") or "").startswith("D:")


def _source_name(r: dict[str, Any]) -> str:
    return "文书" if _from_document(r) else str(r.get("source") or "本行记录")


def event(svc: Services, event_id: str) -> dict[str, Any]:
    """Return one merged event with its sources and the documents behind it (each with its
    parties, amounts, the bank records it evidences, and its text with the extracted parties,
    amounts and guarantees marked), 404 when no event has that id."""
    ev = next((e for e in event_rows(svc) if e["id"] == event_id
               or any(s["record"] == event_id for s in e["sources"])), None)
    if ev is None:
        raise ApiError(404, "not_found", "no event with that id")
    store = svc.store
    doc_ids = set(ev["documents"])
    for s in ev["sources"]:
        for d in store.run("api_record_documents", {"id": s["record"]}):
            doc_ids.add(str(d["id"]))
    documents = []
    for d in sorted(doc_ids):
        rows = store.run("api_document_get", {"id": d})
        if not rows:
            continue
        doc = dict(rows[0])
        doc["amounts"] = _json(doc.pop("amounts_json", None)) or []
        parties = store.run("api_document_parties", {"id": d})
        guarantees = [p for p in parties if "担保" in str(p.get("role") or "")]
        text = document_text(svc, d)
        documents.append({
            "document": doc, "parties": parties, "guarantees": guarantees,
            "text": text, "marks": marks(text, parties, doc["amounts"]) if text else [],
        })
    return {"event": ev, "documents": documents}


# -- document text and its marks ---------------------------------------------------------------


_texts: dict[str, dict[str, Path]] = {}


def documents_dirs(svc: Services) -> list[Path]:
    """Return the folders where the documents' text files may be: `GUANXI_WORKBENCH_DOCUMENTS`
    (os.pathsep-separated), else `demo-extract/documents` and `extract/documents` beside the
    store (where `guanxi demo` and the test county put them)."""
    import os

    env = os.environ.get("GUANXI_WORKBENCH_DOCUMENTS")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    base = Path(svc.settings.store).resolve().parent
    return [base / "demo-extract" / "documents", base / "extract" / "documents"]


def _index_texts(folders: list[Path]) -> dict[str, Path]:
    from guanxi.nlp.readers import decode_bytes, html_to_text, looks_like_html

    out: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for f in sorted(folder.iterdir()):
            if f.suffix.lower() not in (".txt", ".html", ".htm") or not f.is_file():
                continue
            data = f.read_bytes()
            text = html_to_text(data) if looks_like_html(data) else decode_bytes(data)
            out[hashlib.sha256(text.encode("utf-8")).hexdigest()] = f
    return out


def _text_hashes(svc: Services) -> dict[str, str]:
    """Return {document id: sha256 of its text} (exported from the store once per graph)."""
    def build() -> list[dict[str, Any]]:
        t = svc.store.export_nodes("Document", ["text_hash"])
        return [{"id": i, "h": h} for i, h in zip(t["id"].to_pylist(), t["text_hash"].to_pylist(),
                                                 strict=True)]

    rows = _cached(svc, "text_hashes", _records_version(svc), build)
    return {r["id"]: r["h"] for r in rows if r["h"]}


def document_text(svc: Services, document_id: str) -> str | None:
    """Return the text of a document (found by the hash the ingest stored), or None."""
    from guanxi.nlp.readers import decode_bytes, html_to_text, looks_like_html

    folders = documents_dirs(svc)
    key = "|".join(map(str, folders))
    with _lock:
        idx = _texts.get(key)
    if idx is None:
        idx = _index_texts(folders)
        with _lock:
            _texts[key] = idx
    h = _text_hashes(svc).get(document_id)
    path = idx.get(str(h)) if h else None
    if path is None:
        return None
    data = path.read_bytes()
    return html_to_text(data) if looks_like_html(data) else decode_bytes(data)


def marks(text: str, parties: list[dict[str, Any]], amounts: list[dict[str, Any]]
          ) -> list[dict[str, Any]]:
    """Return the spans of `text` to highlight: each party's name (kind party or guarantee,
    with the node it links to, or none for an unresolved mention) and each amount's text,
    as {start, end, kind, ...}, sorted, not overlapping (the longer span wins)."""
    found: list[dict[str, Any]] = []
    for p in parties:
        name = str(p.get("name") or "")
        if len(name) < 2:
            continue
        kind = "guarantee" if "担保" in str(p.get("role") or "") else "party"
        linked = p.get("linked") if p.get("label") != "Mention" or p.get("linked") != p.get(
            "id") else None
        start = text.find(name)
        while start >= 0:
            found.append({"start": start, "end": start + len(name), "kind": kind,
                          "role": p.get("role"), "linked": linked, "label": p.get("label"),
                          "name": name})
            start = text.find(name, start + len(name))
    for a in amounts or []:
        t = str(a.get("text") or "")
        if not t:
            continue
        start = text.find(t)
        while start >= 0:
            found.append({"start": start, "end": start + len(t), "kind": "amount",
                          "label": a.get("label"), "value": a.get("value"),
                          "type": a.get("type")})
            start = text.find(t, start + len(t))
    found.sort(key=lambda m: (m["start"], -(m["end"] - m["start"])))
    out: list[dict[str, Any]] = []
    for m in found:
        if out and m["start"] < out[-1]["end"]:
            continue
        out.append(m)
    return out
