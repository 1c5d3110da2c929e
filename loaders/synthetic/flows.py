"""Loans, guarantees and transfers of the synthetic county (planted and background)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from guanxi.loaders.synthetic.bank import CH, DAY, MEMO, QUIET_DAYS, Party, Planter


def build_loans(pl: Planter) -> None:
    """Add the planted loans and guarantees, then the background ones (G → B only)."""
    rng, pop, b, plan = pl.rng, pl.pop, pl.bank, pl.plan_data
    for circle in plan["circles"]:
        path: list[Party] = circle["path"]
        loans: dict[int, int] = {}
        borrowers = range(len(path)) if circle["closed"] else range(1, len(path))
        for i in borrowers:
            loans[i] = pl.new_loan(path[i], pl.amount(path[i]), pl.recent_start(30, 900))
        n = len(path)
        for i in borrowers:
            g = path[(i - 1) % n]
            pl.guarantee(loans[i], g, "保证" if rng.random() < 0.85 else "抵押")
        # loans[i] is the loan of path[i + 1] guaranteed by path[i] (wrapping for closed circles)
        circle["loans"] = [loans[(i + 1) % n] for i in range(n if circle["closed"] else n - 1)]
    chain_loans = []
    for chain in plan["chains"]:
        ls = []
        for i in range(1, len(chain)):
            li = pl.new_loan(chain[i], pl.amount(chain[i]), pl.recent_start(30, 900))
            pl.guarantee(li, chain[i - 1], "保证" if rng.random() < 0.85 else "抵押")
            ls.append(li)
        chain_loans.append(ls)
    plan["chain_loans"] = chain_loans
    year = str(np.datetime64(pop.as_of_day, "D"))[:4]
    group_info = []
    for gi, (borrowers, guarantors) in enumerate(plan["groups"]):
        gid = f"LB{year}{gi + 1:04d}"
        start = pl.recent_start(30, 700)
        ls = []
        for p in borrowers:
            li = pl.new_loan(("person", p), float(rng.integers(5, 21)) * 10_000,
                             start + int(rng.integers(0, 5)), product="农户联保贷款", term_years=1)
            for g in guarantors:
                pl.guarantee(li, ("person", g), "保证", gid)
            ls.append(li)
        group_info.append({"group_id": gid, "loans": ls, "guarantors": guarantors})
    plan["group_info"] = group_info
    g_pool = _guarantor_pool(pl)
    for trip in plan["trips"]:
        party = trip["borrower"]
        amt = (float(rng.uniform(500_000, 3_000_000)) if party[0] == "company"
               else float(rng.uniform(100_000, 500_000)))
        li = pl.new_loan(party, amt, pl.pop.as_of_day - int(rng.integers(15, 330)), term_years=1)
        if rng.random() < 0.5:
            pl.guarantee(li, g_pool[int(rng.integers(0, len(g_pool)))], "保证")
        trip["loan"] = li
    # background loans
    role = b.hh_role
    p_ok = (pop.p_cust & ~b.p_busy & (pop.p_age >= 22) & (pop.p_age <= 70)
            & (role[pop.p_hh] <= 1) & (b.p_acct >= 0))
    persons = np.flatnonzero(p_ok)
    persons = persons[rng.random(len(persons)) < 0.08]
    c_role = role[pop.p_hh[pop.c_rep]]
    c_ok = (pop.c_cust & ~b.c_busy & np.isin(pop.c_status, ["存续", "在业"]) & (c_role <= 1)
            & (b.c_acct >= 0))
    comps = np.flatnonzero(c_ok)
    comps = comps[rng.random(len(comps)) < 0.35]
    parties: list[Party] = [("person", int(p)) for p in persons] + [("company", int(c)) for c in comps]
    order = rng.permutation(len(parties))
    for k in order.tolist():
        party = parties[k]
        cluster_role = role[pop.p_hh[party[1]]] if party[0] == "person" else c_role[party[1]]
        li = pl.new_loan(party, pl.amount(party), pl.recent_start(20, 1100), healthy=rng.random() < 0.95)
        if cluster_role != 0:
            continue  # guarantor clusters borrow without guarantees: edges only run G → B
        loan = b.loans[li]
        company = party[0] == "company"
        if loan.product == "农户小额信用贷款":
            continue
        if rng.random() < (0.85 if company else 0.6):
            k_g = int(rng.integers(1, 4 if company else 3))
            seen: list[Party] = []
            for _ in range(k_g):
                g = g_pool[int(rng.integers(0, len(g_pool)))]
                if g in seen:
                    continue
                seen.append(g)
                r = rng.random()
                gt = ("保证" if r < 0.55 else "抵押" if r < 0.9 else "质押") if company else \
                    ("保证" if r < 0.85 else "抵押")
                pl.guarantee(li, g, gt)


def _guarantor_pool(pl: Planter) -> list[Party]:
    """Return guarantor candidates from guarantor clusters, repeated by a skewed weight."""
    rng, pop, b = pl.rng, pl.pop, pl.bank
    ps = np.flatnonzero((b.hh_role[pop.p_hh] == 1) & (pop.p_age >= 25) & (pop.p_age <= 70))
    cs = np.flatnonzero((b.hh_role[pop.p_hh[pop.c_rep]] == 1) & np.isin(pop.c_status, ["存续", "在业"]))
    ps = ps[rng.random(len(ps)) < 0.3] if len(ps) > 200 else ps
    pool: list[Party] = [("person", int(p)) for p in ps] + [("company", int(c)) for c in cs]
    if not pool:
        raise RuntimeError("no guarantor clusters")
    w = rng.gamma(0.7, 1.0, len(pool))
    reps = np.minimum(8, 1 + (w * 2).astype(np.int64))
    out: list[Party] = []
    for p, r in zip(pool, reps.tolist(), strict=True):
        out.extend([p] * r)
    return out


# ----- transfers -------------------------------------------------------------------------------

def mark_quiet(pl: Planter) -> None:
    """Keep community members' and round-trip shells' accounts out of background transfers."""
    b = pl.bank
    for members in pl.plan_data["communities"]:
        for m in members:
            b.quiet[pl.acct(m)] = True
    for trip in pl.plan_data["trips"]:
        for s in trip["shells"]:
            b.quiet[pl.acct(("company", s))] = True


def _add(pl: Planter, frm: np.ndarray, to: np.ndarray, ts: np.ndarray, amt: np.ndarray,
         ch: int | np.ndarray, memo: int | np.ndarray, planted: bool = False) -> None:
    n = len(frm)
    keep = frm != to
    parts = (frm, to, ts, amt, np.broadcast_to(np.asarray(ch, np.int8), n),
             np.broadcast_to(np.asarray(memo, np.int8), n), np.full(n, planted))
    pl.t_parts.append(tuple(np.asarray(p)[keep] for p in parts))


def _times(pl: Planter, n: int, day_hours: bool = True) -> np.ndarray:
    rng = pl.rng
    w = np.array([1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 10, 10, 9, 8, 8, 8, 8, 9, 10, 10, 8, 5, 3, 2], float)
    hours = rng.choice(24, n, p=w / w.sum()) if day_hours else rng.integers(0, 24, n)
    return pl.start_s + rng.integers(0, 365, n) * DAY + hours * 3600 + rng.integers(0, 3600, n)


def _cents(x: np.ndarray) -> np.ndarray:
    return np.maximum(1, np.round(x * 100)).astype(np.int64)


def build_transfers(pl: Planter) -> None:
    """Add background and planted transfers, apply the quiet window, sort by time."""
    rng, pop, b, plan = pl.rng, pl.pop, pl.bank, pl.plan_data
    H = len(pop.hh_size)
    n_acc = len(b.a_no)
    quiet = b.quiet
    a_owner = np.array(b.a_owner)
    a_type = np.array(b.a_owner_type)
    in_bank = np.array(b.a_in_bank)
    p_accts = np.flatnonzero((a_type == "person") & ~quiet[:n_acc])
    p_accts = p_accts[pop.p_age[a_owner[p_accts]] >= 16]
    merch = np.array(sorted(set(b.m_acct)), np.int64)
    # POS purchases
    n_pos = round(10.3 * H)
    w = rng.gamma(1.0, 1.0, len(p_accts))
    frm = rng.choice(p_accts, n_pos, p=w / w.sum())
    wm = rng.gamma(0.8, 1.0, len(merch))
    to = rng.choice(merch, n_pos, p=wm / wm.sum())
    amt = np.clip(np.exp(rng.normal(np.log(70), 0.9, n_pos)), 1, 20000)
    _add(pl, frm, to, _times(pl, n_pos), _cents(amt), CH["POS"], MEMO["消费"])
    # salaries (代发)
    comp_in = np.flatnonzero((a_type == "company") & in_bank & ~quiet[:n_acc])
    active = np.isin(pop.c_status, ["存续", "在业"])
    comp_in = comp_in[active[a_owner[comp_in]]]
    employers = comp_in[rng.random(len(comp_in)) < 0.6]
    first_acct = np.unique(b.p_acct[b.p_acct >= 0])
    emp_ok = first_acct[~quiet[first_acct]]
    ages = pop.p_age[a_owner[emp_ok]]
    emp_ok = emp_ok[(ages >= 18) & (ages <= 60)]
    n_emp = min(len(emp_ok), round(0.2 * H))
    if len(employers) and n_emp:
        emps = rng.choice(emp_ok, n_emp, replace=False)
        we = rng.gamma(0.6, 1.0, len(employers))
        boss = rng.choice(employers, n_emp, p=we / we.sum())
        payday = rng.integers(5, 21, len(a_owner))[boss]
        base = np.exp(rng.normal(np.log(4500), 0.3, n_emp))
        month0 = np.datetime64(int(pop.as_of_day), "D").astype("datetime64[M]")
        for m in range(13):
            mstart = (month0 - m).astype("datetime64[D]").astype(np.int64)
            ts = (mstart + payday - 1) * DAY + rng.integers(9 * 3600, 11 * 3600, n_emp)
            ok = (ts >= pl.start_s) & (ts < pl.end_s)
            bonus = 2.0 if (month0 - m).astype(int) % 12 == 0 else 1.0
            amt = np.round(base * rng.uniform(0.95, 1.1, n_emp) * bonus, -1)
            _add(pl, boss[ok], emps[ok], ts[ok], _cents(amt[ok]), CH["代发"], MEMO["工资"])
    # person to person: household members and neighbours
    holders = first_acct[~quiet[first_acct]]
    hh = pop.p_hh[a_owner[holders]]
    n_p2p = round(4 * H)
    _p2p_grouped(pl, holders, hh, round(n_p2p * 0.4), ["生活费", "转账", "红包", ""])
    grid = pop.hh_grid[hh]
    _p2p_grouped(pl, holders, grid, round(n_p2p * 0.3), ["转账", "还款", "借款", "红包", ""])
    n_any = round(n_p2p * 0.3)
    frm = rng.choice(holders, n_any)
    to = rng.choice(holders, n_any)
    amt = _p2p_amounts(rng, n_any)
    memos = np.array([MEMO[m] for m in ["转账", "还款", "借款", ""]], np.int8)
    _add(pl, frm, to, _times(pl, n_any), amt, _channels(rng, n_any), memos[rng.integers(0, 4, n_any)])
    # companies paying each other (at least one side in the bank; never regular)
    comp_all = np.flatnonzero((a_type == "company") & ~quiet[:n_acc])
    sc_companies = {c for s in plan["supply"] for c in [s["core"], *s["up"], *s["down"]]}
    comp_all = np.array([a for a in comp_all.tolist() if a_owner[a] not in sc_companies], np.int64)
    comp_in2 = comp_all[in_bank[comp_all]]
    n_cc = round(1.0 * H)
    frm = rng.choice(comp_all, n_cc)
    to = np.where(in_bank[frm], rng.choice(comp_all, n_cc), rng.choice(comp_in2, n_cc))
    amt = np.round(np.exp(rng.normal(np.log(30000), 1.1, n_cc)), 0)
    memos = np.array([MEMO[m] for m in ["往来款", "服务费", "运费", "材料款", "工程款", "租金"]], np.int8)
    _add(pl, frm, to, _times(pl, n_cc), _cents(amt), CH["网银"], memos[rng.integers(0, 6, n_cc)])
    # other banks
    n_ext = round(1.3 * H)
    ext = pl.ext_pool
    pers = rng.choice(holders, n_ext)
    outs = rng.choice(ext, n_ext)
    inflow = rng.random(n_ext) < 0.5
    amt = np.round(np.exp(rng.normal(np.log(3000), 1.0, n_ext)), 0)
    _add(pl, np.where(inflow, outs, pers), np.where(inflow, pers, outs), _times(pl, n_ext), _cents(amt),
         np.where(rng.random(n_ext) < 0.6, CH["手机银行"], CH["网银"]).astype(np.int8),
         np.where(inflow, MEMO["务工收入"], MEMO["跨行转账"]).astype(np.int8))
    _supply_chains(pl)
    _communities(pl, holders)
    _quiet_window(pl)
    _round_trips(pl)
    parts = pl.t_parts
    cols = [np.concatenate([p[i] for p in parts]) for i in range(7)]
    pl.t_parts = []
    order = np.argsort(cols[2], kind="stable")
    b.t_from, b.t_to, b.t_ts, b.t_amt = (cols[i][order] for i in range(4))
    b.t_ch = cols[4][order].astype(np.int8)
    b.t_memo = cols[5][order].astype(np.int8)
    b.t_planted = cols[6][order].astype(bool)


def _channels(rng: np.random.Generator, n: int) -> np.ndarray:
    r = rng.random(n)
    return np.where(r < 0.7, CH["手机银行"], np.where(r < 0.85, CH["柜面"], CH["网银"])).astype(np.int8)


def _p2p_amounts(rng: np.random.Generator, n: int) -> np.ndarray:
    amt = np.exp(rng.normal(np.log(800), 1.0, n))
    amt = np.where(rng.random(n) < 0.4, np.maximum(100, np.round(amt, -2)), np.round(amt, 0))
    return _cents(amt)


def _p2p_grouped(pl: Planter, holders: np.ndarray, group: np.ndarray, n: int, memos: list[str]) -> None:
    """Transfers between two account holders of the same group (household or grid)."""
    rng = pl.rng
    order = np.argsort(group, kind="stable")
    g = group[order]
    h = holders[order]
    first = np.r_[True, g[1:] != g[:-1]]
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, len(g)])
    start_of = np.repeat(starts, sizes)
    size_of = np.repeat(sizes, sizes)
    ok = np.flatnonzero(size_of >= 2)
    if len(ok) == 0:
        return
    s = rng.choice(ok, n)
    pos = s - start_of[s]
    r = start_of[s] + (pos + rng.integers(1, np.maximum(2, size_of[s]))) % size_of[s]
    codes = np.array([MEMO[m] for m in memos], np.int8)
    _add(pl, h[s], h[r], _times(pl, n), _p2p_amounts(rng, n), _channels(rng, n),
         codes[rng.integers(0, len(codes), n)])


def _monthly(pl: Planter, frm: int, to: int, base: float, memo: int) -> None:
    rng, pop = pl.rng, pl.pop
    day = int(rng.integers(2, 26))
    month0 = np.datetime64(int(pop.as_of_day), "D").astype("datetime64[M]")
    ms = (month0 - np.arange(13)).astype("datetime64[D]").astype(np.int64)
    ts = (ms + day - 1 + rng.integers(-1, 2, 13)) * DAY + rng.integers(9 * 3600, 16 * 3600, 13)
    ok = (ts >= pl.start_s) & (ts < pl.end_s)
    amt = np.round(base * rng.uniform(0.9, 1.1, 13), 0)
    k = int(ok.sum())
    _add(pl, np.full(k, frm), np.full(k, to), ts[ok], _cents(amt[ok]), CH["网银"], memo, planted=True)


def _supply_chains(pl: Planter) -> None:
    b = pl.bank
    for s in pl.plan_data["supply"]:
        core = int(b.c_acct[s["core"]])
        for c in s["up"]:
            _monthly(pl, core, int(b.c_acct[c]), float(np.exp(pl.rng.normal(np.log(80000), 0.6))), MEMO["货款"])
        for c in s["down"]:
            _monthly(pl, int(b.c_acct[c]), core, float(np.exp(pl.rng.normal(np.log(120000), 0.6))), MEMO["货款"])


def _communities(pl: Planter, holders: np.ndarray) -> None:
    rng = pl.rng
    memos = np.array([MEMO[m] for m in ["往来款", "借款", "转账", "还款"]], np.int8)
    for members in pl.plan_data["communities"]:
        accts = np.array([pl.acct(m) for m in members], np.int64)
        k = len(accts)
        pairs = [(i, (i + 1) % k) for i in range(k)]
        pairs += [(i, j) for i in range(k) for j in range(i + 2, k) if rng.random() < 0.6 and (i, j) != (0, k - 1)]
        frm_l, to_l = [], []
        for i, j in pairs:
            cnt = int(rng.integers(3, 9))
            d = rng.random(cnt) < 0.5
            frm_l.append(np.where(d, accts[i], accts[j]))
            to_l.append(np.where(d, accts[j], accts[i]))
        frm = np.concatenate(frm_l)
        to = np.concatenate(to_l)
        n = len(frm)
        amt = np.round(np.exp(rng.normal(np.log(20000), 0.8, n)), -2)
        _add(pl, frm, to, _times(pl, n), _cents(amt), _channels(rng, n), memos[rng.integers(0, 4, n)],
             planted=True)
        # sparse links to the outside
        n_out = k + int(rng.integers(0, k))
        inside = rng.choice(accts, n_out)
        outside = rng.choice(holders, n_out)
        d = rng.random(n_out) < 0.5
        amt = np.round(np.exp(rng.normal(np.log(2000), 0.8, n_out)), 0)
        _add(pl, np.where(d, inside, outside), np.where(d, outside, inside), _times(pl, n_out),
             _cents(amt), _channels(rng, n_out), MEMO["转账"], planted=True)


def _quiet_window(pl: Planter) -> None:
    """Drop every transfer leaving a loan's proceeds account within QUIET_DAYS of its start."""
    b = pl.bank
    acct = np.array([ln.acct for ln in b.loans], np.int64)
    start = np.array([ln.start for ln in b.loans], np.int64) * DAY
    big = np.int64(1) << 36
    keys = np.sort(acct * big + (start - pl.start_s + (1 << 35)))
    for k, part in enumerate(pl.t_parts):
        frm, ts = part[0], part[2]
        tk = frm.astype(np.int64) * big + (ts - pl.start_s + (1 << 35))
        i = np.searchsorted(keys, tk, side="right") - 1
        ok = i >= 0
        prev = np.where(ok, keys[np.maximum(i, 0)], 0)
        same = ok & (prev // big == frm)
        since = tk - prev
        drop = same & (since < QUIET_DAYS * DAY)
        if drop.any():
            pl.t_parts[k] = tuple(p[~drop] for p in part)


def _round_trips(pl: Planter) -> None:
    rng, b = pl.rng, pl.bank
    out: list[dict[str, Any]] = []
    for trip in pl.plan_data["trips"]:
        loan = b.loans[trip["loan"]]
        path = [loan.acct]
        mids = [pl._add_external() for _ in range(trip["hops"] - 1 - len(trip["shells"]))]
        mids += [pl.acct(("company", s)) for s in trip["shells"]]
        path += mids
        path.append(pl.acct(trip["related"]))
        t = loan.start * DAY + int(rng.integers(9 * 3600, 16 * 3600)) + int(rng.integers(0, 2)) * DAY
        amt = loan.amount / 100 * float(rng.uniform(0.9, 0.98))
        for a, c in itertools.pairwise(path):
            t = min(t, pl.end_s - 3600)
            _add(pl, np.array([a]), np.array([c]), np.array([t]), _cents(np.array([amt])),
                 CH["网银"], MEMO["往来款"] if c != path[-1] else MEMO["转账"], planted=True)
            t += int(rng.integers(2 * 3600, 2 * DAY))
            amt = round(amt * float(rng.uniform(0.97, 1.0)), 2)
        trip["path"] = path
        out.append(trip)
