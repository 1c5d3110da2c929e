"""Every API route with example parameters from the fixture (the auth matrix and PII scan walk it)."""

from __future__ import annotations

from urllib.parse import quote

from tests.api.fixture_graph import Facts


def calls(f: Facts) -> dict[str, tuple[str, str, dict]]:
    """Return route name → (method, url, httpx kwargs) exercising it on the fixture."""
    A1, A2, CO_A = f.person_a, f.person_b, f.company
    return {
        "me": ("GET", "/me", {}),
        "entities.search": ("GET", "/entities/search", {"params": {"q": "祁门"}}),
        "entities.detail": ("GET", f"/entities/{A1}", {}),
        "entities.neighbourhood": ("GET", f"/entities/{CO_A}/neighbourhood",
                                   {"params": {"hops": 2}}),
        "guarantee.circles": ("GET", "/guarantee/circles", {}),
        "guarantee.circle": ("GET", f"/guarantee/circles/{f.circle}", {}),
        "guarantee.circle_explain": ("GET", f"/guarantee/circles/{f.circle}/explain", {}),
        "guarantee.chains": ("GET", "/guarantee/chains", {"params": {"entity": A1}}),
        "guarantee.systemic": ("GET", "/guarantee/systemic", {}),
        "exposure.events": ("GET", "/exposure/events", {"params": {"entity": A1, "hops": 2}}),
        "exposure.alerts": ("GET", "/exposure/alerts", {}),
        "communities.list": ("GET", "/communities", {}),
        "communities.detail": ("GET", f"/communities/{quote(f.community, safe=':')}", {}),
        "referrals.top": ("GET", "/referrals/top", {}),
        "referrals.of": ("GET", "/referrals", {"params": {"person": A1}}),
        "prospects.list": ("GET", "/prospects", {}),
        "supply.list": ("GET", "/supply-chains", {}),
        "supply.detail": ("GET", f"/supply-chains/{f.chain}", {}),
        "supply.risks": ("GET", f"/supply-chains/{f.chain}/risks", {}),
        "supply.opportunities": ("GET", f"/supply-chains/{f.chain}/opportunities", {}),
        "documents.upload": ("POST", "/documents", {"files": {"file": ("doc.txt", DOC.encode())}}),
        "documents.list": ("GET", "/documents", {}),
        "documents.detail": ("GET", f"/documents/{quote(f.document, safe=':')}", {}),
        "records.list": ("GET", "/negative-records", {}),
        "records.documents": ("GET", f"/negative-records/{f.record}/documents", {}),
        "paths.find": ("GET", "/paths", {"params": {"src": A1, "dst": A2, "max_hops": 4}}),
        "rings.list": ("GET", "/rings", {"params": {"flagged": "false"}}),
        "tier_drops.list": ("GET", "/tier-drops", {}),
        "village_credit.list": ("GET", "/village-credit", {}),
        "village_credit.grants": ("GET", "/village-credit/grants", {}),
        "export.village_credit": ("GET", "/export/village-credit.xlsx", {}),
        **checks(),
        "admin.keys_create": ("POST", "/admin/keys", {"json": {"role": "marketer", "name": "x"}}),
        "admin.keys_list": ("GET", "/admin/keys", {}),
        "admin.keys_revoke": ("DELETE", "/admin/keys/000000000000", {}),
        "admin.audit": ("GET", "/admin/audit", {}),
        "admin.audit_verify": ("GET", "/admin/audit/verify", {}),
        # the workbench's lists and their spreadsheets
        "wb.labels": ("GET", "/wb/labels", {}),
        "wb.alerts": ("GET", "/wb/alerts", {"params": {"sort": "balance", "order": "desc"}}),
        "wb.circles": ("GET", "/wb/circles", {}),
        "wb.circle_report": ("GET", f"/wb/circles/{f.circle}/report", {}),
        "wb.prospects": ("GET", "/wb/prospects", {}),
        "wb.referral_trees": ("GET", "/wb/referrals", {}),
        "wb.referral_tree": ("GET", f"/wb/referrals/{A1}", {}),
        "wb.supply_chains": ("GET", "/wb/supply-chains", {}),
        "wb.community_breakdown": ("GET", f"/wb/communities/{quote(f.community, safe=':')}"
                                   "/breakdown", {}),
        "wb.events": ("GET", "/wb/events", {}),
        "wb.event": ("GET", f"/wb/events/{quote(f.record, safe=':')}", {}),
        **{f"export.{n.replace('-', '_')}": ("GET", f"/export/{n}.xlsx", {})
           for n in ("alerts", "circles", "prospects", "referrals", "supply-chains", "events")},
    }


def checks() -> dict[str, tuple[str, str, dict]]:
    """Return the FinBench investigator checks with parameters (no FinBench data here)."""
    w = {"start_time": 1, "end_time": 2**40}
    t = {**w, "truncation_limit": 500}
    params: dict[int, dict] = {
        1: {"id": 1, **t}, 2: {"id": 1, **t}, 3: {"id1": 1, "id2": 2, **w},
        4: {"id1": 1, "id2": 2, **w}, 5: {"id": 1, **t},
        6: {"id": 1, "threshold1": 0.0, "threshold2": 0.0, **t},
        7: {"id": 1, "threshold": 0.0, **t}, 8: {"id": 1, "threshold": 0.0, **t},
        9: {"id": 1, "threshold": 0.0, **t}, 10: {"pid1": 1, "pid2": 2, **w},
        11: {"id": 1, **t}, 12: {"id": 1, **t},
    }
    return {f"checks.tcr{k}": ("GET", f"/checks/tcr{k}", {"params": p}) for k, p in params.items()}


DOC = (
    "安徽省祁门县人民法院\n执行裁定书\n（2024）皖1024执456号\n"
    "申请执行人：钱七，男，1975年3月4日出生，公民身份号码340102199001011234，住祁门县。\n"
    "被执行人：李四，男，1980年1月1日出生，联系电话13812345678。\n"
    "被执行人：祁门红茶有限公司，住所地祁门县，统一社会信用代码91341024MA2TEA0001。\n"
    "法定代表人：张三丰，该公司董事长。\n"
    "本院依据已经发生法律效力的判决，责令被执行人李四偿还借款本金120000元。"
    "张三丰为该借款提供连带责任保证。\n终结本次执行程序。\n"
)
