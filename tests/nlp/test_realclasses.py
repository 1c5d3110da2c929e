"""Error classes seen on the real documents' tune part (#17), one short written snippet per class.

Accuracy on real documents is measured by bench/nlp_accuracy.py on tests/nlp/realset.
"""

from __future__ import annotations

from typing import Any

from guanxi.nlp import extract


def pairs(r: dict[str, Any]) -> set[tuple[str, str]]:
    """Return the (guarantor, debtor) pairs of an extraction."""
    return {(g["guarantor"], g["debtor"]) for g in r["guarantees"]}


def names(r: dict[str, Any]) -> set[tuple[str, str]]:
    """Return the (name, role) pairs of the parties."""
    return {(p["name"], p["role"]) for p in r["parties"]}


# -- a judgment published from its party block, labels without colons ------------------------


def test_party_block_without_colons_is_a_judgment() -> None:
    r = extract(
        "原告周某1，男，1976年1月11日出生，汉族，住上海市普陀区。被告马某1，男，汉族，住福安市。\n"
        "原告周某1诉称，2016年3月14日，被告向原告借款人民币50000元，至今未还。"
    )
    assert r["doc_type"] == "judgment"
    assert names(r) == {("周某1", "原告"), ("马某1", "被告")}
    assert r["case_number"] is None and r["authority"] is None and r["date"] is None


# -- guarantee phrasings in the facts ----------------------------------------------------------

HEAD = "原告：赵某1，男。\n被告：钱某1，男。\n被告：孙某1，男。\n被告：李某1，女。\n"


def test_debtor_by_guarantor_borrowed() -> None:
    r = extract(HEAD + "原告诉称，2015年12月1日，被告钱某1由被告孙某1提供担保向原告借款40671元，至今未还。")
    assert pairs(r) == {("孙某1", "钱某1")}


def test_guarantor_for_this_loan() -> None:
    r = extract(HEAD + "原告诉称，被告钱某1向原告借款30000元，被告孙某1为本案借款作连带责任担保。")
    assert pairs(r) == {("孙某1", "钱某1")}
    assert r["guarantees"][0]["type"] == "连带责任保证"


def test_several_guarantors_for_the_loan() -> None:
    r = extract(HEAD + "原告诉称，被告钱某1向原告借款30000元，由被告孙某1、李某1为该笔借款作了连带责任保证。")
    assert pairs(r) == {("孙某1", "钱某1"), ("李某1", "钱某1")}


def test_signed_as_guarantor() -> None:
    r = extract(HEAD + "经审理查明，被告钱某1向原告借款30万元，被告孙某1作为担保人在借条上签字。")
    assert pairs(r) == {("孙某1", "钱某1")}


def test_signed_in_the_guarantor_box() -> None:
    r = extract(HEAD + "本院认定事实如下：被告钱某1向原告借款10万元。被告钱某1在借款人处签字，被告孙某1在担保人处签字。")
    assert pairs(r) == {("孙某1", "钱某1")}


def test_co_borrowers_listed_in_the_note() -> None:
    r = extract(HEAD + "经审理查明，借据载明：借款人钱某1、李某1，担保人孙某1。")
    assert pairs(r) == {("孙某1", "钱某1"), ("孙某1", "李某1")}


def test_co_borrowers_both_get_the_guarantor() -> None:
    r = extract(HEAD + "原告诉称，被告钱某1、李某1以资金周转为由向原告借款100000元，由被告孙某1进行担保。")
    assert pairs(r) == {("孙某1", "钱某1"), ("孙某1", "李某1")}


def test_non_party_guarantor_written_as_such() -> None:
    r = extract(HEAD + "原告诉称，被告钱某1向原告借款5万元，由案外人周大明提供担保。")
    assert ("周大明", "钱某1") in pairs(r)


def test_denied_guarantee_is_not_taken() -> None:
    r = extract(HEAD + "原告诉称，被告钱某1向原告借款5万元。被告孙某1辩称，其不是担保人，未在借条上签字担保。")
    assert pairs(r) == set()


def test_own_property_is_security_not_guarantee() -> None:
    r = extract(HEAD + "原告诉称，被告钱某1向原告借款5万元，并由被告钱某1用其名下的房屋对上述债务承担担保责任。")
    assert ("钱某1", "钱某1") not in pairs(r)
    assert all(g["guarantor"] != g["debtor"] for g in r["guarantees"])


# -- party blocks ------------------------------------------------------------------------------


def test_agent_powers_do_not_end_the_party_block() -> None:
    r = extract(
        "原告：汪某1，女，1962年7月14日出生，汉族，住醴陵市。委托诉讼代理人：郭某，法律工作者，代理权限：特别授权，"
        "即代为承认、变更、放弃诉讼请求，进行和解，提起上诉等。被告：陈某1，男，1963年11月15日出生，汉族。\n"
        "原告汪某1向本院提出诉讼请求：判令被告偿还借款5万元。"
    )
    assert names(r) == {("汪某1", "原告"), ("陈某1", "被告")}


def test_born_on_is_not_narrative() -> None:
    r = extract(
        "某县人民法院\n执行裁定书\n（2018）川0821执371号\n申请执行人：何某，男，生于1973年12月3日，汉族。\n"
        "被执行人：姚某，男，生于1970年9月12日，汉族。\n本院在执行何某与姚某借款合同纠纷一案中，申请执行人撤回申请。"
        "裁定如下：\n终结本案的执行。\n审判员 张某\n二〇一八年十二月一日"
    )
    assert names(r) == {("何某", "申请执行人"), ("姚某", "被执行人")}


def test_representative_label_glued_to_the_company() -> None:
    r = extract(
        "原告：王某1，现住榆树市。被告：榆树市某房地产开发有限公司法定代表人：王某2，系经理。被告：王某2，现住榆树市。\n"
        "原告诉称，被告王某2向原告借款100万元。"
    )
    assert names(r) == {("王某1", "原告"), ("榆树市某房地产开发有限公司", "被告"), ("王某2", "被告")}


def test_bracketed_note_between_parties() -> None:
    r = extract(
        "原告马某1，女，1972年5月28日出生，回族。被告杨某1，男，回族。（被告身份系原告提供）被告李某2，女，回族。\n"
        "原告马某1向本院提出诉讼请求：判令二被告偿还借款2万元。"
    )
    assert names(r) == {("马某1", "原告"), ("杨某1", "被告"), ("李某2", "被告")}


def test_parties_only_in_the_opening_sentence() -> None:
    r = extract(
        "某县人民法院\n民 事 裁 定 书\n（2017）豫0423民初7059号\n原告中国农业银行股份有限公司某县支行与被告王某借款合同纠纷一案，"
        "本院于2017年11月9日立案受理。原告未预交案件受理费。裁定如下：\n本案按撤回起诉处理。\n审判员 杨某\n二〇一七年十一月十七日"
    )
    assert names(r) == {("中国农业银行股份有限公司某县支行", "原告"), ("王某", "被告")}


def test_notice_addressed_to_several_with_commas() -> None:
    r = extract(
        "某区人民法院\n报告财产令\n(2019)陕0103执7033号\n甲银行股份有限公司某支行,某物业开发建设公司,某科技股份有限公司：\n"
        "本院于2019年05月16日立案执行郝某与甲银行股份有限公司某支行,某物业开发建设公司,某科技股份有限公司物权保护纠纷一案，"
        "已向你单位送达执行通知书。你单位未履行义务，应当限期如实报告财产。\n二〇一九年十月十日"
    )
    assert names(r) == {
        ("郝某", "申请执行人"), ("甲银行股份有限公司某支行", "被执行人"),
        ("某物业开发建设公司", "被执行人"), ("某科技股份有限公司", "被执行人"),
    }


# -- claimed amounts ---------------------------------------------------------------------------


def claimed(r: dict[str, Any]) -> set[tuple[float, str]]:
    """Return the (value, kind) of the claimed amounts."""
    return {(a["value"], a["kind"]) for a in r["amounts"] if (a["kind"] or "").startswith("claim_")}


P2 = "原告：赵某1，男。\n被告：钱某1，男。\n"


def test_claim_written_without_the_word() -> None:
    r = extract(P2 + "原告诉称，被告下落不明，要求被告钱某1偿还借款12万元及利息。经审理查明，借据载明利息1.5万元。")
    assert claimed(r) == {(120000.0, "claim_principal")}


def test_claim_asked_of_the_court_and_its_change() -> None:
    r = extract(
        P2 + "原告诉称，被告向原告借款。故向法院起诉，请依法判决被告钱某1归还借款40000元。被告钱某1辩称，已还款。"
        "在审理过程中，原告将诉讼请求变更为：要求被告偿还欠款23,000元。"
    )
    assert claimed(r) == {(40000.0, "claim_principal"), (23000.0, "claim_principal")}


def test_bases_and_computations_in_brackets_are_not_amounts() -> None:
    r = extract(
        P2 + "原告向本院提出诉讼请求：1、判令被告偿还借款14400元、利息5980元（本金3万元按月利率2％计算），"
        "并支付利息（每月3000元×39月）117000元，合计131380元。被告未答辩。"
    )
    assert claimed(r) == {(14400.0, "claim_principal"), (5980.0, "claim_interest"),
                          (117000.0, "claim_interest"), (131380.0, "claim_total")}


