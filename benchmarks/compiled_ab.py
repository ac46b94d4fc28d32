"""Would compiling the pure-Python stages make the pipeline faster? An A/B that answers it.

    .venv/bin/pip install cython            # needs a C compiler and the Python headers
    .venv/bin/python benchmarks/compiled_ab.py [-n 800] [--rounds 3] [--keep DIR]
    .venv/bin/pip install mypy              # mypyc comes with it
    .venv/bin/python benchmarks/compiled_ab.py --compiler mypyc [--modules numbers,counts]

Copies ``extractor/`` to a temporary folder and compiles its stage modules there, with Cython
(plain Python source, no type declarations: what compiling the code as it stands buys; ``models``
is left alone because pydantic cannot build models from compiled methods) or with mypyc (which
uses the type annotations: native ints, direct calls between compiled functions; it compiles only
modules that type-check, by default ``numbers`` and ``counts``, the largest stage). Then it times the
whole pipeline (reading … JSON) on the same ``-n`` articles as ``pipeline_bench.py``, in
alternating processes, pure Python then compiled, ``--rounds`` times, prints CPU ms per article
for each and the median ratio, and checks that both give the same JSON for every distinct input.

Not a test and not part of the install: compiling takes minutes, and the answers it gave (issue 10)
are that compiling alone is not the way to a 2x. Cython (fifth session): ~10% fewer instructions
(callgrind), inside the machine's noise when timed. mypyc on numbers and counts (sixth session):
the whole pipeline 1.05x (median of 5 rounds), the counts stage alone 1.1-1.9x.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("counts places dates timeexpr numbers attribute measures sentences normalize html mojibake "
           "metadata pipeline gazetteer readers article budget resources engines").split()

_BUILD = """
import sys
from setuptools import Extension, setup
from Cython.Build import cythonize
mods = sys.argv[1].split(",")
sys.argv = [sys.argv[0], "build_ext", "--inplace", "-j2"]
exts = [Extension(f"extractor.{m}", [f"extractor/{m}.py"]) for m in mods]
setup(name="compiled-ab", py_modules=[], packages=[],
      ext_modules=cythonize(exts, language_level=3, quiet=True,
                            compiler_directives={"annotation_typing": False}))
"""

_CHILD = """
import hashlib, json, os, sys
sys.path.insert(0, os.environ["AB_PATH"]); sys.path.insert(1, os.environ["AB_ROOT"])
import importlib
checked = importlib.import_module("extractor." + os.environ["AB_CHECK"])
from benchmarks.pipeline_bench import build_corpus, run_pipeline
from extractor.engines import warm_up
from extractor.pipeline import Pipeline
from extractor.readers import read_bytes
warm_up()
corpus = build_corpus(int(os.environ["AB_N"]))
pipe, digest = Pipeline(), hashlib.sha256()
for name, data, kind in dict.fromkeys(corpus):   # every distinct input once: warms, and is what is compared
    for art in read_bytes(data, name, kind=kind):
        digest.update(pipe.run(art).model_dump_json(by_alias=True).encode())
_, cpu, _, n, _ = run_pipeline(corpus)
print(json.dumps({"compiled": checked.__file__.endswith((".so", ".pyd")),
                  "ms": 1000 * cpu / n, "n": n, "sha": digest.hexdigest()}))
"""


MYPYC_MODULES = ("numbers", "counts")   # the modules that type-check (mypyc refuses the others as they stand)


def build(dest: Path, modules, compiler: str = "cython") -> None:
    shutil.copytree(ROOT / "extractor", dest / "extractor",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c"))
    if compiler == "mypyc":
        cmd = [sys.executable, "-m", "mypyc", "--ignore-missing-imports", "--follow-imports=silent",
               *(f"extractor/{m}.py" for m in modules)]
    else:
        (dest / "build_ab.py").write_text(_BUILD)
        cmd = [sys.executable, "build_ab.py", ",".join(modules)]
    done = subprocess.run(cmd, cwd=dest, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"compiling failed:\n{(done.stdout + done.stderr)[-3000:]}")
    for m in modules:
        (dest / "extractor" / f"{m}.py").unlink()   # nothing but the compiled module left to import


def child(path: Path, n: int, check: str) -> dict:
    env = dict(os.environ, AB_PATH=str(path), AB_ROOT=str(ROOT), AB_N=str(n), AB_CHECK=check,
               EXTRACTOR_PATTERNS=str(ROOT / "patterns"))
    done = subprocess.run([sys.executable, "-c", _CHILD], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the timed run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=800, help="articles per timed pass")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--compiler", choices=("cython", "mypyc"), default="cython")
    ap.add_argument("--modules", help="comma-separated extractor modules to compile (default: the 19 stage "
                                      "modules with Cython, numbers and counts with mypyc)")
    ap.add_argument("--keep", type=Path, help="build into this folder and keep it (else a temporary one); "
                                              "a folder kept by an earlier run is used again as it is")
    args = ap.parse_args()
    try:
        __import__("Cython" if args.compiler == "cython" else "mypyc")
    except ImportError:
        print(f"{args.compiler} is not installed: .venv/bin/pip install "
              f"{'cython' if args.compiler == 'cython' else 'mypy'}")
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="compiled-ab-"))
    pure = Path(tempfile.mkdtemp(prefix="pure-ab-"))
    try:
        shutil.copytree(ROOT / "extractor", pure / "extractor", ignore=shutil.ignore_patterns("__pycache__"))
        default = MODULES if args.compiler == "cython" else MYPYC_MODULES
        modules = [m for m in args.modules.split(",") if m] if args.modules else list(default)
        if (work / "extractor").is_dir():
            print(f"using the modules compiled earlier in {work}")
        else:
            print(f"compiling {len(modules)} modules with {args.compiler} in {work} (minutes) …", flush=True)
            build(work, modules, args.compiler)
        ratios, shas = [], set()
        for r in range(args.rounds):
            a, b = child(pure, args.n, modules[0]), child(work, args.n, modules[0])
            if a["compiled"] or not b["compiled"]:
                sys.exit("the A/B did not import what it meant to (pure vs compiled)")
            shas |= {a["sha"], b["sha"]}
            ratios.append(a["ms"] / b["ms"])
            print(f"round {r + 1}: pure {a['ms']:.2f} ms/article   compiled {b['ms']:.2f} ms/article   "
                  f"speed-up {ratios[-1]:.2f}x")
        print(f"median speed-up {statistics.median(ratios):.2f}x over {args.rounds} rounds of {args.n} articles; "
              f"output {'identical' if len(shas) == 1 else 'DIFFERENT'}")
        return 0 if len(shas) == 1 else 1
    finally:
        shutil.rmtree(pure, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
