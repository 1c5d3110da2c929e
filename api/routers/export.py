"""Every workbench list as an Excel workbook (.xlsx), written on the server.

The rows are the ones the list route would page through (same `sort`, `order`, `q`,
`where`), shaped for the caller's role before they are written (a marketer's workbook holds
masked names, like the marketer's screen), and the request is audit-logged like any other.
Column headers are the 简体中文 names of the page (`lang=en` for English).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from guanxi.api import labels, worklists
from guanxi.api.auth import ACCESS, role_of
from guanxi.api.deps import Services, get_services
from guanxi.api.masking import shape_for_role
from guanxi.api.routers.workbench import WB_ACCESS, Lp, filtered
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/export", tags=["export"], route_class=ShapedRoute)
Svc = Annotated[Services, Depends(get_services)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT = 100_000
MONEY = frozenset({"loan_amount", "balance", "event_amount", "amount", "total_balance",
                   "guaranteed_amount", "payments", "total_flow", "line", "inflow"})
SHARE = frozenset({"concentration", "leakage_share", "conversion_rate", "internal_share"})

LISTS: dict[str, tuple[str, Callable[[Services], list[dict[str, Any]]], tuple[str, ...]]] = {
    "alerts": ("风险预警", worklists.alert_rows,
               ("borrower_name", "loan", "loan_amount", "balance", "classification",
                "overdue_days", "kind", "date", "event_amount", "party_name", "role", "source",
                "grid_name", "manager_name")),
    "circles": ("担保圈", worklists.circle_rows,
                ("name", "size", "loans", "total_balance", "guaranteed_amount", "risk_score",
                 "contraction", "member_names", "explanation", "id")),
    "prospects": ("潜在客户", worklists.prospect_rows,
                  ("rank", "prospect_name", "kind", "customer_name", "customer_tier",
                   "n_transfers", "amount", "score", "grid_name", "manager_name", "reason")),
    "referrals": ("推荐树", worklists.referral_tree_rows,
                  ("referrer_name", "campaign", "size", "depth", "invites", "converted",
                   "conversion_rate", "k_factor", "grid_name", "manager_name")),
    "supply-chains": ("供应链", worklists.supply_chain_rows,
                      ("core_name", "size", "suppliers", "buyers", "amount", "concentration",
                       "payments", "leakage_share")),
    "events": ("负面事件", worklists.event_rows,
               ("date", "subject_name", "kind", "amount", "n_sources", "source", "id")),
}
"""List name → (sheet title, rows, columns written)."""

_ROLES = {"alerts": "wb.alerts", "circles": "wb.circles", "prospects": "wb.prospects",
          "referrals": "wb.referral_trees", "supply-chains": "wb.supply_chains",
          "events": "wb.events"}
ACCESS.update({f"export.{name.replace('-', '_')}": WB_ACCESS[route]
               for name, route in _ROLES.items()})


def workbook(title: str, columns: tuple[str, ...], rows: list[dict[str, Any]], lang: str) -> bytes:
    """Return an .xlsx (one sheet: bold frozen header, ¥ money, % shares) of `rows`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append([labels.column(c, lang) for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for r in rows:
        ws.append([_cell(r.get(c), lang) for c in columns])
    for i, c in enumerate(columns, start=1):
        letter = get_column_letter(i)
        if c in MONEY:
            for cell in ws[letter][1:]:
                cell.number_format = '"¥"#,##0'
        elif c in SHARE:
            for cell in ws[letter][1:]:
                cell.number_format = "0.0%"
        width = max([len(str(labels.column(c, lang)))] +
                    [len(str(x.value or "")) for x in ws[letter][1:200]])
        ws.column_dimensions[letter].width = min(60, max(8, width * 1.6 + 2))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v: Any, lang: str) -> Any:
    v = labels.display(v, lang)
    if isinstance(v, dict | list):
        return str(v)
    return v


def _route(name: str) -> None:
    title, rows_of, columns = LISTS[name]

    def export(request: Request, svc: Svc, lp: Lp,
               lang: Annotated[Literal["zh", "en"], Query()] = "zh") -> Response:
        rows, total = filtered(rows_of(svc), lp, 0, MAX_EXPORT, request)
        shaped = shape_for_role(rows, role_of(request), svc.names)
        request.scope.setdefault("state", {})["result_count"] = len(shaped)
        body = workbook(title, columns, shaped, lang)
        stamp = datetime.now(tz=UTC).strftime("%Y%m%d")
        fname = f"{name}-{stamp}.xlsx"
        return Response(body, media_type=XLSX, headers={
            "Content-Disposition": f"attachment; filename=\"{fname}\"",
            "X-Total-Rows": str(total)})

    export.__doc__ = f"Download the {name} list (filters as the list route) as .xlsx."
    router.add_api_route(f"/{name}.xlsx", export, methods=["GET"],
                         name=f"export.{name.replace('-', '_')}", response_class=Response,
                         responses={200: {"content": {XLSX: {}}}})


for _name in LISTS:
    _route(_name)


VILLAGE_COLUMNS = ("village", "household_id", "head_name", "decision", "line", "line_text", "reasons",
                   "reason_codes", "inflow", "guarantee_load", "concentration", "grid_id")
DECISIONS = {"grant": ("授信", "grant"), "review": ("复核", "review"), "exclude": ("排除", "exclude")}
ACCESS["export.village_credit"] = frozenset({"risk_analyst", "admin"})


@router.get("/village-credit.xlsx", name="export.village_credit", response_class=Response,
            responses={200: {"content": {XLSX: {}}}})
def export_village_credit(
    request: Request, svc: Svc,
    grid: Annotated[str | None, Query(max_length=200, description="Grid id G:…")] = None,
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Response:
    """Download the stored 整村授信 list (every household, decision, line and its basis,
    reasons in Chinese — `lang=en` for English — and their stable codes) as .xlsx for the
    credit committee (no rows, and an `X-Note` saying so, when `guanxi analyze
    village-credit` has not run)."""
    from guanxi.analyses.results import not_computed_note, read_stored
    from guanxi.analyses.results.frontline import VILLAGE_CREDIT

    env = read_stored(svc.store, VILLAGE_CREDIT)
    k = 0 if lang == "zh" else 1
    rows = [{**h.model_dump(), "decision": DECISIONS[h.decision][k],
             "line_text": (h.line_text if k == 0 else h.line_text_en or h.line_text) or "",
             "reasons": "；".join(r.text if k == 0 else r.text_en or r.text for r in h.reasons),
             "reason_codes": ",".join(r.code for r in h.reasons)}
            for h in (env.items if env else []) if grid is None or h.grid_id == grid]
    note = env.note if env else not_computed_note(VILLAGE_CREDIT, svc.store)
    shaped = shape_for_role(rows, role_of(request), svc.names)
    request.scope.setdefault("state", {})["result_count"] = len(shaped)
    body = workbook("整村授信" if lang == "zh" else "Village credit", VILLAGE_COLUMNS, shaped, lang)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d")
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"village-credit-{stamp}.xlsx\"",
        "X-Total-Rows": str(len(rows)), "X-Note": note.replace("`", "")})
