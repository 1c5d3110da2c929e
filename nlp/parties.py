"""Party paragraphs: parties, their roles, kinds and details; representatives and agents."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from .header import PAGE_PREFIX
from .lexicon import (
    AGENT_LABELS,
    CAUSES,
    DETAIL_LABELS,
    ORG_INFIXES,
    ORG_SUFFIXES,
    PARTY_ROLES,
    REPRESENTATIVE_LABELS,
    ROLE_CANON,
    WEAK_ROLES,
    plausible_person_name,
)
from .numerals import DATE_RE, parse_date_match
from .textnorm import norm_name

_CJK = r"\u4e00-\u9fff"
_ALT = lambda words: "|".join(re.escape(w) for w in words)  # noqa: E731

_PAREN = r"(?:[(（][^）)\n]{1,24}[)）])"
ROLE_RE = re.compile(
    r"^(?P<role>" + _ALT(PARTY_ROLES) + r")(?P<paren>" + _PAREN + r"{0,2})"
    r"\s*(?:姓名或名称|姓名或全称|名称或姓名|全称|名称|姓名|单位\s*名称|单位)?\s*(?P<colon>[:：])?\s*(?P<rest>.*)$"
)
# a penalty decision's party given only as `名称：…` (no role word)
NAME_LABEL_RE = re.compile(r"^(?P<role>(?:单位\s*)?名称|个人\s*姓名)\s*(?P<colon>[:：])\s*(?P<rest>.+)$")
REP_RE = re.compile(
    r"^(?P<label>" + _ALT(AGENT_LABELS) + "|" + _ALT(REPRESENTATIVE_LABELS) + r")"
    + _PAREN + r"?(?:姓名)?\s*[:：]?\s*(?P<rest>.+)$"
)
DETAIL_RE = re.compile(r"^(?P<label>" + _ALT(sorted(DETAIL_LABELS, key=len, reverse=True)) + r")\s*[:：]\s*(?P<rest>.*)$")
INLINE_SPLIT_RE = re.compile(
    r"(?<=[。；;，,\s])(?=(?:" + _ALT(AGENT_LABELS) + "|" + _ALT(REPRESENTATIVE_LABELS) + r")" + _PAREN + r"?[:：])"
    r"|(?<=[。；;，,\s号])\s*(?=(?:" + _ALT([r for r in PARTY_ROLES if r not in WEAK_ROLES]) + r")" + _PAREN
    + r"{0,2}(?:姓名|名称)?[:：])"
    # a party paragraph run on after the previous one without a colon: '…汉族，无业。被告李某1，男，…'
    r"|(?<=[。；;)）])\s*(?=(?:" + _ALT([r for r in PARTY_ROLES if r not in WEAK_ROLES]) + r")" + _PAREN
    + r"{0,2}[^，,。；;:：\s]{2,40}[，,。])"
    # '被告:某某有限公司法定代表人:王某' (the label glued to the company name)
    r"|(?<=[司行社厂])(?=(?:" + _ALT(REPRESENTATIVE_LABELS) + r")[:：])"
)
NARRATIVE_RE = re.compile(
    r"一案|向本院|本院|诉讼请求|诉请|诉称|辩称|起诉|立案|审理|经查|现查明|查明|违法事实|本局|我局|本机关|"
    r"依据|根据|上述事实|决定如下|裁定如下|判决如下|申请强制执行|向本院申请|执行依据|作出的|发生法律效力|"
    r"提出上诉|不服|检查|调查|举报|投诉|经审查|现已|我分局|本分局|我所|我队|(?<!生)于\d{4}年"
)
NAME_RE = re.compile(
    r"(?P<name>[^，,。；;:：\s（(、]+(?:" + _PAREN + r"[^，,。；;:：\s（(、]+)*)"
)
_POWERS_RE = re.compile(r"(?:代理权限|代理权限为|代理权限系|代理范围)[^。]*|(?:特别授权|一般授权|一般代理|特别代理)[^。]*")
ALIAS_RE = re.compile(r"(?:以下|下)简称\s*[:：]?\s*[“\"「『]?([^”\"」』）)，,]{1,20})")

SEX_RE = re.compile(r"(?:^|[，,。\s])(?:性别\s*[:：]\s*)?(男|女)(?:性)?(?=[，,。；;\s]|$)")
ETHNIC_RE = re.compile(
    r"(汉|回|满|蒙古|壮|藏|维吾尔|苗|彝|土家|朝鲜|侗|瑶|白|哈尼|哈萨克|黎|傣|畲|傈僳|仡佬|东乡|拉祜|水|佤|"
    r"纳西|羌|土|仫佬|锡伯|柯尔克孜|达斡尔|景颇|毛南|撒拉|布依|塔吉克|阿昌|普米|鄂温克|怒|京|基诺|德昂|"
    r"保安|俄罗斯|裕固|乌孜别克|门巴|鄂伦春|独龙|塔塔尔|赫哲|高山|珞巴)族"
)
ID_RE = re.compile(
    r"(?:公民身份号码|身份证号码|身份证号|身份证件号码|证件号码|身份证|居民身份证号码?)\s*(?:为|是)?\s*[:：]?\s*"
    r"([0-9Xx*＊×]{15,18})"
)
USCC_RE = re.compile(r"(?:统一社会信用代码|社会信用代码|信用代码)\s*(?:为)?\s*[:：]?\s*([0-9A-Za-z*＊]{18})")
ORGCODE_RE = re.compile(r"(?:组织机构代码|注册号)\s*[:：]?\s*([0-9A-Za-z\-*]{8,18})")
ADDR_RE = re.compile(
    r"(?:^|[，,。；;\s])(?:住所地|住所|住址|现住址|现住|户籍地|户籍所在地|经常居住地|经营场所|地址|家住|住)"
    r"\s*(?:在|为)?\s*[:：]?\s*([^，,。；;\n]{4,80})"
)
POSITION_RE = re.compile(r"(?:职务\s*[:：]\s*|时任|系)([^，,。；;\n]{2,30})")
MASKED_PERSON = re.compile(r"^[" + _CJK + r"]{1,2}(?:某{1,2}|[×xX*＊○〇]{1,3}|ＸＸ)[" + _CJK + r"]?\d{0,2}$|^[" + _CJK + r"]{1,2}某某\d{0,2}$")
# words that cannot be party names
_NOT_NAMES = {"本院", "本局", "我局", "其", "该公司", "男", "女", "无", "不详"}


_GLUED_LABEL = re.compile(
    r"(?:住址|住所地?|地址|身份证(?:号码?)?|公民身份号码|性别|职务|法定代表人|主要负责人|负责人|年龄|出生日期|民族|"
    r"统一社会信用代码|营业地址|工作单位)$"
)
# label words that are never a party's name ('被处罚人姓名：' read as an addressee)
_LABEL_WORDS = re.compile(r"姓名|名称|^(?:当事人|被处罚人|受处罚人|被处罚单位|受处罚单位)$")


@dataclass
class PartyRec:
    """A party found in the party block, with its paragraph text."""

    name: str
    role: str
    role_full: str
    text: str
    alias: str | None = None
    details: dict[str, object] = field(default_factory=dict)


@dataclass
class RepRec:
    """A representative or agent line."""

    name: str
    role: str
    of: str | None
    affiliation: str | None


@dataclass
class PartyBlock:
    """Result of reading the party block."""

    parties: list[PartyRec] = field(default_factory=list)
    representatives: list[RepRec] = field(default_factory=list)
    agents: list[RepRec] = field(default_factory=list)
    end: int = 0


def kind_of(name: str, details: dict[str, object]) -> str:
    """Return 'person' or 'organization' for a party name and its details."""
    if details.get("uscc") or details.get("org_code"):
        return "organization"
    for suf in ORG_SUFFIXES:
        if name.endswith(suf) and (len(suf) >= 2 or len(name) >= 6):
            return "organization"
    if any(x in name for x in ORG_INFIXES):
        return "organization"
    if details.get("sex") or details.get("birth_date") or details.get("ethnicity"):
        return "person"
    idn = details.get("id_number")
    if isinstance(idn, str) and len(idn) >= 15:
        return "person"
    if MASKED_PERSON.match(name) or "·" in name or len(name) <= 4:
        return "person"
    return "organization" if len(name) >= 6 else "person"


def _details(text: str) -> dict[str, object]:
    d: dict[str, object] = {}
    m = SEX_RE.search(text)
    if m:
        d["sex"] = m.group(1)
    for dm in DATE_RE.finditer(text):
        after = text[dm.end() : dm.end() + 3]
        before = text[max(0, dm.start() - 6) : dm.start()]
        if after.startswith(("出生", "生")) or "出生" in before:
            d["birth_date"] = parse_date_match(dm)
            break
    m = ETHNIC_RE.search(text)
    if m:
        d["ethnicity"] = m.group(0)
    m = ID_RE.search(text)
    if m:
        v = m.group(1).upper().replace("＊", "*").replace("×", "*")
        d["id_number"] = v
        d["id_masked"] = "*" in v
    m = USCC_RE.search(text)
    if m:
        d["uscc"] = m.group(1).upper().replace("＊", "*")
    m = ORGCODE_RE.search(text)
    if m:
        d["org_code"] = m.group(1).upper()
    m = ADDR_RE.search(text)
    if m:
        d["address"] = m.group(1).strip()
    m = POSITION_RE.search(text)
    if m:
        d["position"] = m.group(1).strip()
    return d


def _name_from(rest: str) -> tuple[str | None, str]:
    rest = re.sub(r"^([" + _CJK + r"])\s+([" + _CJK + r"])(?=[，,。\s]|$)", r"\1\2", rest.strip())
    rest = re.sub(r"^([" + _CJK + r"])\s+([" + _CJK + r"])\s+([" + _CJK + r"])(?=[，,。\s]|$)", r"\1\2\3", rest)
    m = NAME_RE.match(rest)
    if not m:
        return None, rest
    name = m.group("name")
    tail = rest[m.end() :]
    # a trailing bracket that is an alias or former name belongs to the tail
    bm = re.search(r"[（(](?:以下|下)?(?:简称|曾用名|原名|又名|反诉|原审|一审|二审)[^）)]*[）)]$", name)
    if bm:
        tail = name[bm.start() :] + tail
        name = name[: bm.start()]
    # a detail label glued to the name in texts without punctuation ('陈某住址：…', '张某身份证号：…')
    gm = _GLUED_LABEL.search(name)
    if gm and gm.start() >= 2:
        tail = name[gm.start() :] + tail
        name = name[: gm.start()]
    name = norm_name(name)
    if not name or name in _NOT_NAMES or _LABEL_WORDS.search(name) or len(name) > 60 or not re.search(r"[" + _CJK + r"A-Za-z]", name):
        return None, rest
    return name, tail


def _split_inline(line: str) -> list[str]:
    parts: list[str] = []
    last = 0
    for m in INLINE_SPLIT_RE.finditer(line):
        if m.start() > last:
            parts.append(line[last : m.start()])
            last = m.start()
    parts.append(line[last:])
    return [p.strip() for p in parts if p.strip()]


def canon_role(role: str) -> str:
    """Return the contract's leading role for a label as written (`被处罚单位` → `当事人`)."""
    return ROLE_CANON.get(re.sub(r"\s+", "", role), role)


