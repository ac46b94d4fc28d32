"""Parquet and DuckDB outputs, ``extractor query`` and ``extractor stats``.

Most checks compare formats with each other and with the JSON Lines output; the
flattening and the summaries are checked on hand-made records.
"""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extractor import batch, datasets
from extractor.models import CountMention, DateMention, MeasureMention, PlaceMention, Record

from conftest import need_shared
from test_batch import expected_inputs, make_corpus, read_lines

FACT_TABLES = ("dates", "places", "counts", "measures", "issues")


def _record(rid="r1", source="a.txt"):
    text = "2017年,全市已立案审查174人。福州市出台《关于加强监督的意见》。"
    i = text.index
    return Record(
        id=rid, source=source, title="标题", published_at="2018-02-12T11:12:46+08:00", outlet="福州日报",
        authors=["张三"], editors=[], text=text, script="hans",
        dates=[DateMention(text="2017年", start=0, end=5, kind="point", **{"from": "2017-01-01"}, to="2017-12-31",
                           granularity="year")],
        places=[PlaceMention(text="福州市", start=i("福州市"), end=i("福州市") + 3, name="福州市", level="city",
                             adcode="350100", path=["福建省", "福州市"])],
        counts=[CountMention(text="立案审查174人", start=i("立案"), end=i("立案") + 8, indicator="case_filed",
                             label="立案审查", value=174, unit="人",
                             period={"from": "2017-01-01", "to": "2017-12-31"}, place="350100"),
                CountMention(text="174人", start=i("174"), end=i("174") + 4, value=174, unit="人",
                             period={"from": "2016-01-01", "to": "2017-12-31"})],
        measures=[MeasureMention(text="《关于加强监督的意见》", start=i("《"), end=i("》") + 1,
                                 name="关于加强监督的意见", kind="意见", form="document")],
    ).to_dict()


# --------------------------------------------------------------------------- flattening
def test_flatten_names_columns_after_spec():
    rows = datasets.flatten(_record())
    a = rows["articles"][0]
    assert (a["id"], a["published_at"], a["published_date"], a["outlet"]) == \
        ("r1", "2018-02-12T11:12:46+08:00", "2018-02-12", "福州日报")
    assert (a["n_dates"], a["n_counts"], a["n_measures"], a["n_issues"]) == (1, 2, 1, 0)
    d = rows["dates"][0]
    assert (d["article_id"], d["idx"], d["date_from"], d["date_to"], d["kind"], d["granularity"]) == \
        ("r1", 0, "2017-01-01", "2017-12-31", "point", "year")
    c = rows["counts"][0]
    assert (c["indicator"], c["value"], c["unit"], c["period_from"], c["period_to"], c["place"]) == \
        ("case_filed", 174, "人", "2017-01-01", "2017-12-31", "350100")
    assert (c["start"], c["end"], c["text"]) == (9, 17, "立案审查174人")
    assert rows["places"][0]["path"] == ["福建省", "福州市"]
    assert rows["measures"][0]["date_from"] is None and rows["measures"][0]["kind"] == "意见"


def test_schemas_follow_the_models():
    assert {"article_id", "idx", "text", "start", "end", "indicator", "label", "value", "approx", "low", "high",
            "unit", "object", "period_from", "period_to", "place"} <= set(datasets.table_schema("counts").names)
    assert {"date_from", "date_to", "kind", "granularity"} <= set(datasets.table_schema("dates").names)
    assert {"name", "level", "adcode", "path"} <= set(datasets.table_schema("places").names)
    assert str(datasets.table_schema("counts").field("period_from").type) == "date32[day]"


@pytest.fixture()
def handmade(tmp_path):
    """A Parquet folder of two hand-made records (no pipeline involved)."""
    folder = tmp_path / "hand.parquet"
    datasets.records_to_parquet([_record("r1", "a.txt"), _record("r2", "b.txt")], folder)
    return folder


