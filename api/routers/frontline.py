"""Rings, tier drops and 整村授信 (issue #19): the stored results of `guanxi analyze rings |
tier-drops | village-credit`, read through `analyses.results` (never recomputed here).

Who sees what: rings and the whole 整村授信 list (with exclusions and their reasons) go to
risk analysts; tier drops and the 整村授信 grants go to marketers, shaped like every marketer
response (names masked by whose they are, allow-listed keys). An unstored result is an
empty page whose ``note`` names the command that computes it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from guanxi.analyses.results import ResultKind, not_computed_note, read_stored
from guanxi.analyses.results.frontline import (
    RINGS,
    TIER_DROPS,
    VILLAGE_CREDIT,
    Ring,
    TierDrop,
    VillageHousehold,
)
from guanxi.api.deps import Page, PageParams, Store, page
from guanxi.api.shaping import ShapedRoute

router = APIRouter(tags=["frontline"], route_class=ShapedRoute)


class _Page(BaseModel):
    limit: int
    offset: int
    count: int = Field(description="rows in this page")
    next_offset: int | None = Field(description="offset of the next page, null at the end")
    note: str | None = None
    total: int | None = None


class RingPage(_Page):
    """A page of shared-attribute rings, highest score first."""

    items: list[Ring]


class TierDropPage(_Page):
    """A page of tier drops, per grid and manager, strongest context first."""

    items: list[TierDrop]


class VillagePage(_Page):
    """A page of 整村授信 households: excludes, reviews, then grants."""

    items: list[VillageHousehold]


def _paged(items: list[Any], p: PageParams, note: str) -> dict[str, Any]:
    rows = [i.model_dump(exclude_unset=False) for i in items[p.offset: p.offset + p.limit]]
    return page(rows, p, note=note, total=len(items))


def _not_computed(kind: ResultKind[Any], store: Store, p: PageParams) -> dict[str, Any]:
    return page([], p, note=not_computed_note(kind, store), total=0)


@router.get("/rings", name="rings.list", response_model=RingPage)
def rings(store: Store, p: Page,
          flagged: Annotated[bool, Query(description="Only rings the rules flag (false: near misses too).")] = True,
          min_units: Annotated[int, Query(ge=0, le=1000)] = 0) -> dict[str, Any]:
    """List shared-attribute rings (unrelated applicants sharing phone, address, employer,
    contact or collecting account), highest score first."""
    env = read_stored(store, RINGS)
    if env is None:
        return _not_computed(RINGS, store, p)
    items = [r for r in env.items if (r.flagged or not flagged) and r.units >= min_units]
    return _paged(items, p, env.note)


def _drops(store: Store, p: PageParams, grid: str | None, manager: str | None) -> dict[str, Any]:
    env = read_stored(store, TIER_DROPS)
    if env is None:
        return _not_computed(TIER_DROPS, store, p)
    items = [d for d in env.items if (grid is None or d.grid_id == grid)
             and (manager is None or d.manager_id == manager)]
    return _paged(items, p, f"{env.note}; drops of {env.summary.get('drop_on')}")


@router.get("/tier-drops", name="tier_drops.list", response_model=TierDropPage)
def tier_drops(store: Store, p: Page,
               grid: Annotated[str | None, Query(max_length=200, description="Grid id G:…")] = None,
               manager: Annotated[str | None, Query(max_length=200, description="Manager id M:…")] = None,
               ) -> dict[str, Any]:
    """List the customers whose tier dropped, per grid and manager, with who around them
    dropped too and money moved to other banks."""
    return _drops(store, p, grid, manager)


def _village(store: Store, p: PageParams, grid: str | None, decision: str | None) -> dict[str, Any]:
    env = read_stored(store, VILLAGE_CREDIT)
    if env is None:
        return _not_computed(VILLAGE_CREDIT, store, p)
    items = [h for h in env.items if (grid is None or h.grid_id == grid)
             and (decision is None or h.decision == decision)]
    return _paged(items, p, env.note)


@router.get("/village-credit", name="village_credit.list", response_model=VillagePage)
def village_credit(store: Store, p: Page,
                   grid: Annotated[str | None, Query(max_length=200, description="Grid id G:…")] = None,
                   decision: Annotated[Literal["grant", "review", "exclude"] | None, Query()] = None,
                   ) -> dict[str, Any]:
    """List every household of the 整村授信 villages with its decision and reasons."""
    return _village(store, p, grid, decision)


@router.get("/village-credit/grants", name="village_credit.grants", response_model=VillagePage)
def village_credit_grants(store: Store, p: Page,
                          grid: Annotated[str | None, Query(max_length=200, description="Grid id G:…")] = None,
                          ) -> dict[str, Any]:
    """List the households suggested for a pre-approved line (grant), per village."""
    return _village(store, p, grid, "grant")
