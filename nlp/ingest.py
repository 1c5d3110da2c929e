"""Documents into the graph: extraction + entity linking → Document, Mention, NegativeRecord.

`ingest_documents(store, paths)` reads each file, extracts it (`guanxi.nlp.extract`), links
its parties (`guanxi.nlp.linking`) and writes, for each legal document:

- a `Document` node `D:<case number>` (or `D:h<16 hex of the text's SHA-256>` without one);
- one `Mention` per party `X:<doc key>#<n>` (n = 1-based party position; `X:<doc key>#g<n>`
  for a guarantor/debtor that is not a party), `resolved` when linked, with `SAME_AS`
  (score, evidence) to the Person/Company;
- `PARTY_TO` (role) from the linked node, else from the Mention;
- `NegativeRecord` `N:<doc key>#<n>` for losing defendants of judgments (判决被告), the
  被执行人 of enforcement documents (失信被执行人 when the document is about the 失信 list) and
  the parties of penalty decisions (行政处罚, or 公安处罚 from a 公安 authority), with date,
  amount, `source` = `document_id` = the Document id; `SUBJECT_OF` from the linked node;
  `EVIDENCED_BY` to the Document (also from bank-loaded records whose `document_id` is the
  case number, the file stem or the Document id);
- `GUARANTEE_FACT` guarantor → debtor (linked node or Mention) for guarantees in the text.

Every id and edge key derives from the document's content, and whatever an earlier ingest of
the same document wrote but this one does not (a mention now linked, a stale edge) is removed,
so ingesting a document again leaves the graph unchanged. A file that fails is reported and
the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa

from guanxi.graph import ids as graph_ids
from guanxi.graph import model as graph_model
from guanxi.graph import queries
from guanxi.graph.generation import load_generation
from guanxi.graph.ids import edge_key, pii_hash
from guanxi.graph.model import NODES, RELS
from guanxi.graph.pii import fingerprint, pii_key_for
from guanxi.graph.progress import Progress
from guanxi.graph.progress import report as report_progress
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore, StoreError

from .extract import extract
from .linking import PartyLink, id_facts, link_documents
from .parties import kind_of
from .readers import UnreadableFileError, read_text

SUFFIXES = (".txt", ".docx", ".html", ".htm")
"""File types `ingest_documents` picks up from a folder."""

DEFENDANT_ROLES = ("被告", "原审被告", "被上诉人", "上诉人", "再审申请人", "被申请人")
ENFORCED_ROLES = ("被执行人", "失信被执行人")
PENALISED_ROLES = ("当事人", "被处罚人", "违法行为人", "被处罚单位", "违法嫌疑人")

STAMP_PREFIX = "nlp:"
"""Meta id prefix of the per-document ingest stamps (`nlp:<SHA-256 of the text>`)."""


@dataclass
class DocumentReport:
    """What ingesting one file did (or why it failed)."""

    path: str
    status: str = "ok"
    """`ok`, or `failed` with `error` set."""
    error: str | None = None
    document_id: str | None = None
    doc_type: str | None = None
    parties: int = 0
    linked: int = 0
    mentions: int = 0
    records: int = 0
    guarantees: int = 0
    warnings: list[str] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    skipped: bool = False
    """True when the document was left as it was: its text, the NLP code, the PII key and
    the graph it links against are those of its last ingest (the report is that ingest's)."""


@dataclass
class IngestReport:
    """The per-document reports of one batch, with totals."""

    documents: list[DocumentReport] = field(default_factory=list)

    @property
    def ok(self) -> int:
        """Return the number of documents written."""
        return sum(d.status == "ok" for d in self.documents)

    @property
    def failed(self) -> int:
        """Return the number of files that could not be ingested."""
        return sum(d.status != "ok" for d in self.documents)

    @property
    def skipped(self) -> int:
        """Return the number of documents left as they were (unchanged since their ingest)."""
        return sum(d.skipped for d in self.documents)

    @property
    def linked(self) -> int:
        """Return the number of parties linked to graph nodes."""
        return sum(d.linked for d in self.documents)

    @property
    def mentions(self) -> int:
        """Return the number of parties left as unresolved mentions."""
        return sum(d.parties - d.linked for d in self.documents)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "ok": self.ok,
            "failed": self.failed,
            "skipped": self.skipped,
            "linked": self.linked,
            "mentions": self.mentions,
            "documents": [asdict(d) for d in self.documents],
        }


