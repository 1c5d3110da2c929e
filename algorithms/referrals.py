"""MGM (member-get-member) referral trees: depth, fan-out, conversion and K-factor.

Pure functions over the REFERRED edge table (src referrer, dst referee, date, campaign,
converted) exported by `guanxi.analyses.flow_projection.export_referrals`.

K-factor of a group = invites per referrer × conversion rate (converted / invites): how many
new customers one referrer brings on average. Above 1 the programme grows by itself.

Invitations are counted as the trees keep them (`parent_edges`): a person invited twice
belongs to the earliest invitation only, so one conversion is credited to one referrer, and
the converted referees of all referrers add up to the converted referees of the forest.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from typing import Any

import pyarrow as pa


def _edges(referrals: pa.Table) -> list[dict[str, Any]]:
    rows = referrals.to_pylist()
    for r in rows:
        r.setdefault("date", None)
        r.setdefault("campaign", None)
        r["converted"] = bool(r.get("converted"))
    return rows


def parent_edges(referrals: pa.Table) -> list[dict[str, Any]]:
    """Return the referral edges that form the forest: one parent per referee.

    A referee invited by several people keeps the earliest invitation; of two on the same
    day, the one marked ``converted`` (the invitation that brought the customer), and only
    when that does not decide either, the smaller referrer id; self-referrals and edges that
    would close a cycle are dropped.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"src": ["P:a", "P:b"], "dst": ["P:c", "P:c"],
    ...               "date": ["2026-01-05", "2026-01-05"], "converted": [False, True]})
    >>> [r["src"] for r in parent_edges(t)]
    ['P:b']
    """
    best: dict[str, dict[str, Any]] = {}
    for r in sorted(_edges(referrals),
                    key=lambda r: (r["date"] or "", not r["converted"], r["src"])):
        if r["src"] == r["dst"] or r["dst"] in best:
            continue
        # refuse an edge that would make the referee an ancestor of its referrer
        x: str | None = r["src"]
        cyc = False
        while x is not None:
            if x == r["dst"]:
                cyc = True
                break
            p = best.get(x)
            x = p["src"] if p else None
        if not cyc:
            best[r["dst"]] = r
    return sorted(best.values(), key=lambda r: (r["src"], r["dst"]))


def referral_trees(referrals: pa.Table) -> list[dict[str, Any]]:
    """Return one referral tree per root (a referrer nobody referred), largest first.

    Each tree: root, campaign (most common campaign of its edges), edges ([referrer,
    referee] pairs, sorted), depth (longest root→leaf chain in edges), size (referees),
    converted (referees who became customers, sorted), conversion_rate, max_fanout.

    Examples
    --------
    >>> t = pa.table({"src": ["a", "a", "b"], "dst": ["b", "c", "d"],
    ...               "date": ["2026-01-01"] * 3, "campaign": ["春"] * 3,
    ...               "converted": [True, False, True]})
    >>> tr = referral_trees(t)[0]
    >>> tr["root"], tr["depth"], tr["converted"], tr["max_fanout"]
    ('a', 2, ['b', 'd'], 2)
    """
    edges = parent_edges(referrals)
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    has_parent = set()
    for e in edges:
        children[e["src"]].append(e)
        has_parent.add(e["dst"])
    roots = sorted(x for x in children if x not in has_parent)
    out: list[dict[str, Any]] = []
    for root in roots:
        tree_edges: list[list[str]] = []
        converted: list[str] = []
        campaigns: Counter[str] = Counter()
        depth = 0
        fanout = 0
        q = deque([(root, 0)])
        while q:
            node, d = q.popleft()
            kids = children.get(node, [])
            fanout = max(fanout, len(kids))
            for e in kids:
                tree_edges.append([e["src"], e["dst"]])
                if e["converted"]:
                    converted.append(e["dst"])
                if e["campaign"]:
                    campaigns[e["campaign"]] += 1
                depth = max(depth, d + 1)
                q.append((e["dst"], d + 1))
        size = len(tree_edges)
        out.append(
            {
                "root": root,
                "campaign": campaigns.most_common(1)[0][0] if campaigns else None,
                "edges": sorted(tree_edges),
                "depth": depth,
                "size": size,
                "converted": sorted(converted),
                "conversion_rate": round(len(converted) / size, 4) if size else 0.0,
                "max_fanout": fanout,
            }
        )
    out.sort(key=lambda t: (-t["size"], t["root"]))
    return out


def referrer_stats(
    referrals: pa.Table, grid_of: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Return per-referrer statistics, best influencers first.

    Each row: referrer, grid, invites, converted, conversion_rate, k_factor
    (invites × conversion rate = the new customers this person brought), descendants
    (everyone below in the forest), descendants_converted, depth_below. Sorted by
    descendants_converted, converted, invites. Invites are the invitations the forest keeps
    (see `parent_edges`): an invitation to someone already invited earlier by another
    referrer is not counted, and a referrer none of whose invitations is kept has no row.

    Examples
    --------
    >>> t = pa.table({"src": ["a", "a", "b"], "dst": ["b", "c", "d"],
    ...               "converted": [True, False, True]})
    >>> s = referrer_stats(t)[0]
    >>> s["referrer"], s["invites"], s["k_factor"], s["descendants_converted"]
    ('a', 2, 1.0, 2)
    """
    grid_of = grid_of or {}
    forest = parent_edges(referrals)
    invites: Counter[str] = Counter()
    conv: Counter[str] = Counter()
    for r in forest:
        invites[r["src"]] += 1
        conv[r["src"]] += int(r["converted"])
    children: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for e in forest:
        children[e["src"]].append((e["dst"], e["converted"]))
    memo: dict[str, tuple[int, int, int]] = {}

    def below(x: str) -> tuple[int, int, int]:
        # iterative post-order: (descendants, converted descendants, depth below)
        stack = [(x, False)]
        while stack:
            node, done = stack.pop()
            if node in memo:
                continue
            if not done:
                stack.append((node, True))
                stack.extend((c, False) for c, _ in children.get(node, []) if c not in memo)
                continue
            d = c = h = 0
            for kid, kc in children.get(node, []):
                kd, kcv, kh = memo[kid]
                d += 1 + kd
                c += int(kc) + kcv
                h = max(h, 1 + kh)
            memo[node] = (d, c, h)
        return memo[x]

    out: list[dict[str, Any]] = []
    for ref in invites:
        d, c, h = below(ref)
        rate = conv[ref] / invites[ref]
        out.append(
            {
                "referrer": ref,
                "grid": grid_of.get(ref),
                "invites": invites[ref],
                "converted": conv[ref],
                "conversion_rate": round(rate, 4),
                "k_factor": round(invites[ref] * rate, 4),
                "descendants": d,
                "descendants_converted": c,
                "depth_below": h,
            }
        )
    out.sort(key=lambda r: (-r["descendants_converted"], -r["converted"], -r["invites"],
                            r["referrer"]))
    return out


