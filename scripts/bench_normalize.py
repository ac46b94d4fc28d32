"""Throughput of the normalize stage on article texts as the readers produce them.

    .venv/bin/python scripts/bench_normalize.py [PATH ...]      (default: ../shared/corpus/real)

Prints MB/s (UTF-8 bytes of the input text per CPU second, best of several rounds, so a busy
shared machine disturbs it less than wall-clock time would).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from extractor.normalize import normalize_text
from extractor.readers import iter_articles


def main(argv: list[str]) -> None:
    paths = argv or [str(Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real")]
    texts = [a.raw for a in iter_articles(paths) if a.raw]
    size = sum(len(t.encode("utf-8")) for t in texts)
    for t in texts:  # warm up: tables, OpenCC, caches
        normalize_text(t)
    best = 0.0
    for _ in range(7):
        t0 = time.process_time()
        for t in texts:
            normalize_text(t)
        dt = time.process_time() - t0
        best = max(best, size / 1e6 / dt if dt > 0 else 0.0)
    print(f"{len(texts)} texts, {size / 1e6:.2f} MB: {best:.1f} MB/s (best of 7, CPU time)")


if __name__ == "__main__":
    main(sys.argv[1:])
