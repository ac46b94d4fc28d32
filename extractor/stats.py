"""``extractor stats``: the summaries researchers ask first, over a run's output.

    extractor stats overview DATASET              # rows per table, indicators by frequency
    extractor stats figures  DATASET [filters]    # figures per indicator × place × year × unit
    extractor stats articles DATASET [filters]    # the articles behind those figures

Filters: ``--indicator case_filed``, ``--place 福州`` (an adcode, an adcode prefix such as
``3501``, or part of a place name), ``--year 2017``, ``--unit 人``. ``year`` is the calendar year
a count's period lies in (null when the period spans several years or is unknown; ``--year``
then never matches it). DATASET is what ``extractor query`` takes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from .query import write_result


def _filters(args) -> tuple[str, list]:
    where, params = [], []
    if args.indicator:
        where.append("indicator = ?")
        params.append(args.indicator)
    if args.place:
        p = args.place
        if p.isdigit():
            where.append("place LIKE ?")
            params.append(p.rstrip("0") + "%" if len(p) == 6 else p + "%")
        else:
            where.append("(place_name LIKE ? OR list_contains(place_path, ?))")
            params += [f"%{p}%", p]
    if args.year is not None:
        where.append("year = ?")
        params.append(args.year)
    if args.unit:
        where.append("unit = ?")
        params.append(args.unit)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def figures_sql(args) -> tuple[str, list]:
    where, params = _filters(args)
    sql = f"""SELECT indicator, place, any_value(place_name) AS place_name, year, unit,
                     count(*) AS figures, count(DISTINCT article_id) AS articles,
                     list(DISTINCT value ORDER BY value) AS "values"
              FROM counts_full{where}
              GROUP BY indicator, place, year, unit
              ORDER BY figures DESC, indicator, place NULLS LAST, year NULLS LAST, unit
              LIMIT {int(args.limit)}"""
    return sql, params


def articles_sql(args) -> tuple[str, list]:
    where, params = _filters(args)
    sql = f"""SELECT indicator, place_name, year, value, unit, text AS quote, published_date, title, source
              FROM counts_full{where}
              ORDER BY indicator, place NULLS LAST, year NULLS LAST, published_date NULLS LAST, source, start
              LIMIT {int(args.limit)}"""
    return sql, params


OVERVIEW_TABLES = ("articles", "dates", "places", "counts", "measures", "issues")


def overview(con) -> tuple[list[str], list[tuple]]:
    rows = []
    for t in OVERVIEW_TABLES:
        rows.append(("table", t, con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]))
    for ind, n in con.execute("SELECT indicator, count(*) FROM counts GROUP BY indicator "
                              "ORDER BY count(*) DESC, indicator").fetchall():
        rows.append(("indicator", ind, n))
    return ["what", "name", "rows"], rows


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="extractor stats", description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("overview", "figures", "articles"))
    ap.add_argument("dataset", type=Path, help=".duckdb file, Parquet output folder, or .jsonl output")
    ap.add_argument("--indicator", help="indicator key (case_filed, sanctioned, …)")
    ap.add_argument("--place", help="adcode, adcode prefix, or part of a place name")
    ap.add_argument("--year", type=int, help="calendar year of the figure's period")
    ap.add_argument("--unit", help="canonical unit (人, 件, %%, 元, …)")
    ap.add_argument("--limit", type=int, default=50)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--csv", dest="fmt", action="store_const", const="csv")
    g.add_argument("--json", dest="fmt", action="store_const", const="json")
    ap.add_argument("--width", type=int, default=40, help="clip table cells to this many columns (0: no clip)")
    return ap


def main(argv: Optional[list[str]] = None) -> int:
    import duckdb

    from .datasets import open_dataset

    args = build_parser().parse_args(argv)
    try:
        con = open_dataset(args.dataset)
    except FileNotFoundError as exc:
        print(f"extractor stats: no dataset at {exc}", file=sys.stderr)
        return 2
    try:
        if args.what == "overview":
            columns, rows = overview(con)
        else:
            sql, params = figures_sql(args) if args.what == "figures" else articles_sql(args)
            cur = con.execute(sql, params)
            columns, rows = [d[0] for d in cur.description], cur.fetchall()
    except duckdb.Error as exc:
        print(f"extractor stats: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    write_result(columns, rows, args.fmt or "table", max_width=args.width)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
