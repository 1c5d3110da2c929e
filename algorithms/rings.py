"""Shared-attribute rings (团伙骗贷, 冒名贷款): unrelated applicants who share contact details.

The input is a bipartite projection party ↔ attribute: each row says a party declared an
attribute (``kind`` one of ``phone`` — own phone or contact person's phone, one namespace, so a
person named as everybody's contact links to them —, ``address``, ``employer``, ``account`` —
the account a loan's proceeds were paid into; values are keyed hashes or normalised names).
The rules, all in `RingRules` (docs/risk.md, "Shared-attribute rings"):

1. **Rarity.** An attribute held by *d* distinct parties weighs ``1 / log2(d)`` (2 parties → 1,
   4 → 0.5, 8 → 0.33, 200 → 0.13); attributes held by more than ``max_degree`` parties are
   common (a shop's phone, a large employer) and ignored; attributes held by one party link
   nobody.
2. **Links.** Two parties are linked when they share at least ``min_shared`` (2) attributes
   and the weights of what they share sum to at least ``min_link`` (default 0.66: two
   attributes each shared by ≤ 8 parties). One coincidence — a typo'd address two households
   share, a two-person employer, one busy shop's phone — is not a link: at 兴化 scale chains
   of such single coincidences made 35 false rings out of 245 before this rule.
3. **Candidates** are the connected components of the links (scipy, on the sparse link
   matrix). Parties tied to each other (same household, legal representative, shareholder,
   executive — the ``ties`` input) form one *unit*; a candidate's size is its number of
   unrelated units.
4. **Evidence** of a candidate: every attribute held by ≥ 2 of its parties, with its kind and
   degree; ``kinds`` = the distinct kinds among them.
5. **Score** = Σ over units of the recency of the unit's newest loan (``0.5 ** (age_days /
   half_life_days)``, 0 without a loan in ``recent_days``) × the mean weight of the evidence.
6. **Flagged** when the candidate has ≥ ``min_units`` unrelated units, ≥
   ``min_recent_borrowers`` of them with a loan started in the last ``recent_days``, and
   evidence of ≥ ``min_kinds`` kinds. Every candidate says which rule it fails.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from guanxi.algorithms.wording import ATTRIBUTE_ZH, Text, say

__all__ = [
    "TEXTS",
    "Evidence",
    "RingCandidate",
    "RingRules",
    "attribute_weight",
    "find_rings",
    "project_links",
]


@dataclass(frozen=True)
class RingRules:
    """The configurable rules of the ring search (module docstring)."""

    max_degree: int = 50
    min_link: float = 0.66
    min_shared: int = 2
    min_units: int = 3
    min_recent_borrowers: int = 2
    min_kinds: int = 2
    recent_days: int = 365
    half_life_days: float = 180.0


@dataclass
class Evidence:
    """One shared attribute of a candidate: kind, value (hash or name), holders inside, degree."""

    kind: str
    value: str
    holders: list[str]
    degree: int
    weight: float


TEXTS: dict[str, Text] = {
    "few_units": ("仅 {n} 个无关联户（少于 {min}）", "only {n} unrelated unit(s) (< {min})"),
    "few_recent": ("近 {days} 天内有借款的仅 {n} 户（少于 {min}）",
                   "only {n} unit(s) with a loan in {days} days (< {min})"),
    "few_kinds": ("仅共用{zh}（少于 {min} 类）", "shares only {en} (< {min} kinds)"),
    "flagged": ("{n} 个无关联户共用{zh}，其中 {recent} 户近期有借款",
                "{n} unrelated units, {recent} with recent loans, share {en}"),
}
"""Why a candidate is (not) flagged, by code (Chinese, English)."""


@dataclass
class RingCandidate:
    """A connected component of linked parties with its units, evidence, score and verdict."""

    members: list[str]
    units: list[list[str]]
    recent_borrowers: list[str]
    evidence: list[Evidence]
    kinds: list[str]
    score: float
    flagged: bool
    reasons: list[str] = field(default_factory=list)
    """Why (not) flagged, in Chinese (`TEXTS`)."""
    reason_codes: list[str] = field(default_factory=list)
    """The stable codes of `reasons`: few_units, few_recent, few_kinds, flagged."""
    reasons_en: list[str] = field(default_factory=list)


def attribute_weight(degree: int) -> float:
    """Return the rarity weight of an attribute held by `degree` parties (1/log2(degree)).

    >>> attribute_weight(2), round(attribute_weight(8), 3), attribute_weight(1)
    (1.0, 0.333, 0.0)
    """
    return 0.0 if degree < 2 else 1.0 / math.log2(degree)


def _encode(values: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    """Return integer codes of `values` (in order of first appearance) and the distinct values."""
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64)
    return codes, list(index)


def project_links(parties: list[str], attributes: list[str], rules: RingRules = RingRules()
                  ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Return (party names, i, j, strength) of the linked party pairs (i < j, strength ≥
    min_link, sharing ≥ min_shared attributes).

    `parties[k]` declared `attributes[k]` (an attribute is ``kind:value``). Pairs are built
    per attribute degree in one vectorised block, so an attribute of degree d costs d(d-1)/2
    pairs and common attributes (d > max_degree) cost nothing.

    >>> names, i, j, s = project_links(["a", "b", "a", "b", "c"], ["p:1", "p:1", "x:2", "x:2", "p:1"])
    >>> [(names[x], names[y], round(float(w), 2)) for x, y, w in zip(i, j, s)]
    [('a', 'b', 1.63)]
    """
    pc, names = _encode(parties)
    ac, _ = _encode(attributes)
    pairs = np.unique(np.stack([ac, pc], 1), axis=0) if len(pc) else np.zeros((0, 2), np.int64)
    a_sorted, p_sorted = pairs[:, 0], pairs[:, 1]
    starts = np.flatnonzero(np.r_[True, a_sorted[1:] != a_sorted[:-1]]) if len(a_sorted) else np.zeros(0, np.int64)
    degree = np.diff(np.r_[starts, len(a_sorted)])
    keys: list[np.ndarray] = []
    wts: list[np.ndarray] = []
    n = max(len(names), 1)
    for d in np.unique(degree).tolist():
        if d < 2 or d > rules.max_degree:
            continue
        st = starts[degree == d]
        block = p_sorted[st[:, None] + np.arange(d)[None, :]]
        ti, tj = np.triu_indices(d, 1)
        x, y = block[:, ti].ravel(), block[:, tj].ravel()
        lo, hi = np.minimum(x, y), np.maximum(x, y)
        keys.append(lo * n + hi)
        wts.append(np.full(len(lo), attribute_weight(d)))
    if not keys:
        e = np.zeros(0, np.int64)
        return names, e, e, np.zeros(0)
    k = np.concatenate(keys)
    w = np.concatenate(wts)
    uk, inv = np.unique(k, return_inverse=True)
    strength = np.bincount(inv, weights=w)
    shared = np.bincount(inv)
    keep = (strength >= rules.min_link - 1e-9) & (shared >= rules.min_shared)
    uk, strength = uk[keep], strength[keep]
    return names, uk // n, uk % n, strength