def _names_of(rest: str) -> list[tuple[str, str]]:
    """Return (name, tail) for each of several names joined by `、` (`张某、李某，…`), else one."""
    head = re.split(r"[，,。；;]", rest, maxsplit=1)[0]
    parts = [x.strip() for x in head.split("、")]
    if len(parts) > 1 and all(1 < len(x) <= 30 for x in parts):
        out = []
        for i, x in enumerate(parts):
            nm, _ = _name_from(x)
            if nm is None:
                break
            out.append((nm, rest[len(head):] if i == len(parts) - 1 else ""))
        else:
            return out
    name, tail = _name_from(rest)
    return [(name, tail)] if name else []


def parse_party_block(text: str, start: int, *, penalty: bool = False) -> PartyBlock:
    """Return the parties, representatives and agents listed from offset ``start`` on.

    `penalty`: a line `名称：…` (no role word) also starts a party (role 当事人).
    """
    block = PartyBlock(end=start)
    pos = start
    seen_party = False
    skipped = 0
    current: PartyRec | None = None
    lines = text[start:].split("\n")
    for raw in lines:
        line_start = pos
        pos += len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        if len(line) > 40 and re.sub(r"\s+", "", line) == "":
            continue
        for seg in _split_inline(line):
            rm = ROLE_RE.match(seg) or (NAME_LABEL_RE.match(seg) if penalty else None)
            if rm and rm.group("role").startswith(("名称", "单位", "个人")) and re.match(r"^(?:无|/|-|—|空)?$", rm.group("rest").strip()):
                continue
            pm = REP_RE.match(seg)
            dm = DETAIL_RE.match(seg)
            # an agent's powers ('代理权限：特别授权，即代为承认、放弃诉讼请求…') are not narrative
            seg_n = _POWERS_RE.sub("", seg)
            if seen_party and not re.sub(r"[\s，,。；;:：]", "", seg_n):
                continue
            narrative = bool(NARRATIVE_RE.search(seg_n))
            if rm and narrative and rm.group("colon") and rm.group("role") not in WEAK_ROLES:
                # a labelled party running into the narrative (texts without line breaks): only the
                # name's own clause must not be narrative
                first = re.split(r"[，,。；;:：\s]", rm.group("rest").strip(), maxsplit=1)[0]
                narrative = bool(NARRATIVE_RE.search(first)) or len(first) > 80
            if rm and not narrative and (rm.group("colon") or seen_party or rm.group("role") not in WEAK_ROLES):
                rest = re.sub(
                    r"^(?:个人)?姓名\s*[:：]\s*(?:无|/|-|—)?\s*[；;，,]?\s*(?:单位\s*名称\s*[:：]\s*)?|^单位\s*名称\s*[:：]\s*",
                    "", rm.group("rest").strip(),
                )
                found: list[tuple[str, str]] = []
                # a person and a unit in one field (`个人姓名：张某（时任…）；单位名称：某银行`)
                for part in re.split(r"[；;，,]\s*(?=(?:单位\s*名称|个人\s*姓名)\s*[:：])", rest):
                    part = re.sub(r"^(?:单位\s*名称|个人\s*姓名)\s*[:：]\s*", "", part)
                    if part and not re.fullmatch(r"(?:无|/|-|—|空)[。；;]?", part):
                        found += [f for f in _names_of(part) if f[0] not in {n for n, _ in found}]
                if not found and not rm.group("rest").strip():
                    # '当事人：' on its own line, name on the next one is unusual; skip
                    continue
                if not found:
                    narrative = True
                else:
                    written = re.sub(r"\s+", "", rm.group("role"))
                    role = canon_role(written)
                    role_full = norm_name(written + (rm.groupdict().get("paren") or ""))
                    am = ALIAS_RE.search(seg)
                    for name, tail in found:
                        current = PartyRec(name=name, role=role, role_full=role_full, text=tail,
                                           alias=norm_name(am.group(1)) if am and len(found) == 1 else None)
                        block.parties.append(current)
                    seen_party = True
                    skipped = 0
                    block.end = line_start + len(raw)
                    continue
            if pm and seen_party and not (narrative and "律师" not in seg and "公司" not in seg):
                label = pm.group("label")
                rest = pm.group("rest")
                head = re.split(r"[，,。；;]", rest, maxsplit=1)[0]
                aff_m = re.match(r"[^，,。；;]*[，,](.+)", rest)
                affiliation = aff_m.group(1).strip("。；; ") if aff_m else None
                names = [n for n in re.split(r"[、]", head) if n]
                for n in names:
                    nm, _ = _name_from(n)
                    if nm is None:
                        continue
                    rec = RepRec(name=nm, role=label, of=current.name if current else None,
                                 affiliation=affiliation)
                    (block.agents if label in AGENT_LABELS else block.representatives).append(rec)
                block.end = line_start + len(raw)
                skipped = 0
                continue
            if dm and seen_party and current is not None and not narrative:
                current.text += "，" + seg
                block.end = line_start + len(raw)
                continue
            if seen_party:
                if narrative or skipped >= 1:
                    return _finish(block)
                skipped += 1
            else:
                if narrative and pos - start > 200:
                    return _finish(block)
                if pos - start > 1500:
                    return _finish(block)
    return _finish(block)


