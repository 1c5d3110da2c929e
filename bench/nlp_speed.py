"""Documents/s and MB/s of full guanxi.nlp extraction beside jieba-only segmentation.

Single process, same texts, same run. Usage: python bench/nlp_speed.py [ROUNDS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from guanxi.nlp import extract, read_text
from guanxi.nlp.pipeline import get_nlp, load_jieba

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "nlp" / "devset"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    texts = [read_text(p) for p in sorted(DEVSET.iterdir()) if p.suffix != ".json" and p.suffix != ".py"]
    legal = [t for t in texts if "人民法院" in t or "处罚" in t]
    mb = sum(len(t.encode("utf-8")) for t in legal) / 1e6
    jieba = load_jieba()
    get_nlp()
    extract(legal[0])  # warm up: dictionary and pipeline load once per process
    for t in legal:
        jieba.lcut(t)

    def timed(fn) -> float:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        for _ in range(rounds):
            for t in legal:
                fn(t)
        return time.perf_counter() - t0

    t_jieba = timed(jieba.lcut)
    t_full = timed(extract)
    n = len(legal) * rounds
    avg_kb = mb * 1000 / len(legal)
    print(f"{len(legal)} legal documents x {rounds} rounds, mean {avg_kb:.1f} KB (UTF-8), one process")
    print(f"| {'pipeline':<28} | {'docs/s':>8} | {'MB/s':>6} | {'ms/doc':>7} |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 8}|{'-' * 9}|")
    for name, t in (("jieba.lcut (segment only)", t_jieba), ("guanxi.nlp.extract (full)", t_full)):
        print(f"| {name:<28} | {n / t:>8.1f} | {mb * rounds / t:>6.2f} | {1000 * t / n:>7.2f} |")
    print(f"ratio full / jieba-only time: {t_full / t_jieba:.2f}x")


if __name__ == "__main__":
    main()
