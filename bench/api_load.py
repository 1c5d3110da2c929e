"""Load test of the query API: 50 concurrent clients vs one client, mixed routes, 127.0.0.1 only.

Generates a 祁门-scale county (63,000 households) into a temporary store and loads it (or
uses `--store`), runs the guarantee/community analyses so circles exist, starts `guanxi serve`
on 127.0.0.1, then runs a single-client baseline and the concurrent run, and prints
p50/p95/p99 latency and error counts for both. Stops by itself.

    python bench/api_load.py                  # full: 63k households, 60 s concurrent
    python bench/api_load.py --households 2000 --duration 10   # quick
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROLES = ("risk_analyst", "marketer", "investigator")


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_store(folder: Path, households: int, seed: int) -> None:
    """Generate a county, load it into an embedded store at `folder`, run the analyses."""
    from guanxi.graph.embedded import EmbeddedStore
    from guanxi.graph.settings import Settings
    from guanxi.loaders.generate import generate_county
    from guanxi.loaders.load import load_extract

    extract = folder.parent / "extract"
    t = time.perf_counter()
    generate_county(extract, households=households, seed=seed)
    print(f"generated {households:,} households in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    st = EmbeddedStore(folder)
    try:
        load_extract(st, extract, settings=Settings(store=folder))
        print(f"loaded in {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        try:
            from guanxi.cli.analyze_risk import run_guarantee_analysis

            run_guarantee_analysis(st)
        except Exception as exc:  # the bench still runs without circles
            print(f"guarantee analysis failed: {exc}", flush=True)
        try:
            from guanxi.cli.analyze_marketing import run_communities

            run_communities(st)
        except Exception as exc:
            print(f"community analysis failed: {exc}", flush=True)
        print(f"analysed in {time.perf_counter() - t:.1f} s", flush=True)
    finally:
        st.close()
    shutil.rmtree(extract, ignore_errors=True)


def sample_ids(folder: Path, n: int = 400) -> dict[str, list[str]]:
    """Return random ids per kind (persons, companies, circles, borrowers) from the store."""
    from guanxi.graph.embedded import EmbeddedStore

    rnd = random.Random(1)
    st = EmbeddedStore(folder, read_only=True)
    try:
        out: dict[str, list[str]] = {}
        for label in ("Person", "Company", "Circle"):
            ids = st.export_nodes(label, [])["id"].to_pylist()
            out[label] = rnd.sample(ids, min(n, len(ids)))
        names = st.export_nodes("Person", ["name"])["name"].to_pylist()
        out["surname"] = sorted({x[0] for x in names if x})[:50]
        print("store:", {k: v for k, v in st.counts().items() if v}, flush=True)
    finally:
        st.close()
    return out


def make_requests(ids: dict[str, list[str]], rnd: random.Random) -> tuple[str, str]:
    """Return (route label, URL) of one random request of the mix."""
    p = rnd.choice(ids["Person"]) if ids["Person"] else "P:0"
    c = rnd.choice(ids["Company"]) if ids["Company"] else "C:0"
    e = rnd.choice((p, c))
    k = rnd.choice(ids["Circle"]) if ids["Circle"] else "K:0"
    mix = [
        ("search", f"/entities/search?q={rnd.choice(ids['surname'] or ['张'])}&limit=20"),
        ("detail", f"/entities/{e}"),
        ("neighbourhood", f"/entities/{e}/neighbourhood?hops=2&max_nodes=100"),
        ("circles", "/guarantee/circles?limit=20"),
        ("circle", f"/guarantee/circles/{k}"),
        ("chains", f"/guarantee/chains?entity={e}&max_hops=3"),
        ("exposure", f"/exposure/events?entity={e}&hops=2"),
        ("paths", f"/paths?src={p}&dst={rnd.choice(ids['Person'] or [p])}&max_hops=4&limit=3"),
        ("communities", "/communities?limit=20"),
        ("documents", "/documents?limit=20"),
    ]
    return rnd.choice(mix)


async def run_clients(url: str, keys: list[tuple[str, str]], ids: dict[str, list[str]],
                      duration: float) -> list[tuple[str, float, int]]:
    """Run one closed-loop client per key for `duration` s; return (route, ms, status)."""
    results: list[tuple[str, float, int]] = []
    end = time.monotonic() + duration

    async def client(i: int, role: str, key: str) -> None:
        rnd = random.Random(i)
        async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": key},
                                     timeout=30) as c:
            while time.monotonic() < end:
                route, path = make_requests(ids, rnd)
                if role == "marketer" and route in ("circles", "circle", "chains", "exposure",
                                                    "documents"):
                    route, path = "search", f"/entities/search?q={rnd.choice(ids['surname'] or ['茶'])}"
                t = time.perf_counter()
                try:
                    r = await c.get(path)
                    status = r.status_code
                except httpx.HTTPError:
                    status = 0
                results.append((route, (time.perf_counter() - t) * 1000, status))

    await asyncio.gather(*(client(i, r, k) for i, (r, k) in enumerate(keys)))
    return results


def pct(xs: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of xs."""
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def summary(name: str, res: list[tuple[str, float, int]], duration: float) -> str:
    """Return one table row for a run."""
    lat = [ms for _, ms, _ in res]
    errors = sum(1 for _, _, s in res if s == 0 or s >= 500)
    other4xx = sum(1 for _, _, s in res if 400 <= s < 500 and s != 404)
    return (f"| {name:<22} | {len(res):>8,} | {len(res) / duration:>7.1f} | "
            f"{statistics.median(lat) if lat else float('nan'):>7.1f} | {pct(lat, .95):>7.1f} | "
            f"{pct(lat, .99):>7.1f} | {max(lat) if lat else 0:>8.1f} | {errors:>6} | {other4xx:>5} |")


