"""Top-level extraction: text in, contract dict out."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from .amounts import CLAIM_KINDS, all_figures, contradiction, find_amounts
from .guarantees import (
    find_guarantees,
    nonparty_borrowers,
    nonparty_guarantors,
    pattern_guarantees,
    refine_guarantees,
)
from .header import (
    PAGE_PREFIX,
    authority_from_tail,
    authority_of_cell,
    find_case_number,
    find_cause,
    find_date,
    find_outcome,
    infer_doc_type,
    parse_header,
    penalty_cause,
    penalty_table_rows,
    same_regulator,
)
from .lexicon import AGENT_LABELS, PARTY_ROLES, REPRESENTATIVE_LABELS
from .numerals import parse_date
from .parties import (
    PartyBlock,
    PartyRec,
    addressee_parties,
    kind_of,
    parse_party_block,
    running_text_parties,
    speaker_parties,
)
from .readers import read_text
from .schema import Extraction
from .textnorm import clean_input, to_halfwidth

log = logging.getLogger(__name__)

_LABELS = "|".join(re.escape(x) for x in (*PARTY_ROLES, *REPRESENTATIVE_LABELS, *AGENT_LABELS))
_RESPLIT_RE = re.compile(
    r"(?:(?<=[。；;])|(?<=[。；;][(（]缺席[)）])|(?<=[。；;][(（]未到庭[)）]))\s*(?=(?:" + _LABELS + r")(?:[(（][^）)]{1,20}[)）]){0,2}[:：]?)"
    r"|(?<=[。])\s*(?=(?:本院认为|经审理查明|判决如下|裁定如下|如不服|审判长|审判员|书记员))"
    # the party block running into the claims: '…住开平市，陆某1向本院提出诉讼请求：' / '…律师。吴某1向本院…'
    r"|(?<=[。；;，,])\s*(?=(?:原告|申请人|上诉人|申请执行人)?[^，,。；;:：\n]{1,30}?(?:向本院提出|诉称|起诉称|诉请[:：]))"
    # page boilerplate before a party block: '…来源：中国裁判文书网 原告童某1，男，…'
    r"|(?:(?<=文书内容)|(?<=裁判文书网)|(?<=文书正文))[ \t]*(?=(?:原告|上诉人|原审原告|再审申请人|申请人|申请执行人|当事人))"
    # section headings of some publishing sites glued into the text
    r"|(?<=[。；;，,])\s*(?=(?:当事人诉辩意见|本院查明的案件事实|裁判理由和结果|审理经过|诉辩意见|本院查明)\S)"
    r"|\s+(?=(?:审\s*判\s*长|审\s*判\s*员|人民陪审员|书\s*记\s*员|法官助理)\s)"
    r"|(?<=如下[:：])"
    r"|(?<=[。；;])\s*(?=[一二三四五六七八九十]{1,3}、)"
    r"|(?<=书)\s+(?=[(（]\s*(?:19|20)\d{2})"
    r"|(?:(?<=号)|(?<=号[)）]))\s*(?=(?:" + _LABELS + r")(?:[(（][^）)]{1,20}[)）]){0,2}(?:姓名|名称)?[:：])"
)


def empty_result() -> dict[str, Any]:
    """Return the contract dict for a text that is not a legal document."""
    return Extraction().model_dump()


def _resplit(text: str) -> str:
    """Insert line breaks in documents pasted as one long paragraph."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if not lines or len(text) / len(lines) < 150:
        return text
    return _RESPLIT_RE.sub("\n", text)


