"""Referrals (MGM): top referrers and the referrals of one person."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guanxi.analyses.results.marketing import Referrer
from guanxi.api import marketing
from guanxi.api.deps import Page, Store, page
from guanxi.api.marketing import ReferralEdge
from guanxi.api.models import PageOf
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/referrals", tags=["referrals"], route_class=ShapedRoute)


@router.get("/top", name="referrals.top", response_model=PageOf[Referrer])
def top(store: Store, p: Page) -> dict[str, Any]:
    """Return referrers, best influencers first, as the referral analysis stored them (an
    empty page with a note when it has not run)."""
    rows, note = marketing.referrers(store, p)
    return page(rows, p, note=note)


@router.get("", name="referrals.of", response_model=PageOf[ReferralEdge])
def of_person(
    store: Store,
    p: Page,
    person: Annotated[str, Query(min_length=3, max_length=200, description="Person id P:…")],
) -> dict[str, Any]:
    """Return the referrals a person made or received, newest first (404: no such person)."""
    return page(marketing.referrals_of(store, person, p), p)