class NotLegalDocumentError(ValueError):
    """The text is not a judgment, ruling, enforcement document or penalty decision."""


# -- derivations --------------------------------------------------------------------------


def document_key(extraction: dict[str, Any], text: str) -> str:
    """Return the document's natural key: its case number, else `h` + 16 hex of SHA-256(text)."""
    cn = extraction.get("case_number")
    if cn:
        return str(cn)
    return "h" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _mentioned(p: dict[str, Any], items: list[str]) -> bool:
    names = [n for n in (p["name"], p.get("alias")) if n]
    return any(any(n in it for n in names) for it in items)


def record_amount(doc_type: str, amounts: list[dict[str, Any]]) -> float | None:
    """Return the amount of a derived negative record: fines for penalties, else the debt.

    Claimed amounts (`kind` claim_…) and figures flagged `suspect` are not counted.
    """
    # what was decided, not what was claimed; a figure that contradicts the document is left out
    amounts = [
        a for a in amounts
        if not str(a.get("kind") or "").startswith("claim_") and not a.get("suspect")
    ]
    by: dict[str, float] = {}
    for a in amounts:
        by[a["type"]] = by.get(a["type"], 0.0) + float(a["value"])
    if doc_type == "penalty":
        v = by.get("fine", 0.0) + by.get("confiscation", 0.0)
        return v or None
    if "total" in by:
        return by["total"]
    v = by.get("principal", 0.0) + by.get("interest", 0.0) + by.get("penalty_interest", 0.0)
    if v:
        return v
    if doc_type == "enforcement" and amounts:
        return max(float(a["value"]) for a in amounts)
    return None


def record_kinds(extraction: dict[str, Any], text: str = "") -> list[str | None]:
    """Return, per party, the kind of negative record the document supports (or None).

    Enforcement documents give 失信被执行人 when the title, outcome or `text` speaks of the
    失信被执行人名单, else 被执行人.
    """
    dt = extraction.get("doc_type")
    parties = extraction.get("parties") or []
    outcome = extraction.get("outcome") or []
    out: list[str | None] = []
    if dt == "judgment":
        losing = [it for it in outcome if not it.startswith(("驳回", "撤销"))]
        for p in parties:
            role_full = p.get("role_full") or ""
            defendant = (
                p["role"] in ("被告", "原审被告")
                or "原审被告" in role_full
                or (p["role"] in DEFENDANT_ROLES and "被告" in role_full)
            )
            out.append("判决被告" if defendant and _mentioned(p, losing) else None)
    elif dt == "enforcement":
        said = " ".join([extraction.get("doc_title") or "", *outcome, text])
        kind = "失信被执行人" if "失信" in said else "被执行人"
        out = [kind if p["role"] in ENFORCED_ROLES else None for p in parties]
    elif dt == "penalty":
        kind = "公安处罚" if "公安" in (extraction.get("authority") or "") else "行政处罚"
        out = [
            kind if p["role"] in PENALISED_ROLES or p["role"].startswith("当事") else None
            for p in parties
        ]
    else:
        out = [None for _ in parties]
    return out


def _details_json(details: dict[str, Any], key: bytes) -> str:
    """Return the party details as JSON; a full 身份证 is replaced by its keyed hash."""
    d = {k: v for k, v in details.items() if v is not None}
    full, _, _ = id_facts(d.get("id_number"))
    if full:
        d.pop("id_number")
        d["id_hash"] = pii_hash(full, key)
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