_ADDRESSEE_RE = re.compile(
    r"\s*(?P<names>[" + _CJK + r"A-Za-z0-9（）()×*]{2,40}(?:[、,，][" + _CJK + r"A-Za-z0-9（）()×*]{2,40}){0,9})\s*[:：]"
)


def addressee_parties(text: str, start: int) -> list[PartyRec]:
    """Return the parties a notice is addressed to (`李某、王某：关于你二人申请执行…`).

    The role comes from the sentence that follows: 申请执行 by `你` → 申请执行人, else
    被执行人 when the notice speaks of 被执行 / 履行, else 当事人.
    """
    m = _ADDRESSEE_RE.match(text, start)
    if not m:
        nl = text.find("\n", start, start + 200)
        m = _ADDRESSEE_RE.match(text, nl + 1) if nl >= 0 else None
    if not m:
        return []
    names = []
    for raw in re.split(r"[、,，]", m.group("names")):
        nm, _ = _name_from(raw)
        if nm is None or NARRATIVE_RE.search(nm) or len(nm) > 30:
            return []
        names.append(nm)
    after = text[m.end() : m.end() + 80]
    if re.search(r"你[^。]{0,8}申请(?:强制)?执行", after):
        role = "申请执行人"
    elif re.search(r"被执行|履行|执行", after):
        role = "被执行人"
    else:
        role = "当事人"
    return [PartyRec(name=n, role=role, role_full=role, text="") for n in names]


