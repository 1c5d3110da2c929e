"""Prospects: non-customers tied to high-value customers, ranked by the marketing analysis."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guanxi.api import services
from guanxi.api.deps import Page, Store, page
from guanxi.api.models import PageOut
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/prospects", tags=["prospects"], route_class=ShapedRoute)


@router.get("", name="prospects.list", response_model=PageOut)
def prospects(store: Store, p: Page) -> dict[str, Any]:
    """Return ranked prospects with reason and the manager to route each to."""
    rows, note = services.prospects(store, p.offset, p.limit)
    return page(rows, p, note=note)
