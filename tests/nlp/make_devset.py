"""Write the NLP dev set (tests/nlp/devset/NNN_name.{txt,json,docx,html}).

The documents are written for the project in the layout of public judgments, rulings,
enforcement rulings and penalty decisions; every name, number and address is invented and
masked the way public documents mask them. Gold answers come from the parameters each document
is written from, never from the extractor. Run: ``python tests/nlp/make_devset.py``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).parent / "devset"
R = random.Random(20240607)

SUR = list("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶贺顾毛郝龚邵")
GIVEN = ["建国", "秀英", "志强", "丽华", "海燕", "国庆", "春梅", "永刚", "玉兰", "德明", "红霞", "立新", "桂芝", "文斌", "淑珍"]
COURTS = [
    ("吉", "吉林省", "长春市", "朝阳区", "0104"), ("皖", "安徽省", "合肥市", "蜀山区", "0104"),
    ("苏", "江苏省", "苏州市", "常熟市", "0581"), ("浙", "浙江省", "金华市", "义乌市", "0782"),
    ("鲁", "山东省", "临沂市", "兰山区", "1302"), ("豫", "河南省", "周口市", "川汇区", "1602"),
    ("湘", "湖南省", "长沙市", "浏阳市", "0181"), ("川", "四川省", "成都市", "武侯区", "0107"),
    ("黔", "贵州省", "遵义市", "汇川区", "0303"), ("赣", "江西省", "赣州市", "章贡区", "0702"),
    ("冀", "河北省", "邢台市", "信都区", "0502"), ("晋", "山西省", "太原市", "小店区", "0105"),
    ("桂", "广西壮族自治区", "南宁市", "青秀区", "0103"), ("闽", "福建省", "泉州市", "晋江市", "0582"),
    ("粤", "广东省", "佛山市", "顺德区", "0606"), ("黑", "黑龙江省", "哈尔滨市", "南岗区", "0103"),
    ("辽", "辽宁省", "沈阳市", "和平区", "0102"), ("鄂", "湖北省", "宜昌市", "西陵区", "0502"),
    ("陕", "陕西省", "西安市", "雁塔区", "0113"), ("云", "云南省", "曲靖市", "麒麟区", "0302"),
    ("甘", "甘肃省", "天水市", "秦州区", "0502"), ("蒙", "内蒙古自治区", "赤峰市", "红山区", "0402"),
]
WORDS = ["鑫源", "华盛", "恒通", "宏达", "金利", "聚丰", "天成", "永安", "瑞祥", "博远", "兴旺", "佳和"]
INDS = ["商贸", "建材", "农业科技", "食品", "物流", "机械制造", "建筑工程", "农资", "电子科技", "纺织"]
CN = "〇一二三四五六七八九"


def court_name(c: tuple[str, str, str, str, str]) -> str:
    _, prov, city, area, _code = c
    if area.endswith("市"):
        return f"{prov}{area}人民法院"
    return f"{prov}{city}{area}人民法院"


def iso(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


def cn_small(n: int) -> str:
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n - 10] if n > 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


def cn_date(y: int, m: int, d: int, zero: str = "〇") -> str:
    return "".join(CN[int(c)] for c in str(y)).replace("〇", zero) + f"年{cn_small(m)}月{cn_small(d)}日"


def fw(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


def person(masked: str = "some") -> str:
    s = R.choice(SUR)
    style = R.choice(["某", "某某", "某1", "×", "full"]) if masked == "some" else masked
    if style == "full":
        return s + R.choice(GIVEN)
    return s + style


def company(city: str) -> str:
    return f"{city[:-1]}{R.choice(WORDS)}{R.choice(INDS)}有限公司"


def bank(c: tuple[str, str, str, str, str]) -> str:
    _, _prov, city, area, _ = c
    return R.choice([
        f"中国农业银行股份有限公司{city[:-1]}{area[:-1]}支行",
        f"{area[:-1]}农村商业银行股份有限公司",
        f"中国邮政储蓄银行股份有限公司{city[:-1]}市分行",
        f"{area[:-1]}农村信用合作联社",
        f"{city[:-1]}{area[:-1]}村镇银行股份有限公司",
    ])


def money(v: float, style: str) -> str:
    if style == "plain":
        return f"{v:.2f}".rstrip("0").rstrip(".") + "元"
    if style == "comma":
        return f"{v:,.2f}".replace(".00", "") + "元"
    if style == "wan" and v % 100 == 0:
        return f"{v / 10000:g}万元"
    if style == "fw":
        return fw(f"{v:.2f}".rstrip("0").rstrip(".")) + "元"
    return f"{v:.2f}".rstrip("0").rstrip(".") + "元"


def person_para(role: str, name: str, c: tuple[str, str, str, str, str]) -> tuple[str, dict[str, str]]:
    sex = R.choice("男女")
    y, m, d = R.randint(1955, 1995), R.randint(1, 12), R.randint(1, 28)
    idpart = f"{R.randint(11, 65)}{R.randint(10, 99)}**********{R.randint(1000, 9999)}"
    fmt = R.choice([
        f"{role}：{name}，{sex}，{y}年{m}月{d}日出生，汉族，住{c[1]}{c[2]}{c[3]}某街道{R.randint(1, 99)}号。",
        f"{role}：{name}，{sex}，{y}年{m}月{d}日生，汉族，农民，住{c[2]}{c[3]}某村某组。公民身份号码{idpart}。",
        f"{role}：{name}，{sex}，汉族，{y}年{m}月{d}日出生，身份证号码：{idpart}，住{c[1]}{c[3]}。",
    ])
    return fmt, {"name": name, "role": role, "kind": "person"}


def org_para(role: str, name: str, c: tuple[str, str, str, str, str], rep: str = "法定代表人") -> tuple[str, dict[str, str], str]:
    uscc = "91" + "".join(R.choice("0123456789") for _ in range(6)) + "MA" + "".join(R.choice("0123456789ABCDEFGHJK") for _ in range(8))
    rep_name = person("full" if R.random() < 0.4 else "某")
    lines = R.choice([
        f"{role}：{name}，住所地{c[1]}{c[2]}{c[3]}{R.choice(['人民路', '建设大街', '解放路'])}{R.randint(1, 300)}号。统一社会信用代码：{uscc}。\n{rep}：{rep_name}，{'行长' if '行' in name or '社' in name else '总经理'}。",
        f"{role}：{name}，统一社会信用代码{uscc}，住所{c[2]}{c[3]}。\n{rep}：{rep_name}，该{'行' if '行' in name else '公司'}{'负责人' if rep == '负责人' else '执行董事'}。",
    ])
    return lines, {"name": name, "role": role, "kind": "organization"}, rep_name


def agent_para(firm_city: str) -> tuple[str, str]:
    a = person("某")
    return f"委托诉讼代理人：{a}，{firm_city}某某律师事务所律师。", a


def write(n: int, name: str, text: str, gold: dict, enc: str = "utf-8", fmt: str = "txt") -> None:
    base = OUT / f"{n:03d}_{name}"
    if fmt == "txt":
        base.with_suffix(".txt").write_bytes(text.encode(enc))
    elif fmt == "html":
        paras = "".join(f'<div style="TEXT-ALIGN: left; LINE-HEIGHT: 25pt; FONT-FAMILY: 仿宋">{p}</div>\n' for p in text.split("\n"))
        html = f"<html><head><meta charset=\"utf-8\"><title>{gold.get('doc_title', '')}</title><script>var x=1;</script></head><body>\n{paras}</body></html>\n"
        base.with_suffix(".html").write_text(html, encoding="utf-8")
    elif fmt == "docx":
        import docx

        d = docx.Document()
        for p in text.split("\n"):
            d.add_paragraph(p)
        d.save(str(base.with_suffix(".docx")))
    full = {"doc_type": None, "case_number": None, "authority": None, "date": None, "cause": None,
            "parties": [], "amounts": [], "guarantees": [], "outcome": []}
    full.update({k: v for k, v in gold.items() if k != "doc_title"})
    base.with_suffix(".json").write_text(json.dumps(full, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# ---- document families ---------------------------------------------------------------------

def bank_loan(n: int, c, cause="金融借款合同纠纷", n_guar=2, mortgage=True, style="plain", zero="〇", spaced=True, oneline=False, enc="utf-8", fmt="txt", guar_in_one_item=False):
    year = R.randint(2015, 2022)
    case = f"（{year}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号"
    court = court_name(c)
    b = bank(c)
    debtor = person()
    guars = []
    for i in range(n_guar):
        guars.append(company(c[2]) if (i == 0 and R.random() < 0.6) else person())
    # avoid duplicate names
    guars = [g if g != debtor else g + "2" for g in guars]
    mort = person() if mortgage else None
    if mort in guars or mort == debtor:
        mort = (mort or "") + "3"
    parts = []
    gold_parties = []
    bp, gp, _ = org_para("原告", b, c, rep="负责人")
    parts.append(bp)
    gold_parties.append(gp)
    ag, _ = agent_para(c[2])
    parts.append(ag)
    pp, gp = person_para("被告", debtor, c)
    parts.append(pp)
    gold_parties.append(gp)
    for g in guars:
        if g.endswith("公司"):
            op, gp, _ = org_para("被告", g, c)
        else:
            op, gp = person_para("被告", g, c)
        parts.append(op)
        gold_parties.append(gp)
    if mort:
        pp, gp = person_para("被告", mort, c)
        parts.append(pp)
        gold_parties.append(gp)
    defs = "、".join([debtor, *guars] + ([mort] if mort else []))
    principal = R.choice([50000, 80000, 100000, 150000, 200000, 300000, 500000, 1000000, 1250000])
    interest = round(R.uniform(1000, 60000), 2)
    pen = round(R.uniform(100, 9000), 2)
    fee = round(R.uniform(800, 15000))
    alias = R.choice(["农商行", "农行", "邮储银行", "信用联社", "村镇银行"])
    gdesc = []
    for g in guars:
        gdesc.append(R.choice([
            f"被告{g}为该笔借款提供连带责任保证。",
            f"同日，被告{g}与原告签订《保证合同》，约定为上述借款提供连带责任保证，保证期间为主债务履行期限届满之日起两年。",
        ]))
    mdesc = f"被告{mort}以其名下位于{c[2]}{c[3]}的房产为上述借款提供抵押担保，并办理了抵押登记。" if mort else ""
    sign_date = (year, R.randint(1, 12), R.randint(1, 28))
    body = f"""原告{b}（以下简称{alias}）与被告{defs}{cause}一案，本院于{year}年{R.randint(1, 3)}月{R.randint(1, 28)}日立案后，依法适用简易程序，公开开庭进行了审理。原告的委托诉讼代理人到庭参加诉讼，被告经本院传票传唤，无正当理由拒不到庭参加诉讼。本案现已审理终结。
{alias}向本院提出诉讼请求：1.判令被告{debtor}偿还借款本金{principal}元及利息、罚息、复利；2.判令其余被告承担连带清偿责任；3.本案诉讼费用由被告承担。事实和理由：{year - 2}年{R.randint(1, 12)}月{R.randint(1, 28)}日，被告{debtor}向原告借款{principal // 10000 if principal % 10000 == 0 else principal}{'万元' if principal % 10000 == 0 else '元'}，借款期限一年。{''.join(gdesc)}{mdesc}借款到期后，被告未按约偿还。
被告未作答辩。
本院经审理认定事实如下：原告与被告{debtor}签订的《借款合同》系双方真实意思表示，合法有效。
本院认为，原告依约发放了贷款，被告{debtor}未按约还款，应承担还款责任。保证人应当依约承担保证责任。
依照《中华人民共和国民法典》第六百七十四条、第六百七十六条、第六百八十八条，《中华人民共和国民事诉讼法》第一百四十七条之规定，判决如下："""
    items = [f"被告{debtor}于本判决生效之日起十日内偿还原告{b}借款本金{money(principal, style)}、利息{money(interest, 'plain' if style == 'wan' else style)}、罚息及复利{money(pen, 'plain' if style == 'wan' else style)}（计算至{year}年{R.randint(1, 12)}月{R.randint(1, 28)}日，此后按合同约定计算至实际清偿之日止）；"]
    gold_g = []
    if guar_in_one_item and len(guars) > 1:
        items.append(f"被告{'、'.join(guars)}对上述第一项债务承担连带清偿责任，其承担保证责任后，有权向被告{debtor}追偿；")
    else:
        for g in guars:
            items.append(f"被告{g}对上述第一项债务承担连带清偿责任；")
    for g in guars:
        gold_g.append({"guarantor": g, "debtor": debtor, "creditor": b, "type": "连带责任保证", "liable": True})
    if mort:
        items.append(f"原告{b}有权对被告{mort}名下抵押的房产折价或者以拍卖、变卖该财产所得的价款在第一项债务范围内优先受偿；")
        gold_g.append({"guarantor": mort, "debtor": debtor, "creditor": b, "type": "抵押", "liable": True})
    items.append("驳回原告的其他诉讼请求。")
    nums = "一二三四五六七八九"
    out_txt = "\n".join(f"{nums[i]}、{it}" for i, it in enumerate(items))
    half = R.random() < 0.5
    fee_txt = f"案件受理费{money(fee, 'plain')}，减半收取计{money(fee / 2, 'plain')}，由被告{debtor}、{'、'.join(guars)}负担。" if half else f"案件受理费{money(fee, 'comma')}（大写：{'人民币' if R.random() < .5 else ''}{big(fee)}），由被告{debtor}负担。"
    title = "民 事 判 决 书" if spaced else "民事判决书"
    staff = f"审判员　{person('full')}" if R.random() < .5 else f"审　判　长　{person('full')}\n审　判　员　{person('full')}\n人民陪审员　{person('full')}"
    text = f"""{court}
{title}
{case}
{chr(10).join(parts)}
{body}
{out_txt}
如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十条之规定，加倍支付迟延履行期间的债务利息。
{fee_txt}
如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按照对方当事人或者代表人的人数提出副本，上诉于{c[1]}{c[2]}中级人民法院。
{staff}
{cn_date(*sign_date, zero=zero)}
法官助理　{person('某')}
书　记　员　{person('某')}"""
    if oneline:
        text = text.replace("\n", "")
    amounts = [{"value": float(principal), "type": "principal"}, {"value": interest, "type": "interest"},
               {"value": pen, "type": "penalty_interest"}, {"value": float(fee), "type": "fee"}]
    if half:
        amounts.append({"value": fee / 2, "type": "fee"})
    gold = {"doc_type": "judgment", "case_number": case, "authority": court,
            "date": iso(*sign_date), "cause": cause, "parties": gold_parties,
            "amounts": amounts, "guarantees": gold_g, "outcome": items}
    write(n, "bank_loan", text, gold, enc=enc, fmt=fmt)


DIG = "零壹贰叁肆伍陆柒捌玖"


def big(v: float) -> str:
    v = round(v)
    units = ["", "拾", "佰", "仟"]
    def four(x: int) -> str:
        s = ""
        zero = False
        for i in range(3, -1, -1):
            d = x // (10 ** i) % 10
            if d:
                if zero and s:
                    s += "零"
                s += DIG[d] + units[i]
                zero = False
            else:
                zero = True
        return s
    hi, lo = divmod(v, 10000)
    s = ""
    if hi:
        s += four(hi) + "万"
        if lo and lo < 1000:
            s += "零"
    s += four(lo)
    return s + "元整"


def private_loan(n: int, c, guarantor=True, style="wan", enc="utf-8"):
    year = R.randint(2016, 2023)
    case = f"（{year}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号"
    court = court_name(c)
    lender, borrower = person(), person()
    if borrower == lender:
        borrower += "1"
    g = person() if guarantor else None
    if g in (lender, borrower):
        g = (g or "") + "2"
    parts, gp = [], []
    for role, nm in [("原告", lender), ("被告", borrower)] + ([("被告", g)] if g else []):
        p, gg = person_para(role, nm, c)
        parts.append(p)
        gp.append(gg)
    principal = R.choice([30000, 50000, 80000, 120000, 200000])
    lawyer = R.choice([3000, 5000, 8000])
    fee = R.randint(300, 4000)
    gdesc = f"被告{g}在借条担保人处签字，约定承担连带保证责任。" if g else ""
    items = [f"被告{borrower}于本判决生效后十日内偿还原告{lender}借款{money(principal, style)}及利息（以{principal}元为基数，自{year - 1}年1月1日起按年利率12%计算至实际清偿之日止）；",
             f"被告{borrower}于本判决生效后十日内支付原告{lender}律师费{lawyer}元；"]
    gg = []
    if g:
        items.append(f"被告{g}对本判决第一、二项确定的债务承担连带清偿责任；")
        gg.append({"guarantor": g, "debtor": borrower, "creditor": lender, "type": "连带责任保证", "liable": True})
    items.append("驳回原告的其他诉讼请求。")
    d = (year, R.randint(1, 12), R.randint(1, 28))
    text = f"""{court}
民事判决书
{case}
{chr(10).join(parts)}
原告{lender}与被告{borrower}{'、' + g if g else ''}民间借贷纠纷一案，本院立案后，依法适用简易程序公开开庭进行了审理。原告{lender}到庭参加诉讼，被告{borrower}经传票传唤未到庭。本案现已审理终结。
原告{lender}向本院提出诉讼请求：判令被告偿还借款{principal}元及利息，并支付律师费{lawyer}元。事实与理由：{year - 2}年，被告{borrower}因经营需要向原告借款{principal // 10000}万元，并出具借条一份。{gdesc}后被告未按约还款。
本院认为，合法的借贷关系受法律保护。被告{borrower}向原告借款，有借条为证，应当按约归还。
依照《中华人民共和国民法典》第六百七十五条、第六百七十六条、第六百八十八条之规定，判决如下：
{chr(10).join(f'{"一二三四五六"[i]}、{it}' for i, it in enumerate(items))}
如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十条规定，加倍支付迟延履行期间的债务利息。
案件受理费{fee}元，由被告{borrower}负担。
如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，上诉于{c[1]}{c[2]}中级人民法院。
审判员　{person('full')}
{cn_date(*d, zero='○')}
书记员　{person('某')}"""
    amts = [{"value": float(principal), "type": "principal"}, {"value": float(lawyer), "type": "fee"}, {"value": float(fee), "type": "fee"}]
    gold = {"doc_type": "judgment", "case_number": case, "authority": court, "date": iso(*d),
            "cause": "民间借贷纠纷", "parties": gp, "amounts": amts, "guarantees": gg, "outcome": items}
    write(n, "private_loan", text, gold, enc=enc)


def recourse(n: int, c):
    year = R.randint(2017, 2023)
    case = f"（{year}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号"
    court = court_name(c)
    gco = f"{c[2][:-1]}{R.choice(WORDS)}融资担保有限公司"
    debtor_co = company(c[2])
    cg1, cg2 = person(), person()
    if cg2 == cg1:
        cg2 += "1"
    b = bank(c)
    parts, gp = [], []
    p, g, _ = org_para("原告", gco, c)
    parts += [p, agent_para(c[2])[0]]
    gp.append(g)
    p, g, _ = org_para("被告", debtor_co, c)
    parts.append(p)
    gp.append(g)
    for nm in (cg1, cg2):
        p, g = person_para("被告", nm, c)
        parts.append(p)
        gp.append(g)
    paid = round(R.uniform(200000, 2000000), 2)
    fee = R.randint(2000, 20000)
    items = [f"被告{debtor_co}于本判决生效之日起十日内向原告{gco}支付代偿款{money(paid, 'comma')}及利息（以{paid}元为基数，自代偿之日起按全国银行间同业拆借中心公布的贷款市场报价利率计算至实际清偿之日止）；",
             f"被告{cg1}、{cg2}对上述第一项债务承担连带清偿责任；",
             "驳回原告的其他诉讼请求。"]
    d = (year, R.randint(1, 12), R.randint(1, 28))
    text = f"""{court}
民事判决书
{case}
{chr(10).join(parts)}
原告{gco}与被告{debtor_co}、{cg1}、{cg2}追偿权纠纷一案，本院于{year}年{R.randint(1, 6)}月{R.randint(1, 28)}日立案后，依法适用普通程序，公开开庭进行了审理。本案现已审理终结。
原告{gco}向本院提出诉讼请求：1.判令被告{debtor_co}偿还原告代偿款{paid}元及利息；2.判令被告{cg1}、{cg2}承担连带清偿责任。事实与理由：被告{debtor_co}向{b}借款，原告{gco}为被告{debtor_co}在{b}的借款提供连带责任保证。被告{cg1}、{cg2}为原告{gco}提供反担保，承诺承担连带保证责任。借款到期后，被告{debtor_co}未还款，原告代为清偿{paid}元。
本院认为，保证人承担保证责任后，有权在其承担保证责任的范围内向债务人追偿。
依照《中华人民共和国民法典》第七百条之规定，判决如下：
{chr(10).join(f'{"一二三四"[i]}、{it}' for i, it in enumerate(items))}
案件受理费{fee}元，由被告{debtor_co}、{cg1}、{cg2}共同负担。
如不服本判决，可在判决书送达之日起十五日内向本院递交上诉状，上诉于{c[1]}{c[2]}中级人民法院。
审　判　长　{person('full')}
审　判　员　{person('full')}
审　判　员　{person('full')}
{cn_date(*d)}
书　记　员　{person('某')}"""
    gold = {"doc_type": "judgment", "case_number": case, "authority": court, "date": iso(*d),
            "cause": "追偿权纠纷", "parties": gp,
            "amounts": [{"value": paid, "type": "principal"}, {"value": float(fee), "type": "fee"}],
            "guarantees": [
                {"guarantor": gco, "debtor": debtor_co, "creditor": b, "type": "连带责任保证", "liable": None},
                {"guarantor": cg1, "debtor": debtor_co, "creditor": gco, "type": "连带责任保证", "liable": True},
                {"guarantor": cg2, "debtor": debtor_co, "creditor": gco, "type": "连带责任保证", "liable": True}],
            "outcome": items}
    write(n, "recourse", text, gold)


def sales(n: int, c, enc="utf-8"):
    year = R.randint(2016, 2023)
    case = f"（{year}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号"
    court = court_name(c)
    seller, buyer = company(c[2]), company(c[2])
    while buyer == seller:
        buyer = company(c[2])
    parts, gp = [], []
    for role, nm in (("原告", seller), ("被告", buyer)):
        p, g, _ = org_para(role, nm, c)
        parts.append(p)
        gp.append(g)
    parts.insert(1, agent_para(c[2])[0].replace("某某律师", "某律师"))
    goods = round(R.uniform(20000, 900000), 2)
    penalty = round(goods * 0.05, 2)
    fee = R.randint(500, 13000)
    items = [f"被告{buyer}于本判决生效之日起十日内支付原告{seller}货款{money(goods, 'comma')}；",
             f"被告{buyer}于本判决生效之日起十日内支付原告{seller}违约金{money(penalty, 'plain')}；",
             "驳回原告的其他诉讼请求。"]
    d = (year, R.randint(1, 12), R.randint(1, 28))
    text = f"""{court}
民事判决书
{case}
{chr(10).join(parts)}
原告{seller}与被告{buyer}买卖合同纠纷一案，本院于{year}年{R.randint(1, 6)}月{R.randint(1, 28)}日立案后，依法适用简易程序，公开开庭进行了审理。本案现已审理终结。
原告{seller}向本院提出诉讼请求：判令被告支付货款及违约金。被告{buyer}辩称，货物存在质量问题，不同意支付全部货款。
本院认为，原告依约供货，被告应当支付货款。
依照《中华人民共和国民法典》第五百七十七条、第六百二十六条之规定，判决如下：
{chr(10).join(f'{"一二三"[i]}、{it}' for i, it in enumerate(items))}
案件受理费{fee}元，由被告{buyer}负担。
如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，上诉于{c[1]}{c[2]}中级人民法院。
审判员　{person('full')}
{year}年{d[1]}月{d[2]}日
书记员　{person('某')}"""
    gold = {"doc_type": "judgment", "case_number": case, "authority": court, "date": iso(*d),
            "cause": "买卖合同纠纷", "parties": gp,
            "amounts": [{"value": goods, "type": "principal"}, {"value": penalty, "type": "penalty_interest"}, {"value": float(fee), "type": "fee"}],
            "guarantees": [], "outcome": items}
    write(n, "sales", text, gold, enc=enc)


def appeal(n: int, c, cause="保证合同纠纷"):
    year = R.randint(2017, 2023)
    mid = f"{c[0]}{c[4][:2]}"
    case = f"（{year}）{mid}民终{R.randint(100, 3999)}号"
    court = f"{c[1]}{c[2]}中级人民法院"
    app, resp = person(), bank(c)
    first = f"（{year - 1}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号"
    fee = R.randint(1000, 20000)
    lines = [f"上诉人（原审被告）：{app}，{R.choice('男女')}，{R.randint(1960, 1990)}年{R.randint(1, 12)}月{R.randint(1, 28)}日出生，汉族，住{c[2]}{c[3]}。",
             f"委托诉讼代理人：{person('某')}，{c[1][:2]}某律师事务所律师。",
             f"被上诉人（原审原告）：{resp}，住所地{c[2]}{c[3]}。",
             f"负责人：{person('full')}，该行行长。"]
    debtor = person()
    if debtor == app:
        debtor += "1"
    lines.append(f"原审被告：{debtor}，男，{R.randint(1960, 1990)}年{R.randint(1, 12)}月{R.randint(1, 28)}日出生，汉族，住{c[2]}。")
    d = (year, R.randint(1, 12), R.randint(1, 28))
    items = ["驳回上诉，维持原判。"]
    text = f"""{court}
民 事 判 决 书
{case}
{chr(10).join(lines)}
上诉人{app}因与被上诉人{resp}、原审被告{debtor}{cause}一案，不服{court_name(c)}{first}民事判决，向本院提起上诉。本院于{year}年{R.randint(1, 6)}月{R.randint(1, 28)}日立案后，依法组成合议庭进行了审理。本案现已审理终结。
{app}上诉请求：撤销一审判决，改判上诉人不承担保证责任。事实和理由：上诉人虽在保证合同上签字，但保证期间已经届满。
{resp}辩称，一审判决认定事实清楚，适用法律正确，请求驳回上诉。
一审法院认定事实：原审被告{debtor}向{resp}借款，上诉人{app}与{resp}签订《保证合同》，为该借款提供连带责任保证。
本院认为，上诉人的上诉请求不能成立，应予驳回。
依照《中华人民共和国民事诉讼法》第一百七十七条第一款第一项规定，判决如下：
驳回上诉，维持原判。
二审案件受理费{fee}元，由上诉人{app}负担。
本判决为终审判决。
审　判　长　{person('full')}
审　判　员　{person('full')}
审　判　员　{person('full')}
{cn_date(*d)}
书　记　员　{person('某')}"""
    gold = {"doc_type": "judgment", "case_number": case, "authority": court, "date": iso(*d),
            "cause": cause,
            "parties": [{"name": app, "role": "上诉人", "kind": "person"}, {"name": resp, "role": "被上诉人", "kind": "organization"},
                        {"name": debtor, "role": "原审被告", "kind": "person"}],
            "amounts": [{"value": float(fee), "type": "fee"}],
            "guarantees": [{"guarantor": app, "debtor": debtor, "creditor": resp, "type": "连带责任保证", "liable": None}],
            "outcome": items}
    write(n, "appeal", text, gold)


def withdraw_ruling(n: int, c, enc="utf-8"):
    year = R.randint(2016, 2023)
    case = f"（{year}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号"
    court = court_name(c)
    b, p = bank(c), person()
    fee = R.randint(400, 6000)
    d = (year, R.randint(1, 12), R.randint(1, 28))
    pp, gpp = person_para("被告", p, c)
    bp, gb, _ = org_para("原告", b, c, rep="负责人")
    text = f"""{court}
民 事 裁 定 书
{case}
{bp}
{pp}
原告{b}与被告{p}金融借款合同纠纷一案，本院于{year}年{R.randint(1, 6)}月{R.randint(1, 28)}日立案。原告{b}于{year}年{d[1]}月{max(1, d[2] - 1)}日向本院提出撤诉申请，理由是被告已偿还全部借款。
本院认为，原告撤诉的申请符合法律规定，应予准许。依照《中华人民共和国民事诉讼法》第一百四十八条第一款、第一百五十七条第一款第五项规定，裁定如下：
准许原告{b}撤诉。
案件受理费{fee}元，减半收取计{fee / 2:g}元，由原告{b}负担。
审判员　{person('full')}
{cn_date(*d)}
书记员　{person('某')}"""
    gold = {"doc_type": "ruling", "case_number": case, "authority": court, "date": iso(*d),
            "cause": "金融借款合同纠纷", "parties": [gb, gpp],
            "amounts": [{"value": float(fee), "type": "fee"}, {"value": fee / 2, "type": "fee"}],
            "guarantees": [], "outcome": [f"准许原告{b}撤诉。"]}
    write(n, "ruling_withdraw", text, gold, enc=enc)


def jurisdiction_ruling(n: int, c):
    year = R.randint(2016, 2023)
    case = f"（{year}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号之一"
    court = court_name(c)
    a, b2 = company(c[2]), company(c[2])
    while b2 == a:
        b2 = company(c[2])
    d = (year, R.randint(1, 12), R.randint(1, 28))
    pa, ga, _ = org_para("原告", a, c)
    pb, gb, _ = org_para("被告", b2, c)
    text = f"""{court}
民事裁定书
{case}
{pa}
{pb}
本院在审理原告{a}与被告{b2}买卖合同纠纷一案中，被告{b2}在提交答辩状期间对管辖权提出异议，认为本案应由被告住所地人民法院管辖。
本院经审查认为，双方合同约定由原告住所地人民法院管辖，该约定合法有效。
依照《中华人民共和国民事诉讼法》第三十五条、第一百三十条第一款规定，裁定如下：
驳回被告{b2}对本案管辖权提出的异议。
如不服本裁定，可以在裁定书送达之日起十日内，向本院递交上诉状，上诉于{c[1]}{c[2]}中级人民法院。
审判员　{person('full')}
{cn_date(*d)}
书记员　{person('某')}"""
    gold = {"doc_type": "ruling", "case_number": case, "authority": court, "date": iso(*d),
            "cause": "买卖合同纠纷", "parties": [ga, gb], "amounts": [], "guarantees": [],
            "outcome": [f"驳回被告{b2}对本案管辖权提出的异议。"]}
    write(n, "ruling_jurisdiction", text, gold)


def enforcement_end(n: int, c, enc="utf-8", fmt="txt"):
    year = R.randint(2017, 2023)
    case = f"（{year}）{c[0]}{c[4]}执{R.randint(100, 9999)}号"
    court = court_name(c)
    b = bank(c)
    co = company(c[2])
    p = person()
    target = round(R.uniform(50000, 3000000), 2)
    done = round(target * R.uniform(0, 0.3), 2)
    d = (year, R.randint(1, 12), R.randint(1, 28))
    bp, gb, _ = org_para("申请执行人", b, c, rep="负责人")
    cp, gc, _ = org_para("被执行人", co, c)
    pp, gpp = person_para("被执行人", p, c)
    text = f"""{court}
执 行 裁 定 书
{case}
{bp}
{cp}
{pp}
申请执行人{b}与被执行人{co}、{p}金融借款合同纠纷一案，本院作出的（{year - 1}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号民事判决书已经发生法律效力。因被执行人未履行生效法律文书确定的义务，申请执行人向本院申请强制执行，本院于{year}年{R.randint(1, 6)}月{R.randint(1, 28)}日立案执行，执行标的{money(target, 'comma')}。
本案执行过程中，本院通过网络执行查控系统对被执行人的存款、车辆、不动产、证券等财产进行了查询，已执行到位{money(done, 'plain')}。本院已对被执行人{p}采取限制消费措施，并将被执行人{co}、{p}纳入失信被执行人名单。经穷尽财产调查措施，未发现被执行人有其他可供执行的财产。申请执行人同意终结本次执行程序。
本院认为，本案暂无可供执行的财产，应当终结本次执行程序。依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百一十七条规定，裁定如下：
终结本次执行程序。
申请执行人发现被执行人有可供执行财产的，可以再次申请执行。
本裁定送达后立即生效。
审判长　{person('full')}
审判员　{person('full')}
执行员　{person('full')}
{cn_date(*d)}
书记员　{person('某')}"""
    amts = [{"value": target, "type": "total"}]
    if done:
        amts.append({"value": done, "type": "other"})
    gold = {"doc_type": "enforcement", "case_number": case, "authority": court, "date": iso(*d),
            "cause": "金融借款合同纠纷", "parties": [gb, gc, gpp], "amounts": amts, "guarantees": [],
            "outcome": ["终结本次执行程序。"]}
    write(n, "enforcement_end", text, gold, enc=enc, fmt=fmt)


def dishonest(n: int, c):
    year = R.randint(2017, 2023)
    case = f"（{year}）{c[0]}{c[4]}执{R.randint(100, 9999)}号"
    court = court_name(c)
    b = bank(c)
    p = person()
    d = (year, R.randint(1, 12), R.randint(1, 28))
    pp, gpp = person_para("被执行人", p, c)
    text = f"""{court}
决 定 书
{case}
{pp}
申请执行人{b}与被执行人{p}民间借贷纠纷一案，本院作出的（{year - 1}）{c[0]}{c[4]}民初{R.randint(100, 9999)}号民事判决书已发生法律效力。被执行人{p}有履行能力而拒不履行生效法律文书确定的义务，依照《中华人民共和国民事诉讼法》第二百六十六条、《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第一项规定，决定如下：
将被执行人{p}纳入失信被执行人名单。
本决定一经作出即生效。
审判长　{person('full')}
{cn_date(*d)}
书记员　{person('某')}"""
    gold = {"doc_type": "enforcement", "case_number": case, "authority": court, "date": iso(*d),
            "cause": "民间借贷纠纷", "parties": [gpp], "amounts": [], "guarantees": [],
            "outcome": [f"将被执行人{p}纳入失信被执行人名单。"]}
    write(n, "enforcement_dishonest", text, gold)


def market_penalty(n: int, c, enc="utf-8", fmt="txt"):
    year = R.randint(2019, 2023)
    abbrev = {"皖": "皖", "苏": "苏", "浙": "浙"}.get(c[0], c[0])
    no = R.choice([f"{abbrev}市监罚〔{year}〕{R.randint(1, 300)}号", f"{c[3][:-1]}市监处罚〔{year}〕{R.randint(1, 999)}号",
                   f"{c[2][:-1]}市监案〔{year}〕{R.randint(1, 999)}号"])
    auth = R.choice([f"{c[2]}{c[3]}市场监督管理局", f"{c[1]}市场监督管理局"])
    co = company(c[2])
    illegal = round(R.uniform(2000, 80000), 2)
    fine = R.choice([50000, 100000, 200000, 300000])
    fine_txt = R.choice([f"罚款{money(fine, 'plain')}", f"罚款人民币{fine // 10000}万元", f"罚款{big(fine).replace('元整', '元')}"])
    d = (year, R.randint(1, 12), R.randint(1, 28))
    uscc = "91" + "".join(R.choice("0123456789") for _ in range(16))
    rep = person("full")
    items = [f"没收违法所得{money(illegal, 'plain')}；", f"{fine_txt}。"]
    text = f"""{auth}
行政处罚决定书
{no}
当事人：{co}
主体资格证照名称：营业执照
统一社会信用代码：{uscc}
住所：{c[1]}{c[2]}{c[3]}{R.choice(['工业园', '经济开发区'])}{R.randint(1, 99)}号
法定代表人：{rep}
{year}年{R.randint(1, 6)}月{R.randint(1, 28)}日，本局执法人员根据投诉举报线索，对当事人经营场所进行检查，发现当事人销售的产品不符合国家标准。经查，当事人共销售上述产品货值金额{round(illegal * 3, 2)}元，违法所得{illegal}元。
以上事实，有现场笔录、询问笔录、销售记录等证据证明。
本局认为，当事人的行为违反了《中华人民共和国产品质量法》第三十九条的规定。依据《中华人民共和国产品质量法》第五十条的规定，本局决定对当事人作出如下行政处罚：
1.{items[0]}
2.{items[1]}
当事人应当自收到本处罚决定书之日起十五日内，将罚没款缴至指定银行。逾期不缴纳罚款的，每日按罚款数额的百分之三加处罚款。
当事人如对本处罚决定不服，可以在收到本处罚决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。
{auth}
{year}年{d[1]}月{d[2]}日"""
    gold = {"doc_type": "penalty", "case_number": no, "authority": auth, "date": iso(*d),
            "cause": None, "parties": [{"name": co, "role": "当事人", "kind": "organization"}],
            "amounts": [{"value": illegal, "type": "confiscation"}, {"value": float(fine), "type": "fine"}],
            "guarantees": [], "outcome": items}
    write(n, "market_penalty", text, gold, enc=enc, fmt=fmt)


def fin_penalty(n: int, c, new_style=False):
    year = R.randint(2023, 2024) if new_style else R.randint(2019, 2022)
    city = c[2][:-1]
    auth = f"国家金融监督管理总局{city}监管分局" if new_style else f"中国银保监会{city}监管分局"
    no = f"{city[:1]}金罚决字〔{year}〕{R.randint(1, 60)}号" if new_style else f"{city[:1]}银保监罚决字〔{year}〕{R.randint(1, 60)}号"
    bk = f"{c[3][:-1]}农村商业银行股份有限公司"
    pname = person()
    fine = R.choice([200000, 300000, 500000, 800000])
    pfine = R.choice([50000, 80000, 100000])
    d = (year, R.randint(1, 12), R.randint(1, 28))
    two = R.random() < 0.6
    extra = f"""
当事人：{pname}
身份证号：{R.randint(11, 65)}{R.randint(1000, 9999)}********{R.randint(1000, 9999)}
职务：时任{bk}{R.choice(['行长', '副行长', '信贷部总经理'])}""" if two else ""
    items = [f"对{bk}罚款{fine // 10000}万元"] + ([f"对{pname}给予警告并罚款{pfine // 10000}万元"] if two else [])
    text = f"""{auth}
行政处罚决定书
{no}
当事人：{bk}
地址：{c[1]}{c[2]}{c[3]}{R.choice(['人民路', '新华路'])}{R.randint(1, 300)}号
法定代表人：{person('full')}{extra}
经查，当事人存在以下违法违规行为：一是贷款“三查”不尽职，导致信贷资金被挪用；二是违规向关系人发放信用贷款。
上述违法违规行为违反了《中华人民共和国银行业监督管理法》第二十一条及相关审慎经营规则。
依据《中华人民共和国银行业监督管理法》第四十六条、第四十八条，我分局决定作出如下行政处罚：{'；'.join(items)}。
当事人应自收到本处罚决定书之日起15日内，将罚款缴至指定账户。
当事人如不服本行政处罚决定，可在收到本处罚决定书之日起60日内向{auth.replace('分局', '局')}申请行政复议，也可在收到本处罚决定书之日起6个月内直接向有管辖权的人民法院提起行政诉讼。
{auth}
{year}年{d[1]}月{d[2]}日"""
    parties = [{"name": bk, "role": "当事人", "kind": "organization"}]
    amts = [{"value": float(fine), "type": "fine"}]
    if two:
        parties.append({"name": pname, "role": "当事人", "kind": "person"})
        amts.append({"value": float(pfine), "type": "fine"})
    gold = {"doc_type": "penalty", "case_number": no, "authority": auth, "date": iso(*d),
            "cause": "贷款“三查”不尽职", "parties": parties, "amounts": amts, "guarantees": [], "outcome": ["；".join(items) + "。"]}
    write(n, "fin_penalty", text, gold)


def police_penalty(n: int, c, enc="utf-8"):
    year = R.randint(2018, 2023)
    county = c[3][:1]
    no = R.choice([f"{county}公（治）行罚决字〔{year}〕{R.randint(10, 999)}号", f"{c[2][:1]}公（{county}）行罚决字[{year}]{R.randint(10, 9999)}号"])
    auth = R.choice([f"{c[2]}公安局{c[3]}分局", f"{c[3]}公安局"])
    p = person()
    days = R.choice([5, 7, 10])
    fine = R.choice([200, 500, 1000])
    d = (year, R.randint(1, 12), R.randint(1, 28))
    idn = f"{R.randint(11, 65)}{R.randint(1000, 9999)}{R.randint(1960, 2000)}{R.randint(10, 12)}{R.randint(10, 28)}{R.randint(1000, 9999)}"
    decision = f"现决定对{p}行政拘留{cn_small(days)}日，并处罚款{cn_small(fine // 100) + '百' if fine < 1000 else '一千'}元。"
    text = f"""{auth}
行政处罚决定书
{no}
违法行为人：{p}，{R.choice('男女')}，{R.randint(1960, 2000)}年{R.randint(1, 12)}月{R.randint(1, 28)}日出生，身份证件种类及号码：居民身份证 {idn}，户籍所在地：{c[1]}{c[2]}{c[3]}，现住址：{c[2]}{c[3]}某小区。
现查明：{year}年{R.randint(1, 12)}月{R.randint(1, 28)}日，违法行为人{p}在{c[3]}某饭店内因琐事与他人发生争执，并殴打他人，致人轻微伤。
以上事实有违法行为人陈述和申辩、被侵害人陈述、证人证言、视听资料等证据证实。
根据《中华人民共和国治安管理处罚法》第四十三条第一款之规定，{decision}
执行方式和期限：送{c[2]}拘留所执行。
如不服本决定，可以在收到本决定书之日起六十日内向{c[2]}公安局申请行政复议或者在六个月内依法向{c[3]}人民法院提起行政诉讼。
{auth}
{year}年{d[1]}月{d[2]}日"""
    gold = {"doc_type": "penalty", "case_number": no.replace("[", "〔").replace("]", "〕"), "authority": auth,
            "date": iso(*d), "cause": None, "parties": [{"name": p, "role": "违法行为人", "kind": "person"}],
            "amounts": [{"value": float(fine), "type": "fine"}], "guarantees": [], "outcome": [decision]}
    write(n, "police_penalty", text, gold, enc=enc)


NONLEGAL = [
    ("news", """农商银行推出乡村振兴专项贷款
本报讯（记者 李明）3月15日，某县农村商业银行举行乡村振兴专项贷款发布会。该行今年计划投放涉农贷款15亿元，较上年增长20%，单户额度最高可达300万元。
据介绍，该产品面向家庭农场、农民专业合作社和个体工商户，执行年利率不超过4.35%，并可采用保证、抵押等多种担保方式。
“我们希望把金融活水引到田间地头。”该行负责人表示，截至2月底，全行各项贷款余额已达86.3亿元。
2023年3月16日"""),
    ("recipe", """红烧肉的做法
主料：五花肉500克，冰糖30克，生抽两勺，老抽一勺，料酒一勺，葱姜适量。
一、五花肉切块，冷水下锅焯水，撇去浮沫后捞出。
二、锅中放少许油，加入冰糖小火炒出糖色。
三、放入肉块翻炒上色，加入葱姜、料酒、生抽、老抽和开水，小火炖一小时。
四、大火收汁即可。一份成本大约三十元。"""),
    ("email", """王经理：
您好！关于贵公司申请的流动资金借款200万元一事，我行已完成初审，需补充提供近两年财务报表及担保人的身份证明材料。请于2024年5月20日前将材料交至营业部。
如有疑问请联系客户经理张某，电话0431-8888****。
此致
敬礼
某某银行信贷管理部
2024年5月13日"""),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.iterdir():
        f.unlink()
    n = 1
    cs = COURTS[:]
    R.shuffle(cs)

    def nc():
        return cs[(n - 1) % len(cs)]
    specs = [
        lambda: bank_loan(n, nc(), n_guar=2, mortgage=True),
        lambda: bank_loan(n, nc(), n_guar=1, mortgage=False, style="fw"),
        lambda: bank_loan(n, nc(), n_guar=3, mortgage=False, style="comma", guar_in_one_item=True),
        lambda: bank_loan(n, nc(), n_guar=2, mortgage=True, style="wan", zero="○", spaced=False),
        lambda: bank_loan(n, nc(), n_guar=1, mortgage=True, enc="gbk"),
        lambda: bank_loan(n, nc(), cause="借款合同纠纷", n_guar=2, mortgage=False, style="comma"),
        lambda: bank_loan(n, nc(), n_guar=2, mortgage=False, oneline=True),
        lambda: bank_loan(n, nc(), n_guar=1, mortgage=False, fmt="docx"),
        lambda: bank_loan(n, nc(), n_guar=2, mortgage=True, fmt="html", guar_in_one_item=True),
        lambda: bank_loan(n, nc(), cause="金融借款合同纠纷", n_guar=0, mortgage=True, style="fw"),
        lambda: bank_loan(n, nc(), n_guar=1, mortgage=False, style="comma", zero="○"),
        lambda: private_loan(n, nc()),
        lambda: private_loan(n, nc(), guarantor=False),
        lambda: private_loan(n, nc(), style="plain", enc="gb18030"),
        lambda: private_loan(n, nc()),
        lambda: recourse(n, nc()),
        lambda: recourse(n, nc()),
        lambda: sales(n, nc()),
        lambda: sales(n, nc()),
        lambda: appeal(n, nc()),
        lambda: appeal(n, nc(), cause="金融借款合同纠纷"),
        lambda: withdraw_ruling(n, nc()),
        lambda: withdraw_ruling(n, nc(), enc="gbk"),
        lambda: jurisdiction_ruling(n, nc()),
        lambda: enforcement_end(n, nc()),
        lambda: enforcement_end(n, nc()),
        lambda: enforcement_end(n, nc()),
        lambda: dishonest(n, nc()),
        lambda: dishonest(n, nc()),
        lambda: market_penalty(n, nc()),
        lambda: market_penalty(n, nc()),
        lambda: market_penalty(n, nc(), enc="gbk"),
        lambda: market_penalty(n, nc()),
        lambda: fin_penalty(n, nc()),
        lambda: fin_penalty(n, nc()),
        lambda: fin_penalty(n, nc(), new_style=True),
        lambda: fin_penalty(n, nc(), new_style=True),
        lambda: police_penalty(n, nc()),
        lambda: police_penalty(n, nc()),
        lambda: police_penalty(n, nc(), enc="gbk"),
    ]
    for spec in specs:
        spec()
        n += 1
    for name, text in NONLEGAL:
        write(n, "nonlegal_" + name, text, {})
        n += 1


if __name__ == "__main__":
    main()