_ORG_END = re.compile(r"^.*(?:公司|银行|支行|分行|合作社|联社|信用社|厂|中心|商店|经营部|门市部|店)")
_RUN_ROLE = {"原告": "被告", "申请执行人": "被执行人", "申请人": "被申请人", "上诉人": "被上诉人"}
_RUNNING_RE = re.compile(
    r"(?:(?P<ra>原告|申请执行人|申请人|上诉人)|(?P<exec>执行))(?P<a>[^\s，,。；;:：、与]{2,40}?)与"
    r"(?P<rb>被告|被执行人|被申请人|被上诉人)?(?P<b>[^\s。；;:：]{2,200}?)一案"
)


def _strip_cause(name: str) -> str:
    """Return a party name with the 案由 that follows it in running text removed."""
    for c in CAUSES:
        if name.endswith(c) and len(name) > len(c) + 1:
            return name[: -len(c)]
    m = _ORG_END.match(name)
    if m:
        return m.group(0)
    return re.sub(r"[" + _CJK + r"]{2,8}(?:纠纷)?$", "", name) if len(name) > 6 else name


def running_text_parties(text: str, start: int) -> list[PartyRec]:
    """Return the parties named only in the opening sentence (`原告X与被告Y借款合同纠纷一案`,
    `本院立案执行X与Y、Z…纠纷一案`), for documents published without a party block."""
    m = _RUNNING_RE.search(text, start, start + 400)
    if not m:
        return []
    ra = m.group("ra") or "申请执行人"
    rb = m.group("rb") or _RUN_ROLE[ra]
    b_names = [x.strip() for x in re.split(r"[、,，]", m.group("b")) if x.strip()]
    if not b_names or len(b_names) > 10:
        return []
    b_names[-1] = _strip_cause(b_names[-1])
    out: list[PartyRec] = []
    for raw, role in [(m.group("a"), ra)] + [(b, rb) for b in b_names]:
        raw = re.sub(r"^(?:被告|被执行人|被申请人|被上诉人)", "", raw)
        nm, _ = _name_from(raw)
        if nm is None or NARRATIVE_RE.search(nm) or len(nm) > 40:
            return []
        out.append(PartyRec(name=nm, role=role, role_full=role, text=""))
    return out


