"""Is extraction time linear in article length? Time per KB for 1 KB … 1 MB articles (issue 9).

    .venv/bin/python benchmarks/linearity.py [--sizes 1,4,16,64,256,1024] [--budget-kb 2048]
                                             [--no-chunk] [--clock cpu|wall]

Articles are built from paragraphs of real articles (../shared/corpus/real, corpus/, the seeds)
drawn at random, so every size has the same mix of content; each size processes about
``--budget-kb`` of text in all (at least 2 articles). Prints, per size, the CPU time per KB of
the whole pipeline and of each stage, then the ratio of the slowest to the fastest size:
linear means within a factor of 2. A stage whose time per KB grows with size is named.

``--no-chunk`` switches off the pipeline's chunking (patterns/pipeline.yaml ``chunk_chars``),
to see each stage's own complexity on long texts rather than the pipeline's defence.
A script, not a test: CPU time is used (the machines are shared), still compare within one run.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = [ROOT.parent / "shared" / "corpus" / "real", ROOT / "corpus", ROOT.parent / "shared" / "corpus" / "seeds"]


def paragraphs() -> list[str]:
    """Body paragraphs of the real articles: each article through normalize + metadata, the lines of
    its ``text`` after the date line (no headline, byline or footer, which would end a body early)."""
    from extractor.article import Article
    from extractor.pipeline import get_stage

    out = []
    for d in SOURCES:
        if d.is_dir():
            for p in sorted(d.glob("*.txt")):
                art = Article(source=str(p), raw=p.read_text(encoding="utf-8", errors="replace"))
                get_stage("normalize")(art)
                get_stage("metadata")(art)
                out += [ln for ln in art.text.split("\n")[1:] if len(ln.strip()) >= 10]
    if not out:
        sys.exit("no real text found (../shared/corpus/real, corpus/)")
    return out


def article_of(paras: list[str], rng, size_bytes: int) -> str:
    """About ``size_bytes`` of UTF-8 text: paragraphs drawn at random (every size from the same mix
    of content, so that time/KB compares complexity, not content), the last one cut to fit."""
    out, n = [], 0
    while n < size_bytes:
        p = paras[rng.randrange(len(paras))]
        b = len(p.encode("utf-8")) + 1
        if n + b > size_bytes:
            p = p.encode("utf-8")[: size_bytes - n - 1].decode("utf-8", errors="ignore")
            b = size_bytes - n
        out.append(p)
        n += b
    return "\n".join(out)


def measure(pipe, texts: list[str]) -> tuple[float, dict[str, float], int]:
    from extractor.article import Article

    for k in pipe.timings:
        pipe.timings[k] = 0.0
    total_bytes = sum(len(t.encode("utf-8")) for t in texts)
    t0 = time.process_time()
    for i, t in enumerate(texts):
        pipe.run(Article(source=f"lin{i}", raw=t))
    cpu = time.process_time() - t0
    return cpu, dict(pipe.timings), total_bytes


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,4,16,64,256,1024", help="article sizes in KB")
    ap.add_argument("--budget-kb", type=int, default=2048, help="text processed per size, in KB")
    ap.add_argument("--no-chunk", action="store_true", help="switch the pipeline's chunking off")
    ap.add_argument("--clock", default="cpu", choices=("cpu", "wall"))
    args = ap.parse_args(argv)

    from extractor.pipeline import Pipeline

    sizes = [int(s) for s in args.sizes.split(",")]
    pipe = Pipeline(max_seconds=3600, max_chars=10_000_000, chunk_chars=0 if args.no_chunk else None)
    paras = paragraphs()
    rng = random.Random(9)
    from extractor.article import Article

    pipe.run(Article(source="warm", raw=article_of(paras, rng, 64 * 1024)))

    rows = []
    for kb in sizes:
        size = kb * 1024
        n = max(2, args.budget_kb // kb)
        texts = [article_of(paras, rng, size) for _ in range(n)]
        cpu, stages, nbytes = measure(pipe, texts)
        per_kb = 1000 * cpu / (nbytes / 1024)
        rows.append((kb, n, per_kb, {k: 1000 * v / (nbytes / 1024) for k, v in stages.items()}))
        print(f"{kb:>6} KB × {n:<5} {per_kb:7.3f} ms/KB   "
              + "  ".join(f"{k} {v:.3f}" for k, v in rows[-1][3].items()), flush=True)

    per = [r[2] for r in rows]
    ratio = max(per) / min(per)
    mode = " [chunking off]" if args.no_chunk else f" [chunks of {pipe.chunk_chars} chars]"
    print(f"\ntime/KB from {min(per):.3f} to {max(per):.3f} ms/KB: ratio {ratio:.2f} "
          f"({'within' if ratio <= 2 else 'NOT within'} a factor of 2){mode}")

    # cost per article = fixed + marginal × KB: the marginal cost between consecutive sizes is
    # constant for a linear stage, grows for a superlinear one; a falling time/KB with a flat
    # marginal cost is a fixed per-article cost, not a complexity problem
    names = list(rows[0][3])
    print("\nmarginal cost (ms per extra KB) between consecutive sizes, and fixed cost per article:")
    print(f"  {'stage':10} " + "  ".join(f"{rows[i - 1][0]}→{rows[i][0]}KB".rjust(11) for i in range(1, len(rows)))
          + "   fixed ms/article")
    marg_total = []
    for name in names + ["TOTAL"]:
        def per_article(r):
            return (r[2] if name == "TOTAL" else r[3][name]) * r[0]   # ms per article of r[0] KB
        marg = [(per_article(rows[i]) - per_article(rows[i - 1])) / (rows[i][0] - rows[i - 1][0])
                for i in range(1, len(rows))]
        fixed = per_article(rows[0]) - marg[0] * rows[0][0] if marg else 0.0
        # superlinear: the marginal cost of the two largest steps over twice that of the two smallest
        # (means of two, as single steps are noisy on a shared machine), and not noise-sized
        lo, hi = sum(marg[:2]) / len(marg[:2]), sum(marg[-2:]) / len(marg[-2:])
        flag = "  <-- marginal cost grows: superlinear?" if hi > 2 * max(lo, 1e-9) and hi > 0.05 else ""
        if name == "TOTAL":
            marg_total = marg
        print(f"  {name:10} " + "  ".join(f"{m:11.3f}" for m in marg) + f"   {fixed:8.3f}{flag}")
    if marg_total:
        pos = [m for m in marg_total if m > 0]
        mratio = max(pos) / min(pos) if len(pos) == len(marg_total) else float("inf")
        print(f"\nmarginal time/KB from {min(marg_total):.3f} to {max(marg_total):.3f} ms/KB: ratio {mratio:.2f} "
              f"({'within' if mratio <= 2 else 'NOT within'} a factor of 2)")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
