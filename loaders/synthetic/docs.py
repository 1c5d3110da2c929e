"""Negative records of the synthetic county and Chinese documents (判决书, 裁定书, 处罚决定书) for some."""

from __future__ import annotations

from typing import Any

import numpy as np

from guanxi.loaders.synthetic import names as nm
from guanxi.loaders.synthetic.bank import Party, Planter, ref
from guanxi.loaders.synthetic.people import ymd_parts

SOURCES = {"被执行人": "中国执行信息公开网", "失信被执行人": "中国执行信息公开网", "判决被告": "中国裁判文书网",
           "行政处罚": "信用中国", "公安处罚": "祁门县公安局", "车辆违法": "交管12123", "严重疾病": "医保结算"}
DOC_KINDS = ("判决被告", "被执行人", "行政处罚", "公安处罚")


def _pick(rng: np.random.Generator, kinds: list[str], p: list[float]) -> str:
    w = np.array(p)
    return kinds[int(rng.choice(len(kinds), p=w / w.sum()))]


def build_records(pl: Planter) -> None:
    """Add negative records (some on borrowers/guarantors, some dated after the loan start)."""
    rng, pop, b = pl.rng, pl.pop, pl.bank
    involved: dict[Party, list[int]] = {}
    for li, ln in enumerate(b.loans):
        involved.setdefault(ln.party, []).append(li)
    for g in b.guarantees:
        involved.setdefault(g.party, []).append(g.loan)
    guarantors_of: dict[int, list[Party]] = {}
    for g in b.guarantees:
        guarantors_of.setdefault(g.loan, []).append(g.party)
    planted = sorted({li for c in pl.plan_data["circles"] for li in c["loans"]}
                     | {li for ls in pl.plan_data["chain_loans"] for li in ls})
    n = pl.n(600, 24)
    recs: list[dict[str, Any]] = []
    n_loan = int(n * 0.4)
    for i in range(n_loan):
        li = int(rng.choice(planted)) if (i % 3 == 0 and planted) else int(rng.integers(0, len(b.loans)))
        ln = b.loans[li]
        gs = guarantors_of.get(li, [])
        subject: Party = ln.party if (not gs or rng.random() < 0.5) else gs[int(rng.integers(0, len(gs)))]
        if subject[0] == "person":
            kind = _pick(rng, ["被执行人", "失信被执行人", "判决被告", "行政处罚", "公安处罚", "严重疾病"],
                         [0.3, 0.15, 0.3, 0.1, 0.1, 0.05])
        else:
            kind = _pick(rng, ["被执行人", "失信被执行人", "判决被告", "行政处罚"], [0.35, 0.15, 0.35, 0.15])
        room = pop.as_of_day - ln.start
        if room > 40 and (i % 2 == 0):
            day = ln.start + int(rng.integers(30, room))
        else:
            day = ln.start - int(rng.integers(30, 900))
        # a court case about this loan only after it started; earlier records are other disputes
        doc_loan = li if day > ln.start + 30 else None
        if doc_loan is not None and kind in ("被执行人", "失信被执行人", "判决被告") and ln.cls in ("正常", "关注"):
            # a court case about the loan: it is no longer performing
            ln.cls, ln.overdue = "次级", int(rng.integers(91, 181))
            ln.balance = max(ln.balance, ln.amount // 2)
        recs.append({"subject": subject, "kind": kind, "day": day, "loan": doc_loan, "on_loan": True})
    p_free = np.flatnonzero(~b.p_busy & (pop.p_age >= 18))
    p_free = np.array([p for p in p_free.tolist() if ("person", p) not in involved], np.int64)
    c_free = [c for c in range(len(pop.c_uscc)) if not b.c_busy[c] and ("company", c) not in involved]
    for _ in range(n - n_loan):
        if c_free and rng.random() < 0.2:
            subject = ("company", c_free[int(rng.integers(0, len(c_free)))])
            kind = _pick(rng, ["行政处罚", "被执行人", "判决被告", "失信被执行人"], [0.5, 0.2, 0.2, 0.1])
        else:
            subject = ("person", int(p_free[int(rng.integers(0, len(p_free)))]))
            kind = _pick(rng, ["车辆违法", "公安处罚", "行政处罚", "判决被告", "被执行人", "严重疾病", "失信被执行人"],
                         [0.3, 0.2, 0.1, 0.15, 0.1, 0.1, 0.05])
        day = pop.as_of_day - int(rng.integers(5, 1100))
        recs.append({"subject": subject, "kind": kind, "day": day, "loan": None, "on_loan": False})
    order = np.argsort(np.array([r["day"] for r in recs]), kind="stable")
    recs = [recs[i] for i in order.tolist()]
    n_doc = 0
    for k, r in enumerate(recs):
        r["record_id"] = f"NR{k + 1:07d}"
        kind = r["kind"]
        li = r["loan"]
        if kind in ("被执行人", "失信被执行人", "判决被告"):
            base = b.loans[li].amount / 100 * float(rng.uniform(0.5, 1.0)) if li is not None else \
                float(np.exp(rng.normal(np.log(60000), 0.9)))
            r["amount"] = round(base, 2)
        elif kind == "行政处罚":
            r["amount"] = float(round(float(np.exp(rng.normal(np.log(10000), 1.0))), -2))
        elif kind == "公安处罚":
            r["amount"] = float(rng.choice([200, 500, 1000]))
        elif kind == "车辆违法":
            r["amount"] = float(rng.choice([100, 150, 200]))
        else:
            r["amount"] = None
        r["source"] = SOURCES[kind]
        r["document_id"] = None
        if kind in DOC_KINDS and rng.random() < 0.55:
            n_doc += 1
            r["document_id"] = f"DOC{n_doc:06d}"
    b.records = recs
    pl.guarantors_of = guarantors_of


# ----- documents ---------------------------------------------------------------------------------

def _addr(pl: Planter, party: Party) -> str:
    pop = pl.pop
    if party[0] == "person":
        return nm.PROVINCE + nm.CITY + nm.COUNTY + pop.hh_addr[int(pop.p_hh[party[1]])]
    return nm.PROVINCE + nm.CITY + pop.c_addr[party[1]]


def _pname(pl: Planter, party: Party) -> str:
    pop = pl.pop
    return str(pop.p_name[party[1]]) if party[0] == "person" else pop.c_name[party[1]]


def _describe(pl: Planter, party: Party, role: str) -> str:
    pop = pl.pop
    if party[0] == "person":
        p = party[1]
        y, m, d = (int(x[0]) for x in ymd_parts(np.array([pop.p_birth[p]])))
        pid = str(pop.p_id[p])
        sex = "男" if pop.p_male[p] else "女"
        return (f"{role}：{pop.p_name[p]}，{sex}，{y}年{m}月{d}日出生，汉族，住{_addr(pl, party)}，"
                f"公民身份号码{pid[:4]}**********{pid[-4:]}。")
    c = party[1]
    rep = str(pop.p_name[pop.c_rep[c]])
    return (f"{role}：{pop.c_name[c]}，统一社会信用代码{pop.c_uscc[c]}，住所地{_addr(pl, party)}。\n"
            f"法定代表人：{rep}，该公司负责人。")


def _date(day: int) -> tuple[int, int, int]:
    y, m, d = ymd_parts(np.array([day]))
    return int(y[0]), int(m[0]), int(d[0])


def _money(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def write_documents(pl: Planter, rng: np.random.Generator) -> dict[str, tuple[str, list[str]]]:
    """Return document_id → (text, party refs) for every record that has a document."""
    out: dict[str, tuple[str, list[str]]] = {}
    pop, b = pl.pop, pl.bank
    branch_names = [f"{nm.BANK_LEGAL}{t[:-1]}支行" for t in pop.towns]
    judges = nm.person_names(rng, rng.random(40) < 0.5).tolist()
    for r in b.records:
        did = r["document_id"]
        if did is None:
            continue
        subject: Party = r["subject"]
        y, m, d = _date(r["day"])
        kind = r["kind"]
        case_no = int(rng.integers(100, 3000))
        if kind in ("判决被告", "被执行人"):
            if r["loan"] is not None:
                ln = b.loans[r["loan"]]
                defendants = [ln.party, *[g for g in pl.guarantors_of.get(r["loan"], []) if g != ln.party]]
                town = int(pop.grid_town[pop.hh_grid[pop.p_hh[ln.party[1] if ln.party[0] == "person" else pop.c_rep[ln.party[1]]]]])
                plaintiff_name = branch_names[town]
                plaintiff_desc = (f"原告：{plaintiff_name}，住所地{nm.PROVINCE}{nm.CITY}{nm.COUNTY}{pop.towns[town]}。\n"
                                  f"负责人：{judges[int(rng.integers(0, 40))]}，该行行长。")
                plaintiff_party: Party | None = None
                cause = "金融借款合同纠纷"
                sy, sm, sd = _date(ln.start)
                principal = float(r["amount"] or ln.amount / 100)
                facts = (f"{sy}年{sm}月{sd}日，被告{_pname(pl, ln.party)}向原告借款{_money(ln.amount / 100)}元，"
                         f"借款期限{ln.term_days // 365}年。")
                for g in defendants[1:]:
                    facts += f"被告{_pname(pl, g)}为该笔借款提供连带责任保证。"
            else:
                defendants = [subject]
                pp = int(rng.integers(0, len(pop.p_id)))
                while pp == subject[1] and subject[0] == "person":
                    pp = int(rng.integers(0, len(pop.p_id)))
                plaintiff_party = ("person", pp)
                plaintiff_name = str(pop.p_name[pp])
                plaintiff_desc = _describe(pl, plaintiff_party, "原告")
                cause = "民间借贷纠纷"
                principal = float(r["amount"])
                facts = (f"被告{_pname(pl, subject)}因经营需要向原告借款{_money(principal)}元，"
                         f"约定月利率1%，到期后经原告多次催要未还。")
            names = "、".join(_pname(pl, x) for x in defendants)
            parties = [ref(pop, x) for x in defendants]
            if plaintiff_party is not None:
                parties.insert(0, ref(pop, plaintiff_party))
            if kind == "判决被告":
                text = _judgment(pl, y, m, d, case_no, plaintiff_name, plaintiff_desc, defendants, names,
                                 cause, facts, principal, judges, rng)
            else:
                text = _execution(pl, y, m, d, case_no, plaintiff_name, plaintiff_desc, defendants,
                                  names, cause, principal, judges, rng)
        elif kind == "行政处罚":
            parties = [ref(pop, subject)]
            text = _admin_penalty(pl, y, m, d, case_no, subject, float(r["amount"]), rng)
        else:
            parties = [ref(pop, subject)]
            text = _police_penalty(pl, y, m, d, case_no, subject, float(r["amount"]), rng)
        out[did] = (text, parties)
    return out


def _judgment(pl: Planter, y: int, m: int, d: int, case_no: int, plaintiff: str, plaintiff_desc: str,
              defendants: list[Party], names: str, cause: str, facts: str, principal: float,
              judges: list[str], rng: np.random.Generator) -> str:
    interest = round(principal * float(rng.uniform(0.03, 0.09)), 2)
    fee = round(principal * 0.012 + 50)
    ly, lm, ld = y, max(1, m - 2), min(d, 28)
    lines = [nm.COURT, "民 事 判 决 书", f"（{y}）{nm.COURT_CODE}民初{case_no}号", plaintiff_desc]
    lines += [_describe(pl, x, "被告") for x in defendants]
    first = _pname(pl, defendants[0])
    lines += [
        f"原告{plaintiff}与被告{names}{cause}一案，本院于{ly}年{lm}月{ld}日立案后，依法适用简易程序，"
        "公开开庭进行了审理。被告经本院传票传唤，无正当理由拒不到庭参加诉讼。本案现已审理终结。",
        f"原告向本院提出诉讼请求：1.判令被告{first}偿还借款本金{_money(principal)}元及利息；"
        + (f"2.判令被告{'、'.join(_pname(pl, g) for g in defendants[1:])}对上述债务承担连带清偿责任；"
           if len(defendants) > 1 else "") + "3.本案诉讼费用由被告承担。事实和理由：" + facts
        + "借款到期后，被告未按约偿还。",
        "被告未作答辩。",
        "本院认为，原告与被告之间的借款关系合法有效，被告未按约还款，应承担还款责任。保证人应当依约承担保证责任。",
        "依照《中华人民共和国民法典》第六百七十四条、第六百七十六条、第六百八十八条之规定，判决如下：",
        f"一、被告{first}于本判决生效之日起十日内偿还原告{plaintiff}借款本金{_money(principal)}元、"
        f"利息{_money(interest)}元；",
    ]
    nums = "二三四五六七八九十"
    for i, g in enumerate(defendants[1:]):
        lines.append(f"{nums[i]}、被告{_pname(pl, g)}对上述第一项债务承担连带清偿责任；")
    lines += [
        f"{nums[len(defendants) - 1]}、驳回原告的其他诉讼请求。",
        f"案件受理费{fee}元（大写：{nm.cn_money(fee)}），由被告{first}负担。",
        "如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，上诉于安徽省黄山市中级人民法院。",
        f"审判员　{judges[int(rng.integers(0, len(judges)))]}",
        nm.cn_date(y, m, d),
        f"书记员　{judges[int(rng.integers(0, len(judges)))]}",
    ]
    return "\n".join(lines) + "\n"


def _execution(pl: Planter, y: int, m: int, d: int, case_no: int, applicant: str, applicant_desc: str,
               debtors: list[Party], names: str, cause: str, principal: float, judges: list[str],
               rng: np.random.Generator) -> str:
    done = round(principal * float(rng.uniform(0.0, 0.3)), 2)
    lines = [nm.COURT, "执 行 裁 定 书", f"（{y}）{nm.COURT_CODE}执{case_no}号",
             applicant_desc.replace("原告：", "申请执行人：")]
    lines += [_describe(pl, x, "被执行人") for x in debtors]
    lines += [
        f"申请执行人{applicant}与被执行人{names}{cause}一案，本院作出的（{y - 1}）{nm.COURT_CODE}民初"
        f"{int(rng.integers(100, 3000))}号民事判决书已经发生法律效力。因被执行人未履行生效法律文书确定的义务，"
        f"申请执行人向本院申请强制执行，执行标的{_money(principal)}元。",
        f"本案执行过程中，本院通过网络执行查控系统对被执行人的存款、车辆、不动产等财产进行了查询，"
        f"已执行到位{_money(done)}元。本院已对被执行人{names}采取限制消费措施。经穷尽财产调查措施，"
        "未发现被执行人有其他可供执行的财产。",
        "依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百一十七条规定，裁定如下：",
        "终结本次执行程序。",
        "申请执行人发现被执行人有可供执行财产的，可以再次申请执行。",
        "本裁定送达后立即生效。",
        f"审判员　{judges[int(rng.integers(0, len(judges)))]}",
        nm.cn_date(y, m, d),
        f"书记员　{judges[int(rng.integers(0, len(judges)))]}",
    ]
    return "\n".join(lines) + "\n"


def _admin_penalty(pl: Planter, y: int, m: int, d: int, case_no: int, subject: Party, fine: float,
                   rng: np.random.Generator) -> str:
    pop = pl.pop
    who = _pname(pl, subject)
    if subject[0] == "company":
        c = subject[1]
        head = [f"当事人：{who}", "主体资格证照名称：营业执照", f"统一社会信用代码：{pop.c_uscc[c]}",
                f"住所：{_addr(pl, subject)}", f"法定代表人：{pop.p_name[pop.c_rep[c]]}"]
    else:
        pid = str(pop.p_id[subject[1]])
        head = [f"当事人：{who}", f"身份证号码：{pid[:4]}**********{pid[-4:]}", f"住所：{_addr(pl, subject)}"]
    gain = round(fine * float(rng.uniform(0.2, 0.6)), 2)
    lines = ["祁门县市场监督管理局", "行政处罚决定书", f"祁市监处罚〔{y}〕{case_no}号", *head,
             f"{y}年{max(1, m - 1)}月{min(d, 28)}日，本局执法人员根据投诉举报线索，对当事人经营场所进行检查，"
             f"发现当事人销售的茶叶产品标签不符合食品安全标准。经查，当事人违法所得{_money(gain)}元。",
             "以上事实，有现场笔录、询问笔录、销售记录等证据证明。",
             "本局认为，当事人的行为违反了《中华人民共和国食品安全法》第六十七条的规定。依据《中华人民共和国食品安全法》"
             "第一百二十五条的规定，本局决定对当事人作出如下行政处罚：",
             f"1.没收违法所得{_money(gain)}元；", f"2.罚款{_money(fine)}元。",
             "当事人应当自收到本处罚决定书之日起十五日内，将罚没款缴至指定银行。",
             "当事人如对本处罚决定不服，可以在收到本处罚决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。",
             "祁门县市场监督管理局", f"{y}年{m}月{d}日"]
    return "\n".join(lines) + "\n"


def _police_penalty(pl: Planter, y: int, m: int, d: int, case_no: int, subject: Party, fine: float,
                    rng: np.random.Generator) -> str:
    pop = pl.pop
    p = subject[1]
    by, bm, bd = _date(int(pop.p_birth[p]))
    pid = str(pop.p_id[p])
    sex = "男" if pop.p_male[p] else "女"
    station = pop.towns[int(pop.grid_town[pop.hh_grid[pop.p_hh[p]]])][:2]
    name = str(pop.p_name[p])
    days = int(rng.choice([0, 5, 10]))
    decision = (f"现决定对{name}行政拘留{days}日，并处罚款{_money(fine)}元。" if days
                else f"现决定对{name}处罚款{_money(fine)}元。")
    lines = ["祁门县公安局", "行政处罚决定书", f"祁公（{station}）行罚决字〔{y}〕{case_no}号",
             f"违法行为人：{name}，{sex}，{by}年{bm}月{bd}日出生，身份证件种类及号码：居民身份证 "
             f"{pid[:4]}**********{pid[-4:]}，现住址：{_addr(pl, subject)}。",
             f"现查明：{y}年{max(1, m - 1)}月{min(d, 28)}日，违法行为人{name}在{station}某饭店内因琐事与他人发生争执，"
             "并殴打他人，致人轻微伤。",
             "以上事实有违法行为人陈述和申辩、被侵害人陈述、证人证言等证据证实。",
             "根据《中华人民共和国治安管理处罚法》第四十三条第一款之规定，" + decision,
             "如不服本决定，可以在收到本决定书之日起六十日内向黄山市公安局申请行政复议或者在六个月内依法向祁门县人民法院提起行政诉讼。",
             "祁门县公安局", f"{y}年{m}月{d}日"]
    return "\n".join(lines) + "\n"