def _finish(block: PartyBlock) -> PartyBlock:
    for p in block.parties:
        p.details = _details(p.text)
    return block


# -- parties named only in running text: `原告张某诉称`, `被告李某、王某辩称`, `孙某向本院提出诉讼请求` ------------

_SPK_ROLE = r"(?P<role>原审原告|原审被告|原审第三人|被上诉人|上诉人|原告|被告|第三人)"
_SPK_PERSON = (r"(?:(?![与和及]|被告|原告|第三人)[" + _CJK + r"·](?:(?!被告|原告|第三人)[" + _CJK + r"·xX×＊*]){1,11}?"
               r"(?:(?<=[xX×])\d{1,2}(?!\d))?"  # `夏xx`, `夏x丽`, `余x1`
               r"|[" + _CJK + r"]{1,2}\d{1,2}(?![\d年月日元万号%.]))")  # `林0`, `王12`, `张学5`: masked with digits
# a name masked by the publisher down to its first character and a number (`大xxxxxxxxxxxxxx0`, `河xxxxxxxxxx3`)
_SPK_MASKED_ORG = r"[" + _CJK + r"][xX]{4,}\d{0,2}(?!\d)"
_SPK_ORG = (r"(?:(?![与和向])[" + _CJK + r"（）()](?:(?![与向])[" + _CJK + r"（）()\d]){1,30}?|XX)(?:有限责任公司|股份有限公司|有限公司|公司|中心|合作社|银行|"
            r"支行|分行|信用社|联社|厂|商店|经营部|煤矿|集团|置业|典当|服饰店|财政局|管委会)")
