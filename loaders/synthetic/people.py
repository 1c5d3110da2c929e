"""Population of the synthetic county: branches, managers, grids, households, persons,
enterprises and merchants (vectorised with numpy; nothing here writes files)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from guanxi.loaders import schema
from guanxi.loaders.synthetic import names as nm
from guanxi.loaders.synthetic.ids import phone_numbers, ric_numbers, uscc_numbers

RELATIONS = np.array(schema.RELATIONS)
TIERS = np.array([*schema.TIERS, ""])  # "" = no tier (not a customer segment)


def ymd_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (year, month, day) arrays for days since 1970-01-01."""
    d = days.astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, m, dd


def day_str(days: np.ndarray) -> np.ndarray:
    """Return 'YYYY-MM-DD' strings for days since 1970-01-01."""
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D")


@dataclass
class Population:
    """Everything about places, people and firms, as parallel numpy arrays."""

    as_of_day: int
    towns: list[str] = field(default_factory=list)
    branch_town: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    mgr_branch: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    mgr_name: np.ndarray = field(default_factory=lambda: np.zeros(0, "U4"))
    mgr_phone: np.ndarray = field(default_factory=lambda: np.zeros(0, "U11"))
    grid_town: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    grid_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # True = community
    grid_stem: list[str] = field(default_factory=list)
    grid_mgr: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    hh_grid: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    hh_addr: list[str] = field(default_factory=list)
    # persons
    p_id: np.ndarray = field(default_factory=lambda: np.zeros(0, "U18"))
    p_name: np.ndarray = field(default_factory=lambda: np.zeros(0, "U4"))
    p_male: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    p_birth: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # days
    p_age: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    p_hh: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    p_rel: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    p_cust: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    p_tier: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    p_tags: list[str] = field(default_factory=list)
    p_phone: np.ndarray = field(default_factory=lambda: np.zeros(0, "U11"))
    hh_start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    hh_size: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # enterprises
    c_uscc: list[str] = field(default_factory=list)
    c_name: list[str] = field(default_factory=list)
    c_kind: list[str] = field(default_factory=list)
    c_rep: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_ind: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_cap: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_status: np.ndarray = field(default_factory=lambda: np.zeros(0, "U2"))
    c_cust: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    c_tier: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_addr: list[str] = field(default_factory=list)
    # roles: (holder_type 'person'|'company', holder index, company index, role, share, title)
    roles: list[tuple[str, int, int, str, float | None, str | None]] = field(default_factory=list)
    # merchants
    m_owner_type: list[str] = field(default_factory=list)
    m_owner: list[int] = field(default_factory=list)
    m_name: list[str] = field(default_factory=list)
    m_mcc: list[str] = field(default_factory=list)
    m_grid: list[int] = field(default_factory=list)

    def settle_tiers(self) -> None:
        """Make tiers agree with customer flags (customers 高端/核心/基础, others 潜在 or none)."""
        self.p_tier = np.where(self.p_cust, np.minimum(self.p_tier, 2), np.where(self.p_tier <= 2, 3, self.p_tier))
        self.c_tier = np.where(self.c_cust, np.minimum(self.c_tier, 2), np.where(self.c_tier <= 2, 3, self.c_tier))

    def c_grid(self) -> np.ndarray:
        """Return the grid of each company (the grid of its legal representative's household)."""
        return self.hh_grid[self.p_hh[self.c_rep]]

    def adults(self, lo: int = 18, hi: int = 200) -> np.ndarray:
        """Return indices of persons aged lo..hi."""
        return np.flatnonzero((self.p_age >= lo) & (self.p_age <= hi))


HOUSEHOLD_SIZES = np.array([0.14, 0.27, 0.24, 0.19, 0.11, 0.05])  # 1…6 persons; mean 3.01


def household_size_weights(mean: float | None) -> np.ndarray:
    """Return the probabilities of 1…6 persons per household: the default shape, tilted so
    its mean is `mean` (None: untilted, 3.01 — 祁门's 187k persons in 63k households)."""
    if mean is None:
        return HOUSEHOLD_SIZES
    if not 1.2 <= mean <= 5.5:
        raise ValueError("household size must be between 1.2 and 5.5")
    k = np.arange(1, 7)
    lo, hi = -5.0, 5.0
    for _ in range(60):  # bisection on the tilt exp(θk)
        th = (lo + hi) / 2
        w = HOUSEHOLD_SIZES * np.exp(th * k)
        lo, hi = (th, hi) if float((w * k).sum() / w.sum()) < mean else (lo, th)
    return w / w.sum()