def main() -> None:
    """Parse flags, prepare the store and server, run both loads, print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--store", type=Path, help="existing embedded store folder (else generate)")
    ap.add_argument("--households", type=int, default=63_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of the concurrent run")
    ap.add_argument("--single-duration", type=float, default=None,
                    help="seconds of the single-client run (default: duration / 3)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="guanxi-apiload-"))
    try:
        folder = args.store or tmp / "store"
        if args.store is None:
            build_store(folder, args.households, args.seed)
        ids = sample_ids(folder)
        from guanxi.api.auth import KeyStore

        ks = KeyStore(folder)
        keys = [(ROLES[i % len(ROLES)], ks.add(ROLES[i % len(ROLES)], f"bench-{i}").key)
                for i in range(args.clients)]
        single = [("risk_analyst", ks.add("risk_analyst", "bench-single").key)]
        port = free_port()
        env = {**os.environ, "GUANXI_STORE": str(folder), "GUANXI_API_RATE_PER_S": "10000",
               "GUANXI_API_BURST": "10000"}
        srv = subprocess.Popen([sys.executable, "-m", "guanxi.cli", "serve", "--host",
                                "127.0.0.1", "--port", str(port)], env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(url + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if srv.poll() is not None:
                    raise SystemExit("the server exited")
                time.sleep(0.2)
            # warm-up (page cache, connections)
            asyncio.run(run_clients(url, single, ids, 3.0))
            sd = args.single_duration or args.duration / 3
            one = asyncio.run(run_clients(url, single, ids, sd))
            import psutil

            proc = psutil.Process(srv.pid)
            srv_cpu0, own_cpu0 = sum(proc.cpu_times()[:2]), time.process_time()
            many = asyncio.run(run_clients(url, keys, ids, args.duration))
            srv_cpu = sum(proc.cpu_times()[:2]) - srv_cpu0
            own_cpu = time.process_time() - own_cpu0
        finally:
            srv.terminate()
            srv.wait(timeout=30)
        print()
        print("| run                    | requests |   req/s | p50 ms  | p95 ms  | p99 ms  |   max ms | errors | 4xx   |")
        print("|------------------------|---------:|--------:|--------:|--------:|--------:|---------:|-------:|------:|")
        print(summary("1 client (baseline)", one, sd))
        print(summary(f"{args.clients} clients", many, args.duration))
        by: dict[str, list[float]] = defaultdict(list)
        for route, ms, _ in many:
            by[route].append(ms)
        print()
        print("per route, concurrent run: " + ", ".join(
            f"{r} p50 {statistics.median(v):.0f}/p99 {pct(v, .99):.0f} ms" for r, v in sorted(by.items())))
        print(f"concurrent run CPU: server {srv_cpu:.1f} s, load generator {own_cpu:.1f} s over "
              f"{args.duration:.0f} s wall on {os.cpu_count()} cores; load average "
              f"{os.getloadavg()[0]:.1f} (shared machine)")
        print("goal: p99 ≤ 200 ms and 0 errors (5xx or connection failures); rate limit raised "
              "to 10000/s per key for the run")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