_SPK_NAME = rf"(?:{_SPK_MASKED_ORG}|{_SPK_ORG}|{_SPK_PERSON})"
_SPK_LIST = rf"(?P<names>{_SPK_NAME}(?:[、和及]{_SPK_NAME})*)"
_SPK_ACT = (r"(?:共同|均|口头|书面|庭审中|当庭|在法定期间内|于庭前)?"
            r"(?:向本院提出|向本院提交|诉称|起诉称|辩称|答辩称|述称|未作答辩|未答辩|未作书面|未到庭|未出庭|未提交|"
            r"[，,]?经本院|补充称)")
_SPK_LABELLED = re.compile(_SPK_ROLE + _SPK_LIST + _SPK_ACT)
# an unlabelled speaker at the start of the text or of a line: the claimant, or (辩称) a defendant
_SPK_OPENING = re.compile(r"(?:^|[\n\s。])" + _SPK_LIST + r"(?P<act>向本院提出|诉称|起诉称|(?:共同)?(?:辩称|答辩称))")
# a labelled mention elsewhere in the text (`被告李某因资金周转…`), kept only for names the text repeats
_SPK_MENTION = re.compile(
    _SPK_ROLE + _SPK_LIST + r"(?=[、，,。；向因于为以在对系经已未均共同自愿提供承担偿还归还支付借作和及与的(（签任本是出]|股东|(?<=\d)\D|(?:(?<=有限公司)|(?<=责任公司))(?![" + _CJK + r"]{0,12}?(?:支行|分行|分公司|营业部)))"
)
# a claim item naming who is to answer (`四、汇通公司、刘野钊依法承担连带担保责任`): defendants
_SPK_OBLIGED = re.compile(
    r"(?:判令|请求|要求|[一二三四五六七八九十\d][、．.])" + _SPK_LIST
    + r"(?:依法|应|应当|共同)?(?:对[^。；，,]{0,40}?)?承担[^。；，,]{0,8}?责任"
)
_SPK_VERB_HEAD = re.compile(r"^(?:判令|判决|请求|要求)")
_SPK_ADVERB_TAIL = re.compile(r"(?:[辩述诉]称|[亦虽称等也却又仍曾])$")
_SPK_NOT_START = re.compile(r"^(?:尚(?:余|欠|未|有|需|应)|仍欠|该|其|本|上述|原|被|一|二|两|三|各|均|第|向|对|未|已|关于|由于|因|经|在|就|从|自)")


def _common_word(name: str) -> bool:
    """Return True when ``name`` is (or opens with) a common word of jieba's dictionary (`归还`,
    `关于`, `明确陈述`), so a weak running-text mention of it is not a person's name."""
    import jieba  # lazily: only documents without a party block get here

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # the dictionary is loaded on first use; get_FREQ does not load it
    if (jieba.get_FREQ(name) or 0) > 50:
        return True
    if len(name) < 3:
        return False
    # '归还了', '明确陈述': opens with a common verb, adverb, preposition, conjunction or particle
    from jieba import posseg

    posseg.dt.word_tag_tab or posseg.initialize()
    tag = posseg.dt.word_tag_tab.get(name[:2], "")
    return (jieba.get_FREQ(name[:2]) or 0) > 300 and tag[:1] in ("v", "d", "p", "c", "u", "a")