def _table(
    schema_props: dict[str, str], rows: list[dict[str, Any]], first: tuple[str, ...]
) -> pa.Table:
    from guanxi.graph.model import ARROW_TYPES

    cols = list(first) + [c for c in schema_props if c not in first]
    fields = [
        pa.field(
            c,
            pa.int64()
            if c == "key"
            else ARROW_TYPES[schema_props[c]]
            if c in schema_props
            else pa.string(),
        )
        for c in cols
    ]
    return pa.Table.from_pylist(rows, schema=pa.schema(fields))


def _node_table(label: str, rows: list[dict[str, Any]]) -> pa.Table:
    props = {p.name: p.type for p in NODES[label].all_props}
    used = {k for r in rows for k in r}
    return _table({k: v for k, v in props.items() if k in used}, rows, ("id",))


def _edge_table(rel: str, rows: list[dict[str, Any]]) -> pa.Table:
    props = {p.name: p.type for p in RELS[rel].all_props}
    used = {k for r in rows for k in r}
    return _table(
        {k: v for k, v in props.items() if k in used and k != "key"}, rows, ("src", "dst", "key")
    )


# -- one document ---------------------------------------------------------------------------


@dataclass
class _Plan:
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def node(self, label: str, row: dict[str, Any]) -> None:
        self.nodes.setdefault(label, []).append(row)

    def edge(self, rel: str, src_label: str, dst_label: str, row: dict[str, Any]) -> None:
        rows = self.edges.setdefault((rel, src_label, dst_label), [])
        if all(r["key"] != row["key"] for r in rows):
            rows.append(row)

    def keys(self, rel: str) -> set[int]:
        return {r["key"] for (t, _, _), rows in self.edges.items() if t == rel for r in rows}


