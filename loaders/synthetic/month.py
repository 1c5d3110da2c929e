"""The second month of a synthetic county: an incremental extract with planted tier drops.

`generate_next_month(out, households, seed, …)` rebuilds the first month's county in memory
(same arguments, same data) and writes an extract dated one month later holding only three
tables — `persons` (every person; the planted tiers changed), `accounts` (accounts the
dropping customers opened at other banks) and `transfers` (the month's moves of money to those
accounts) — plus `truth.json` with `tier_drops`. Loading it on top of the first month makes
the loader record `tier_prev` / `tier_drop_on` (docs/extract-format.md, incremental loads).

Planted drops (高端/核心 → 基础, 基础 → 潜在), from a random stream of their own (`[seed, 20]`):
- `household`: two or more members of one household drop together;
- `referral`: a referee and its referrer drop together;
- `counterparty`: a customer and its main counterparty (largest amount both ways) drop together;
- `alone`: a drop with no dropping neighbour (the control case);
and most dropping customers move money to their new account at another bank. A few
customers rise (基础 → 核心): a tier change that is not a drop.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import yaml

from guanxi.graph.progress import Progress
from guanxi.loaders.synthetic import fraud
from guanxi.loaders.synthetic import names as nm
from guanxi.loaders.synthetic.generate import COLUMNS, County, _write_csv
from guanxi.loaders.synthetic.ids import account_numbers
from guanxi.loaders.synthetic.people import TIERS

DAY = 86400


def _next_as_of(as_of: str) -> str:
    """Return the last day of the month after `as_of`'s month."""
    d = dt.date.fromisoformat(as_of)
    y, m = (d.year, d.month + 2) if d.month <= 10 else (d.year + 1, d.month - 10)
    return (dt.date(y, m, 1) - dt.timedelta(days=1)).isoformat()


class _Month:
    def __init__(self, county: County, as_of2: str) -> None:
        self.c, self.pop, self.b = county, county.pop, county.pl.bank
        self.rng = np.random.default_rng([county.seed, 20])
        self.tier = county.pop.p_tier.copy()
        self.as_of2 = as_of2
        self.day1 = county.as_of_day
        self.day2 = int(np.datetime64(as_of2, "D").astype(np.int64))
        self.accounts: list[dict[str, str | None]] = []
        self.transfers: list[dict[str, str | None]] = []
        self.drops: list[dict[str, Any]] = []
        self.dropped: set[int] = set()

    def ref(self, p: int) -> str:
        return f"person:{self.pop.p_id[p]}"

    def eligible(self, p: int, lowest: int = 1) -> bool:
        return int(self.tier[p]) <= lowest and p not in self.dropped and int(self.b.p_acct[p]) >= 0

    def drop(self, group: list[int], pattern: str) -> None:
        """Drop every person of `group` to 基础; most move money to another bank."""
        for p in group:
            self.dropped.add(p)
        for p in group:
            before = str(TIERS[self.tier[p]])
            self.tier[p] = 2 if self.tier[p] <= 1 else 3
            accts: list[str] = []
            amount = 0.0
            if self.rng.random() < 0.8:
                no, amount = self.move_out(p)
                accts.append(f"account:{no}")
            self.drops.append({
                "person": self.ref(p), "from": before, "to": str(TIERS[self.tier[p]]), "pattern": pattern,
                "related": [self.ref(q) for q in group if q != p],
                "other_bank_accounts": accts, "moved_out": round(amount, 2)})

    def move_out(self, p: int) -> tuple[str, float]:
        """Open p's account at another bank and move 2–4 sums there this month."""
        bi = int(self.rng.integers(0, len(nm.OTHER_BANKS)))
        no = account_numbers(nm.OTHER_BANK_PREFIX[bi] + "8", len(self.accounts), 1, 12, 33_331)[0]
        self.accounts.append({
            "account_no": no, "owner_type": "person", "owner_id": str(self.pop.p_id[p]), "in_bank": "0",
            "bank_name": nm.OTHER_BANKS[bi], "kind": "储蓄", "opened_on": str(np.datetime64(self.day1 + 2, "D"))})
        src = self.b.a_no[int(self.b.p_acct[p])]
        total = 0.0
        for _ in range(int(self.rng.integers(2, 5))):
            yuan = int(self.rng.integers(20, 200)) * 1000
            ts = (self.day1 + 1) * DAY + int(self.rng.integers(0, (self.day2 - self.day1 - 1) * DAY)) - 8 * 3600
            self.transfers.append({
                "transfer_id": f"TRM{len(self.transfers) + 1:09d}", "from_account": src, "to_account": no,
                "amount": f"{yuan}.00", "ts": str(np.datetime64(ts + 8 * 3600, "s")).replace("T", " "),
                "channel": "手机银行", "memo": "跨行转账"})
            total += yuan
        return no, total

    def plant(self) -> None:
        """Choose the drops of each pattern and a few rises."""
        pop, b, rng = self.pop, self.b, self.rng
        f = self.c.households / 63000
        n = max(3, round(40 * f))
        # household: 2+ members at 高端/核心
        by_hh: dict[int, list[int]] = {}
        for p in np.flatnonzero(pop.p_tier <= 1).tolist():
            by_hh.setdefault(int(pop.p_hh[p]), []).append(int(p))
        multi = [h for h, ms in by_hh.items() if len(ms) >= 2]
        for h in rng.permutation(np.array(multi, np.int64))[:n].tolist():
            group = [p for p in by_hh[int(h)] if self.eligible(p)]
            if len(group) >= 2:
                self.drop(group, "household")
        # referral: referrer and referee
        edges = [(e[0], e[1]) for t in self.c.pl.plan_data["trees"] for e in t["edges"]]
        k = 0
        for i in rng.permutation(len(edges)).tolist():
            a, z = edges[i]
            if k < n and self.eligible(a, 2) and self.eligible(z, 2) and pop.p_hh[a] != pop.p_hh[z]:
                self.drop([int(a), int(z)], "referral")
                k += 1
        # counterparty: a person and its main counterparty (largest amount both ways, any
        # party; planted only when that is a person of another household)
        owner = np.array(b.a_owner)
        otype = np.array(b.a_owner_type)
        owned = (otype[b.t_from] != "external") & (otype[b.t_to] != "external")
        kf = np.where(otype[b.t_from[owned]] == "person", 0, 1)
        kt = np.where(otype[b.t_to[owned]] == "person", 0, 1)
        frm, to, amt = owner[b.t_from[owned]], owner[b.t_to[owned]], b.t_amt[owned]
        totals: dict[tuple[int, int], dict[tuple[int, int], int]] = {}
        for x, xk, y, yk, a in zip(frm.tolist(), kf.tolist(), to.tolist(), kt.tolist(), amt.tolist(), strict=True):
            if (x, xk) == (y, yk):
                continue
            totals.setdefault((x, xk), {}).setdefault((y, yk), 0)
            totals[(x, xk)][(y, yk)] += a
            totals.setdefault((y, yk), {}).setdefault((x, xk), 0)
            totals[(y, yk)][(x, xk)] += a
        main: dict[int, tuple[int, int]] = {}
        for (x, xk), by in totals.items():
            if xk != 0:
                continue
            (y, yk), a = max(by.items(), key=lambda kv: (kv[1], -kv[0][1], -kv[0][0]))
            top2 = sorted(by.values(), reverse=True)
            if yk == 0 and pop.p_hh[x] != pop.p_hh[y] and (len(top2) == 1 or top2[1] < a):
                main[x] = (y, a)
        k = 0
        for x in rng.permutation(np.array(sorted(main), np.int64)).tolist():
            y = main[int(x)][0]
            y_top = sorted(totals[(y, 0)].items(), key=lambda kv: -kv[1])[:3]
            if k < n and self.eligible(int(x), 2) and self.eligible(y, 2) and (int(x), 0) in dict(y_top):
                self.drop([int(x), y], "counterparty")
                k += 1
        # alone: no dropping household member, referral neighbour or main counterparty
        near: dict[int, set[int]] = {}
        for a, z in edges:
            near.setdefault(a, set()).add(z)
            near.setdefault(z, set()).add(a)
        for x, (y, _) in main.items():
            near.setdefault(x, set()).add(y)
            near.setdefault(y, set()).add(x)
        k = 0
        for p in rng.permutation(np.flatnonzero(self.tier <= 1)).tolist():
            if k >= n:
                break
            hh_mates = set(np.flatnonzero(pop.p_hh == pop.p_hh[p]).tolist())
            if self.eligible(p) and not ((hh_mates | near.get(p, set())) & self.dropped):
                self.drop([int(p)], "alone")
                k += 1
        # rises: a tier change that is not a drop
        rise = [p for p in rng.permutation(np.flatnonzero((self.tier == 2) & pop.p_cust)).tolist()
                if p not in self.dropped][:n]
        self.rises = [self.ref(p) for p in rise]
        self.tier[np.array(rise, np.int64)] = 1


