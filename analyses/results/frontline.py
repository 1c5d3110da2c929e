"""Result models of the three analyses the banks' own front-line systems have (issue #19):
shared-attribute rings (anti-fraud), tier-drop alerts (网格化营销) and 整村授信 lists.

Stored kinds: `RINGS` (``fraud:rings``), `TIER_DROPS` (``marketing:tier_drops``),
`VILLAGE_CREDIT` (``credit:village``), each in the one envelope (`Stored`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from guanxi.analyses.results import Result, ResultKind

__all__ = [
    "RINGS",
    "TIER_DROPS",
    "VILLAGE_CREDIT",
    "CreditReason",
    "DropCounterparty",
    "DropNeighbour",
    "Ring",
    "RingEvidence",
    "RingMember",
    "RingsResult",
    "TierDrop",
    "TierDropsResult",
    "VillageCreditResult",
    "VillageHousehold",
]


# -- rings -----------------------------------------------------------------------------------

class RingEvidence(Result):
    """One attribute several ring members declared: ``kind`` (phone | address | employer |
    account), a ``hint`` that identifies it without personal data (phone/account last four,
    the first 8 hex of an address hash, the employer's name), the ``holders`` inside the
    ring, its ``degree`` (parties county-wide holding it) and its rarity ``weight``."""

    kind: str
    hint: str
    holders: list[str]
    degree: int
    weight: float


class RingMember(Result):
    """A party of a ring: id, name, household and grid, and its loans started in the
    recency window (loan ids)."""

    id: str
    name: str | None = None
    household_id: str | None = None
    grid_id: str | None = None
    recent_loans: list[str] = Field(default_factory=list)


class Ring(Result):
    """A shared-attribute ring candidate (团伙骗贷 / 冒名贷款): its members, the number of
    unrelated ``units`` (a household with the firms its members represent is one unit), the
    units with recent loans, the attribute ``kinds`` shared, the ``evidence``, the
    ``score`` (recency of the units' loans × mean rarity), whether the rules ``flagged`` it
    and why (``reasons`` in Chinese, ``reasons_en``, and their stable ``reason_codes``:
    few_units, few_recent, few_kinds, flagged)."""

    id: str
    members: list[RingMember]
    units: int
    recent_borrowers: int
    kinds: list[str]
    evidence: list[RingEvidence]
    score: float
    flagged: bool
    reasons: list[str]
    reason_codes: list[str] = Field(default_factory=list)
    reasons_en: list[str] = Field(default_factory=list)


class RingsResult(Result):
    """What `guanxi analyze rings` returns: flagged rings (``items``), the rules used and counts."""

    as_of: str
    parameters: dict[str, float | int]
    candidates: int
    flagged: int
    items: list[Ring]


# -- tier drops ------------------------------------------------------------------------------

class DropNeighbour(Result):
    """A person around a dropping customer who dropped too."""

    id: str
    name: str | None = None


class DropCounterparty(Result):
    """One of the customer's main counterparties: amount both ways, and whether it dropped."""

    id: str
    name: str | None = None
    amount: float
    dropped: bool


class TierDrop(Result):
    """A customer whose tier dropped (``tier_prev`` → ``tier`` on ``drop_on``), placed in its
    grid and with its manager, with the context: household members, referrer and referees,
    main counterparties, fund-flow community that dropped too, money moved to other banks in
    the month before the drop; ``score`` counts the signals (algorithms/tier_drops.py);
    ``signals`` says them in Chinese (``signals_en`` in English), ``signal_codes`` are their
    stable codes (household, referrer, referees, counterparties, community, other_banks)."""

    id: str
    name: str | None = None
    tier_prev: str | None = None
    tier: str | None = None
    drop_on: str
    grid_id: str | None = None
    grid_name: str | None = None
    manager_id: str | None = None
    manager_name: str | None = None
    household_id: str | None = None
    household_size: int = 0
    household_dropped: list[DropNeighbour] = Field(default_factory=list)
    referrer: str | None = None
    referrer_name: str | None = None
    referrer_dropped: bool = False
    referees_dropped: list[DropNeighbour] = Field(default_factory=list)
    counterparties: list[DropCounterparty] = Field(default_factory=list)
    community: str | None = None
    community_size: int = 0
    community_dropped: int = 0
    other_bank_amount: float = 0.0
    other_bank_transfers: int = 0
    other_banks: list[str] = Field(default_factory=list)
    score: int = 0
    signals: list[str] = Field(default_factory=list)
    signal_codes: list[str] = Field(default_factory=list)
    signals_en: list[str] = Field(default_factory=list)


class TierDropsResult(Result):
    """What `guanxi analyze tier-drops` returns: the drops of ``drop_on`` per grid."""

    drop_on: str | None
    grids: int
    items: list[TierDrop]


# -- 整村授信 --------------------------------------------------------------------------------

class CreditReason(Result):
    """A rule that fired for a household: ``code`` (docs/risk.md, 整村授信; stable, what
    tests and exports rely on), the decision it asks for, the members concerned, one sentence
    with the ids in Chinese (``text``) and English (``text_en``), and its figures (``args``)."""

    code: str
    decision: Literal["review", "exclude"]
    members: list[str]
    text: str
    text_en: str = ""
    args: dict[str, str | int | float] = Field(default_factory=dict)


class VillageHousehold(Result):
    """A household of a village with its suggested decision (grant / review / exclude), the
    suggested credit ``line`` (yuan; 0 when excluded) and how it was reached (``line_basis``:
    a multiple of the yearly inflow, the floor, the cap, or excluded; ``line_text`` in Chinese,
    ``line_text_en``), the reasons, and the figures the rules
    used (yearly ``inflow``, ``guarantee_load`` = live guaranteed balance ÷ inflow,
    ``concentration`` = top payer's share of inflow)."""

    household_id: str
    grid_id: str | None = None
    village: str | None = None
    head_id: str | None = None
    head_name: str | None = None
    members: list[str]
    decision: Literal["grant", "review", "exclude"]
    line: float
    line_basis: Literal["inflow", "floor", "cap", "excluded"] | None = None
    line_text: str | None = None
    line_text_en: str | None = None
    reasons: list[CreditReason]
    inflow: float
    guarantee_load: float | None = None
    concentration: float | None = None


class VillageCreditResult(Result):
    """What `guanxi analyze village-credit` returns: every household of the chosen villages
    (``items``: excludes, then reviews, then grants), the rules and counts per decision."""

    as_of: str
    grids: list[str]
    parameters: dict[str, float | int | str]
    counts: dict[str, int]
    items: list[VillageHousehold]


RINGS = ResultKind("fraud:rings", Ring, "guanxi analyze rings")
TIER_DROPS = ResultKind("marketing:tier_drops", TierDrop, "guanxi analyze tier-drops")
VILLAGE_CREDIT = ResultKind("credit:village", VillageHousehold, "guanxi analyze village-credit")