_CLAIM_START = re.compile(
    r"(?:(?<!围绕)(?<!围绕其)诉讼请求(?![^，,。]{0,6}(?:提交|提供|举证|进行))|诉请|(?:请求|要求)(?:人民)?(?:法院|本院)?(?:依法)?(?:判(?:令|决)|[:：])|故请求|起诉要求|诉至[^。]{0,8}?要求(?!处理|解决)"
    r"|请(?:求)?(?:人民法院|法院)?依法判(?:令|决))"
    r"\s*(?:变更)?\s*[:：为]?"
)
# a claim written without the word (`原告诉称，要求被告偿还借款…`), taken when there is no other
_CLAIM_WEAK = re.compile(r"(?:请求|要求)(?=(?:[二两三四五六各]|全体)?被告)")
_CLAIM_END = re.compile(
    r"事实(?:和|与|及)理由|[。\n][^。\n]{0,30}(?:辩称|答辩称|未(?:作)?答辩|未到庭)|经审理查明|本院(?:经审理)?认定|本院认为"
    r"|[。\n](?:原告|申请人|上诉人)[^。\n]{0,20}(?:向本院)?提交"
    r"|[。\n][^。\n]{0,20}(?:为(?:支持|证明|证实)其?(?:诉讼)?(?:主张|请求|诉求)|(?:提交|提供|出示)了?(?:以下|如下|下列)证据)"
)


def claim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return the span of the claims (诉讼请求 … up to the facts or the defence), if any."""
    spans = claim_spans(text, start, end)
    return spans[0] if spans else None


def claim_spans(text: str, start: int, end: int, weak: bool = True) -> list[tuple[int, int]]:
    """Return the spans of the claims: the first statement of them and every later change
    (`原告将诉讼请求变更为…`), each up to the facts, the defence or the end of its sentence run."""
    out: list[tuple[int, int]] = []
    pos = start
    start_re = _CLAIM_START if _CLAIM_START.search(text, start, end) or not weak else _CLAIM_WEAK
    while True:
        m = start_re.search(text, pos, end)
        if not m:
            return out
        e = _CLAIM_END.search(text, m.end(), end)
        stop = e.start() if e else min(end, m.end() + 400)
        if out or start_re is _CLAIM_WEAK:  # a later change or a claim without the word: its sentence only
            dot = text.find("。", m.end(), end)
            stop = min(stop, dot if dot >= 0 else stop)
        if stop > m.end() and (not out or re.search(r"变更|增加|减少|放弃", text[max(start, m.start() - 12) : stop])):
            out.append((m.end(), stop))
        pos = max(m.end(), stop)


_OPENS_WITH_CLAIM = re.compile(
    PAGE_PREFIX + r"(?:原告)?[^\s，,。；:：]{2,30}?(?:向本院提出(?:如下)?诉讼请求|诉称|起诉称)"
)


# a judgment's fact finding published on its own (`经审理查明:…`, `本院认定事实如下:…`, `当事人围绕诉讼请求…`): no
# heading, no party block, no decision items — parties are named in running text (`被告X`)
_FACT_PASSAGE = re.compile(
    r"(?:经审理|本院|审理)?查明|认定(?:本案|以下|如下)?(?:的)?(?:案件)?事实|确认(?:本案|以下|如下)(?:案件)?事实|事实如下"
    r"|事实予以(?:认定|确认)|围绕诉讼请求|支持其诉请|诉(?:讼)?称|向本院提出(?:如下)?诉讼请求"
)


# a passage whose sentence ends were dropped (`…签订《最高额保证合同》2013年12月25日被告…`): a line break before a date
# or a connective that opens a sentence, when a character (not a comma or a preposition) runs into it
_PASSAGE_BREAK = re.compile(
    r"(?<=[\u4e00-\u9fff）)》”\"])(?<![自至于到从止在起为的及和与、约定即截之])"
    r"(?=(?:\d{4}年\d{1,2}月(?:\d{1,2}日)?|同日|当日|次日|另查明|又查明|再查明|另查|再查|经查|上述事实|借款到期后|"
    r"合同签订后|协议签订后|还款期限届满后)[^\d])"
)


def _break_passage(text: str) -> str:
    """Return a fact passage published without its sentence ends with line breaks where its sentences start."""
    if text.count("。") * 400 > len(text) or not fact_passage(to_halfwidth(text)):
        return text
    return _PASSAGE_BREAK.sub("\n", text)


_PARTS_RE = re.compile(
    r"(?P<fig>\d[\d.,]*\s*(?:万|亿)?元)(?:人民币)?(?:的)?(?:债权|借款|欠款|债务|款项)?[(（](?:包括|其中|含)(?P<inner>[^)）]{2,80})[)）]"
)
# the claimant's own tally of what is owed, in a statement without a claims section
# (`截止2016年1月20日，被告应当退付我公司购车款400万元，…，共计6582500元`)
_TALLY_RE = re.compile(r"[^。\n]{0,40}?(?:应当?|尚欠|仍欠)[^。\n]{0,10}?(?:退付|归还|偿还|支付|偿付|给付|返还)[^。\n]*?(?:共计|合计|总计)[^。\n]{0,20}?元")


def _tally_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the tallies of what is owed in the claimant's statement (`原告X诉称…` up to the defence) when the
    text has no claims section: those figures are what the claimant asks for."""
    sm = re.search(r"诉称|起诉称", text[start:end])
    if not sm:
        return []
    s0 = start + sm.end()
    dm = re.search(r"辩称|答辩|经审理|本院认为", text[s0:end])
    s1 = s0 + dm.start() if dm else end
    return [(m.start(), m.end()) for m in _TALLY_RE.finditer(text, s0, s1)]


