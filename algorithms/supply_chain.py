"""1+N supply chains: inferred supplier → buyer relations, core enterprises and chain risk.

Pure functions over the transfer table (src, dst account ids, amount, ts, memo) and maps from
accounts to firms (companies, merchants) — see `guanxi.analyses.flow_projection`. Money flows
from buyer to supplier, so a recurring payment A → B is evidence that B supplies A.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

KEYWORDS = ("货款", "材料款", "采购", "原料", "原材料", "加工费", "配件", "进货", "订货", "供货")
PAYROLL_MEMOS = ("工资", "薪", "奖金", "报销", "社保", "公积金")
PAYROLL_CHANNELS = ("代发",)


def _yuan(x: float) -> str:
    return f"¥{x:,.0f}"


def infer_supplies(
    transfers: pa.Table,
    firm_of: dict[str, str],
    *,
    keywords: tuple[str, ...] = KEYWORDS,
    min_transfers: int = 3,
    min_months: int = 3,
    min_score: float = 0.45,
) -> list[dict[str, Any]]:
    """Return inferred SUPPLIES relations (supplier → buyer) between firms, strongest first.

    For each ordered pair of firms with payments buyer → supplier: n_transfers, amount,
    months (distinct calendar months), keyword_share (memos naming goods: 货款, 材料款, 采购…),
    share_out (of the buyer's payments) and share_in (of the supplier's receipts). The score
    is 0.45·min(months/6, 1) + 0.35·keyword_share + 0.2·max(share_out, share_in). A pair is
    kept if it has ≥ min_transfers payments, recurs over ≥ min_months months or is mostly
    labelled as goods, and scores ≥ min_score. Payroll (channel 代发, memos such as 工资,
    奖金, 报销) is not evidence of supply — a shop owner's salary from an employer would
    otherwise look like a monthly supplier — and is left out. Each row carries a readable
    `evidence`.

    Examples
    --------
    >>> day = 86_400_000
    >>> tr = pa.table({"src": ["A:b"] * 4, "dst": ["A:s"] * 4, "amount": [1e4] * 4,
    ...                "ts": [i * 31 * day for i in range(4)], "memo": ["货款"] * 4})
    >>> s = infer_supplies(tr, {"A:b": "C:buyer", "A:s": "C:sup"})[0]
    >>> s["supplier"], s["buyer"], s["months"], s["score"]
    ('C:sup', 'C:buyer', 4, 0.85)
    """
    from guanxi.algorithms.flows import month_index

    src = transfers["src"].to_pylist()
    dst = transfers["dst"].to_pylist()
    amt = transfers["amount"].to_pylist()
    memo = (transfers["memo"].to_pylist() if "memo" in transfers.column_names
            else [None] * len(src))
    months = month_index(transfers["ts"].combine_chunks().fill_null(0))
    channel = (transfers["channel"].to_pylist() if "channel" in transfers.column_names
               else [None] * len(src))
    out_total: dict[str, float] = defaultdict(float)
    in_total: dict[str, float] = defaultdict(float)
    pairs: dict[tuple[str, str], list[Any]] = {}
    for i, (s, d) in enumerate(zip(src, dst, strict=True)):
        fs, fd = firm_of.get(s), firm_of.get(d)
        a = amt[i] or 0.0
        if fs is not None:
            out_total[fs] += a
        if fd is not None:
            in_total[fd] += a
        if fs is None or fd is None or fs == fd:
            continue
        m = memo[i] or ""
        if is_payroll(channel[i], m):
            continue
        v = pairs.get((fs, fd))
        if v is None:
            v = pairs[(fs, fd)] = [0, 0.0, set(), 0]
        v[0] += 1
        v[1] += a
        v[2].add(int(months[i]))
        if any(k in m for k in keywords):
            v[3] += 1
    return score_supplies(
        [SupplyPair(b, s, n, a, len(ms), kw) for (b, s), (n, a, ms, kw) in pairs.items()],
        out_total, in_total, min_transfers=min_transfers, min_months=min_months,
        min_score=min_score)


def is_payroll(channel: str | None, memo: str) -> bool:
    """Return whether a payment is payroll (channel 代发, memos such as 工资, 奖金, 报销).

    >>> is_payroll("代发", ""), is_payroll(None, "三月工资"), is_payroll(None, "货款")
    (True, True, False)
    """
    return channel in PAYROLL_CHANNELS or any(k in memo for k in PAYROLL_MEMOS)


@dataclass
class SupplyPair:
    """Payments from one firm (buyer) to another (supplier), payroll left out: how many,
    the amount, distinct calendar months and how many memos name goods."""

    buyer: str
    supplier: str
    n: int
    amount: float
    months: int
    keyword_n: int


def score_supplies(
    pairs: list[SupplyPair],
    out_total: dict[str, float],
    in_total: dict[str, float],
    *,
    min_transfers: int = 3,
    min_months: int = 3,
    min_score: float = 0.45,
) -> list[dict[str, Any]]:
    """Return the SUPPLIES relations (strongest first) `infer_supplies` keeps, from payments
    already aggregated per (buyer, supplier) pair and each firm's total payments out
    (`out_total`) and receipts (`in_total`), payroll included in the totals.

    Examples
    --------
    >>> r = score_supplies([SupplyPair("C:b", "C:s", 4, 4e4, 4, 4)], {"C:b": 4e4}, {})
    >>> r[0]["score"], r[0]["share_out"]
    (0.85, 1.0)
    """
    out: list[dict[str, Any]] = []
    for p in pairs:
        buyer, supplier, n, a = p.buyer, p.supplier, p.n, p.amount
        if n < min_transfers:
            continue
        kws = p.keyword_n / n
        if p.months < min_months and kws < 0.5:
            continue
        ot, it = out_total.get(buyer, 0.0), in_total.get(supplier, 0.0)
        so = a / ot if ot else 0.0
        si = a / it if it else 0.0
        score = round(0.45 * min(p.months / 6, 1.0) + 0.35 * kws + 0.2 * max(so, si), 4)
        if score < min_score:
            continue
        out.append(
            {
                "supplier": supplier,
                "buyer": buyer,
                "score": score,
                "n_transfers": n,
                "amount": round(a, 2),
                "months": p.months,
                "keyword_share": round(kws, 4),
                "share_out": round(so, 4),
                "share_in": round(si, 4),
                "evidence": (
                    f"{n} payments {_yuan(a)} over {p.months} months, "
                    f"{kws:.0%} memos name goods, {so:.0%} of buyer's payments, "
                    f"{si:.0%} of supplier's receipts"
                ),
            }
        )
    out.sort(key=lambda r: (-r["score"], -r["amount"], r["supplier"], r["buyer"]))
    return out


def find_cores(supplies: list[dict[str, Any]], *, min_counterparties: int = 4) -> list[dict[str, Any]]:
    """Return core enterprises: firms with many distinct suppliers + buyers, most first.

    Each row: id, suppliers, buyers, counterparties, amount (yuan through its relations).

    Examples
    --------
    >>> s = [{"supplier": f"C:s{i}", "buyer": "C:core", "amount": 1.0} for i in range(3)]
    >>> s += [{"supplier": "C:core", "buyer": "C:b", "amount": 1.0}]
    >>> [c["id"] for c in find_cores(s, min_counterparties=4)]
    ['C:core']
    """
    sup: dict[str, set[str]] = defaultdict(set)
    buy: dict[str, set[str]] = defaultdict(set)
    amount: dict[str, float] = defaultdict(float)
    for r in supplies:
        sup[r["buyer"]].add(r["supplier"])
        buy[r["supplier"]].add(r["buyer"])
        amount[r["buyer"]] += r["amount"]
        amount[r["supplier"]] += r["amount"]
    out: list[dict[str, Any]] = []
    for x in set(sup) | set(buy):
        k = len(sup[x] | buy[x])
        if k >= min_counterparties:
            out.append(
                {
                    "id": x,
                    "suppliers": len(sup[x]),
                    "buyers": len(buy[x]),
                    "counterparties": k,
                    "amount": round(amount[x], 2),
                }
            )
    out.sort(key=lambda r: (-r["counterparties"], -r["amount"], r["id"]))
    return out


def build_chains(
    supplies: list[dict[str, Any]], cores: list[str], *, max_depth: int = 1
) -> list[dict[str, Any]]:
    """Return each core's 1+N cluster: upstream suppliers and downstream buyers.

    Walks SUPPLIES backwards (suppliers, suppliers' suppliers…) and forwards (buyers…) up to
    `max_depth` hops. Each chain: core, upstream and downstream as [{id, depth}], members
    (all ids with the core first), size.

    Examples
    --------
    >>> s = [{"supplier": "C:s", "buyer": "C:k"}, {"supplier": "C:k", "buyer": "C:b"}]
    >>> c = build_chains(s, ["C:k"])[0]
    >>> c["upstream"], c["downstream"], c["size"]
    ([{'id': 'C:s', 'depth': 1}], [{'id': 'C:b', 'depth': 1}], 3)
    """
    ups: dict[str, set[str]] = defaultdict(set)
    downs: dict[str, set[str]] = defaultdict(set)
    for r in supplies:
        ups[r["buyer"]].add(r["supplier"])
        downs[r["supplier"]].add(r["buyer"])

    def walk(core: str, nxt: dict[str, set[str]]) -> dict[str, int]:
        seen = {core: 0}
        q = deque([core])
        while q:
            x = q.popleft()
            if seen[x] >= max_depth:
                continue
            for y in sorted(nxt.get(x, ())):
                if y not in seen:
                    seen[y] = seen[x] + 1
                    q.append(y)
        del seen[core]
        return seen

    out = []
    for core in cores:
        up = walk(core, ups)
        down = walk(core, downs)
        for y in list(down):
            if y in up:  # trades both ways: keep it on the side nearer the core, else upstream
                if down[y] < up[y]:
                    del up[y]
                else:
                    del down[y]
        members = [core, *sorted(up), *sorted(down)]
        out.append(
            {
                "core": core,
                "upstream": [{"id": k, "depth": v} for k, v in sorted(up.items())],
                "downstream": [{"id": k, "depth": v} for k, v in sorted(down.items())],
                "members": members,
                "size": len(members),
            }
        )
    return out


@dataclass
class FirmCashflows:
    """Per-firm cash flows used by chain risk: receipts by payer and payments by payee.

    `inflow_top` (firm → (top payer, its receipts, all receipts)) may stand in for
    `inflow_by_payer` where the receipts were aggregated elsewhere (the Spark engine)."""

    inflow_by_payer: dict[str, dict[str, float]] = field(default_factory=dict)
    inflow_top: dict[str, tuple[str, float, float]] = field(default_factory=dict)
    outflow_total: dict[str, float] = field(default_factory=dict)
    outflow_external: dict[str, dict[str, float]] = field(default_factory=dict)
    inflow_external: dict[str, dict[str, float]] = field(default_factory=dict)
    bank_of: dict[str, str | None] = field(default_factory=dict)

    def top_payer(self, firm: str) -> tuple[str, float, float] | None:
        """Return (the payer `firm` receives most from — ties to the larger id —, that
        amount, all receipts), or None without receipts."""
        if firm in self.inflow_top:
            return self.inflow_top[firm]
        inflow = self.inflow_by_payer.get(firm)
        if not inflow:
            return None
        payer, top = max(inflow.items(), key=lambda kv: (kv[1], kv[0]))
        return payer, top, sum(inflow.values())


def firm_cashflows(
    transfers: pa.Table,
    firm_of: dict[str, str],
    owners: dict[str, str],
    accounts: pa.Table,
) -> FirmCashflows:
    """Return receipts per payer and payments to other banks for every firm.

    `owners` maps accounts to the node they stand for (payer identity for receipts);
    `accounts` has id, in_bank and bank_name (accounts with in_bank false are other banks').
    """
    ext = {
        a: b
        for a, ib, b in zip(
            accounts["id"].to_pylist(),
            accounts["in_bank"].to_pylist(),
            accounts["bank_name"].to_pylist(),
            strict=True,
        )
        if ib is False
    }
    cf = FirmCashflows(bank_of=dict(ext))
    amt = np.asarray(transfers["amount"].combine_chunks().fill_null(0.0), dtype=float)
    for s, d, a in zip(transfers["src"].to_pylist(), transfers["dst"].to_pylist(), amt,
                       strict=True):
        fd = firm_of.get(d)
        fs = firm_of.get(s)
        if fd is not None and s in ext and fs != fd:
            ix = cf.inflow_external.setdefault(fd, {})
            ix[s] = ix.get(s, 0.0) + float(a)
        if fd is not None:
            payer = firm_of.get(s) or owners.get(s, s)
            if payer != fd:
                inflow = cf.inflow_by_payer.setdefault(fd, {})
                inflow[payer] = inflow.get(payer, 0.0) + float(a)
        if fs is not None and firm_of.get(d) != fs:
            cf.outflow_total[fs] = cf.outflow_total.get(fs, 0.0) + float(a)
            if d in ext:
                ox = cf.outflow_external.setdefault(fs, {})
                ox[d] = ox.get(d, 0.0) + float(a)
    return cf


def chain_risk(
    chain: dict[str, Any],
    cf: FirmCashflows,
    *,
    concentration_threshold: float = 0.5,
    top_opportunities: int = 20,
) -> dict[str, Any]:
    """Return the funding risk of one chain: concentration and leakage to other banks.

    concentration: members that receive more than `concentration_threshold` of their
    inflow from one payer ({member, payer, share, inflow}); leakage_share: the share of the
    members' payments that go to other banks' accounts; opportunities: those accounts with
    amounts and banks, largest first (accounts to win over), plus the other banks' accounts
    that pay into the chain (`received_from`: a member's buyer, or a member itself, banking
    elsewhere).

    Examples
    --------
    >>> from collections import Counter
    >>> cf = FirmCashflows(inflow_by_payer={"C:s": Counter({"C:k": 90.0, "P:x": 10.0})},
    ...                    outflow_total=Counter({"C:k": 100.0}),
    ...                    outflow_external={"C:k": Counter({"A:e": 40.0})},
    ...                    bank_of={"A:e": "某银行"})
    >>> r = chain_risk({"core": "C:k", "members": ["C:k", "C:s"]}, cf)
    >>> r["concentration"][0]["member"], r["leakage_share"], r["opportunities"][0]["account"]
    ('C:s', 0.4, 'A:e')
    """
    conc = []
    for m in chain["members"]:
        tp = cf.top_payer(m)
        if tp is None:
            continue
        payer, top, total = tp
        if total > 0 and top / total > concentration_threshold:
            conc.append(
                {"member": m, "payer": payer, "share": round(top / total, 4),
                 "inflow": round(total, 2)}
            )
    paid = sum(cf.outflow_total.get(m, 0.0) for m in chain["members"])
    ext: dict[str, float] = defaultdict(float)
    payers: dict[str, set[str]] = defaultdict(set)
    for m in chain["members"]:
        for acct, a in cf.outflow_external.get(m, {}).items():
            ext[acct] += a
            payers[acct].add(m)
    leak = sum(ext.values())
    inc: dict[str, float] = defaultdict(float)
    receivers: dict[str, set[str]] = defaultdict(set)
    for m in chain["members"]:
        for acct, a in cf.inflow_external.get(m, {}).items():
            inc[acct] += a
            receivers[acct].add(m)
    opps = [
        {"account": a, "bank": cf.bank_of.get(a), "amount": round(ext.get(a, 0.0) + inc.get(a, 0.0), 2),
         "paid": round(ext.get(a, 0.0), 2), "received": round(inc.get(a, 0.0), 2),
         "paid_by": sorted(payers[a]), "received_by": sorted(receivers[a])}
        for a in sorted(set(ext) | set(inc), key=lambda a: (-(ext.get(a, 0.0) + inc.get(a, 0.0)), a))
    ]
    return {
        "concentration": sorted(conc, key=lambda r: (-r["share"], r["member"])),
        "payments": round(paid, 2),
        "leakage": round(leak, 2),
        "leakage_share": round(leak / paid, 4) if paid else 0.0,
        "opportunities": opps[:top_opportunities],
        "n_other_bank_accounts": len(opps),
    }



def risk_score(size: int, concentrated: int, leakage_share: float, round_trips: int,
               cycles: int) -> float:
    """Return a chain's funding-risk score (higher: look at it first).

    score = concentrated / size + leakage_share + min(round_trips, 3) + 0.5 · min(cycles, 2):
    the share of members that depend on one payer, the share of payments that leave for
    other banks, each loan round trip (up to three) and each other cycle of funds (up to
    two, half weight). Rounded to 4 places.

    Examples
    --------
    >>> risk_score(10, 2, 0.25, 1, 5)
    2.45
    """
    return round(concentrated / max(size, 1) + leakage_share + min(round_trips, 3)
                 + 0.5 * min(cycles, 2), 4)


__all__ = [
    "KEYWORDS",
    "PAYROLL_CHANNELS",
    "PAYROLL_MEMOS",
    "FirmCashflows",
    "SupplyPair",
    "build_chains",
    "chain_risk",
    "find_cores",
    "firm_cashflows",
    "infer_supplies",
    "is_payroll",
    "risk_score",
    "score_supplies",
]
