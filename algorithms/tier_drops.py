"""Tier-drop alerts with their relational context (网格化营销: who dropped, and who around them).

A customer's tier drop (高端 > 核心 > 基础 > 潜在; recorded by the incremental load as
``tier_prev`` / ``tier_drop_on``) is one line on a customer manager's morning list. What makes
it actionable is the context: did the people around the customer drop too — the household,
the referrer and the referees, the fund-flow community, the main counterparties — and is
money leaving for other banks? `drop_context` answers that for each drop; `by_grid` orders the
list per grid and manager.

A drop's **context score** (what sorts the list) counts the signals, each documented here:
1 per other household member who dropped, 1 if the referrer dropped, 1 per referee who
dropped, 1 per main counterparty who dropped, 1 if ≥ ``community_share`` of the community
dropped, and 1 if money moved to other banks in the window (2 if it is ≥ ``large_outflow``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from guanxi.algorithms.wording import Text, say

__all__ = ["TEXTS", "DropContext", "DropRules", "by_grid", "drop_context"]


@dataclass(frozen=True)
class DropRules:
    """Thresholds of the context: main counterparties kept, community share, large outflow."""

    top_counterparties: int = 3
    community_share: float = 0.2
    large_outflow: float = 100_000.0


@dataclass
class DropContext:
    """One tier drop and what happened around it."""

    person: str
    tier_prev: str | None
    tier: str | None
    drop_on: str
    grid_id: str | None
    manager_id: str | None
    household_dropped: list[str] = field(default_factory=list)
    household_size: int = 0
    referrer: str | None = None
    referrer_dropped: bool = False
    referees_dropped: list[str] = field(default_factory=list)
    counterparties: list[tuple[str, float, bool]] = field(default_factory=list)
    community: str | None = None
    community_dropped: int = 0
    community_size: int = 0
    other_bank_amount: float = 0.0
    other_bank_transfers: int = 0
    other_banks: list[str] = field(default_factory=list)
    score: int = 0
    signals: list[str] = field(default_factory=list)
    """The signals in Chinese (`TEXTS`)."""
    signal_codes: list[str] = field(default_factory=list)
    """Their stable codes: household, referrer, referees, counterparties, community, other_banks."""
    signals_en: list[str] = field(default_factory=list)


TEXTS: dict[str, Text] = {
    "household": ("同户其他 {others} 人中 {n} 人降级", "household: {n} of {others} others dropped"),
    "referrer": ("推荐人降级", "referrer dropped"),
    "referees": ("{n} 名被推荐人降级", "{n} referee(s) dropped"),
    "counterparties": ("{n} 名主要交易对手降级", "{n} main counterparty(ies) dropped"),
    "community": ("资金往来社区其他 {others} 人中 {n} 人降级", "community: {n} of {others} others dropped"),
    "other_banks": ("{k} 笔共 ¥{amount:,.0f} 转往他行", "¥{amount:,.0f} to other banks in {k} transfers"),
}
"""The context signals by code (Chinese, English)."""


def drop_context(
    drops: Iterable[Mapping[str, str | None]],
    household_of: Mapping[str, str],
    referrer_of: Mapping[str, str],
    flows: Mapping[str, Mapping[str, float]],
    outflows: Mapping[str, tuple[float, int, list[str]]],
    dropped_ever: set[str],
    community_of: Mapping[str, str] | None = None,
    rules: DropRules = DropRules(),
) -> list[DropContext]:
    """Return the context of each drop.

    `drops`: rows with ``person``, ``tier_prev``, ``tier``, ``drop_on``, ``grid_id``,
    ``manager_id``; `household_of`: person → household; `referrer_of`: referee → referrer;
    `flows`: person → {counterparty: amount both ways}; `outflows`: person → (amount,
    transfers, banks) moved to other banks' accounts in the window; `dropped_ever`: every
    person whose tier dropped (in the window the caller chose); `community_of`: person →
    fund-flow community.

    >>> ctx = drop_context(
    ...     [{"person": "a", "tier_prev": "高端", "tier": "基础", "drop_on": "2026-11-30",
    ...       "grid_id": "G:1", "manager_id": "M:1"}],
    ...     {"a": "H:1", "b": "H:1"}, {"a": "r"}, {"a": {"c": 9.0, "d": 1.0}},
    ...     {"a": (150000.0, 2, ["某银行"])}, {"a", "b", "r", "c"})
    >>> c = ctx[0]
    >>> c.household_dropped, c.referrer_dropped, c.counterparties[0], c.score
    (['b'], True, ('c', 9.0, True), 5)
    """
    members: dict[str, list[str]] = defaultdict(list)
    for person, hh in household_of.items():
        members[hh].append(person)
    referees: dict[str, list[str]] = defaultdict(list)
    for ee, er in referrer_of.items():
        referees[er].append(ee)
    comm_members: dict[str, list[str]] = defaultdict(list)
    for person, comm in (community_of or {}).items():
        comm_members[comm].append(person)
    out: list[DropContext] = []
    for d in drops:
        p = str(d["person"])
        c = DropContext(p, d.get("tier_prev"), d.get("tier"), str(d.get("drop_on")),
                        d.get("grid_id"), d.get("manager_id"))
        cp: list[tuple[str, float, bool]]
        h = household_of.get(p)
        if h is not None:
            mates = sorted(m for m in members[h] if m != p)
            c.household_size = len(mates) + 1
            c.household_dropped = [m for m in mates if m in dropped_ever]
        ref = referrer_of.get(p)
        c.referrer = ref
        c.referrer_dropped = ref is not None and ref in dropped_ever
        c.referees_dropped = sorted(e for e in referees.get(p, []) if e in dropped_ever)
        top = sorted(flows.get(p, {}).items(), key=lambda kv: (-kv[1], kv[0]))[: rules.top_counterparties]
        cp = [(q, round(a, 2), q in dropped_ever) for q, a in top]
        c.counterparties = cp
        if community_of and p in community_of:
            c.community = community_of[p]
            ms = [m for m in comm_members[c.community] if m != p]
            c.community_size = len(ms) + 1
            c.community_dropped = sum(m in dropped_ever for m in ms)
        amount, n, banks = outflows.get(p, (0.0, 0, []))
        c.other_bank_amount, c.other_bank_transfers, c.other_banks = round(amount, 2), n, sorted(banks)
        sig: list[tuple[str, Text]] = []
        if c.household_dropped:
            sig.append(("household", say(TEXTS, "household", n=len(c.household_dropped),
                                         others=c.household_size - 1)))
        if c.referrer_dropped:
            sig.append(("referrer", say(TEXTS, "referrer")))
        if c.referees_dropped:
            sig.append(("referees", say(TEXTS, "referees", n=len(c.referees_dropped))))
        n_cp = sum(1 for _, _, x in c.counterparties if x)
        if n_cp:
            sig.append(("counterparties", say(TEXTS, "counterparties", n=n_cp)))
        share = c.community_dropped / max(1, c.community_size - 1)
        comm_sig = c.community is not None and c.community_dropped > 0 and share >= rules.community_share
        if comm_sig:
            sig.append(("community", say(TEXTS, "community", n=c.community_dropped, others=c.community_size - 1)))
        if c.other_bank_transfers:
            sig.append(("other_banks", say(TEXTS, "other_banks", amount=c.other_bank_amount,
                                           k=c.other_bank_transfers)))
        c.signals = [zh for _, (zh, _) in sig]
        c.signal_codes = [code for code, _ in sig]
        c.signals_en = [en for _, (_, en) in sig]
        c.score = (len(c.household_dropped) + int(c.referrer_dropped) + len(c.referees_dropped) + n_cp
                   + int(comm_sig)
                   + (0 if not c.other_bank_transfers else 2 if c.other_bank_amount >= rules.large_outflow else 1))
        out.append(c)
    return out


def by_grid(contexts: Iterable[DropContext]) -> list[DropContext]:
    """Return the drops ordered per grid (then manager), strongest context first.

    >>> a = DropContext("a", "高端", "基础", "d", "G:2", "M:1", score=1)
    >>> b = DropContext("b", "核心", "基础", "d", "G:1", "M:1", score=0)
    >>> c = DropContext("c", "核心", "基础", "d", "G:2", "M:1", score=3)
    >>> [x.person for x in by_grid([a, b, c])]
    ['b', 'c', 'a']
    """
    return sorted(contexts, key=lambda c: (c.grid_id or "~", c.manager_id or "~", -c.score, c.person))
