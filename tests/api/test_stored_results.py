"""Analysis results the API serves from the store: before the analysis ran, an empty page
with a note naming the command (no background computation, no 503); after, the stored
ranking and alerts with their `computed_at`."""

from __future__ import annotations

from tests.api.conftest import Live


def test_not_computed_yet_is_an_empty_page_with_a_note(live: Live) -> None:
    with live.client("risk_analyst") as c:
        for route, cmd in (("/guarantee/systemic", "guanxi analyze guarantee"),
                           ("/exposure/alerts", "guanxi analyze exposure")):
            r = c.get(route)
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["items"] == [] and body["next_offset"] is None
            assert body["note"] == f"not computed yet: run `{cmd}`"


def test_stored_ranking_and_alerts_are_served_in_order(county_live: Live) -> None:
    with county_live.client("risk_analyst") as c:
        ranks = c.get("/guarantee/systemic", params={"limit": 200}).json()
        assert ranks["note"].startswith("computed_at ") and ranks["items"]
        assert [r["rank"] for r in ranks["items"]] == list(range(1, len(ranks["items"]) + 1))
        dr = [r["debtrank"] for r in ranks["items"]]
        assert dr == sorted(dr, reverse=True)
        alerts = c.get("/exposure/alerts", params={"limit": 200}).json()
        assert alerts["note"].startswith("computed_at ") and alerts["items"]
        dates = [a["date"] for a in alerts["items"]]
        assert dates == sorted(dates, reverse=True)  # newest event first