def plan_document(
    extraction: dict[str, Any],
    text: str,
    links: list[PartyLink],
    key: bytes,
    bank_records: list[dict[str, Any]],
) -> tuple[str, _Plan, DocumentReport]:
    """Return (Document id, the rows to write, the report) for one extracted document."""
    dkey = document_key(extraction, text)
    doc_id = f"D:{dkey}"
    rep = DocumentReport(path="", document_id=doc_id, doc_type=extraction.get("doc_type"))
    plan = _Plan()
    plan.node(
        "Document",
        {
            "id": doc_id,
            "doc_type": extraction.get("doc_type"),
            "case_number": extraction.get("case_number"),
            "authority": extraction.get("authority"),
            "date": extraction.get("date"),
            "cause": extraction.get("cause"),
            "title": extraction.get("doc_title"),
            "text_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "outcome": list(extraction.get("outcome") or []),
            "amounts_json": json.dumps(extraction.get("amounts") or [], ensure_ascii=False),
        },
    )
    parties = extraction.get("parties") or []
    node_of: dict[str, tuple[str, str]] = {}  # party name or alias → (node id, label)
    for i, (p, lk) in enumerate(zip(parties, links, strict=True)):
        mid = f"X:{dkey}#{i + 1}"
        plan.node(
            "Mention",
            {
                "id": mid,
                "name": p["name"],
                "kind": p["kind"],
                "role": p["role"],
                "document_id": doc_id,
                "details_json": _details_json(p.get("details") or {}, key),
                "resolved": lk.linked,
            },
        )
        if lk.linked and lk.node_id and lk.label:
            node, label = lk.node_id, lk.label
            plan.edge(
                "SAME_AS",
                "Mention",
                label,
                {
                    "src": mid,
                    "dst": node,
                    "key": edge_key("SAME_AS", mid, node),
                    "score": lk.score,
                    "evidence": lk.evidence_json(),
                },
            )
        else:
            node, label = mid, "Mention"
        plan.edge(
            "PARTY_TO",
            label,
            "Document",
            {
                "src": node,
                "dst": doc_id,
                "key": edge_key("PARTY_TO", node, doc_id, p["role"]),
                "role": p.get("role_full") or p["role"],
            },
        )
        for n in (p["name"], p.get("alias")):
            if n:
                node_of.setdefault(n, (node, label))
        rep.links.append(lk.to_dict())
    rep.parties = len(parties)
    rep.linked = sum(lk.linked for lk in links)
    rep.mentions = rep.parties - rep.linked

    # negative records
    amount = record_amount(extraction.get("doc_type") or "", extraction.get("amounts") or [])
    desc = " ".join(
        x
        for x in (
            extraction.get("doc_title"),
            extraction.get("case_number"),
            extraction.get("cause"),
        )
        if x
    )
    for i, (p, lk, kind) in enumerate(zip(parties, links, record_kinds(extraction, text), strict=True)):
        if kind is None:
            continue
        rid = f"N:{dkey}#{i + 1}"
        plan.node(
            "NegativeRecord",
            {
                "id": rid,
                "kind": kind,
                "date": extraction.get("date"),
                "amount": amount,
                "source": doc_id,
                "document_id": doc_id,
                "subject_name": p["name"],
                "subject_ref": lk.node_id,
                "description": desc or None,
            },
        )
        plan.edge(
            "EVIDENCED_BY",
            "NegativeRecord",
            "Document",
            {
                "src": rid,
                "dst": doc_id,
                "key": edge_key("EVIDENCED_BY", rid, doc_id),
            },
        )
        if lk.linked and lk.node_id and lk.label:
            plan.edge(
                "SUBJECT_OF",
                lk.label,
                "NegativeRecord",
                {
                    "src": lk.node_id,
                    "dst": rid,
                    "key": edge_key("SUBJECT_OF", lk.node_id, rid),
                    "matched_by": f"document {lk.score:.2f}",
                },
            )
        rep.records += 1
    for r in bank_records:
        plan.edge(
            "EVIDENCED_BY",
            "NegativeRecord",
            "Document",
            {
                "src": r["id"],
                "dst": doc_id,
                "key": edge_key("EVIDENCED_BY", r["id"], doc_id),
            },
        )

    # guarantee facts
    extra = 0
    for g in extraction.get("guarantees") or []:
        ends = []
        for nm in (g["guarantor"], g["debtor"]):
            if nm not in node_of:
                extra += 1
                mid = f"X:{dkey}#g{extra}"
                plan.node(
                    "Mention",
                    {
                        "id": mid,
                        "name": nm,
                        "kind": kind_of(nm, {}),
                        "role": None,
                        "document_id": doc_id,
                        "details_json": "{}",
                        "resolved": False,
                    },
                )
                node_of[nm] = (mid, "Mention")
            ends.append(node_of[nm])
        (src, sl), (dst, dl) = ends
        if src == dst:
            continue
        gtype = g.get("type") or ""
        plan.edge(
            "GUARANTEE_FACT",
            sl,
            dl,
            {
                "src": src,
                "dst": dst,
                "key": edge_key("GUARANTEE_FACT", doc_id, src, dst, gtype),
                "document_id": doc_id,
                "gtype": g.get("type"),
                "creditor": g.get("creditor"),
            },
        )
    rep.guarantees = len(plan.keys("GUARANTEE_FACT"))
    return doc_id, plan, rep


_DELETE = {
    "PARTY_TO": "nlp_delete_party_to",
    "SAME_AS": "nlp_delete_same_as",
    "SUBJECT_OF": "nlp_delete_subject_of",
    "EVIDENCED_BY": "nlp_delete_evidenced_by",
    "GUARANTEE_FACT": "nlp_delete_guarantee_fact",
}
_EDGE_ORDER = ("SAME_AS", "PARTY_TO", "EVIDENCED_BY", "SUBJECT_OF", "GUARANTEE_FACT")
_NODE_ORDER = ("Document", "Mention", "NegativeRecord")

BATCH = 500
"""Documents linked and written together (one read per lookup kind, one upsert per type)."""


