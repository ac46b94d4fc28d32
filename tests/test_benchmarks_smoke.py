"""The pipeline benchmark still runs and prints what the README quotes from it (a few articles only;
no timing is asserted: the figures themselves are read by people, from a full run)."""
from __future__ import annotations

import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bench(*args: str) -> str:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "pipeline_bench.py"), *args],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_pipeline_bench_prints_rounds_stages_and_their_median():
    pytest.importorskip("jionlp")
    out = _bench("-n", "6", "--jionlp-n", "2", "--rounds", "3", "--no-workers")
    rounds = re.findall(r"^round (\d+): pipeline +\d+ articles/s +JioNLP +[\d.]+ articles/s +ratio +([\d.]+)x",
                        out, re.M)
    assert [r for r, _ in rounds] == ["1", "2", "3"], out
    listed = re.search(r"median of the rounds' ratios ([\d., ]+) \(", out)
    assert listed, out
    # the ratios listed are the rounds' own, and the headline is their median
    assert [float(x) for x in listed.group(1).split(", ")] == [float(r) for _, r in rounds]
    headline = float(re.search(r"^ratio pipeline / JioNLP: +([\d.]+)x", out, re.M).group(1))
    assert headline == pytest.approx(statistics.median(float(r) for _, r in rounds), abs=0.051)
    for stage in ("read", "normalize", "metadata", "dates", "places", "counts", "measures", "attribute",
                  "run+to_record", "json"):
        assert re.search(rf"^  {re.escape(stage)} +[\d.]+ ms/article", out, re.M), (stage, out)
    assert re.search(r"peak RSS \d+ MB", out)


def test_pipeline_bench_runs_without_jionlp_comparison():
    out = _bench("-n", "3", "--jionlp-n", "0", "--rounds", "1", "--no-workers")
    assert "round 1: pipeline" in out and "JioNLP" not in out.split("round 1:")[1]
