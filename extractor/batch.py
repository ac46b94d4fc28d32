"""``extractor run``: every input file → one record per article, written as JSON Lines.

Nothing is silently dropped: an input that cannot be read still yields a record
(with ``issues``); an article whose processing fails outright yields a line in the
errors file next to the output. The summary accounts for every input:
``articles = records + errors``.
"""
from __future__ import annotations

import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import orjson

from .pipeline import Pipeline, default_pipeline
from .readers import iter_articles


@dataclass
class Summary:
    articles: int = 0
    records: int = 0
    errors: int = 0
    with_issues: int = 0
    facts: dict = field(default_factory=lambda: {"dates": 0, "places": 0, "counts": 0, "measures": 0})
    seconds: float = 0.0
    bytes: int = 0

    def line(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        f = self.facts
        return (f"{self.articles} articles → {self.records} records, {self.errors} errors "
                f"({self.with_issues} records with issues); facts: {f['dates']} dates, {f['places']} places, "
                f"{f['counts']} counts, {f['measures']} measures; {self.seconds:.1f}s, {rate:.0f} articles/s")


def errors_path_for(out: Path) -> Path:
    return out.with_name(out.name + ".errors.jsonl") if out.suffix != ".jsonl" else \
        out.with_name(out.stem + ".errors.jsonl")


def run(paths: Iterable[str], out: Path, *, pipeline: Optional[Pipeline] = None, quiet: bool = False) -> Summary:
    pipe = pipeline or default_pipeline()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    err_path = errors_path_for(out)
    s = Summary()
    t0 = time.perf_counter()
    with open(out, "wb") as fh, open(err_path, "wb") as eh:
        for art in iter_articles(paths):
            s.articles += 1
            s.bytes += len(art.raw.encode("utf-8", "surrogatepass"))
            try:
                rec = pipe.run(art)
                line = rec.model_dump_json(by_alias=True).encode("utf-8")
            except Exception as exc:  # pragma: no cover - the pipeline converts stage errors to issues
                s.errors += 1
                eh.write(orjson.dumps({"source": art.source, "error": f"{type(exc).__name__}: {exc}",
                                       "traceback": traceback.format_exc(limit=3)}) + b"\n")
                continue
            fh.write(line + b"\n")
            s.records += 1
            s.with_issues += bool(rec.issues)
            for k in s.facts:
                s.facts[k] += len(getattr(rec, k))
    if s.errors == 0:
        try:
            os.unlink(err_path)
        except OSError:
            pass
    s.seconds = time.perf_counter() - t0
    return s