class _Units:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_rings(parties: list[str], attributes: list[str], ties: Iterable[tuple[str, str]],
               loan_starts: Mapping[str, Iterable[str]], as_of: str,
               rules: RingRules = RingRules()) -> list[RingCandidate]:
    """Return every candidate component (≥ 2 parties), flagged rings first, by score.

    `parties[k]` declared `attributes[k]` (``kind:value``); `ties` are pairs of related
    parties (household, legal representative, shareholder, executive); `loan_starts` maps a
    party to the start dates (ISO) of its loans; `as_of` is the date recency is counted from.

    >>> ps = ["a", "b", "c", "a", "b", "c"]
    >>> at = ["phone:9", "phone:9", "phone:9", "address:r", "address:r", "address:r"]
    >>> loans = {"a": ["2026-09-01"], "b": ["2026-10-01"], "c": []}
    >>> [(r.members, r.flagged) for r in find_rings(ps, at, [], loans, "2026-10-31")]
    [(['a', 'b', 'c'], True)]
    >>> [r.flagged for r in find_rings(ps, at, [("a", "b")], loans, "2026-10-31")]
    [False]
    """
    names, i, j, _ = project_links(parties, attributes, rules)
    n = len(names)
    if n == 0 or len(i) == 0:
        return []
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    n_comp, label = connected_components(graph, directed=False)
    counts = np.bincount(label, minlength=n_comp)
    in_cand = counts[label] >= 2
    comp_members: dict[int, list[str]] = defaultdict(list)
    for k in np.flatnonzero(in_cand).tolist():
        comp_members[int(label[k])].append(names[k])
    where = {names[k]: int(label[k]) for k in np.flatnonzero(in_cand).tolist()}
    # attribute holders inside candidates
    holders: dict[str, set[str]] = defaultdict(set)
    degree: dict[str, set[str]] = defaultdict(set)
    for p, a in zip(parties, attributes, strict=True):
        if p in where:
            holders[a].add(p)
    for p, a in zip(parties, attributes, strict=True):
        if a in holders:
            degree[a].add(p)
    units = _Units()
    for a, b in ties:
        if a in where or b in where:
            units.union(a, b)
    day0 = dt.date.fromisoformat(as_of)
    out: list[RingCandidate] = []
    evidence_of: dict[int, list[Evidence]] = defaultdict(list)
    for a, hs in holders.items():
        d = len(degree[a])
        if len(hs) < 2 or d > rules.max_degree:
            continue
        by_comp: dict[int, list[str]] = defaultdict(list)
        for h in hs:
            by_comp[where[h]].append(h)
        kind, _, value = a.partition(":")
        for c, hh in by_comp.items():
            if len(hh) >= 2:
                evidence_of[c].append(Evidence(kind, value, sorted(hh), d, round(attribute_weight(d), 4)))
    for c, members in comp_members.items():
        members.sort()
        groups: dict[str, list[str]] = defaultdict(list)
        for m in members:
            groups[units.find(m)].append(m)
        unit_list = sorted(groups.values())
        recency = 0.0
        recent: list[str] = []
        recent_units = 0
        for u in unit_list:
            best = 0.0
            for m in u:
                for s in loan_starts.get(m, ()):
                    age = (day0 - dt.date.fromisoformat(str(s)[:10])).days
                    if 0 <= age <= rules.recent_days:
                        best = max(best, 0.5 ** (age / rules.half_life_days))
                        if m not in recent:
                            recent.append(m)
            if best > 0:
                recent_units += 1
            recency += best
        ev = sorted(evidence_of.get(c, []), key=lambda e: (e.kind, -e.weight, e.value))
        kinds = sorted({e.kind for e in ev})
        rarity = sum(e.weight for e in ev) / len(ev) if ev else 0.0
        said: list[tuple[str, Text]] = []
        if len(unit_list) < rules.min_units:
            said.append(("few_units", say(TEXTS, "few_units", n=len(unit_list), min=rules.min_units)))
        if recent_units < rules.min_recent_borrowers:
            said.append(("few_recent", say(TEXTS, "few_recent", n=recent_units, days=rules.recent_days,
                                           min=rules.min_recent_borrowers)))
        if len(kinds) < rules.min_kinds:
            said.append(("few_kinds", (
                say(TEXTS, "few_kinds", zh="、".join(ATTRIBUTE_ZH.get(k, k) for k in kinds) or "无",
                    en="/".join(kinds) or "nothing", min=rules.min_kinds))))
        flagged = not said
        if flagged:
            said.append(("flagged", say(TEXTS, "flagged", n=len(unit_list), recent=recent_units,
                                        zh="、".join(ATTRIBUTE_ZH.get(k, k) for k in kinds), en=", ".join(kinds))))
        reasons = [zh for _, (zh, _) in said]
        out.append(RingCandidate(members, unit_list, sorted(recent), ev, kinds,
                                 round(recency * rarity, 4), flagged, reasons, [c for c, _ in said],
                                 [en for _, (_, en) in said]))
    out.sort(key=lambda r: (not r.flagged, -r.score, r.members))
    return out
