"""Document type, case number, authority, decision date, cause and outcome items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import AUTHORITY_SUFFIXES, CAUSES
from .numerals import DATE_RE, parse_date_match
from .textnorm import split_lines, to_halfwidth

_CJK = r"\u4e00-\u9fff"

TITLE_RE = re.compile(
    r"(?P<title>(?:公安)?(?:行政)?处罚决定书|当场(?:行政)?处罚决定书|行政处罚事先告知书|行政处罚信息公开表"
    r"|(?:民事|刑事附带民事|刑事|行政|执行|商事|国家赔偿)?(?:判决书|裁定书|调解书)"
    r"|执行(?:决定书|通知书)|限制消费令|失信被执行人(?:名单|信息|决定书)?|支付令|决定书)$"
)

# a title inside a one-paragraph text: followed by its number (maybe after the issuer's short name)
TITLE_INLINE_RE = re.compile(
    TITLE_RE.pattern.removesuffix("$")
    + r"(?=\s*(?:[(（]?(?:(?!书)[" + _CJK + r"]){0,14}[(（〔\[【]\s*(?:19|20)\d{2}|\n|$))"
)

CASE_NO_RE = re.compile(
    r"(?P<pre>[" + _CJK + r"A-Za-z]{1,14}(?:\([" + _CJK + r"]{1,5}\)[" + _CJK + r"]{0,8})?)?"
    r"[(\[〔【]\s*(?P<y>(?:19|20)\d{2})\s*[)\]〕】]\s*"
    r"(?P<mid>[" + _CJK + r"\d \t\u3000]{0,24}?)\s*第?\s*(?P<n>\d{1,7}(?:-\d+)?)\s*号"
    r"(?P<suf>之[一二三四五六七八九十\d]+)?"
)
_COURT_MID = re.compile(r"[民刑执行商破赔司保财知环金海初终再监督请审字]")
_PENALTY_PRE = re.compile(r"(?:罚|决|处|公|监|局|字|函|告|案|检|稽|发|令|[)）][\u4e00-\u9fff]{0,3})$")


@dataclass
class Header:
    """What the header (first lines) of a document says."""

    doc_type: str | None = None
    title: str | None = None
    case_number: str | None = None
    authority: str | None = None
    header_end: int = 0  # offset in text after the last header line used


def _canon_case_no(raw: str) -> str:
    s = re.sub(r"\s+", "", to_halfwidth(raw))
    s = s.replace("(", "（").replace(")", "）")
    s = s.replace("[", "〔").replace("]", "〕").replace("【", "〔").replace("】", "〕")
    return s


def _type_from_title(title: str, case_no: str | None) -> str | None:
    if "处罚" in title:
        return "penalty"
    enforcement_no = bool(case_no and re.search(r"执", case_no))
    if title.startswith("执行") or "失信" in title or "限制消费" in title:
        return "enforcement"
    if "裁定书" in title:
        return "enforcement" if enforcement_no else "ruling"
    if "判决书" in title or "调解书" in title:
        return "judgment"
    if title == "支付令":
        return "ruling"
    if title == "决定书":
        if enforcement_no:
            return "enforcement"
        return None
    return None


_ISSUER_GLUED = re.compile(r"^[" + _CJK + r"（）()]{2,30}?(?:局|会|行|院|所|队|厅|委)(?=[" + _CJK + r"]{2,}[" + _CJK + r"()（）]*罚)")


def _strip_issuer(pre: str) -> str:
    """Return a document-number prefix without the issuer's name glued in front.

    `四川银保监局川银保监罚` → `川银保监罚`; `中国银保监会四川监管局川银保监罚` → `川银保监罚`;
    a prefix that itself ends in 局罚 (`皖市监局罚`) is kept.
    """
    while True:
        m = _ISSUER_GLUED.match(pre)
        if not m or pre[m.end()] == "罚":
            return pre
        pre = pre[m.end():]


def find_case_number(text: str, limit: int = 1500) -> tuple[str | None, int]:
    """Return (canonical case/document number, end offset) found near the top of ``text``."""
    for region in (text[:limit], text):
        for m in CASE_NO_RE.finditer(region):
            pre = m.group("pre") or ""
            mid = m.group("mid") or ""
            if not pre and not mid:
                continue
            if pre:
                # keep only the part after the last label-ish separator
                pre = re.split(r"(?:案号|文号|编号|决定书|书号|书|令|法院|通知)", pre)[-1]
            pre = _strip_issuer(pre)
            if pre and not _PENALTY_PRE.search(pre):
                pre = ""
            if not pre and not _COURT_MID.search(mid):
                continue
            start = m.end() - len(m.group(0)) + (len(m.group("pre") or "") - len(pre))
            return _canon_case_no(text[start:m.end()]), m.end()
        if region is text:
            break
    return None, 0


# page boilerplate and titles that run into an authority's name in one-paragraph texts
_BOILER = re.compile(
    r"^.*(?:网|来源|内容|文书|标题|全文|正文|首页|浏览|发布|打印|字号|书|纠纷|[一二再终]审|号|次|[>》|：:])"
)
_AUTH_LABEL = re.compile(
    r"(?:作出|做出)(?:行政)?处罚(?:决定)?的?(?:机关|单位|部门)(?:名称)?\s*[:：]?\s*"
    r"([" + _CJK + r"（）()]{3,40}?)(?=\s|$|[，,。；;]|作出|做出|日期)",
    re.M,
)


def trim_authority(name: str) -> str:
    """Return an authority name without boilerplate or a title glued in front of it.

    `文书内容来源中国裁判文书网江苏省兴化市人民法院` → `江苏省兴化市人民法院`;
    `…借款合同纠纷一审民事判决书江苏省兴化市人民法院` → `江苏省兴化市人民法院`.
    """
    m = _BOILER.match(name)
    if m and len(name) - m.end() >= 4:
        return name[m.end():]
    return name


def labelled_authority(text: str) -> str | None:
    """Return the body after `作出处罚决定的机关名称：` (penalty disclosure tables), if any."""
    m = _AUTH_LABEL.search(text)
    if not m:
        return None
    a = m.group(1).replace("(", "（").replace(")", "）")
    return a if any(a.endswith(suf) for suf in AUTHORITY_SUFFIXES) or "银保监" in a else None


def _authority_of_line(line: str) -> str | None:
    ns = re.sub(r"\s+", "", line)
    if not 3 <= len(ns) <= 40 or not re.fullmatch(r"[" + _CJK + r"（）()·]+", ns):
        return None
    for suf in AUTHORITY_SUFFIXES:
        if ns.endswith(suf):
            return trim_authority(ns.replace("(", "（").replace(")", "）"))
    return None


def authority_of_cell(cell: str) -> str | None:
    """Return the issuing body named in a table cell (`作出行政处罚决定机关名称` column), or None when the
    cell names no body (`中国人民银行`, `中国银保监会吴忠监管分局`, `天津银监局`)."""
    return _authority_of_line(cell) or (trim_authority(cell) if re.fullmatch(r"[" + _CJK + r"]{2,30}(?:银保监会|银监会|保监会)", cell) else None)


# a regulator's full name and its short name (`中国银保监会北京监管局` / `北京银保监局`)
_REGULATOR_FULL = (
    (re.compile(r"^中国银保监会(.{2,8}?)监管(分)?局$"), "{}银保监{}局"),
    (re.compile(r"^中国银监会(.{2,8}?)监管(分)?局$"), "{}银监{}局"),
    (re.compile(r"^中国保监会(.{2,8}?)监管(分)?局$"), "{}保监{}局"),
    (re.compile(r"^国家金融监督管理总局(.{2,8}?)监管(分)?局$"), "{}金融监管{}局"),
)


def same_regulator(a: str, b: str) -> bool:
    """Return True when one name is the other's short form (`北京银保监局` for `中国银保监会北京监管局`,
    `临沂金融监管分局` for `国家金融监督管理总局临沂监管分局`)."""
    for full, short in ((a, b), (b, a)):
        for rx, fmt in _REGULATOR_FULL:
            m = rx.match(full)
            if m and short == fmt.format(m.group(1), m.group(2) or ""):
                return True
    return False


_TITLE_PARTY_TAIL = re.compile(r"(?<=处罚决定书|信息公开表)[(（][^()（）]{2,40}[)）]$")


def parse_header(text: str) -> Header:
    """Return doc type, title, case number and authority read from the first lines."""
    h = Header()
    lines = split_lines(text)[:15]
    title_idx = -1
    for i, (off, line) in enumerate(lines):
        ns = re.sub(r"\s+", "", line)
        if len(ns) > 60:
            continue
        m = TITLE_RE.search(ns)
        if m is None and (m2 := _TITLE_PARTY_TAIL.search(ns)):
            # a penalty title naming its party after it (`中国银保监会广东监管局行政处罚决定书(某公司)`)
            ns = ns[: m2.start()]
            m = TITLE_RE.search(ns)
        if m:
            h.title = m.group("title")
            prefix = ns[: m.start()]
            if prefix:
                h.authority = _authority_of_line(prefix) or h.authority
            title_idx = i
            h.header_end = off + len(line)
            break
    if h.title is None:
        m2 = TITLE_INLINE_RE.search(text, 0, 800)
        if m2:
            h.title = m2.group("title")
            run = re.search(r"[" + _CJK + r"（）()]{3,80}$", re.sub(r"\s+", "", text[: m2.start()]))
            if run:
                h.authority = _authority_of_line(trim_authority(run.group(0))[-40:])
            title_idx = 0
            h.header_end = m2.end()
    h.case_number, cn_end = find_case_number(text)
    if cn_end and cn_end < 1500:
        h.header_end = max(h.header_end, cn_end)
    if h.authority is None:
        upto = title_idx if title_idx >= 0 else 4
        for _off, line in lines[: max(upto, 1) + (0 if title_idx >= 0 else 1)]:
            a = _authority_of_line(line)
            if a:
                h.authority = a
                break
    if h.title:
        h.doc_type = _type_from_title(h.title, h.case_number)
    if h.doc_type == "penalty" or h.authority is None:
        h.authority = labelled_authority(text[:3000]) or h.authority
    return h


# page boilerplate a site puts before a text that opens with its party block
PAGE_PREFIX = r"\s*(?:[^。\n]{0,60}?(?:文书内容|裁判文书网|文书正文|正文|全文|来源[:：]?)[^\s。]{0,12}?\s*)?"


def infer_doc_type(text: str, case_no: str | None) -> str | None:
    """Return a doc type from body markers when no title line was found."""
    head = text[:3000]
    if re.search(r"(?:作出如下|给予|处以)[^。]{0,20}(?:行政)?处罚|行政处罚决定|罚决字|监罚[〔\[(（]", head + text[-3000:]):
        return "penalty"
    if re.search(r"(?:处|并处|予以|给予)?罚款\s*(?:人民币)?\s*[\d.,一二三四五六七八九十百千万]+\s*万?元", text) and re.search(
        r"违法违规|违规行为|违法行为|经查|监管|罚没", text
    ) and not re.search(r"判决如下|裁定如下|诉讼请求", text):
        return "penalty"
    if case_no and "执" in case_no:
        return "enforcement"
    if "判决如下" in text:
        return "judgment"
    if "裁定如下" in text:
        return "ruling" if not re.search(r"终结本次执行|被执行人", text) else "enforcement"
    if re.search(r"被执行人[:：]", head) and re.search(r"执行", head):
        return "enforcement"
    # a judgment published without its header: the party block opens the text
    if re.match(PAGE_PREFIX + r"(?:原告|上诉人|原审原告|再审申请人|起诉人|反诉原告)(?:[(（][^）)]{0,20}[)）])?\s*[:：]?\s*[^\s:：，,。]", head) and re.search(
        r"诉讼请求|诉请|诉称|辩称|答辩|起诉|本院|审理|一案", text
    ):
        return "ruling" if "裁定如下" in text else "judgment"
    # published from the claims on (no header, no party block): `孙某向本院提出诉讼请求：…`, `原告张某诉称…`
    if re.match(PAGE_PREFIX + r"(?:原告)?[^\s，,。；:：]{2,30}?(?:向本院提出(?:如下)?诉讼请求|诉称|起诉称)", head) and re.search(
        r"辩称|本院认为|本院经审理", text
    ):
        return "judgment"
    return None


_GLUED_SIGNOFF = re.compile(r"(?:^|[。；;\s])([" + _CJK + r"（）()]{3,40}?)\s*(?:[(（](?:印章|盖章|公章)[)）])?\s*" + DATE_RE.pattern + r"\s*$")


def authority_from_tail(text: str, want_court: bool) -> str | None:
    """Return the issuing body written in the signature block near the end (on its own line, or
    glued to the date in a text without line breaks: `…不停止执行。中国银保监会江苏监管局2019年12月19日`)."""
    lines = split_lines(text[-1500:])
    for _off, line in reversed(lines):
        a = _authority_of_line(line)
        if a and (not want_court or a.endswith("法院")):
            return a
    gm = _GLUED_SIGNOFF.search(text[-300:].rstrip())
    if gm:
        a = _authority_of_line(gm.group(1))
        if a and (not want_court or a.endswith("法院")):
            return a
    if want_court:
        for court in re.finditer(r"[" + _CJK + r"]{2,25}?人民法院", text[:2000]):
            name = _court_of_phrase(court.group(0))
            if name:
                return trim_authority(name)
    return None


_NARRATIVE_VERB = re.compile(r".*(?:诉至|诉诸|诉到|起诉至|起诉到|起诉于|提起|向(?!阳)|请求|申请|经|由|[至到于在](?=$))")


def _court_of_phrase(phrase: str) -> str | None:
    """Return the court named in a phrase found in running text (`诉至某县人民法院` → `某县人民法院`),
    or None when no place is named (`特向人民法院`, `诉至人民法院`)."""
    m = _NARRATIVE_VERB.match(phrase[: -len("人民法院")])
    name = phrase[m.end() :] if m else phrase
    if re.search(r"本院|所在地|管辖|上一级|其他|有关|各级|当地|该", name):
        return None
    return name if len(name) - len("人民法院") >= 2 else None


SIGN_RE = re.compile(r"审\s*判\s*长|审\s*判\s*员|书\s*记\s*员|执\s*行\s*员|人民陪审员|[(（](?:印章|盖章|公章)[)）]")


_SIGNOFF_NEXT = re.compile(
    r"\s*(?:$|\n|书\s*记|审\s*判|法官|人民陪审|执\s*行\s*员|[(（\[【]\s*(?:印|章|院印|公章|盖章|此页|本页|签章)|本件|附|核对|校对"
    r"|(?![诉向至到在于由经])[\u4e00-\u9fff（）()]{2,40}?(?:法院|法庭|监管局|监管分局|分局|管理局|中心支行|分行|人民银行|总局|银保监会|委员会)[ \t\u3000]*(?:$|\n))"
)


def _signoff(text: str, m: re.Match[str]) -> bool:
    """Return True when a date stands as a sign-off (end, newline or signature after it)."""
    return bool(_SIGNOFF_NEXT.match(text, m.end()))


_SITE_DATE = re.compile(r"(?:发布|公布|公开|上传|更新|入库|收录|浏览|访问|创建|撰写)(?:日期|时间)\s*[:：]?\s*$")


def find_date(text: str) -> str | None:
    """Return the decision date: the last date on its own line, else near the signature block.

    A date inside a sentence (a fact date: `2017年5月1日，被告…`) is never taken: near the
    signature and in the tail only dates followed by the end, a line break or the signature
    count.
    """
    own_line: list[str] = []
    near_sign: list[str] = []
    tail_dates: list[str] = []
    cut = int(len(text) * 0.6)
    sign = SIGN_RE.search(text, cut)
    for m in DATE_RE.finditer(text):
        iso = parse_date_match(m)
        if not iso:
            continue
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        le = len(text) if le < 0 else le
        line = re.sub(r"[\s（）()]", "", text[ls:le])
        core = re.sub(r"\s+", "", m.group(0))
        if _SITE_DATE.search(text[max(ls, m.start() - 12) : m.start()]):
            continue  # the publishing site's date (`发布日期：…`), never the decision's
        if line == core or (line.endswith(core) and len(line) - len(core) <= 2):
            own_line.append(iso)
        if not _signoff(text, m):
            continue
        if sign and abs(m.start() - sign.start()) < 300:
            near_sign.append(iso)
        if m.start() >= cut:
            tail_dates.append(iso)
    for cands in (own_line, near_sign, tail_dates):
        if cands:
            return cands[-1]
    return None


_CAUSE_EXPLICIT = re.compile(r"案\s*由\s*[:：]\s*([" + _CJK + r"、，,]{2,30}?)(?:[\s。；;]|$)", re.M)
_ONE_CASE = re.compile(r"一案")


def find_cause(text: str, names: list[str]) -> str | None:
    """Return the cause of action (案由) from an 案由 field or the '…纠纷一案' sentence."""
    m = _CAUSE_EXPLICIT.search(text)
    if m:
        c = m.group(1).rstrip("案，,")
        return c or None
    for k, m1 in enumerate(_ONE_CASE.finditer(text)):
        if k >= 4:
            break
        start = max(text.rfind("。", 0, m1.start()), text.rfind("\n", 0, m1.start()), m1.start() - 120)
        seg = re.sub(r"\s+", "", text[start + 1 : m1.start()])
        for c in CAUSES:
            if seg.endswith(c):
                return c
        fm = re.search(r"([" + _CJK + r"、]{2,30}(?:纠纷|之诉|争议))$", seg)
        if fm:
            cand = fm.group(1)
            cut = 0
            for token in [*names, "原告", "被告", "上诉人", "申请人", "执行人", "第三人", "与", "因", "就", "诉", "间"]:
                i = cand.rfind(token)
                if i >= 0 and i + len(token) < len(cand):
                    cut = max(cut, i + len(token))
            cand = cand[cut:]
            if 3 <= len(cand) <= 16:
                return cand
    return None


_VIOLATION_RES = (
    re.compile(r"(?:主要)?违法(?:违规)?(?:事实|行为)(?![人主])(?:[(（](?:案由)?[)）])?(?:类型)?\s*[:：]?\s*(?:[一1][、.．])?\s*([^。；;\n]{4,60})"),
    re.compile(r"存在(?:以下|如下|下列)?违(?:法|规|法违规)(?:违规)?行为\s*[:：]\s*(?:[一1][、.．])?\s*([^。；;\n]{4,60})"),
    re.compile(r"(?:当事人|你(?:单位|公司|行)?|该(?:行|社|公司))[^。；;\n]{0,20}?存在((?:违规|违反|未按|未能|未|贷款|信贷|内控)[^。；;，,\n]{2,40})"),
    re.compile(r"(?:当事人|你(?:单位|公司|行|社)?|该(?:行|社|公司|支行|分行))[^。；;\n]{0,20}?存在"
               r"([^。；;，,\n]{4,40}?)(?:的|等)?(?:违法违规|违规|违法)?(?:行为|问题|情形)"),
    # an individual: '经查，王某对该行违规发放贷款负有直接管理责任'
    re.compile(r"对(?:该行|该公司|该社|该支行|该分行|上述)?((?:违规|违反|未按|贷款|信贷)[^。；;，,\n]{2,40}?)(?:的?行为|问题)?负有[^。；;\n]{0,8}责任"),
    # '经查，你公司违反支付业务规定。'
    re.compile(r"经查[,，:：]\s*(?:当事人|你(?:单位|公司|行|社)?|该(?:行|社|公司|支行|分行|机构))?"
               r"(?:在[^。；;\n]{0,30}?(?:期间|中)[,，]?)?((?:违反|违规|未按|未履行)[^。；;，,\n]{2,40})"),
    # the party named in full: '经查实，中国人寿保险股份有限公司重庆市分公司存在欺骗投保人的行为'
    re.compile(r"经查(?:实|明)?[,，:：]\s*[^。；;，,\n]{2,40}?存在(?!以下|如下|下列)([^。；;，,\n]{4,40}?)(?:的|等)?(?:违法违规|违规|违法)?(?:行为|问题|情形)"),
)

# a penalty listed as a row under a header row (`企业名称⇥处罚决定书文号⇥违法行为类型⇥…`, tab- or
# wide-space-separated, as pasted from a published table)
_TABLE_SEP = re.compile(r"\t+|\s{2,}")
_TABLE_NAME = re.compile(r"^(?:企业名称|单位名称|当事人(?:名称)?|被处罚(?:当事人|单位|人)(?:名称)?|行政相对人名称|机构名称|名称)$")
_TABLE_CAUSE = re.compile(
    r"^(?:违法行为类型|(?:主要)?违法违规(?:事实|行为)(?:[(（]案由[)）])?|案由|违法(?:事实|行为)|处罚事由)$"
)
_TABLE_AUTH = re.compile(r"^(?:作出(?:行政)?(?:处罚)?(?:决定)?的?机关(?:名称)?|(?:处罚|决定|执法)机关(?:名称)?)$")
_TABLE_DATE = re.compile(r"^(?:作出(?:行政)?处罚(?:决定)?的?日期|处罚(?:决定)?日期|决定日期)$")


def _table_cells(line: str) -> list[str]:
    """Return the cells of a table line: tab-separated (empty cells kept, trailing ones dropped), else
    separated by two or more spaces."""
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        while cells and not cells[0]:
            cells.pop(0)
        return cells
    return [c.strip() for c in _TABLE_SEP.split(line.strip())]


# a person's cell with an affiliation in brackets (`蒋某（广发银行股份有限公司资产托管部）`,
# `宋某仁（时任…总经理)`): the name is what stands before the bracket
_CELL_PERSON = re.compile(r"^([\u4e00-\u9fff]{1,3}(?:某{1,2}[\u4e00-\u9fff0-9]?|[×xX*]{1,2}[\u4e00-\u9fff]?)?)\s*[（(](?:时任|原任|系|现任)?[^）)]*(?:公司|银行|行|社|部|中心|局|所|处|室|组|员|长|经理|主任|人)")


def _table_name(cell: str) -> str:
    """Return the party's name in a table cell (an affiliation in brackets after a person's name cut off)."""
    m = _CELL_PERSON.match(cell)
    if m and not re.search(r"(?:公司|银行|行|社|局|所|中心|部)$", m.group(1)):
        return m.group(1)
    return re.sub(r"\s*[（(](?:以下|下)?简称[^）)]*[）)]$", "", cell)


def _table_cause(cell: str) -> str:
    """Return the first violation of a table cell (`对X以下违法行为负有责任：1.违反…；2.…` → `违反…`)."""
    cell = re.sub(r"^对[^：:]{2,60}?负有[^：:]{0,8}责任[：:]\s*", "", cell)
    cell = re.sub(r"^[(（]?[0-9一二三四五六七八九十]{1,2}[.、．)）]\s*", "", cell)
    first = re.split(r"[；;。]", cell, maxsplit=1)[0].strip()
    return first or cell


def penalty_table_rows(text: str) -> list[dict[str, str]]:
    """Return the data rows of a penalty table as [{'name', 'label', 'cause', 'authority', 'date'}] (the keys found), or
    [] when the text has no header row naming the party's column. Rows follow the header while they have
    its cells (a leading row number the header does not name dropped); a disclosure page lists one
    decision per row (`当事人名称⇥行政处罚决定书文号⇥违法行为类型⇥…`)."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:-1]):
        head = _table_cells(line)
        if len(head) < 3 or not any(_TABLE_NAME.match(c) for c in head):
            continue
        rows: list[dict[str, str]] = []
        misses = 0
        for row_line in lines[i + 1 :]:
            if not row_line.strip():
                continue
            row = _table_cells(row_line)
            if row and re.fullmatch(r"\d{1,3}", row[0]) and not re.fullmatch(r"\d{1,3}|序号", head[0]):
                row = row[1:]  # a row number the header does not name
            if not (len(head) - 2 <= len(row) <= len(head)) or len(row) < 3:
                misses += 1
                if rows or misses > 3:
                    break
                continue
            out: dict[str, str] = {}
            for label, cell in zip(head, row, strict=False):
                if _TABLE_NAME.match(label) and "name" not in out and cell:
                    out["name"] = _table_name(cell)
                    out["label"] = label
                elif _TABLE_CAUSE.match(label) and "cause" not in out and cell:
                    out["cause"] = _table_cause(cell)
                elif _TABLE_AUTH.match(label) and "authority" not in out and cell:
                    out["authority"] = cell
                elif _TABLE_DATE.match(label) and "date" not in out and cell:
                    out["date"] = cell
            if out.get("name"):
                rows.append(out)
        return rows
    return []


