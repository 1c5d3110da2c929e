"""Hard cases of guanxi.nlp extraction, one test each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from guanxi.cli.cmd_nlp import app
from guanxi.nlp import Extraction, extract, extract_file
from guanxi.nlp.extract import _extract

DEVSET = Path(__file__).parent / "devset"

JUDGMENT = """浙江省义乌市人民法院
民 事 判 决 书
（２０１９）浙０７８２民初１２３４号
原告：义乌农村商业银行股份有限公司，住所地浙江省义乌市稠州北路1号。统一社会信用代码：91330700MA28B1XX2K。
法定代表人：王建国，该行董事长。
委托诉讼代理人：陈某，浙江某律师事务所律师。
被告：张某，男，1970年1月1日出生，汉族，住浙江省义乌市稠城街道，公民身份号码3307**********1234。
被告：义乌市华盛商贸有限公司，住所地浙江省义乌市北苑街道。
法定代表人：刘×，该公司总经理。
被告：李某1，女，1975年3月8日出生，汉族，住浙江省义乌市。
原告义乌农村商业银行股份有限公司（以下简称义乌农商行）与被告张某、义乌市华盛商贸有限公司、李某1金融借款合同纠纷一案，本院于2019年3月1日立案后，依法适用简易程序公开开庭进行了审理。本案现已审理终结。
经审理查明：2017年5月1日，被告张某向原告借款12.5万元。被告义乌市华盛商贸有限公司为该借款提供连带责任保证。被告李某1以其名下房产提供抵押担保。
本院认为，借款合同合法有效，保证人应当承担保证责任。
依照《中华人民共和国合同法》第二百零六条之规定，判决如下：
一、被告张某于本判决生效之日起十日内偿还原告义乌农村商业银行股份有限公司借款本金１２５，０００元、利息3,456.78元、罚息及复利（暂计至2019年2月28日为1,200元）；
二、被告义乌市华盛商贸有限公司对上述第一项债务承担连带清偿责任；
三、原告义乌农村商业银行股份有限公司有权对被告李某1提供抵押的房产折价或者以拍卖、变卖该房产所得价款在第一项债务范围内优先受偿；
四、驳回原告的其他诉讼请求。
如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百五十三条之规定，加倍支付迟延履行期间的债务利息。
案件受理费2,900元（大写：人民币贰仟玖佰元整），减半收取计1450元，由被告张某、义乌市华盛商贸有限公司、李某1负担。
如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，上诉于浙江省金华市中级人民法院。
审判员　孙某
二〇一九年十二月二十一日
书记员　周某某
"""

PENALTY = """安徽省市场监督管理局
行政处罚决定书
皖市监罚〔2021〕12号
当事人：合肥恒通食品有限公司
统一社会信用代码：91340100MA2N000000
住所：安徽省合肥市蜀山区某路1号
法定代表人：赵某
经查，当事人销售不符合食品安全标准的食品，违法所得3,000元。
依据《中华人民共和国食品安全法》第一百二十四条的规定，本局决定对当事人作出如下行政处罚：
1.没收违法所得3,000元；
2.罚款人民币壹拾贰万元整。
当事人应当自收到本决定书之日起十五日内缴纳罚没款。
安徽省市场监督管理局
2021年6月8日
"""

POLICE = """祁门县公安局
公安行政处罚决定书
祁公（治）行罚决字〔2020〕123号
违法行为人：王某某，男，1985年3月2日出生，身份证号码：340103198503021234，户籍地：安徽省祁门县。
现查明：2020年5月1日，王某某在祁门县某饭店殴打他人。
根据《中华人民共和国治安管理处罚法》第四十三条第一款之规定，现决定给予王某某行政拘留十日，并处罚款五百元的处罚。
执行方式和期限：送祁门县拘留所执行。
祁门县公安局
二○二○年五月三日
"""


@pytest.fixture(scope="module")
def judgment() -> dict:
    return extract(JUDGMENT)


def _amounts(r: dict) -> set[tuple[float, str]]:
    return {(a["value"], a["type"]) for a in r["amounts"]}


def test_contract_validates(judgment: dict) -> None:
    Extraction.model_validate(judgment)
    for key in ("doc_type", "case_number", "authority", "date", "cause", "parties", "amounts",
                "guarantees", "outcome"):
        assert key in judgment


def test_full_width_case_number(judgment: dict) -> None:
    assert judgment["case_number"] == "（2019）浙0782民初1234号"
    assert judgment["doc_type"] == "judgment"
    assert judgment["authority"] == "浙江省义乌市人民法院"


def test_penalty_document_numbers() -> None:
    assert extract(PENALTY)["case_number"] == "皖市监罚〔2021〕12号"
    assert extract(POLICE)["case_number"] == "祁公（治）行罚决字〔2020〕123号"


def test_chinese_numeral_date(judgment: dict) -> None:
    assert judgment["date"] == "2019-12-21"
    assert extract(POLICE)["date"] == "2020-05-03"  # ○ (white circle) as zero


def test_digit_date() -> None:
    assert extract(PENALTY)["date"] == "2021-06-08"


def test_cause(judgment: dict) -> None:
    assert judgment["cause"] == "金融借款合同纠纷"


def test_full_width_digits_and_thousands_separators(judgment: dict) -> None:
    got = _amounts(judgment)
    assert (125000.0, "principal") in got  # １２５，０００元
    assert (3456.78, "interest") in got
    assert (1200.0, "penalty_interest") in got
    assert (1450.0, "fee") in got


def test_daxie_amount_not_duplicated(judgment: dict) -> None:
    fees = [a for a in judgment["amounts"] if a["value"] == 2900.0]
    assert len(fees) == 1 and fees[0]["type"] == "fee"


def test_daxie_fine() -> None:
    r = extract(PENALTY)
    assert _amounts(r) == {(3000.0, "confiscation"), (120000.0, "fine")}
    assert r["doc_type"] == "penalty"
    assert r["authority"] == "安徽省市场监督管理局"
    assert len(r["outcome"]) == 2


def test_wan_yuan_amount() -> None:
    text = PENALTY.replace("罚款人民币壹拾贰万元整", "罚款人民币30万元")
    assert (300000.0, "fine") in _amounts(extract(text))


def test_chinese_numeral_fine_and_public_security() -> None:
    r = extract(POLICE)
    assert r["doc_type"] == "penalty"
    assert _amounts(r) == {(500.0, "fine")}
    assert r["parties"][0]["name"] == "王某某"
    assert r["parties"][0]["role"] == "违法行为人"
    assert r["parties"][0]["details"]["id_number"] == "340103198503021234"


def test_masked_names_and_kinds(judgment: dict) -> None:
    parties = {(p["name"], p["role"], p["kind"]) for p in judgment["parties"]}
    assert parties == {
        ("义乌农村商业银行股份有限公司", "原告", "organization"),
        ("张某", "被告", "person"),
        ("义乌市华盛商贸有限公司", "被告", "organization"),
        ("李某1", "被告", "person"),
    }


def test_party_details_kept_for_linking(judgment: dict) -> None:
    by = {p["name"]: p for p in judgment["parties"]}
    assert by["张某"]["details"]["id_number"] == "3307**********1234"
    assert by["张某"]["details"]["id_masked"] is True
    assert by["张某"]["details"]["birth_date"] == "1970-01-01"
    assert by["张某"]["details"]["sex"] == "男"
    assert by["义乌农村商业银行股份有限公司"]["details"]["uscc"] == "91330700MA28B1XX2K"
    assert by["义乌农村商业银行股份有限公司"]["alias"] == "义乌农商行"


def test_legal_representative_and_agent_are_not_parties(judgment: dict) -> None:
    names = {p["name"] for p in judgment["parties"]}
    assert not names & {"王建国", "陈某", "刘×"}
    reps = {(r["name"], r["role"], r["of"]) for r in judgment["representatives"]}
    assert ("王建国", "法定代表人", "义乌农村商业银行股份有限公司") in reps
    assert ("刘×", "法定代表人", "义乌市华盛商贸有限公司") in reps
    assert [a["name"] for a in judgment["agents"]] == ["陈某"]


def test_multi_defendant_guarantees(judgment: dict) -> None:
    got = {(g["guarantor"], g["debtor"], g["creditor"], g["type"], g["liable"]) for g in judgment["guarantees"]}
    bank = "义乌农村商业银行股份有限公司"
    assert got == {
        ("义乌市华盛商贸有限公司", "张某", bank, "连带责任保证", True),
        ("李某1", "张某", bank, "抵押", True),
    }


def test_outcome_items(judgment: dict) -> None:
    assert len(judgment["outcome"]) == 4
    assert judgment["outcome"][3].startswith("驳回原告")


def test_guarantor_not_held_liable() -> None:
    text = JUDGMENT.replace("二、被告义乌市华盛商贸有限公司对上述第一项债务承担连带清偿责任；",
                            "二、驳回原告对被告义乌市华盛商贸有限公司的诉讼请求；")
    g = {x["guarantor"]: x for x in extract(text)["guarantees"]}
    assert g["义乌市华盛商贸有限公司"]["liable"] is False


def test_one_paragraph_document() -> None:
    r = extract(JUDGMENT.replace("\n", ""))
    assert r["case_number"] == "（2019）浙0782民初1234号"
    assert {p["name"] for p in r["parties"]} == {"义乌农村商业银行股份有限公司", "张某", "义乌市华盛商贸有限公司", "李某1"}
    assert len(r["outcome"]) == 4


def test_gbk_file(tmp_path: Path) -> None:
    p = tmp_path / "gbk.txt"
    p.write_bytes(JUDGMENT.encode("gbk"))
    r = extract_file(p)
    assert r["case_number"] == "（2019）浙0782民初1234号"
    assert r["parties"][1]["name"] == "张某"


def test_gbk_devset_files_decode() -> None:
    for name in ("005_bank_loan.txt", "023_ruling_withdraw.txt"):
        raw = (DEVSET / name).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert extract_file(DEVSET / name)["doc_type"] is not None


def test_docx(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    for line in JUDGMENT.splitlines():
        d.add_paragraph(line)
    p = tmp_path / "j.docx"
    d.save(str(p))
    r = extract_file(p)
    assert r["case_number"] == "（2019）浙0782民初1234号"
    assert r["date"] == "2019-12-21"
    assert len(r["guarantees"]) == 2


def test_html(tmp_path: Path) -> None:
    body = "".join(f"<div style='TEXT-ALIGN: justify'>{x}</div>" for x in JUDGMENT.splitlines())
    p = tmp_path / "j.html"
    p.write_text(f"<html><head><title>判决书</title><script>var a='二〇二〇年一月一日';</script></head><body>{body}</body></html>", encoding="utf-8")
    r = extract_file(p)
    assert r["case_number"] == "（2019）浙0782民初1234号"
    assert r["date"] == "2019-12-21"
    assert r["authority"] == "浙江省义乌市人民法院"


def test_enforcement_ruling() -> None:
    r = extract_file(DEVSET / "025_enforcement_end.txt")
    assert r["doc_type"] == "enforcement"
    assert {p["role"] for p in r["parties"]} == {"申请执行人", "被执行人"}
    assert r["outcome"] == ["终结本次执行程序。"]


@pytest.mark.parametrize("text", [
    "今天天气很好，我们去公园散步，花了二十元买了两瓶水。二〇二三年五月一日",
    "Hello world, this is not a legal document. 1,000元",
    "",
    "   \n\n",
    "被告",
    "判决如下：",
])
def test_non_legal_text_gives_null(text: str) -> None:
    r = extract(text)
    if text in ("判决如下：",):
        return  # a bare marker may be typed; it must only not crash
    assert r["doc_type"] is None
    assert r["parties"] == [] and r["amounts"] == [] and r["guarantees"] == [] and r["outcome"] == []


def test_non_legal_devset_files() -> None:
    for p in sorted(DEVSET.glob("*nonlegal*.txt")):
        r = extract_file(p)
        assert r["doc_type"] is None and r["amounts"] == [] and r["parties"] == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_random_unicode_never_crashes(text: str) -> None:
    r = _extract(text) if text.strip() else extract(text)  # core, without the safety net
    Extraction.model_validate(r)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(JUDGMENT.splitlines() + PENALTY.splitlines()) | st.text(max_size=30), max_size=30))
def test_shuffled_legal_lines_never_crash(lines: list[str]) -> None:
    Extraction.model_validate(_extract("\n".join(lines)))


def test_cli_prints_one_json_object() -> None:
    r = CliRunner().invoke(app, ["extract", str(DEVSET / "038_police_penalty.txt"), "--format", "json"])
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["doc_type"] == "penalty"
    assert "\\u" not in r.output  # ensure_ascii=False


def test_cli_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    for path in (bad, tmp_path / "missing.txt"):
        r = CliRunner().invoke(app, ["extract", str(path)])
        assert r.exit_code == 1
        assert "Traceback" not in r.output
        assert len(r.output.strip().splitlines()) == 1
