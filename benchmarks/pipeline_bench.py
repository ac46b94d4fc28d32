"""Throughput of the whole pipeline against JioNLP's time extractor alone, on the same articles.

    .venv/bin/python benchmarks/pipeline_bench.py [-n 4000] [--jionlp-n 400] [--no-workers]

Builds a corpus of N articles by cycling over corpus/ and ../shared/corpus/real/ (bytes as on disk),
then, on one core:

1. the full pipeline: reading (decode/HTML), normalization, metadata, dates, places, counts,
   measures, attribution, validation, JSON output — articles/s, MB/s, time per stage, peak RSS;
2. JioNLP's ``jio.ner.extract_time(text, time_base)`` alone on the same articles' text
   (a sample of ``--jionlp-n`` articles, cycled the same way, to keep the run short) — articles/s;
3. the ratio of 1 to 2;
4. the pipeline with 1 and 2 worker processes — speed-up (run first, printed last).

Steps 1-2 are repeated ``--rounds`` times, alternating (pipeline, JioNLP, pipeline, JioNLP …), and
each round's ratio is printed with the median of them: the machine's speed drifts by tens of
percent over a minute, and a drift that falls between the two halves of a single pair moves its
ratio; paired rounds and their median do not depend on one such moment.

Throughput is given in wall-clock time and in CPU time of this process (``time.process_time``):
on a shared machine other jobs steal wall-clock time, so the CPU figures are the steadier ones.
The per-stage table is in CPU time (the pipeline's own stage clock) and has a row for the
pipeline's own bookkeeping (budget alarms, to_record validation) — the time of ``Pipeline.run``
outside its stages. ``--profile FILE`` writes a cProfile of the single-core loop.

Workers: a fork pool fed small chunks (``--chunk`` inputs, one chunk per task) so neither worker
idles at the end; workers start warm (the parent has loaded every table before forking).

A script, not a test: these machines are shared and noisy, so compare within one run.
"""
from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = [ROOT / "corpus", ROOT.parent / "shared" / "corpus" / "real"]
KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


