"""The marketer's rules on hand-made payloads: names decided by the rules, never by their look."""

from __future__ import annotations

from guanxi.api.masking import (
    NameRules,
    marketer_may_match,
    marketer_name,
    mask_name,
    shape_for_role,
)

RULES = NameRules(
    firms={
        "S:shop1": ("叶江生",),  # 小路口叶江生超市, owned by 叶江生
        "C:91341024MA0000000A": (),  # 祁门红茶有限公司: no person's name in it
        "C:92341024MA0000000B": (),  # a 个体工商户 whose 经营者 the graph does not name
        "X:d1#2": ("方兰芳",),  # a Mention resolved to a firm named after 方兰芳
    },
    opaque={"C:92341024MA0000000B"},
)


def test_names_by_whose_they_are() -> None:
    assert marketer_name(RULES, "S:shop1", "小路口叶江生超市") == "小路口叶*生超市"
    assert marketer_name(RULES, "C:91341024MA0000000A", "祁门红茶有限公司") == "祁门红茶有限公司"
    assert marketer_name(RULES, "C:92341024MA0000000B", "祁门县方兰芳农资店") == "祁*******店"
    # persons and managers: whole name, whatever it looks like
    for name in ("买买提·艾力", "王会村", "李社", "欧阳娜娜"):
        assert marketer_name(RULES, "P:0123456789abcdef", name) == mask_name(name)
        assert marketer_name(RULES, "M:M001", name) == mask_name(name)
    # unknown kind: a firm the rules do not know, a Mention, no id → masked whole
    assert marketer_name(RULES, "C:91341024MA9999999Z", "新开农家乐有限公司") == "新*******司"
    assert marketer_name(RULES, "X:d1#1", "祁门县村民委员会") == "祁******会"
    assert marketer_name(RULES, None, "张三") == "张*"
    # labels without personal names
    assert marketer_name(RULES, "G:G001", "溪口村") == "溪口村"


def test_search_by_a_full_name_finds_no_firm_named_after_the_person() -> None:
    assert not marketer_may_match(RULES, "S:shop1", "小路口叶江生超市", "叶江生")
    assert not marketer_may_match(RULES, "S:shop1", "小路口叶江生超市", "江生")
    assert marketer_may_match(RULES, "S:shop1", "小路口叶江生超市", "超市")
    assert marketer_may_match(RULES, "C:91341024MA0000000A", "祁门红茶有限公司", "红茶")
    assert marketer_may_match(RULES, "C:91341024MA0000000A", "x", "91341024MA0000000A")


def test_marketer_payload() -> None:
    payload = {
        "root": "P:0123456789abcdef",
        "nodes": [
            {"id": "P:0123456789abcdef", "label": "Person", "name": "叶江生", "hop": 0,
             "address": "小路口村12号", "birth_date": "1970-01-01", "tier": "基础"},
            {"id": "S:shop1", "label": "Merchant", "name": "小路口叶江生超市", "hop": 1},
            {"id": "L:LN2024000011", "label": "Loan", "hop": 1, "classification": "次级"},
            {"id": "N:1", "label": "NegativeRecord", "hop": 2, "subject_name": "买买提·艾力"},
            {"id": "A:1981234559acab6", "label": "Account", "hop": 1, "number_last4": "5678"},
        ],
        "edges": [{"src": "P:0123456789abcdef", "dst": "S:shop1", "type": "OWNS",
                   "memo": "转给叶江生 13812345678"}],
        "items": [{"prospect": "P:1", "name": "买买提·艾力", "customer": "S:shop1",
                   "customer_name": "小路口叶江生超市",
                   "reason": "6 transfers with customer 小路口叶江生超市 S:shop1, 买买提·艾力, "
                             "tel 13812345678, acct 6228480012345678901, id 34010219900101123X",
                   "case_number": "（2024）皖1024执456号"}],
        "truncated": False,
    }
    out = shape_for_role(payload, "marketer", RULES)
    text = str(out)
    for leak in ("叶江生", "买买提·艾力", "13812345678", "6228480012345678901",
                 "34010219900101123X", "小路口村12号", "1970-01-01", "次级", "皖1024执",
                 "memo", "number_last4"):
        assert leak not in text, leak
    nodes = {n["id"]: n for n in out["nodes"]}
    assert nodes["P:0123456789abcdef"] == {"id": "P:0123456789abcdef", "label": "Person",
                                           "name": "叶*生", "hop": 0, "tier": "基础"}
    assert nodes["S:shop1"]["name"] == "小路口叶*生超市"
    assert nodes["L:LN2024000011"] == {"id": "L:LN2024000011", "label": "Loan", "hop": 1}
    assert "A:1981234559acab6" in nodes  # digits inside an id are not a phone number
    row = out["items"][0]
    assert row["name"] == "买****力" and row["customer_name"] == "小路口叶*生超市"
    assert "小路口叶*生超市" in row["reason"] and "138****5678" in row["reason"]


def test_other_roles_see_names_but_no_id_numbers_or_hashes() -> None:
    payload = {"items": [{"id": "P:1", "name": "叶江生", "id_hash": "ab", "id_number": "x",
                          "text": "身份证34010219900101123X"}]}
    out = shape_for_role(payload, "risk_analyst", RULES)
    assert out == {"items": [{"id": "P:1", "name": "叶江生",
                              "text": "身份证340102********123X"}]}
