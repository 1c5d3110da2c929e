"""Small answers the attack run found wrong: a trailing slash, unknown ids answered with an
empty page, keyless traffic starving `/health`."""

from __future__ import annotations

from collections.abc import Callable

from guanxi.api.settings import ApiSettings
from tests.api.conftest import Live


def test_a_wrong_trailing_slash_is_a_json_404(live: Live) -> None:
    with live.client("admin") as c:
        r = c.get("/communities/", follow_redirects=False)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_unknown_ids_are_404_not_an_empty_page(live: Live) -> None:
    with live.client("admin") as c:
        r = c.get("/referrals", params={"person": "P:0000000000000fff"})
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        r = c.get("/negative-records/N:nosuch/documents")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        assert c.get("/referrals", params={"person": live.facts.person_a}).status_code == 200
        assert c.get(f"/negative-records/{live.facts.record}/documents").status_code == 200


def test_keyless_traffic_does_not_starve_health(make_live: Callable[[ApiSettings], Live]) -> None:
    srv = make_live(ApiSettings(rate_per_s=0.01, burst=3))
    with srv.client() as anon:
        codes = [anon.get("/me").status_code for _ in range(6)]
        assert 429 in codes  # the address's bucket is empty
        assert anon.get("/health").status_code == 200