def _dict_verb(name: str) -> bool:
    """Return True when a two-character ``name`` is a verb of jieba's dictionary (`回函` in `向原告回函`)."""
    if len(name) != 2:
        return False
    from jieba import posseg

    posseg.dt.word_tag_tab or posseg.initialize()
    return posseg.dt.word_tag_tab.get(name, "")[:1] == "v"


def _speaker_name_ok(name: str) -> bool:
    """Return True when a name found in running text reads as a party's name."""
    if _SPK_NOT_START.match(name) or NARRATIVE_RE.search(name) or re.search(r"原告|被告|第三人|^[与和及]", name):
        return False
    if re.fullmatch(_SPK_MASKED_ORG, name):
        return True
    if re.fullmatch(_SPK_ORG, name):
        if re.search(r"的|成立|原系|[系在将]|认为|同意|作为", name):
            return False  # `伦某成立的一人有限责任公司`, `陈某原系招商银行股份有限公司`: narrative, not a name
        # `银丰担保公司` is a name; `提供担保公司` is not
        return not re.search(r"担保|借款|保证|^公司$", name) or (bool(re.fullmatch(
            "[" + _CJK + r"]{2,8}(?:融资|信用)?担保(?:有限责任|股份有限|有限)?公司", name)) and not re.match(
            r"(?:提供|为|由|向|与|对|作|该|其|本)", name))
    if "·" in name:
        return 3 <= len(name) <= 16
    if re.fullmatch("[" + _CJK + r"]{1,2}\d{1,2}", name):  # `林0`, `王12`: a surname and a number
        return plausible_person_name(name[:1] + "某")
    return bool(MASKED_PERSON.match(name)) or plausible_person_name(name)


def _typo_twins(a: str, b: str) -> bool:
    """Return True when two names differ in one Chinese character only (not a mask's digit or x), the first kept:
    `章益锋`/`章益峰`, `平凉百昌昌盛公司`/`平凉宝昌昌盛公司`; a firm's name needs six characters."""
    if len(a) != len(b) or len(a) < 3 or a[0] != b[0] or (a.endswith("公司") and len(a) < 6):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and all(re.fullmatch("[" + _CJK + "]", c) for c in diff[0])


def _marked_name(name: str) -> bool:
    """Return True for a name no common word can be: masked with x or a number by the publisher (`余x1`, `林0`,
    `大xxxxxxxxxxxxxx0`), or a firm with its legal form (`…有限公司`, `XX公司`)."""
    return bool(re.fullmatch(_SPK_MASKED_ORG, name) or re.fullmatch(
        "[" + _CJK + r"]{1,2}(?:[xX×]{1,3}\d{0,2}|[xX×]?\d{1,2})|XX公司|.{2,}(?:有限公司|责任公司)|"
        "[" + _CJK + r"\d]{2,6}(?:财政局|管委会|装饰公司|服饰店)", name))


