"""Where the per-article work runs: in this process, a local process pool, or a Dask cluster.

The unit sent to a worker is a :class:`Task` — a file path (a ``.txt``/``.html`` page, a
small JSON Lines file) or a byte range of a large JSON Lines file — never the decoded
text, so inter-process traffic stays small and the reading happens in the workers too.
Every engine runs the same function, :func:`process_task`, which reads the task's
articles, runs the pipeline (built once per worker process, ``default_pipeline()``) and
returns one :class:`Outcome` per article: a serialized record, or an error.

Engines yield :class:`TaskResult` objects **in task order** (a bounded window of tasks is
in flight), so the output order is the input order whatever the number of workers.
"""
from __future__ import annotations

import collections
import importlib
import multiprocessing as mp
import os
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import orjson

FACT_KEYS = ("dates", "places", "counts", "measures")


# --------------------------------------------------------------------------- data sent around
@dataclass
class Task:
    """One unit of work: a whole file, or ``length`` bytes at ``offset`` of a JSON Lines file."""

    seq: int
    path: str
    kind: str = "file"             # "file" | "jsonl_chunk"
    offset: int = 0
    length: int = -1
    first_line: int = 1            # line number of the chunk's first line (JSON Lines)
    size: int = 0                  # input bytes this task covers (progress, MB/s)
    data: Optional[bytes] = None   # the bytes themselves, for clusters without a shared file system


@dataclass
class Outcome:
    """What became of one article: a record line, an error, or skipped (already in the output)."""

    source: str
    id: Optional[str] = None
    line: Optional[bytes] = None     # the record as one JSON line (no newline)
    error: Optional[dict] = None     # for the errors file
    skipped: bool = False
    with_issues: bool = False
    facts: tuple = (0, 0, 0, 0)


@dataclass
class TaskResult:
    seq: int
    size: int
    outcomes: list[Outcome] = field(default_factory=list)
    pid: int = 0
    peak_rss_kb: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0        # CPU time of the worker on this task


# --------------------------------------------------------------------------- the worker side
_SKIP: frozenset = frozenset()


def init_worker(skip_ids: Optional[Iterable[str]] = None) -> None:
    """Process-pool initializer: remember the ids to skip and build the pipeline once."""
    global _SKIP
    _SKIP = frozenset(skip_ids or ())
    from .pipeline import default_pipeline

    default_pipeline()


WARM_UP_TEXT = ("2020-01-19 07:37:57 来源:福州日报\n2019年1月至9月,福州市连江县纪委监委共立案审查45人,"
                "给予党纪政务处分30人,同比增长12.5%。去年以来,出台《关于加强基层监督的实施意见》,"
                "推行“室组地”联动监督机制。")


def warm_up() -> None:
    """Build the default pipeline and run it on a short article (lazy caches filled), and load what
    only some inputs need (the HTML reader, normalization's conversion tables), so forked workers
    inherit them instead of each loading them on its first such article. Never raises."""
    try:
        from .article import Article
        from .pipeline import default_pipeline

        default_pipeline().run(Article(source="<warm-up>", raw=WARM_UP_TEXT))
    except Exception:  # pragma: no cover - a worker will report the real problem per article
        pass
    for mod in ("readers", "normalize"):
        try:
            importlib.import_module(f"extractor.{mod}").warm()
        except Exception:  # pragma: no cover - a missing optional table shows up per article instead
            pass


def _peak_rss_kb() -> int:
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
    except Exception:  # pragma: no cover - non-POSIX
        return 0


def read_jsonl_chunk(data: bytes, path: str, first_line: int):
    """Articles of a byte range of a JSON Lines file, numbered as in the whole file
    (``readers.jsonl_lines``: same sources ``path:line``, same ids as an unchunked read)."""
    from .readers import decode_bytes, jsonl_lines

    dec = decode_bytes(data)
    return jsonl_lines(dec.text, path, first_line, dec.issues)


def _task_articles(task: Task):
    from .readers import ARTICLE_SUFFIXES, read_bytes, read_path

    if task.kind == "jsonl_chunk":
        data = task.data
        if data is None:
            with open(task.path, "rb") as fh:
                fh.seek(task.offset)
                data = fh.read(task.length)
        return read_jsonl_chunk(data, task.path, task.first_line)
    if task.data is not None:
        kind = ARTICLE_SUFFIXES.get(Path(task.path).suffix.lower(), "text")
        return read_bytes(task.data, task.path, kind=kind)
    return read_path(Path(task.path))


def _error(source: str, exc: BaseException, id_: Optional[str] = None) -> Outcome:
    return Outcome(source=source, id=id_, error={
        "source": source, "id": id_, "error": f"{type(exc).__name__}: {exc}",
        "traceback": traceback.format_exc(limit=4)})