def build_population(rng: np.random.Generator, households: int, as_of_day: int,
                     household_size: float | None = None, hard_names: bool = False) -> Population:
    """Return the population of a county with `households` households of mean size
    `household_size` (None: the default shape, mean 3.01)."""
    pop = Population(as_of_day=as_of_day)
    _places(pop, rng, households)
    _persons(pop, rng, households, household_size_weights(household_size))
    if hard_names:
        pop.p_name = nm.with_hard_names(pop.p_name)
    _enterprises(pop, rng, households, hard_names)
    _merchants(pop, rng, households, hard_names)
    return pop


def _places(pop: Population, rng: np.random.Generator, households: int) -> None:
    n_grids = max(4, round(households / 350))
    n_towns = max(2, round(n_grids / 10))
    pop.towns = nm.town_names(n_towns)
    pop.branch_town = np.arange(n_towns)
    pop.grid_town = np.sort(rng.integers(0, n_towns, n_grids))
    pop.grid_town[:n_towns] = np.arange(n_towns)  # every town has a grid
    pop.grid_town = np.sort(pop.grid_town)
    seat = pop.grid_town == 0
    pop.grid_kind = seat & (rng.random(n_grids) < 0.6) | (~seat & (rng.random(n_grids) < 0.05))
    stems = nm.village_names(rng, n_grids)
    comms = nm.places()["communities"]
    pop.grid_stem = [
        (comms[i % len(comms)] + ("" if i < len(comms) else str(i // len(comms) + 1)) + "社区")
        if pop.grid_kind[i] else stems[i] + "村"
        for i in range(n_grids)
    ]
    mgr_branch: list[int] = []
    grid_mgr = np.zeros(n_grids, np.int64)
    for b in range(n_towns):
        g = np.flatnonzero(pop.grid_town == b)
        k = max(1, (len(g) + 1) // 2)
        first = len(mgr_branch)
        mgr_branch.extend([b] * k)
        grid_mgr[g] = first + np.arange(len(g)) % k
    pop.mgr_branch = np.array(mgr_branch, np.int64)
    pop.grid_mgr = grid_mgr
    pop.mgr_name = nm.person_names(rng, rng.random(len(mgr_branch)) < 0.5)
    pop.mgr_phone = phone_numbers(rng, len(mgr_branch))
    w = rng.gamma(3.0, 1.0, n_grids)
    pop.hh_grid = np.sort(rng.choice(n_grids, households, p=w / w.sum()))
    grp = rng.integers(1, 12, households)
    num = rng.integers(1, 199, households)
    roads = ["人民路", "新华路", "祁红大道", "阊江路", "徽州路", "东街", "西街", "仙桂路"]
    road = rng.integers(0, len(roads), households)
    town = pop.towns
    pop.hh_addr = [
        f"{town[pop.grid_town[g]]}{pop.grid_stem[g]}{roads[r]}{n}号"
        if pop.grid_kind[g] else f"{town[pop.grid_town[g]]}{pop.grid_stem[g]}{k}组{n}号"
        for g, k, n, r in zip(pop.hh_grid.tolist(), grp.tolist(), num.tolist(), road.tolist(), strict=True)
    ]


def _persons(pop: Population, rng: np.random.Generator, households: int, weights: np.ndarray) -> None:
    sizes = rng.choice(np.arange(1, 7), households, p=weights)
    n = int(sizes.sum())
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    hh = np.repeat(np.arange(households), sizes)
    pos = np.arange(n) - np.repeat(starts, sizes)
    r = rng.random(n)
    rel = np.where(pos == 0, 0, np.where(pos == 1, np.where(r < 0.88, 1, np.where(r < 0.96, 2, 3)),
                                          np.where(r < 0.8, 2, np.where(r < 0.95, 3, 4))))
    head_age = np.clip(rng.normal(50, 13, households), 22, 88).astype(np.int64)[hh]
    age = np.select(
        [rel == 0, rel == 1, rel == 2, rel == 3],
        [head_age, np.clip(head_age + rng.normal(0, 4, n).astype(np.int64), 20, 95),
         np.clip(head_age - rng.integers(20, 39, n), 0, 80),
         np.clip(head_age + rng.integers(22, 33, n), 40, 99)],
        rng.integers(5, 80, n),
    )
    head_male = rng.random(households) < 0.86
    male = np.where(rel == 0, head_male[hh], np.where(rel == 1, ~head_male[hh], rng.random(n) < 0.5))
    birth = pop.as_of_day - (age * 365.25).astype(np.int64) - rng.integers(1, 365, n)
    age = ((pop.as_of_day - birth) / 365.25).astype(np.int64)
    y, m, d = ymd_parts(birth)
    ymd = y * 10000 + m * 100 + d
    codes = np.array(nm.NEIGHBOUR_CODES, np.int64)
    region = codes[rng.integers(0, len(codes), n)]
    # area codes as they were when the number was issued: 341024 祁门县 since 1987, 342726 before
    old = {341024: 342726, 341021: 342723, 341022: 342724, 341023: 342725, 341004: 342701}
    before = y < 1987
    for new_code, old_code in old.items():
        region[before & (region == new_code)] = old_code
    key = region * 10**8 + (birth - birth.min()) * 2 + male
    order = np.argsort(key, kind="stable")
    ks = key[order]
    first = np.r_[True, ks[1:] != ks[:-1]]
    grp_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - grp_start
    if rank.max() >= 500:
        raise RuntimeError("too many persons born on one day in one region")
    seq = ((rank * 7 + (birth % 500) * 131) % 500) * 2 + male
    pop.p_id = ric_numbers(region, ymd, seq)
    names = nm.person_names(rng, male)
    # children take the head's surname when the head is a man
    head_idx = np.repeat(starts, sizes)
    child = (rel == 2) & male[head_idx]
    sn = np.array([s[0] for s in names.tolist()])
    given = np.array([s[1:] for s in names.tolist()])
    names = np.where(child, np.char.add(sn[head_idx], given), names)
    pop.p_name, pop.p_male, pop.p_birth, pop.p_age = names, male, birth, age
    pop.p_hh, pop.p_rel, pop.hh_start, pop.hh_size = hh, rel, starts, sizes
    adult = age >= 18
    pop.p_cust = np.where(adult, rng.random(n) < 0.62, rng.random(n) < 0.15)
    t = rng.random(n)
    pop.p_tier = np.where(pop.p_cust, np.where(t < 0.03, 0, np.where(t < 0.2, 1, 2)),
                          np.where(t < 0.4, 3, 4))
    ph = phone_numbers(rng, n)
    pop.p_phone = np.where(age >= 14, ph, "")
    community = pop.grid_kind[pop.hh_grid[hh]]
    tr = rng.random((6, n))
    tea = adult & ~community & (tr[0] < 0.3)
    migrant = (age >= 20) & (age <= 50) & (tr[1] < 0.15)
    student = (age >= 6) & (age <= 22) & (tr[2] < 0.9)
    cadre = adult & (tr[3] < 0.01)
    big = adult & ~community & (tr[4] < 0.03)
    newcit = adult & community & (tr[5] < 0.08)
    labels = (("茶农", tea), ("外出务工", migrant), ("学生", student), ("村干部", cadre),
              ("种养大户", big), ("新市民", newcit))
    code = np.zeros(n, np.int64)
    for i, (_, mask) in enumerate(labels):
        code |= mask.astype(np.int64) << i
    table = [";".join(lbl for i, (lbl, _) in enumerate(labels) if c >> i & 1) for c in range(64)]
    pop.p_tags = [table[c] for c in code.tolist()]


def _enterprises(pop: Population, rng: np.random.Generator, households: int,
                 hard_names: bool = False) -> None:
    n_c = max(140, round(0.035 * households))
    kinds = rng.choice(["91", "93", "92"], n_c, p=[0.78, 0.14, 0.08]).tolist()
    w = np.array([0.14, 0.10, 0.07, 0.05, 0.03, 0.08, 0.08, 0.07, 0.09, 0.07, 0.06, 0.05, 0.04, 0.03, 0.04])
    ind = rng.choice(len(nm.INDUSTRIES), n_c, p=w / w.sum())
    eligible = pop.adults(25, 70)
    reps = rng.choice(eligible, n_c, replace=False)
    if hard_names:  # sole traders named after a hard-named 经营者 (村, and a long name)
        sole = [r for k, r in zip(kinds, reps.tolist(), strict=True) if k == "92"]
        for k, r in zip((2, 3), sole, strict=False):
            pop.p_name[r] = nm.hard_name(str(pop.p_name[r]), k)
    pop.c_uscc = uscc_numbers(rng, kinds, nm.REGION_CODE)
    used: set[str] = set()
    pop.c_name = [
        nm.company_name(rng, int(i), k, used, str(pop.p_name[r]))
        for i, k, r in zip(ind.tolist(), kinds, reps.tolist(), strict=True)
    ]
    pop.c_kind, pop.c_rep, pop.c_ind = kinds, reps, ind
    cap = np.round(np.exp(rng.normal(np.log(2_000_000), 1.0, n_c)), -4)
    cap = np.where(np.array(kinds) == "92", np.round(rng.uniform(50_000, 500_000, n_c), -4), cap)
    pop.c_cap = cap.astype(np.int64)
    pop.c_status = rng.choice(["存续", "在业", "吊销", "注销"], n_c, p=[0.84, 0.10, 0.04, 0.02])
    pop.c_cust = rng.random(n_c) < 0.55
    t = rng.random(n_c)
    pop.c_tier = np.where(pop.c_cust, np.where(t < 0.08, 0, np.where(t < 0.4, 1, 2)),
                          np.where(t < 0.5, 3, 4))
    hh_addr = pop.hh_addr
    pop.c_addr = [nm.COUNTY + hh_addr[pop.p_hh[r]] for r in reps.tolist()]
    roles: list[tuple[str, int, int, str, float | None, str | None]] = []
    n_adult = len(eligible)
    for c in range(n_c):
        rep = int(reps[c])
        kind = kinds[c]
        title = "执行董事兼总经理" if kind == "91" else ("理事长" if kind == "93" else "经营者")
        roles.append(("person", rep, c, "legal_rep", None, title))
        if kind != "91":
            continue
        k = int(rng.integers(1, 4))
        holders: list[tuple[str, int]] = [("person", rep)]
        hs, hn = int(pop.hh_start[pop.p_hh[rep]]), int(pop.hh_size[pop.p_hh[rep]])
        for j in range(1, k):
            if j == 1 and hn > 1 and rng.random() < 0.5:
                cand = ("person", hs + int(rng.integers(0, hn)))
            elif rng.random() < 0.15 and c > 0:
                cand = ("company", int(rng.integers(0, c)))
            else:
                cand = ("person", int(eligible[rng.integers(0, n_adult)]))
            if cand not in holders and not (cand[0] == "company" and cand[1] == c):
                holders.append(cand)
        raw = rng.dirichlet(np.ones(len(holders)) * 2)
        shares = np.round(raw, 2)
        shares[0] = round(1.0 - float(shares[1:].sum()), 2)
        if shares[0] <= 0:
            shares = np.round(np.ones(len(holders)) / len(holders), 2)
            shares[0] = round(1.0 - float(shares[1:].sum()), 2)
        for (ht, hi), s in zip(holders, shares.tolist(), strict=True):
            roles.append((ht, hi, c, "shareholder", float(s), None))
        if rng.random() < 0.4:
            ex = int(eligible[rng.integers(0, n_adult)])
            if ex != rep:
                roles.append(("person", ex, c, "executive", None, "监事"))
    pop.roles = roles


def _merchants(pop: Population, rng: np.random.Generator, households: int,
               hard_names: bool = False) -> None:
    n_m = max(40, round(0.04 * households))
    n_comp = min(len(pop.c_uscc) // 5, round(n_m * 0.25))
    n_pers = n_m - n_comp
    owners_p = rng.choice(pop.adults(22, 70), n_pers, replace=False)
    if hard_names:  # shops named after hard-named owners (会, 社, long), not company reps
        reps = set(pop.c_rep.tolist())
        free = [o for o in owners_p.tolist() if o not in reps]
        for k, o in zip((0, 1, 8), free, strict=False):
            pop.p_name[o] = nm.hard_name(str(pop.p_name[o]), k)
    retail = np.flatnonzero(np.isin(pop.c_ind, [8, 9, 13, 14]) & np.isin(pop.c_status, ["存续", "在业"]))
    owners_c = rng.choice(retail, min(n_comp, len(retail)), replace=False)
    kinds = rng.integers(0, len(nm.MERCHANT_KINDS), n_m)
    for i, o in enumerate(owners_p.tolist()):
        mcc, word = nm.MERCHANT_KINDS[kinds[i]]
        g = int(pop.hh_grid[pop.p_hh[o]])
        town = pop.towns[pop.grid_town[g]][:-1]
        pop.m_owner_type.append("person")
        pop.m_owner.append(o)
        pop.m_name.append(f"{town}{pop.p_name[o]}{word}")
        pop.m_mcc.append(mcc)
        pop.m_grid.append(g)
        pop.p_cust[o] = True
        if pop.p_tier[o] > 2:
            pop.p_tier[o] = 2
        tags = pop.p_tags[o]
        pop.p_tags[o] = (tags + ";" if tags else "") + "个体工商户"
    cg = pop.c_grid()
    for j, c in enumerate(owners_c.tolist()):
        mcc, word = nm.MERCHANT_KINDS[kinds[n_pers + j]]
        pop.m_owner_type.append("company")
        pop.m_owner.append(c)
        short = pop.c_name[c].replace(nm.COUNTY, "").replace("有限公司", "")
        pop.m_name.append(f"{short}{word}")
        pop.m_mcc.append(mcc)
        pop.m_grid.append(int(cg[c]))
        pop.c_cust[c] = True
        if pop.c_tier[c] > 2:
            pop.c_tier[c] = 2