def group_k_factor(
    referrals: pa.Table, group_of: dict[str, str] | None = None, *, by: str = "campaign"
) -> list[dict[str, Any]]:
    """Return K-factor per group: per campaign (`by="campaign"`) or per referrer's group.

    With `by="referrer"`, `group_of` maps referrer → group (e.g. grid id). Each row: group,
    referrers, invites, converted, invites_per_referrer, conversion_rate, k_factor
    (= invites_per_referrer × conversion_rate), sorted by k_factor. Only the invitations the
    forest keeps are counted (see `parent_edges`).

    Examples
    --------
    >>> t = pa.table({"src": ["a", "a", "b"], "dst": ["b", "c", "d"],
    ...               "campaign": ["春", "春", "秋"], "converted": [True, False, True]})
    >>> [(g["group"], g["k_factor"]) for g in group_k_factor(t)]
    [('春', 1.0), ('秋', 1.0)]
    """
    group_of = group_of or {}
    refs: dict[str, set[str]] = defaultdict(set)
    inv: Counter[str] = Counter()
    conv: Counter[str] = Counter()
    for r in parent_edges(referrals):
        g = r["campaign"] if by == "campaign" else group_of.get(r["src"])
        g = g or "(none)"
        refs[g].add(r["src"])
        inv[g] += 1
        conv[g] += int(r["converted"])
    out: list[dict[str, Any]] = []
    for g in refs:
        ipr = inv[g] / len(refs[g])
        rate = conv[g] / inv[g]
        out.append(
            {
                "group": g,
                "referrers": len(refs[g]),
                "invites": inv[g],
                "converted": conv[g],
                "invites_per_referrer": round(ipr, 4),
                "conversion_rate": round(rate, 4),
                "k_factor": round(ipr * rate, 4),
            }
        )
    out.sort(key=lambda r: (-r["k_factor"], r["group"]))
    return out


__all__ = [
    "group_k_factor",
    "parent_edges",
    "referral_trees",
    "referrer_stats",
]