def fact_passage(text: str) -> bool:
    """Return True when a text without heading opens (first 150 characters) with a judgment's fact finding or
    claims and names parties by their procedural roles (`原告`/`被告`)."""
    return bool(_FACT_PASSAGE.search(text, 0, 150)) and bool(re.search(r"(?:原告|被告)", text)) and not re.search(
        r"行政处罚|罚款", text[:600])


def _plaintiff_guarantor(text: str, roles: dict[str, str]) -> bool:
    """Return True when the facts name the plaintiff as the guarantor who paid or secured the debt (a recourse
    case without the word 追偿 in a cause: `原告X作为担保人为该借款提供连带责任担保`, `原告X提供担保`)."""
    plaintiffs = [n for n, r in roles.items() if r == "原告"]
    if len(plaintiffs) != 1:
        return False
    who = "(?:原告)?" + re.escape(plaintiffs[0])
    return bool(re.search(who + r"(?:[(（](?:保证人|担保人)[^)）]{0,6}[)）])?(?:作为(?:担保人|保证人)[^，,。]{0,12}?)?"
                          r"(?:提供(?:了)?(?:连带责任)?(?:保证)?担保|提供(?:了)?(?:连带责任)?保证|作为(?:担保人|保证人)|"
                          r"代(?:为)?(?:偿还|清偿|垫付)|履行(?:了)?(?:担保|保证)责任)", text))


def _implicit_aliases(parties: list[dict[str, Any]], norm: str) -> None:
    """Give a company party the short name the text uses for it without announcing it
    (`宁夏华城实业开发有限公司` written `华城公司` elsewhere), when exactly one short form fits; a party
    found under that short name too is folded into the full one."""
    names = {p["name"] for p in parties}
    for p in parties:
        full = p["name"]
        if p["alias"] is not None or not full.endswith("公司") or len(full) < 7:
            continue
        shorts = set()
        for m in re.finditer("公司", norm):
            if norm[max(0, m.end() - len(full)) : m.end()] == full:
                continue  # the full name itself
            for k in (4, 3, 2):  # the longest core before 公司 that is part of the full name
                core = norm[max(0, m.start() - k) : m.start()]
                if len(core) == k and re.fullmatch(r"[\u4e00-\u9fff]+", core) and core in full[:-2] \
                        and not core.startswith(("该", "其", "本")):
                    shorts.add(core + "公司")
                    break
        shorts.discard(full)
        # two companies listed side by side (`平凉百昌昌盛公司、平凉百昌公司辩称`) are two parties, not one under two names
        shorts = {s for s in shorts if not re.search(
            rf"{re.escape(full)}[、和与及]{re.escape(s)}|{re.escape(s)}[、和与及]{re.escape(full)}", norm)}
        shorts = {s for s in shorts if not any(s != n and s in n and n != full for n in names)}
        if len(shorts) == 1:
            p["alias"] = shorts.pop()
    aliases = {p["alias"]: p["name"] for p in parties if p["alias"]}
    parties[:] = [p for p in parties if not (p["name"] in aliases and aliases[p["name"]] != p["name"])]