def test_claims_end_before_the_evidence() -> None:
    r = extract(
        P2 + "故请求：一、判令被告钱某1偿还借款50000元。\n原告为支持其诉讼主张，向本院提供以下证据：借条二份，"
        "证明被告分别借款30000元、20000元的事实。"
    )
    assert claimed(r) == {(50000.0, "claim_principal")}


# -- penalty decisions ---------------------------------------------------------------------------


def head(r: dict[str, Any]) -> tuple[Any, ...]:
    """Return (doc_type, case_number, authority, date, cause)."""
    return r["doc_type"], r["case_number"], r["authority"], r["date"], r["cause"]


def test_penalty_without_line_breaks_glued_labels_and_signoff() -> None:
    r = extract(
        "苏银保监罚决字〔2019〕64号被处罚人姓名：王某某住址：南京市建邺区某路1号身份证号：32068319821024****依据《中华人民共和国"
        "保险法》等有关法律规定，我局对某财产保险股份有限公司宿迁中心支公司（以下简称某财险宿迁中支）财务数据不真实一案进行了调查、"
        "审理。经查，王某某时任某财险宿迁中支总经理。综上，我局决定作出如下处罚：给予王某某警告，并处8万元罚款。当事人如对本处罚"
        "决定不服，可在收到本处罚决定书之日起60日内申请行政复议。中国银保监会江苏监管局2019年12月19日"
    )
    assert head(r) == ("penalty", "苏银保监罚决字〔2019〕64号", "中国银保监会江苏监管局", "2019-12-19", "财务数据不真实")
    assert names(r) == {("王某某", "当事人")}
    assert r["parties"][0]["role_full"] == "被处罚人"
    assert [(a["value"], a["kind"]) for a in r["amounts"]] == [(80000.0, "fine")]


def test_penalty_with_ascii_brackets_on_one_line() -> None:
    r = extract(
        "苏银保监罚[2019]12号 受处罚人名称：某某保险代理有限公司 住所：南京市 经查，你公司存在编制虚假资料的行为。"
        "罚款人民币5万元。中国银保监会江苏监管局 二0一九年元月八日"
    )
    assert head(r) == ("penalty", "苏银保监罚〔2019〕12号", "中国银保监会江苏监管局", "2019-01-08", "编制虚假资料")
    assert names(r) == {("某某保险代理有限公司", "当事人")}
    assert [a["value"] for a in r["amounts"]] == [50000.0]


def test_penalty_without_heading_and_ocr_doubled_label() -> None:
    r = extract(
        "当当事事人人：：某某银行股份有限公司某支行\n经查，该行存在贷后管理不到位的违法违规行为。"
        "依据《银行业监督管理法》第四十六条，罚款30万元。"
    )
    assert r["doc_type"] == "penalty" and r["cause"] == "贷后管理不到位"
    assert names(r) == {("某某银行股份有限公司某支行", "当事人")}


def test_penalty_disclosure_table() -> None:
    r = extract(
        "行政处罚信息公开表\n行政处罚决定书文号：某银保监罚决字〔2020〕3号\n被处罚当事人姓名或名称：个人姓名：张某某\n"
        "单位名称：某某农村信用合作联社\n主要违法违规事实（案由）：违规发放贷款\n行政处罚依据：《银行业监督管理法》第四十六条\n"
        "行政处罚决定：罚款50万元\n作出处罚决定的机关名称：中国银保监会某某监管分局\n作出处罚决定的日期：2020年3月3日"
    )
    assert head(r) == ("penalty", "某银保监罚决字〔2020〕3号", "中国银保监会某某监管分局", "2020-03-03", "违规发放贷款")
    assert names(r) == {("张某某", "当事人"), ("某某农村信用合作联社", "当事人")}


def test_penalty_heading_authority_and_issuer_short_name() -> None:
    r = extract(
        "中国银保监会四川监管局行政处罚决定书\n四川银保监局川银保监罚〔2020〕15号\n当事人：某某农村商业银行股份有限公司\n"
        "住所：成都市\n经查，你行存在违规发放贷款的行为。我局决定作出如下行政处罚：对你行罚款50万元。\n"
    )
    assert head(r) == ("penalty", "川银保监罚〔2020〕15号", "中国银保监会四川监管局", None, "违规发放贷款")


# -- dates, courts in running text, guarantee types ------------------------------------------------


def test_date_with_yi_shi() -> None:
    from guanxi.nlp.numerals import parse_date

    assert parse_date("二〇一九年七月一十六日") == "2019-07-16"
    assert parse_date("二〇一九年一十二月一日") == "2019-12-01"


def test_court_named_in_the_narrative_without_a_place_is_no_authority() -> None:
    from guanxi.nlp.header import _court_of_phrase

    assert _court_of_phrase("特向人民法院") is None
    assert _court_of_phrase("向本院所在地人民法院") is None
    assert _court_of_phrase("诉至某县人民法院") == "某县人民法院"
    assert _court_of_phrase("佳木斯市向阳区人民法院") == "佳木斯市向阳区人民法院"
    assert _court_of_phrase("东至县人民法院") == "东至县人民法院"


def test_the_more_specific_guarantee_type_wins() -> None:
    r = extract(
        "某县人民法院\n民事判决书\n（2020）皖1024民初3号\n原告：某银行股份有限公司某支行。\n被告：某甲公司。\n被告：赵某。\n"
        "经审理查明：被告赵某向原告借款10万元，某甲公司为赵某的借款提供连带责任保证担保。\n判决如下：\n一、被告赵某偿还借款10万元。\n"
        "审判员 周某\n二〇二〇年五月六日"
    )
    assert [(g["guarantor"], g["debtor"], g["type"]) for g in r["guarantees"]] == [("某甲公司", "赵某", "连带责任保证")]


def test_recourse_plaintiff_is_the_guarantor() -> None:
    r = extract(
        "原告：张某文，男。\n被告：胡某林，男。\n原告张某文诉被告胡某林追偿权纠纷一案，本院受理。原告张某文诉称，被告胡某林向案外人杨某"
        "借款100000元，原告为该借款担保。后原告为被告胡某林偿还了该借款。"
    )
    assert pairs(r) == {("张某文", "胡某林")}


def test_guarantor_introduced_the_loan() -> None:
    r = extract(HEAD + "原告诉称，被告钱某1经宋大山介绍并担保向原告借现金50000元，至今未还。")
    assert ("宋大山", "钱某1") in pairs(r)


def test_note_writer_is_the_borrower_and_own_property_is_security() -> None:
    r = extract(
        HEAD + "原告向本院提出诉讼请求：要求被告钱某1、孙某1连带清偿债务15万元，并由被告孙某1用其名下的房屋对上述债务承担担保责任。"
        "经审理查明，被告孙某1于当日出具一张借条给原告，并用其名下的房屋为上述借款提供抵押担保。原告转账给被告钱某1。"
    )
    assert pairs(r) == set()
    assert ("孙某1", "own_mortgage") in {(n["party"], n["kind"]) for n in r["not_guarantees"]}


def test_the_plaintiff_is_never_the_secured_debtor() -> None:
    r = extract(
        "原告：甲混凝土有限公司。\n被告：乙置业有限公司。\n被告：陈某。\n原告与被告债务转移合同纠纷一案。被告乙置业有限公司向原告出具欠条，"
        "欠原告货款200万元，被告陈某以担保人名义在欠条上签名。"
    )
    assert pairs(r) == {("陈某", "乙置业有限公司")}


# -- spouses and the borrower's own security are kept apart from guarantees (nlp2) ---------------


def nots(r: dict[str, Any]) -> set[tuple[str, str | None, str]]:
    """Return the (party, debtor, kind) triples of what is not a guarantee."""
    return {(n["party"], n["debtor"], n["kind"]) for n in r["not_guarantees"]}


SPOUSES = "原告：廖某1，男。被告：周某1，男。被告：邹某1，女。\n"


def test_spouse_sued_for_a_marital_debt_is_not_a_guarantor() -> None:
    r = extract(SPOUSES + "原告诉称，两被告系夫妻关系。被告周某1向原告借款114000元，并当即向原告出具了借条一张。"
                "请求判令两被告立即偿还借款。")
    assert nots(r) == {("邹某1", "周某1", "spouse_joint_debt")}
    assert pairs(r) == set()


def test_spouse_written_in_the_party_block() -> None:
    r = extract("原告：杜某1，男。被告：尹某1，男。被告：徐某1，女，系尹某1之妻。\n"
                "原告诉称，被告尹某1于2014年10月26日向原告借款50000元，出具借条一份，至今未还。")
    assert nots(r) == {("徐某1", "尹某1", "spouse_joint_debt")}


def test_spouses_who_borrowed_together_are_both_debtors() -> None:
    r = extract("原告：周某1，男。被告：马某1，女。被告：胡某1，男。\n"
                "原告诉称，两被告系夫妻关系。二被告于2015年8月14日向原告借到现金15万元，被告马某1出具借条一张。")
    assert not any(n[2] == "spouse_joint_debt" for n in nots(r))


def test_spouse_who_signed_as_guarantor_is_a_guarantor() -> None:
    r = extract(SPOUSES + "原告诉称，被告周某1、邹某1系夫妻关系。被告周某1向原告借款5万元，被告邹某1作为担保人在借条上签字。")
    assert pairs(r) == {("邹某1", "周某1")}
    assert not any(n[2] == "spouse_joint_debt" for n in nots(r))