def test_counts_full_names_places_and_years(handmade):
    con = datasets.open_dataset(handmade)
    rows = con.execute("SELECT article_id, place_name, year, value FROM counts_full ORDER BY article_id, idx").fetchall()
    # the second count's period spans two years: no single year
    assert rows == [("r1", "福州市", 2017, 174.0), ("r1", None, None, 174.0),
                    ("r2", "福州市", 2017, 174.0), ("r2", None, None, 174.0)]


def test_stats_figures_and_articles_behind_them(handmade, capsys):
    from extractor import stats

    assert stats.main(["figures", str(handmade), "--indicator", "case_filed", "--json"]) == 0
    rows = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert rows == [{"indicator": "case_filed", "place": "350100", "place_name": "福州市", "year": 2017,
                     "unit": "人", "figures": 2, "articles": 2, "values": [174.0]}]
    assert stats.main(["articles", str(handmade), "--place", "福州", "--year", "2017", "--csv"]) == 0
    got = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["source"], r["quote"], r["published_date"]) for r in got] == \
        [("a.txt", "立案审查174人", "2018-02-12"), ("b.txt", "立案审查174人", "2018-02-12")]
    assert stats.main(["figures", str(handmade), "--place", "3501", "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert stats.main(["overview", str(handmade)]) == 0
    out = capsys.readouterr().out
    assert "counts" in out and "case_filed" in out


def test_query_output_forms(handmade, capsys):
    from extractor import query

    sql = "SELECT id, title FROM articles ORDER BY id"
    assert query.main([str(handmade), sql, "--json"]) == 0
    assert [json.loads(l) for l in capsys.readouterr().out.splitlines()] == \
        [{"id": "r1", "title": "标题"}, {"id": "r2", "title": "标题"}]
    assert query.main([str(handmade), sql]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["id", "title"] and table[2].split() == ["r1", "标题"] and table[-1] == "(2 rows)"
    assert query.main([str(handmade), "SELECT nope FROM articles"]) == 1
    assert query.main([str(handmade.parent / "missing.duckdb"), sql]) == 2


@pytest.mark.parametrize("cells, widths", [
    (["标题", "ab"], [4, 2]),
    (["a", "全角ＡＢ"], [1, 8]),
])
def test_text_width_counts_wide_characters_twice(cells, widths):
    from extractor.query import text_width

    assert [text_width(c) for c in cells] == widths


# --------------------------------------------------------------------------- runs into datasets
@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("ds")
    corpus = make_corpus(root)
    outs = {}
    for name in ("o.jsonl", "o.parquet", "o.duckdb"):
        outs[name] = (root / name, batch.run([corpus], root / name, workers=1, quiet=True))
    return corpus, outs


def _table_rows(con, table, order, exclude=""):
    return con.execute(f"SELECT * {exclude} FROM {table} ORDER BY {order}").fetchall()


def test_parquet_and_duckdb_hold_what_the_jsonl_holds(runs):
    corpus, outs = runs
    recs = read_lines(outs["o.jsonl"][0])
    folder, db = outs["o.parquet"][0], outs["o.duckdb"][0]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.parquet" for t in datasets.TABLES)
    assert not datasets.journal_path(db, "duckdb").exists()
    pq_con, db_con, js_con = datasets.open_dataset(folder), duckdb.connect(str(db), read_only=True), \
        datasets.open_dataset(outs["o.jsonl"][0])
    ids = sorted(r["id"] for r in recs)
    for con in (pq_con, db_con, js_con):
        assert sorted(r[0] for r in con.execute("SELECT id FROM articles").fetchall()) == ids
        for t in FACT_TABLES:
            assert con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == sum(len(r[t]) for r in recs)
        assert con.execute("SELECT count(*) FROM counts_full").fetchone()[0] == sum(len(r["counts"]) for r in recs)
    for t, order in (("articles", "id"), ("counts", "article_id, idx"), ("places", "article_id, idx"),
                     ("dates", "article_id, idx"), ("measures", "article_id, idx")):
        assert _table_rows(pq_con, t, order) == _table_rows(db_con, t, order) == _table_rows(js_con, t, order)
    # spans still index the text in the tables
    bad = db_con.execute('SELECT count(*) FROM counts c JOIN articles a ON a.id = c.article_id '
                         'WHERE substr(a.text, c.start + 1, c."end" - c.start) <> c.text').fetchone()[0]
    assert bad == 0


def test_duckdb_output_is_opened_read_only_by_query(runs):
    _, outs = runs
    columns, rows = __import__("extractor.query", fromlist=["run_sql"]).run_sql(outs["o.duckdb"][0],
                                                                                "SELECT count(*) AS n FROM articles")
    assert columns == ["n"] and rows[0][0] == outs["o.duckdb"][1].records
    proc = subprocess.run([sys.executable, "-m", "extractor", "query", str(outs["o.duckdb"][0]),
                           "DELETE FROM articles"], capture_output=True, text=True)
    assert proc.returncode == 1 and "read-only" in proc.stderr.lower()


@pytest.mark.parametrize("fmt", ["parquet", "duckdb"])
def test_resume_into_a_dataset_adds_only_the_missing_articles(runs, tmp_path, fmt):
    corpus, outs = runs
    part = tmp_path / "part"
    part.mkdir()
    for p in sorted(corpus.glob("*.txt"))[:3]:
        (part / p.name).write_bytes(p.read_bytes())
    out = tmp_path / f"r.{fmt}"
    s1 = batch.run([part], out, workers=1, quiet=True)
    s2 = batch.run([corpus], out, workers=1, quiet=True, resume=True)
    assert s2.skipped == s1.records and s2.records == s2.articles == len(expected_inputs(corpus))
    con = datasets.open_dataset(out)
    ref = datasets.open_dataset(outs[f"o.{fmt}"][0])
    # the same rows (the first run's articles keep their first source path)
    assert _table_rows(con, "articles", "id", "EXCLUDE (source)") == _table_rows(ref, "articles", "id", "EXCLUDE (source)")
    for t, order in (("counts", "article_id, idx"), ("dates", "article_id, idx")):
        assert _table_rows(con, t, order) == _table_rows(ref, t, order)


def test_killed_dataset_run_leaves_a_journal_that_resume_converts(runs, tmp_path):
    corpus, outs = runs
    out = tmp_path / "k.parquet"
    # what a run killed before its end leaves: the journal with some records and a partial line
    done = read_lines(outs["o.jsonl"][0])[:4]
    journal = datasets.journal_path(out, "parquet")
    journal.parent.mkdir()
    journal.write_bytes(b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in done) + b'{"id":"x')
    s = batch.run([corpus], out, workers=1, quiet=True, resume=True)
    assert s.skipped == 4 and not journal.exists()
    con = datasets.open_dataset(out)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (s.articles, s.articles)


def test_readme_query_finds_a_seed_case_filed_figure(runs):
    """The README's first query: 立案审查 figures with place and year (seed 000: 2017, 福州市, 174人)."""
    need_shared()
    _, outs = runs
    con = datasets.open_dataset(outs["o.duckdb"][0])
    rows = con.execute("SELECT place_name, year, value, unit FROM counts_full "
                       "WHERE indicator = 'case_filed' AND source LIKE '%000_d7acdfdf969eb4d0.txt'").fetchall()
    assert ("福州市", 2017, 174.0, "人") in rows


def test_query_and_stats_through_the_command_line(handmade):
    proc = subprocess.run([sys.executable, "-m", "extractor", "query", str(handmade),
                           "SELECT count(*) AS n FROM counts_full WHERE indicator = 'case_filed'", "--csv"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["n", "2"]
    proc = subprocess.run([sys.executable, "-m", "extractor", "stats", "figures", str(handmade), "--year", "2017",
                           "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(l)["place_name"] for l in proc.stdout.splitlines()] == ["福州市"]
