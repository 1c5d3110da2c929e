"""Administration: API keys and the audit log (read and verify only)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from guanxi.api.deps import Page, Services, get_services, page
from guanxi.api.errors import ApiError
from guanxi.api.models import (
    AuditEntry,
    AuditVerification,
    KeyCreated,
    KeyRevoked,
    KeyRow,
    PageOf,
)
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/admin", tags=["admin"], route_class=ShapedRoute)
Svc = Annotated[Services, Depends(get_services)]


class KeyIn(BaseModel):
    """A key to create."""

    role: Literal["risk_analyst", "marketer", "investigator", "admin"]
    name: str = Field(default="", max_length=100)


@router.post("/keys", name="admin.keys_create", response_model=KeyCreated,
             status_code=201)
def create_key(svc: Svc, body: KeyIn) -> dict[str, Any]:
    """Create an API key; the key itself is in this response only."""
    k = svc.keys.add(body.role, body.name)
    return {"key_id": k.key_id, "key": k.key, "role": k.role, "name": k.name}


@router.get("/keys", name="admin.keys_list", response_model=PageOf[KeyRow])
def list_keys(svc: Svc, p: Page) -> dict[str, Any]:
    """List keys (id, name, role, created, revoked); secrets are never shown."""
    rows = svc.keys.list()
    return page(rows[p.offset : p.offset + p.limit], p)


@router.delete("/keys/{key_id}", name="admin.keys_revoke", response_model=KeyRevoked)
def revoke_key(svc: Svc, key_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    """Revoke a key."""
    if not svc.keys.revoke(key_id):
        raise ApiError(404, "not_found", "no active key with that id")
    return {"key_id": key_id, "revoked": True}


@router.get("/audit", name="admin.audit", response_model=PageOf[AuditEntry])
def audit(svc: Svc, p: Page) -> dict[str, Any]:
    """Return audit entries, newest first."""
    return page(svc.audit.page(p.limit, p.offset), p, total=svc.audit.count())


@router.get("/audit/verify", name="admin.audit_verify",
            response_model=AuditVerification)
def verify(svc: Svc) -> dict[str, Any]:
    """Recompute the audit HMAC chain and check the signed checkpoints; `ok` is false if any
    entry was edited, deleted, renumbered, reordered or truncated (`problems` lists each)."""
    v = svc.audit.verify()
    return {"ok": v.ok, "entries": v.entries, "first_bad_seq": v.first_bad_seq,
            "reason": v.reason, "checkpoints": v.checkpoints,
            "problems": [{"kind": p.kind, "seq": p.seq, "detail": p.detail}
                         for p in v.problems]}