def process_task(task: Task, skip_ids=None, pipeline=None) -> TaskResult:
    """Read the task's articles and run the pipeline on each. Never raises."""
    from .pipeline import content_id, default_pipeline

    t0, c0 = time.perf_counter(), time.process_time()
    skip = _SKIP if skip_ids is None else skip_ids
    res = TaskResult(seq=task.seq, size=task.size, pid=os.getpid())
    try:
        pipe = pipeline or default_pipeline()
        for art in _task_articles(task):
            rid = art.content_hash or content_id(art.raw)
            if rid in skip:
                res.outcomes.append(Outcome(source=art.source, id=rid, skipped=True))
                continue
            try:
                rec = pipe.run(art)
                line = rec.model_dump_json(by_alias=True).encode("utf-8")
            except Exception as exc:
                res.outcomes.append(_error(art.source, exc, rid))
                continue
            res.outcomes.append(Outcome(source=art.source, id=rec.id, line=line, with_issues=bool(rec.issues),
                                        facts=tuple(len(getattr(rec, k)) for k in FACT_KEYS)))
    except Exception as exc:  # reading failed outright: the rest of the task is one error
        res.outcomes.append(_error(task.path, exc))
    res.seconds = time.perf_counter() - t0
    res.cpu_seconds = time.process_time() - c0
    res.peak_rss_kb = _peak_rss_kb()
    return res


def failed_task(task: Task, message: str) -> TaskResult:
    """The result of a task whose worker died (crash, out of memory, killed)."""
    return TaskResult(seq=task.seq, size=task.size, outcomes=[Outcome(
        source=task.path if task.kind == "file" else f"{task.path}@{task.offset}+{task.length}",
        error={"source": task.path, "id": None, "error": message, "offset": task.offset, "length": task.length})])


# --------------------------------------------------------------------------- making tasks
JSONL_CHUNK_BYTES = 1 << 20         # JSON Lines files larger than this are split into ~1 MB line-aligned chunks
FILES_PER_TASK_BYTES = 0            # reserved: one file per task keeps results small and order simple


def _jsonl_chunks(path: Path, seq0: int, ship: bool) -> Iterator[Task]:
    seq = seq0
    line = 1
    with open(path, "rb") as fh:
        offset = 0
        carry = b""
        while True:
            block = fh.read(JSONL_CHUNK_BYTES)
            if not block:
                break
            buf = carry + block
            cut = buf.rfind(b"\n")
            if cut < 0:
                carry = buf
                continue
            piece, carry = buf[: cut + 1], buf[cut + 1:]
            yield Task(seq=seq, path=str(path), kind="jsonl_chunk", offset=offset, length=len(piece),
                       first_line=line, size=len(piece), data=piece if ship else None)
            seq += 1
            offset += len(piece)
            line += piece.count(b"\n")
        if carry:
            yield Task(seq=seq, path=str(path), kind="jsonl_chunk", offset=offset, length=len(carry),
                       first_line=line, size=len(carry), data=carry if ship else None)


def make_tasks(paths: Iterable, *, exclude: Iterable[Path] = (), ship: bool = False) -> Iterator[Task]:
    """Tasks for every article file under ``paths``, lazily, in the readers' order (sorted walk)."""
    from .readers import is_article_file, iter_files

    skip = {os.path.realpath(p) for p in exclude}
    seq = 0
    for path, explicit in iter_files(paths):
        if not (explicit or is_article_file(path)):
            continue
        if skip and os.path.realpath(path) in skip:
            continue
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".ndjson") and size > JSONL_CHUNK_BYTES and _chunkable(path):
            for t in _jsonl_chunks(path, seq, ship):
                seq = t.seq + 1
                yield t
            continue
        data = None
        if ship:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                data = None  # the worker reports the read error
        yield Task(seq=seq, path=str(path), size=size, data=data)
        seq += 1


def _chunkable(path: Path) -> bool:
    """A JSON Lines file that is not binary and not a JSON array (those go to the reader whole)."""
    from .readers import looks_binary

    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return False
    return not looks_binary(head) and not head.lstrip().startswith(b"[")


# --------------------------------------------------------------------------- engines
def _fill_window(inflight: collections.deque, tasks: Iterator, window: int, submit: Callable) -> None:
    """Submit tasks until ``window`` are in flight or the input is exhausted (bounded read-ahead)."""
    while len(inflight) < window:
        t = next(tasks, None)
        if t is None:
            return
        inflight.append((t, submit(t)))


class Engine:
    name = "engine"
    workers = 1

    def map(self, tasks: Iterable[Task]) -> Iterator[TaskResult]:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


class InlineEngine(Engine):
    """Everything in this process (``--workers 1``): no start-up cost, no IPC."""

    name = "inline"

    def __init__(self, skip_ids=frozenset(), pipeline=None):
        self.skip = frozenset(skip_ids)
        self.pipeline = pipeline

    def map(self, tasks):
        for t in tasks:
            yield process_task(t, self.skip, self.pipeline)


def _mp_context():
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        # the fork server loads and warms the pipeline once; workers fork from it warm
        ctx.set_forkserver_preload(["extractor.engines", "extractor.readers", "extractor.warmup"])
        return ctx
    return mp.get_context("spawn")  # pragma: no cover


