"""Chinese names for the synthetic county: people, places, companies, banks."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np

COUNTY = "祁门县"
CITY = "黄山市"
PROVINCE = "安徽省"
REGION_CODE = "341024"
NEIGHBOUR_CODES = (341024, 341024, 341024, 341024, 341021, 341022, 341023, 341004)
BANK = "祁门农商银行"
BANK_LEGAL = "安徽祁门农村商业银行股份有限公司"
COURT = "安徽省祁门县人民法院"
COURT_CODE = "皖1024"
OTHER_BANKS = (
    "中国工商银行祁门支行", "中国农业银行祁门县支行", "中国银行祁门支行", "中国建设银行祁门支行",
    "中国邮政储蓄银行祁门县支行", "徽商银行黄山分行", "黄山农商银行屯溪支行", "招商银行黄山分行",
)
OTHER_BANK_PREFIX = ("622202", "622848", "621661", "621700", "621799", "622622", "623059", "622588")

# (GB/T 4754-2017 code, industry name, name word, kind weight)
INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("A0164", "茶叶种植", "茶叶种植"),
    ("C1530", "精制茶加工", "茶业"),
    ("F5127", "酒、饮料及茶叶批发", "茶叶贸易"),
    ("F5166", "化肥批发", "农资"),
    ("F5167", "农药批发", "农资"),
    ("G5431", "普通货物道路运输", "物流"),
    ("F5165", "建材批发", "建材"),
    ("E4710", "住宅房屋建筑", "建筑工程"),
    ("H6210", "正餐服务", "餐饮"),
    ("F5212", "超级市场零售", "商贸"),
    ("C2041", "竹制品制造", "竹木制品"),
    ("C2011", "锯材加工", "木业"),
    ("A0313", "猪的饲养", "养殖"),
    ("H6110", "旅游饭店", "酒店"),
    ("O8111", "汽车修理与维护", "汽车维修"),
)
TEA_GROW, TEA_PROC, TEA_TRADE, FERT, PEST, LOGI = 0, 1, 2, 3, 4, 5

TRADE_NAMES = list(
    "祥源红香润思天之红祁韵金山华安鑫盛兴达永丰恒泰瑞丰汇通顺发宏远新峰安顺富民绿源山泉"
    "御品徽香阊源聚源利民众诚信诚嘉禾"
)

MERCHANT_KINDS: tuple[tuple[str, str], ...] = (
    ("5411", "超市"), ("5812", "饭店"), ("5814", "小吃店"), ("5912", "大药房"), ("5541", "加油站"),
    ("5200", "建材店"), ("5251", "五金店"), ("5691", "服装店"), ("7230", "理发店"),
    ("5999", "农资店"), ("5722", "家电城"), ("5462", "面包房"), ("5921", "烟酒店"),
)


@cache
def _text(name: str) -> str:
    return resources.files("guanxi.loaders.synthetic").joinpath("resources", name).read_text("utf-8")


@cache
def surnames() -> tuple[np.ndarray, np.ndarray]:
    """Return (surnames, probabilities) from resources/surnames.tsv."""
    rows = [ln.split("\t") for ln in _text("surnames.tsv").splitlines() if ln.strip()]
    names = np.array([r[0] for r in rows])
    w = np.array([float(r[1]) for r in rows])
    return names, w / w.sum()


@cache
def given_chars() -> tuple[np.ndarray, np.ndarray]:
    """Return (male characters, female characters) for given names."""
    lines = [ln for ln in _text("given_names.txt").splitlines() if ln and not ln.startswith("#")]
    return np.array(list(lines[0])), np.array(list(lines[1]))


@cache
def places() -> dict[str, list[str]]:
    """Return town names and syllables for villages and communities."""
    out: dict[str, list[str]] = {}
    for ln in _text("places.txt").splitlines():
        if ":" in ln and not ln.startswith("#"):
            k, v = ln.split(":", 1)
            v = v.strip()
            out[k] = v.split() if " " in v else list(v)
    return out


HARD_GIVEN = "会社村"
LONG_NAMES = ("买买提·艾力", "阿依古丽·吐尔逊", "艾尼瓦尔·热合曼", "古丽米拉·阿不都", "热依拉·买买提",
              "阿不都热合曼·托乎提")
"""Transliterated Uyghur names (given name · father's name), longer than four characters."""


def hard_name(name: str, k: int) -> str:
    """Return the k-th hard variant of `name` for name guessing: 会/社/村 as its first given
    character for k % 5 in 0..2 (王会芳, 李社, 张村生), else a transliterated Uyghur name."""
    j = k % 5
    if j < 3:
        return name[0] + HARD_GIVEN[j] + name[2:]
    return LONG_NAMES[(k // 5 * 2 + j - 3) % len(LONG_NAMES)]


def is_hard(name: str) -> bool:
    """Return True for a name `hard_name` makes (会/社/村 given, or longer than four)."""
    return len(name) > 4 or any(c in name[1:] for c in HARD_GIVEN)


def with_hard_names(names: np.ndarray) -> np.ndarray:
    """Return `names` with every 37th made hard (`hard_name`), as a wider string array.
    Draws no random numbers: the rest of a seed's county stays as it was."""
    out = names.astype("U16")
    for j, i in enumerate(range(11, len(out), 37)):
        out[i] = hard_name(str(out[i]), j)
    return out


def person_names(rng: np.random.Generator, male: np.ndarray) -> np.ndarray:
    """Return a name per person (surname by frequency, 1–2 given characters by sex)."""
    n = len(male)
    sn, sp = surnames()
    mc, fc = given_chars()
    s = sn[rng.choice(len(sn), n, p=sp)]
    g1m, g2m = mc[rng.integers(0, len(mc), n)], mc[rng.integers(0, len(mc), n)]
    g1f, g2f = fc[rng.integers(0, len(fc), n)], fc[rng.integers(0, len(fc), n)]
    g1 = np.where(male, g1m, g1f)
    g2 = np.where(male, g2m, g2f)
    two = rng.random(n) < 0.72
    given = np.where(two, np.char.add(g1, g2), g1)
    return np.char.add(s, given)


def town_names(n: int) -> list[str]:
    """Return `n` distinct town names, the real towns of 祁门 first."""
    p = places()
    towns = list(p["towns"])
    first, second = p["village_first"], p["village_second"]
    i = 0
    while len(towns) < n:
        cand = first[i % len(first)] + second[(i * 7) % len(second)] + "镇"
        if cand not in towns:
            towns.append(cand)
        i += 1
    return towns[:n]


def village_names(rng: np.random.Generator, n: int) -> list[str]:
    """Return `n` distinct two-character village stems (without 村)."""
    p = places()
    first, second = p["village_first"], p["village_second"]
    combos = [a + b for a in first for b in second if a != b]
    order = rng.permutation(len(combos))
    out = [combos[i] for i in order[:n]]
    k = 0
    while len(out) < n:  # very large counties: add a third character
        out.append(combos[order[k % len(combos)]] + "岭下坑"[k // len(combos) % 3])
        k += 1
    return out


def company_name(rng: np.random.Generator, industry: int, kind: str, used: set[str], owner: str) -> str:
    """Return a distinct enterprise name for an industry and kind ('91', '93', '92')."""
    word = INDUSTRIES[industry][2]
    for attempt in range(1000):
        trade = "".join(TRADE_NAMES[i] for i in rng.integers(0, len(TRADE_NAMES), 2))
        if kind == "92":
            name = f"{COUNTY}{owner}{word}店" if attempt == 0 else f"{COUNTY}{trade}{word}店"
        elif kind == "93":
            name = f"{COUNTY}{trade}{word}专业合作社"
        else:
            name = f"黄山{trade}{word}有限公司" if attempt % 3 == 2 else f"{COUNTY}{trade}{word}有限公司"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("could not find a distinct company name")


def cn_date(y: int, m: int, d: int) -> str:
    """Return a date in Chinese numerals, e.g. 二〇二五年三月十二日."""
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        if n < 20:
            return "十" + (digits[n - 10] if n > 10 else "")
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")

    return "".join(digits[int(c)] for c in str(y)) + "年" + small(m) + "月" + small(d) + "日"


def cn_money(amount: float) -> str:
    """Return a whole-yuan amount in 大写 form, e.g. 人民币叁仟柒佰捌拾柒元整."""
    digits = "零壹贰叁肆伍陆柒捌玖"
    units = ["", "拾", "佰", "仟"]
    n = round(amount)
    if n == 0:
        return "人民币零元整"
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    zero = False
    for gi in range(len(groups) - 1, -1, -1):
        g = groups[gi]
        if g == 0:
            zero = bool(out)
            continue
        part = ""
        for k in range(3, -1, -1):
            d = g // 10**k % 10
            if d == 0:
                zero = zero or bool(out or part)
                continue
            if zero:
                part += "零"
                zero = False
            part += digits[d] + units[k]
        out += part + ["", "万", "亿", "万亿"][gi]
    return "人民币" + out + "元整"