def build_corpus(n: int) -> list[tuple[str, bytes, str]]:
    files = []
    for d in SOURCES:
        if d.is_dir():
            files += sorted(p for p in d.rglob("*") if p.suffix.lower() in (".txt", ".html", ".htm"))
    if not files:
        sys.exit("no articles found in corpus/ or ../shared/corpus/real/")
    blobs = [(p.name, p.read_bytes(), KINDS[p.suffix.lower()]) for p in files]
    return [blobs[i % len(blobs)] for i in range(n)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pipeline(corpus) -> tuple[float, float, dict, int, list]:
    """(wall seconds, CPU seconds, CPU seconds per stage, articles, [(text, published_at)])."""
    from extractor.pipeline import Pipeline
    from extractor.readers import read_bytes

    cpu = time.process_time
    pipe = Pipeline()
    read_t = dump_t = run_t = 0.0
    texts = []
    t0, c0 = time.perf_counter(), cpu()
    for name, data, kind in corpus:
        a = cpu()
        arts = list(read_bytes(data, name, kind=kind))
        read_t += cpu() - a
        for art in arts:
            a = cpu()
            rec = pipe.run(art)
            b = cpu()
            rec.model_dump_json(by_alias=True)
            dump_t += cpu() - b
            run_t += b - a
            texts.append((rec.text, rec.published_at))
    total, total_cpu = time.perf_counter() - t0, cpu() - c0
    stage_sum = sum(pipe.timings.values())
    stages = {"read": read_t, **pipe.timings, "run+to_record": max(0.0, run_t - stage_sum), "json": dump_t}
    return total, total_cpu, stages, len(texts), texts


def _worker_chunk(chunk):
    from extractor.pipeline import default_pipeline
    from extractor.readers import read_bytes

    pipe = default_pipeline()
    n = 0
    for name, data, kind in chunk:
        for art in read_bytes(data, name, kind=kind):
            pipe.run(art).model_dump_json(by_alias=True)
            n += 1
    return n, peak_rss_mb()


def run_workers(corpus, workers: int, chunk: int = 10) -> tuple[float, float]:
    import multiprocessing as mp

    chunks = [corpus[i:i + chunk] for i in range(0, len(corpus), chunk)]
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        # every worker answers once before the clock starts (forked warm: tables already loaded)
        list(pool.imap_unordered(_worker_chunk, [chunks[0][:1]] * (4 * workers), chunksize=1))
        t0 = time.perf_counter()
        res = list(pool.imap_unordered(_worker_chunk, chunks, chunksize=1))
        dt = time.perf_counter() - t0
    return dt, max(r[1] for r in res)


def run_jionlp(texts) -> tuple[float, float]:
    import datetime as dt

    import jionlp as jio

    jio.ner.extract_time("2020年1月1日", time_base=time.time())  # load outside the timing
    # JioNLP logs a traceback (logging.error) for each time string it cannot parse; writing those to
    # stderr is not part of its extraction and costs it ~10%, so log records are dropped here (the
    # tracebacks are still formatted: that is in JioNLP's code path). This makes JioNLP faster, the
    # comparison harder for the pipeline.
    logging.disable(logging.CRITICAL)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        for text, published in texts:
            base = dt.datetime.fromisoformat(published).timestamp() if published else time.time()
            try:
                jio.ner.extract_time(text, time_base=base)
            except Exception:
                pass
        return time.perf_counter() - t0, time.process_time() - c0
    finally:
        logging.disable(logging.NOTSET)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=4000, help="articles in the corpus")
    ap.add_argument("--jionlp-n", type=int, default=400, help="articles for the JioNLP run (0: skip it)")
    ap.add_argument("--repeat", type=int, default=1, help="pipeline runs per round (median is reported)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="paired rounds of (pipeline, JioNLP); the median ratio is reported")
    ap.add_argument("--no-workers", action="store_true", help="skip the 1-vs-2 workers run")
    ap.add_argument("--chunk", type=int, default=10, help="inputs per worker task")
    ap.add_argument("--profile", metavar="FILE", help="write a cProfile of the single-core loop to FILE")
    args = ap.parse_args()

    corpus = build_corpus(args.n)
    mb = sum(len(d) for _, d, _ in corpus) / 1e6
    t_start = time.perf_counter()
    from extractor.pipeline import default_pipeline

    default_pipeline().run(__import__("extractor.readers", fromlist=["x"]).Article(source="warm", raw="2020年1月1日，立案审查3人。"))
    print(f"start-up (import + load patterns + first article): {time.perf_counter() - t_start:.2f}s")
    # what only some inputs need (HTML reader, conversion tables), loaded before the clock starts
    # as `extractor run` does in its warm-up (extractor.engines.warm_up)
    from extractor.engines import warm_up

    warm_up()
    print(f"warm-up (+ HTML reader and conversion tables): {time.perf_counter() - t_start:.2f}s")

    # Workers first, forked from this process while it holds only the loaded tables (as `extractor
    # run` forks them): later the parent holds the rounds' texts and JioNLP, and a forked worker's
    # peak RSS counts every page it shares with its parent.
    workers = None
    if not args.no_workers:
        t1, rss1 = run_workers(corpus, 1, args.chunk)
        t2, rss2 = run_workers(corpus, 2, args.chunk)
        workers = (t1, rss1, t2, rss2)

    import importlib.util

    if args.jionlp_n and importlib.util.find_spec("jionlp") is None:
        print("\njionlp not installed: pip install jionlp (benchmark-only dependency)")
        args.jionlp_n = 0

    rounds = []   # (pipeline wall, pipeline CPU, JioNLP wall or None, JioNLP CPU or None)
    all_stages: dict[str, float] = {}
    n_rec = 0
    texts: list = []
    sample: list = []
    for r in range(max(1, args.rounds)):
        prof = None
        if args.profile and r == 0:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        runs = [run_pipeline(corpus) for _ in range(args.repeat)]
        if prof is not None:
            prof.disable()
            prof.dump_stats(args.profile)
            print(f"cProfile of the first round's pipeline loop written to {args.profile} "
                  f"(that round's timings include its overhead)")
        total = statistics.median(x[0] for x in runs)
        total_cpu = statistics.median(x[1] for x in runs)
        _, _, stages, n_rec, round_texts = runs[0]
        for k, v in stages.items():
            all_stages[k] = all_stages.get(k, 0.0) + v
        if r == 0:
            rss = peak_rss_mb()   # the pipeline's own, before JioNLP is loaded into this process
            texts = round_texts
            sample = [texts[i % len(texts)] for i in range(args.jionlp_n)]
        jt = run_jionlp(sample) if sample else (None, None)
        rounds.append((total, total_cpu, *jt))
        line = f"round {r + 1}: pipeline {n_rec / total:6.0f} articles/s"
        if jt[0]:
            line += (f"   JioNLP {len(sample) / jt[0]:5.1f} articles/s   ratio {(n_rec / total) / (len(sample) / jt[0]):4.1f}x"
                     f"   (CPU time: {(n_rec / total_cpu) / (len(sample) / jt[1]):.1f}x)")
        print(line, flush=True)

    total = statistics.median(x[0] for x in rounds)
    total_cpu = statistics.median(x[1] for x in rounds)
    text_mb = sum(len(t.encode()) for t, _ in texts) / 1e6
    print(f"\ncorpus: {len(corpus)} inputs, {n_rec} articles, {mb:.1f} MB on disk, {text_mb:.1f} MB of text")
    print(f"pipeline, 1 core:   {n_rec / total:8.0f} articles/s   {mb / total:6.2f} MB/s (input bytes)   "
          f"peak RSS {rss:.0f} MB   (median of {len(rounds)} rounds)")
    print(f"  in CPU time:      {n_rec / total_cpu:8.0f} articles/s   {mb / total_cpu:6.2f} MB/s")
    busy = sum(all_stages.values())
    print("CPU time per stage (all rounds):")
    for k, v in sorted(all_stages.items(), key=lambda kv: -kv[1]):
        print(f"  {k:14s} {v * 1000 / (n_rec * len(rounds)):7.3f} ms/article  {100 * v / busy:5.1f}%")

    if sample:
        j_rate = statistics.median(len(sample) / x[2] for x in rounds)
        j_cpu = statistics.median(len(sample) / x[3] for x in rounds)
        ratios = [(n_rec / x[0]) / (len(sample) / x[2]) for x in rounds]
        cpu_ratios = [(n_rec / x[1]) / (len(sample) / x[3]) for x in rounds]
        print(f"\nJioNLP extract_time alone: {j_rate:8.1f} articles/s   ({len(sample)} articles per round; "
              f"CPU time: {j_cpu:.1f}/s; median of {len(rounds)} rounds)")
        print(f"ratio pipeline / JioNLP:   {statistics.median(ratios):8.1f}x   median of the rounds' ratios "
              f"{', '.join(f'{x:.1f}' for x in ratios)} (CPU time: {statistics.median(cpu_ratios):.1f}x)")

    if workers is not None:
        t1, rss1, t2, rss2 = workers
        print(f"\nworkers=1: {len(corpus) / t1:7.0f} inputs/s   peak RSS/worker {rss1:.0f} MB")
        print(f"workers=2: {len(corpus) / t2:7.0f} inputs/s   peak RSS/worker {rss2:.0f} MB")
        print(f"speed-up 2 vs 1: {t1 / t2:.2f}x  (cores: {os.cpu_count()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
