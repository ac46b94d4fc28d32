"""The HTML report (extractor.report): payload, charts, CLI, and the page in headless Chromium."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extractor import report
from extractor.models import CountMention, DateMention, MeasureMention, Period, PlaceMention, Record

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ARTIFACTS = ROOT / "artifacts"

# a real sentence (seed 000) with hand-checked facts, so the page always has every fact type to show
HAND_TEXT = ("2017年,全市共巡察215个单位,其中市委巡察32个单位,县(市)区委巡察183个单位。"
             "自2017年8月21日起,市纪委制定出台了《关于安排委局机关和派驻纪检组干部到信访室接访的意见》。"
             "连江县纪委立案审查174人。")


def _at(text, sub):
    i = text.index(sub)
    return {"text": sub, "start": i, "end": i + len(sub)}


def hand_record() -> Record:
    t = HAND_TEXT
    y2017 = Period(from_="2017-01-01", to="2017-12-31")
    name = "关于安排委局机关和派驻纪检组干部到信访室接访的意见"
    return Record(
        id="hand", source="hand/000_sentence.txt", title="手工标注：巡察与接访", outlet="福州日报",
        published_at="2018-02-12T11:12:46+08:00", text=t,
        dates=[DateMention(**_at(t, "2017年"), kind="point", from_="2017-01-01", to="2017-12-31", granularity="year"),
               DateMention(**_at(t, "2017年8月21日"), kind="since", from_="2017-08-21", to="2018-02-12",
                           granularity="day")],
        places=[PlaceMention(**_at(t, "全市"), name="福州市", level="city", adcode="350100", path=["福建省", "福州市"]),
                PlaceMention(**_at(t, "连江县"), name="连江县", level="county", adcode="350122",
                             path=["福建省", "福州市", "连江县"])],
        counts=[CountMention(**_at(t, "215个单位"), value=215, unit="个", indicator="units_inspected", object="单位",
                             period=y2017, place="350100"),
                CountMention(**_at(t, "32个单位"), value=32, unit="个", indicator="units_inspected", period=y2017,
                             place="350100"),
                CountMention(**_at(t, "183个单位"), value=183, unit="个", indicator="units_inspected", period=y2017,
                             place="350100"),
                CountMention(**_at(t, "174人"), value=174, unit="人", indicator="case_filed", label="立案审查",
                             place="350122")],
        measures=[MeasureMention(**_at(t, "《" + name + "》"), name=name, kind="意见", form="document")],
    )


@pytest.fixture(scope="module")
def seed_jsonl(tmp_path_factory):
    """`extractor run` on the seed corpus (corpus/*.txt), as JSON Lines."""
    from extractor import batch

    out = tmp_path_factory.mktemp("run") / "seeds.jsonl"
    summary = batch.run([CORPUS], out, quiet=True)
    assert summary.records == len(list(CORPUS.glob("*.txt"))) > 0
    return out


@pytest.fixture(scope="module")
def seed_records(seed_jsonl):
    recs, problems = report.read_records([seed_jsonl])
    assert not problems
    return recs


# --------------------------------------------------------------------------- payload

def test_payload_keeps_every_fact_sorted_and_flags_bad_offsets():
    rec = hand_record().to_dict()
    rec["counts"].append({"text": "999人", "start": 0, "end": 4, "value": 999, "unit": "人"})  # does not index text
    p = report.build_payload([rec])
    (art,) = p["articles"]
    assert len(art["facts"]) == 2 + 2 + 5 + 1
    assert [f["start"] for f in art["facts"]] == sorted(f["start"] for f in art["facts"])
    bad = [f for f in art["facts"] if not f["ok"]]
    assert [f["text"] for f in bad] == ["999人"]
    assert all(HAND_TEXT[f["start"]:f["end"]] == f["text"] for f in art["facts"] if f["ok"])
    assert p["places"] == {"350100": "福建省福州市", "350122": "福州市连江县"}


@pytest.mark.parametrize("junk", [
    {}, {"text": None}, {"text": "abc", "counts": [{"start": "x"}]}, {"text": "abc", "dates": "nope"},
    {"text": "abc", "counts": [{"text": "a", "start": 0, "end": 1, "value": "NaN", "unit": "人",
                                 "period": {"from": "2019-13-40", "to": None}}]},
])
def test_malformed_records_do_not_break_the_report(junk, tmp_path):
    out = report.make_report([junk, hand_record()], tmp_path / "r.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_embedded_json_cannot_close_the_script():
    rec = hand_record().to_dict()
    rec["title"] = "</script><script>alert(1)</script><!--"
    html = report.render_html([rec])
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert m and "</script" not in m.group(1) and "<!--" not in m.group(1)
    assert json.loads(m.group(1))["articles"][0]["title"] == rec["title"]


def test_self_contained_no_external_loads():
    html = report.render_html([hand_record()])
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['\"]?(https?:)?//", html)
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)


# --------------------------------------------------------------------------- charts

def _svg(s):
    from lxml import etree

    return etree.fromstring(s.encode("utf-8"))


def test_indicator_panels_plot_each_dated_figure_and_link_to_it():
    p = report.build_payload([hand_record()])
    groups = report.figure_points(p)
    assert sorted((k, len(v)) for k, v in groups.items()) == [(("case_filed", "人"), 1), (("units_inspected", "个"), 3)]
    ns = {"s": "http://www.w3.org/2000/svg"}
    panel = _svg(report.svg_indicator_panel("units_inspected", "个", groups[("units_inspected", "个")]))
    assert len(panel.findall(".//s:circle", ns)) == 3
    links = sorted(a.get("href") for a in panel.findall(".//s:a", ns) if a.get("href").startswith("#article/"))
    assert [a.get("href") for a in panel.findall(".//s:a", ns)][0] == "#figures/indicator=units_inspected"
    fact_idx = {f["text"]: i for i, f in enumerate(p["articles"][0]["facts"])}
    assert links == sorted(f"#article/0/{fact_idx[t]}" for t in ("215个单位", "32个单位", "183个单位"))
    # a figure with no period sits at the publication date, drawn hollow
    (undated,) = groups[("case_filed", "人")]
    assert not undated["dated"] and undated["to"].isoformat() == "2018-02-12"
    lone = _svg(report.svg_indicator_panel("case_filed", "人", [undated]))
    assert lone.find(".//s:circle", ns).get("fill") == "white"


@pytest.mark.parametrize("values,log", [([1, 5, 9], False), ([3, 40000], True), ([0, 0], False), ([0.5, 40.0], False), ([0.5, 73.6], True)])
def test_value_scale_switches_to_log_for_wide_ranges(values, log):
    y, ticks, is_log = report._value_scale(values, 10, 110)
    assert is_log is log
    assert all(10 - 1e-9 <= y(v) <= 110 + 1e-9 for v in values)
    assert y(max(values)) <= y(min(values))


def test_panel_samples_large_series():
    pts = [{"a": 0, "f": i, "v": float(i + 1), "from": None, "to": __import__("datetime").date(2020, 1, 1 + i % 28),
            "dated": True, "text": "x", "title": "t", "place": None} for i in range(5000)]
    svg = report.svg_indicator_panel("other", "人", pts, limit=300)
    assert svg.count("<circle") == 300 and "(300 shown)" in svg


def test_place_chart_bars_per_place():
    p = report.build_payload([hand_record()])
    rows = dict(report.place_rows(p))
    assert rows == {"350100": {"units_inspected": 3}, "350122": {"case_filed": 1}}
    html = report.chart_places(p)
    assert 'href="#index/place=350100"' in html and "福建省福州市" in html


# --------------------------------------------------------------------------- CLI

def test_main_writes_report(seed_jsonl, tmp_path):
    out = tmp_path / "sub" / "report.html"
    assert report.main([str(seed_jsonl), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    n = len(list(CORPUS.glob("*.txt")))
    assert f"{n} articles" in html


def test_main_tolerates_bad_lines_and_fails_on_nothing(tmp_path, capsys):
    good = tmp_path / "a.jsonl"
    good.write_text(hand_record().to_json() + "\n{broken\n[1]\n", encoding="utf-8")
    assert report.main([str(good), "-o", str(tmp_path / "r.html")]) == 0
    assert "not JSON" in capsys.readouterr().err
    bad = tmp_path / "b.jsonl"
    bad.write_text("{broken\n", encoding="utf-8")
    assert report.main([str(bad), "-o", str(tmp_path / "r2.html")]) == 2
    assert report.main([str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "r3.html")]) == 2


def test_cli_subcommand(seed_jsonl, tmp_path):
    from extractor.cli import main

    out = tmp_path / "r.html"
    assert main(["report", str(seed_jsonl), "-o", str(out)]) == 0 and out.exists()


# --------------------------------------------------------------------------- the page in Chromium

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"]


def _install_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}

    def install(pkg: str) -> bool:
        cmd = ["apt-get", "install", "-y", "-qq", pkg]
        return subprocess.run(cmd, env=env, capture_output=True, timeout=900).returncode == 0

    try:
        if not install("chromium"):
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
            install("chromium")
        if shutil.which("chromium"):
            install("fonts-noto-cjk")   # CJK glyphs for the screenshot; the checks do not need them
    except (OSError, subprocess.SubprocessError):
        return None
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def chromium():
    path = _install_chromium()
    if not path:
        pytest.skip("headless Chromium is missing and `apt-get install chromium` is impossible here "
                    "(not root, no apt-get, or no package source)")
    return path


def run_chromium(chromium, tmp_path, url, *extra):
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    proc = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url],
                          capture_output=True, text=True, timeout=180)
    return proc


def root_tag(dom: str) -> str:
    """The <html …> start tag: the page's JS marks it data-report-ready / data-report-error."""
    return re.search(r"<html[^>]*>", dom).group(0)


def section(dom: str, view: str) -> str:
    return re.search(rf'<section id="v-{view}"[^>]*>(.*?)</section>', dom, re.S).group(1)


def js_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if ":CONSOLE" in line and re.search(r"Uncaught|Error|error", line.split("CONSOLE", 1)[1])]


@pytest.fixture(scope="module")
def seed_report(seed_records, tmp_path_factory):
    recs = list(seed_records) + [hand_record().to_dict()]
    out = tmp_path_factory.mktemp("report") / "report.html"
    report.make_report(recs, out, title="Seed corpus")
    return out, recs


def _article_with_most_facts(recs):
    return max(range(len(recs)), key=lambda i: sum(len(recs[i].get(g) or []) for g in report.GROUPS))


def test_report_loads_in_chromium_with_highlights(chromium, seed_report, tmp_path):
    out, recs = seed_report
    n = _article_with_most_facts(recs)
    rec = recs[n]
    proc = run_chromium(chromium, tmp_path, out.resolve().as_uri() + f"#article/{n}", "--dump-dom")
    dom = proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not js_errors(proc.stderr), js_errors(proc.stderr)
    assert 'data-report-ready="1"' in root_tag(dom)
    assert "data-report-error" not in root_tag(dom)
    dom = section(dom, "article")
    # every fact of the article is highlighted: the ids on the marks cover every fact index
    marks = re.findall(r'<mark class="f t-(\w+)[^"]*" data-type="\w+" data-f="([\d,]+)">', dom)
    covered = {int(i) for _, ids in marks for i in ids.split(",")}
    n_facts = sum(len(rec.get(g) or []) for g in report.GROUPS)
    assert n_facts > 0 and covered == set(range(n_facts))
    assert {t for t, _ in marks} >= {g for g in report.GROUPS if rec.get(g)}
    # the side table has one row per fact
    assert len(re.findall(r'<tr data-f="\d+"', dom)) == n_facts


def test_report_index_and_charts_render(chromium, seed_report, tmp_path):
    out, recs = seed_report
    proc = run_chromium(chromium, tmp_path, out.resolve().as_uri() + "#index", "--dump-dom")
    assert not js_errors(proc.stderr), js_errors(proc.stderr)
    dom = proc.stdout
    assert 'data-report-ready="1"' in root_tag(dom) and "data-report-error" not in root_tag(dom)
    body = re.search(r'<table id="index-table">.*?<tbody>(.*?)</tbody>', dom, re.S).group(1)
    assert body.count("<tr>") == len(recs)
    for rec in recs:
        if rec.get("title"):
            assert report._esc(rec["title"]).replace("&#x27;", "'") in dom or rec["title"] in dom
    assert '<svg class="chart panel"' in dom


def test_report_screenshot(chromium, seed_report, tmp_path):
    out, recs = seed_report
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    if shot.exists():
        shot.unlink()
    n = _article_with_most_facts(recs)
    proc = run_chromium(chromium, tmp_path, out.resolve().as_uri() + f"#article/{n}",
                        f"--screenshot={shot}", "--window-size=1400,900", "--hide-scrollbars")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_large_report_renders_one_page_of_rows(chromium, tmp_path):
    base = hand_record().to_dict()
    recs = [{**base, "id": f"a{i}", "title": f"文章 {i}", "source": f"bulk/{i}.txt",
             "published_at": f"20{10 + i % 12:02d}-{1 + i % 12:02d}-01T08:00:00+08:00"} for i in range(3000)]
    out = report.make_report(recs, tmp_path / "big.html")
    proc = run_chromium(chromium, tmp_path, out.resolve().as_uri() + "#index", "--dump-dom")
    assert not js_errors(proc.stderr), js_errors(proc.stderr)
    dom = proc.stdout
    assert 'data-report-ready="1"' in root_tag(dom) and "data-report-error" not in root_tag(dom)
    body = re.search(r'<table id="index-table">.*?<tbody>(.*?)</tbody>', dom, re.S).group(1)
    assert body.count("<tr>") == report.labels()["charts"]["page_size"]
    # articles are rendered lazily: no article text is in the DOM until one is opened
    assert section(dom, "article").strip() == ""
    assert "page 1 / 60" in dom


def test_figures_view_filters_by_indicator(chromium, tmp_path):
    out = report.make_report([hand_record()], tmp_path / "r.html")
    proc = run_chromium(chromium, tmp_path, out.resolve().as_uri() + "#figures/indicator=units_inspected",
                        "--dump-dom")
    assert not js_errors(proc.stderr), js_errors(proc.stderr)
    dom = proc.stdout
    assert 'data-report-ready="1"' in root_tag(dom)
    body = re.search(r'<table id="figures-table">.*?<tbody>(.*?)</tbody>', section(dom, "figures"), re.S).group(1)
    texts = re.findall(r'<td><a href="#article/0/\d+">([^<]*)</a></td><td class="num">', body)
    assert texts == ["215个单位", "32个单位", "183个单位"]


def test_hovering_a_fact_shows_value_unit_indicator_period_place(chromium, tmp_path):
    import html as _html

    out = report.make_report([hand_record()], tmp_path / "r.html")
    proc = run_chromium(chromium, tmp_path, out.resolve().as_uri() + "?selftest#article/0", "--dump-dom")
    assert not js_errors(proc.stderr), js_errors(proc.stderr)
    tips = json.loads(_html.unescape(re.search(r'<pre id="selftest"[^>]*>(.*?)</pre>', proc.stdout, re.S).group(1)))
    assert len(tips) == 2 + 2 + 4 + 1   # one highlighted segment per fact here: none overlap
    (t215,) = [t for t in tips if "215个单位" in t]
    assert "value: 215 个" in t215
    assert "indicator: 巡察/巡视单位 · units_inspected" in t215
    assert "period: 2017-01-01 – 2017-12-31" in t215
    assert "place: 福建省福州市 (350100)" in t215
    (t174,) = [t for t in tips if "174人" in t]
    assert "period: —" in t174 and "place: 福州市连江县 (350122)" in t174
    (tdate,) = [t for t in tips if "2017年8月21日" in t]
    assert "since: 2017-08-21 – 2018-02-12 (day)" in tdate


def test_main_limit_keeps_the_first_records(tmp_path):
    src = tmp_path / "many.jsonl"
    base = hand_record().to_dict()
    src.write_text("".join(json.dumps({**base, "id": str(i), "title": f"T{i}"}, ensure_ascii=False) + "\n"
                           for i in range(7)), encoding="utf-8")
    out = tmp_path / "r.html"
    assert report.main([str(src), "-o", str(out), "--limit", "3"]) == 0
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.S).group(1))
    assert [a["title"] for a in data["articles"]] == ["T0", "T1", "T2"]