class WorkersCannotRun(RuntimeError):
    """The worker processes keep dying before finishing any task: the run cannot proceed."""


class LocalEngine(Engine):
    """A pool of worker processes (forkserver), each building the pipeline once.

    A worker that dies (segfault, out-of-memory kill) breaks the pool: the pool is replaced,
    the task at the head is retried alone (a second death makes it an error for its inputs),
    and the other tasks in flight are resubmitted. Pools that keep dying before any task
    completes (workers that cannot start) stop the run with :class:`WorkersCannotRun`.
    Programs calling this from a script need the ``if __name__ == "__main__":`` guard.
    """

    name = "local"
    MAX_BARREN_RESTARTS = 6
    task_fn = staticmethod(process_task)   # what the workers run (a module-level function)

    def __init__(self, workers: int, skip_ids=frozenset(), window: Optional[int] = None):
        self.workers = max(1, int(workers))
        self.skip = frozenset(skip_ids)
        self.window = window or self.workers * 4
        self._pool = None
        self._barren = 0      # pool restarts since the last completed task

    def _new_pool(self):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.workers, mp_context=_mp_context(),
                                   initializer=init_worker, initargs=(self.skip,))

    def _restart(self, why: str) -> None:
        self._barren += 1
        if self._barren > self.MAX_BARREN_RESTARTS:
            raise WorkersCannotRun(f"worker processes keep dying before finishing any task ({why})")
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def _submit(self, task: Task):
        from concurrent.futures.process import BrokenProcessPool

        while True:
            try:
                return self._pool.submit(self.task_fn, task)
            except BrokenProcessPool as exc:
                self._restart(str(exc))

    def _result(self, fut) -> TaskResult:
        res = fut.result()
        self._barren = 0
        return res

    def map(self, tasks):
        from concurrent.futures.process import BrokenProcessPool

        self._pool = self._new_pool()
        it = iter(tasks)
        inflight: collections.deque = collections.deque()
        while True:
            _fill_window(inflight, it, self.window, self._submit)
            if not inflight:
                break
            task, fut = inflight.popleft()
            try:
                res = self._result(fut)
            except BrokenProcessPool as exc:
                # a worker died: retry the head task alone (is it the culprit?), then resubmit the rest
                pending = [t for t, _ in inflight]
                inflight.clear()
                res = self._retry_alone(task, str(exc))
                for t in pending:
                    inflight.append((t, self._submit(t)))
            yield res

    def _retry_alone(self, task: Task, why: str) -> TaskResult:
        from concurrent.futures.process import BrokenProcessPool

        self._restart(why)
        try:
            return self._result(self._submit(task))
        except BrokenProcessPool as exc:
            self._restart(str(exc))
            return failed_task(task, "worker process died twice on this input (crash or out of memory)")

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskEngine(Engine):
    """The same :func:`process_task` on a Dask cluster (``scheduler`` address) or a LocalCluster.

    Workers of an external cluster need this package installed; with ``ship=True`` the
    input bytes travel with each task (no shared file system needed).
    """

    name = "dask"

    def __init__(self, scheduler: Optional[str] = None, workers: int = 2, skip_ids=frozenset(),
                 processes: bool = True, window: Optional[int] = None, memory_limit="2GiB"):
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=max(1, int(workers)), threads_per_worker=1, processes=processes,
                                        dashboard_address=None, memory_limit=memory_limit if processes else 0,
                                        silence_logs=40)
            self.client = Client(self.cluster)
        info = self.client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        self.window = window or self.workers * 4
        self.skip = frozenset(skip_ids)
        self._run = uuid.uuid4().hex[:8]

    def map(self, tasks):
        # one copy of the skip set per worker (a list of one, else scatter would split the set)
        skip_arg = self.client.scatter([self.skip], broadcast=True)[0] if self.skip else frozenset()
        it = iter(tasks)
        inflight: collections.deque = collections.deque()

        def submit(t):
            return self.client.submit(process_task, t, skip_arg, pure=False, key=f"extract-{self._run}-{t.seq}")

        while True:
            _fill_window(inflight, it, self.window, submit)
            if not inflight:
                break
            task, fut = inflight.popleft()
            try:
                res = fut.result()
            except Exception as exc:  # KilledWorker, lost connection, …: the task's inputs become errors
                res = failed_task(task, f"dask task failed: {type(exc).__name__}: {exc}")
            fut.release()
            yield res

    def close(self):
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def make_engine(name: str = "local", *, workers: Optional[int] = None, skip_ids=frozenset(),
                scheduler: Optional[str] = None, pipeline=None, dask_processes: bool = True) -> Engine:
    workers = default_workers() if workers is None else int(workers)
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers, skip_ids=skip_ids, processes=dask_processes)
    if name != "local":
        raise ValueError(f"unknown engine {name!r} (local, dask)")
    if workers <= 1 or pipeline is not None:
        return InlineEngine(skip_ids, pipeline)
    return LocalEngine(workers, skip_ids)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover
        return max(1, os.cpu_count() or 1)
