"""Display vocabulary of the workbench: 简体中文 first, English second.

One table per kind of value (node labels, relation types, columns, roles in a loan or a
document, booleans, GB/T 4754-2017 industries). The page reads them from `/wb/labels`; the
spreadsheet export writes the same column names, so a list looks the same on screen and in
Excel. Values that are already Chinese in the data (五级分类, tiers, record kinds) are shown
as they are; `VALUES` gives their English for the English switch.
"""

from __future__ import annotations

from typing import Any

NODE_LABELS: dict[str, tuple[str, str]] = {
    "Branch": ("网点", "Branch"),
    "CustomerManager": ("客户经理", "Customer manager"),
    "Grid": ("网格", "Grid"),
    "Household": ("户", "Household"),
    "Person": ("个人", "Person"),
    "Company": ("企业", "Company"),
    "Merchant": ("商户", "Merchant"),
    "Account": ("账户", "Account"),
    "Loan": ("贷款", "Loan"),
    "NegativeRecord": ("负面事件", "Negative event"),
    "Document": ("文书", "Document"),
    "Mention": ("未关联提及", "Unresolved mention"),
    "Medium": ("介质", "Medium"),
    "Circle": ("担保圈", "Guarantee circle"),
    "Community": ("资金社群", "Fund-flow community"),
    "SupplyChain": ("供应链", "Supply chain"),
}

RELATIONS: dict[str, tuple[str, str]] = {
    "WORKS_AT": ("任职于网点", "works at"),
    "BELONGS_TO": ("隶属网点", "belongs to"),
    "MANAGES": ("管户", "manages"),
    "IN_GRID": ("位于网格", "in grid"),
    "MEMBER_OF": ("家庭成员", "household member"),
    "OWNS": ("持有", "owns"),
    "LEGAL_REP_OF": ("法定代表人", "legal representative"),
    "SHAREHOLDER_OF": ("股东", "shareholder"),
    "EXECUTIVE_OF": ("高管", "executive"),
    "INVESTS": ("投资", "invests"),
    "BORROWED": ("借款", "borrowed"),
    "GUARANTEES": ("担保", "guarantees"),
    "GUARANTEES_PARTY": ("担保(主体)", "guarantees party"),
    "TRANSFER": ("转账", "transfer"),
    "WITHDRAW": ("取现", "withdraw"),
    "DEPOSIT": ("放款入账", "loan paid into"),
    "REPAY": ("还款", "repays"),
    "SIGNED_IN": ("登录", "signed in"),
    "REFERRED": ("推荐", "referred"),
    "SUBJECT_OF": ("涉及事件", "subject of"),
    "EVIDENCED_BY": ("文书佐证", "evidenced by"),
    "PARTY_TO": ("文书当事人", "party to"),
    "SAME_AS": ("同一主体", "same as"),
    "GUARANTEE_FACT": ("文书所载担保", "guarantee in a document"),
    "SUPPLIES": ("供货", "supplies"),
    "IN_CIRCLE": ("所属担保圈", "in circle"),
    "IN_COMMUNITY": ("所属社群", "in community"),
    "IN_CHAIN": ("所属供应链", "in supply chain"),
}

BUSINESS_RELATIONS: tuple[str, ...] = (
    "GUARANTEES", "BORROWED", "SHAREHOLDER_OF", "LEGAL_REP_OF", "EXECUTIVE_OF", "TRANSFER",
    "OWNS", "MEMBER_OF", "GUARANTEES_PARTY", "INVESTS",
)
"""What Paths follow by default: guarantee, borrowing, shareholding, legal rep, executive,
transfer (through the accounts each party owns), household, FinBench's party guarantee and
investment — no analysis result (circle, community, chain) and no bank structure."""

HUB_RELATIONS: tuple[str, ...] = (
    "IN_COMMUNITY", "IN_CIRCLE", "IN_CHAIN", "MANAGES", "IN_GRID", "WORKS_AT", "BELONGS_TO",
)
"""Relations to hub nodes (community, circle, chain, grid, manager): left out of a
neighbourhood unless the user asks for them."""

COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("编号", "Id"),
    "name": ("名称", "Name"),
    "label": ("类型", "Type"),
    "loan": ("贷款", "Loan"),
    "borrower": ("借款人编号", "Borrower id"),
    "borrower_name": ("借款人", "Borrower"),
    "guarantor_name": ("担保人", "Guarantor"),
    "amount": ("金额", "Amount"),
    "loan_amount": ("贷款金额", "Loan amount"),
    "balance": ("余额", "Balance"),
    "classification": ("五级分类", "Classification"),
    "overdue_days": ("逾期天数", "Days overdue"),
    "start_date": ("发放日", "Start date"),
    "party_name": ("涉事方", "Party"),
    "role": ("角色", "Role"),
    "event": ("事件", "Event"),
    "kind": ("事件类型", "Event kind"),
    "date": ("日期", "Date"),
    "event_amount": ("事件金额", "Event amount"),
    "source": ("来源", "Source"),
    "grid_name": ("网格", "Grid"),
    "manager_name": ("客户经理", "Manager"),
    "size": ("规模", "Size"),
    "members": ("成员", "Members"),
    "member_names": ("主要成员", "Main members"),
    "total_balance": ("贷款余额合计", "Total balance"),
    "guaranteed_amount": ("担保金额合计", "Guaranteed amount"),
    "risk_score": ("风险分", "Risk score"),
    "contraction": ("关联方式", "Tie"),
    "explanation": ("说明", "Explanation"),
    "rank": ("排名", "Rank"),
    "debtrank": ("系统重要性(DebtRank)", "DebtRank"),
    "propagated_probability": ("传染违约概率", "Propagated default probability"),
    "prospect_name": ("潜在客户", "Prospect"),
    "customer_name": ("关联客户", "Related customer"),
    "customer_tier": ("客户层级", "Customer tier"),
    "n_transfers": ("往来笔数", "Transfers"),
    "score": ("评分", "Score"),
    "reason": ("理由", "Reason"),
    "referrer_name": ("推荐人", "Referrer"),
    "campaign": ("活动", "Campaign"),
    "invites": ("邀请数", "Invites"),
    "converted": ("转化数", "Converted"),
    "conversion_rate": ("转化率", "Conversion rate"),
    "k_factor": ("K因子", "K-factor"),
    "descendants": ("下线总数", "Descendants"),
    "depth": ("层级深度", "Depth"),
    "core_name": ("核心企业", "Core firm"),
    "suppliers": ("上游供应商", "Suppliers"),
    "buyers": ("下游客户", "Buyers"),
    "concentration": ("最高集中度", "Top concentration"),
    "village": ("村", "Village"),
    "household_id": ("户编号", "Household id"),
    "head_name": ("户主", "Head of household"),
    "decision": ("建议", "Decision"),
    "line": ("建议额度", "Suggested line"),
    "reasons": ("理由", "Reasons"),
    "reason_codes": ("理由代码", "Reason codes"),
    "line_text": ("额度依据", "Line basis"),
    "grid_id": ("网格编号", "Grid id"),
    "inflow": ("年流入", "Yearly inflow"),
    "guarantee_load": ("担保负担(倍)", "Guarantee load (×)"),
    "leakage_share": ("他行流出占比", "Leakage to other banks"),
    "payments": ("付款总额", "Payments"),
    "n_sources": ("来源数", "Sources"),
    "loans": ("贷款笔数", "Loans"),
    "subject_name": ("当事人", "Subject"),
    "hop": ("距离(跳)", "Hops"),
    "is_customer": ("本行客户", "Customer"),
    "tier": ("客户层级", "Tier"),
    "industry": ("行业", "Industry"),
    "side": ("位置", "Side"),
    "customers": ("本行客户数", "Customers"),
    "persons": ("个人数", "Persons"),
    "companies": ("企业数", "Companies"),
    "internal_share": ("内部资金占比", "Internal flow share"),
    "total_flow": ("资金流量", "Total flow"),
}

