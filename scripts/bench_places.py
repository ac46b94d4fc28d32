#!/usr/bin/env python3
"""Time gazetteer matching + place linking on a ~10,000-character article against rjieba.cut.

    .venv/bin/python scripts/bench_places.py [FILE]   (default: the seed articles, repeated to 10,000 chars)
"""
from __future__ import annotations

import glob
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of(fn, n: int) -> float:
    """Best mean CPU time of 5 rounds of ``n`` calls (CPU time: the machine is shared)."""
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - t) / n)
    return best


def main() -> int:
    files = sys.argv[1:] or sorted(glob.glob(str(ROOT.parent / "shared" / "corpus" / "seeds" / "*.txt")))
    text = "\n".join(Path(f).read_text(encoding="utf-8") for f in files)
    text = (text * (10000 // max(1, len(text)) + 1))[:10000]
    t = time.perf_counter()
    from extractor.gazetteer import gazetteer
    from extractor.places import link_places
    gz = gazetteer()
    gz.automaton
    load = time.perf_counter() - t
    import rjieba
    rjieba.cut("预热")
    for _ in range(10):
        link_places(text, outlet="福州日报")
        gz.find(text)
        rjieba.cut(text)
    match = best_of(lambda: gz.find(text), 20)
    link = best_of(lambda: link_places(text, outlet="福州日报"), 10)
    seg = best_of(lambda: rjieba.cut(text), 10)
    print(f"text: {len(text)} chars; gazetteer load + automaton: {load * 1000:.0f} ms (once per process)")
    print(f"Aho-Corasick matching: {match * 1000:.2f} ms; match + link (places stage): {link * 1000:.2f} ms; "
          f"rjieba.cut: {seg * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
