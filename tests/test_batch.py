"""``extractor run`` at scale: workers, order, accounting, errors file, kill -9 and --resume.

Checks are on accounting, ids and equality between runs, not on extracted values
(the stages are tested in their own files).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor import batch, engines
from extractor.pipeline import Pipeline, default_pipeline
from extractor.readers import iter_articles

from conftest import REAL, ROOT, SEEDS

SRC_SEEDS = SEEDS if SEEDS.is_dir() else ROOT / "corpus"


def _real_files(n):
    if not REAL.is_dir():
        return []
    return sorted(p for p in REAL.iterdir() if p.suffix in (".txt", ".html"))[:n]


def make_corpus(root: Path, n_real: int = 4) -> Path:
    """Seeds, a few real pages, a JSON Lines file (one broken line) and an empty file."""
    d = root / "in"
    (d / "sub").mkdir(parents=True)
    for p in sorted(SRC_SEEDS.glob("*.txt")):
        shutil.copy(p, d / p.name)
    for p in _real_files(n_real):
        shutil.copy(p, d / "sub" / p.name)
    lines = [json.dumps({"title": "标题一", "date": "2021-03-04", "source": "某某日报",
                         "body": "2020年,全市共立案审查120人。"}, ensure_ascii=False),
             json.dumps({"title": "标题二", "body": "截至目前,已处置问题线索35件。"}, ensure_ascii=False),
             '{"title": "断行", "bo']
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "notes.csv").write_text("not an article in a folder", encoding="utf-8")
    return d


def expected_inputs(d: Path) -> list[str]:
    return [a.source for a in iter_articles([d])]


def read_lines(p: Path) -> list[dict]:
    return [json.loads(l) for l in p.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("batch"))


@pytest.fixture(scope="module")
def inline_out(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("inline") / "out.jsonl"
    s = batch.run([corpus], out, workers=1, quiet=True)
    return out, s


# --------------------------------------------------------------------------- accounting and order
def test_every_input_yields_one_record_in_input_order(corpus, inline_out):
    out, s = inline_out
    recs = read_lines(out)
    want = expected_inputs(corpus)
    assert [r["source"] for r in recs] == want            # one record each, in the readers' order
    assert s.articles == len(want) == s.records + s.errors and s.errors == 0
    assert s.ok and not batch.errors_path_for(out).exists()
    assert not any(r["source"].endswith("notes.csv") for r in recs)
    assert s.facts["dates"] == sum(len(r["dates"]) for r in recs)


def test_two_worker_processes_give_the_same_lines(corpus, inline_out, tmp_path):
    out1, s1 = inline_out
    out2 = tmp_path / "out2.jsonl"
    s2 = batch.run([corpus], out2, workers=2, quiet=True)
    assert s2.engine == "local" and s2.workers == 2
    assert out2.read_bytes() == out1.read_bytes()
    assert (s2.articles, s2.records, s2.errors) == (s1.articles, s1.records, s1.errors)
    assert len(s2.peak_rss_kb) >= 1 and all(v > 0 for v in s2.peak_rss_kb.values())


def test_chunked_jsonl_gives_the_records_of_a_whole_read(tmp_path, monkeypatch):
    rows = [json.dumps({"title": f"第{i}篇", "body": f"2019年,共立案{i + 3}件。"}, ensure_ascii=False)
            for i in range(40)]
    rows.insert(7, "")                     # blank lines keep the numbering of the whole file
    rows.insert(20, "[1, 2]")              # not an object
    f = tmp_path / "big.jsonl"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(engines, "JSONL_CHUNK_BYTES", 300)
    tasks = list(engines.make_tasks([f]))
    assert len(tasks) > 3 and all(t.kind == "jsonl_chunk" for t in tasks)
    assert sum(t.length for t in tasks) == f.stat().st_size
    out = tmp_path / "o.jsonl"
    batch.run([f], out, workers=1, quiet=True)
    pipe = default_pipeline()
    want = [pipe.run(a).model_dump(mode="json", by_alias=True) for a in iter_articles([f])]
    got = read_lines(out)
    assert [r["source"] for r in got] == [r["source"] for r in want]
    assert [r["id"] for r in got] == [r["id"] for r in want]
    assert got == want


def test_output_inside_an_input_folder_is_not_read_back(corpus, tmp_path):
    d = tmp_path / "in"
    shutil.copytree(corpus, d)
    out = d / "out.jsonl"
    batch.run([d], out, workers=1, quiet=True)
    s = batch.run([d], out, workers=1, quiet=True)     # second run: out.jsonl now sits in the folder
    assert s.articles == len(expected_inputs(corpus))
    assert not any("out.jsonl" in r["source"] for r in read_lines(out))


class _FailOn(Pipeline):
    """The default stages, but articles whose source contains ``marker`` fail outright."""

    def __init__(self, marker):
        super().__init__()
        self.marker = marker

    def run(self, article):
        if self.marker in article.source:
            raise RuntimeError("boom")
        return super().run(article)


def test_failed_articles_go_to_the_errors_file(corpus, tmp_path):
    out = tmp_path / "o.jsonl"
    s = batch.run([corpus], out, quiet=True, pipeline=_FailOn("feed.jsonl"))
    errs = read_lines(batch.errors_path_for(out))
    assert s.errors == 3 == len(errs)                   # the three lines of feed.jsonl
    assert s.articles == s.records + s.errors and not s.ok
    assert all(e["error"] == "RuntimeError: boom" and e["id"] for e in errs)
    assert len(read_lines(out)) == s.records
    # a resumed run retries them (and keeps the rest)
    s2 = batch.run([corpus], out, quiet=True, resume=True)
    assert (s2.errors, s2.skipped, s2.records) == (0, s.records, s.articles)
    assert not batch.errors_path_for(out).exists()
    assert sorted(r["source"] for r in read_lines(out)) == sorted(expected_inputs(corpus))


# --------------------------------------------------------------------------- line-atomic writing, resume
@pytest.mark.parametrize("content, kept", [
    (b"", b""),
    (b'{"id":"a"}\n', b'{"id":"a"}\n'),
    (b'{"id":"a"}\n{"id":"b', b'{"id":"a"}\n'),
    (b'{"id":"a', b""),
    (b'{"id":"a"}\n' * 5000 + b'{"id":"half', b'{"id":"a"}\n' * 5000),   # tail past one read block
])
def test_drop_partial_tail(tmp_path, content, kept):
    p = tmp_path / "o.jsonl"
    p.write_bytes(content)
    assert batch.drop_partial_tail(p) == len(content) - len(kept)
    assert p.read_bytes() == kept


def test_ids_in_jsonl_reads_complete_lines_only(tmp_path):
    p = tmp_path / "o.jsonl"
    p.write_bytes(b'{"id":"aa","x":1}\n{"source":"s","id":"bb"}\n\n{"id":"cc"')
    assert batch.ids_in_jsonl(p) == {"aa", "bb"}


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_mid_run_then_resume_gives_one_record_per_input(corpus, tmp_path, workers):
    """The run blocks on a FIFO (the last input), so the kill lands mid-run whatever the speed."""
    d = tmp_path / "in"
    shutil.copytree(corpus, d)
    fifo = d / "sub" / "zz_last.txt"     # the last input in walk order
    os.mkfifo(fifo)
    out = tmp_path / "out.jsonl"
    n_before = len(expected_inputs(corpus))
    env = dict(os.environ, CI="true")
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(d), "-o", str(out), "-w", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= n_before:
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)      # kill -9 the run and its workers
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with open(out, "ab") as fh:                 # what a write cut short would leave
        fh.write(b'{"id":"0123456789abcdef","source":"half-writ')
    os.unlink(fifo)
    fifo.write_text("2019年1月至9月,全县共立案审查45人。", encoding="utf-8")

    s = batch.run([d], out, workers=workers, quiet=True, resume=True)
    recs = read_lines(out)
    inputs = expected_inputs(d)
    assert len(recs) == len(inputs) == s.articles == s.records
    assert sorted(r["source"] for r in recs) == sorted(inputs)
    assert len({r["id"] for r in recs}) == len(recs)
    assert s.skipped == n_before and s.errors == 0
    assert recs[-1]["source"].endswith("zz_last.txt")


# --------------------------------------------------------------------------- the command line
def test_cli_run_parallel_prints_accounting(corpus, tmp_path):
    out = tmp_path / "o.jsonl"
    proc = subprocess.run([sys.executable, "-m", "extractor", "run", str(corpus), "-o", str(out), "-w", "2"],
                          capture_output=True, text=True, env=dict(os.environ, CI="true"))
    assert proc.returncode == 0, proc.stderr
    n = len(expected_inputs(corpus))
    assert f"inputs = records + errors: {n} = {n} + 0" in proc.stderr
    assert "\r" not in proc.stderr and "ETA" not in proc.stderr     # no progress bar in CI


@pytest.mark.parametrize("args, message", [
    (["-o", "out.txt"], "cannot tell the format"),
    (["-o", "out.jsonl", "-w", "0"], "--workers must be at least 1"),
])
def test_cli_run_rejects_bad_options(corpus, tmp_path, args, message):
    args = [a if not a.startswith("out") else str(tmp_path / a) for a in args]
    proc = subprocess.run([sys.executable, "-m", "extractor", "run", str(corpus)] + args,
                          capture_output=True, text=True)
    assert proc.returncode == 2 and message in proc.stderr


def test_output_format_from_name_or_option():
    assert batch.output_format(Path("a.jsonl")) == "jsonl"
    assert batch.output_format(Path("a.parquet")) == "parquet"
    assert batch.output_format(Path("a.duckdb")) == "duckdb"
    assert batch.output_format(Path("a"), "parquet") == "parquet"
    with pytest.raises(ValueError):
        batch.output_format(Path("a.csv"))


# --------------------------------------------------------------------------- dying workers
def crash_on_boom(task):
    """Runs in a pool worker: dies outright (like a segfault or an OOM kill) on inputs named *boom*."""
    if "boom" in Path(task.path).name:
        os._exit(3)
    return engines.process_task(task)


class _CrashyEngine(engines.LocalEngine):
    task_fn = staticmethod(crash_on_boom)


def test_a_dying_worker_costs_only_its_own_input(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(6):
        (d / f"{i}_{'boom' if i == 2 else 'ok'}.txt").write_text(f"2019年,全县共立案{i + 1}件。", encoding="utf-8")
    eng = _CrashyEngine(2)
    try:
        results = list(eng.map(engines.make_tasks([d])))
    finally:
        eng.close()
    assert [r.seq for r in results] == list(range(6))                   # order kept across pool restarts
    outcomes = [o for r in results for o in r.outcomes]
    assert [o.error is not None for o in outcomes] == [False, False, True, False, False, False]
    assert "died twice" in outcomes[2].error["error"]


def test_workers_that_always_die_stop_the_run(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(12):
        (d / f"{i:02d}_boom.txt").write_text("正文", encoding="utf-8")
    eng = _CrashyEngine(2)
    try:
        with pytest.raises(engines.WorkersCannotRun):
            list(eng.map(engines.make_tasks([d])))
    finally:
        eng.close()
