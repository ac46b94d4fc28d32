"""Records as tables: a Parquet folder or a DuckDB database, keyed by article id.

Tables (one row per …):

- ``articles``  record: ``id``, ``source``, ``title``, ``published_at`` (ISO text as in SPEC),
  ``published_date`` (its +08:00 calendar date), ``outlet``, ``authors``, ``editors``, ``url``,
  ``script``, ``text``, ``normalization`` (JSON text), ``n_dates`` … ``n_issues``;
- ``dates``, ``places``, ``counts``, ``measures``  mention: ``article_id``, ``idx`` (position in
  the record's list), then the SPEC fields in SPEC order;
- ``issues``  (``article_id``, ``idx``, ``stage``, ``message``);
- ``divisions`` the gazetteer (``adcode``, ``name``, ``level``, ``parent``, ``path``), to name places.

Column names are SPEC's, flattened: a nested period ``period: {from, to}`` becomes
``period_from``/``period_to``; the top-level ``from``/``to`` of a date (SQL keywords) become
``date_from``/``date_to`` (measures' ``date`` also gives ``date_from``/``date_to``). ``start`` and
``end`` keep their names (quote ``"end"`` in SQL). Columns follow the pydantic models, so an
optional field added to a model appears as a column without code changes.

Views (DuckDB file, and every dataset opened by ``extractor query``/``stats``):
``counts_full`` (each count with its article's title/date/outlet/source, the place's name, level
and path, and ``year`` = the calendar year its period lies in, else null) and ``figures`` (counts
per indicator × place × year × unit).

A Parquet output is the folder ``OUT/`` holding ``<table>.parquet`` for each table; a DuckDB
output is one ``.duckdb`` file. Both are written through a JSON Lines journal
(``OUT/_journal.jsonl`` or ``OUT.journal.jsonl``) that the run appends to line by line and that
is converted, then removed, at the end; a resumed run merges into what is already there,
replacing nothing twice.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import tempfile
import typing
from pathlib import Path
from typing import Iterable, Iterator, Optional

import orjson

from .models import CountMention, DateMention, Issue, MeasureMention, Period, PlaceMention, Record

MENTION_TABLES = {"dates": DateMention, "places": PlaceMention, "counts": CountMention, "measures": MeasureMention,
                  "issues": Issue}
TABLES = ("articles",) + tuple(MENTION_TABLES) + ("divisions",)
ROW_GROUP = 20_000              # rows per Parquet row group (memory bound of a writer) …
ROW_GROUP_ARTICLES = 2_000      # … but articles carry their whole text
RENAMED_TOP = {"from": "date_from", "to": "date_to"}


# --------------------------------------------------------------------------- schemas from the models
def _unwrap(tp):
    """Optional[X] → X; Literal → str."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or str(origin) == "types.UnionType":
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else str
    if origin is typing.Literal:
        return str
    return tp


def _arrow_type(tp):
    import pyarrow as pa

    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if tp is str:
        return pa.string()
    if tp is bool:
        return pa.bool_()
    if tp is int:
        return pa.int64()
    if tp is float:
        return pa.float64()
    if tp is _dt.date:
        return pa.date32()
    if origin is list and typing.get_args(tp) and _unwrap(typing.get_args(tp)[0]) is str:
        return pa.list_(pa.string())
    return None  # anything else is stored as JSON text


def _columns(model) -> list[tuple[str, str, object, Optional[str]]]:
    """(column, key in the JSON dict, arrow type, sub-key) for each field of ``model``."""
    import pyarrow as pa

    cols = []
    for name, f in model.model_fields.items():
        key = f.alias or name
        tp = _unwrap(f.annotation)
        if isinstance(tp, type) and issubclass(tp, Period):
            for sub in ("from", "to"):
                cols.append((f"{key}_{sub}", key, pa.date32(), sub))
            continue
        at = _arrow_type(f.annotation)
        cols.append((RENAMED_TOP.get(key, key), key, at if at is not None else pa.string(),
                     None if at is not None else "json"))
    return cols


_ARTICLE_SKIP = set(MENTION_TABLES)


