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
import contextlib
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
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import httpx

ROLES = ("risk_analyst", "marketer", "investigator")
T = TypeVar("T")


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_store(folder: Path, households: int, seed: int) -> None:
    """Generate a county, load it into an embedded store at `folder`, run the analyses."""
    from guanxi.graph.embedded import EmbeddedStore
    from guanxi.graph.settings import Settings
    from guanxi.loaders.load import load_extract
    from guanxi.loaders.synthetic.generate import generate_county

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
            from guanxi.analyses.guarantee import run_guarantee_analysis

            run_guarantee_analysis(st)
        except Exception as exc:  # the bench still runs without circles
            print(f"guarantee analysis failed: {exc}", flush=True)
        try:
            from guanxi.analyses.communities import run_communities

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


class RawClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (real requests over TCP to
    127.0.0.1; about a fifth of httpx's CPU per request, which matters when the load
    generator shares two cores with the server). Reads every response completely
    (Content-Length or chunked) and returns its status."""

    def __init__(self, url: str, key: str) -> None:
        u = urlsplit(url)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
        self.head = f"Host: {u.netloc}\r\nX-API-Key: {key}\r\nAccept: */*\r\n\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        """Send GET `path` (percent-encoded here) and return the response status."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.reader, self.writer
        writer.write(b"GET " + quote(path, safe="/?&=:,%()").encode("ascii") + b" HTTP/1.1\r\n"
                     + self.head)
        line = await reader.readline()
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ValueError(f"bad status line {line!r}")
        status = int(parts[1])
        length, chunked, close = None, False, False
        while True:
            h = await reader.readline()
            if h in (b"\r\n", b"\n", b""):
                break
            name, _, value = h.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
        if chunked:
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length is not None:
            await reader.readexactly(length)
        else:
            await reader.read()
            close = True
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        """Close the connection (the next request opens a new one)."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def run_clients(url: str, keys: list[tuple[str, str]], ids: dict[str, list[str]],
                      duration: float, think: tuple[float, float] | None = None,
                      client_kind: str = "raw") -> list[tuple[str, float, int]]:
    """Run one client per key for `duration` s; return (route, ms, status) per request.

    Without `think` each client sends its next request as soon as the last one is answered
    (closed loop); with `think=(lo, hi)` it first waits a uniformly random lo…hi seconds
    (a person or a front end). A failed request (no complete response within 30 s,
    connection error) counts with status 0."""
    results: list[tuple[str, float, int]] = []
    end = time.monotonic() + duration

    async def client(i: int, role: str, key: str) -> None:
        rnd = random.Random(i)
        if client_kind == "httpx":
            hx = httpx.AsyncClient(base_url=url, headers={"X-API-Key": key}, timeout=30)

            async def get(path: str) -> int:
                try:
                    return (await hx.get(path)).status_code
                except httpx.HTTPError:
                    return 0
        else:
            raw = RawClient(url, key)

            async def get(path: str) -> int:
                try:
                    async with asyncio.timeout(30):
                        return await raw.get(path)
                except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError):
                    await raw.close()
                    return 0
        try:
            if think:  # clients start spread out, not all at once
                await asyncio.sleep(rnd.uniform(0, think[1]))
            while time.monotonic() < end:
                route, path = make_requests(ids, rnd)
                if role == "marketer" and route in ("circles", "circle", "chains", "exposure",
                                                    "documents"):
                    route, path = "search", f"/entities/search?q={rnd.choice(ids['surname'] or ['茶'])}"
                t = time.perf_counter()
                status = await get(path)
                results.append((route, (time.perf_counter() - t) * 1000, status))
                if think:
                    await asyncio.sleep(rnd.uniform(*think))
        finally:
            if client_kind == "httpx":
                await hx.aclose()
            else:
                await raw.close()

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
    return (f"| {name:<30} | {len(res):>8,} | {len(res) / duration:>7.1f} | "
            f"{statistics.median(lat) if lat else float('nan'):>7.1f} | {pct(lat, .95):>7.1f} | "
            f"{pct(lat, .99):>7.1f} | {max(lat) if lat else 0:>8.1f} | {errors:>6} | {other4xx:>5} |")


def per_route(res: list[tuple[str, float, int]]) -> str:
    """Return `route p50/p99` for every route of a run."""
    by: dict[str, list[float]] = defaultdict(list)
    for route, ms, _ in res:
        by[route].append(ms)
    return ", ".join(f"{r} p50 {statistics.median(v):.0f}/p99 {pct(v, .99):.0f} ms"
                     for r, v in sorted(by.items()))


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on uvloop when installed (less load-generator CPU), else asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)


class ServerTree:
    """CPU and memory of the server process and its worker processes (`--workers`)."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)

    def procs(self) -> list[Any]:
        """Return the live server processes."""
        return [self.root, *self.root.children(recursive=True)]

    def cpu(self) -> float:
        """Return user + system CPU seconds of the live server processes."""
        total = 0.0
        for p in self.procs():
            with contextlib.suppress(Exception):
                total += sum(p.cpu_times()[:2])
        return total

    def memory(self) -> str:
        """Return RSS (and unique set size) of each server process, in MB."""
        parts = []
        for p in self.procs():
            with contextlib.suppress(Exception):
                m = p.memory_full_info()
                parts.append(f"pid {p.pid}: RSS {m.rss / 2**20:,.0f} MB, USS {m.uss / 2**20:,.0f} MB")
        return "; ".join(parts)


