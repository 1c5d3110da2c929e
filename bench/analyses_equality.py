"""Before/after equality of the analyses' outputs on one generated county (issue #20).

    python bench/analyses_equality.py snapshot OUT [--households 1500] [--seed 2026]
    python bench/analyses_equality.py compare BEFORE AFTER

`snapshot` generates a county (fixed seed), loads it into OUT/store, runs every
`guanxi analyze … --json` command (as a user would, in a subprocess) and saves each output to
OUT/cli_<analysis>.json, then asks the API (in process, admin key) a fixed list of questions
and saves the answers to OUT/api.json. `compare` prints every difference between two
snapshots after dropping what legitimately differs between runs (timestamps; floats are
compared to 1e-9 relative: PageRank's last digits vary from run to run).

Run `snapshot` once with the code before a refactoring and once after, then `compare`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ANALYSES = ("guarantee", "exposure", "communities", "referrals", "supply-chain")
VOLATILE = {"computed_at"}
#: a fixed PII key, so that person ids (keyed hashes) are the same in both snapshots
PII_KEY = "analyses-equality-fixed-key"


def _guanxi(*args: str) -> str:
    exe = Path(sys.executable).with_name("guanxi")
    env = {**os.environ, "GUANXI_PII_KEY": PII_KEY}
    out = subprocess.run([str(exe), *args], check=True, capture_output=True, text=True, env=env)
    return out.stdout


def _api_questions(cli: dict[str, Any]) -> list[str]:
    """Return the API paths to ask: every analysis resource, on ids the CLI output names."""
    qs = ["/guarantee/circles?limit=200", "/guarantee/systemic?limit=200",
          "/exposure/alerts?limit=200", "/communities?limit=200", "/referrals/top?limit=200",
          "/prospects?limit=200", "/supply-chains?limit=200"]
    circles = cli["guarantee"]["circles"]
    for c in circles[:5]:
        qs += [f"/guarantee/circles/{c['id']}", f"/guarantee/circles/{c['id']}/explain"]
    for c in cli["communities"]["profiles"][:3]:
        qs.append(f"/communities/{c['id'].replace('#', '%23')}?limit=200")
    for ch in cli["supply-chain"]["chains"][:3]:
        cid = f"Z:{ch['core']}"
        qs += [f"/supply-chains/{cid}", f"/supply-chains/{cid}/risks?limit=200",
               f"/supply-chains/{cid}/opportunities?limit=200"]
    for s in cli["referrals"]["referrers"][:3]:
        qs.append(f"/referrals?person={s['referrer']}&limit=200")
    for n in cli["guarantee"]["systemic"][:3]:
        qs += [f"/exposure/events?entity={n['id']}&hops=2&limit=200",
               f"/guarantee/chains?entity={n['id']}"]
    return qs


def snapshot(out: Path, households: int, seed: int) -> None:
    """Generate, load, analyse and record the CLI and API outputs under `out`."""
    out.mkdir(parents=True, exist_ok=True)
    county, store = out / "county", out / "store"
    if not (county / "manifest.yaml").exists():
        _guanxi("generate", str(county), "--households", str(households), "--seed", str(seed))
    if not store.exists():
        _guanxi("--store", str(store), "load", str(county))
    cli: dict[str, Any] = {}
    for a in ANALYSES:
        text = _guanxi("--store", str(store), "analyze", a, "--json")
        (out / f"cli_{a}.json").write_text(text, encoding="utf-8")
        cli[a] = json.loads(text)
    from fastapi.testclient import TestClient

    from guanxi.api.app import create_app
    from guanxi.api.auth import KeyStore
    from guanxi.graph.settings import Settings

    os.environ["GUANXI_PII_KEY"] = PII_KEY
    app = create_app(settings=Settings(store=store))
    key = KeyStore(store).add("admin", "equality").key
    answers: dict[str, Any] = {}
    with TestClient(app) as client:
        for q in _api_questions(cli):
            r = client.get(q, headers={"X-API-Key": key})
            answers[q] = {"status": r.status_code, "body": r.json()}
    (out / "api.json").write_text(json.dumps(answers, ensure_ascii=False, indent=1),
                                  encoding="utf-8")
    print(f"snapshot in {out}: {len(ANALYSES)} CLI outputs, {len(answers)} API answers")


def _clean(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items() if k not in VOLATILE}
    if isinstance(x, list):
        return [_clean(v) for v in x]
    if isinstance(x, str) and x.startswith("computed_at "):
        return "computed_at …"
    return x


def _diff(a: Any, b: Any, where: str, out: list[str]) -> None:
    if type(a) is not type(b):
        out.append(f"{where}: {type(a).__name__} != {type(b).__name__}")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                out.append(f"{where}.{k}: only after")
            elif k not in b:
                out.append(f"{where}.{k}: only before")
            else:
                _diff(a[k], b[k], f"{where}.{k}", out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} items before, {len(b)} after")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _diff(x, y, f"{where}[{i}]", out)
    elif isinstance(a, float) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
        pass
    elif a != b:
        out.append(f"{where}: {str(a)[:80]!r} != {str(b)[:80]!r}")


def compare(before: Path, after: Path) -> int:
    """Print the differences between two snapshots; return how many there are."""
    diffs: list[str] = []
    for name in [f"cli_{a}.json" for a in ANALYSES] + ["api.json"]:
        a = _clean(json.loads((before / name).read_text(encoding="utf-8")))
        b = _clean(json.loads((after / name).read_text(encoding="utf-8")))
        d: list[str] = []
        _diff(a, b, name, d)
        print(f"{name}: {'equal' if not d else f'{len(d)} differences'}")
        diffs += d
    for line in diffs[:200]:
        print("  " + line)
    return len(diffs)


def main() -> None:
    """Parse the command line and run `snapshot` or `compare`."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--households", type=int, default=1500)
    s.add_argument("--seed", type=int, default=2026)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "snapshot":
        snapshot(args.out, args.households, args.seed)
    else:
        raise SystemExit(1 if compare(args.before, args.after) else 0)


if __name__ == "__main__":
    main()
