"""Limits answer with 4xx: hops, page size, upload size, rate; and the error shape holds."""

from __future__ import annotations

from collections.abc import Callable

from guanxi.api.settings import ApiSettings
from tests.api.conftest import Live

A1 = "P:00000000000000a1"


def _err(r, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    assert r.json() == {"error": {"code": code, "message": r.json()["error"]["message"]}}


def test_bounds_are_4xx(live: Live) -> None:
    with live.client("admin") as c:
        _err(c.get(f"/entities/{A1}/neighbourhood", params={"hops": 4}), 422, "invalid_request")
        _err(c.get("/entities/search", params={"q": "a", "limit": 201}), 422, "invalid_request")
        _err(c.get("/entities/search", params={"q": "a", "offset": -1}), 422, "invalid_request")
        _err(c.get("/paths", params={"src": A1, "dst": A1, "max_hops": 7}), 422, "invalid_request")
        _err(c.get(f"/entities/{A1}/neighbourhood", params={"types": "NOPE"}), 400, "bad_request")
        _err(c.get("/entities/P:doesnotexist"), 404, "not_found")
        _err(c.get("/guarantee/circles/K:none"), 404, "not_found")
        _err(c.post("/documents"), 422, "invalid_request")


def test_oversized_upload_is_413(live: Live) -> None:
    big = b"x" * (2 * 1024 * 1024 + 10)
    with live.client("investigator") as c:
        _err(c.post("/documents", files={"file": ("big.txt", big)}), 413, "payload_too_large")


def test_chunked_oversized_upload_is_413(make_live: Callable[[ApiSettings], Live]) -> None:
    srv = make_live(ApiSettings(rate_per_s=1000, burst=1000, max_upload_bytes=1000))

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b"y" * 500

    with srv.client("investigator") as c:
        r = c.post("/documents", content=chunks(),
                   headers={"content-type": "multipart/form-data; boundary=zz"})
        _err(r, 413, "payload_too_large")


def test_rate_limit_is_429_with_retry_after(make_live: Callable[[ApiSettings], Live]) -> None:
    srv = make_live(ApiSettings(rate_per_s=0.5, burst=3))
    with srv.client("marketer") as c, srv.client("risk_analyst") as other:
        codes = [c.get("/me").status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        r = c.get("/me")
        _err(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) >= 1
        assert other.get("/me").status_code == 200  # buckets are per key
