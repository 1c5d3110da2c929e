"""A load killed with SIGKILL half-way, then run again, ends in the graph of one clean load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.load import load_extract
from tests.loaders.builders import ExtractBuilder, id_number, small_county
from tests.loaders.snapshot import snapshot

KEY = "kill-test-key"


def _bigger_county() -> ExtractBuilder:
    """Return the small county plus enough persons, accounts and transfers to take a while."""
    b = small_county()
    n = 1500
    for i in range(n):
        pid = id_number(i, born=f"19{50 + i % 40}0{1 + i % 9}{10 + i % 18}", region="341021")
        b.add("persons", id_number=pid, name=f"村民{i}", household_id=f"H{i % 4}", tier="基础")
        b.add(
            "accounts", account_no=f"6228{i:012d}", owner_type="person", owner_id=pid, in_bank="1"
        )
    for t in range(20_000):
        b.add(
            "transfers",
            transfer_id=f"X{t:07d}",
            from_account=f"6228{t % n:012d}",
            to_account=f"6228{(t * 7 + 1) % n:012d}",
            amount=f"{t % 997}.5",
            ts=f"2026-09-{1 + t % 28:02d} 1{t % 10}:00:00",
        )
    return b


def _cli(store: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "guanxi.cli", "--store", str(store), "load", str(folder)]


@pytest.mark.parametrize("kill_after", ["persons", "loans"])
def test_sigkill_then_rerun_equals_clean_load(tmp_path: Path, kill_after: str) -> None:
    folder = _bigger_county().write(tmp_path / "ex")
    env = {**os.environ, "GUANXI_PII_KEY": KEY}
    killed_store = tmp_path / "killed"
    proc = subprocess.Popen(
        _cli(killed_store, folder),
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line.strip())
        if line.startswith(f"{kill_after}:"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, seen  # killed before it finished
    assert not any(s.startswith("negative_records:") for s in seen)

    rerun = subprocess.run(
        _cli(killed_store, folder), env=env, capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr

    clean = EmbeddedStore(tmp_path / "clean", buffer_pool_mb=256)
    rep = load_extract(clean, folder, settings=Settings(store=tmp_path / "clean", pii_key=KEY))
    assert rep.ok
    expected = snapshot(clean)
    clean.close()
    got = EmbeddedStore(killed_store, read_only=True, buffer_pool_mb=256)
    try:
        actual = snapshot(got)
    finally:
        got.close()
    assert set(actual) == set(expected)
    for name in expected:
        assert actual[name] == expected[name], name
    assert len(expected["TRANSFER"]) == 20_010