# -- stamps: skip what is unchanged ------------------------------------------------------------


@cache
def code_fingerprint() -> str:
    """Return 16 hex of a SHA-256 over what decides an ingest besides the text and the graph:
    the files of the `nlp` package (code and resources), the `nlp_*` named queries, the
    graph model and id rules, and the versions of jieba and spaCy."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for f in sorted(here.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(here)).encode("utf-8") + b"\0" + f.read_bytes())
    for name in queries.query_names():
        if name.startswith("nlp_"):
            for dialect in ("kuzu", "neo4j"):
                h.update(queries.load(name, dialect).text.encode("utf-8"))
    for mod in (graph_ids, graph_model):
        h.update(Path(str(mod.__file__)).read_bytes())
    for dist in ("jieba", "spacy"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-".encode())
    return h.hexdigest()[:16]


def link_context(store: GraphStore, key: bytes) -> str:
    """Return 16 hex naming everything an ingest depends on besides each document's text and
    the bank records citing it: `code_fingerprint()`, the PII key's fingerprint and the graph
    linking reads (node/edge counts of its labels and types, the extract's as-of date and the
    store's load generation, which every load renews).

    Caveat: a change to those labels' properties made by anything other than a loader (which
    renews the load generation) and that leaves every count as it was is not seen.
    """
    counts = {str(r["k"]): int(r["n"]) for r in store.run("nlp_link_inputs")}
    body = {
        "code": code_fingerprint(),
        "key": fingerprint(key),
        "counts": dict(sorted(counts.items())),
        "as_of": store.get_meta("last_extract_as_of"),
        "generation": load_generation(store),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _refs(doc_id: str, stem: str | None) -> list[str]:
    """Return how bank records may cite a document: case number (= its key when it has
    one), file stem, Document id, key."""
    return sorted({x for x in (stem, doc_id, doc_id[2:]) if x})


def _bank_of(cited: list[dict[str, Any]], doc_id: str, stem: str | None) -> list[dict[str, Any]]:
    """Return the bank-loaded records of `cited` that cite the document (not its own)."""
    refs = set(_refs(doc_id, stem))
    own = f"N:{doc_id[2:]}#"
    return [r for r in cited if r.get("document_id") in refs and not str(r["id"]).startswith(own)]


def _stamp(text_hash: str, stem: str | None, context: str, bank: list[dict[str, Any]]) -> str:
    """Return the stamp of one document's ingest: 32 hex over its text, file stem, the
    `link_context` and the bank records citing it."""
    rows = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in bank)
    body = json.dumps([text_hash, stem or "", context, rows], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def _unchanged(
    store: GraphStore, texts: list[tuple[int, Path, str, str]], context: str
) -> dict[int, DocumentReport]:
    """Return, by position, the reports of the texts whose stamp is current: the stamp of
    their last ingest equals the one they would get now, and their Document still holds
    this text. Two reads: the stamps (with the Documents holding these texts) and the bank
    records citing the candidates."""
    if not texts:
        return {}
    hashes = sorted({h for _, _, _, h in texts})
    rows = store.run(
        "nlp_ingest_stamps", {"ids": [STAMP_PREFIX + h for h in hashes], "hashes": hashes}
    )
    stamps: dict[str, dict[str, Any]] = {}
    holds: set[tuple[str, str]] = set()  # (Document id, text hash) as stored
    for r in rows:
        if r["kind"] == "stamp":
            try:
                stamps[str(r["id"])[len(STAMP_PREFIX):]] = json.loads(str(r["value"]))
            except ValueError:
                continue
        else:
            holds.add((str(r["id"]), str(r["value"])))
    cands = [
        (n, f, h, stamps[h])
        for n, f, _, h in texts
        if h in stamps and (str(stamps[h].get("doc")), h) in holds
    ]
    if not cands:
        return {}
    refs = sorted({x for _, f, _, st in cands for x in _refs(str(st["doc"]), f.stem)})
    cited = store.run("nlp_records_citing", {"refs": refs})
    out: dict[int, DocumentReport] = {}
    for n, f, h, st in cands:
        bank = _bank_of(cited, str(st["doc"]), f.stem)
        if st.get("stamp") == _stamp(h, f.stem, context, bank):
            out[n] = DocumentReport(**{**st["report"], "path": str(f), "skipped": True})
    return out


def _stamp_value(stamp: str, doc_id: str, rep: DocumentReport) -> str:
    """Return the Meta value of a stamp: the stamp, the Document id and the report."""
    kept = asdict(rep)
    for k in ("path", "skipped"):
        kept.pop(k)
    kept["warnings"] = [w for w in rep.warnings if not w.startswith("replaces ")]
    return json.dumps({"stamp": stamp, "doc": doc_id, "report": kept}, ensure_ascii=False)


@dataclass
class _Doc:
    """One document read and extracted, waiting to be linked and written."""

    path: str
    stem: str | None
    text: str
    extraction: dict[str, Any]
    dkey: str

    @property
    def doc_id(self) -> str:
        return f"D:{self.dkey}"

    @property
    def text_hash(self) -> str:
        return _text_hash(self.text)

    def refs(self) -> list[str]:
        return _refs(self.doc_id, self.stem)


def _prepare(text: str, path: str = "", stem: str | None = None) -> _Doc:
    """Return the document extracted; raise NotLegalDocumentError for a non-legal text."""
    ex = extract(text)
    if ex.get("doc_type") is None:
        raise NotLegalDocumentError("not a legal document (no judgment/ruling/penalty header)")
    return _Doc(path, stem, text, ex, document_key(ex, text))


def _write_batch(
    store: GraphStore, items: list[tuple[_Doc, _Plan, DocumentReport]], stamps: list[str]
) -> None:
    """Write the plans of several documents with one upsert per label and relationship type,
    after removing what earlier ingests of these documents wrote that the plans no longer
    contain; then their stamps (`stamps[i]` of item i; one upsert). Of texts sharing one
    Document id the last one is written (as if each replaced the one before, in order); a
    text replacing a different one is warned about, and the stamp of the replaced text is
    removed."""
    docs = sorted({d.doc_id for d, _, _ in items})
    state = store.run("nlp_documents_state", {"docs": docs})
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in state:
        by_doc.setdefault(str(r["doc"]), []).append(r)
    last = {d.doc_id: n for n, (d, _, _) in enumerate(items)}
    prev_hash: dict[str, str] = {}
    for d, _plan, _rep in items:
        old = [r["node"] for r in by_doc.get(d.doc_id, []) if r["rel"] == "Document"]
        if old and old[0]:
            prev_hash[d.doc_id] = str(old[0])
    stored_hash = dict(prev_hash)
    stale_edges: dict[str, set[int]] = {rel: set() for rel in _DELETE}
    stale_nodes: dict[str, set[str]] = {"Mention": set(), "NegativeRecord": set()}
    nodes: dict[str, list[dict[str, Any]]] = {}
    edges: dict[tuple[str, str, str], dict[int, dict[str, Any]]] = {}
    meta: list[dict[str, Any]] = []
    for n, (d, plan, rep) in enumerate(items):
        new_hash = plan.nodes["Document"][0]["text_hash"]
        old_hash = prev_hash.get(d.doc_id)
        if old_hash and old_hash != new_hash:
            rep.warnings.append(f"replaces another text with the same case number ({d.doc_id})")
        prev_hash[d.doc_id] = new_hash
        if last[d.doc_id] != n:
            continue  # a later text of this Document replaces it
        meta.append({"id": STAMP_PREFIX + new_hash,
                     "value": _stamp_value(stamps[n], d.doc_id, rep)})
        if stored_hash.get(d.doc_id, new_hash) != new_hash:
            stale_nodes.setdefault("Meta", set()).add(STAMP_PREFIX + stored_hash[d.doc_id])
        own = f"N:{d.dkey}#"
        rows = [
            r
            for r in by_doc.get(d.doc_id, [])
            if r["rel"] not in ("SUBJECT_OF", "NegativeRecord") or str(r["node"]).startswith(own)
        ]
        for rel in _DELETE:
            stale_edges[rel] |= {int(r["key"]) for r in rows if r["rel"] == rel} - plan.keys(rel)
        for label, ids in stale_nodes.items():
            if label == "Meta":
                continue
            want = {r["id"] for r in plan.nodes.get(label, [])}
            ids |= {str(r["node"]) for r in rows if r["rel"] == label} - want
        for label, nrows in plan.nodes.items():
            nodes.setdefault(label, []).extend(nrows)
        for ek, erows in plan.edges.items():
            bucket = edges.setdefault(ek, {})
            for r in erows:
                bucket.setdefault(r["key"], r)
    for rel, q in _DELETE.items():
        if stale_edges[rel]:
            store.run(q, {"keys": sorted(stale_edges[rel])})
    for label, ids in stale_nodes.items():
        if ids:
            store.delete_nodes(label, sorted(ids))
    for label in _NODE_ORDER:
        if nodes.get(label):
            store.upsert_nodes(label, _node_table(label, nodes[label]))
    for rel in _EDGE_ORDER:
        for (t, sl, dl), bucket in sorted(edges.items()):
            if t == rel and bucket:
                rows = [bucket[k] for k in sorted(bucket)]
                store.upsert_edges(t, sl, dl, _edge_table(t, rows))
    if meta:  # last: a stamp never stands for writes that did not happen
        store.upsert_nodes("Meta", pa.Table.from_pylist(
            meta, schema=pa.schema([pa.field("id", pa.string()), pa.field("value", pa.string())])
        ))


def _ingest_batch(
    store: GraphStore,
    docs: list[_Doc],
    key: bytes,
    context: str,
    progress: Progress | None = None,
    done: int = 0,
    total: int | None = None,
) -> list[DocumentReport]:
    """Link, plan and write documents; return their reports. `progress` hears
    ("linking documents", done, total) before linking, ("planning documents", done + i, total)
    per document planned and ("writing documents", done + len(docs), total) once written."""
    cited = store.run("nlp_records_citing", {"refs": sorted({r for d in docs for r in d.refs()})})
    bank = [_bank_of(cited, d.doc_id, d.stem) for d in docs]
    report_progress(progress, "linking documents", done, total)
    links = link_documents(store, [d.extraction for d in docs], key, bank_records=bank)
    items = []
    stamps = []
    for i, (d, lk, br) in enumerate(zip(docs, links, bank, strict=True)):
        _, plan, rep = plan_document(d.extraction, d.text, lk, key, br)
        rep.path = d.path
        if not d.extraction.get("parties"):
            rep.warnings.append("no parties found")
        items.append((d, plan, rep))
        stamps.append(_stamp(d.text_hash, d.stem, context, br))
        report_progress(progress, "planning documents", done + i + 1, total)
    _write_batch(store, items, stamps)
    report_progress(progress, "writing documents", done + len(docs), total)
    return [rep for _, _, rep in items]


def ingest_text(
    store: GraphStore, text: str, *, key: bytes, path: str = "", stem: str | None = None
) -> DocumentReport:
    """Extract, link and write one document's text; return its report.

    Raises NotLegalDocumentError when the text is not a legal document.
    """
    return _ingest_batch(store, [_prepare(text, path, stem)], key, link_context(store, key))[0]


def document_files(paths: Iterable[str | Path]) -> list[Path]:
    """Return the files to ingest: files as given, folders expanded (sorted, by suffix)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            )
        else:
            out.append(p)
    return out


