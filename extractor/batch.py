"""``extractor run``: every input → exactly one record, or one line in the errors file.

- **Parallel**: tasks (files, or ~1 MB chunks of large JSON Lines files) go to an engine
  (:mod:`extractor.engines`: in-process, a local process pool, or Dask); results come back
  in input order, so the output order is the input order (folders walked in sorted order).
- **Streaming**: tasks are made lazily and only a bounded window is in flight; memory stays
  flat however large the corpus.
- **Crash-safe**: records are appended as whole lines, each batch with one ``write`` on an
  ``O_APPEND`` descriptor, so ``kill -9`` leaves at most one partial trailing line;
  ``resume=True`` drops that line, skips every article whose id (content hash) is already in
  the output, retries the ones that had failed, and appends the rest.
- **Accounting**: ``inputs = records + errors``, where ``records`` includes those already in
  the output from an earlier run; failures go to ``OUT.errors.jsonl`` beside the output
  (``out.jsonl`` → ``out.errors.jsonl``; ``out.parquet`` → ``out.parquet.errors.jsonl``).
- **Formats**: JSON Lines (``.jsonl``), a Parquet folder (``.parquet`` or ``--format parquet``)
  or a DuckDB file (``.duckdb``); the last two are written through a JSON Lines journal
  (see :mod:`extractor.datasets`) that is converted, then removed, when the run completes.
"""
from __future__ import annotations

import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import orjson

from .engines import FACT_KEYS, Task, TaskResult, make_engine, make_tasks

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet",
           ".duckdb": "duckdb", ".db": "duckdb"}


@dataclass
class Summary:
    articles: int = 0            # inputs: every article read (records + errors)
    records: int = 0             # records in the output for these inputs (new + already there)
    errors: int = 0
    skipped: int = 0             # of the records: already in the output (resume)
    with_issues: int = 0
    facts: dict = field(default_factory=lambda: {k: 0 for k in FACT_KEYS})
    seconds: float = 0.0
    bytes: int = 0
    workers: int = 1
    engine: str = "inline"
    peak_rss_kb: dict = field(default_factory=dict)   # worker pid → peak resident memory (KiB)
    cpu_seconds: float = 0.0     # CPU time the workers spent on tasks (reading + pipeline)
    output: str = ""

    @property
    def ok(self) -> bool:
        return self.records + self.errors == self.articles and self.errors == 0

    def rate(self) -> float:
        return (self.articles - self.skipped) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        f = self.facts
        resumed = f", {self.skipped} already in the output" if self.skipped else ""
        return (f"{self.articles} articles → {self.records} records, {self.errors} errors "
                f"({self.with_issues} records with issues{resumed}); facts: {f['dates']} dates, "
                f"{f['places']} places, {f['counts']} counts, {f['measures']} measures; "
                f"{self.seconds:.1f}s, {self.rate():.1f} articles/s, {self.bytes / 1e6 / max(self.seconds, 1e-9):.2f} MB/s "
                f"({self.engine}, {self.workers} worker{'s' if self.workers != 1 else ''})")

    def accounting(self) -> str:
        return f"inputs = records + errors: {self.articles} = {self.records} + {self.errors}"

    def add(self, res: TaskResult) -> None:
        self.bytes += res.size
        self.cpu_seconds += res.cpu_seconds
        if res.pid and res.peak_rss_kb:
            self.peak_rss_kb[res.pid] = max(self.peak_rss_kb.get(res.pid, 0), res.peak_rss_kb)
        for o in res.outcomes:
            self.articles += 1
            if o.error is not None:
                self.errors += 1
            else:
                self.records += 1
                self.skipped += o.skipped
                self.with_issues += o.with_issues
                for k, n in zip(FACT_KEYS, o.facts):
                    self.facts[k] += n


def output_format(out: Path, fmt: Optional[str] = None) -> str:
    if fmt:
        if fmt not in ("jsonl", "parquet", "duckdb"):
            raise ValueError(f"unknown format {fmt!r} (jsonl, parquet, duckdb)")
        return fmt
    f = FORMATS.get(Path(out).suffix.lower())
    if f is None:
        raise ValueError(f"cannot tell the format from {Path(out).name!r}: name it .jsonl, .parquet or .duckdb, "
                         f"or give --format")
    return f


def errors_path_for(out: Path) -> Path:
    out = Path(out)
    return out.with_name(out.stem + ".errors.jsonl") if out.suffix == ".jsonl" else \
        out.with_name(out.name + ".errors.jsonl")


# --------------------------------------------------------------------------- line-atomic files
class LineFile:
    """Append whole lines: each :meth:`write` is one ``os.write`` of complete lines (``O_APPEND``)."""

    def __init__(self, path: Path, *, append: bool):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if append else os.O_TRUNC)
        self.fd = os.open(self.path, flags, 0o644)
        self.lines = 0

    def write(self, lines: list[bytes]) -> None:
        if not lines:
            return
        buf = memoryview(b"".join(l + b"\n" for l in lines))
        while buf:
            n = os.write(self.fd, buf)
            buf = buf[n:]
        self.lines += len(lines)

    def close(self) -> None:
        if self.fd >= 0:
            try:
                os.fsync(self.fd)
            except OSError:  # pragma: no cover
                pass
            os.close(self.fd)
            self.fd = -1


_ID_AT_START = re.compile(rb'^\{"id":"([^"\\]*)"')


