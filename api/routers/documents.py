"""Documents (NLP): upload a document for extraction and links; list cases, penalties, records."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Path, Query, Request, UploadFile

from guanxi.api.deps import Graph, Page, Store, page, run_page, services_of
from guanxi.api.errors import ApiError
from guanxi.api.models import (
    DocumentDetail,
    DocumentExtraction,
    DocumentRow,
    PageOf,
    RecordRow,
)
from guanxi.api.shaping import ShapedRoute

router = APIRouter(tags=["documents"], route_class=ShapedRoute)
DocType = Literal["judgment", "ruling", "enforcement", "penalty"]


def _decode(data: bytes, filename: str) -> str:
    from guanxi.nlp.readers import decode_bytes, html_to_text, looks_like_html

    if filename.lower().endswith(".docx") or data[:2] == b"PK":
        raise ApiError(415, "unsupported_media_type", "upload .txt or .html (docx: convert first)")
    if looks_like_html(data):
        return html_to_text(data)
    return decode_bytes(data)


@router.post("/documents", name="documents.upload", response_model=DocumentExtraction,
             response_model_exclude_unset=True)
def upload(
    request: Request,
    store: Store,
    file: Annotated[UploadFile, File(description="a judgment, ruling, enforcement or penalty text (.txt/.html, UTF-8 or GBK)")],
) -> dict[str, Any]:
    """Extract parties, amounts, guarantees and outcome from a document; link parties to the graph.

    Nothing is written to the graph; `links` gives, per party, the decision of
    `guanxi.nlp.linking` (the one party matcher): the linked node (`node_id`, `score`,
    `evidence`) or why not (`reason`), and the uncontradicted `candidates`, best first.
    """
    data = file.file.read()
    request.scope.setdefault("state", {})["upload"] = {
        "filename": (file.filename or "")[:100], "bytes": len(data)
    }
    if not data.strip():
        raise ApiError(400, "bad_request", "the uploaded file is empty")
    from guanxi.graph.pii import pii_key
    from guanxi.graph.store import StoreError
    from guanxi.nlp import extract
    from guanxi.nlp.linking import link_parties

    ext = extract(_decode(data, file.filename or ""))
    try:
        key = pii_key(store, services_of(request).settings.pii_key)
    except StoreError:  # a read-only store without a key yet: no 身份证 evidence
        key = b""
    links = [
        {"party": lk.name, "role": lk.role, "kind": lk.kind, "candidates": lk.ranked,
         "node_id": lk.node_id, "label": lk.label, "score": lk.score,
         "evidence": [e.to_dict() for e in lk.evidence], "reason": lk.reason or None}
        for lk in link_parties(store, ext, key)
    ]
    return {"extraction": ext, "links": links}


@router.get("/documents", name="documents.list", response_model=PageOf[DocumentRow])
def documents(
    graph: Graph, p: Page, doc_type: Annotated[DocType | None, Query()] = None
) -> dict[str, Any]:
    """List documents (judgments, rulings, enforcement notices, penalties), newest first."""
    rows = run_page(graph, "api_documents", {"doc_type": doc_type or ""}, p)
    return page(rows, p)


@router.get("/documents/{document_id}", name="documents.detail", response_model=DocumentDetail,
            response_model_exclude_unset=True)
def document(
    store: Store, document_id: Annotated[str, Path(max_length=300, description="D:…")]
) -> dict[str, Any]:
    """Return a document with its parties (and what mentions resolved to) and negative records."""
    rows = store.run("api_document_get", {"id": document_id})
    if not rows:
        raise ApiError(404, "not_found", "no document with that id")
    doc = rows[0]
    try:
        doc["amounts"] = json.loads(doc.pop("amounts_json") or "null")
    except ValueError:
        doc["amounts"] = None
    return {
        "document": doc,
        "parties": store.run("api_document_parties", {"id": document_id}),
        "records": store.run("api_document_records", {"id": document_id}),
    }


@router.get("/negative-records", name="records.list", response_model=PageOf[RecordRow])
def records(
    graph: Graph,
    p: Page,
    kind: Annotated[str | None, Query(max_length=50, description="e.g. 被执行人, 行政处罚")] = None,
) -> dict[str, Any]:
    """List negative records (cases, penalties), newest first."""
    rows = run_page(graph, "api_negative_records", {"kind": kind or ""}, p)
    return page(rows, p)


@router.get("/negative-records/{record_id}/documents", name="records.documents",
            response_model=PageOf[DocumentRow])
def record_documents(
    store: Store, p: Page, record_id: Annotated[str, Path(max_length=300, description="N:…")]
) -> dict[str, Any]:
    """Return the documents behind a negative record (event); 404 for an unknown record."""
    if not store.run("api_entity_negative_record", {"id": record_id}):
        raise ApiError(404, "not_found", "no negative record with that id")
    rows = store.run("api_record_documents", {"id": record_id})
    return page(rows[p.offset : p.offset + p.limit], p)
