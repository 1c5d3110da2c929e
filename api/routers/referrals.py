"""Referrals (MGM): top referrers and the referrals of one person."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guanxi.api import services
from guanxi.api.deps import Page, Store, page
from guanxi.api.errors import ApiError
from guanxi.api.models import PageOut
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/referrals", tags=["referrals"], route_class=ShapedRoute)


@router.get("/top", name="referrals.top", response_model=PageOut)
def top(store: Store, p: Page) -> dict[str, Any]:
    """Return referrers, best first (stored referral analysis, else counts of REFERRED)."""
    rows, note = services.referrers(store, p.offset, p.limit)
    return page(rows, p, note=note)


@router.get("", name="referrals.of", response_model=PageOut)
def of_person(
    store: Store,
    p: Page,
    person: Annotated[str, Query(min_length=3, max_length=200, description="Person id P:…")],
) -> dict[str, Any]:
    """Return the referrals a person made or received, newest first (404: no such person)."""
    if not person.startswith("P:") or not store.run("api_entity_person", {"id": person}):
        raise ApiError(404, "not_found", "no person with that id")
    rows = store.run("api_referrals_of", {"id": person, "limit": p.offset + p.limit})
    return page(rows[p.offset :], p)