def test_repaying_is_not_borrowing() -> None:
    r = extract("原告：王某1，男。被告：王某2，男。被告：王某3，女。\n"
                "王某1诉称，王某2、王某3在夫妻关系存续期间以王某2为借款人，向王某1借款67万元。"
                "王某2、王某3仅偿还借款28万元的利息。")
    assert nots(r) == {("王某3", "王某2", "spouse_joint_debt")}


def test_borrowers_own_house_as_mortgage() -> None:
    r = extract("原告：陆某1，男。被告：陈某1，男。\n"
                "陆某1诉称，被告向原告借款20万元，双方订立《房屋抵押借款合同》，被告以其位于开平市的住宅作为抵押。")
    assert nots(r) == {("陈某1", "陈某1", "own_mortgage")}
    assert pairs(r) == set()


# -- a name found only in running text must read as a person's name --------------------------------


def test_words_after_guarantor_label_are_not_names() -> None:
    r = extract(HEAD + "经审理查明，被告钱某1向原告借款3万元，出具借条一份，担保人未到庭。")
    assert pairs(r) == set()
    r = extract(HEAD + "经审理查明，被告钱某1向原告借款3万元，担保人：矫贺民。")
    assert pairs(r) == {("矫贺民", "钱某1")}


def test_guarantee_for_both_sides_is_no_nonparty_debtor() -> None:
    r = extract(HEAD + "经审理查明，被告孙某1为双方的借款提供连带责任保证。")
    assert all(g["debtor"] != "双方" for g in r["guarantees"])


def test_spouse_ordered_to_pay_jointly_is_not_a_guarantor() -> None:
    r = extract("原告：张某，男。\n被告：王某，男。\n被告：李某，女。\n"
                "原告张某向本院提出诉讼请求：判令二被告偿还借款50000元。事实和理由：被告王某与被告李某系夫妻关系。"
                "2018年1月1日，被告王某向原告借款50000元，并出具借条一份。\n判决如下：\n"
                "一、被告王某于本判决生效之日起十日内偿还原告张某借款50000元；\n二、被告李某对上述债务承担连带清偿责任。")
    assert pairs(r) == set()
    assert nots(r) == {("李某", "王某", "spouse_joint_debt")}


def test_guarantor_of_the_borrower_is_not_the_spouses_guarantor() -> None:
    r = extract("原告：某农村商业银行股份有限公司，住所地某县。\n被告：张某，男。\n被告：王某，女，系张某之妻。\n被告：刘某，男。\n"
                "经审理查明，2017年3月1日，被告张某向原告借款100000元，被告刘某提供连带责任保证。\n判决如下：\n"
                "一、被告张某、王某于本判决生效之日起十日内偿还原告借款本金100000元；\n"
                "二、被告刘某对上述债务承担连带清偿责任。")
    assert pairs(r) == {("刘某", "张某")}


def test_spouse_named_only_in_the_reasoning_on_a_marital_debt() -> None:
    r = extract("原告白某。\n被告张某。\n被告韩某。\n被告张某、韩某辩称：二被告向原告借款2万元，已清偿1万元。\n"
                "经审理查明，被告张某向原告白某借款1万元，并出具借据一支。本院认为，该借款属于夫妻共同债务。"
                "被告韩某应对本案所涉债务承担共同偿还义务。判决如下：\n由被告张某、韩某向原告白某偿还借款10000元。")
    assert pairs(r) == set()
    assert nots(r) == {("韩某", "张某", "spouse_joint_debt")}


# -- penalty disclosure tables pasted without colons, OCR-doubled labels, one-line decisions (nlp2) -


def test_penalty_table_with_values_after_spaces_and_doubled_labels() -> None:
    r = extract(
        "某银保监局行政处罚信息公开表\n行行政政处处罚罚决决定定书书文文号号 某银保监罚决字〔2023〕7号\n个人姓名 钱某某\n"
        "单位名称 某某财产保险股份有限公司某支公司\n主要负责人 钱某某\n"
        "主主要要违违法法违违规规事事实实（（案案由由）） 虚列营业费用\n行政处罚依据 《中华人民共和国保险法》第一百七十条\n"
        "行政处罚决定 对公司罚款30万元；对钱某某警告并罚款5万元\n作出处罚决定的机关名称 中国银保监会某某监管分局\n"
        "作出处罚决定的日期 2023年4月6日"
    )
    assert head(r) == ("penalty", "某银保监罚决字〔2023〕7号", "中国银保监会某某监管分局", "2023-04-06", "虚列营业费用")
    assert names(r) == {("钱某某", "当事人"), ("某某财产保险股份有限公司某支公司", "当事人")}
    assert {a["value"] for a in r["amounts"]} == {300000.0, 50000.0}


def test_penalty_table_with_each_cell_on_its_own_line() -> None:
    r = extract(
        "行政处罚信息公开表\n行政处罚决定书文号\n某银保监罚决字〔2021〕12号\n被处罚当事人姓名或名称\n个人姓名\n单位名称\n"
        "某某农村商业银行股份有限公司\n法定代表人（主要负责人）姓名\n孙某\n主要违法违规事实（案由）\n贷款管理严重不审慎\n"
        "行政处罚依据\n《中华人民共和国银行业监督管理法》第四十六条\n行政处罚决定\n罚款50万元\n作出处罚决定的机关名称\n"
        "中国银保监会某某监管局\n作出处罚决定的日期\n2021年3月5日"
    )
    assert head(r) == ("penalty", "某银保监罚决字〔2021〕12号", "中国银保监会某某监管局", "2021-03-05", "贷款管理严重不审慎")
    assert names(r) == {("某某农村商业银行股份有限公司", "当事人")}
    assert [a["value"] for a in r["amounts"]] == [500000.0]


def test_penalty_on_one_line_with_its_number_in_brackets_after_the_title() -> None:
    r = extract(
        "国家金融监督管理总局某某监管分局行政处罚决定书（某金罚决字〔2024〕5号）当事人：某某人寿保险股份有限公司某某分公司 "
        "住所：某市某路 主要负责人：赵某 当事人：钱某，时任某某人寿保险股份有限公司某某分公司某部经理 依据《中华人民共和国保险法》"
        "等有关法律规定，我分局对某某人寿保险股份有限公司某某分公司虚列费用一案进行了调查、审理。经查，该公司存在虚列费用的行为。"
        "综上，我分局决定作出如下处罚：对该公司罚款人民币20万元；对钱某给予警告并处罚款人民币2万元。某某金融监管分局 2024年4月2日"
    )
    assert head(r)[:4] == ("penalty", "某金罚决字〔2024〕5号", "国家金融监督管理总局某某监管分局", "2024-04-02")
    assert names(r) == {("某某人寿保险股份有限公司某某分公司", "当事人"), ("钱某", "当事人")}


def test_mutual_guarantee_group_every_member_guarantees_the_others() -> None:
    r = extract(
        "原告：某县农村信用合作联社。\n被告：张某，男。\n被告：李某，男。\n被告：王某，男。\n"
        "经审理查明，被告张某、李某、王某组成联保小组，分别向原告借款50000元，三被告互相承担连带保证责任。\n判决如下：\n"
        "一、被告张某偿还原告借款本金50000元；\n二、被告李某偿还原告借款本金50000元；\n三、被告王某偿还原告借款本金50000元；\n"
        "四、被告张某、李某、王某对上述债务相互承担连带清偿责任。"
    )
    members = ["张某", "李某", "王某"]
    assert pairs(r) == {(g, d) for g in members for d in members if g != d}


# -- the same published text without its line breaks reads the same (nlp2) ------------------------


def _summary(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["doc_type"], r["case_number"], r["authority"], r["date"], r["cause"], names(r), pairs(r),
            {a["value"] for a in r["amounts"]})


def test_tune_documents_read_the_same_without_line_breaks_or_behind_page_boilerplate() -> None:
    import re
    from pathlib import Path

    tune = sorted((Path(__file__).parent / "realset" / "tune").glob("*.txt"))
    assert tune
    for path in tune:
        text = path.read_text(encoding="utf-8")
        expected = _summary(extract(text))
        flat = re.sub(r"\s*\n\s*", "", text)
        assert _summary(extract(flat)) == expected, f"{path.stem}: one run of text"
        assert _summary(extract(re.sub(r"\s*\n\s*", " ", text))) == expected, f"{path.stem}: spaces"
        assert _summary(extract("中国裁判文书网 文书内容 来源：中国裁判文书网 " + flat)) == expected, f"{path.stem}: boilerplate"


# -- nlp3: more guarantee phrasings (written snippets, one per class) ---------------------------

HEAD3 = "原告：赵某1，男。\n被告：钱某1，男。\n被告：孙某1，男。\n被告：李某1，女。\n被告：周某1，男。\n"
BANK3 = "原告：中国农业银行股份有限公司某某支行。\n被告：钱某1，男。\n被告：孙某1，男。\n被告：李某1，女。\n"


def test_guarantor_with_no_debtor_named() -> None:
    # '自愿承担连带保证责任' / bare '担保': the borrowers of the facts are the debtors
    r = extract(HEAD3 + "原告诉称，被告钱某1向原告借款3万元，被告孙某1自愿承担连带保证责任。")
    assert pairs(r) == {("孙某1", "钱某1")}
    r = extract(HEAD3 + "原告诉称，被告钱某1向原告借款3万元，被告孙某1担保。")
    assert pairs(r) == {("孙某1", "钱某1")}