def drop_partial_tail(path: Path) -> int:
    """Cut a trailing line that has no newline (a write cut short); return the bytes removed."""
    path = Path(path)
    if not path.exists():
        return 0
    size = path.stat().st_size
    if size == 0:
        return 0
    with open(path, "rb+") as fh:
        pos = size
        step = 1 << 16
        while pos > 0:
            start = max(0, pos - step)
            fh.seek(start)
            chunk = fh.read(pos - start)
            if start + len(chunk) == size and chunk.endswith(b"\n"):
                return 0
            i = chunk.rfind(b"\n")
            if i >= 0:
                keep = start + i + 1
                fh.truncate(keep)
                return size - keep
            pos = start
        fh.truncate(0)
        return size


def ids_in_jsonl(path: Path) -> set[str]:
    """Record ids of a JSON Lines output (complete lines only)."""
    ids: set[str] = set()
    path = Path(path)
    if not path.exists():
        return ids
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            m = _ID_AT_START.match(line)
            if m:
                ids.add(m.group(1).decode())
                continue
            try:
                rid = orjson.loads(line).get("id")
            except (orjson.JSONDecodeError, AttributeError):
                continue
            if rid:
                ids.add(str(rid))
    return ids


# --------------------------------------------------------------------------- progress
class _Progress:
    """A rich progress bar on stderr (articles/s, records, errors, ETA by bytes); a no-op when off."""

    def __init__(self, enabled: bool, paths: list, exclude: list):
        self.enabled = enabled
        self.p = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, \
            TimeRemainingColumn

        self.p = Progress(TextColumn("[bold]extract"), BarColumn(bar_width=24), TaskProgressColumn(),
                          TextColumn("{task.fields[articles]} articles · {task.fields[rate]:.0f}/s · "
                                     "{task.fields[records]} records · {task.fields[errors]} errors"),
                          TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                          console=Console(file=sys.stderr), transient=False)
        self.task = self.p.add_task("run", total=None, articles=0, rate=0.0, records=0, errors=0)
        self.t0 = time.perf_counter()
        self.p.start()
        threading.Thread(target=self._measure, args=(paths, exclude), daemon=True).start()

    def _measure(self, paths, exclude):
        from .readers import is_article_file, iter_files

        skip = {os.path.realpath(p) for p in exclude}
        total = 0
        try:
            for path, explicit in iter_files(paths):
                if (explicit or is_article_file(path)) and os.path.realpath(path) not in skip:
                    total += path.stat().st_size
        except OSError:
            return
        if self.p is not None:
            self.p.update(self.task, total=max(total, 1))

    def update(self, s: Summary, advance: int) -> None:
        if self.p is None:
            return
        dt = time.perf_counter() - self.t0
        self.p.update(self.task, advance=advance, articles=s.articles, records=s.records, errors=s.errors,
                      rate=(s.articles - s.skipped) / dt if dt else 0.0)

    def close(self) -> None:
        if self.p is not None:
            self.p.stop()
            self.p = None


def progress_wanted() -> bool:
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("true", "1", "yes")


# --------------------------------------------------------------------------- the run
def run(paths: Iterable[str], out: Path, *, fmt: Optional[str] = None, workers: Optional[int] = None,
        engine: str = "local", scheduler: Optional[str] = None, resume: bool = False,
        progress: Optional[bool] = None, quiet: bool = False, pipeline=None, ship: Optional[bool] = None,
        dask_processes: bool = True) -> Summary:
    """Extract every article under ``paths`` into ``out``; see the module docstring.

    ``workers`` defaults to the machine's cores (``1`` runs in this process);
    ``engine`` is ``local`` or ``dask`` (``scheduler`` an address, else a LocalCluster);
    ``ship`` sends input bytes with each task (default: only for an external Dask scheduler).
    """
    from . import datasets

    paths = [str(p) for p in paths]
    out = Path(out)
    fmt = output_format(out, fmt)
    err_path = errors_path_for(out)
    journal = out if fmt == "jsonl" else datasets.journal_path(out, fmt)
    if ship is None:
        ship = engine == "dask" and bool(scheduler)

    done: set[str] = set()
    if resume:
        drop_partial_tail(journal)
        done = ids_in_jsonl(journal)
        if fmt != "jsonl":
            done |= datasets.existing_ids(out, fmt)
    else:
        datasets.remove_output(out, fmt)
    s = Summary(output=str(out))
    eng = make_engine(engine, workers=workers, skip_ids=done, scheduler=scheduler, pipeline=pipeline,
                      dask_processes=dask_processes)
    s.engine, s.workers = eng.name, eng.workers
    exclude = [out, err_path, journal]
    prog = _Progress(progress_wanted() if progress is None else progress, paths, exclude) if not quiet \
        else _Progress(False, paths, exclude)
    rec_file = LineFile(journal, append=resume)
    err_file = LineFile(err_path, append=False)   # failed articles are retried on resume
    t0 = time.perf_counter()
    try:
        for res in eng.map(make_tasks(paths, exclude=exclude, ship=ship)):
            rec_file.write([o.line for o in res.outcomes if o.line is not None])
            err_file.write([orjson.dumps(o.error, default=str) for o in res.outcomes if o.error is not None])
            s.add(res)
            prog.update(s, res.size)
    finally:
        prog.close()
        eng.close()
        rec_file.close()
        err_file.close()
    if fmt != "jsonl":
        datasets.finalize(journal, out, fmt)
    if s.errors == 0:
        try:
            os.unlink(err_path)
        except OSError:
            pass
    s.seconds = time.perf_counter() - t0
    return s
