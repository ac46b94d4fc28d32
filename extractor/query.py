"""``extractor query DATASET "SQL"``: SQL (DuckDB) over a run's output, read-only.

DATASET is a ``.duckdb`` file (opened read-only), a Parquet output folder, or a ``.jsonl``
output (loaded into memory). Tables: ``articles``, ``dates``, ``places``, ``counts``,
``measures``, ``issues``, ``divisions``; views ``counts_full``, ``figures``
(see :mod:`extractor.datasets`). Output: an aligned table (default), ``--csv`` or ``--json``
(one JSON object per line).
"""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import decimal
import sys
import unicodedata
from pathlib import Path
from typing import Optional, Sequence, TextIO

import orjson


def _cell(v, max_width: int) -> str:
    if v is None:
        s = ""
    elif isinstance(v, float):
        s = f"{v:.0f}" if v.is_integer() and abs(v) < 1e15 else f"{v:g}"
    elif isinstance(v, (list, tuple)):
        s = ", ".join(_cell(x, max_width) for x in v)
    else:
        s = str(v)
    s = s.replace("\n", " ").replace("\t", " ")
    return _clip(s, max_width) if max_width > 0 else s


def text_width(s: str) -> int:
    """Columns a string takes on a terminal (CJK and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _clip(s: str, width: int) -> str:
    if text_width(s) <= width:
        return s
    out, w = [], 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if w + cw > width - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def format_table(columns: Sequence[str], rows: Sequence[Sequence], max_width: int = 40) -> str:
    """An aligned plain-text table; numbers right-aligned, long cells clipped to ``max_width``."""
    cells = [[_cell(v, max_width) for v in r] for r in rows]
    numeric = [all(isinstance(r[i], (int, float, decimal.Decimal)) or r[i] is None for r in rows) and rows
               for i in range(len(columns))]
    widths = [max([text_width(c)] + [text_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def fmt(vals):
        parts = []
        for i, v in enumerate(vals):
            pad = " " * (widths[i] - text_width(v))
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    lines = [fmt(list(columns)), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _json_default(v):
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    return str(v)


def write_result(columns: Sequence[str], rows: Sequence[Sequence], fmt: str = "table", out: Optional[TextIO] = None,
                 max_width: int = 40) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        w = csv.writer(out)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if v is None else (";".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
                        for v in r])
    elif fmt == "json":
        for r in rows:
            out.write(orjson.dumps(dict(zip(columns, r)), default=_json_default).decode() + "\n")
    else:
        out.write(format_table(columns, rows, max_width) + "\n")


def run_sql(dataset: Path, sql: str):
    """(columns, rows) of ``sql`` over ``dataset``."""
    from .datasets import open_dataset

    con = open_dataset(Path(dataset))
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    finally:
        con.close()
    return columns, rows


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="extractor query", description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", type=Path, help=".duckdb file, Parquet output folder, or .jsonl output")
    ap.add_argument("sql", help="SQL (DuckDB dialect); tables articles, dates, places, counts, measures, issues, "
                                "divisions; views counts_full, figures")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--csv", dest="fmt", action="store_const", const="csv", help="CSV on stdout")
    g.add_argument("--json", dest="fmt", action="store_const", const="json", help="JSON Lines on stdout")
    ap.add_argument("--width", type=int, default=40, help="clip table cells to this many columns (0: no clip)")
    return ap


def main(argv: Optional[list[str]] = None) -> int:
    import duckdb

    args = build_parser().parse_args(argv)
    try:
        columns, rows = run_sql(args.dataset, args.sql)
    except FileNotFoundError as exc:
        print(f"extractor query: no dataset at {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"extractor query: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    write_result(columns, rows, args.fmt or "table", max_width=args.width)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
