"""Prospects: non-customers tied to high-value customers, ranked by the marketing analysis."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guanxi.analyses.results.marketing import Prospect
from guanxi.api import marketing
from guanxi.api.deps import Page, Store, page
from guanxi.api.models import PageOf
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/prospects", tags=["prospects"], route_class=ShapedRoute)


@router.get("", name="prospects.list", response_model=PageOf[Prospect])
def prospects(store: Store, p: Page) -> dict[str, Any]:
    """Return ranked prospects with reason and the manager to route each to."""
    rows, note = marketing.prospects(store, p)
    return page(rows, p, note=note)
