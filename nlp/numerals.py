"""Dates and money written with digits, Chinese numerals or 大写 numerals."""

from __future__ import annotations

import datetime as _dt
import re

import cn2an

_ZERO = "〇○零OoΟ0０◯"
_DIGIT_MAP = {**{c: "0" for c in _ZERO}}
_DIGIT_MAP.update({"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
                   "八": "8", "九": "9", "壹": "1", "贰": "2", "叁": "3", "肆": "4", "伍": "5",
                   "陆": "6", "柒": "7", "捌": "8", "玖": "9"})
for _i in range(10):
    _DIGIT_MAP[str(_i)] = str(_i)

_CN_SMALL = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "两": 2}

_YEAR = r"(?P<y>(?:19|20)\d{2}|[一二][〇○零OoΟ0◯一二三四五六七八九]{3})"
_MONTH = r"(?P<m>1[0-2]|0?[1-9]|一?十[一二]?|[元一二三四五六七八九])"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|一?十[一二三四五六七八九]?|[一二三四五六七八九])"
DATE_RE = re.compile(_YEAR + r"\s*年\s*" + _MONTH + r"\s*月\s*" + _DAY + r"\s*日")


def _cn_small_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "元":  # 元月 = January
        return 1
    if s.startswith("一十"):  # '一十六日' is written for 十六日
        s = s[1:]
    if s.startswith("十"):
        return 10 + (_CN_SMALL[s[1]] if len(s) > 1 else 0)
    if "十" in s:
        tens, _, units = s.partition("十")
        return _CN_SMALL[tens] * 10 + (_CN_SMALL[units] if units else 0)
    return _CN_SMALL[s]


def parse_date_match(m: re.Match[str]) -> str | None:
    """Return ISO date for a :data:`DATE_RE` match, or None if it is not a real date."""
    y = "".join(_DIGIT_MAP.get(c, "") for c in m.group("y"))
    try:
        d = _dt.date(int(y), _cn_small_int(m.group("m")), _cn_small_int(m.group("d")))
    except (ValueError, KeyError):
        return None
    if not 1949 <= d.year <= 2100:
        return None
    return d.isoformat()


def parse_date(text: str) -> str | None:
    """Return the ISO form of the first date in ``text`` (``二〇一七年十二月二十一日`` → 2017-12-21)."""
    m = DATE_RE.search(text)
    return parse_date_match(m) if m else None


# ---- money -------------------------------------------------------------------------------
_CN_NUM_CHARS = "零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
# 大写 (or plain Chinese-numeral) amount, optionally with 元/圆 角 分 and 整
CN_AMOUNT_RE = re.compile(
    r"(?P<int>[" + _CN_NUM_CHARS + r"]+?)\s*(?P<unit>万元|亿元|元|圆)"
    r"(?:(?P<jiao>[零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖])角)?"
    r"(?:(?P<fen>[零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖])分)?(?:整|正)?"
)
# digits, with thousands separators (, ， 、 space inside groups) and optional 万/亿
NUM_AMOUNT_RE = re.compile(
    r"(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万元|亿元|千元|元|万|亿)"
    r"(?:(?P<jiao>\d)角)?(?:(?P<fen>\d)分)?"
)
# digits mixed with 万/千/百 (`3万5千元`, `10万零500元`): one amount, not two
MIXED_AMOUNT_RE = re.compile(
    r"(?P<wan>\d+)万(?:零?(?P<qian>\d)千)?(?:零?(?P<bai>\d)百)?(?:零?(?P<rest>\d{1,3}))?元"
)


def value_of_mixed_match(m: re.Match[str]) -> float | None:
    """Return the yuan value of a :data:`MIXED_AMOUNT_RE` match, or None when it is a plain `N万元`."""
    if not (m.group("qian") or m.group("bai") or m.group("rest")):
        return None
    return float(int(m.group("wan")) * 10_000 + int(m.group("qian") or 0) * 1_000
                 + int(m.group("bai") or 0) * 100 + int(m.group("rest") or 0))


def cn_to_number(s: str) -> float | None:
    """Return the value of a Chinese-numeral string (小写 or 大写), or None."""
    s = s.replace("〇", "零").replace("○", "零").replace("两", "二")
    if not s:
        return None
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        pass
    # sequences of digits like 一二三 (rare) -> digit string
    if all(c in _DIGIT_MAP for c in s):
        try:
            return float("".join(_DIGIT_MAP[c] for c in s))
        except ValueError:
            return None
    return None


def _small(c: str | None) -> float:
    if not c:
        return 0.0
    v = _DIGIT_MAP.get(c, c)
    return float(v) if v.isdigit() else 0.0


def value_of_num_match(m: re.Match[str]) -> float | None:
    """Return the yuan value of a :data:`NUM_AMOUNT_RE` match."""
    try:
        v = float(re.sub(r"[,，]", "", m.group("num")))
    except ValueError:
        return None
    unit = m.group("unit")
    if unit.startswith("万"):
        v *= 10_000
    elif unit.startswith("千"):
        v *= 1_000
    elif unit.startswith("亿"):
        v *= 100_000_000
    v += _small(m.group("jiao")) / 10 + _small(m.group("fen")) / 100
    return round(v, 2)


def value_of_cn_match(m: re.Match[str]) -> float | None:
    """Return the yuan value of a :data:`CN_AMOUNT_RE` match."""
    v = cn_to_number(m.group("int"))
    if v is None:
        return None
    unit = m.group("unit")
    if unit == "万元":
        v *= 10_000
    elif unit == "亿元":
        v *= 100_000_000
    v += _small(m.group("jiao")) / 10 + _small(m.group("fen")) / 100
    return round(v, 2)
