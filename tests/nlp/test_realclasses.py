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
