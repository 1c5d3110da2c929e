"""Service routes: health (public), who am I, and the explorer page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from guanxi.api.auth import principal_of
from guanxi.api.deps import Store
from guanxi.api.errors import ApiError
from guanxi.api.models import Health, Me
from guanxi.api.shaping import ShapedRoute

router = APIRouter(tags=["service"], route_class=ShapedRoute)
STATIC = Path(__file__).resolve().parents[1] / "static"


@router.get("/", name="explorer", include_in_schema=False)
def explorer() -> FileResponse:
    """Return the explorer page."""
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/health", name="health", response_model=Health)
def health(store: Store) -> dict[str, Any]:
    """Return ok and the backend (no key needed)."""
    return {"status": "ok", "backend": store.backend}


@router.get("/me", name="me", response_model=Me)
def me(request: Request) -> dict[str, Any]:
    """Return the caller's key id, name and role."""
    p = principal_of(request)
    if p is None:  # enforce_access already answered 401
        raise ApiError(401, "unauthorized", "missing X-API-Key header")
    return {"key_id": p.key_id, "name": p.name, "role": p.role}