def generate_next_month(out: Path, households: int = 63000, seed: int = 7, as_of: str = "2026-10-31",
                        progress: Progress | None = None, household_size: float | None = None,
                        hard_names: bool = False) -> dict[str, Any]:
    """Write the month after `generate_county(…)`'s county to `out`; return its truth dict.

    The arguments are the first month's; the extract is dated the last day of the next month.
    Truth: `as_of`, `previous_as_of`, `tier_drops` (person, from, to, pattern, related —
    the other members of the planted group, other_bank_accounts, moved_out yuan), `tier_rises`,
    `rows`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    county = County(households, seed, as_of, progress, household_size, hard_names)
    county.build()
    tables = county.tables()
    tables = fraud.apply(tables, fraud.plant(county))
    as_of2 = _next_as_of(as_of)
    county.say("tier drops")
    m = _Month(county, as_of2)
    m.plant()
    persons = tables["persons"]
    i = persons.column_names.index("tier")
    persons = persons.set_column(i, "tier", pa.array([str(t) or None for t in TIERS[m.tier]], pa.string()))
    str_schema = {t: pa.schema([(c, pa.string()) for c in COLUMNS[t]]) for t in ("accounts", "transfers")}
    new = {
        "persons": persons,
        "accounts": pa.Table.from_pylist(m.accounts, schema=str_schema["accounts"]),
        "transfers": pa.Table.from_pylist(m.transfers, schema=str_schema["transfers"]),
    }
    rows: dict[str, int] = {}
    for name, tbl in new.items():
        rows[name], _ = _write_csv(out / f"{name}.csv", COLUMNS[name], [tbl], [])
    manifest = {"as_of": as_of2, "encoding": "utf-8", "bank": nm.BANK,
                "files": {name: f"{name}.csv" for name in new}}
    (out / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), "utf-8")
    truth = {"seed": seed, "households": households, "as_of": as_of2, "previous_as_of": as_of,
             "tier_drops": m.drops, "tier_rises": m.rises, "rows": rows}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return truth