def penalty_table_row(text: str) -> dict[str, str]:
    """Return the first data row of a penalty table as {'name', 'cause'} (only the keys found), or {}."""
    rows = penalty_table_rows(text)
    return {k: v for k, v in rows[0].items() if k in ("name", "cause")} if rows else {}


_VIOLATION_CASE = re.compile(
    r"(?:我|本)(?:局|会|分局|行|委)(?:依法)?对[^。]{0,80}?(?:[)）]|公司|银行|支行|分行|联社|合作社)"
    r"(?:涉嫌)?([^。，,()（）]{3,30}?)(?:一案|案件)"
)
_VIOLATION_TAIL = re.compile(r"(?:的|等)?(?:违法违规|违规|违法)?(?:行为|问题|情况|事实|事项)$")


def penalty_cause(text: str) -> str | None:
    """Return the violation of a penalty decision (`违规发放贷款`), its cause; None if not said.

    The violation is written as a field (`主要违法违规事实（案由）：…`), after `存在…`, or in
    `我局对…财务数据不真实一案进行了调查`; a trailing `的行为` / `等问题` is dropped.
    """
    for rx in (*_VIOLATION_RES, _VIOLATION_CASE):
        m = rx.search(text)
        if m:
            v = re.sub(r"\s+", "", m.group(1)).strip("：:，,")
            v = re.sub(r"^(?:为|是|系|如下|以下|[一二三四五六七八九1-9][是、.．]|[(（][一二三1-9][)）])+", "", v)
            v = re.split(r"[,，]", v)[0]
            v = re.split(r"(?:行政处罚依据|处罚依据|行政处罚决定|依据|根据)", v)[0]
            v = _VIOLATION_TAIL.sub("", v)
            if len(v) >= 4 and not v.startswith(("事实", "行为")) and v not in ("涉嫌违法", "违法违规"):
                return v
    return None


