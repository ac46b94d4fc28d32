"""The atheris fuzz target (fuzz/fuzz_pipeline.py) for a fixed number of inputs (issue 9).

Seeded with the hostile fixtures and the seed articles; a crash (an exception or a failed record
check in the target) fails this test and leaves the input in tmp_path as ``crash-*``, to be turned
into a regression test. The longer run is documented in fuzz/README.md.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "fuzz" / "fuzz_pipeline.py"
RUNS = int(os.environ.get("FUZZ_RUNS", "2000"))

pytest.importorskip("atheris")


@pytest.mark.slow
def test_fuzz_target_fixed_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in (ROOT / "tests" / "fixtures" / "hostile").iterdir():
        if f.suffix in (".txt", ".html", ".jsonl"):
            shutil.copy(f, corpus / f.name)
    for f in sorted((ROOT.parent / "shared" / "corpus" / "seeds").glob("*.txt")):
        shutil.copy(f, corpus / f.name)
    proc = subprocess.run(
        [sys.executable, str(TARGET), f"-runs={RUNS}", "-seed=1", "-max_len=512", "-timeout=120",
         f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, cwd=tmp_path, timeout=1200)
    crashes = sorted(p.name for p in tmp_path.glob("crash-*")) + sorted(p.name for p in tmp_path.glob("timeout-*"))
    assert proc.returncode == 0 and not crashes, (crashes, proc.stderr[-3000:])
    # libFuzzer's count may include one extra run (the empty input it tries first): at least RUNS
    done = re.search(r"Done (\d+) runs", proc.stderr)
    assert done and int(done.group(1)) >= RUNS, proc.stderr[-3000:]