def test_maximum_amount_guarantee_in_a_later_clause() -> None:
    r = extract(BANK3 + "经审理查明，被告孙某1、李某1于2016年5月1日向原告出具《最高额保证合同》，"
                "为被告钱某1在原告处的借款提供最高额保证。")
    assert pairs(r) == {("孙某1", "钱某1"), ("李某1", "钱某1")}


def test_borrower_by_the_loan_contract_and_guarantor_list() -> None:
    r = extract(BANK3 + "经审理查明，被告钱某1与原告签订《个人借款合同》，借款金额10万元，担保方式为保证，"
                "保证人为被告孙某1、李某1。")
    assert pairs(r) == {("孙某1", "钱某1"), ("李某1", "钱某1")}


def test_signature_in_the_guarantor_column() -> None:
    r = extract(HEAD3 + "经审理查明，被告钱某1向原告借款5万元，借条上保证人一栏有被告孙某1签名。")
    assert pairs(r) == {("孙某1", "钱某1")}


def test_lianbao_group_members_answer_for_each_other() -> None:
    r = extract(BANK3 + "经审理查明，2016年5月1日，被告钱某1、孙某1、李某1组成联保小组，约定联保小组成员对小组其他成员的"
                "借款承担连带保证责任。同日，钱某1向原告借款5万元，孙某1借款5万元，李某1借款5万元。")
    members = ["钱某1", "孙某1", "李某1"]
    assert pairs(r) == {(a, b) for a in members for b in members if a != b}


def test_lianbao_group_guarantees_only_the_members_who_borrowed() -> None:
    r = extract(BANK3 + "经审理查明，被告钱某1向原告借款400万元。同日，原告与被告钱某1、孙某1、李某1签订《最高额联保合同》，"
                "约定三被告共同组成联保小组，对原告与任一联保小组成员签订的借款合同，联保小组的其他成员承担连带保证责任。")
    assert pairs(r) == {("孙某1", "钱某1"), ("李某1", "钱某1")}


# -- nlp3: parties named only in running text (no party block) ----------------------------------


def test_parties_named_only_as_speakers() -> None:
    r = extract(
        "原告张某某向本院提出诉讼请求：1．判令被告李某强偿还借款10万元；2．被告王某明承担连带清偿责任。"
        "事实和理由：被告李某强向原告借款10万元，被告王某明为该借款提供连带责任保证。\n"
        "被告李某强辩称，借款属实。 被告王某明未作答辩。\n本院认为，合法的借贷关系受法律保护。"
    )
    assert names(r) == {("张某某", "原告"), ("李某强", "被告"), ("王某明", "被告")}
    assert pairs(r) == {("王某明", "李某强")}


def test_unlabelled_claimant_and_defendant_open_their_paragraphs() -> None:
    r = extract("孙桂萍向本院提出诉讼请求：判令李政归还借款180000元。\n李政辩称，双方不存在民间借贷关系。\n本院认为，……")
    assert names(r) == {("孙桂萍", "原告"), ("李政", "被告")}


def test_running_text_names_are_not_common_words() -> None:
    r = extract(
        "原告赵春玲向本院提出诉讼请求：判令被告归还借款20万元。\n被告程福忠辩称，被告归还了借款，原告明确陈述被告归还了。"
        "原告明确陈述，被告没有债务。\n本院认为，……"
    )
    assert names(r) == {("赵春玲", "原告"), ("程福忠", "被告")}


def test_company_short_name_is_an_alias_of_the_full_name() -> None:
    r = extract(
        "孙亮向本院提出诉讼请求：判令被告朱建华偿还借款500万元，由华城公司承担连带保证清偿责任。"
        "事实与理由：原告与华城公司签订了保证合同，由华城公司为借款提供连带清偿保证责任。\n"
        "朱建华、宁夏华城实业开发有限公司辩称，原告所述与事实不符。\n本院认为，……"
    )
    assert names(r) == {("孙亮", "原告"), ("朱建华", "被告"), ("宁夏华城实业开发有限公司", "被告")}
    assert pairs(r) == {("宁夏华城实业开发有限公司", "朱建华")}


def test_defendants_named_in_a_claim_item() -> None:
    r = extract(
        "原告周某某诉称：中恒信公司向原告借款4000万元，请求判令：一、中恒信公司立即归还借款4000万元；"
        "二、汇通公司、刘野钊、田向东依法承担连带担保责任。\n被告中恒信公司辩称：已归还部分借款。\n本院认为，……"
    )
    assert {n for n, _ in names(r)} == {"周某某", "中恒信公司", "汇通公司", "刘野钊", "田向东"}


def test_guarantee_letter_writer_is_the_guarantor() -> None:
    r = extract(HEAD3 + "原告诉称，被告钱某1向原告借款3万元，后被告孙某1向原告出具担保书，承诺对该借款承担连带保证责任。")
    assert pairs(r) == {("孙某1", "钱某1")}
    r = extract(HEAD3 + "原告诉称，被告钱某1向原告借款3万元，被告孙某1出具《担保书》，为上述借款提供担保。")
    assert pairs(r) == {("孙某1", "钱某1")}


def test_signed_in_the_guarantor_place_together_and_zuo_danbaoren() -> None:
    r = extract(HEAD3 + "原告诉称，被告钱某1向原告借款3万元，被告孙某1和被告李某1均在借条担保人处签名。")
    assert pairs(r) == {("孙某1", "钱某1"), ("李某1", "钱某1")}
    r = extract(HEAD3 + "原告诉称，被告钱某1向原告借款3万元，被告孙某1作担保人。")
    assert pairs(r) == {("孙某1", "钱某1")}


def test_guarantor_outside_the_party_list_after_you() -> None:
    r = extract(HEAD3 + "原告诉称，被告钱某1向原告借款3万元，由李建国提供担保。")
    assert pairs(r) == {("李建国", "钱某1")}
    r = extract(HEAD3 + "原告诉称，被告钱某1向原告借款3万元，由其提供担保。")
    assert pairs(r) == set()


# -- nlp3: amounts --------------------------------------------------------------------------------

PB = "原告：赵某1，男，汉族。\n被告：钱某1，男，汉族。\n"


def values(r: dict[str, Any]) -> set[float]:
    """Return the amount values of an extraction."""
    return {round(a["value"], 2) for a in r["amounts"]}


def test_claim_written_su_qing_is_not_a_party_line() -> None:
    r = extract(PB + "原告赵某1诉请：判令被告偿还借款本金8.5万元。\n被告钱某1辩称：无异议。")
    assert values(r) == {85000.0}
    assert names(r) == {("赵某1", "原告"), ("钱某1", "被告")}


def test_claim_qisu_yaoqiu_without_a_defence_word() -> None:
    r = extract(PB + "原告赵某1起诉要求：被告归还借款5万元及利息2000元。\n被告钱某1未答辩。")
    assert r["doc_type"] == "judgment"
    assert values(r) == {50000.0, 2000.0}


def test_digits_mixed_with_wan_qian() -> None:
    r = extract(PB + "原告赵某1向本院提出诉讼请求：判令被告偿还借款3万5千元、利息2千元，律师费10万零500元。\n被告钱某1辩称：无异议。")
    assert values(r) == {35000.0, 2000.0, 100500.0}


# -- nlp3: penalty decisions ----------------------------------------------------------------------


def test_penalty_as_a_row_of_a_published_table() -> None:
    r = extract(
        "行政处罚信息公示表\n序号\t企业名称\t处罚决定书文号\t违法行为类型\t行政处罚内容\t作出行政处罚决定机关名称\t作出行政处罚决定日期\n"
        "1\t甘肃某某村镇银行股份有限公司\t兰银罚字〔2016〕第3号\t违反存款准备金管理规定\t罚款1017.61元\t中国人民银行兰州中心支行\t2016年11月4日"
    )
    assert names(r) == {("甘肃某某村镇银行股份有限公司", "当事人")}
    assert r["cause"] == "违反存款准备金管理规定"
    assert r["case_number"] == "兰银罚字〔2016〕第3号"
    assert r["date"] == "2016-11-04"


def test_penalty_party_fields_separated_by_semicolons() -> None:
    r = extract(
        "行政处罚信息公开表\n行政处罚决定书文号：晋中银保监罚决字〔2020〕8号\n"
        "被处罚当事人：个人姓名：无；单位名称：山西某某农村商业银行股份有限公司；法定代表人（主要负责人）姓名：刘某\n"
        "主要违法违规事实（案由）：违规发放贷款\n行政处罚决定：罚款40万元\n作出处罚决定的机关名称：晋中银保监分局\n"
        "作出处罚决定的日期：2020年7月10日"
    )
    assert names(r) == {("山西某某农村商业银行股份有限公司", "当事人")}


def test_penalty_violation_phrasings_and_full_signed_authority() -> None:
    r = extract(
        "中国人民银行上海分行行政处罚决定书\n上海银罚字〔2017〕28号\n当事人：某某信息科技有限公司\n"
        "经查，你公司违反支付业务规定。根据《非金融机构支付服务管理办法》第四十二条规定，我分行决定对你公司处罚款150万元。\n"
        "中国人民银行上海分行\n二〇一七年八月二十一日"
    )
    assert r["cause"] == "违反支付业务规定"
    r = extract(
        "中国银保监会黑龙江监管局行政处罚决定书\n黑银保监罚决字〔2021〕12号\n当事人：王某某\n"
        "经查，王某某对该行违规发放贷款负有直接管理责任。依据《中华人民共和国银行业监督管理法》第四十八条，我局决定对王某某给予警告。\n"
        "2021年5月20日"
    )
    assert r["cause"] == "违规发放贷款"
    r = extract(
        "银保监会行政处罚决定书（银保监罚决字〔2021〕35号）\n当事人：某某财产保险有限公司\n"
        "经查，当事人存在以下违法行为：编制虚假报告。依据《中华人民共和国保险法》第一百七十条，我会决定：罚款30万元。\n"
        "中国银保监会\n2021年7月9日"
    )
    assert r["authority"] == "中国银保监会"