_ERRORS = (UnreadableFileError, OSError, NotLegalDocumentError, StoreError, ValueError)


def _one_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _batches(docs: list[_Doc], size: int) -> list[list[_Doc]]:
    """Split into batches of at most `size` documents, in order."""
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def ingest_documents(
    store: GraphStore,
    paths: Iterable[str | Path],
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH,
    force: bool = False,
) -> IngestReport:
    """Ingest documents (files or folders) into `store`; return the per-document report.

    Every file is read first. A text whose stamp is current (same text, file name, NLP code,
    PII key, linking inputs of the graph and bank records citing it as at its last ingest,
    and its Document still holds it) is skipped, with its last report (`skipped` set), unless
    `force`. The others are extracted, then linked and written in batches of `batch_size`
    (one read per lookup kind and one upsert per label and relationship type per batch).
    `progress(step, done, total)` (graph.progress) hears documents done of the total as
    files are read ("reading documents"), extracted ("extracting documents"), linked,
    planned and written ("writing documents": read failures and skipped ones count as done).
    A file that cannot be read, is not a legal document or fails to write is reported as
    `failed` with a one-line error, and the batch goes on (a batch whose write fails is
    written again one document at a time, to find the one that fails).
    """
    s = settings or Settings()
    key = pii_key_for(store, s)
    files = document_files(paths)
    total = len(files)
    reports: dict[int, DocumentReport] = {}
    texts: list[tuple[int, Path, str, str]] = []
    for n, f in enumerate(files):
        try:
            text = read_text(f)
        except _ERRORS as exc:
            reports[n] = DocumentReport(path=str(f), status="failed", error=_one_line(exc))
        else:
            texts.append((n, f, text, _text_hash(text)))
        report_progress(progress, "reading documents", n + 1, total)
    context = link_context(store, key)
    unchanged = {} if force else _unchanged(store, texts, context)
    docs: list[tuple[int, _Doc]] = []
    todo = [t for t in texts if t[0] not in unchanged]
    done = total - len(todo)
    for i, (n, f, text, _) in enumerate(todo):
        try:
            docs.append((n, _prepare(text, str(f), f.stem)))
        except _ERRORS as exc:
            reports[n] = DocumentReport(path=str(f), status="failed", error=_one_line(exc))
        report_progress(progress, "extracting documents", done + i + 1, total)
    # an unchanged text whose Document another text of this run writes is written again, in
    # its place in the order, so that the last text of a Document wins as without skipping
    written = {d.doc_id for _, d in docs}
    for n, f, text, _ in texts:
        rep = unchanged.get(n)
        if rep is None:
            continue
        if rep.document_id in written:
            try:
                docs.append((n, _prepare(text, str(f), f.stem)))
            except _ERRORS as exc:
                reports[n] = DocumentReport(path=str(f), status="failed", error=_one_line(exc))
        else:
            reports[n] = rep
    docs.sort(key=lambda x: x[0])
    order = {id(d): n for n, d in docs}
    done = len(reports)
    for batch in _batches([d for _, d in docs], max(1, batch_size)):
        try:
            reps = _ingest_batch(store, batch, key, context, progress, done, total)
        except _ERRORS:
            reps = []
            for d in batch:
                try:
                    reps.append(_ingest_batch(store, [d], key, context)[0])
                except _ERRORS as exc:
                    reps.append(
                        DocumentReport(path=d.path, status="failed", error=_one_line(exc))
                    )
        for d, rep in zip(batch, reps, strict=True):
            reports[order[id(d)]] = rep
        done += len(batch)
        report_progress(progress, "writing documents", done, total)
    return IngestReport(documents=[reports[n] for n in range(total)])


__all__ = [
    "BATCH",
    "STAMP_PREFIX",
    "DocumentReport",
    "IngestReport",
    "NotLegalDocumentError",
    "code_fingerprint",
    "document_files",
    "document_key",
    "ingest_documents",
    "ingest_text",
    "link_context",
    "plan_document",
    "record_amount",
    "record_kinds",
]
