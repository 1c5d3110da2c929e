"""Sums of money and their kind (principal, interest, fee, fine…) in yuan."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import (
    CN_AMOUNT_RE,
    MIXED_AMOUNT_RE,
    NUM_AMOUNT_RE,
    value_of_cn_match,
    value_of_mixed_match,
    value_of_num_match,
)

# keyword -> amount type; the keyword nearest before an amount decides its type
_KEYWORDS: dict[str, str] = {
    "本息合计": "total", "合计": "total", "共计": "total", "总计": "total", "总额": "total",
    "总金额": "total", "累计": "total", "执行标的": "total", "标的额": "total", "标的金额": "total",
    "未履行": "total", "尚欠": "total",
    "罚息": "penalty_interest", "复利": "penalty_interest", "逾期利息": "penalty_interest",
    "逾期付款利息": "penalty_interest", "违约金": "penalty_interest", "滞纳金": "penalty_interest",
    "迟延履行": "penalty_interest",
    "利息": "interest", "期内利息": "interest", "欠息": "interest", "资金占用费": "interest",
    "本金": "principal", "借款": "principal", "欠款": "principal", "贷款": "principal",
    "货款": "principal", "价款": "principal", "代偿款": "principal", "代偿": "principal",
    "垫付": "principal", "借支": "principal", "欠付": "principal", "透支": "principal",
    "借给": "principal", "出借": "principal", "款项": "principal", "租金": "principal",
    "偿还": "principal", "归还": "principal", "退还": "principal", "返还": "principal",
    "清偿": "principal", "给付": "principal",
    "受理费": "fee", "诉讼费": "fee", "保全费": "fee", "律师费": "fee", "公告费": "fee",
    "鉴定费": "fee", "评估费": "fee", "执行费": "fee", "申请费": "fee", "代理费": "fee",
    "邮寄费": "fee", "实现债权的费用": "fee", "费用": "fee",
    "罚款": "fine", "罚金": "fine", "并处": "fine", "处以": "fine",
    "没收违法所得": "confiscation", "违法所得": "confiscation", "没收": "confiscation",
    "已执行到位": "other", "执行到位": "other", "已执行": "other", "货值": "other",
}
_KW_RE = re.compile("|".join(re.escape(k) for k in sorted(_KEYWORDS, key=len, reverse=True)))
_BASE_AFTER = re.compile(r"^\s*(?:[)）])?\s*(?:为基数|为本金|为计算基数|的基数|的(?:逾期)?利息)")
_SENT_BOUND = "。；;\n"
_CLAUSE_BOUND = "，,、：:（(）)；;。\n"


@dataclass
class AmountRec:
    """An amount found in the text."""

    value: float
    type: str
    label: str | None
    text: str
    start: int


def _classify(text: str, start: int, prev_end: int) -> tuple[str, str | None]:
    sent_start = max(text.rfind(c, 0, start) for c in _SENT_BOUND) + 1
    narrow_start = max(prev_end, sent_start, start - 40)
    for lo in (narrow_start, max(sent_start, start - 80)):
        window = text[lo:start]
        last = None
        for m in _KW_RE.finditer(window):
            last = m
        if last is not None:
            return _KEYWORDS[last.group(0)], last.group(0)
    after = text[start : start + 40]
    fm = re.match(r"[^，,。；;]{0,25}?(?:元|万元)(?:的)?(罚款|违约金|律师费|利息|罚息)", after)
    if fm:
        return _KEYWORDS[fm.group(1)], fm.group(1)
    return "other", None


def all_figures(text: str) -> list[float]:
    """Return every money figure of the text (yuan), one entry per occurrence."""
    out: list[float] = []
    spans: list[tuple[int, int]] = []
    for m in MIXED_AMOUNT_RE.finditer(text):
        v = value_of_mixed_match(m)
        if v is not None:
            out.append(v)
            spans.append((m.start(), m.end()))
    for m in NUM_AMOUNT_RE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        v = value_of_num_match(m)
        if v is not None and v > 0:
            out.append(v)
            spans.append((m.start(), m.end()))
    for m in CN_AMOUNT_RE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        v = value_of_cn_match(m)
        if v is not None and v > 0:
            out.append(v)
    return out


_SCALES = (10000.0, 100.0, 1000.0)


def contradiction(value: float, figures: list[float]) -> str | None:
    """Return why `value` contradicts the document's other figures, or None.

    A figure written once whose value is 10,000 / 100 / 1,000 times one that recurs (or
    appears as often) elsewhere is a slip (`5000万元` where `5000元` recurs; `2456078元`
    where the interest is 24,560.78 elsewhere).
    """
    n = sum(abs(f - value) < 0.005 for f in figures)
    for k in _SCALES:
        small = value / k
        m = sum(abs(f - small) < 0.005 for f in figures)
        if m and m >= n and small >= 1:
            return f"{value:g} is {k:g}x {small:g}, which the document states {m} time(s)"
    return None


CLAIM_KINDS = {
    "principal": "claim_principal", "interest": "claim_interest",
    "penalty_interest": "claim_interest", "fee": "claim_fee", "total": "claim_total",
}
"""Amount type → kind for figures in the claims (诉讼请求); other types are not claim amounts."""


def _in_calc_paren(region: str, at: int) -> bool:
    """Return True if offset `at` lies inside a bracket that shows a computation
    (`（本金3万元按月利率2％计算…）`, `（每月3000元×39月）`): the figure is a base, not an amount."""
    op = max(region.rfind("（", 0, at), region.rfind("(", 0, at))
    if re.search(r"[为计共]\s*(?:人民币)?$", region[max(0, at - 6) : at]):
        return False  # a result: '暂计算到起诉之日的利息为41760元'
    if op < 0 or max(region.rfind("）", op, at), region.rfind(")", op, at)) >= 0:
        return False
    if re.search(r"(?:其中|包括)[^，,；;]{0,8}$", region[op:at]):
        return False  # the parts of a claimed sum: '（其中3507980元没有约定利息，2039758元约定月利率3％）'
    cl = [i for i in (region.find("）", at), region.find(")", at)) if i >= 0]
    inner = region[op : min(cl)] if cl else region[op : at + 60]
    return bool(re.search(r"利率|计算|[×]|月息|年息", inner))


def find_amounts(text: str, spans: list[tuple[int, int]]) -> list[AmountRec]:
    """Return amounts (deduplicated by value and type) found in the given spans of ``text``."""
    found: list[AmountRec] = []
    for s, e in spans:
        region = text[s:e]
        hits: list[tuple[int, int, float]] = []
        for m in MIXED_AMOUNT_RE.finditer(region):
            mv = value_of_mixed_match(m)
            if mv is not None:
                hits.append((m.start(), m.end(), mv))
        for m in NUM_AMOUNT_RE.finditer(region):
            if any(a <= m.start() < b for a, b, _ in hits):
                continue
            v = value_of_num_match(m)
            if v is not None and v > 0:
                hits.append((m.start(), m.end(), v))
        for m in CN_AMOUNT_RE.finditer(region):
            if any(a <= m.start() < b for a, b, _ in hits):
                continue
            v = value_of_cn_match(m)
            if v is not None and v > 0:
                hits.append((m.start(), m.end(), v))
        hits.sort()
        prev_end = 0
        prev_val: tuple[int, float] | None = None
        for a, b, v in hits:
            # 大写 repeat of the preceding figure, e.g. 120000元（大写：壹拾贰万元整）
            if prev_val and a - prev_val[0] <= 14 and abs(prev_val[1] - v) < 0.005:
                prev_end = b
                continue
            if _BASE_AFTER.match(region[b : b + 8]) or re.match(r"\s*[×xX*]", region[b : b + 3]) or _in_calc_paren(region, a):
                prev_end = b
                prev_val = (b, v)
                continue
            typ, label = _classify(region, a, prev_end)
            found.append(AmountRec(v, typ, label, region[a:b].strip(), s + a))
            prev_end = b
            prev_val = (b, v)
    out: list[AmountRec] = []
    seen: set[tuple[float, str]] = set()
    for r in found:
        key = (r.value, r.type)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