# ---- outcome ---------------------------------------------------------------------------------
OUTCOME_START_RE = re.compile(
    r"(?:判\s*决|裁\s*定|决\s*定|调解协议)如下\s*[:：]?"
    r"|(?:作出|给予)如下(?:行政)?处罚(?:决定)?\s*[:：]?|处罚决定如下\s*[:：]?"
    r"|(?:现|本局|我局|本机关|我分局|本分局|我局现|本所|我所|我会|本会|我大队|本大队|我支队|我委)?决定"
    r"(?:对|给予|作出|处以|责令)(?:如下(?:的)?(?:行政)?处罚(?:决定)?\s*[:：]?)?"
)
OUTCOME_END_RE = re.compile(
    r"如\s*不\s*服|如果未按|如未按|当事人如|审\s*判\s*长|审\s*判\s*员|执\s*行\s*员|书\s*记\s*员"
    r"|本裁定送达后(?:立即|即)|本裁定(?:书)?(?:自|送达)|本判决为终审判决|本裁定为终审裁定"
    r"|申请执行人发现被执行人|逾期不(?:缴纳|履行)|请(?:在|于)(?:接到|收到|本决定)|限你|你(?:单位)?(?:应|如)"
    r"|[(（](?:印章|盖章|公章)[)）]|当事人应当?(?:自|在|于)|到期不缴纳|执行方式"
)
ITEM_RE = re.compile(
    r"(?:^|(?<=[\n。；;:：]))\s*(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、．.](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）])"
)
FEE_PARA_RE = re.compile(r"^(?:本案)?(?:案件)?(?:受理费|诉讼费|申请费|保全费|执行费|公告费|二审案件受理费|一审案件受理费)")