def test_guarantor_outside_the_party_list_listed_with_a_party() -> None:
    r = extract(HEAD3 + "经审理查明，被告钱某1向原告借款40万元，还款协议约定被告孙某1、李建国对钱某1的全部债务承担连带担保责任。")
    assert pairs(r) == {("孙某1", "钱某1"), ("李建国", "钱某1")}


def test_two_people_named_in_the_clause_before_borrowed_together() -> None:
    r = extract(
        "原告：赵某1，男。\n被告：钱某1，男。\n被告：周某1，女。\n被告：孙某1，男。\n"
        "原告诉称，被告钱某1、周某1系夫妻，二人共同向原告借款5万元，被告孙某1提供担保。"
    )
    assert pairs(r) == {("孙某1", "钱某1"), ("孙某1", "周某1")}
    assert r["not_guarantees"] == []


# -- nlp4: classes seen on the fourth tune batch (published from the claims on) -------------------


def test_text_opening_with_the_claims_has_no_case_number_or_court_of_its_own() -> None:
    r = extract(
        "东建公司向本院提出诉讼请求：判令华庭公司归还借款100万元。事实和理由：华庭公司向东建公司借款100万元。\n"
        "华庭公司辩称，借款已还。\n"
        "本院认为，最高人民法院（2017）最高法民辖终81号民事裁定书已认定管辖，华庭公司应归还借款。判决如下："
    )
    assert r["case_number"] is None and r["authority"] is None
    assert names(r) == {("东建公司", "原告"), ("华庭公司", "被告")}


def test_claim_verb_and_adverbs_are_not_part_of_a_name() -> None:
    r = extract(
        "原告李某1向本院提出诉讼请求：1．判令星河公司归还借款；2．判令喀什公司、食乐公司对上述债务承担连带清偿责任。\n"
        "被告段现才辩称，借款已还。被告段现才亦未提交证据。被告张淑芳述称借款属实。\n"
        "本院认为，被告段现才应归还借款。判决如下："
    )
    got = {n for n, _ in names(r)}
    assert {"喀什公司", "食乐公司", "段现才", "张淑芳"} <= got
    assert not any(n.startswith("判令") or n.endswith(("亦", "述", "称")) for n in got)


def test_qi_inside_a_three_character_name_and_an_unlisted_surname() -> None:
    r = extract(
        "原告童某向本院提出诉讼请求：判决被告归还借款。\n被告翁其伟答辩称，不知情。\n"
        "被告厚富公司、伦加升共同辩称，借款人是他人。\n本院认为，应予支持。判决如下："
    )
    assert {("翁其伟", "被告"), ("伦加升", "被告"), ("厚富公司", "被告")} <= names(r)


def test_a_short_firm_name_opening_the_claims_is_the_plaintiff() -> None:
    r = extract("远翔启鑫向本院提出诉讼请求：判令茂城置业立即偿还借款5.5亿元。\n茂城置业辩称，未违约。\n本院认为，应予支持。判决如下：")
    assert {("远翔启鑫", "原告"), ("茂城置业", "被告")} <= names(r)


def test_a_plaintiff_is_never_the_debtor_of_a_guarantee() -> None:
    r = extract(
        "刘更新、刘秀菊向本院提出诉讼请求：1．判令彭桃丽偿还借款1280万元；2．判令李万杰对上述借款承担连带担保责任。\n"
        "事实与理由：刘更新、刘秀菊和彭桃丽、李万杰签订借款合同及相应的担保合同，约定由李万杰承担连带保证责任。\n"
        "彭桃丽辩称，借款已还。李万杰辩称，保证期间已过。\n本院认为，李万杰作为连带责任保证人，应对上述债务承担连带清偿责任。判决如下："
    )
    assert pairs(r) == {("李万杰", "彭桃丽")}


def test_a_spouse_sued_for_the_marital_debt_is_not_a_guarantor() -> None:
    r = extract(
        "东建公司向本院提出诉讼请求：1．判令华庭公司归还借款；2．判令赵亚东对上述款项承担连带清偿责任；"
        "3．判令赵亚东、李海燕以其夫妻共同财产承担上述债务的偿付责任。事实和理由：华庭公司向东建公司借款1500万元，赵亚东作为保证人自愿为华庭公司提供担保。"
        "李海燕与赵亚东系夫妻关系，应按夫妻共同债务处理。\n"
        "华庭公司辩称，已还款。赵亚东、李海燕辩称，保证责任应予免除，李海燕无需承担责任。\n"
        "本院认为，李海燕、赵亚东均在合同中签字确认，对担保行为达成了合意，李海燕对赵亚东的担保行为是明知的，"
        "应按夫妻共同债务处理。判决如下："
    )
    assert ("赵亚东", "华庭公司") in pairs(r)
    assert not any(g == "李海燕" for g, _ in pairs(r))


def test_a_party_that_borrowed_nothing_is_not_a_guarantees_debtor() -> None:
    r = extract(
        "原告郑满林诉称：被告厚富公司系被告伦加升成立的一人有限责任公司。被告厚富公司向原告借款1500万元，被告陈淦坤作为保证人签署了《借款协议书》。\n"
        "被告厚富公司、伦加升共同辩称：本案的实际借款人系陈淦坤。陈淦坤向被告伦加升承诺涉案债务与被告伦加升无关，"
        "但不影响陈淦坤在本案中作为担保人的身份。\n"
        "本院认为，本院认定案涉借款的借款人为被告厚富公司，担保人为被告陈淦坤。判决如下："
    )
    assert pairs(r) == {("陈淦坤", "厚富公司")}


def test_the_spouse_of_a_guarantor_is_not_a_guarantor() -> None:
    r = extract(
        "原告郑满林诉称：被告陈洁霞系被告陈淦坤的妻子。被告厚富公司向原告借款1500万元，被告陈淦坤作为保证人签署了《借款协议书》。"
        "请求判令被告陈淦坤、陈洁霞对上述债务承担连带清偿责任。\n"
        "被告陈淦坤、陈洁霞共同辩称：被告陈洁霞无需对被告陈淦坤的债务承担连带责任，陈淦坤仅为担保人。\n"
        "本院认为，被告厚富公司应归还借款。原告以被告陈洁霞为保证人陈淦坤的配偶为由要求其对案涉债务承担共同清偿责任，缺乏依据，"
        "夫妻一方对外担保之债不应认定为夫妻共同债务。判决如下："
    )
    assert pairs(r) == {("陈淦坤", "厚富公司")}


def test_names_masked_with_x_in_running_text() -> None:
    r = extract(
        "原告夏xx诉称，被告黄xx因为房屋维修向其借款人民币10万元。\n被告黄xx辩称，借款已还清。\n"
        "本院认为，被告应偿还借款。第三人夏x丽经本院传票传唤，无正当理由拒不到庭。判决如下："
    )
    assert {("夏xx", "原告"), ("黄xx", "被告"), ("夏x丽", "第三人")} <= names(r)


def test_a_weak_mention_labels_only_the_names_before_he_or_ji() -> None:
    r = extract(
        "原告陈梅诉称，被告陈葵向原告借款199万元。\n被告陈葵辩称，借款属实。\n"
        "本院认为，银行流水显示，被告陈葵及谢木兰在接收上述款项后均转入永晟公司账户，谢木兰系该公司财务。判决如下："
    )
    assert "谢木兰" not in {n for n, _ in names(r)}
    assert ("陈葵", "被告") in names(r)


def test_the_parts_of_a_claimed_sum_in_brackets_are_amounts() -> None:
    r = extract(
        "郭庆平向本院提出诉讼请求：1．判令二被告偿还原告借款5547738元（其中3507980元没有约定利息，2039758元约定月利率3％）；"
        "2．本案诉讼费由二被告承担。事实和理由：被告李云峰向原告借款。\n李云峰辩称，已还清。\n本院认为，不予支持。判决如下："
    )
    assert {5547738.0, 3507980.0} <= {a["value"] for a in r["amounts"]}


def test_a_spouse_sued_for_a_debt_one_spouse_borrowed_alone() -> None:
    r = extract(
        "原告童雪会向本院提出诉讼请求：判决被告归还原告借款本金200000元。事实和理由：两被告系夫妻关系，被告葛雪燕向原告借款200000元。\n"
        "被告翁其伟答辩称，借款未用于家庭生活。\n"
        "本院认为，两被告有正常的收入，婚后无较大数额的财产增加，葛雪燕在婚后以个人的名义向他人借款的金额已远远超出家庭需要，"
        "故翁其伟不应当承担本案借款的还款责任，该债务不属夫妻共同债务。判决如下："
    )
    assert {(n["party"], n["debtor"], n["kind"]) for n in r["not_guarantees"]} == {("翁其伟", "葛雪燕", "spouse_joint_debt")}
    assert r["guarantees"] == []


