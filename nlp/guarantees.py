"""Guarantee relations (guarantor → debtor → creditor) from facts and the outcome items.

Sentences that mention security or joint liability are tokenised with jieba while keeping every
known party mention as one token, then tagged by the shared spaCy EntityRuler (GTYPE, LIAB, NEG);
the relation is read off the order of PARTY / trigger tokens / LIAB entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .lexicon import plausible_person_name
from .pipeline import get_nlp, load_jieba

CUE_RE = re.compile(r"保证|担保|抵押|质押|连带|优先受偿|补充赔偿")
PAY_RE = re.compile(r"偿还|归还|支付|给付|清偿|返还|赔偿")
CREDITOR_ROLES = ("原告", "申请执行人", "申请人", "反诉原告", "原审原告", "被上诉人")
DEBTOR_ROLES = ("被告", "被执行人", "原审被告", "被申请人", "被上诉人", "上诉人")
GTYPE_RE = re.compile(r"最高额连带责任保证|连带责任保证|连带保证|最高额保证|一般保证|最高额抵押|最高额质押|抵押|质押|保证")
LOAN_RE = re.compile(r"借款|贷款|借支|借取|借到")
_NONPARTY_CREDITOR = re.compile(
    r"(?:在|向|与)([\u4e00-\u9fff（）()]{2,30}?(?:银行|分行|支行|信用社|合作社|联社|贷款有限公司|贷款股份有限公司))"
    r"(?:的|处|借款|贷款|签订|申请|办理)"
)
_SUBJECT_TRIGGERS = {"为", "与", "向", "提供", "签订", "以", "作为", "出具", "自愿", "同意", "就", "分别", "对"}
_LIAB_TRIGGERS = {"对", "就", "在", "于", "应", "应当", "向", "以"}


@dataclass
class Mention:
    """A party mention in a sentence."""

    start: int
    end: int
    name: str


@dataclass
class GRec:
    """A guarantee relation being assembled."""

    guarantor: str
    debtor: str
    creditor: str | None
    type: str | None
    liable: bool | None
    basis: str = "fact"


@dataclass
class NotGuaranteeRec:
    """Security or a joint debt that is not a guarantee: own mortgage/pledge, spouse, co-repayment."""

    party: str
    debtor: str | None
    kind: str


def _family(t: str | None) -> str:
    if t and "抵押" in t:
        return "抵押"
    if t and "质押" in t:
        return "质押"
    return "保证"


def _norm_type(t: str | None) -> str | None:
    if t is None:
        return None
    t = t.replace("担保", "")
    return {"连带保证": "连带责任保证", "": None}.get(t, t)


def mentions(sent: str, surface: dict[str, str]) -> list[Mention]:
    """Return non-overlapping party mentions in ``sent`` (longest surface form first)."""
    taken = [False] * len(sent)
    out: list[Mention] = []
    for form in sorted(surface, key=len, reverse=True):
        if len(form) < 2:
            continue
        for m in re.finditer(re.escape(form), sent):
            if any(taken[m.start() : m.end()]):
                continue
            # '李某' must not match inside '李某1'
            if m.end() < len(sent) and sent[m.end()].isdigit() and ("某" in form or form[-1] in "0123456789xX×"):
                continue  # `黄x1` inside `黄x10`, `王1` inside `王12`
            # a bare role word stands for a party only when no name follows it ('原告及被告某公司')
            if form in ("原告", "被告") and m.end() < len(sent) and not re.match(r"[及和与、，,为对向以]", sent[m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            out.append(Mention(m.start(), m.end(), surface[form]))
    return sorted(out, key=lambda x: x.start)


def _doc(sent: str, ms: list[Mention]) -> tuple[Any, dict[int, str]]:
    from spacy.tokens import Doc, Span

    nlp = get_nlp()
    jieba = load_jieba()
    words: list[str] = []
    party_tok: list[tuple[int, str]] = []
    pos = 0
    for m in ms:
        if m.start > pos:
            words.extend(w for w in jieba.cut(sent[pos : m.start]) if w)
        party_tok.append((len(words), m.name))
        words.append(sent[m.start : m.end])
        pos = m.end
    if pos < len(sent):
        words.extend(w for w in jieba.cut(sent[pos:]) if w)
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    doc.ents = [Span(doc, i, i + 1, label="PARTY") for i, _ in party_tok]
    doc = nlp(doc)
    names = dict(party_tok)
    return doc, names


def _sentences(text: str, spans: list[tuple[int, int]], surface: dict[str, str]) -> list[str]:
    """Return the clause runs that state a guarantee: from the last clause naming a party up to
    the clause with the security type (so '张某向银行借款，李某与银行签订保证合同，为该借款提供
    连带责任保证' yields '李某与银行签订保证合同，为该借款提供连带责任保证')."""
    out: list[str] = []
    for s, e in spans:
        for sent in re.split(r"[。；;\n]", text[s:e]):
            if not GTYPE_RE.search(sent):
                continue
            clauses = re.split(r"[，,：:]", sent)
            for k, cl in enumerate(clauses):
                if not GTYPE_RE.search(cl):
                    continue
                j = k
                while j >= 0 and not mentions(clauses[j], surface):
                    j -= 1
                if j >= 0:
                    out.append("，".join(clauses[j : k + 1]).strip())
    return out


def primary_debtor_creditor(
    text: str, items: list[tuple[int, int]], surface: dict[str, str], roles: dict[str, str]
) -> tuple[str | None, str | None]:
    """Return (debtor, creditor) of the main payment order, else by procedural role."""
    for s, e in items:
        sent = text[s:e]
        pm = PAY_RE.search(sent)
        if not pm:
            continue
        ms = mentions(sent, surface)
        before = [m for m in ms if m.end <= pm.start()]
        after = [m.name for m in ms if m.start >= pm.end()]
        if before:
            payer = before[0].name
            to = [m.name for m in before[1:] if "向" in sent[before[0].end : m.start]]
            return payer, (to[0] if to else after[0] if after else None)
    creditor = next((n for r0 in CREDITOR_ROLES for n, r in roles.items() if r == r0), None)
    # '原审被告张某向某银行借款' in the facts
    for sent in re.split(r"[。；;\n，,]", text):
        if not LOAN_RE.search(sent):
            continue
        ms = mentions(sent, surface)
        for m in ms:
            if sent[m.end : m.end + 1] == "向" or LOAN_RE.match(sent, m.end):
                if m.name != creditor and roles.get(m.name) != "原告":
                    return m.name, creditor
    debtor = next((n for r0 in DEBTOR_ROLES for n, r in roles.items() if r == r0), None)
    return debtor, creditor


_TITLED_LOAN = re.compile(r"(《[^》]{0,12}?)(抵押|质押)([^》]{0,4}?(?:借款|贷款|借贷)(?:合同|协议)》)")


def find_guarantees(
    text: str,
    body: tuple[int, int],
    items: list[tuple[int, int]],
    surface: dict[str, str],
    roles: dict[str, str],
) -> list[GRec]:
    """Return guarantee relations stated in the body (facts) and ordered in the outcome items."""
    if not surface:
        return []
    debtor0, creditor0 = primary_debtor_creditor(text, items, surface, roles)
    found: dict[tuple[str, str, str], GRec] = {}

    def add(g: GRec, from_outcome: bool) -> None:
        if g.guarantor == g.debtor and _family(g.type) == "保证":
            return
        key = (g.guarantor, g.debtor, _family(g.type))
        old = found.get(key)
        if old is None:
            found[key] = g
            return
        if g.type and (old.type in (None, "保证") or (not from_outcome and g.type != "保证")):
            old.type = g.type
        if from_outcome and g.liable is not None:
            old.liable = g.liable
        if old.creditor is None:
            old.creditor = g.creditor

    # facts: 'B公司为该借款提供连带责任保证', '由被告李某提供抵押担保', '李某与原告签订保证合同'
    for sent in _sentences(text, [body], surface):
        # '《股权质押借款合同》' names a loan contract: signing it makes no one a guarantor
        sent = _TITLED_LOAN.sub(lambda m: m.group(1) + "××" + m.group(3), sent)
        ms = mentions(sent, surface)
        if not ms:
            continue
        doc, names = _doc(sent, ms)
        gts = [e for e in doc.ents if e.label_ == "GTYPE"]
        if not gts or any(e.label_ == "NEG" for e in doc.ents):
            continue
        if not re.search(r"提供|签订|签署|订立|出具|作为|承诺|约定|设定|设立|办理|作了|做了|作出|承担", sent):
            continue
        toks = [t.text for t in doc]
        party_idx = sorted(names)
        gt = gts[0]
        gtype = _norm_type(gt.text)
        if _family(gtype) == "保证" and re.search(r"(?:用|以)其?[^，,。]{0,6}(?:名下|所有)的?[^，,。]{0,40}(?:房|地|车)", sent):
            gtype = "抵押"  # '用其名下的房屋…承担担保责任': property security, not a personal guarantee
        guarantors: list[str] = []
        if "由" in toks[: gt.start]:
            k = toks.index("由")
            guarantors = [names[i] for i in party_idx if k < i < gt.start]
        if not guarantors:
            trig = next((i for i, t in enumerate(toks) if t in _SUBJECT_TRIGGERS and i > 0), len(toks))
            subj = [names[i] for i in party_idx if i < trig]
            explicit_debtor = "为" in toks[: gt.start] and any(
                toks.index("为") < i < gt.start and names[i] not in subj for i in party_idx
            )
            if not explicit_debtor:
                subj = [n for n in subj if n != creditor0]
            if subj:
                guarantors = subj
            elif trig < len(toks) and toks[trig] == "与":
                stop = next((i for i in range(trig + 1, len(toks)) if toks[i] in ("签订", "签署", "订立", "，", ",")), len(toks))
                guarantors = [names[i] for i in party_idx if trig < i < stop and names[i] != creditor0]
        debtor = debtor0
        if debtor in guarantors:
            debtor = next((n for n, r in roles.items() if r in DEBTOR_ROLES and n not in guarantors), debtor)
        if "为" in toks[: gt.start]:
            k = max(i for i, t in enumerate(toks[: gt.start]) if t == "为")
            after = [names[i] for i in party_idx if k < i < gt.start and names[i] not in guarantors]
            if after:
                debtor = after[0]
        creditor = creditor0
        nm = _NONPARTY_CREDITOR.search(sent)
        if nm and (creditor0 is None or creditor0 in guarantors) and nm.group(1) not in surface:
            creditor = nm.group(1)
        for g in guarantors:
            if debtor and (g != debtor or _family(gtype) != "保证"):
                add(GRec(g, debtor, creditor if creditor != g else None, gtype, None), False)

    # outcome: '被告李某对上述债务承担连带清偿责任', '原告有权就被告名下房产优先受偿', '驳回…'
    for s, e in items:
        for sent in re.split(r"[。；;\n]", text[s:e]):
            if not sent.strip():
                continue
            ms = mentions(sent, surface)
            if not ms:
                continue
            neg = bool(re.search(r"驳回|不承担|免除", sent))
            if neg:
                for m in ms:
                    for rec in found.values():
                        if rec.guarantor == m.name and rec.liable is None:
                            rec.liable = False
                continue
            if not CUE_RE.search(sent):
                continue
            doc, names = _doc(sent, ms)
            liab = [e for e in doc.ents if e.label_ == "LIAB"]
            if not liab:
                continue
            lt = liab[0].text
            toks = [t.text for t in doc]
            party_idx = sorted(names)
            if "优先" in lt:
                ptype = "质押" if "质" in sent else "抵押"
                owners = [names[i] for i in party_idx if names[i] != creditor0]
                cred = next((names[i] for i in party_idx if names[i] == creditor0), creditor0)
                for o in owners[:1]:
                    if debtor0:
                        add(GRec(o, debtor0, cred, ptype, True, "outcome"), True)
                continue
            if "连带" in lt or "保证" in lt or "担保" in lt:
                ltype = "连带责任保证" if "连带" in lt else None
            elif "补充" in lt:
                ltype = "一般保证"
            else:
                continue
            trig = next(
                (i for i, t in enumerate(toks) if t in _LIAB_TRIGGERS and i > (party_idx[0] if party_idx else 0)),
                liab[0].start,
            )
            guarantors = [names[i] for i in party_idx if i < trig]
            between = [names[i] for i in party_idx if trig < i < liab[0].start and names[i] not in guarantors]
            debtor = between[0] if between else debtor0
            creditor = creditor0
            if "向" in toks:
                k = toks.index("向")
                after = [names[i] for i in party_idx if i > k]
                if after:
                    creditor = after[0]
            for g in guarantors:
                if g == creditor0 or debtor is None:
                    continue
                add(GRec(g, debtor, creditor, ltype, True, "outcome"), True)
    return list(found.values())


# -- beyond the sentence patterns: debtors, non-party debtors, what is not a guarantee ---------

_BANK_RE = re.compile(r"银行|信用社|信用合作|联社|农商行|农信社|村镇银行|小额贷款|贷款公司|资产管理")
_SPOUSE_RE = re.compile(r"家庭财产|夫妻共同(?:债务|财产)|共同债务|夫妻关系存续期间")
_COREPAY_RE = re.compile(r"共同(?:偿还|还款|归还|清偿)|共同承担还款|共同还款承诺|承诺共同")
_NONPARTY_DEBTOR = re.compile(
    r"为(?:案外人)?(?P<d>[\u4e00-\u9fff]{2,4}?|[\u4e00-\u9fff（）()]{4,30}?(?:公司|合作社|厂|店))"
    r"(?:的|在|向|与)[^。；;]{0,30}?(?:借款|贷款|债务|欠款)[^。；;]{0,20}?"
    r"(?:提供|承担)[^。；;]{0,6}?(?P<t>连带责任保证|连带保证|一般保证|保证|担保)"
)
_NOTE_RE = re.compile(r"(?:出具|书写|写下|写了|打了|立下)了?(?:一张|一份|一枚|二张|两张|借款)?(?:借条|借据|欠条|欠据)")
_ROLE_PREFIX = re.compile(r"^(?:原告|被告|原审|上诉人|被上诉人|申请|被申请|被执行|第三人|该|其|上述|本)")
_NONPARTY_BORROWER = re.compile(
    r"案外人(?P<d>[\u4e00-\u9fff]{2,4}?|[\u4e00-\u9fff（）()]{4,30}?(?:公司|合作社|厂|店))"
    r"(?:于[^，。；]{0,15})?(?:向|在|与)[^。；;]{0,30}?(?:借款|贷款)"
)


_MASKED_NAME = r"[\u4e00-\u9fff]{1,2}(?:[xX×]{1,3}\d{0,2}|\d{1,2})(?![\d\u4e00-\u9fff]*(?:公司|店|厂))"
_ORG_NAME = r"(?![与和向为对由])[\u4e00-\u9fff](?:(?![与和向])[\u4e00-\u9fff\d（）()]){1,23}?(?:公司|联合会|合作社|厂|店|中心)"
_NP_NAME = rf"(?:[\u4e00-\u9fff][xX]{{4,}}\d{{0,2}}|{_ORG_NAME}|{_MASKED_NAME}|[\u4e00-\u9fff]{{2,3}}?)"
_NP_BORROWER = [
    # '借款人陈某向原告借款' / '借款人：魏x9' / '借款人桐城市涉农企业联合会签订…'
    re.compile(rf"(?<![出被])借款人(?:为|是|系|[:：])?(?P<x>{_NP_NAME})(?=[向因与于在给出签未,，。、(（]|$|\d)"),
    # '顾x7向原告借款500000元' / '蒋x6向原告仲x0借款1万元' (a name masked by the publisher)
    re.compile(rf"(?:^|(?<=[，,。:：;；\s]))(?P<x>{_MASKED_NAME})(?:于[^，,。]{{0,15}}?)?(?:因[^，,。]{{0,12}}?)?向[^，,。；]{{0,24}}?借(?:款|到|取|现金)"),
    # '为X与农商行签订的…《借款合同》项下贷款提供连带责任保证' / '为张x5在原告处形成的…债务提供保证担保'
    re.compile(rf"(?:为|对)(?P<x>{_NP_NAME})(?:与|在|向)[^。；;]{{0,50}}?(?:借款|贷款|债务)[^。；;]{{0,30}}?(?:提供|承担)"),
    # '约定:恒航公司借款200万元' / '约定张x5向原告借款260万元'
    re.compile(rf"约定[:：]?(?P<x>{_ORG_NAME}|{_MASKED_NAME})(?:向[^，,。]{{0,20}}?)?借款(?:人民币|金额)?\d"),
]


_MASKED_MOU = r"[\u4e00-\u9fff]{1,2}某{1,2}\d{0,2}(?!\d)"
_NP_GUARANTOR = [
    # '市小贷中心(乙方、担保人)' / '陈x4(甲方、反担保人)'
    re.compile(rf"(?P<x>{_NP_NAME})[(（](?:[^)）]{{0,10}}[、，,])?(?:反担保人|担保人|保证人)(?:[、，,][^)）]{{0,10}})?[)）]"),
    # '由洛阳宝安房地产开发有限公司、被告洛阳宇航重工公司提供连带责任保证': the names listed after 由
    re.compile(r"由(?P<xs>[^，,。；;由]{2,60}?)(?:提供|作|承担)[^，,。；;]{0,10}?(?:担保|保证)"),
    # a guarantor masked by the publisher (`担保人赵某`, `由案外人孙某某作为担保人`, `约定由吴某承担连带保证责任`)
    re.compile(rf"(?:担保人|保证人)(?:为|是|系|[:：])?(?P<x>{_MASKED_MOU})(?![\u4e00-\u9fff])"),
    re.compile(rf"由(?:案外人|被告)?(?P<x>{_MASKED_MOU})(?:自愿)?(?:作为(?:担保人|保证人)|提供|作|承担连带)"),
    re.compile(rf"(?:^|[，,。；;\s])(?:案外人)?(?P<x>{_MASKED_MOU})(?:自愿)?作为(?:担保人|保证人)"),
]


def nonparty_guarantors(text: str, body: tuple[int, int], surface: dict[str, str]) -> list[str]:
    """Return guarantors the facts name who are not parties: `X(乙方、担保人)`, and firms or masked names listed
    with parties after `由` (`由X公司、被告Y提供连带责任保证`)."""
    seg = text[body[0] : body[1]]
    out: list[str] = []
    for pat in _NP_GUARANTOR:
        for m in pat.finditer(seg):
            xs = [m.group("x")] if "x" in m.groupdict() else re.split(r"[、和及]", m.group("xs"))
            for x in xs:
                x = re.sub(r"^(?:原审被告|原审第三人|被告|第三人|案外人)", "", x.strip())
                if not x or x in surface or x in out or any(x in f or f in x for f in surface) or _BANK_RE.search(x):
                    continue
                if re.fullmatch(_MASKED_MOU, x) and plausible_person_name(x):
                    out.append(x)
                elif re.fullmatch(_ORG_NAME + "|" + _MASKED_NAME + r"|[\u4e00-\u9fff][xX]{4,}\d{0,2}", x) and not re.search(
                        r"[与和向]|^(?:公司|中心)$|担保公司$|^[该其本此上]", x):
                    out.append(x)
    return out


def nonparty_borrowers(text: str, body: tuple[int, int], surface: dict[str, str]) -> list[str]:
    """Return the borrowers the facts name who are not parties (`借款人陈某向原告借款`, `顾x7向原告借款…`, a
    company the guarantee is given for), so that their guarantors get them as debtors."""
    seg = text[body[0] : body[1]]
    out: list[str] = []
    for pat in _NP_BORROWER:
        for m in pat.finditer(seg):
            x = m.group("x")
            if x in surface or x in out or _ROLE_PREFIX.match(x) or _BANK_RE.search(x) or re.search(
                    r"原告|被告|担保|保证|借款|双方|本人|他人|其|该|[与和向]", x):
                continue
            if re.fullmatch(_MASKED_NAME + "|" + _ORG_NAME + r"|[\u4e00-\u9fff][xX]{4,}\d{0,2}", x) or (
                    plausible_person_name(x) and not any(f in x or x in f for f in surface)):
                out.append(x)
    return out


def _nonparty_ok(name: str) -> bool:
    """Return True for a debtor named in running text who may be taken: an organisation, or a
    plausible person's name (`吴某`, not `双方`)."""
    if re.match(r"^(?:公司|合作社|厂|店)$|^[该其本此上]", name):
        return False
    return bool(re.search(r"公司|合作社|厂|店", name)) or plausible_person_name(name)


_COLLECTIVE_BORROWERS = re.compile(
    r"^\s*(?:(?:夫妻|夫妇)?(?:二|两|俩|三|四)(?:人|名被告|被告)|(?:二|两)者|其(?:二|两)人|上述(?:各)?被告)"
    r"(?:共同|一起|一同|先后|分别)?(?:于[^，,]{0,15}?)?(?:向|从)[^，,]{0,25}?(?:借款|借取|借到|借现金|借钱|贷款)"
)


def debtors_of(
    text: str,
    body: tuple[int, int],
    items: list[tuple[int, int]],
    surface: dict[str, str],
    creditor: str | None,
) -> list[str]:
    """Return every debtor: each payer ordered to repay (`被告张某、李某偿还…`, one per item in
    联保 cases), and co-borrowers in the facts (`借款人张某、李某`, `张某、李某向原告借款`)."""
    out: list[str] = []

    def put(n: str) -> None:
        if n != creditor and n not in out:
            out.append(n)

    for s, e in items:
        sent = text[s:e]
        pm = PAY_RE.search(sent)
        if not pm or re.search(r"连带|保证|担保|优先受偿|驳回", sent[: pm.start()]):
            continue
        for m in mentions(sent[: pm.start()], surface):
            if "向" not in sent[: m.start]:
                put(m.name)
    for sent in re.split(r"[。；;\n]", text[body[0] : body[1]]):
        # '被告马某于当日出具一张借条给原告': who writes the note borrowed
        for cl in re.split(r"[，,]", sent):
            nm = _NOTE_RE.search(cl)
            if nm and not re.search(r"担保|保证|证人|见证", cl[: nm.start()]):
                for m in mentions(cl[: nm.start()], surface):
                    between = cl[m.end : nm.start()]
                    # 'X向原告出具借条': X wrote it; '原告向X出具' / 'X为Y出具' are not X's notes
                    recipient = re.search(r"(?:向|给)$", cl[max(0, m.start - 1) : m.start])
                    if not recipient and "为" not in between and (
                        "向" not in between or re.match(r"[^，,向]{0,6}向", between)
                    ):
                        put(m.name)
        for bm in re.finditer(r"以([^，,。以]{1,30}?)(?:为|作为)借款人", sent):  # '以王某2为借款人'
            for m in mentions(bm.group(1), surface):
                put(m.name)
        for m in mentions(sent, surface):
            # '被告寇某（借款人、甲方）' / '被告X委托原告为其…提供担保' (a guarantee bought by the borrower)
            if re.match(r"\s*[(（][^)）]{0,8}借款人", sent[m.end :]) or re.match(
                    r"[^，,。]{0,4}委托[^，,。]{0,30}?为其[^。]{0,40}?(?:担保|保证)", sent[m.end :]):
                put(m.name)
        for cl in re.split(r"[，,]", sent):
            # '被告钱某与原告签订《个人借款合同》' / '原告与被告钱某签订借款合同': the other side borrowed
            cm = re.search(r"签订|签署|订立", cl)
            if (cm and re.search(r"(?:借款|贷款|借贷)(?:合同|协议)|《[^》]{0,16}(?:承兑|授信|融资|贷款|借款)[^》]{0,8}(?:合同|协议)》",
                                 cl[cm.end():])
                    and not re.search(r"保证|担保|抵押|质押|联保|证人|见证", cl)
                    and re.search(r"与|和|同", cl[: cm.start()])):
                for m in mentions(cl[: cm.start()], surface):
                    put(m.name)
        # '孙某为被告钱某在原告处的借款提供保证': 钱某 is the debtor
        for dm in re.finditer(r"(?:为|对)([^，,。为对]{1,30}?)(?:的|在[^，,。]{0,12}?的?)(?:借款|贷款|债务)[^，,。]{0,12}?(?:提供|承担)", sent):
            for m in mentions(dm.group(1), surface):
                put(m.name)
        if not LOAN_RE.search(sent):
            continue
        prev: list[str] = []
        for cl in re.split(r"[，,]", sent):
            before_prev, prev = prev, [m.name for m in mentions(cl, surface)]
            if CUE_RE.search(cl):
                continue  # '被告刘某为该借款提供担保': a guarantor's clause
            if not prev and _COLLECTIVE_BORROWERS.match(cl):
                # '被告钱某、周某系夫妻，二人共同向原告借款…': the people of the clause before
                for n in before_prev:
                    put(n)
                continue
            lm = re.search(
                r"借款人|(?:共同|分别)?向[^，,]{0,30}?(?:借款|贷款|借取|借到)"
                r"|(?:共同|分别)?(?:借款|贷款)(?=\s*(?:人民币|[\d一二三四五六七八九十壹贰叁肆伍陆柒捌玖拾]))",
                cl,
            )
            if not lm or re.search(r"纠纷|一案|合同[^，,]{0,4}签订", cl):
                continue
            if re.search(r"(?:偿还|归还|还清|返还|支付|给付|清偿|催要|催收|催讨|拖欠)[^，,]{0,4}$", cl[: lm.start()]):
                continue  # '王某2、王某3仅偿还借款28万元…': repaying, not borrowing
            ms = mentions(cl, surface)
            said = list(re.finditer(r"(?:辩称|诉称|述称|陈述|认为|称)[:：]?", cl[: lm.start()]))
            if said:  # '被告张某、韩某辩称：二被告向原告借款…': the speakers are not named as borrowers
                ms = [m for m in ms if m.start >= said[-1].end()]
            if lm.group(0) == "借款人":
                ms = [m for m in ms if m.start >= lm.end()]
            else:
                ms = [m for m in ms if m.end <= lm.start()]
            # a list 'A、B' directly before the cue (not '原告向被告…')
            chain = [m for m in ms if "向" not in cl[m.end : lm.start()] or m is ms[-1]]
            for m in chain:
                put(m.name)
    if not out:
        # nothing ordered and no borrower in the facts (a text published from the claims on): the
        # claim items name who is to repay (`1．判令彭某偿还借款1280万元`)
        for cm in _CLAIM_REPAY.finditer(text):
            for m in mentions(cm.group(1), surface):
                put(m.name)
    return out


_CLAIM_REPAY = re.compile(r"(?:判令|判决|要求|请求)(?:被告)?([^，,。；;：:]{2,40}?)(?:共同|立即|连带|依法)*(?:偿还|归还|返还)"
                          r"[^，,。；;]{0,8}?(?:借款|欠款|本金|贷款)")


def _named_guarantor(text: str, name: str, others: set[str] | None = None) -> bool:
    """Return True when the text names ``name`` as a guarantor outright (`保证人陈某`, `陈某作为担保人`,
    `陈某提供连带责任保证`), not negated and not as someone else's relative (`陈某为保证人李某的配偶`)."""
    n = re.escape(name)
    for m in re.finditer(rf"(?:保证人|担保人)(?:为|是)?{n}|{n}[^，。；,]{{0,2}}(?:作为|系|为|是)?(?:连带责任)?(?:保证人|担保人)"
                         rf"|{n}[^，。；,]{{0,6}}提供(?:连带责任)?(?:保证|担保)", text):
        if _NEG_RE.search(text[max(0, m.start() - 4) : m.end()]):
            continue
        if not any(o != name and text.startswith(o, m.end()) for o in others or ()):
            return True
    return False


def refine_guarantees(
    text: str,
    body: tuple[int, int],
    items: list[tuple[int, int]],
    surface: dict[str, str],
    roles: dict[str, str],
    recs: list[GRec],
) -> tuple[list[GRec], list[NotGuaranteeRec]]:
    """Return (guarantees, what is not a guarantee) from the sentence-level relations.

    - every debtor of the case gets the guarantors of the main debt (联保, co-borrowers);
    - a guarantee for a debtor who is not a party (`为案外人吴某的借款提供连带责任保证`) is added;
    - a debtor's own 抵押/质押 is security (`own_mortgage`/`own_pledge`), never A → A;
    - a spouse's 家庭财产/夫妻共同债务 liability and co-repayment promises are not guarantees;
    - bank → bank, creditor as guarantor and the reverse of a kept pair are dropped.
    """
    creditor0 = next((n for r0 in CREDITOR_ROLES for n, r in roles.items() if r == r0), None)
    debtors = debtors_of(text, body, items, surface, creditor0)
    fact_debtors = debtors_of(text, body, [], surface, creditor0)  # who borrowed, by the facts
    nots: list[NotGuaranteeRec] = []
    spouse: set[str] = set()
    corepay: set[str] = set()
    for sent in re.split(r"[。；;\n]", text):
        if _SPOUSE_RE.search(sent) or _COREPAY_RE.search(sent):
            names = {m.name for m in mentions(sent, surface)}
            if re.search(r"保证合同|保证人|担保人|提供(?:连带责任)?保证|连带责任保证", sent):
                # signed as a guarantor: a guarantee after all; only a spouse not named so is kept apart
                if _SPOUSE_RE.search(sent):
                    spouse.update(n for n in names if not _named_guarantor(sent, n, set(surface)))
                continue
            (spouse if _SPOUSE_RE.search(sent) else corepay).update(names)
    married = {frozenset(p) for p in spouse_pairs(text, surface, roles)}
    partner = {a: b for x, y in spouse_pairs(text, surface, roles) for a, b in ((x, y), (y, x))}
    fact_guarantors = {g.guarantor for g in recs if g.basis == "fact" and _family(g.type) == "保证"}
    out: list[GRec] = []
    for g in recs:
        fam = _family(g.type)
        if (fam == "保证" and g.basis == "outcome" and frozenset((g.guarantor, g.debtor)) in married
                and g.guarantor not in fact_guarantors):
            # '被告李某对上述债务承担连带清偿责任' where 李某 is the borrower's spouse: a marital debt
            nots.append(NotGuaranteeRec(g.guarantor, g.debtor, "spouse_joint_debt"))
            continue
        if (g.type in (None, "保证") and g.guarantor in spouse and g.guarantor in partner
                and not _named_guarantor(text, g.guarantor, set(surface))):
            # a spouse sued with the borrower or guarantor for a marital debt (`以其夫妻共同财产承担`,
            # `法定连带责任`), named nowhere as 保证人/担保人: not a guarantee, whatever the wording
            nots.append(NotGuaranteeRec(g.guarantor, partner[g.guarantor], "spouse_joint_debt"))
            continue
        if g.guarantor == g.debtor or (fam != "保证" and g.guarantor in debtors):
            nots.append(NotGuaranteeRec(
                g.guarantor, g.guarantor, "own_pledge" if fam == "质押" else "own_mortgage"
            ))
            continue
        if (g.guarantor == creditor0 or g.debtor == creditor0) and creditor0 and _BANK_RE.search(creditor0):
            continue
        if creditor0 and g.debtor == creditor0 and roles.get(creditor0) == "原告":
            continue  # the plaintiff is owed the debt; it is not the debtor the guarantee secures
        if _BANK_RE.search(g.guarantor) and _BANK_RE.search(g.debtor):
            continue
        if fam == "保证" and g.basis == "outcome" and (g.guarantor in spouse or g.guarantor in corepay):
            nots.append(NotGuaranteeRec(
                g.guarantor, g.debtor, "spouse_joint_debt" if g.guarantor in spouse else "co_repayment"
            ))
            continue
        out.append(g)
    # every debtor gets the guarantors of the main debt (联保 / co-borrowers), not a spouse who
    # pays only because the debt is a marital one
    spouse_only = {b for a, b in spouse_pairs(text, surface, roles) + [(y, x) for x, y in spouse_pairs(text, surface, roles)]
                   if a in fact_debtors and b not in fact_debtors}
    if len(debtors) > 1:
        main = [g for g in out if g.debtor in debtors and _family(g.type) == "保证"]
        for g in main:
            for d in debtors:
                if d in spouse_only:
                    continue
                if d != g.guarantor and d not in {x.guarantor for x in main}:
                    out.append(GRec(g.guarantor, d, g.creditor, g.type, g.liable, g.basis))
    # 联保 / 互保: the members of a mutual-guarantee group each guarantee every other member's loan
    mutual: set[tuple[str, str]] = set()
    if _MUTUAL_DOC.search(text):
        for sent in re.split(r"[。；;\n]", text):
            if not (_MUTUAL_SENT.search(sent) or (_GROUP_SENT.search(sent) and _GROUP_DOC.search(text))):
                continue
            members = [m.name for m in mentions(sent, surface)
                       if m.name != creditor0 and roles.get(m.name) not in CREDITOR_ROLES]
            members = list(dict.fromkeys(members))
            if len(members) < 2:
                continue
            # each member answers for the loans of the members who borrowed (all of them when the text
            # does not say who borrowed)
            borrowing = [m for m in members if m in debtors] or members
            for g_ in members:
                for d_ in borrowing:
                    if g_ != d_:
                        mutual.add((g_, d_))
                        out.append(GRec(g_, d_, creditor0, "连带责任保证", None))
    # guarantees for a debtor who is not a party
    seg = text[body[0] : body[1]]
    for sent in re.split(r"[。；;\n]", seg):
        ms = mentions(sent, surface)
        nm = _NONPARTY_DEBTOR.search(sent)
        if nm and not _ROLE_PREFIX.match(nm.group("d")) and nm.group("d") not in surface and _nonparty_ok(nm.group("d")):
            gs = [m.name for m in ms if m.end <= nm.start() and m.name != creditor0]
            for gname in gs:
                out.append(GRec(gname, nm.group("d"), creditor0, _norm_type(nm.group("t")), None))
    nb = _NONPARTY_BORROWER.search(seg)
    if nb and not _ROLE_PREFIX.match(nb.group("d")) and nb.group("d") not in surface and _nonparty_ok(nb.group("d")) and not any(g.debtor == nb.group("d") for g in out):
        for sent in re.split(r"[。；;\n]", seg[nb.end() :])[:3]:
            gm = GTYPE_RE.search(sent)
            if not gm or _family(gm.group(0)) != "保证":
                continue
            for m in mentions(sent[: gm.start()], surface):
                if m.name != creditor0:
                    out.append(GRec(m.name, nb.group("d"), creditor0, _norm_type(gm.group(0)), None))
            break
    # dedupe; never a pair and its reverse
    seen: dict[tuple[str, str], GRec] = {}
    for g in out:
        k = (g.guarantor, g.debtor)
        if k not in seen:
            seen[k] = g
        elif seen[k].type in (None, "保证") and g.type not in (None, "保证") and _family(g.type) == "保证":
            seen[k].type = g.type  # the more specific wording ('连带责任保证担保' read as 保证 elsewhere)
    stated = {(r.guarantor, r.debtor) for r in recs if r.basis == "fact"}
    kept: list[GRec] = []
    for (a, b), g in list(seen.items()):
        if roles.get(b) == "原告":
            # a plaintiff is owed the debt; it is never the debtor a guarantee secures: the guarantee is
            # for the case's debtors (`原告甲、乙和被告丙、丁签订借款合同及担保合同`)
            del seen[(a, b)]
            for d in debtors:
                if d != a and roles.get(d) != "原告" and (a, d) not in seen and (d, a) not in seen:
                    seen[(a, d)] = GRec(a, d, g.creditor, g.type, g.liable, g.basis)
                    out.append(seen[(a, d)])
    borrowers = {d for d in set(debtors) | set(fact_debtors) if roles.get(d) != "原告"}
    for (a, b), g in seen.items():
        if borrowers and b in roles and b not in borrowers and (b, a) not in seen:
            continue  # a party that borrowed nothing (`陈某向被告伦某承诺…，不影响陈某作为担保人的身份`)
        if b in spouse_only and (a, b) not in stated:
            continue  # the spouse pays as a spouse; the guarantee secures the borrower's loan
        if (b, a) in seen and (a, b) not in mutual:
            # keep the direction whose debtor borrowed (or the first found)
            other = seen[(b, a)]
            if (b in debtors) == (a in debtors):
                if out.index(other) < out.index(g):
                    continue
            elif a in debtors:
                continue
        kept.append(g)
    nots += _spouse_and_own_security(text, body, surface, roles, fact_debtors or debtors, kept)
    nots += _co_repayment(text, body, surface, roles, fact_debtors or debtors, spouse)
    uniq_nots: dict[tuple[str, str | None, str], NotGuaranteeRec] = {}
    for n in nots:
        uniq_nots.setdefault((n.party, n.debtor, n.kind), n)
    return kept, list(uniq_nots.values())


_MUTUAL_DOC = re.compile(r"联保|互保|互相|相互")
_MUTUAL_SENT = re.compile(
    r"互保|(?:互相|相互)(?:担保|保证|承担连带(?:保证|担保|清偿)?责任|提供(?:连带责任)?(?:保证|担保))"
)
# a 联保 group named in one sentence guarantees mutually when the text says members answer for each other
_GROUP_SENT = re.compile(r"联保(?:小组|体|协议)|组成联保")
_GROUP_DOC = re.compile(r"(?:其他|其余|其它)(?:小组)?成员|成员之间|成员(?:互相|相互)")
_MARRIED = r"(?:夫妻|夫妇|配偶|登记结婚|结婚)"
_SPOUSE_WORD = r"(?:之|的)?(?:妻子|丈夫|妻|夫|配偶|爱人)"


def spouse_pairs(text: str, surface: dict[str, str], roles: dict[str, str]) -> list[tuple[str, str]]:
    """Return pairs of parties written as married (`A与B系夫妻关系`, `B系A之妻`, `两被告系夫妻`,
    `A与B于…登记结婚`, `A、B在夫妻关系存续期间`)."""
    out: list[tuple[str, str]] = []
    defendants = [n for n, r in roles.items() if r in ("被告", "被执行人")]
    for sent in re.split(r"[。；;\n]", text):
        if not re.search(_MARRIED + "|" + _SPOUSE_WORD, sent):
            continue
        masked, names = _mask(sent, surface)
        for m in re.finditer(rf"(?P<a>{_P})(?:与|和|、|同)(?:被告|原告)?(?P<b>{_P})[^，。；{_PH_OPEN}]{{0,25}}?{_MARRIED}", masked):
            a, b = _names_in(m.group("a"), names), _names_in(m.group("b"), names)
            if a and b:
                out.append((a[0], b[0]))
        for m in re.finditer(rf"(?P<b>{_P})?[^{_PH_OPEN}。]{{0,40}}?(?:系|是|为|作为)(?:被告|原告)?(?P<a>{_P}){_SPOUSE_WORD}", masked):
            a = _names_in(m.group("a"), names)
            b = _names_in(m.group("b"), names)
            if a and b:
                out.append((a[0], b[0]))
            elif a:  # '被告柯某1，女。系何某1妻子': the party of the paragraph before
                prev = [x for x in mentions(text[: text.find(sent)][-80:], surface) if x.name != a[0]]
                if prev:
                    out.append((a[0], prev[-1].name))
        if re.search(rf"(?:两|二|俩|倆|2)(?:名)?被告(?:之间)?(?:原|曾)?(?:系|是|为|均系){_MARRIED}", sent) and len(defendants) == 2:
            out.append((defendants[0], defendants[1]))
    return [(a, b) for a, b in out if a != b]


_COREPAY_AGREED = re.compile(r"共同承担[^，,。；;]{0,10}?(?:清偿|还款|偿还|归还)[^，,。；;]{0,10}?责任|共同(?:偿还|还款|归还|清偿)")


def _co_repayment(
    text: str,
    body: tuple[int, int],
    surface: dict[str, str],
    roles: dict[str, str],
    debtors: list[str],
    spouse: set[str],
) -> list[NotGuaranteeRec]:
    """Return the co-repayment undertakings of the facts: a defendant who did not borrow and agrees, in a later
    agreement or promise, to repay with the borrowers (`协议签订后由耿某、博泰公司共同承担还款责任`,
    `承诺…由两公司和党某共同承担清偿责任`) undertakes a joint debt (`co_repayment`), not a 保证."""
    out: list[NotGuaranteeRec] = []
    for sent in re.split(r"[。；;\n]", text[body[0] : body[1]]):
        cm = _COREPAY_AGREED.search(sent)
        if not cm or not re.search(r"协议|承诺|约定|确认|自愿", sent[: cm.start()]) or re.search(
                r"判令|请求|要求|诉请|辩称|认为|保证|担保", sent[: cm.start()]):
            continue
        ms = list(dict.fromkeys(m.name for m in mentions(sent, surface)))
        owing = [n for n in ms if n in debtors] or debtors
        for n in ms:
            if n in debtors or n in spouse or roles.get(n) not in DEBTOR_ROLES:
                continue
            out.extend(NotGuaranteeRec(n, d, "co_repayment") for d in owing if d != n)
    return out


def _spouse_and_own_security(
    text: str,
    body: tuple[int, int],
    surface: dict[str, str],
    roles: dict[str, str],
    debtors: list[str],
    kept: list[GRec],
) -> list[NotGuaranteeRec]:
    """Return the spouses sued only as spouses of a borrower (`spouse_joint_debt`) and a borrower's
    own property given as security in the facts (`own_mortgage` / `own_pledge`)."""
    out: list[NotGuaranteeRec] = []
    guarantors = {g.guarantor for g in kept}
    defendants = [n for n, r in roles.items() if r in ("被告", "被执行人")]
    if not debtors and len(defendants) == 1:
        debtors = defendants[:]
    seg = text[body[0] : body[1]]
    # '二被告于…向原告借到现金15万元': both spouses borrowed; neither is sued only as a spouse
    joint = any(
        # not when another subject borrows in a later clause ('两被告有正常的收入…，葛某在婚后…向他人借款')
        not re.search(r"夫妻|婚|配偶", m.group(0)) and not any(n in m.group(0) for n in surface)
        for sent in re.split(r"[。；;\n]", seg) if not re.search(r"辩称|答辩", sent)
        for m in re.finditer(r"(?:二|两|俩|倆)被告[^。；偿归返支给还]{0,40}?(?:借款|借到|借取|借钱|借现金|借了|借得)", sent)
    )
    pairs = [] if joint else spouse_pairs(text, surface, roles)
    if not joint and len(debtors) == 1:
        # '…属于夫妻共同债务…。被告韩某应对本案所涉债务承担共同偿还义务': the borrower's spouse
        sents = re.split(r"[。；;\n]", text)
        for i, sent in enumerate(sents):
            if not _SPOUSE_RE.search(sent) and not re.search(r"婚姻关系存续期间", sent):
                continue
            for w in sents[i : i + 2]:
                masked, names = _mask(w, surface)
                for m in re.finditer(rf"(?P<b>{_P})(?:亦|也|均)?(?:应当?|对)[^。；]{{0,20}}?(?:共同偿还|共同还款|共同归还|清偿|偿还|连带)", masked):
                    for b in _names_in(m.group("b"), names):
                        if b not in debtors and roles.get(b) in DEBTOR_ROLES:
                            pairs.append((debtors[0], b))
    for a, b in pairs:
        if roles.get(a) in CREDITOR_ROLES or roles.get(b) in CREDITOR_ROLES:
            continue
        for debtor, spouse in ((a, b), (b, a)):
            if debtor in debtors and spouse not in debtors and spouse not in guarantors:
                out.append(NotGuaranteeRec(spouse, debtor, "spouse_joint_debt"))
    for sent in re.split(r"[。；;\n]", seg):
        for cl in re.split(r"[，,]", sent):
            cm = re.search(r"(?<!未)(?<!没有)(?:作为?|做|办理了?|设定|用于|提供)?(?:抵押|质押)(?!权人|登记手续|(?:担保)?合同)", cl)
            if not cm or re.search(r"担保人|保证人|第三人|案外人|未|没有|不|解除", cl):
                continue
            if not re.search(r"以|将|把|用|房产证|交由|名下|所有|自有|作抵押|作为抵押|抵押给|抵押于|质押给", cl):
                continue
            if re.search(r"要求|请求|判令|诉请|主张|认为|辩称", cl[: cm.start()]):
                continue  # a claim or an argument about the security, not the facts
            ms = [x.name for x in mentions(cl[: cm.start()], surface)]
            # '以X开发的/名下的房屋作抵押': the property is X's, whoever offers it
            om = re.search(r"(?:以|将|把|用)(?!其)([^，,。]{0,40})$", cl[: cm.start()])
            held = [x.name for x in mentions(om.group(1), surface) if x.start <= 6
                    and re.match(r"(?:开发|名下|所有|自有|拥有|的)", om.group(1)[x.end :])] if om else []
            if held:
                ms = held[:1]
            owners = [n for n in ms if n in debtors]
            if not ms and re.search(r"(?:二|两|俩)被告", cl):
                owners = [n for n in defendants if n in debtors]
            elif not ms and re.search(r"被告|借款人", cl) and len(debtors) == 1:
                owners = debtors[:1]
            kind = "own_pledge" if "质押" in cm.group(0) else "own_mortgage"
            for n in owners:
                out.append(NotGuaranteeRec(n, n, kind))
    return out


# -- phrasings read by patterns over the sentence with its party mentions masked ------------------

_PH_OPEN, _PH_CLOSE = "\ue000", "\ue001"
_ROLEP = r"(?:原审被告|原审第三人|被告|第三人|担保人|保证人|案外人)?"
_P = _PH_OPEN + r"\d+" + _PH_CLOSE
_LIST = rf"{_ROLEP}{_P}(?:(?:、|和|及|与|以及){_ROLEP}{_P})*"
_NONP = r"案外人(?P<np>[\u4e00-\u9fff]{2,3}?)(?=提供|作|做|为|承担|自愿|以|，|。|$)"
_GW = r"(?:连带责任保证|连带保证|一般保证|保证担保|担保|保证|作保|担保人|保证人)"
_FACT_PATTERNS = [
    # '被告李某由被告史某提供担保向原告借款' / '由被告甲、乙为该笔贷款作了连带责任保证'
    re.compile(rf"(?P<d>{_LIST})?(?:[^，。；由]{{0,30}}?)由(?:(?P<g>{_LIST})|{_NONP})"
               rf"(?:(?:为|对)(?P<d2>{_LIST})?[^，。；]{{0,20}}?|[^，。；为对]{{0,10}}?)?"
               rf"(?:作为担保人|(?:提供|作|做|进行|承担|签字|签名)了?[^，。；]{{0,8}}?(?:担保|保证)|担保|作保|保证)"),
    # '梁某为本案借款作连带责任担保' / '甲为乙的借款提供连带责任保证' / '甲对该借款承担连带保证责任'
    re.compile(rf"(?P<g>{_LIST})(?:均|都|自愿|同意|愿意|又|还|亦|也)?(?:为|对)(?P<d2>{_LIST})?[^，。；]{{0,20}}?"
               rf"(?:(?:提供|作|做|进行|承担|签字|签名)了?[^，。；]{{0,8}}?(?:担保|保证)|担保)(?!人)"),
    # '被告孙某自愿承担连带保证责任' / '被告孙某提供连带责任保证' / '被告孙某担保' (no debtor named)
    re.compile(rf"(?P<g>{_LIST})(?:均|都|自愿|同意|愿意|又|还|亦|也)?"
               rf"(?:(?:提供|承担)了?(?:连带责任|连带|一般)?(?:保证|担保)(?:担保)?(?:责任)?|(?:担保|作保))(?=[，。；]|$)"),
    # '被告孙某1、李某1于…出具《最高额保证合同》，为被告钱某1在原告处的借款提供最高额保证'
    re.compile(rf"(?:^|，)(?P<g>{_LIST})[^。；{_PH_OPEN}]{{0,40}}?，(?:并|均|自愿|同意|愿意)?(?:为|对)(?P<d2>{_LIST})"
               rf"[^，。；{_PH_OPEN}]{{0,20}}?(?:提供|承担)了?[^，。；]{{0,8}}?(?:担保|保证)(?!人)"),
    # '借条上保证人一栏有被告孙某签名'
    re.compile(rf"(?:担保人|保证人)(?:处|栏|一栏|位置)[^，。；{_PH_OPEN}]{{0,6}}?(?:有|系|为|是)?(?P<g>{_LIST})(?:的|本人)?"
               rf"(?:签名|签字|签章|捺印|盖章|署名)"),
    # '被告梅某作为担保人在借条上签字' / '台某自愿作为此借款的担保人' / '以担保人身份签字' / '作为担保方'
    re.compile(rf"(?P<g>{_LIST})(?:自愿|同意)?(?:作为|系|是|为|以|作|做|当)[^，。；]{{0,10}}?(?:担保人|保证人|担保方|保证方)"),
    # '被告王某承诺如李某不能还款，由其负责偿还' (an undertaking to pay if the debtor does not: a 保证)
    re.compile(rf"(?P<g>{_LIST})(?:向[^，。；]{{0,10}}?)?(?:承诺|保证|表示|同意)[，]?(?:如|若|如果|倘若|假如)(?P<d2>{_LIST})?[^。；]{{0,20}}?"
               rf"(?:不能|未能|无力|不)[^。；]{{0,6}}?(?:还款|偿还|归还|履行)[^。；]{{0,8}}?(?:由其|由本人|由我)"
               rf"(?:负责|代为|承担)[^。；]{{0,4}}?(?:偿还|还款|清偿|归还|还清|责任)"),
    # '借款合同约定由被告王某承担连带清偿责任' (an agreed joint liability for another's loan)
    re.compile(rf"约定[^，。；{_PH_OPEN}]{{0,10}}?由(?P<g>{_LIST})(?:对[^，。；]{{0,20}}?)?承担连带(?:清偿|还款|偿还|保证)?责任"),
    # '作为保证人的被告黄某、陆某…共同签订…《保证合同》'
    re.compile(rf"作为(?:反担保人|担保人|保证人)的(?P<g>{_LIST})"),
    # '市小贷中心（乙方、担保人）' / '陈x4（甲方、反担保人）'
    re.compile(rf"(?P<g>{_LIST})（(?:[^）]{{0,10}}[、，])?(?:反担保人|担保人|保证人)(?:[、，][^）]{{0,10}})?）"),
    # '借条中担保人位置上签有“余x1”三个字'
    re.compile(rf"(?:担保人|保证人)(?:处|栏|一栏|位置)上?签有[“\"]?(?P<g>{_LIST})"),
    # '被告杜某、袁某分别与某银行签订《最高额保证合同》'
    re.compile(rf"(?:^|[，：])(?:\d{{4}}年\d{{1,2}}月\d{{1,2}}日，?)?(?P<g>{_LIST})(?:分别|均|共同|又|还)?与[^，。；{_PH_OPEN}]{{0,30}}?签订[^，。；]{{0,30}}?"
               rf"《[^》]{{0,12}}(?:保证|担保)(?:合同|协议|书)》"),
    # '被告孙某向原告出具《担保书》' (a guarantee letter: the writer guarantees)
    re.compile(rf"(?P<g>{_LIST})(?:又|还|另|亦|也)?(?:向[^，。；]{{0,12}}?)?(?:出具|签署|签订|书写|提供)了?(?:一份|一张)?《?"
               rf"(?:担保书|保证书|担保函|保证函|担保承诺书|担保承诺函|保证承诺书|连带责任保证书)》?"),
    # '由李某某提供担保' (a guarantor outside the party list, read as a person's name)
    re.compile(r"由(?P<np3>[\u4e00-\u9fff]{2,3}?)(?:提供|作|做|进行)?(?:连带责任)?(?:担保|作保|保证)(?!人)"),
    # '被告刘某在担保人处签字' / '在借条背面签名担保'
    re.compile(rf"(?P<g>{_LIST})(?:均|都|亦|也|还|又|分别)?在[^，。；]{{0,14}}?(?:担保人|保证人|担保)(?:处|栏|一栏|位置)?[^，。；]{{0,4}}?(?:签|署|捺|按)"),
    re.compile(rf"(?P<g>{_LIST})在[^，。；]{{0,14}}?(?:签名|签字)(?:担保|作保)"),
    # '被告罗某经被告刘某担保向原告借款'
    re.compile(rf"经(?P<g>{_LIST})(?:介绍并?)?(?:担保|作保|保证)"),
    # '被告闫某经宋某介绍并担保向原告借款' (a guarantor who is not a party)
    re.compile(r"经(?P<np>[\u4e00-\u9fff]{2,3}?)(?:介绍)?并?(?:担保|作保)"),
    # '借款人刘某、陈某，担保人马某、邢某' / '担保人：矫某2015年…'
    re.compile(rf"(?:担保人|保证人)(?:为|是|系|[:：])?(?:(?P<g>{_LIST})|(?P<np2>[\u4e00-\u9fff]{{2,3}})(?=\d|在|[，。、\s”\"]|$))"),
]
_PROPERTY_RE = re.compile(r"抵押|质押|质权|名下的?[^，。,]{0,40}(?:房|地|车)|以其?[^，。,]{0,10}(?:房产|房屋|土地|车辆)")
_NEG_RE = re.compile(r"未|没有|不是|不应|不同意|否认|并非|无需|不承担|放弃|不清楚|不知")
_BORROWER_AT = re.compile(rf"(?P<d>{_LIST})(?:作为借款人|在[^，。；]{{0,10}}?借款人(?:处|栏|一栏)?)"
                          rf"|(?<![出])借款人(?:为|是|系|：)?(?P<d2>{_LIST})"
                          rf"|(?P<d3>{_LIST})(?:于[^，。；]{{0,15}}?)?(?:以[^，。；]{{0,20}}?)?(?:共同|一起|一同)?"
                          rf"(?:向|从)[^，。；]{{0,25}}?(?:借款|借取|借到|借现金|借钱|贷款)")


def _mask(sent: str, surface: dict[str, str]) -> tuple[str, list[str]]:
    """Return the sentence with each party mention replaced by a numbered placeholder, and the names."""
    ms = mentions(sent, surface)
    out: list[str] = []
    names: list[str] = []
    pos = 0
    for m in ms:
        out.append(sent[pos : m.start])
        out.append(f"{_PH_OPEN}{len(names)}{_PH_CLOSE}")
        names.append(m.name)
        pos = m.end
    out.append(sent[pos:])
    masked = "".join(out).replace(",", "，").replace(":", "：").replace("(", "（").replace(")", "）")
    return masked, names


_LISTED_NONPARTY = re.compile(
    _PH_CLOSE + r"(?:、|和|及)(?P<x>[\u4e00-\u9fff]{2,3}?)(?=对|为|均|都|自愿|提供|承担|作为|在|、|和|及)"
)


def _mask_listed_nonparties(masked: str, names: list[str]) -> str:
    """Return ``masked`` with a person's name listed right after a party mention (`汇通公司、李庆对…`)
    masked too (appended to ``names``): a guarantor who is not a party, listed with those who are."""
    while True:
        m = _LISTED_NONPARTY.search(masked)
        if not m or not plausible_person_name(m.group("x")) or m.group("x") in names:
            return masked
        names.append(m.group("x"))
        masked = masked[: m.start("x")] + f"{_PH_OPEN}{len(names) - 1}{_PH_CLOSE}" + masked[m.end("x") :]


def _names_in(span: str | None, names: list[str]) -> list[str]:
    if not span:
        return []
    return [names[int(i)] for i in re.findall(_PH_OPEN + r"(\d+)" + _PH_CLOSE, span)]


def pattern_guarantees(
    text: str,
    body: tuple[int, int],
    items: list[tuple[int, int]],
    surface: dict[str, str],
    roles: dict[str, str],
    recourse: bool = False,
) -> list[GRec]:
    """Return guarantees stated in the facts in the common published phrasings (`由B提供担保`,
    `B为本案借款作连带责任担保`, `B作为担保人在借条上签字`, `担保人B`), the debtor being the one
    named in the sentence, else every borrower of the case; guarantors outside the party list are
    taken only when written `案外人X` or `担保人：X`.

    `recourse` (追偿权纠纷): the plaintiff is a guarantor who paid, so the plaintiff may be a
    guarantor, and a bare `原告` names the only plaintiff.
    """
    if not surface:
        return []
    creditor0 = next((n for r0 in CREDITOR_ROLES for n, r in roles.items() if r == r0), None)
    if recourse:
        plaintiffs = [n for n, r in roles.items() if r == "原告"]
        if len(plaintiffs) == 1:
            surface = {**surface, "原告": plaintiffs[0]}
        creditor0 = None
    seg = text[body[0] : body[1]]
    debtors = [d for d in debtors_of(text, body, items, surface, creditor0)]
    borrowers = [d for d in debtors_of(text, body, [], surface, creditor0)]  # by the facts alone
    for sent in re.split(r"[。；;\n]", seg):
        masked, names = _mask(sent, surface)
        for m in _BORROWER_AT.finditer(masked):
            for n in _names_in(m.group("d") or m.group("d2") or m.group("d3"), names):
                if n != creditor0 and n not in debtors:
                    debtors.append(n)
                if n != creditor0 and n not in borrowers:
                    borrowers.append(n)
    # a guarantee with no debtor in its sentence secures the borrowers of the facts (others who pay,
    # e.g. a spouse, get it in refine_guarantees unless they pay only as a spouse)
    debtors = [d for d in debtors if d in borrowers] or debtors
    if not debtors:
        d0, _c0 = primary_debtor_creditor(text, items, surface, roles)
        if d0:
            debtors = [d0]
    out: list[GRec] = []
    for sent in re.split(r"[。；;\n]", seg):
        if _PROPERTY_RE.search(sent):
            # a clause pledging property is security, not a guarantee; the other clauses are read
            sent = "，".join(cl for cl in re.split(r"[，,]", sent) if not _PROPERTY_RE.search(cl))
        if not re.search(r"担保|保证|作保|约定[^，,。]{0,10}?由[^，,。]{1,30}?承担连带|(?:不能|未能|无力)[^。；;]{0,8}?"
                         r"(?:还款|偿还|归还|履行)[^。；;]{0,8}?(?:由其|由本人|由我)", sent):
            continue
        masked, names = _mask(sent, surface)
        masked = _mask_listed_nonparties(masked, names)
        for pat in _FACT_PATTERNS:
            for m in pat.finditer(masked):
                before = masked[max(0, m.start() - 6) : m.start()]
                if _NEG_RE.search(m.group(0)) or _NEG_RE.search(before):
                    continue
                gd = m.groupdict()
                gs = _names_in(gd.get("g"), names)
                for key in ("np", "np2", "np3"):
                    if gd.get(key) and gd[key] not in surface and plausible_person_name(gd[key]) and not re.search(r"某$|^[本该其此上]|[处签字名身份栏的人均已]|原告|被告|法院|银行|公司", gd[key]):
                        gs.append(gd[key])
                explicit = _names_in(gd.get("d2"), names) or _names_in(gd.get("d"), names)
                ds = [d for d in explicit if d not in gs] or [d for d in debtors if d not in gs]
                word = m.group(0)
                gtype = "连带责任保证" if "连带" in word else "一般保证" if "一般保证" in word else "保证"
                for g in gs:
                    if g == creditor0:
                        continue
                    for d in ds:
                        if d != g and d != creditor0:
                            out.append(GRec(g, d, creditor0, gtype, None))
    return out