def find_outcome(text: str, doc_type: str | None, start_at: int = 0) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """Return (item spans, whole decision region span) for 判决/裁定/决定如下 sections."""
    m = OUTCOME_START_RE.search(text, start_at)
    if doc_type == "penalty":
        # prefer explicit '…如下' over '决定对…' when both exist
        ms = list(OUTCOME_START_RE.finditer(text, start_at))
        for cand in ms:
            if "如下" in cand.group(0):
                m = cand
                break
    if not m:
        return [], None
    start = m.end() if "如下" in m.group(0) else m.start()
    e = OUTCOME_END_RE.search(text, start)
    end = e.start() if e else len(text)
    region = (start, end)
    body = text[start:end]
    items: list[tuple[int, int]] = []
    starts = [mm.end() for mm in ITEM_RE.finditer(body)]
    if starts:
        bounds = [*starts[1:], len(body)]
        for s, nxt in zip(starts, bounds, strict=False):
            # the item ends before the next enumerator's label
            seg_end = nxt
            if nxt != len(body):
                lab = ITEM_RE.search(body, s)
                seg_end = lab.start() if lab else nxt
            seg = body[s:seg_end]
            nl = seg.find("\n")
            # un-numbered paragraphs after the last item (fees, notes) are not items
            if s == starts[-1] and nl > 0 and FEE_PARA_RE.search(seg[nl + 1 :].strip()):
                seg_end = s + nl
            items.append((start + s, start + seg_end))
    else:
        first = body.strip()
        if first:
            para = re.split(r"\n", first)[0]
            if doc_type == "penalty":
                para = first.replace("\n", "")
                dot = para.find("。")
                para = para[: dot + 1] if dot > 0 else para
            off = text.find(para, start)
            items.append((off, off + len(para)))
    cleaned = []
    for s, e2 in items:
        seg = text[s:e2].strip()
        if seg and not FEE_PARA_RE.search(seg):
            ss = text.find(seg, s)
            cleaned.append((ss, ss + len(seg)))
    return cleaned, region