def test_a_loan_contract_titled_with_a_pledge_makes_no_guarantor() -> None:
    r = extract(
        "原告叶敬国诉称：被告王中林向原告借款，以银吉典当公司的名义借款给周红卫。请求判令被告银吉典当公司归还借款6350万元。\n"
        "被告银吉典当公司答辩称：借款关系在原告和被告王中林之间。\n"
        "本院认为，虽然银吉典当公司与鑫隆达公司、周红卫等签订了四份《股权质押借款合同》，但周红卫和银吉典当公司均否认履行过该合同，"
        "王中林的借款行为是个人行为。判决如下："
    )
    assert r["guarantees"] == []


def test_a_label_not_standing_before_a_name_labels_nobody() -> None:
    r = extract(
        "原告叶敬国诉称：被告王中林向原告借款。还款期限到期后，被告以第三人重庆鑫隆达商贸有限公司、重庆鑫隆达房地产开发有限公司、"
        "周红卫等未归还其借款为由，拒不归还原告借款。\n被告王中林答辩称：借款已还。\n"
        "本院认为，周红卫、重庆鑫隆达房地产开发有限公司与本案无关，被告王中林应归还借款。判决如下："
    )
    assert names(r) == {("叶敬国", "原告"), ("王中林", "被告")}


def test_two_companies_listed_side_by_side_are_two_parties() -> None:
    r = extract(
        "原告平凉宝秦公司诉称，被告平凉百昌公司向我公司借款200万元，由党海峰个人担保。\n"
        "被告平凉百昌昌盛公司、平凉百昌公司辩称：借款是事实。被告党海峰辩称：与党海峰无关。\n"
        "本院认为，平凉百昌昌盛公司、平凉百昌公司应清偿借款本息，党海峰作为担保人签章。判决如下："
    )
    assert {("平凉百昌昌盛公司", "被告"), ("平凉百昌公司", "被告")} <= names(r)
    assert ("党海峰", "平凉百昌公司") in pairs(r)


# -- nlp6: penalty decisions and headings of real published material ----------------------------

_PBC_ROW = (
    '<tr><td><p>{n}</p></td><td><p>{name}</p></td><td><p>银罚决字〔2025〕{no}号</p></td>'
    "<td>{viol}</td><td><p>{pen}</p></td><td><p>中国人民银行</p></td><td><p>2025年8月 20日</p></td>"
    "<td><p>三年</p></td><td></td></tr>"
)


def _pbc_page(rows: str) -> str:
    return (
        "<div><h3>银罚决字〔2025〕31-32号</h3><p>发布时间：2025年09月30日 </p><table><tbody><tr>"
        "<td><p>序号</p></td><td><p>当事人名称</p></td><td><p>行政处罚<br> 决定书文号</p></td><td><p>违法行为类型</p></td>"
        "<td><p>行政处罚内容</p></td><td><p>作出行政处罚<br> 决定机关名称</p></td><td><p>作出行政处罚<br> 决定日期</p></td>"
        "<td><p>公示期限</p></td><td><p>备注</p></td></tr>" + rows + "</tbody></table></div>"
    )