def main() -> None:
    """Parse flags, prepare the store and server, run the loads, print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--store", type=Path, help="existing embedded store folder (else generate)")
    ap.add_argument("--keep-store", type=Path, metavar="PATH",
                    help="generate the store into PATH if it does not exist yet, else reuse it "
                         "(kept after the run; bench keys and audit entries accumulate there)")
    ap.add_argument("--households", type=int, default=63_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0,
                    help="seconds of the closed-loop concurrent run")
    ap.add_argument("--single-duration", type=float, default=None,
                    help="seconds of the single-client run (default: duration / 3)")
    ap.add_argument("--think", default="0.5,1.5", metavar="LO,HI",
                    help="think time of the second concurrent run: each client waits a random "
                         "LO…HI seconds between requests (default 0.5,1.5; 0 skips that run)")
    ap.add_argument("--think-duration", type=float, default=None,
                    help="seconds of the think-time run (default: duration)")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="load generator: minimal asyncio HTTP/1.1 client (default) or httpx")
    ap.add_argument("--workers", type=int, default=1,
                    help="server processes (`guanxi serve --workers`)")
    args = ap.parse_args()
    think = None if args.think in ("0", "") else tuple(float(x) for x in args.think.split(","))
    if think is not None and (len(think) != 2 or not 0 <= think[0] <= think[1]):
        ap.error("--think takes LO,HI seconds with 0 ≤ LO ≤ HI")

    tmp = Path(tempfile.mkdtemp(prefix="guanxi-apiload-"))
    try:
        folder = args.store or args.keep_store or tmp / "store"
        if args.store is None and not (args.keep_store and args.keep_store.exists()):
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
        cmd = [sys.executable, "-m", "guanxi.cli", "serve", "--host", "127.0.0.1", "--port",
               str(port)]
        if args.workers > 1:
            cmd += ["--workers", str(args.workers)]
        srv = subprocess.Popen(cmd, env=env)
        url = f"http://127.0.0.1:{port}"
        loads: list[tuple[str, list[tuple[str, float, int]], float, float, float]] = []
        try:
            for _ in range(900):
                try:
                    if httpx.get(url + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if srv.poll() is not None:
                    raise SystemExit("the server exited")
                time.sleep(0.2)
            tree = ServerTree(srv.pid)
            if args.workers > 1:  # every worker up and its index built: the tree goes idle
                for _ in range(600):
                    c0 = tree.cpu()
                    time.sleep(1.0)
                    if len(tree.procs()) > args.workers and tree.cpu() - c0 < 0.3:
                        break
            # warm-up (page cache, connections, every worker)
            run(run_clients(url, keys[:8], ids, 3.0, client_kind=args.client))
            sd = args.single_duration or args.duration / 3
            one = run(run_clients(url, single, ids, sd, client_kind=args.client))
            plan = [(f"{args.clients} clients, closed loop", args.duration, None)]
            if think:
                plan.append((f"{args.clients} clients, think {think[0]:g}–{think[1]:g} s",
                             args.think_duration or args.duration, think))
            for name, dur, th in plan:
                srv_cpu0, own_cpu0 = tree.cpu(), time.process_time()
                res = run(run_clients(url, keys, ids, dur, th, args.client))
                loads.append((name, res, dur, tree.cpu() - srv_cpu0,
                              time.process_time() - own_cpu0))
            memory = tree.memory()
        finally:
            srv.terminate()
            srv.wait(timeout=30)
        print()
        print("| run                            | requests |   req/s | p50 ms  | p95 ms  | "
              "p99 ms  |   max ms | errors | 4xx   |")
        print("|--------------------------------|---------:|--------:|--------:|--------:|"
              "--------:|---------:|-------:|------:|")
        print(summary("1 client (baseline)", one, sd))
        for name, res, dur, _, _ in loads:
            print(summary(name, res, dur))
        print()
        print(f"1 client (baseline), per route: {per_route(one)}")
        for name, res, dur, srv_cpu, own_cpu in loads:
            print(f"{name}, per route: {per_route(res)}")
            print(f"{name}, CPU: server {srv_cpu:.1f} s, load generator ({args.client}) "
                  f"{own_cpu:.1f} s over {dur:.0f} s wall")
        print(f"server: {args.workers} worker process(es) on {os.cpu_count()} cores; memory at "
              f"the end: {memory}")
        print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} (shared machine)")
        print("goal: p99 ≤ 200 ms and 0 errors (5xx or connection failures); rate limit raised "
              "to 10000/s per key for the run")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
