"""Access control: every route × every role over real HTTP (200/403), no key or a bad key → 401."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from guanxi.api.auth import ACCESS, PUBLIC, ROLES
from tests.api.conftest import Live
from tests.api.routes import calls

OK = {"admin.keys_create": 201, "admin.keys_revoke": 404}


def _routes(live: Live) -> dict[str, APIRoute]:
    out: dict[str, APIRoute] = {}

    def walk(routes: list) -> None:  # type: ignore[type-arg]
        for r in routes:
            if isinstance(r, APIRoute):
                out[r.name] = r
            inner = getattr(r, "original_router", None)
            if inner is not None:
                walk(inner.routes)

    walk(live.server.config.app.routes)  # type: ignore[attr-defined]
    return out


def test_access_table_covers_every_route(live: Live) -> None:
    names = set(_routes(live))
    assert names - PUBLIC == set(ACCESS), "every API route needs a row in ACCESS"
    assert set(calls(live.facts)) == set(ACCESS), "the matrix below must call every route"


@pytest.mark.parametrize("role", ROLES)
def test_matrix(any_live: Live, role: str) -> None:
    live = any_live
    failures = []
    with live.client(role) as c:
        for name, (method, url, kw) in calls(live.facts).items():
            r = c.request(method, url, **kw)  # type: ignore[arg-type]
            want = OK.get(name, 200) if role in ACCESS[name] else 403
            if r.status_code != want:
                failures.append(f"{name} as {role}: {r.status_code} (want {want}) {r.text[:200]}")
            if r.status_code >= 400:
                assert set(r.json()) == {"error"} and set(r.json()["error"]) == {"code", "message"}
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("key", [None, "gx_000000000000_nope", "garbage"])
def test_no_or_bad_key_is_401_everywhere(any_live: Live, key: str | None) -> None:
    live = any_live
    headers = {"X-API-Key": key} if key else {}
    with live.client() as c:
        for name, (method, url, kw) in calls(live.facts).items():
            r = c.request(method, url, headers=headers, **kw)
            assert r.status_code == 401, f"{name}: {r.status_code}"
            assert r.json()["error"]["code"] == "unauthorized"


def test_public_routes_need_no_key(live: Live) -> None:
    with live.client() as c:
        assert c.get("/health").json()["status"] == "ok"
        assert c.get("/").status_code == 200
        assert c.get("/openapi.json").status_code == 200


def test_revoked_key_is_401(live: Live) -> None:
    with live.client("admin") as c:
        made = c.post("/admin/keys", json={"role": "marketer", "name": "temp"}).json()
        assert made["key"].startswith("gx_")
        assert c.get("/me", headers={"X-API-Key": made["key"]}).json()["role"] == "marketer"
        listed = c.get("/admin/keys").json()["items"]
        assert all("hash" not in k and "salt" not in k and "key" not in k for k in listed)
        assert c.delete(f"/admin/keys/{made['key_id']}").status_code == 200
        assert c.get("/me", headers={"X-API-Key": made["key"]}).status_code == 401


def test_keys_are_stored_as_salted_hashes(live: Live) -> None:
    import sqlite3

    from guanxi.api.auth import KEYS_FILE

    raw = (live.folder / KEYS_FILE).read_bytes()
    for key in live.keys.values():
        assert key.split("_", 2)[2].encode() not in raw
    con = sqlite3.connect(live.folder / KEYS_FILE)
    salts = [r[0] for r in con.execute("SELECT salt FROM api_keys")]
    assert len(set(salts)) == len(salts)