def test_disclosure_page_of_several_decisions_in_a_table(tmp_path: Any) -> None:
    """A 行政处罚公示 page (one decision a row, a unit and the persons answerable for it): every row's
    party, its name without the affiliation in brackets; authority and date from their columns, never
    the page's 发布时间; the first violation of the first row as the cause; every fine."""
    from guanxi.nlp import extract_file

    page = _pbc_page(
        _PBC_ROW.format(n=1, name="浙商银行股份有限公司", no=31, pen="警告，没收违法所得1.5万元，罚款295.99万元",
                        viol="<p>1.违反账户管理规定；</p> <p>2.违反商户管理规定。</p>")
        + _PBC_ROW.format(n=2, name="宋某仁（时任浙商银行股份有限公司运营管理部总经理)", no=32, pen="警告，罚款7万元",
                          viol="<p>对浙商银行股份有限公司以下违法行为负有责任：</p> <p>违反账户管理规定。</p>")
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    r = extract_file(path)
    assert r["doc_type"] == "penalty"
    assert names(r) == {("浙商银行股份有限公司", "当事人"), ("宋某仁", "当事人")}
    assert {p["name"]: p["kind"] for p in r["parties"]} == {"浙商银行股份有限公司": "organization", "宋某仁": "person"}
    assert r["case_number"] == "银罚决字〔2025〕31-32号"
    assert r["authority"] == "中国人民银行"
    assert r["date"] == "2025-08-20"
    assert r["cause"] == "违反账户管理规定"
    assert {(a["value"], a["type"]) for a in r["amounts"]} >= {(2959900.0, "fine"), (15000.0, "confiscation"), (70000.0, "fine")}


def test_disclosure_table_label_and_value_on_lines_of_their_own() -> None:
    """A 行政处罚信息公开表 pasted as text: each cell on its own line, the party's row split over
    `单位` / `名称` and an empty `个人姓名`; the legal representative is no party."""
    r = extract(
        "吴忠银监分局行政处罚信息公开表\n（宁夏青铜峡贺兰山村镇银行股份有限公司）\n行政处罚决定书文号\n吴银监罚决字〔2018〕11号\n"
        "被处罚当事人姓名或名称\n个人姓名\n \n单位\n名称\n宁夏青铜峡贺兰山村镇银行股份有限公司 \n法定代表人（主要负责人）姓名\n李凌峰\n"
        "主要违法违规事实（案由）\n以不正当手段吸收存款、违规发放贷款\n行政处罚依据\n《中华人民共和国商业银行法》第七十四条第三项\n"
        "行政处罚决定\n罚款三十万元\n作出处罚决定的机关名称\n中国银监会吴忠监管分局\n作出处罚决定的日期\n2018年4月23日\n"
    )
    assert names(r) == {("宁夏青铜峡贺兰山村镇银行股份有限公司", "当事人")}
    assert (r["case_number"], r["authority"], r["date"]) == ("吴银监罚决字〔2018〕11号", "中国银监会吴忠监管分局", "2018-04-23")
    assert r["cause"] == "以不正当手段吸收存款、违规发放贷款"
    assert [(a["value"], a["type"]) for a in r["amounts"]] == [(300000.0, "fine")]


def test_disclosure_table_as_html_with_a_row_split_over_cells(tmp_path: Any) -> None:
    """The same table as published in HTML (`单  位` spanning two rows, `姓名或全称`, an empty person cell `—`)."""
    from guanxi.nlp import extract_file

    page = (
        "<p>天津银监局行政处罚信息公开表</p><p>（平安银行股份有限公司）</p><table>"
        "<tr><td colspan='3'><b>行政处罚决定书文号</b></td><td><span>津银监罚决</span><span>字〔2018〕35号</span></td></tr>"
        "<tr><td rowspan='3'>被处罚当事人姓名或全称</td><td colspan='2'>个人姓名</td><td>—</td></tr>"
        "<tr><td rowspan='2'>单<span>  </span>位</td><td>名称</td><td>平安银行股份有限公司</td></tr>"
        "<tr><td>法定代表人（主要负责人）姓名</td><td>谢永林</td></tr>"
        "<tr><td colspan='3'>主要违法违规事实（案由）</td><td>贷后管理失职，流动资金贷款被挪用</td></tr>"
        "<tr><td colspan='3'>行政处罚决定</td><td>罚款人民币<span>50</span>万元</td></tr>"
        "<tr><td colspan='3'>作出处罚决定的机关名称</td><td>天津银监局</td></tr>"
        "<tr><td colspan='3'>作出处罚决定的日期</td><td>2018年<span>6</span>月28日</td></tr></table>"
    )
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    r = extract_file(path)
    assert names(r) == {("平安银行股份有限公司", "当事人")}
    assert (r["case_number"], r["authority"], r["date"]) == ("津银监罚决字〔2018〕35号", "天津银监局", "2018-06-28")
    assert [(a["value"], a["type"]) for a in r["amounts"]] == [(500000.0, "fine")]


def test_regulator_only_in_a_title_that_names_the_party() -> None:
    r = extract(
        "中国银保监会广东监管局行政处罚决定书(北京联合保险经纪有限公司广东分公司)\n\n粤银保监罚决字〔2019〕2号\n\n"
        "被处罚单位名称:北京联合保险经纪有限公司广东分公司\n地          址:广州市越秀区环市东路450号\n主 要 负 责 人:梅兰香\n"
        "经查,你公司存在财务数据不真实的行为。根据该法第一百七十二条的规定,我局决定对你公司罚款人民币10万元。\n"
    )
    assert r["authority"] == "中国银保监会广东监管局"
    assert names(r) == {("北京联合保险经纪有限公司广东分公司", "当事人")}
    assert r["cause"] == "财务数据不真实"


def test_short_title_name_and_full_signed_name_are_one_regulator() -> None:
    r = extract(
        "北京银保监局行政处罚决定书\n京银保监罚决字〔2020〕13号\n当事人：中国建设银行股份有限公司北京市分行\n"
        "经查，你行存在贷款资金被挪用的违法违规行为。我局决定对你行罚款人民币40万元。\n中国银保监会北京监管局\n2020年2月24日\n"
    )
    assert r["authority"] == "中国银保监会北京监管局"
    r = extract(
        "国家金融监督管理总局临沂监管分局行政处罚决定书\n临沂金罚决字〔2023〕12号\n当事人：山东临沂农村商业银行股份有限公司\n"
        "经查，该行存在贷款三查不尽职的违法违规行为。我分局决定对该行罚款人民币25万元。\n临沂金融监管分局\n二〇二三年十二月五日\n"
    )
    assert (r["authority"], r["date"]) == ("国家金融监督管理总局临沂监管分局", "2023-12-05")


def test_violation_of_a_party_named_in_full_after_jingchashi() -> None:
    r = extract(
        "中国保监会重庆监管局行政处罚决定书\n\n渝保监罚〔2013〕46号\n\n当事人:中国人寿保险股份有限公司重庆市分公司\n"
        "住  所:重庆市渝中区民族路23号\n\n经查实,中国人寿保险股份有限公司重庆市分公司存在欺骗投保人的行为。\n"
    )
    assert r["cause"] == "欺骗投保人"


def test_ocr_doubled_label_and_its_doubled_value() -> None:
    r = extract(
        "中国银保监会某监管分局行政处罚决定书\n某银保监罚决字〔2020〕3号\n当当事事人人：：张张某某\n"
        "经查，张某对该行违规发放贷款负有直接责任。我分局决定对张某给予警告。\n"
    )
    assert names(r) == {("张某", "当事人")}


# -- nlp5: a judgment's fact finding published on its own (cail2019-rc), typos, running-text names --------


def test_a_fact_finding_passage_is_a_judgment_with_its_parties() -> None:
    r = extract(
        "经审理查明,2015年2月15日,借款人魏x9向原告管x0借款20万元,由被告王1、罗x3、李x4、金x6自愿为其提供连带责任担保,"
        "双方签订担保借款合同一份借款期限届满后,借款人未履行还款义务,担保人亦未履行担保责任,遂引起诉讼."
    )
    assert r["doc_type"] == "judgment"
    assert r["case_number"] is None and r["authority"] is None
    assert names(r) == {("管x0", "原告"), ("王1", "被告"), ("罗x3", "被告"), ("李x4", "被告"), ("金x6", "被告")}


def test_names_masked_with_digits_and_masked_firms_in_running_text() -> None:
    r = extract(
        "经审理查明,2014年7月29日被告营xxxxxxxx3与营口沿海银行股份有限公司签订《银行承兑协议》,原告大xxxxxxxxxxxxxx0提供担保"
        "另查,原告与被告营xxxxxxxx3、被告李x8签订了《保证反担保合同》被告黄x4、黄x7系被告贵13装饰公司股东"
        "原告林0主张,借款时,被告余x1也有在场"
    )
    assert {("营xxxxxxxx3", "被告"), ("大xxxxxxxxxxxxxx0", "原告"), ("李x8", "被告"), ("黄x4", "被告"),
            ("黄x7", "被告"), ("贵13装饰公司", "被告"), ("林0", "原告"), ("余x1", "被告")} == names(r)


def test_a_label_before_yu_does_not_swallow_the_next_party() -> None:
    r = extract(
        "本院经审理查明,2012年11月29日,原告与被告乌拉盖财政局签订《借款合同》,原告与第三人成都西9房地产有限责任公司施工合同纠纷一案"
        "2014年12月11日,管委会向原告回函,原告向被告乌拉盖管委会出具《关于土地收储项目还款有关事宜的函》"
    )
    assert names(r) == {("乌拉盖财政局", "被告"), ("成都西9房地产有限责任公司", "第三人"), ("乌拉盖管委会", "被告")}


def test_shang_yu_is_not_a_name() -> None:
    r = extract(
        "原告张某某向本院提出诉讼请求：判令被告刘某偿还借款10万元。\n被告刘某辩称，已还款。\n"
        "本院认为，被告尚余借款本金5万元未还，被告尚余借款应予归还。判决如下："
    )
    assert "尚余" not in {n for n, _ in names(r)}


def test_a_typo_makes_no_second_party() -> None:
    r = extract(
        "原告章益锋向本院提出诉讼请求：判令被告华通公司归还借款6000万元。\n被告华通公司、华拓公司辩称，借款属实。\n"
        "本院认为，原告章益锋出借款项，华通公司、华拓公司应归还章益峰借款本金，原告章益峰的请求成立。判决如下："
    )
    assert names(r) == {("章益锋", "原告"), ("华通公司", "被告"), ("华拓公司", "被告")}


def test_the_sites_publication_date_is_never_the_decision_date() -> None:
    r = extract(
        "马玉兰与吴兰兵民间借贷纠纷一审民事判决书\n发布日期：2018年11月05日\n浏览：12次\n江西省湖口县人民法院\n民 事 判 决 书\n"
        "（2018）赣0429民初914号\n原告马玉兰，女，1986年10月16日出生，回族。\n被告吴兰兵，男，1981年8月1日出生，汉族。\n"
        "原告马玉兰与被告吴兰兵民间借贷纠纷一案，本院于2018年9月17日立案。\n判决如下：\n"
        "被告吴兰兵于本判决生效之日起三日内一次性归还原告马玉兰借款本金47000元。\n审判员　　吕颖\n书记员　　刘盼"
    )
    assert (r["case_number"], r["authority"]) == ("（2018）赣0429民初914号", "江西省湖口县人民法院")
    assert r["date"] is None  # the signature carries no date; 发布日期 is the site's


def test_a_person_and_a_unit_in_one_penalty_field() -> None:
    r = extract(
        "行政处罚决定书文号：鄂银保监罚决字〔2020〕12号\n"
        "被处罚当事人姓名或名称：个人姓名：张某（时任湖北某农村商业银行股份有限公司某支行行长）；单位名称：湖北某农村商业银行股份有限公司\n"
        "主要违法违规事实（案由）：违规发放贷款\n行政处罚决定：对湖北某农村商业银行股份有限公司罚款人民币30万元；对张某给予警告\n"
        "作出处罚决定的机关名称：中国银保监会湖北监管局\n作出处罚决定的日期：2020年6月1日\n"
    )
    assert names(r) == {("张某", "当事人"), ("湖北某农村商业银行股份有限公司", "当事人")}
    assert {p["name"]: p["kind"] for p in r["parties"]}["张某"] == "person"


def test_pbc_branch_decision_number_with_di_and_a_zero_written_as_digit() -> None:
    r = extract(
        "中国人民银行长沙中心支行行政处罚决定书\n（长银罚字〔2019〕第5号）\n当事人：湖南某农村商业银行股份有限公司\n地址：湖南省长沙市\n"
        "经查，你行存在违反人民币管理规定的行为。本行决定：给予警告，没收违法所得人民币1,234.56元，并处罚款人民币5万元。\n"
        "中国人民银行长沙中心支行\n二0一九年元月八日\n"
    )
    assert (r["case_number"], r["authority"], r["date"]) == ("长银罚字〔2019〕第5号", "中国人民银行长沙中心支行", "2019-01-08")
    assert {(a["value"], a["type"]) for a in r["amounts"]} == {(1234.56, "confiscation"), (50000.0, "fine")}


def test_guarantee_for_a_borrower_who_is_not_a_party() -> None:
    r = extract(
        "经审理查明,2014年9月20日,顾x7向原告沈x0签订借款协议一份,双方约定:顾x7向原告借款500000元,"
        "被告金x2、沈x3作为保证人在借款协议担保方落款处签名并捺印同日,原告将借款交付给顾x7"
    )
    assert pairs(r) == {("金x2", "顾x7"), ("沈x3", "顾x7")}
    r = extract(
        "经审理查明:2011年7月12日,借款人陈精奕向原告借款40000元,借条中担保人位置上签有“余x1”三个字"
        "原告林0主张,借条上担保人“余x1”三个字确系被告余x1本人所写"
    )
    assert pairs(r) == {("余x1", "陈精奕")}


def test_non_party_guarantors_in_brackets_and_listed_after_you() -> None:
    r = extract(
        "本院对以下事实予以认定:2013年7月12日,贵阳银行贵山支行(贷款人、乙方)与被告寇3(借款人、甲方)签订《贵阳银行个人借款合同》"
        "2013年6月4日,贵阳银行贵山支行(甲方、贷款人)与市小贷中心(乙方、担保人)及陈x4(丙方)签订《小额贷款担保合同》"
        "2013年6月5日,陈x4(甲方、反担保人)与市小贷中心(乙方、反担保权人)签订《反担保合同书》"
    )
    assert pairs(r) == {("市小贷中心", "寇3"), ("陈x4", "寇3")}
    r = extract(
        "本院认定本案事实如下:2014年7月13日原告王x0与被告师x2签订70000元《借款合同》一份,"
        "合同项目下的借款本息均由洛阳宝安房地产开发有限公司、被告洛阳宇航重工公司提供连带责任保证"
    )
    assert pairs(r) == {("洛阳宝安房地产开发有限公司", "师x2"), ("洛阳宇航重工公司", "师x2")}


def test_guarantors_signing_a_guarantee_contract_with_the_bank() -> None:
    r = extract(
        "经审理查明:2013年12月25日被告杜x6、袁x4分别与中国工商银行股份有限公司许昌分行签订《最高额保证合同》,"
        "担保的主债权为…对河xxxxxxxxxx3所享有的债权保证方式为连带责任保证保证期间为借款到期日之次日起两年"
        "2013年12月25日被告河xxxxxxxxxx3与中国工商银行股份有限公司许昌分行签订《固定资产借款合同》一份,借款金额为人民币6400万元"
        "同日,被告河xxxxxxxxxx3与中国工商银行股份有限公司许昌分行签订《抵押合同》,以其土地使用权提供抵押担保"
    )
    assert pairs(r) == {("杜x6", "河xxxxxxxxxx3"), ("袁x4", "河xxxxxxxxxx3")}
    assert r["date"] is None


def test_a_plaintiff_named_as_guarantor_is_a_recourse_case() -> None:
    r = extract(
        "经审理查明,2011年9月16日,原被告与中国农业银行股份有限公司重庆梁平支行签订个人购房担保借款合同,被告袁x4向该行借款21.9万元,"
        "二被告用所购房屋作抵押,原告重xxxxxxxxxxxx0作为担保人为该借款提供连带责任担保二被告于2012年12月20日起没有再按期归还贷款,"
        "由原告代为垫付房屋按揭款,特诉讼来院,请求判令二被告偿还原告垫付的房屋贷款38719.35元及利息"
    )
    assert ("重xxxxxxxxxxxx0", "袁x4") in pairs(r)
    assert 38719.35 in values(r)


def test_a_claim_word_in_the_evidence_sentence_is_no_claim() -> None:
    r = extract(
        "原告围绕诉讼请求依法提交证据,本院对以下事实予以认定:2013年7月12日,贵阳银行贵山支行与被告寇3签订《个人借款合同》,"
        "约定:借款金额8万元;乙方担保范围为借款人借用的贷款本金7.2万元原告诉至本院要求处理另查明,律师代理费3000元"
    )
    assert r["amounts"] == []


def test_agreed_joint_liability_and_masked_guarantors_who_are_not_parties() -> None:
    head = "原告张某某向本院提出诉讼请求：判令被告刘某偿还借款10万元。\n被告刘某辩称，已还款。\n本院认为，被告刘某于2015年向原告借款10万元，"
    assert pairs(extract(head + "借款合同约定由被告王某承担连带清偿责任。判决如下：")) == {("王某", "刘某")}
    assert pairs(extract(head + "由案外人赵某提供担保，担保人赵某在借条上签字。判决如下：")) == {("赵某", "刘某")}
    assert pairs(extract(head + "并由孙某某作为担保人在借条上签字。判决如下：")) == {("孙某某", "刘某")}
    assert pairs(extract(head + "约定由吴某承担连带保证责任。判决如下：")) == {("吴某", "刘某")}


def test_co_repayment_agreed_later_is_not_a_guarantee() -> None:
    r = extract(
        "何晓玲向本院提出诉讼请求：判令耿春萍偿还借款本金1425万元。事实和理由：耿春萍向原告借款1500万元。"
        "2015年6月14日，耿春萍、博泰公司与原告签订欠款清偿协议，协议签订后由耿春萍、博泰公司共同承担还款责任。\n"
        "被告耿春萍未答辩。被告博泰公司辩称，其不是借款人。"
    )
    assert {(n["party"], n["debtor"], n["kind"]) for n in r["not_guarantees"]} >= {("博泰公司", "耿春萍", "co_repayment")}
    assert r["guarantees"] == []


def test_a_claimants_tally_without_a_claims_section_is_the_claim() -> None:
    r = extract(
        "原告平凉宝秦公司诉称，被告平凉百昌公司向我公司借款200万元，由党海峰个人担保。后经催要，被告仅还款50万元。"
        "截止2016年1月20日，被告应当退付我公司购车款400万元，偿付违约金67万元；应当归还我公司借款150万元，支付利息412500元，共计6582500元。\n"
        "被告平凉百昌公司辩称，借款属实。"
    )
    assert {4000000.0, 670000.0, 1500000.0, 412500.0, 6582500.0} <= values(r)


def test_the_parts_of_a_claimed_sum_named_in_the_facts_are_claimed() -> None:
    r = extract(
        "曾凡惠向本院提出诉讼请求：1．判令祁文宏给付曾凡惠1180万元；2．本案诉讼费由祁文宏承担。\n"
        "祁文宏辩称，借款已还。\n本院认定事实如下：程体明将其对祁文宏享有的1180万元人民币债权（包括借款本金800万元及利息380万元）转让给曾凡惠。"
    )
    assert {11800000.0, 8000000.0, 3800000.0} <= values(r)


_JBODY = (
    "\n原告：某银行股份有限公司，住所地某市。\n被告：张某，男，1980年1月1日出生。\n"
    "原告某银行股份有限公司与被告张某金融借款合同纠纷一案，本院立案后依法审理。\n判决如下：\n"
    "被告张某于本判决生效之日起十日内偿还原告借款本金10000元。\n审判员　李某\n"
)


def test_case_number_with_spaces_as_extracted_from_a_pdf() -> None:
    r = extract("江苏省兴化市人民法院\n民 事 判 决 书\n（2019） 苏1281 民初 123 号" + _JBODY + "二〇一九年十二月三十一日\n书记员　王某")
    assert r["case_number"] == "（2019）苏1281民初123号"


def test_signature_date_glued_to_the_court_that_signs() -> None:
    r = extract("广东省深圳市福田区人民法院\n民事判决书\n（2020）粤0304民初5678号" + _JBODY
                + "二〇二〇年十二月十日广东省深圳市福田区人民法院\n书记员　王某")
    assert r["date"] == "2020-12-10"
    r = extract("广东省深圳市福田区人民法院\n民事判决书\n（2020）粤0304民初5678号" + _JBODY.replace(
        "本院立案后依法审理。", "原告于2020年3月1日诉至深圳市福田区人民法院\n") + "书记员　王某")
    assert r["date"] is None  # a fact date before a court named in the narrative is no sign-off


def test_nfra_disclosure_table_with_its_regulator_only_in_the_title() -> None:
    """金融监管总局's newer 信息公开表: `主要违法违规行为` / `作出决定机关` columns; the violation is the table's, not
    a header cell read as a sentence; the regulator from the title line."""
    r = extract(
        "国家金融监督管理总局宿迁监管分局行政处罚信息公开表\n序号\t当事人名称\t主要违法违规行为\t行政处罚内容\t作出决定机关\n"
        "1\t江苏宿迁农村商业银行股份有限公司\t贷款三查不到位\t罚款30万元\t国家金融监督管理总局宿迁监管分局\n"
        "2\t王某某（时任江苏宿迁农村商业银行股份有限公司某支行行长）\t对上述违法违规行为负有责任\t警告并罚款5万元\t国家金融监督管理总局宿迁监管分局\n"
    )
    assert names(r) == {("江苏宿迁农村商业银行股份有限公司", "当事人"), ("王某某", "当事人")}
    assert (r["authority"], r["cause"]) == ("国家金融监督管理总局宿迁监管分局", "贷款三查不到位")
    assert {a["value"] for a in r["amounts"]} == {300000.0, 50000.0}


def test_a_claimed_loss_named_by_no_loan_word_is_claimed() -> None:
    r = extract(
        "原告张某1，男，1970年1月1日出生。\n被告李某1，男，1975年2月2日出生。\n"
        "原告张某1向本院提出诉讼请求：1、判令被告偿还借款5万元；2、判令被告赔偿原告经济损失20000元。\n被告李某1辩称，借款已还。"
    )
    assert {50000.0, 20000.0} <= values(r)


def test_an_undertaking_to_pay_if_the_debtor_does_not_is_a_guarantee() -> None:
    r = extract(
        "原告张某1，男，1970年1月1日出生。\n被告李某1，男，1975年2月2日出生。\n被告王某2，男，1976年3月3日出生。\n"
        "原告张某1向本院提出诉讼请求：判令被告偿还借款5万元。\n被告李某1辩称，借款已还。\n"
        "经审理查明，2015年1月1日，被告李某1向原告借款5万元，被告王某2承诺如李某1不能还款，由其负责偿还。"
    )
    assert pairs(r) == {("王某2", "李某1")}


def test_a_fact_passage_names_another_cases_cause() -> None:
    r = extract(
        "经审理查明,原告与第三人成都西9房地产有限责任公司施工合同纠纷一案,经四川省郫县人民法院判决且立案执行,"
        "被告作为保证人承担连带保证责任"
    )
    assert r["doc_type"] == "judgment" and r["cause"] is None


def test_a_guarantor_labelled_once_and_jing_x_danbao() -> None:
    r = extract("原告张兰英诉称，2015年3月，被告罗晓红经被告刘国强担保向原告借款10万元。\n"
                "被告罗晓红辩称，借款属实。被告刘国强辩称，不同意承担担保责任。")
    assert pairs(r) == {("刘国强", "罗晓红")}
    r = extract("原告张兰英诉称，被告罗晓红向原告借款10万元，被告刘国强、陈小兵作为担保人在借条上签字。\n被告罗晓红辩称，借款属实。")
    assert {("刘国强", "被告"), ("陈小兵", "被告")} <= names(r)
    assert pairs(r) == {("刘国强", "罗晓红"), ("陈小兵", "罗晓红")}
    r = extract("原告张兰英向本院提出诉讼请求：判令被告罗晓红偿还借款10万元，被告刘国强承担保证责任。\n"
                "被告刘国强辩称，其签字时借款已经交付。本院认为，刘国强在借条上签字担保，应承担保证责任。")
    assert ("罗晓红", "被告") in names(r)
    assert pairs(r) == {("刘国强", "罗晓红")}
