"""Command line: ``extractor run|schema|report|query|stats`` (also ``python -m extractor``).

The CLI mirrors the Python API: ``run`` is :func:`extractor.batch.run` over files,
``extract`` is the same pipeline on one string.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional


def _cmd_run(args) -> int:
    from . import batch

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"extractor run: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    out = Path(args.output)
    try:
        fmt = batch.output_format(out, args.format)
    except ValueError as exc:
        print(f"extractor run: {exc}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print("extractor run: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.scheduler and args.engine != "dask":
        args.engine = "dask"
    try:
        summary = batch.run(paths, out, fmt=fmt, workers=args.workers, engine=args.engine,
                            scheduler=args.scheduler, resume=args.resume, progress=args.progress,
                            quiet=args.quiet, ship=args.ship)
    except RuntimeError as exc:   # engines.WorkersCannotRun, a Dask cluster that cannot be reached …
        print(f"extractor run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nextractor run: interrupted; the records written so far are kept: rerun with --resume to go on",
              file=sys.stderr)
        return 130
    except ImportError as exc:
        print(f"extractor run: {exc} (install the 'datasets' or 'dask' extra)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"extractor run: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
        print(summary.accounting(), file=sys.stderr)
        if summary.errors:
            print(f"errors in {batch.errors_path_for(out)}", file=sys.stderr)
        print(f"wrote {out}", file=sys.stderr)
    return 0 if summary.ok else 1


def _cmd_schema(args) -> int:
    from . import schema

    if args.check:
        ok = schema.is_current(args.dir)
        print("schema is current" if ok else "schema is out of date: run `extractor schema`", file=sys.stderr)
        return 0 if ok else 1
    p = schema.write(args.dir)
    print(f"wrote {p}", file=sys.stderr)
    return 0


def _delegate(module: str, argv: list[str]) -> int:
    import importlib

    try:
        mod = importlib.import_module(f"extractor.{module}")
    except ImportError as exc:
        print(f"extractor {module}: not available ({exc})", file=sys.stderr)
        return 2
    return int(mod.main(argv) or 0)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="extractor", description="Structured facts from scraped Chinese news articles.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="extract records from files or folders")
    r.add_argument("paths", nargs="+", help="files (.txt .html .jsonl) or folders (recursed)")
    r.add_argument("-o", "--output", required=True,
                   help="output: .jsonl (JSON Lines), .parquet (a folder of <table>.parquet) or .duckdb")
    r.add_argument("-f", "--format", choices=("jsonl", "parquet", "duckdb"), default=None,
                   help="output format (default: from the output's extension)")
    r.add_argument("-w", "--workers", type=int, default=None,
                   help="worker processes (default: the machine's cores; 1 runs in this process)")
    r.add_argument("--resume", action="store_true",
                   help="keep the records already in OUTPUT, skip their articles (by id), do the rest")
    r.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local process pool (default) or a Dask cluster")
    r.add_argument("--scheduler", default=None,
                   help="Dask scheduler address (tcp://host:8786); --engine dask without it starts a LocalCluster")
    r.add_argument("--ship", action="store_true", default=None,
                   help="send input bytes with each task (for cluster workers without the inputs' file system; "
                        "default with --scheduler)")
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: on a terminal, off when CI=true)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary on stderr")
    s = sub.add_parser("schema", help="write (or --check) the JSON Schema in schemas/")
    s.add_argument("--check", action="store_true")
    s.add_argument("--dir", type=Path, default=None)
    for name, helptext in (("report", "HTML report of an output file"), ("query", "SQL over a dataset (DuckDB)"),
                           ("stats", "summaries of a dataset")):
        p = sub.add_parser(name, help=helptext, add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
    return ap


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("report", "query", "stats"):
        return _delegate(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    if args.cmd == "run":
        return _cmd_run(args)
    if args.cmd == "schema":
        return _cmd_schema(args)
    return 2  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
