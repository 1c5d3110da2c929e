"""Extraction on the layouts real published documents have (one class of error per test, #17).

The snippets are short and written here; accuracy on real documents is measured by
bench/nlp_accuracy.py on tests/nlp/realset.
"""

from __future__ import annotations

from typing import Any

from guanxi.nlp import extract
from guanxi.nlp.amounts import contradiction
from guanxi.nlp.header import trim_authority

H = "某县人民法院\n民事判决书\n（2020）皖1024民初1号\n"
BANK = "原告：某县农村商业银行股份有限公司，住所地某县。\n"
SIGN = "审判员 周某\n二〇二〇年五月六日\n"


def pairs(r: dict[str, Any]) -> set[tuple[str, str]]:
    """Return the (guarantor, debtor) pairs of an extraction."""
    return {(g["guarantor"], g["debtor"]) for g in r["guarantees"]}


def parties(r: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the (name, role) of every party."""
    return [(p["name"], p["role"]) for p in r["parties"]]


# -- no line breaks ---------------------------------------------------------------------------


def test_title_runs_into_court_and_boilerplate_in_front() -> None:
    r = extract(
        "文书内容 来源：中国裁判文书网 江苏省兴化市人民法院金融借款合同纠纷一审民事判决书江苏省兴化市人民法院"
        "民事判决书（2019）苏1281民初1234号原告：江苏兴化农村商业银行股份有限公司，住所地兴化市。被告：张某，"
        "男，住兴化市。原告与被告张某金融借款合同纠纷一案，本院受理。2017年5月1日，被告张某向原告借款"
        "50000元。判决如下：一、被告张某偿还原告借款本金50000元。如不服本判决，可上诉。"
        "审判员王某二0一九年元月八日书记员赵某"
    )
    assert r["authority"] == "江苏省兴化市人民法院"
    assert r["case_number"] == "（2019）苏1281民初1234号"
    assert r["doc_title"] == "民事判决书"
    assert r["date"] == "2019-01-08"  # 二0一九年元月八日, not the fact date 2017-05-01
    assert ("张某", "被告") in parties(r)


def test_trim_authority() -> None:
    assert trim_authority("文书内容来源中国裁判文书网江苏省兴化市人民法院") == "江苏省兴化市人民法院"
    assert trim_authority("借款合同纠纷一审民事判决书江苏省兴化市人民法院") == "江苏省兴化市人民法院"
    assert trim_authority("日照市人民法院") == "日照市人民法院"


def test_no_fallback_to_a_fact_date() -> None:
    r = extract(
        "原告：周某1，女。\n被告：马某1，女。\n原告向本院提出诉讼请求：判令被告偿还借款15万元。"
        "事实和理由：被告于2015年8月14日向原告借款15万元，约定2016年1月1日归还。另查明，"
        "（2016）豫0102民初5274号判决已生效。原告遂诉至人民法院。"
    )
    assert r["doc_type"] == "judgment" and r["date"] is None
    assert r["case_number"] is None and r["authority"] is None  # another case's number, no court


# -- party lists ------------------------------------------------------------------------------


def test_defendants_joined_by_comma() -> None:
    r = extract(
        H + BANK + "被告：张某，男，汉族，住某县，被告：王某，女，住某县，被告：刘某，男，住某县。\n"
        "原告与被告金融借款合同纠纷一案。\n判决如下：\n一、被告张某偿还原告借款本金50000元。\n" + SIGN
    )
    assert parties(r)[1:] == [("张某", "被告"), ("王某", "被告"), ("刘某", "被告")]


def test_several_names_on_one_role_line() -> None:
    r = extract(H + BANK + "被告：张某、李某，住某县。\n原告与被告借款合同纠纷一案。\n" + SIGN)
    assert ("张某", "被告") in parties(r) and ("李某", "被告") in parties(r)


def test_parties_named_only_in_running_text() -> None:
    r = extract(
        "河南省某县人民法院\n执行通知书\n（2021）豫0523执123号\n李某、王某：\n"
        "关于你二人申请执行张某金融借款合同纠纷一案，本院已立案执行。\n二〇二一年三月三日\n"
    )
    assert parties(r) == [("李某", "申请执行人"), ("王某", "申请执行人")]


def test_penalty_label_variants_normalise_the_role() -> None:
    r = extract(
        "行政处罚决定书\n镇银保监罚决字〔2021〕3号\n当当事事人人：：某村镇银行股份有限公司\n"
        "受处罚人名称：某村镇银行股份有限公司\n被处罚单位：某县农商行\n"
        "作出处罚决定的机关名称：中国银保监会镇江监管分局\n"
    )
    assert parties(r) == [("某村镇银行股份有限公司", "当事人"), ("某县农商行", "当事人")]
    assert r["parties"][1]["role_full"] == "被处罚单位"  # the role as written is kept
    assert r["authority"] == "中国银保监会镇江监管分局"


def test_penalty_two_parties_one_a_person_and_its_violation() -> None:
    r = extract(
        "中国银保监会四川监管局行政处罚决定书\n四川银保监局川银保监罚〔2020〕15号\n"
        "当事人：某县农村商业银行股份有限公司\n住所：四川省某县\n当事人：王某，时任该行信贷部经理。\n"
        "经查，当事人存在以下违法违规行为：违规发放贷款。\n我局决定作出如下行政处罚：对某县农村商业银行"
        "股份有限公司罚款50万元；对王某给予警告并罚款5万元。\n2020年6月1日\n"
    )
    assert parties(r) == [("某县农村商业银行股份有限公司", "当事人"), ("王某", "当事人")]
    assert [p["kind"] for p in r["parties"]] == ["organization", "person"]
    assert r["case_number"] == "川银保监罚〔2020〕15号"  # the issuer's short name cut off
    assert r["authority"] == "中国银保监会四川监管局"
    assert r["cause"] == "违规发放贷款"


def test_penalty_disclosure_table() -> None:
    r = extract(
        "行政处罚信息公开表\n行政处罚决定书文号 苏银保监罚[2019]12号\n被处罚当事人姓名或名称 个人姓名：无 "
        "单位 名称：江苏某农村商业银行股份有限公司 法定代表人（主要负责人）姓名：刘某\n"
        "主要违法违规事实（案由） 贷款三查不尽职\n行政处罚决定 罚款30万元\n"
        "作出处罚决定的机关名称 江苏银保监局\n作出处罚决定的日期 2019年11月20日\n"
    )
    assert r["case_number"] == "苏银保监罚〔2019〕12号"  # ASCII brackets
    assert r["authority"] == "江苏银保监局"
    assert parties(r) == [("江苏某农村商业银行股份有限公司", "当事人")]
    assert r["cause"] == "贷款三查不尽职"


# -- guarantees -------------------------------------------------------------------------------


def test_lianbao_every_borrower_gets_the_guarantor() -> None:
    r = extract(
        H + BANK + "被告：张某，男。\n被告：王某，男。\n被告：刘某，男。\n原告与被告金融借款合同纠纷一案。\n"
        "经审理查明：张某、王某、刘某组成联保小组，张某、王某分别向原告借款5万元，由刘某提供连带责任保证。\n"
        "判决如下：\n一、被告张某偿还原告借款本金50000元；\n二、被告王某偿还原告借款本金50000元；\n"
        "三、被告刘某对上述借款承担连带清偿责任。\n" + SIGN
    )
    assert pairs(r) == {("刘某", "张某"), ("刘某", "王某")}


def test_co_borrowers_are_both_debtors_and_zuo_le_phrasing() -> None:
    r = extract(
        H + BANK + "被告：张某，男。\n被告：李某，女。\n被告：赵某，男。\n原告与被告金融借款合同纠纷一案。\n"
        "经审理查明：借款人张某、李某与原告签订借款合同，借款10万元，由被告赵某为该笔贷款作了连带责任保证。\n"
        "判决如下：\n一、被告张某、李某偿还原告借款本金100000元；\n二、被告赵某对上述债务承担连带清偿责任。\n"
        + SIGN
    )
    assert pairs(r) == {("赵某", "张某"), ("赵某", "李某")}


def test_guarantee_for_a_debtor_who_is_not_a_party() -> None:
    r = extract(
        H + BANK + "被告：周某，男。\n原告与被告周某保证合同纠纷一案。\n经审理查明：案外人吴某向原告借款8万元，"
        "被告周某为吴某的该笔借款提供连带责任保证。\n判决如下：\n一、被告周某偿还原告借款本金80000元。\n" + SIGN
    )
    assert pairs(r) == {("周某", "吴某")}


def test_own_mortgage_and_spouse_are_not_guarantees() -> None:
    r = extract(
        H + BANK + "被告：郑某，男。\n被告：冯某，女。\n原告与被告金融借款合同纠纷一案。\n经审理查明：被告郑某"
        "向原告借款20万元，以其名下房产提供抵押担保。被告冯某系郑某之妻，承诺以家庭财产承担连带清偿责任。\n"
        "判决如下：\n一、被告郑某偿还原告借款本金200000元；\n二、原告对被告郑某抵押的房产折价或者拍卖、"
        "变卖所得价款优先受偿；\n三、被告冯某以家庭财产对上述债务承担连带清偿责任。\n" + SIGN
    )
    assert pairs(r) == set()  # no 郑某 → 郑某, no 郑某 → 冯某, no 冯某 → 郑某
    kinds = {(n["party"], n["kind"]) for n in r["not_guarantees"]}
    assert kinds == {("郑某", "own_mortgage"), ("冯某", "spouse_joint_debt")}


def test_never_the_reverse_direction_and_no_bank_to_bank() -> None:
    r = extract(
        H + BANK + "被告：张某，男。\n被告：钱某，男。\n原告与被告金融借款合同纠纷一案。\n经审理查明：被告张某向"
        "原告借款5万元，被告钱某提供连带责任保证担保。被告钱某承担连带保证责任。\n判决如下：\n一、被告张某偿还"
        "原告借款本金50000元；\n二、被告钱某对上述债务承担连带清偿责任。\n" + SIGN
    )
    assert pairs(r) == {("钱某", "张某")}
    assert all("银行" not in g["guarantor"] for g in r["guarantees"])


# -- amounts ----------------------------------------------------------------------------------


def test_claimed_and_adjudged_amounts_are_typed_apart() -> None:
    r = extract(
        H + BANK + "被告：郑某，男。\n原告向本院提出诉讼请求：1.判令被告偿还借款本金6000元及利息300元；"
        "2.本案诉讼费由被告承担。事实和理由：被告借款6000元未还。\n判决如下：\n一、被告郑某偿还原告借款"
        "本金5000元，利息245.6元；\n二、驳回原告其他诉讼请求。\n案件受理费50元，由被告负担。\n" + SIGN
    )
    kinds = {(a["value"], a["kind"]) for a in r["amounts"]}
    assert {(6000.0, "claim_principal"), (300.0, "claim_interest")} <= kinds
    assert {(5000.0, "principal"), (245.6, "interest"), (50.0, "fee")} <= kinds


def test_contradictory_figure_is_flagged() -> None:
    assert contradiction(50_000_000.0, [5000.0, 5000.0, 50_000_000.0]) is not None
    assert contradiction(2_456_078.0, [24560.78, 2_456_078.0]) is not None
    assert contradiction(5000.0, [5000.0, 50_000_000.0]) is None
    r = extract(
        H + BANK + "被告：郑某，男。\n经审理查明：被告借款5000元，约定利息24560.78元。\n判决如下：\n一、被告郑某"
        "偿还原告借款本金5000元，利息2456078元。\n" + SIGN
    )
    flagged = {a["value"] for a in r["amounts"] if a["suspect"]}
    assert flagged == {2456078.0}