ROLES: dict[str, tuple[str, str]] = {
    "borrower": ("借款人", "borrower"),
    "guarantor": ("担保人", "guarantor"),
    "related": ("关联方", "related party"),
    "upstream": ("上游", "upstream"),
    "downstream": ("下游", "downstream"),
    "core": ("核心企业", "core"),
    "legal_rep": ("法定代表人关联", "legal representative"),
    "shareholder": ("股东关联", "shareholder"),
    "household": ("同户", "household"),
    "person": ("个人", "person"),
    "organization": ("机构", "organization"),
    "company": ("企业", "company"),
}

BOOLEANS: dict[str, tuple[str, str]] = {"true": ("是", "yes"), "false": ("否", "no")}

INDUSTRIES: dict[str, str] = {
    "A0164": "茶叶种植",
    "C1530": "精制茶加工",
    "F5127": "酒、饮料及茶叶批发",
    "F5166": "化肥批发",
    "F5167": "农药批发",
    "G5431": "普通货物道路运输",
    "F5165": "建材批发",
    "E4710": "住宅房屋建筑",
    "H6210": "正餐服务",
    "F5212": "超级市场零售",
    "C2041": "竹制品制造",
    "C2011": "锯材加工",
    "A0313": "猪的饲养",
    "H6110": "旅游饭店",
    "O8111": "汽车修理与维护",
}
"""GB/T 4754-2017 names of the industry classes the data uses (国民经济行业分类)."""

VALUES: dict[str, str] = {
    "正常": "pass", "关注": "special mention", "次级": "substandard", "可疑": "doubtful",
    "损失": "loss", "高端": "premium", "核心": "core", "基础": "basic", "潜在": "potential",
    "被执行人": "judgment debtor", "失信被执行人": "defaulting judgment debtor",
    "判决被告": "defendant (judgment)", "行政处罚": "administrative penalty",
    "公安处罚": "police penalty", "车辆违法": "traffic violation", "严重疾病": "serious illness",
    "被告": "defendant", "原告": "plaintiff", "申请执行人": "applicant for enforcement",
    "担保人": "guarantor", "借款人": "borrower",
}
"""English of values that the data holds in Chinese (for the English switch)."""


def column(key: str, lang: str = "zh") -> str:
    """Return the display name of a column key (the key itself when unknown)."""
    pair = COLUMNS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def display(value: Any, lang: str = "zh") -> Any:
    """Return a cell value for display: booleans as 是/否, relation types and labels named."""
    if isinstance(value, bool):
        return BOOLEANS["true" if value else "false"][0 if lang == "zh" else 1]
    if isinstance(value, str):
        for table in (RELATIONS, NODE_LABELS, ROLES):
            if value in table:
                return table[value][0 if lang == "zh" else 1]
        if lang == "zh" and value in INDUSTRIES:
            return INDUSTRIES[value]
        if lang != "zh" and value in VALUES:
            return VALUES[value]
    if isinstance(value, list):
        return "、".join(str(display(v, lang)) for v in value)
    return value


def all_labels() -> dict[str, Any]:
    """Return every table for the page: {kind: {key: [zh, en]}} plus industries and lists."""
    return {
        "nodes": {k: list(v) for k, v in NODE_LABELS.items()},
        "relations": {k: list(v) for k, v in RELATIONS.items()},
        "columns": {k: list(v) for k, v in COLUMNS.items()},
        "roles": {k: list(v) for k, v in ROLES.items()},
        "booleans": {k: list(v) for k, v in BOOLEANS.items()},
        "industries": dict(INDUSTRIES),
        "values": dict(VALUES),
        "business_relations": list(BUSINESS_RELATIONS),
        "hub_relations": list(HUB_RELATIONS),
    }