def _article_columns():
    import pyarrow as pa

    cols = [c for c in _columns(Record) if c[1] not in _ARTICLE_SKIP]
    i = [c[0] for c in cols].index("published_at") + 1
    cols.insert(i, ("published_date", "published_at", pa.date32(), "date"))
    cols += [(f"n_{k}", k, pa.int64(), "len") for k in MENTION_TABLES]
    return cols


_SCHEMAS: dict = {}


def table_columns(table: str):
    import pyarrow as pa

    if table not in _SCHEMAS:
        if table == "articles":
            cols = _article_columns()
        else:
            cols = [("article_id", None, pa.string(), None), ("idx", None, pa.int32(), None)] + _columns(
                MENTION_TABLES[table])
        _SCHEMAS[table] = cols
    return _SCHEMAS[table]


def table_schema(table: str):
    import pyarrow as pa

    return pa.schema([(c[0], c[2]) for c in table_columns(table)])


# --------------------------------------------------------------------------- flattening
def _value(obj: dict, key, sub, at):
    import pyarrow as pa

    v = obj.get(key)
    if sub == "json":
        return None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)
    if sub == "len":
        return len(v or ())
    if sub == "date":  # published_at → its local calendar date
        return v[:10] if isinstance(v, str) and len(v) >= 10 else None
    if sub is not None:
        return (v or {}).get(sub) if isinstance(v, dict) else None
    return v


def flatten(rec: dict) -> dict[str, list[dict]]:
    """One record (the JSON dict, SPEC aliases) → rows per table."""
    out: dict[str, list[dict]] = {}
    out["articles"] = [{c[0]: _value(rec, c[1], c[3], c[2]) for c in table_columns("articles")}]
    rid = rec.get("id")
    for table in MENTION_TABLES:
        rows = []
        cols = table_columns(table)[2:]
        for i, m in enumerate(rec.get(table) or ()):
            row = {"article_id": rid, "idx": i}
            for c in cols:
                row[c[0]] = _value(m, c[1], c[3], c[2])
            rows.append(row)
        out[table] = rows
    return out


class TableWriter:
    """Rows → one Parquet file, written in row groups (memory bounded by ``ROW_GROUP`` rows)."""

    def __init__(self, table: str, path: Path):
        self.table, self.path = table, Path(path)
        self.schema = table_schema(table)
        self.names = self.schema.names
        self.buf: dict[str, list] = {n: [] for n in self.names}
        self.n = 0
        self.rows = 0
        self.group = ROW_GROUP_ARTICLES if table == "articles" else ROW_GROUP
        self._w = None

    def add(self, rows: list[dict]) -> None:
        for r in rows:
            for n in self.names:
                self.buf[n].append(r.get(n))
        self.n += len(rows)
        if self.n >= self.group:
            self.flush()

    def flush(self) -> None:
        import pyarrow.parquet as pq

        if self._w is None:
            self._w = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        if self.n:
            self._w.write_table(to_arrow(self.table, self.buf))
            self.rows += self.n
        self.buf = {n: [] for n in self.names}
        self.n = 0

    def close(self) -> None:
        self.flush()
        self._w.close()


def to_arrow(table: str, cols: dict[str, list]):
    """Column lists → an arrow table of ``table``'s schema (ISO date strings cast to dates)."""
    import pyarrow as pa

    schema = table_schema(table)
    arrays = []
    for f in schema:
        vals = cols[f.name]
        if pa.types.is_date32(f.type):
            arr = pa.array(vals, pa.string())
            try:
                arr = arr.cast(pa.date32())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                arr = pa.array([_safe_date(v) for v in vals], pa.date32())
        else:
            arr = pa.array(vals, f.type)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)


def _safe_date(v):
    try:
        return _dt.date.fromisoformat(v[:10]) if v else None
    except (TypeError, ValueError):
        return None


