"""整村授信: a suggested decision for every household of a village, with the graph's reasons.

The bank pre-approves credit lines village by village. For each household this module turns
what the graph knows into a decision — ``grant``, ``review`` or ``exclude`` — and a list of
reasons, by rules that are data (`CreditRules`), not a model:

| rule (code) | fires when (defaults) | decision |
|---|---|---|
| ``negative_self`` | a member is the subject of a record whose kind is in ``exclude_kinds`` (被执行人, 失信被执行人, 判决被告) | exclude |
| ``impaired_loan`` | a member's loan is classified 次级/可疑/损失 or ≥ ``overdue_exclude_days`` overdue | exclude |
| ``circle`` | a member is in a guarantee circle (担保圈) | review (exclude if the circle holds an impaired loan) |
| ``negative_near`` | the subject of a credit-relevant record (below) is within ``negative_hops`` (2) ties of a member (guarantee, household, legal rep, shareholder, recurring transfers) | review |
| ``negative_other`` | a member is the subject of another credit-relevant record (行政处罚…) | review |
| ``overdue`` | a member's loan is overdue or 关注 | review |
| ``guarantee_load`` | live balance the members guarantee ÷ the household's yearly inflow > ``guarantee_load_review`` (2.0); > ``guarantee_load_exclude`` (6.0) excludes | review / exclude |
| ``income_concentration`` | ≥ ``concentration_review`` (0.8) of the yearly inflow comes from one counterparty, with inflow ≥ ``concentration_min_inflow`` | review |
| ``referral`` | a member was referred by someone the rules exclude (or who is a record's subject) | review |
| ``community`` | ≥ ``community_negative_share`` of a member's fund-flow community are records' subjects | review |
| ``ring`` | a member is in a flagged shared-attribute ring (`guanxi analyze rings`, when it ran) | review |

**Credit-relevant records** (`credit_relevant`): only records whose kind is in
``credit_kinds`` (被执行人, 失信被执行人, 判决被告, 行政处罚) count for ``negative_self``,
``negative_other``, ``negative_near``, ``referral`` and ``community``; a 判决被告 record whose
judgment's 案由 is known counts only if the 案由 contains one of ``judgment_causes`` (借款,
借贷, 担保, 保证, 追偿, 融资租赁 — loan and guarantee disputes). Traffic violations (车辆违法),
public-security penalties (公安处罚), illness (严重疾病) and any kind not listed are no reason.
A 判决被告 record with no linked judgment (or no 案由) counts: the extract alone cannot tell.

The decision is the strongest any rule gives; ``grant`` means no rule fired. The suggested
line is ``line_income_multiple`` × the yearly inflow, clamped to [``line_min``, ``line_max``],
rounded to ¥1,000 (0 when excluded). Every suggestion says how its line was reached
(``line_basis``: ``inflow``, ``floor``, ``cap`` or ``excluded``, and a sentence with the figures).

**Why inflow.** The extract has nothing closer to income or wealth: accounts carry no balance,
loans only a balance, an overdue-day count and a classification at as-of (no repayment
history), persons a tier (高端/核心/基础/潜在) whose thresholds the extract does not give. So
the money into the household's accounts from outside it in the year before as-of stands in
for income and balance; where that is small the line sits at the floor, and the sentence says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from guanxi.algorithms.wording import Text, say

__all__ = ["LINE_TEXTS", "TEXTS", "CreditRules", "HouseholdFacts", "Reason", "Suggestion", "credit_relevant",
           "decide", "line_of", "people_of", "suggest"]

ORDER = {"grant": 0, "review": 1, "exclude": 2}


@dataclass(frozen=True)
class CreditRules:
    """The configurable thresholds of the 整村授信 rules (module docstring)."""

    exclude_kinds: tuple[str, ...] = ("被执行人", "失信被执行人", "判决被告")
    credit_kinds: tuple[str, ...] = ("被执行人", "失信被执行人", "判决被告", "行政处罚")
    judgment_causes: tuple[str, ...] = ("借款", "借贷", "担保", "保证", "追偿", "融资租赁")
    negative_hops: int = 2
    overdue_exclude_days: int = 90
    guarantee_load_review: float = 2.0
    guarantee_load_exclude: float = 6.0
    concentration_review: float = 0.8
    concentration_min_inflow: float = 20_000.0
    community_negative_share: float = 0.2
    line_income_multiple: float = 0.5
    line_min: float = 30_000.0
    line_max: float = 300_000.0


TEXTS: dict[str, Text] = {
    "negative_self": ("{m} 是 {rec}（{kind}）的当事人", "{m} is the subject of {rec} ({kind})"),
    "negative_other": ("{m} 是 {rec}（{kind}）的当事人", "{m} is the subject of {rec} ({kind})"),
    "impaired_loan": ("{m} 的贷款 {loan} 为{cls}，逾期 {overdue} 天", "{m}'s loan {loan} is {cls}, {overdue} days overdue"),
    "overdue": ("{m} 的贷款 {loan} 为{cls}，逾期 {overdue} 天", "{m}'s loan {loan} is {cls}, {overdue} days overdue"),
    "circle": ("{m} 在担保圈 {circle} 中", "{m} is in guarantee circle {circle}"),
    "circle_impaired": ("{m} 在担保圈 {circle} 中，圈内有不良贷款",
                        "{m} is in guarantee circle {circle} holding an impaired loan"),
    "negative_near": ("{m} 与 {rec}（{kind}）的当事人相距 {hops} 层关系：{path}",
                      "{m} is {hops} tie(s) from {rec} ({kind}): {path}"),
    "guarantee_load": ("为他人担保的在贷余额 ¥{balance:,.0f}，是近一年流入的 {load:.1f} 倍",
                       "guarantees ¥{balance:,.0f} of live loans, {load:.1f}× the yearly inflow"),
    "guarantee_load_no_inflow": ("为他人担保的在贷余额 ¥{balance:,.0f}，近一年无流入",
                                 "guarantees ¥{balance:,.0f} of live loans, no inflow"),
    "income_concentration": ("近一年流入 ¥{inflow:,.0f} 中 {share:.0%} 来自 {payer}",
                             "{share:.0%} of ¥{inflow:,.0f} yearly inflow comes from {payer}"),
    "referral": ("{m} 的推荐人 {referrer} 被排除或有负面记录",
                 "{m} was referred by {referrer}, who is excluded or a record's subject"),
    "community": ("{m} 所在的资金往来社区 {comm} 中 {share:.0%} 的成员有负面记录",
                  "{share:.0%} of {m}'s fund-flow community {comm} are records' subjects"),
    "ring": ("{m} 与无关联的借款人共用联系信息（团伙 {ring}）",
             "{m} shares contact details with unrelated borrowers (ring {ring})"),
}
"""Reason sentences by code (Chinese, English); `Reason.code` is the rule, the text is for people."""

LINE_TEXTS: dict[str, Text] = {
    "inflow": ("额度 = {mult:g} × 近一年流入 ¥{inflow:,.0f} ≈ ¥{line:,.0f}（流入代替收入：抽取数据无存款余额、无收入）",
               "line = {mult:g} × yearly inflow ¥{inflow:,.0f} ≈ ¥{line:,.0f} (inflow stands in for income: "
               "the extract has no deposit balance or income)"),
    "floor": ("{mult:g} × 近一年流入 ¥{inflow:,.0f} = ¥{raw:,.0f}，低于下限，取下限 ¥{line:,.0f}"
              "（流入代替收入：抽取数据无存款余额、无收入）",
              "{mult:g} × yearly inflow ¥{inflow:,.0f} = ¥{raw:,.0f}, below the floor: floor ¥{line:,.0f} "
              "(inflow stands in for income: the extract has no deposit balance or income)"),
    "cap": ("{mult:g} × 近一年流入 ¥{inflow:,.0f} = ¥{raw:,.0f}，高于上限，取上限 ¥{line:,.0f}",
            "{mult:g} × yearly inflow ¥{inflow:,.0f} = ¥{raw:,.0f}, above the cap: cap ¥{line:,.0f}"),
    "excluded": ("排除，无额度", "excluded, no line"),
}
"""How the suggested line was reached (`Suggestion.line_basis`), Chinese and English."""


@dataclass
class Reason:
    """Why a rule fired: its code, the decision it asks for, the members concerned, the
    sentence in Chinese (``text``) and English (``text_en``), and the figures in it (``args``)."""

    code: str
    decision: str
    members: list[str]
    text: str
    text_en: str = ""
    args: dict[str, str | int | float] = field(default_factory=dict)


def _reason(code: str, decision: str, members: list[str], template: str | None = None, *,
            names: Mapping[str, str | None] | None = None, **args: str | int | float) -> Reason:
    """Return a `Reason`; ``args`` keep ids, the sentences show names where `names` has them."""
    shown: dict[str, object] = dict(args)
    if names:
        for k in ("m", "referrer", "payer", "rec"):
            if k in shown:
                shown[k] = names.get(str(shown[k])) or shown[k]
        if "path" in shown:
            shown["path"] = " → ".join(names.get(x) or x for x in str(shown["path"]).split(" → "))
    zh, en = say(TEXTS, template or code, **shown)
    return Reason(code, decision, members, zh, en, dict(args))


@dataclass
class HouseholdFacts:
    """What the graph says about one household (the analysis fills it from the store)."""

    household: str
    members: list[str]
    records: list[tuple[str, str, str]] = field(default_factory=list)
    """(member, record id, kind) of records whose subject is a member."""
    near_records: list[tuple[str, str, str, int, list[str]]] = field(default_factory=list)
    """(member, record id, kind, hops, path) of records within the hop limit (hops ≥ 1)."""
    circles: list[tuple[str, str, bool]] = field(default_factory=list)
    """(member, circle id, circle holds an impaired loan)."""
    loans: list[tuple[str, str, str | None, int]] = field(default_factory=list)
    """(member, loan id, classification, overdue days) of live loans."""
    guaranteed_balance: float = 0.0
    inflow: float = 0.0
    top_payer: str | None = None
    top_payer_amount: float = 0.0
    referrers: list[tuple[str, str]] = field(default_factory=list)
    """(member, referrer)."""
    communities: list[tuple[str, str, float]] = field(default_factory=list)
    """(member, community, share of its members who are records' subjects)."""
    rings: list[tuple[str, str]] = field(default_factory=list)
    """(member, ring id) of flagged shared-attribute rings."""


@dataclass
class Suggestion:
    """The decision for a household, its reasons and the suggested line."""

    household: str
    decision: str
    line: float
    reasons: list[Reason]
    inflow: float
    guarantee_load: float | None
    concentration: float | None
    line_basis: str = "inflow"
    """``inflow`` (multiple of the yearly inflow), ``floor``, ``cap`` or ``excluded``."""
    line_text: str = ""
    line_text_en: str = ""


def credit_relevant(kind: str, cause: str | None = None, rules: CreditRules = CreditRules()) -> bool:
    """Return whether a negative record of `kind` (with its judgment's 案由 `cause`, when known)
    counts for the credit rules (module docstring, "credit-relevant records").

    >>> credit_relevant("被执行人"), credit_relevant("车辆违法"), credit_relevant("严重疾病")
    (True, False, False)
    >>> credit_relevant("判决被告", "金融借款合同纠纷"), credit_relevant("判决被告", "离婚纠纷")
    (True, False)
    >>> credit_relevant("判决被告", None)
    True
    """
    if kind not in rules.credit_kinds:
        return False
    if kind == "判决被告" and cause:
        return any(c in cause for c in rules.judgment_causes)
    return True


def decide(f: HouseholdFacts, rules: CreditRules = CreditRules(), excluded_people: set[str] | None = None,
           names: Mapping[str, str | None] | None = None) -> Suggestion:
    """Return the suggestion for one household (reason sentences name the people `names`
    knows, by id; the reasons' ``members`` and ``args`` keep the ids).

    >>> s = decide(HouseholdFacts("H:1", ["a"], inflow=100_000.0))
    >>> s.decision, s.line, s.reasons
    ('grant', 50000.0, [])
    >>> s = decide(HouseholdFacts("H:2", ["b"], circles=[("b", "K:9", False)], inflow=1.0))
    >>> s.decision, [r.code for r in s.reasons]
    ('review', ['circle'])
    >>> s = decide(HouseholdFacts("H:3", ["c"], near_records=[("c", "N:1", "被执行人", 1, ["c", "x"])]))
    >>> s.decision, s.reasons[0].code, s.reasons[0].text
    ('review', 'negative_near', 'c 与 N:1（被执行人）的当事人相距 1 层关系：c → x')
    >>> s.reasons[0].text_en
    'c is 1 tie(s) from N:1 (被执行人): c → x'
    >>> decide(HouseholdFacts("H:3", ["c"], near_records=[("c", "N:1", "被执行人", 1, ["c", "x"])]),
    ...        names={"c": "张三", "x": "李四"}).reasons[0].text
    '张三 与 N:1（被执行人）的当事人相距 1 层关系：张三 → 李四'
    >>> decide(HouseholdFacts("H:4", ["d"], inflow=20_000.0)).line_text
    '0.5 × 近一年流入 ¥20,000 = ¥10,000，低于下限，取下限 ¥30,000（流入代替收入：抽取数据无存款余额、无收入）'
    """
    why = partial(_reason, names=names)
    rs: list[Reason] = []
    for m, rec, kind in f.records:
        if kind not in rules.credit_kinds:
            continue
        if kind in rules.exclude_kinds:
            rs.append(why("negative_self", "exclude", [m], m=m, rec=rec, kind=kind))
        else:
            rs.append(why("negative_other", "review", [m], m=m, rec=rec, kind=kind))
    for m, loan, cls, overdue in f.loans:
        if cls in ("次级", "可疑", "损失") or overdue >= rules.overdue_exclude_days:
            rs.append(why("impaired_loan", "exclude", [m], m=m, loan=loan, cls=cls or "?", overdue=overdue))
        elif overdue > 0 or cls == "关注":
            rs.append(why("overdue", "review", [m], m=m, loan=loan, cls=cls or "?", overdue=overdue))
    for m, circle, impaired in f.circles:
        rs.append(why("circle", "exclude" if impaired else "review", [m],
                          "circle_impaired" if impaired else "circle", m=m, circle=circle))
    seen: set[tuple[str, str]] = set()
    for m, rec, kind, hops, path in sorted(f.near_records, key=lambda x: (x[3], x[0], x[1])):
        if hops < 1 or hops > rules.negative_hops or (m, rec) in seen or kind not in rules.credit_kinds:
            continue
        seen.add((m, rec))
        rs.append(why("negative_near", "review", [m], m=m, rec=rec, kind=kind, hops=hops,
                          path=" → ".join(path)))
    load = f.guaranteed_balance / f.inflow if f.inflow > 0 else (float("inf") if f.guaranteed_balance > 0 else None)
    if load is not None and load > rules.guarantee_load_review:
        d = "exclude" if load > rules.guarantee_load_exclude else "review"
        if load == float("inf"):
            rs.append(why("guarantee_load", d, list(f.members), "guarantee_load_no_inflow",
                              balance=f.guaranteed_balance))
        else:
            rs.append(why("guarantee_load", d, list(f.members), balance=f.guaranteed_balance, load=load))
    conc = f.top_payer_amount / f.inflow if f.inflow > 0 else None
    if (conc is not None and f.inflow >= rules.concentration_min_inflow
            and conc >= rules.concentration_review):
        rs.append(why("income_concentration", "review", list(f.members), inflow=f.inflow, share=conc,
                          payer=f.top_payer or "?"))
    bad = excluded_people or set()
    for m, referrer in f.referrers:
        if referrer in bad:
            rs.append(why("referral", "review", [m], m=m, referrer=referrer))
    for m, comm, share in f.communities:
        if share >= rules.community_negative_share:
            rs.append(why("community", "review", [m], m=m, comm=comm, share=share))
    for m, ring in f.rings:
        rs.append(why("ring", "review", [m], m=m, ring=ring))
    decision = max((r.decision for r in rs), key=ORDER.__getitem__, default="grant")
    line, basis = line_of(f.inflow, decision, rules)
    raw = rules.line_income_multiple * f.inflow
    zh, en = say(LINE_TEXTS, basis, mult=rules.line_income_multiple, inflow=f.inflow, raw=raw, line=line)
    return Suggestion(f.household, decision, line, rs, round(f.inflow, 2),
                      None if load is None or load == float("inf") else round(load, 3),
                      None if conc is None else round(conc, 3), basis, zh, en)


def line_of(inflow: float, decision: str, rules: CreditRules = CreditRules()) -> tuple[float, str]:
    """Return the suggested line and its basis: (0, ``excluded``) when excluded, else
    ``line_income_multiple`` × `inflow` rounded to ¥1,000 (``inflow``), or the floor / cap it
    was clamped to (``floor`` / ``cap``).

    >>> line_of(100_000.0, "grant"), line_of(10_000.0, "review"), line_of(1e7, "grant"), line_of(1e5, "exclude")
    ((50000.0, 'inflow'), (30000.0, 'floor'), (300000.0, 'cap'), (0.0, 'excluded'))
    """
    if decision == "exclude":
        return 0.0, "excluded"
    raw = rules.line_income_multiple * inflow
    if raw < rules.line_min:
        return float(round(rules.line_min, -3)), "floor"
    if raw > rules.line_max:
        return float(round(rules.line_max, -3)), "cap"
    return float(round(raw, -3)), "inflow"


def suggest(facts: Iterable[HouseholdFacts], rules: CreditRules = CreditRules(),
            record_subjects: Sequence[str] = (), names: Mapping[str, str | None] | None = None) -> list[Suggestion]:
    """Return a suggestion per household, excludes first, then reviews, then grants.

    A referral reason needs to know who is excluded: a first pass decides every household
    without it, then people of excluded households and `record_subjects` count as bad
    referrers in the second pass.

    >>> hs = [HouseholdFacts("H:1", ["a"], records=[("a", "N:1", "被执行人")]),
    ...       HouseholdFacts("H:2", ["b"], referrers=[("b", "a")], inflow=90_000.0)]
    >>> [(s.household, s.decision, [r.code for r in s.reasons]) for s in suggest(hs)]
    [('H:1', 'exclude', ['negative_self']), ('H:2', 'review', ['referral'])]
    """
    facts = list(facts)
    first = {f.household: decide(f, rules) for f in facts}
    bad = set(record_subjects)
    for f in facts:
        if first[f.household].decision == "exclude":
            bad.update(f.members)
        bad.update(m for m, _, k in f.records if k in rules.credit_kinds)
    out = [decide(f, rules, bad, names) for f in facts]
    out.sort(key=lambda s: (-ORDER[s.decision], s.household))
    return out


def people_of(members: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Return person → household of a household → members map.

    >>> people_of({"H:1": ["a", "b"]})
    {'a': 'H:1', 'b': 'H:1'}
    """
    return {p: h for h, ms in members.items() for p in ms}