def speaker_parties(text: str, start: int) -> list[PartyRec]:
    """Return parties named only in running text, for documents published without a party block:
    labelled speakers (`原告张某诉称`, `被告李某、王某共同辩称`, `被告某公司未答辩`), an unlabelled
    claimant or defendant opening a paragraph (`孙某向本院提出诉讼请求` → 原告, `李某辩称` → 被告), and
    labelled mentions (`被告刘某因资金周转…`) of names the text names more than once."""
    seg = text[start:]
    found: dict[str, str] = {}
    order: list[tuple[int, str]] = []

    def put(names: str, role: str, at: int, repeated: bool = False, opening: bool = False) -> None:
        for nm in re.split(r"[、和及]", names):
            nm = _SPK_VERB_HEAD.sub("", nm)  # `判令喀什星河公司` (a claim item) is `喀什星河公司`
            if nm and not re.fullmatch(_SPK_ORG, nm) and _SPK_ADVERB_TAIL.search(nm) \
                    and _speaker_name_ok(_SPK_ADVERB_TAIL.sub("", nm)):
                nm = _SPK_ADVERB_TAIL.sub("", nm)  # `段现才亦未…`, `于龙虽辩称`, `张淑芳述称`: glued to the name
            if opening and nm and not _speaker_name_ok(nm) and 2 <= len(nm) <= 8 \
                    and re.fullmatch("[" + _CJK + "]+", nm) and not _SPK_NOT_START.match(nm) \
                    and not NARRATIVE_RE.search(nm) and not _common_word(nm):
                pass  # the claimant opening the text (`远翔启鑫向本院提出诉讼请求`): a short firm name
            elif not nm or not _speaker_name_ok(nm):
                continue
            if repeated and not _marked_name(nm) and (
                    seg.count(nm) < 2 or (not re.fullmatch(_SPK_ORG, nm) and (_common_word(nm) or _dict_verb(nm)))):
                continue
            if nm not in found:
                found[nm] = canon_role(role)
                order.append((at, nm))

    for m in _SPK_LABELLED.finditer(seg):
        put(m.group("names"), m.group("role"), m.start())
    for m in _SPK_OPENING.finditer(seg):
        role = "原告" if m.group("act") in ("向本院提出", "诉称", "起诉称") else "被告"
        first = start == 0 and (m.start() == 0 or bool(re.fullmatch(PAGE_PREFIX, seg[: m.start() + 1])))  # opens the text
        put(m.group("names"), role, m.start(), opening=first and role == "原告")
    for m in _SPK_OBLIGED.finditer(seg):
        if len(re.split(r"[、和及]", m.group("names"))) >= 2:
            put(m.group("names"), "被告", m.start())
    for m in _SPK_MENTION.finditer(seg):
        # a weak mention: `被告陈某及谢某在接收…` labels only the names before 和/及 (a list joined by 、
        # shares the label)
        listed = re.split(r"[和及]", m.group("names"))[0]
        if not _speaker_name_ok(_SPK_VERB_HEAD.sub("", re.split(r"[、]", listed)[0])):
            continue  # the label does not stand before a name (`被告以第三人A、B等未归还…为由`)
        # a labelled name in a claim item (`判令被告罗某偿还借款`) or named as the guarantor (`被告刘某、陈某作为担保人`)
        # is a party even when the text names it once
        strong = bool(re.search(r"(?:判令|请求|要求)$", seg[max(0, m.start() - 2) : m.start()]) and re.match(
            r"(?:立即|共同|连带)?(?:偿还|归还|支付|返还|给付)", seg[m.end() :])) or bool(re.match(
            r"(?:均|自愿)?(?:作为(?:担保人|保证人)|提供[^，,。；]{0,6}(?:担保|保证)|在[^，,。；]{0,10}(?:担保人|保证人))",
            seg[m.end() :]))
        put(listed, m.group("role"), m.start(), repeated=not strong)
    # a name that is the tail of another found name (`李某` in `原告张李某`) is not a party of its own
    names = [n for _, n in sorted(order)]
    # a typo making a second name of one party (`章益锋` … `章益峰`, `平凉百昌昌盛公司` … `平凉宝昌昌盛公司`): a later
    # name of the same role and length that differs from an earlier one in one character is that party
    # (one name at least six characters if a firm's: `华通公司` and `华拓公司` are two); the name written far more
    # often wins, else the earlier
    kept: list[str] = []
    for n in names:
        twin = next((k for k in kept if _typo_twins(k, n) and found[k] == found[n]), None)
        if twin is None:
            kept.append(n)
        elif seg.count(n) >= 4 * seg.count(twin):
            kept[kept.index(twin)] = n
    names = kept
    # `贵13` of `被告贵13装饰公司股东`: the head of a firm's name masked with a number
    names = [n for n in names if not (re.fullmatch("[" + _CJK + r"]{1,2}\d{1,2}", n) and re.search(
        re.escape(n) + "[" + _CJK + r"]{1,8}?(?:公司|店|厂|中心)", seg))]
    return [PartyRec(name=n, role=found[n], role_full=found[n], text="") for n in names
            if not any(o != n and o.endswith(n) and len(o) > len(n) + 1 for o in names)]
