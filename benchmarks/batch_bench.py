"""Batch throughput benchmark (not a test): ``extractor run`` with 1 and 2 workers on 10,000 articles.

    .venv/bin/python benchmarks/batch_bench.py [--n 10000] [--workers 1 2] [--keep DIR]

Builds a corpus of N articles in a temporary folder by copying the sample articles of
``corpus/`` and ``../shared/corpus/real/`` (round robin; each copy gets a unique invisible
suffix — trailing whitespace for text, an HTML comment for pages — so every copy has its own
id). Each configuration runs in a fresh Python process; prints articles/s, MB/s, peak resident
memory per worker process and the speed-up of each run over the first.

Caveat: the corpus repeats ~60 distinct articles, so caches keyed on text would flatter the
figures; on a shared machine the wall-clock speed-up depends on the other load (printed with each
run), so the workers' CPU time per article is printed too.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("EXTRACTOR_SHARED", ROOT.parent / "shared"))
SOURCES = [ROOT / "corpus", SHARED / "corpus" / "real"]
SUFFIXES = {".txt", ".html", ".htm"}


def sample_files() -> list[Path]:
    files = []
    for d in SOURCES:
        if d.is_dir():
            files += sorted(p for p in d.iterdir() if p.suffix.lower() in SUFFIXES)
    if not files:
        sys.exit("no sample articles found in corpus/ or ../shared/corpus/real/")
    return files


def _marker(i: int, suffix: str) -> bytes:
    if suffix in (".html", ".htm"):
        return f"\n<!-- copy {i} -->\n".encode()
    return ("\n" + "".join(" \t"[int(b)] for b in bin(i)[2:]) + "\n").encode()


def build_corpus(folder: Path, n: int) -> tuple[int, int]:
    """N article files in ``folder`` (100 per sub-folder); returns (files, bytes)."""
    files = sample_files()
    total = 0
    for i in range(n):
        src = files[i % len(files)]
        sub = folder / f"{i // 100:03d}"
        if i % 100 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = src.read_bytes() + _marker(i, src.suffix.lower())
        (sub / f"{i:05d}_{src.name}").write_bytes(data)
        total += len(data)
    return n, total


def child(folder: str, workers: int, out: str) -> None:
    """One measured run (in its own process): prints a JSON line with the figures."""
    import resource

    from extractor import batch

    t0 = time.perf_counter()
    s = batch.run([folder], Path(out), workers=workers, quiet=True)
    wall = time.perf_counter() - t0
    peaks = dict(s.peak_rss_kb)
    if s.engine == "inline":
        peaks = {os.getpid(): resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    print(json.dumps({"workers": workers, "engine": s.engine, "articles": s.articles, "records": s.records,
                      "errors": s.errors, "bytes": s.bytes, "seconds": wall, "cpu": s.cpu_seconds,
                      "peak_rss_mb": sorted(round(v / 1024, 1) for v in peaks.values()),
                      "load": os.getloadavg()}))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles in the corpus (default 10000)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it")
    ap.add_argument("--child", nargs=3, metavar=("FOLDER", "WORKERS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    corpus = args.keep or tmp / "corpus"
    try:
        t0 = time.perf_counter()
        n, nbytes = build_corpus(corpus, args.n)
        print(f"corpus: {n} articles, {nbytes / 1e6:.1f} MB in {corpus} ({time.perf_counter() - t0:.1f}s to build)")
        results = []
        for w in args.workers:
            out = tmp / f"out-{w}.jsonl"
            env = dict(os.environ, CI="true")
            proc = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(w), str(out)],
                                  capture_output=True, text=True, env=env, cwd=ROOT)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                return 1
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(r)
            rate = r["articles"] / r["seconds"]
            print(f"workers={w} ({r['engine']}): {r['articles']} articles → {r['records']} records, "
                  f"{r['errors']} errors in {r['seconds']:.1f}s: {rate:.1f} articles/s, "
                  f"{r['bytes'] / 1e6 / r['seconds']:.2f} MB/s; worker CPU {1000 * r['cpu'] / r['articles']:.1f} ms/article; "
                  f"peak RSS per worker {r['peak_rss_mb']} MB; "
                  f"load average {r['load'][0]:.1f}")
        if len(results) > 1:
            base = results[0]["articles"] / results[0]["seconds"]
            for r in results[1:]:
                print(f"speed-up {r['workers']} vs {results[0]['workers']} workers: "
                      f"{r['articles'] / r['seconds'] / base:.2f}x wall-clock; CPU per article "
                      f"{r['cpu'] / r['articles'] / (results[0]['cpu'] / results[0]['articles']):.2f}x the first run's "
                      f"(1.00 = no parallel overhead: the speed-up is then bounded by free cores)")
        outs = [(tmp / f"out-{w}.jsonl").read_bytes() for w in args.workers]
        print("outputs identical across worker counts:", all(o == outs[0] for o in outs))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
