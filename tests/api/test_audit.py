"""Audit: every request is logged, the chain verifies, tampering in SQLite is detected."""

from __future__ import annotations

import sqlite3

from guanxi.api.audit import AUDIT_FILE
from tests.api.conftest import Live


def _count(c) -> int:  # type: ignore[no-untyped-def]
    return int(c.get("/admin/audit", params={"limit": 1}).json()["total"])


def test_every_request_is_logged_and_chain_verifies(live: Live) -> None:
    with live.client("admin") as admin, live.client("marketer") as mkt, live.client() as anon:
        before = _count(admin)  # this request is logged too
        n = 0
        for _ in range(3):
            mkt.get("/entities/search", params={"q": "祁门"})
            mkt.get("/guarantee/circles")  # 403
            anon.get("/me")  # 401
            mkt.get("/entities/search", params={"limit": 999, "q": "x"})  # 422
            mkt.get("/no/such/route")  # 404
            n += 5
        after = _count(admin)
        assert after - before == n + 1  # + the first count request
        page = admin.get("/admin/audit", params={"limit": n + 1}).json()["items"]
        last = page[1 : n + 1]  # newest first; skip the second count request
        routes = {e["route"] for e in last}
        assert {"/entities/search", "/guarantee/circles", "/me", "/no/such/route"} <= routes
        statuses = sorted({e["status"] for e in last})
        assert statuses == [200, 401, 403, 404, 422]
        hit = next(e for e in last if e["status"] == 200)
        assert hit["role"] == "marketer" and hit["params"] == {"q": "祁门"}
        assert hit["result_count"] >= 1 and hit["key_id"]
        assert all(e["key_id"] is None for e in last if e["status"] == 401)
        v = admin.get("/admin/audit/verify").json()
        assert v["ok"] is True and v["entries"] >= after


def test_audit_cannot_be_edited_and_tampering_is_detected(live: Live) -> None:
    with live.client("admin") as admin:
        admin.get("/me")
        assert admin.get("/admin/audit/verify").json()["ok"] is True
        # no route edits the log
        for method in ("PUT", "PATCH", "DELETE", "POST"):
            assert admin.request(method, "/admin/audit").status_code == 405
        con = sqlite3.connect(live.folder / AUDIT_FILE)
        try:
            con.execute("UPDATE audit SET status = 200 WHERE seq = 2")
            raise AssertionError("the append-only trigger did not fire")
        except sqlite3.DatabaseError as exc:
            assert "append-only" in str(exc)
        # someone with file access drops the trigger and edits a row (result_count changes
        # for sure: in a fresh session entry 2 may already be an admin's 200)
        con.execute("DROP TRIGGER audit_no_update")
        con.execute("UPDATE audit SET role = 'admin', status = 200, "
                    "result_count = result_count + 1 WHERE seq = 2")
        con.commit()
        con.close()
        v = admin.get("/admin/audit/verify").json()
        assert v["ok"] is False and v["first_bad_seq"] == 2
