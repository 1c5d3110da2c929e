"""`guanxi analyze rings|tier-drops|village-credit [--json]` through the real CLI process."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_store_cli import assert_one_line_error, guanxi


def test_frontline_commands_print_typed_items(tmp_path: Path) -> None:
    env = {"GUANXI_STORE": str(tmp_path / "store"), "GUANXI_PII_KEY": "cli-frontline"}
    res = guanxi("generate", str(tmp_path / "m1"), "--households", "400", "--seed", "3",
                 "--next-month", str(tmp_path / "m2"), env=env)
    assert res.returncode == 0, res.stderr
    assert "rings" in res.stdout and "tier drops" in res.stdout
    assert guanxi("load", str(tmp_path / "m1"), env=env).returncode == 0
    rings = guanxi("analyze", "rings", "--json", env=env)
    assert rings.returncode == 0, rings.stderr
    body = json.loads(rings.stdout)
    truth = json.loads((tmp_path / "m1" / "truth.json").read_text("utf-8"))
    assert len(body["items"]) == body["flagged"] >= len(truth["rings"]) - 1
    assert {"id", "members", "units", "kinds", "evidence", "score", "flagged", "reasons"} <= set(body["items"][0])
    assert_one_line_error(guanxi("analyze", "village-credit", env=env), "guanxi analyze guarantee")
    assert guanxi("analyze", "guarantee", "--json", env=env).returncode == 0
    vc = guanxi("analyze", "village-credit", "--json", env=env)
    assert vc.returncode == 0, vc.stderr
    body = json.loads(vc.stdout)
    assert body["items"] and {h["decision"] for h in body["items"]} <= {"grant", "review", "exclude"}
    assert_one_line_error(guanxi("analyze", "village-credit", "--grid", "G:NOPE", env=env), "G:NOPE")
    text = guanxi("analyze", "tier-drops", env=env)
    assert text.returncode == 0 and "no tier drops" in text.stdout
    assert guanxi("load", str(tmp_path / "m2"), env=env).returncode == 0
    td = guanxi("analyze", "tier-drops", "--json", env=env)
    assert td.returncode == 0, td.stderr
    body = json.loads(td.stdout)
    truth2 = json.loads((tmp_path / "m2" / "truth.json").read_text("utf-8"))
    assert body["drop_on"] == "2026-11-30" and len(body["items"]) == len(truth2["tier_drops"])