def iter_records(jsonl: Path) -> Iterator[dict]:
    """Complete lines of a JSON Lines file as dicts (a partial or broken line is skipped)."""
    with open(jsonl, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError:
                continue


def records_to_parquet(records: Iterable[dict], folder: Path) -> dict[str, int]:
    """Write ``<table>.parquet`` for every record table into ``folder``; returns rows per table."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writers = {t: TableWriter(t, folder / f"{t}.parquet") for t in ("articles",) + tuple(MENTION_TABLES)}
    for rec in records:
        for t, rows in flatten(rec).items():
            if rows:
                writers[t].add(rows)
    for w in writers.values():
        w.close()
    write_divisions(folder / "divisions.parquet")
    return {t: w.rows for t, w in writers.items()}


# --------------------------------------------------------------------------- the gazetteer table
def divisions_rows() -> list[dict]:
    from .resources import load_tsv

    try:
        rows = load_tsv("gazetteer/divisions.tsv")
    except (OSError, FileNotFoundError):
        return []
    by = {r.get("adcode"): r for r in rows}
    out = []
    for r in rows:
        path, cur, seen = [], r, set()
        while cur is not None and cur.get("adcode") not in seen:
            seen.add(cur.get("adcode"))
            path.append(cur.get("name"))
            cur = by.get(cur.get("parent") or "")
        out.append({"adcode": r.get("adcode"), "name": r.get("name"), "level": r.get("level"),
                    "parent": r.get("parent") or None, "path": path[::-1]})
    return out


def write_divisions(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = divisions_rows()
    schema = pa.schema([("adcode", pa.string()), ("name", pa.string()), ("level", pa.string()),
                        ("parent", pa.string()), ("path", pa.list_(pa.string()))])
    tbl = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    pq.write_table(tbl, path, compression="zstd")


# --------------------------------------------------------------------------- views
VIEWS = {
    "counts_full": """
        SELECT c.article_id, c.idx, c.indicator, c.label, c.value, c.approx, c.low, c.high, c.unit, c.object,
               c.period_from, c.period_to,
               CASE WHEN c.period_from IS NOT NULL AND c.period_to IS NOT NULL
                         AND year(c.period_from) = year(c.period_to) THEN year(c.period_from) END AS year,
               c.place, d.name AS place_name, d.level AS place_level, d.path AS place_path,
               c.text, c.start, c."end", c.sentence,
               a.title, a.published_at, a.published_date, a.outlet, a.source
        FROM counts c JOIN articles a ON a.id = c.article_id
        LEFT JOIN divisions d ON d.adcode = c.place""",
    "figures": """
        SELECT indicator, place, any_value(place_name) AS place_name, year, unit,
               count(*) AS figures, count(DISTINCT article_id) AS articles,
               min(value) AS min_value, max(value) AS max_value,
               list(DISTINCT value ORDER BY value) AS "values"
        FROM counts_full GROUP BY indicator, place, year, unit""",
}


def create_views(con) -> None:
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")


# --------------------------------------------------------------------------- outputs, journal, resume
def journal_path(out: Path, fmt: str) -> Path:
    out = Path(out)
    return out / "_journal.jsonl" if fmt == "parquet" else out.with_name(out.name + ".journal.jsonl")


def remove_output(out: Path, fmt: str) -> None:
    """A fresh (non-resumed) run starts from nothing: remove a previous output of this name."""
    out = Path(out)
    if fmt == "parquet":
        if out.is_dir():
            for t in TABLES:
                (out / f"{t}.parquet").unlink(missing_ok=True)
            journal_path(out, fmt).unlink(missing_ok=True)
            shutil.rmtree(out / "_staging", ignore_errors=True)
    elif fmt == "duckdb":
        for p in (out, out.with_name(out.name + ".wal"), journal_path(out, fmt)):
            p.unlink(missing_ok=True)


def existing_ids(out: Path, fmt: str) -> set[str]:
    """Ids already in a finished Parquet folder or DuckDB file (for ``--resume``)."""
    import duckdb

    out = Path(out)
    try:
        if fmt == "parquet" and (out / "articles.parquet").exists():
            con = duckdb.connect()
            rows = con.execute("SELECT id FROM read_parquet(?)", [str(out / "articles.parquet")]).fetchall()
        elif fmt == "duckdb" and out.exists():
            con = duckdb.connect(str(out), read_only=True)
            rows = con.execute("SELECT id FROM articles").fetchall()
        else:
            return set()
    except duckdb.Error:
        return set()
    con.close()
    return {r[0] for r in rows}


def finalize(journal: Path, out: Path, fmt: str) -> None:
    """Convert the journal into the dataset (merging with what is there), then remove it."""
    journal, out = Path(journal), Path(out)
    if not journal.exists():
        journal.parent.mkdir(parents=True, exist_ok=True)
        journal.touch()
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out.parent if fmt == "duckdb" else out))
    try:
        records_to_parquet(iter_records(journal), staging)
        if fmt == "parquet":
            _merge_parquet(staging, out)
        else:
            _merge_duckdb(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    journal.unlink(missing_ok=True)


def _merge_parquet(staging: Path, out: Path) -> None:
    import duckdb

    con = duckdb.connect()
    new_ids = f"SELECT id FROM read_parquet('{_q(staging / 'articles.parquet')}')"
    for t in TABLES:
        new, final = staging / f"{t}.parquet", out / f"{t}.parquet"
        if t != "divisions" and final.exists():
            key = "id" if t == "articles" else "article_id"
            tmp = out / f".{t}.parquet.tmp"
            con.execute(f"""COPY (SELECT * FROM read_parquet('{_q(final)}') WHERE {key} NOT IN ({new_ids})
                                  UNION ALL BY NAME SELECT * FROM read_parquet('{_q(new)}'))
                            TO '{_q(tmp)}' (FORMAT parquet, COMPRESSION zstd)""")
            os.replace(tmp, final)
        else:
            os.replace(new, final)
    con.close()


def _merge_duckdb(staging: Path, out: Path) -> None:
    import duckdb

    con = duckdb.connect(str(out))
    try:
        con.execute("BEGIN")
        have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for t in TABLES[1:] + TABLES[:1]:   # articles last: the others check ids against it
            src = f"read_parquet('{_q(staging / f'{t}.parquet')}')"
            if t == "divisions":
                con.execute(f"CREATE OR REPLACE TABLE divisions AS SELECT * FROM {src}")
            elif t not in have:
                con.execute(f"CREATE TABLE {t} AS SELECT * FROM {src}")
            else:
                key = "id" if t == "articles" else "article_id"
                # rows of articles already in the database are not inserted twice
                con.execute(f"INSERT INTO {t} BY NAME SELECT * FROM {src} WHERE {key} NOT IN (SELECT id FROM articles)")
        create_views(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def _q(p: Path) -> str:
    return str(p).replace("'", "''")


# --------------------------------------------------------------------------- opening a dataset
def open_dataset(path: Path):
    """A DuckDB connection over a ``.duckdb`` file (read-only), a Parquet folder or a ``.jsonl`` output."""
    import duckdb

    path = Path(path)
    if path.is_dir():
        con = duckdb.connect()
        for t in TABLES:
            f = path / f"{t}.parquet"
            if f.exists():
                con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{_q(f)}')")
        if not (path / "articles.parquet").exists():
            raise FileNotFoundError(f"{path} has no articles.parquet (not a finished Parquet output?)")
        _ensure_divisions(con)
        create_views(con)
        return con
    if not path.exists():
        raise FileNotFoundError(str(path))
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        con = duckdb.connect()
        tmp = Path(tempfile.mkdtemp(prefix="extractor-query-"))
        try:
            records_to_parquet(iter_records(path), tmp)
            for t in TABLES:
                con.execute(f"CREATE TABLE {t} AS SELECT * FROM read_parquet('{_q(tmp / f'{t}.parquet')}')")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        create_views(con)
        return con
    return duckdb.connect(str(path), read_only=True)


def _ensure_divisions(con) -> None:
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "divisions" not in have:
        import pyarrow as pa  # noqa: F401

        tmp = Path(tempfile.mkdtemp(prefix="extractor-div-"))
        try:
            write_divisions(tmp / "d.parquet")
            con.execute(f"CREATE TABLE divisions AS SELECT * FROM read_parquet('{_q(tmp / 'd.parquet')}')")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