def _extract(text: str) -> dict[str, Any]:
    orig = _break_passage(_resplit(clean_input(text)))
    norm = to_halfwidth(orig)
    if not re.search(r"[\u4e00-\u9fff]", norm):
        return empty_result()
    head = parse_header(norm)
    doc_type = head.doc_type or infer_doc_type(norm, head.case_number)
    passage = head.title is None and doc_type is None and fact_passage(norm)
    if passage:
        doc_type = "judgment"
    if doc_type is None:
        return empty_result()
    case_number = head.case_number or find_case_number(norm, 3000)[0]
    authority = head.authority or authority_from_tail(norm, want_court=doc_type != "penalty")
    if doc_type == "penalty" and head.authority:
        # a title with the short name (`银保监会行政处罚决定书`) and the full one signed (`中国银保监会`)
        tail = authority_from_tail(norm, want_court=False)
        if tail and tail != head.authority and (tail.endswith(head.authority) or same_regulator(head.authority, tail)):
            authority = tail if len(tail) > len(head.authority) else head.authority
    header_end = head.header_end
    if passage or (head.title is None and _OPENS_WITH_CLAIM.match(norm)):
        # published from the claims on (no heading): a case number or court further down is another
        # case's (`（2017）最高法民辖终81号民事裁定书`) or the narrative's (`向银川市中级人民法院起诉`)
        case_number = None
        authority = None
        header_end = 0
    if head.title is None and re.match(PAGE_PREFIX + r"(?:原告|上诉人|原审原告|再审申请人|起诉人|反诉原告)", norm):
        # published without its header (the text opens with the party block): a number or court
        # found further down belongs to another case or to the narrative ('诉至人民法院')
        case_number = None
        authority = None
        header_end = 0

    block = parse_party_block(norm, header_end, penalty=doc_type == "penalty")
    table_rows = penalty_table_rows(norm) if doc_type == "penalty" else []
    table = table_rows[0] if table_rows else {}
    if not block.parties and table_rows:
        # a penalty published as rows of a table (`当事人名称⇥行政处罚决定书文号⇥…`): one party a row
        block.parties = [PartyRec(name=r["name"], role="当事人", role_full=r.get("label") or "当事人", text="")
                         for r in table_rows]
    if table.get("authority") and authority is None:
        authority = authority_of_cell(table["authority"])
    table_date = parse_date(table["date"]) if table.get("date") else None
    if passage or (doc_type == "judgment" and _OPENS_WITH_CLAIM.match(norm, header_end)):
        # published from the claims on: no party block (a later `原告…，` is narrative, not a party line)
        block = PartyBlock(end=header_end)
    if not block.parties and doc_type in ("enforcement", "ruling", "penalty"):
        block.parties = addressee_parties(norm, header_end)
        if block.parties and doc_type == "enforcement":
            known = {p.name for p in block.parties}
            block.parties[:0] = [p for p in running_text_parties(norm, header_end)
                                 if p.name not in known and p.role == "申请执行人"]
    if not block.parties:
        block.parties = running_text_parties(norm, header_end)
        if doc_type in ("judgment", "ruling"):
            # published without a party block: the parties named as speakers in the running text
            known = {p.name for p in block.parties}
            block.parties += [p for p in speaker_parties(norm, header_end) if p.name not in known]
    parties: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for rec in block.parties:
        if (rec.name, rec.role) in seen:
            continue
        seen.add((rec.name, rec.role))
        details = {k: v for k, v in rec.details.items() if v is not None}
        parties.append({
            "name": rec.name, "role": rec.role, "kind": kind_of(rec.name, details),
            "role_full": rec.role_full if rec.role_full != rec.role else None,
            "alias": rec.alias, "details": details,
        })
    names = [p["name"] for p in parties]
    for p in parties:
        if p["alias"] is None:
            am = re.search(re.escape(p["name"]) + r"\s*[(（](?:以下|下)?简称\s*[:：]?\s*[“\"「]?([^”\"」）)，,]{1,20})", norm)
            if am:
                p["alias"] = am.group(1)
    _implicit_aliases(parties, norm)
    cause = find_cause(norm[block.end :] if block.end else norm, names)
    if cause is None and block.end:
        cause = find_cause(norm, names)
    if passage:
        # a fact passage's `…纠纷一案` is another case (`原告与第三人…施工合同纠纷一案，经…判决`); its own cause only
        # where it says so
        cm = re.search(r"本案(?:系|为|属于?|属)([^，,。；;]{2,20}?纠纷)", norm)
        cause = cm.group(1) if cm else None
    if doc_type == "penalty" and table.get("cause") and table_rows and block.parties and \
            block.parties[0].name == table_rows[0]["name"]:
        cause = table["cause"]  # the parties came from the table: so does the violation
    elif doc_type == "penalty" and (cause is None or "纠纷" in cause):
        cause = table.get("cause") or penalty_cause(norm[block.end :]) or penalty_cause(norm) or cause

    items, region = find_outcome(norm, doc_type, block.end)
    outcome = [re.sub(r"\s+", "", orig[s:e]) for s, e in items]
    # amounts: in the decision region; for enforcement also in the body facts
    amount_spans: list[tuple[int, int]] = []
    if region:
        end = region[1]
        tail_end = re.search(r"如\s*不\s*服|审\s*判\s*长|审\s*判\s*员|执\s*行\s*员|书\s*记\s*员", norm[end:])
        amount_spans.append((region[0], end + (tail_end.start() if tail_end else 0)))
    if doc_type == "enforcement":
        amount_spans.insert(0, (block.end, region[0] if region else len(norm)))
    if doc_type == "penalty" and not region:
        amount_spans = [(m.start(), m.end()) for m in re.finditer(r"[^。\n]*(?:罚款|没收)[^。\n]*", norm[header_end:])]
        amount_spans = [(s + header_end, e + header_end) for s, e in amount_spans]
    amounts: list[dict[str, Any]] = [
        {"value": a.value, "type": a.type, "label": a.label, "text": a.text, "kind": a.type}
        for a in find_amounts(norm, amount_spans)
    ]
    if doc_type == "enforcement" and not region:
        amounts = [a for a in amounts if a["type"] != "other"]
    # a fact passage has claims only where it states them (a demand quoted in the facts is none)
    claims = claim_spans(norm, block.end, region[0] if region else len(norm), weak=not passage)
    if doc_type in ("judgment", "ruling"):
        claimed = find_amounts(norm, claims) if claims else []
        for c in claimed:
            # a claimed sum named by no loan word (`赔偿原告经济损失20000元`, `给付…款`): what the defendant is asked
            # to pay, in the clause of the claim
            clause = norm[max(norm.rfind(x, 0, c.start) for x in "，,；;。\n：:") + 1 : c.start]
            if c.type == "other" and re.search(r"(?:偿还|归还|支付|给付|赔偿|返还|退还|退付)", clause) \
                    and not re.search(r"已|还了|其中|调整|基数", clause):
                c.type = "fee" if re.search(r"损失|赔偿", clause) else "principal"
        claimed = [c for c in claimed if c.type in CLAIM_KINDS]
        if not claimed and doc_type == "judgment":
            claimed = find_amounts(norm, _tally_spans(norm, block.end, region[0] if region else len(norm)))
            for c in claimed:
                if c.type == "other":
                    c.type = "principal"  # a tally's sum owed (`购车款400万元`) is the claim's principal
            claimed = [c for c in claimed if c.type in CLAIM_KINDS]
        # the parts of a claimed sum given in brackets where the facts name it (`1180万元债权（包括借款本金800万元及
        # 利息380万元）`) are claimed too
        values = {c.value for c in claimed}
        for pm in _PARTS_RE.finditer(norm):
            whole = find_amounts(norm, [(pm.start("fig"), pm.end("fig"))])
            if whole and whole[0].value in values:
                claimed += [c for c in find_amounts(norm, [(pm.start("inner"), pm.end("inner"))])
                            if c.type in CLAIM_KINDS and c.value not in values]
        for c in claimed:
            amounts.append({"value": c.value, "type": c.type, "label": c.label,
                            "text": c.text, "kind": CLAIM_KINDS[c.type]})
    figures = all_figures(norm)
    for amt in amounts:
        amt["suspect"] = contradiction(float(amt["value"] or 0), figures)

    surface: dict[str, str] = {}
    roles: dict[str, str] = {}
    for p in parties:
        surface[p["name"]] = p["name"]
        roles.setdefault(p["name"], p["role"])
        if p["alias"]:
            surface[p["alias"]] = p["name"]
    body = (block.end, region[0] if region else len(norm))
    guarantees: list[dict[str, Any]] = []
    not_guarantees: list[dict[str, Any]] = []
    if doc_type in ("judgment", "ruling", "enforcement"):
        # borrowers the facts name who are not parties (`借款人陈某向原告借款`) are mentions too
        gsurface = {**surface, **{n: n for n in nonparty_borrowers(norm, body, surface)}}
        gsurface.update({n: n for n in nonparty_guarantors(norm, body, gsurface)})
        recs = find_guarantees(norm, body, items, gsurface, roles)
        recs += pattern_guarantees(norm, body, items, gsurface, roles,
                                   recourse="追偿" in (cause or "") or _plaintiff_guarantor(norm, roles))
        kept, nots = refine_guarantees(norm, body, items, gsurface, roles, recs)
        guarantees = [
            {"guarantor": g.guarantor, "debtor": g.debtor, "creditor": g.creditor, "type": g.type,
             "liable": g.liable, "basis": g.basis}
            for g in kept
        ]
        not_guarantees = [{"party": n.party, "debtor": n.debtor, "kind": n.kind} for n in nots]

    result = {
        "doc_type": doc_type,
        "case_number": case_number,
        "authority": authority,
        "date": None if passage else table_date or find_date(norm),  # a fact passage has no signature
        "cause": cause,
        "parties": parties,
        "amounts": amounts,
        "guarantees": guarantees,
        "not_guarantees": not_guarantees,
        "outcome": outcome,
        "doc_title": head.title,
        "representatives": [r.__dict__ for r in block.representatives],
        "agents": [r.__dict__ for r in block.agents],
    }
    return Extraction.model_validate(result).model_dump()


def extract(text: str) -> dict[str, Any]:
    """Return the extraction dict (output contract) for a document's text; never raises."""
    if not isinstance(text, str) or not text.strip():
        return empty_result()
    try:
        return _extract(text)
    except Exception:  # a malformed document must not stop a batch
        log.exception("extraction failed; returning an empty result")
        return empty_result()


def extract_file(path: str | Path) -> dict[str, Any]:
    """Return the extraction dict for a .txt (UTF-8/GBK), .docx or HTML file.

    Raises ``UnreadableFileError`` (a ``ValueError``) if the file cannot be read.
    """
    return extract(read_text(path))
