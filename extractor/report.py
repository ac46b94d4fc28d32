"""One self-contained HTML file a researcher checks the extracted facts in.

    extractor report OUT.jsonl -o report.html          # (extractor.report.main)
    extractor.report.make_report(records, "report.html")

The page needs no network: CSS, JS and the charts (SVG drawn here, in Python)
are inline; the records travel as one embedded JSON block that the page's JS
renders lazily — the article index a page of rows at a time, an article's
highlighted text only when it is opened — so a report of thousands of articles
stays usable.

- **Index**: title, date, outlet, facts by type, issues; filter, sort, pages.
- **Article** (``#article/N``): the text with every fact highlighted by type;
  hovering a fact shows its value, unit, indicator, period and place; a side
  table lists the facts, and clicking a row jumps to the sentence.
- **Charts** (``#charts``): figures per indicator over time (one panel per
  indicator and unit, each figure a dot at the end of its period and a line
  over it), figures per place, articles per month. Every dot and bar links
  to its article or to the index filtered to its place.

Display names and colours come from ``patterns/report/labels.yaml``.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import html
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Optional, Union

GROUPS = ("dates", "places", "counts", "measures")
_DEFAULT_TYPES = {"dates": ["date", "#cfe2ff"], "places": ["place", "#d1f2d9"],
                  "counts": ["count", "#ffe1a8"], "measures": ["measure", "#f3d1f4"]}
_DEFAULT_CHARTS = {"indicator_panels": 12, "points_per_panel": 1500, "places": 25, "place_indicators": 8,
                   "page_size": 50}
# fields of a fact the page does not need (evidence it can show from the text itself)
_DROP_FIELDS = {"sentence"}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f"]


# --------------------------------------------------------------------------- settings

def labels() -> dict:
    """The display settings of ``patterns/report/labels.yaml`` (defaults when it is missing)."""
    try:
        from .resources import load_yaml

        cfg = load_yaml("report/labels.yaml") or {}
    except Exception:
        cfg = {}
    return {
        "types": {**_DEFAULT_TYPES, **(cfg.get("types") or {})},
        "indicators": dict(cfg.get("indicators") or {}),
        "charts": {**_DEFAULT_CHARTS, **(cfg.get("charts") or {})},
    }


# --------------------------------------------------------------------------- records

def as_dict(record: Any) -> dict:
    """A record as its JSON dict (a ``Record``, a dict, or anything with ``to_dict``)."""
    if isinstance(record, dict):
        return record
    if hasattr(record, "to_dict"):
        return record.to_dict()
    if hasattr(record, "model_dump"):
        return record.model_dump(mode="json", by_alias=True)
    raise TypeError(f"not a record: {type(record).__name__}")


def read_records(paths: Iterable[Union[str, Path]]) -> tuple[list[dict], list[str]]:
    """Records from JSON Lines files (``-`` is stdin); unreadable lines become messages, not errors."""
    records: list[dict] = []
    problems: list[str] = []
    for path in paths:
        try:
            if str(path) == "-":
                lines = sys.stdin.read().splitlines()
            else:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    lines = fh.read().splitlines()
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
            continue
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                problems.append(f"{path}:{n}: not JSON ({exc})")
                continue
            if not isinstance(obj, dict):
                problems.append(f"{path}:{n}: not a JSON object")
                continue
            records.append(obj)
    return records, problems


def _date(value: Any) -> Optional[_dt.date]:
    if not value or not isinstance(value, str):
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _num(value: Any) -> Optional[float]:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def place_names(records: list[dict]) -> dict[str, str]:
    """adcode → a display name, from the place mentions of the records (county level and above)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for rec in records:
        for p in rec.get("places") or []:
            if not isinstance(p, dict):
                continue
            code = p.get("adcode")
            if not code or p.get("level") not in ("province", "city", "county"):
                continue
            path = [x for x in (p.get("path") or []) if isinstance(x, str)]
            name = "".join(path[-2:]) if len(path) >= 2 else (p.get("name") or code)
            seen[str(code)][name] += 1
    return {code: names.most_common(1)[0][0] for code, names in seen.items()}


def _fact(group: str, fact: dict, text: str) -> Optional[dict]:
    try:
        start, end = int(fact.get("start")), int(fact.get("end"))
    except (TypeError, ValueError):
        return None
    # nulls and empty lists stay out of the page (the JS reads a missing field as empty)
    out = {k: v for k, v in fact.items() if v is not None and v != [] and k not in _DROP_FIELDS}
    out["t"] = group
    out["start"], out["end"] = start, end
    out["ok"] = 0 <= start <= end <= len(text) and text[start:end] == fact.get("text")
    return out


def build_payload(records: Iterable[Any]) -> dict:
    """The JSON the page renders: the articles with their facts, and the display settings."""
    recs = [as_dict(r) for r in records]
    articles = []
    for i, rec in enumerate(recs):
        text = rec.get("text") or ""
        if not isinstance(text, str):
            text = str(text)
        facts = []
        for group in GROUPS:
            for f in rec.get(group) or []:
                if isinstance(f, dict):
                    g = _fact(group, f, text)
                    if g is not None:
                        facts.append(g)
        facts.sort(key=lambda f: (f["start"], -f["end"]))
        issues = [f"{x.get('stage', '')}: {x.get('message', '')}" if isinstance(x, dict) else str(x)
                  for x in rec.get("issues") or []]
        articles.append({
            "n": i, "id": rec.get("id"), "title": rec.get("title"), "date": rec.get("published_at"),
            "outlet": rec.get("outlet"), "source": rec.get("source"), "url": rec.get("url"),
            "authors": rec.get("authors") or [], "editors": rec.get("editors") or [],
            "text": text, "facts": facts, "issues": issues,
        })
    cfg = labels()
    return {"articles": articles, "places": place_names(recs), "types": cfg["types"],
            "indicators": cfg["indicators"], "page_size": int(cfg["charts"]["page_size"])}


# --------------------------------------------------------------------------- charts (SVG)

def _esc(s: Any) -> str:
    return html.escape(str(s), quote=True)


def _fmt(v: float) -> str:
    if v is None:
        return ""
    if abs(v) >= 1e8:
        return f"{v / 1e8:.3g}亿"
    if abs(v) >= 1e4:
        return f"{v / 1e4:.3g}万"
    return f"{v:g}"


def figure_points(payload: dict) -> dict[tuple[str, str], list[dict]]:
    """Counts with a value and a time, grouped by (indicator, unit).

    A figure's time is its period (``from``..``to``); one without a period is
    placed at its article's publication date and drawn hollow.
    """
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for art in payload["articles"]:
        pub = _date(art.get("date"))
        for k, f in enumerate(art["facts"]):
            if f["t"] != "counts":
                continue
            value = _num(f.get("value"))
            if value is None:
                continue
            period = f.get("period") if isinstance(f.get("period"), dict) else {}
            lo, hi = _date(period.get("from")), _date(period.get("to"))
            if lo and hi and lo > hi:
                lo, hi = hi, lo
            dated = bool(lo or hi)
            at = hi or lo or pub
            if at is None:
                continue
            out[(str(f.get("indicator") or "other"), str(f.get("unit") or ""))].append({
                "a": art["n"], "f": k, "v": value, "from": lo if dated else None, "to": at, "dated": dated,
                "text": f.get("text", ""), "title": art.get("title") or art.get("source") or "",
                "place": f.get("place")})
    return out


def _sample(points: list, limit: int) -> list:
    if limit <= 0 or len(points) <= limit:
        return points
    step = len(points) / limit
    return [points[int(i * step)] for i in range(limit)]


def _time_ticks(d0: _dt.date, d1: _dt.date) -> list[tuple[_dt.date, str]]:
    years = d1.year - d0.year
    if years >= 2:
        step = max(1, math.ceil(years / 6))
        return [(_dt.date(y, 1, 1), str(y)) for y in range(d0.year + (d0 > _dt.date(d0.year, 1, 1)), d1.year + 1, step)]
    ticks, y, m = [], d0.year, d0.month
    months = (d1.year - d0.year) * 12 + d1.month - d0.month
    step = max(1, math.ceil(months / 6))
    while (y, m) <= (d1.year, d1.month):
        d = _dt.date(y, m, 1)
        if d0 <= d <= d1:
            ticks.append((d, f"{y}-{m:02d}"))
        m += step
        while m > 12:
            y, m = y + 1, m - 12
    return ticks


def _value_scale(values: list[float], top: float, bottom: float):
    """(y(v), ticks, log?) — log10 when the positive values span two orders of magnitude."""
    pos = [v for v in values if v > 0]
    vmax = max(values) if values else 1.0
    if pos and vmax / min(pos) >= 100:
        lo, hi = math.floor(math.log10(min(pos))), math.ceil(math.log10(max(pos)))
        hi = max(hi, lo + 1)

        def y(v: float) -> float:
            lv = math.log10(v) if v > 0 else lo
            return bottom - (lv - lo) / (hi - lo) * (bottom - top)

        return y, [10.0 ** e for e in range(lo, hi + 1)], True
    vmax = vmax if vmax > 0 else 1.0
    mag = 10 ** math.floor(math.log10(vmax))
    step = next(s * mag for s in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10) if vmax / (s * mag) <= 5)
    hi = math.ceil(vmax / step) * step

    def y(v: float) -> float:
        return bottom - max(0.0, v) / hi * (bottom - top)

    return y, [i * step for i in range(int(round(hi / step)) + 1)], False


def svg_indicator_panel(indicator: str, unit: str, points: list[dict], *, name: str = "", color: str = PALETTE[0],
                        limit: int = 1500, width: int = 440, height: int = 230) -> str:
    """One small chart: the figures of one indicator in one unit over time."""
    shown = _sample(sorted(points, key=lambda p: (p["to"], p["v"])), limit)
    left, right, top, bottom = 52, width - 12, 30, height - 28
    dates = [p["to"] for p in shown] + [p["from"] for p in shown if p["from"]]
    d0, d1 = min(dates), max(dates)
    if d1 <= d0:
        d0, d1 = d0 - _dt.timedelta(days=200), d1 + _dt.timedelta(days=200)
    span = (d1 - d0).days or 1

    def x(d: _dt.date) -> float:
        return left + (d - d0).days / span * (right - left)

    y, vticks, log = _value_scale([p["v"] for p in shown], top + 4, bottom)
    head = f"{name or indicator} ({indicator}) · {unit or '—'} · {len(points)} figure{'s' * (len(points) != 1)}"
    if len(shown) < len(points):
        head += f" ({len(shown)} shown)"
    parts = [f'<svg class="chart panel" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" data-indicator="{_esc(indicator)}" data-unit="{_esc(unit)}">',
             f'<title>{_esc(head)}</title>',
             f'<a href="#figures/indicator={_esc(indicator)}"><text x="{left}" y="16" class="ct">{_esc(head)}</text></a>',
             f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="ax"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" class="ax"/>']
    for v in vticks:
        yy = y(v)
        parts.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{right}" y2="{yy:.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{yy + 4:.1f}" class="tk" text-anchor="end">{_esc(_fmt(v))}</text>')
    for d, lab in _time_ticks(d0, d1):
        xx = x(d)
        parts.append(f'<line x1="{xx:.1f}" y1="{bottom}" x2="{xx:.1f}" y2="{bottom + 4}" class="ax"/>'
                     f'<text x="{xx:.1f}" y="{bottom + 16}" class="tk" text-anchor="middle">{_esc(lab)}</text>')
    if log:
        parts.append(f'<text x="{right}" y="{top - 4}" class="tk" text-anchor="end">log scale</text>')
    for p in shown:
        xx, yy = x(p["to"]), y(p["v"])
        when = (f"{p['from'] or '…'} – {p['to']}" if p["dated"] else f"{p['to']} (published; no period)")
        tip = f"{_fmt(p['v'])} {unit} · {when}\n{p['text']}\n{p['title']}"
        link = f'#article/{p["a"]}/{p["f"]}'
        seg = (f'<line x1="{x(p["from"]):.1f}" y1="{yy:.1f}" x2="{xx:.1f}" y2="{yy:.1f}" class="per" '
               f'stroke="{color}"/>' if p["from"] and p["from"] < p["to"] else "")
        fill = color if p["dated"] else "white"
        parts.append(f'<a href="{link}" class="pt">{seg}<circle cx="{xx:.1f}" cy="{yy:.1f}" r="3.5" '
                     f'fill="{fill}" stroke="{color}"><title>{_esc(tip)}</title></circle></a>')
    parts.append("</svg>")
    return "".join(parts)


def chart_indicators(payload: dict, *, panels: int = 12, limit: int = 1500) -> str:
    groups = figure_points(payload)
    if not groups:
        return '<p class="empty">No counts with a period or a publication date yet.</p>'
    order = sorted(groups, key=lambda k: (k[0] == "other", -len(groups[k]), k))[:panels]
    names = payload.get("indicators") or {}
    out = []
    for i, (ind, unit) in enumerate(order):
        out.append(svg_indicator_panel(ind, unit, groups[(ind, unit)], name=names.get(ind, ""),
                                       color=PALETTE[i % len(PALETTE)], limit=limit))
    if len(groups) > panels:
        rest = sorted(groups, key=lambda k: -len(groups[k]))
        rest = [k for k in rest if k not in order]
        out.append('<p class="note">Not drawn: ' + ", ".join(
            f"{_esc(k[0])} · {_esc(k[1])} ({len(groups[k])})" for k in rest[:30]) + ("…" if len(rest) > 30 else "")
            + "</p>")
    return "".join(out)


def place_rows(payload: dict) -> list[tuple[str, Counter]]:
    """(adcode, counts per indicator) for every place that counts are about, most figures first."""
    per: dict[str, Counter] = defaultdict(Counter)
    for art in payload["articles"]:
        for f in art["facts"]:
            if f["t"] == "counts" and f.get("place"):
                per[str(f["place"])][str(f.get("indicator") or "other")] += 1
    return sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))


def chart_places(payload: dict, *, limit: int = 25, colored: int = 8) -> str:
    rows = place_rows(payload)
    if not rows:
        return '<p class="empty">No counts with a place yet.</p>'
    shown = rows[:limit]
    totals = Counter()
    for _, c in rows:
        totals.update(c)
    keys = [k for k, _ in totals.most_common() if k != "other"][:colored]
    color = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    names = payload.get("places") or {}
    ind_names = payload.get("indicators") or {}
    bar_h, left, right = 20, 170, 700
    top = 10
    height = top + bar_h * len(shown) + 30
    vmax = max(sum(c.values()) for _, c in shown)
    parts = [f'<svg class="chart places" xmlns="http://www.w3.org/2000/svg" width="{right + 60}" height="{height}" '
             f'viewBox="0 0 {right + 60} {height}" role="img"><title>Figures per place</title>']
    for i, (code, c) in enumerate(shown):
        yy = top + i * bar_h
        label = names.get(code, code)
        parts.append(f'<a href="#index/place={_esc(code)}"><text x="{left - 6}" y="{yy + 14}" class="tk" '
                     f'text-anchor="end">{_esc(label)} {_esc(code) if label != code else ""}</text></a>')
        xx = float(left)
        for k in keys + ["other"]:
            n = c.get(k, 0) if k != "other" else sum(v for kk, v in c.items() if kk not in color)
            if not n:
                continue
            w = n / vmax * (right - left)
            fill = color.get(k, "#bbbbbb")
            parts.append(f'<a href="#index/place={_esc(code)}"><rect x="{xx:.1f}" y="{yy + 3}" width="{w:.1f}" '
                         f'height="{bar_h - 6}" fill="{fill}"><title>{_esc(label)} · '
                         f'{_esc(ind_names.get(k, k))}: {n}</title></rect></a>')
            xx += w
        parts.append(f'<text x="{xx + 4:.1f}" y="{yy + 14}" class="tk">{sum(c.values())}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span class="lg"><i style="background:{color[k]}"></i>{_esc(ind_names.get(k, k))}</span>'
                     for k in keys) + '<span class="lg"><i style="background:#bbbbbb"></i>other</span>'
    note = (f'<p class="note">{len(rows) - len(shown)} more places not drawn.</p>' if len(rows) > len(shown) else "")
    return f'<div class="legend">{legend}</div>' + "".join(parts) + note


def chart_months(payload: dict) -> str:
    per = Counter()
    for art in payload["articles"]:
        d = _date(art.get("date"))
        if d:
            per[(d.year, d.month)] += 1
    if not per:
        return '<p class="empty">No publication dates.</p>'
    (y0, m0), (y1, m1) = min(per), max(per)
    months = []
    y, m = y0, m0
    while (y, m) <= (y1, m1) and len(months) < 1200:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    width = max(300, min(1100, 8 * len(months) + 60))
    left, bottom, top = 40, 130, 10
    bw = (width - left - 10) / len(months)
    vmax = max(per.values())
    parts = [f'<svg class="chart months" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{bottom + 24}" '
             f'viewBox="0 0 {width} {bottom + 24}" role="img"><title>Articles per month</title>',
             f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" class="ax"/>',
             f'<text x="{left - 4}" y="{top + 8}" class="tk" text-anchor="end">{vmax}</text>']
    for i, ym in enumerate(months):
        n = per.get(ym, 0)
        x = left + i * bw
        if n:
            h = n / vmax * (bottom - top)
            parts.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{max(1.0, bw - 1):.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[0]}"><title>{ym[0]}-{ym[1]:02d}: {n}</title></rect>')
        if ym[1] == 1 or i == 0:
            parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" class="tk">{ym[0]}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- page

def _json_for_script(obj: Any) -> str:
    """JSON safe inside a <script> element (no ``</script>``, no ``<!--``)."""
    try:
        import orjson

        s = orjson.dumps(obj, default=str).decode("utf-8")
    except (ImportError, TypeError):   # orjson refuses e.g. integers over 64 bits
        s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_html(records: Iterable[Any], *, title: str = "Extraction report") -> str:
    payload = build_payload(records)
    charts = labels()["charts"]
    n_facts = Counter(f["t"] for a in payload["articles"] for f in a["facts"])
    summary = (f'{len(payload["articles"])} articles · ' +
               " · ".join(f"{n_facts.get(g, 0)} {payload['types'][g][0]}" for g in GROUPS) +
               f' · generated {_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}')
    type_css = "".join(
        f".t-{g}{{background:{payload['types'][g][1]}}} .sw-{g}{{background:{payload['types'][g][1]}}}"
        f".o-{g}{{box-shadow:inset 0 -3px 0 {payload['types'][g][1]}}}"
        for g in GROUPS)
    body_charts = (
        '<h2>Figures per indicator over time</h2><p class="note">One panel per indicator and unit. A dot marks '
        'the end of the period a figure covers, a line its span; hollow dots have no period and sit at the '
        'publication date. Click a dot to see the sentence.</p><div class="panels">'
        + chart_indicators(payload, panels=int(charts["indicator_panels"]), limit=int(charts["points_per_panel"]))
        + '</div><h2>Figures per place</h2><p class="note">Counts by the place they are about, coloured by '
          'indicator. Click a bar to list the articles.</p>'
        + chart_places(payload, limit=int(charts["places"]), colored=int(charts["place_indicators"]))
        + '<h2>Articles per month</h2>' + chart_months(payload))
    return (_TEMPLATE
            .replace("%%TITLE%%", _esc(title))
            .replace("%%SUMMARY%%", _esc(summary))
            .replace("%%TYPECSS%%", type_css)
            .replace("%%CHARTS%%", body_charts)
            .replace("%%DATA%%", _json_for_script(payload)))


def make_report(records: Iterable[Any], out_path: Union[str, Path], *, title: str = "Extraction report") -> Path:
    """Write the report of ``records`` (``Record`` objects or their JSON dicts) to ``out_path``."""
    out = Path(out_path)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(records, title=title), encoding="utf-8")
    return out


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="extractor report",
                                 description="Render JSON Lines records as one self-contained HTML report.")
    ap.add_argument("records", nargs="+", help="JSON Lines file(s) written by `extractor run` (- for stdin)")
    ap.add_argument("-o", "--output", default="report.html", help="the HTML file to write (default report.html)")
    ap.add_argument("--title", default=None, help="the page title")
    ap.add_argument("--limit", type=int, default=0,
                    help="keep the first N records only (the page embeds every text: ~12 MB per 1000 articles)")
    args = ap.parse_args(argv)
    records, problems = read_records(args.records)
    if args.limit > 0 and len(records) > args.limit:
        print(f"note: {len(records)} records; the report shows the first {args.limit} (--limit)", file=sys.stderr)
        records = records[: args.limit]
    for p in problems[:20]:
        print(f"warning: {p}", file=sys.stderr)
    if len(problems) > 20:
        print(f"warning: … {len(problems) - 20} more unreadable lines", file=sys.stderr)
    if not records and problems:
        print("error: no record could be read", file=sys.stderr)
        return 2
    title = args.title or "Extraction report: " + ", ".join(Path(p).name for p in args.records[:3])
    out = make_report(records, args.output, title=title)
    print(f"wrote {out} ({len(records)} articles)", file=sys.stderr)
    return 0


_TEMPLATE = r"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%%TITLE%%</title>
<style>
:root{--fg:#1d2330;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--hi:#fffbe6}
*{box-sizing:border-box}
body{margin:0;font:14px/1.55 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
header{position:sticky;top:0;z-index:5;background:#243b55;color:#fff;padding:8px 16px;display:flex;gap:18px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:16px;margin:0}
header nav a{color:#fff;margin-right:12px;text-decoration:none;border-bottom:2px solid transparent}
header nav a.on{border-bottom-color:#ffd166}
header .sum{font-size:12px;opacity:.8}
main{padding:12px 16px}
section.view{display:none}
section.view.on{display:block}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f5f7fa;cursor:pointer;user-select:none;white-space:nowrap}
td.num,th.num{text-align:right}
td.nw{white-space:nowrap}
tr:hover td{background:#fafbfc}
.tools{display:flex;gap:10px;align-items:center;margin:6px 0 10px;flex-wrap:wrap}
.tools input[type=search]{width:320px;padding:4px 8px}
.pager button{margin:0 2px}
.muted,.note{color:var(--muted);font-size:12px}
.art{display:grid;grid-template-columns:minmax(0,1.2fr) minmax(0,1fr);gap:18px}
@media (max-width:1000px){.art{grid-template-columns:1fr}}
.text{white-space:pre-wrap;word-break:break-all;font-size:15px;line-height:1.9;border:1px solid var(--line);padding:10px 14px;border-radius:6px;max-height:80vh;overflow:auto}
.side{max-height:80vh;overflow:auto}
.side h3{margin:10px 0 4px;font-size:14px}
.side table{font-size:12px}
.side tr{cursor:pointer}
.side tr.sel td{background:var(--hi)}
.side tr.bad td{color:#b91c1c}
mark.f{color:inherit;border-radius:2px;padding:0 1px;cursor:pointer}
mark.f.sel{outline:2px solid #d97706}
mark.f.off{background:none!important;box-shadow:none!important}
%%TYPECSS%%
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.legend label,.legend .lg{margin-right:12px;font-size:12px}
.legend .lg i{display:inline-block;width:10px;height:10px;margin-right:4px}
#tip{position:fixed;z-index:10;display:none;max-width:420px;background:#111827;color:#f9fafb;font-size:12px;padding:6px 8px;border-radius:6px;pointer-events:none;white-space:pre-wrap}
.panels{display:flex;flex-wrap:wrap;gap:10px}
svg.chart{background:#fff;border:1px solid var(--line);border-radius:6px}
svg .ct{font-size:12px;font-weight:600;fill:#1d2330}
svg .tk{font-size:10px;fill:#4b5563}
svg .ax{stroke:#9ca3af;stroke-width:1}
svg .grid{stroke:#f0f1f3;stroke-width:1}
svg .per{stroke-width:2;opacity:.45}
svg a.pt:hover circle{r:5}
.issues{color:#b45309;font-size:12px}
#err{display:none;background:#fee2e2;color:#991b1b;padding:6px 16px}
.meta{color:var(--muted);margin:2px 0 8px}
.empty{color:var(--muted)}
</style>
</head>
<body>
<header><h1>%%TITLE%%</h1><nav><a href="#index" data-view="index">Articles</a><a href="#figures" data-view="figures">Figures</a><a href="#charts" data-view="charts">Charts</a><a href="#article/0" data-view="article">Article</a></nav><span class="sum">%%SUMMARY%%</span></header>
<div id="err"></div>
<main>
<section id="v-index" class="view"></section>
<section id="v-article" class="view"></section>
<section id="v-figures" class="view"></section>
<section id="v-charts" class="view">%%CHARTS%%</section>
</main>
<div id="tip"></div>
<script type="application/json" id="report-data">%%DATA%%</script>
<script>
(function(){
"use strict";
var ROOT=document.documentElement;
function fail(msg){ROOT.setAttribute("data-report-error",String(msg));var e=document.getElementById("err");e.style.display="block";e.textContent="Report script error: "+msg;}
window.addEventListener("error",function(ev){fail(ev.message||"error");});
var D=JSON.parse(document.getElementById("report-data").textContent);
var A=D.articles, T=D.types, IND=D.indicators||{}, PL=D.places||{}, GROUPS=["dates","places","counts","measures"];
var state={q:"",place:"",sort:"n",dir:1,page:0,hidden:{}};
function esc(s){return String(s==null?"":s).replace(/[&<>"']/g,function(c){return {"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c];});}
function byType(a){var c={dates:0,places:0,counts:0,measures:0};a.facts.forEach(function(f){c[f.t]++;});return c;}
A.forEach(function(a){a.c=byType(a);a.nf=a.facts.length;a.pl={};a.facts.forEach(function(f){if(f.t==="counts"&&f.place)a.pl[f.place]=1;if(f.t==="places"&&f.adcode)a.pl[f.adcode]=1;});});
function fmtNum(v){if(v==null)return "";var n=Number(v);if(!isFinite(n))return esc(v);return n%1===0?n.toLocaleString("en-US"):String(n);}
function per(p){if(!p)return "";return (p.from||"…")+" – "+(p.to||"…");}
function placeName(c){return c?(PL[c]?PL[c]+" ("+c+")":c):"";}
function labelOf(f){return f.label&&f.label!==IND[f.indicator]?" · "+f.label:"";}
function indName(k){return k?(IND[k]?IND[k]+" · "+k:k):"";}
function describe(f){
  var L=[T[f.t][0]+": "+f.text];
  if(f.t==="counts"){L.push("value: "+fmtNum(f.value)+" "+(f.unit||"")+(f.approx&&f.approx!=="exact"?" ("+f.approx+(f.low!=null?" "+f.low+"–"+f.high:"")+")":""));
    L.push("indicator: "+indName(f.indicator)+labelOf(f));if(f.object)L.push("object: "+f.object);
    L.push("period: "+(per(f.period)||"—")+(f.period_source?" ← "+f.period_source:""));L.push("place: "+(placeName(f.place)||"—")+(f.place_source?" ← "+f.place_source:""));}
  else if(f.t==="dates"){L.push(f.kind+": "+(f.from||"…")+" – "+(f.to||"…")+(f.granularity?" ("+f.granularity+")":""));}
  else if(f.t==="places"){L.push(f.name+" · "+f.level+(f.adcode?" · "+f.adcode:""));if(f.path&&f.path.length)L.push(f.path.join(" › "));}
  else if(f.t==="measures"){L.push(f.name+(f.kind?" · "+f.kind:"")+" · "+f.form);}
  if(!f.ok)L.push("(offsets do not index the text)");
  return L.join("\n");
}
/* ---------------- index */
function rows(){
  var q=state.q.toLowerCase(), r=A.filter(function(a){
    if(state.place&&!a.pl[state.place])return false;
    if(!q)return true;
    return ((a.title||"")+" "+(a.outlet||"")+" "+(a.source||"")+" "+(a.date||"")).toLowerCase().indexOf(q)>=0;});
  var k=state.sort,d=state.dir;
  r.sort(function(x,y){var a=key(x,k),b=key(y,k);return a<b?-d:a>b?d:x.n-y.n;});
  return r;
}
function key(a,k){if(k==="n"||k==="nf"||k==="ni")return k==="ni"?a.issues.length:a[k];if(GROUPS.indexOf(k)>=0)return a.c[k];return String(a[k]||"");}
function renderIndex(){
  var r=rows(),ps=D.page_size||50,pages=Math.max(1,Math.ceil(r.length/ps));
  if(state.page>=pages)state.page=pages-1;
  var cols=[["n","#","num"],["title","Title",""],["date","Date",""],["outlet","Outlet",""],["nf","Facts","num"]].concat(GROUPS.map(function(g){return [g,'<span class="sw sw-'+g+'"></span>'+esc(T[g][0]),"num"];})).concat([["ni","Issues","num"]]);
  var h='<div class="tools"><input type="search" id="q" placeholder="filter by title, outlet, source, date" value="'+esc(state.q)+'">';
  if(state.place)h+='<span>place: <b>'+esc(placeName(state.place))+'</b> <a href="#index">clear</a></span>';
  h+='<span class="muted">'+r.length+' of '+A.length+' articles</span><span class="pager">';
  h+='<button data-p="-1"'+(state.page<=0?" disabled":"")+'>‹ prev</button> page '+(state.page+1)+' / '+pages+' <button data-p="1"'+(state.page>=pages-1?" disabled":"")+'>next ›</button></span></div>';
  h+='<table id="index-table"><thead><tr>'+cols.map(function(c){return '<th data-k="'+c[0]+'" class="'+c[2]+'">'+c[1]+(state.sort===c[0]?(state.dir>0?" ▲":" ▼"):"")+'</th>';}).join("")+'</tr></thead><tbody>';
  r.slice(state.page*ps,(state.page+1)*ps).forEach(function(a){
    h+='<tr><td class="num">'+(a.n+1)+'</td><td><a href="#article/'+a.n+'">'+esc(a.title||a.source||"(untitled)")+'</a><div class="muted">'+esc(a.source||"")+'</div></td><td class="nw">'+esc((a.date||"").replace("T"," ").slice(0,16))+'</td><td>'+esc(a.outlet||"")+'</td><td class="num">'+a.nf+'</td>'+GROUPS.map(function(g){return '<td class="num">'+a.c[g]+'</td>';}).join("")+'<td class="num">'+(a.issues.length||"")+'</td></tr>';});
  h+='</tbody></table>';
  var v=document.getElementById("v-index");v.innerHTML=h;
  var q=document.getElementById("q");q.addEventListener("input",function(){state.q=q.value;state.page=0;renderIndex();var n=document.getElementById("q");n.focus();n.setSelectionRange(n.value.length,n.value.length);});
  v.querySelectorAll("th").forEach(function(th){th.addEventListener("click",function(){var k=th.getAttribute("data-k");if(state.sort===k)state.dir=-state.dir;else{state.sort=k;state.dir=(k==="n"||k==="title"||k==="outlet")?1:-1;}renderIndex();});});
  v.querySelectorAll(".pager button").forEach(function(b){b.addEventListener("click",function(){state.page+=Number(b.getAttribute("data-p"));renderIndex();});});
}
/* ---------------- article */
function highlight(a){
  var text=a.text, fs=a.facts.filter(function(f){return f.ok&&f.end>f.start;}), cut={0:1};cut[text.length]=1;
  fs.forEach(function(f){cut[f.start]=1;cut[f.end]=1;});
  var pts=Object.keys(cut).map(Number).sort(function(x,y){return x-y;}), out=[], active=[], j=0;
  var order=fs.map(function(f,i){return i;});
  for(var p=0;p<pts.length-1;p++){
    var s=pts[p],e=pts[p+1];
    while(j<order.length&&fs[order[j]].start<=s){active.push(order[j]);j++;}
    active=active.filter(function(i){return fs[i].end>s;});
    var seg=esc(text.slice(s,e));
    if(!active.length){out.push(seg);continue;}
    var cov=active.slice().sort(function(x,y){return (fs[x].end-fs[x].start)-(fs[y].end-fs[y].start);});
    var inner=fs[cov[0]], outer=cov.length>1?fs[cov[cov.length-1]]:null;
    var ids=cov.map(function(i){return a.facts.indexOf(fs[i]);});
    out.push('<mark class="f t-'+inner.t+(outer&&outer.t!==inner.t?" o-"+outer.t:"")+'" data-type="'+inner.t+'" data-f="'+ids.join(",")+'">'+seg+'</mark>');
  }
  return out.join("");
}
function factTable(a,g){
  var list=[];a.facts.forEach(function(f,i){if(f.t===g)list.push([f,i]);});
  if(!list.length)return "";
  var head={counts:["text","value","unit","indicator","period","place"],dates:["text","kind","from","to","gran."],places:["text","name","level","adcode"],measures:["text","name","kind","form"]}[g];
  var h='<h3><span class="sw sw-'+g+'"></span>'+esc(T[g][0])+' ('+list.length+')</h3><table class="facts" data-group="'+g+'"><thead><tr>'+head.map(function(c){return "<th>"+c+"</th>";}).join("")+'</tr></thead><tbody>';
  list.forEach(function(x){var f=x[0],c;
    if(g==="counts")c=[f.text,fmtNum(f.value)+(f.approx&&f.approx!=="exact"?" ("+f.approx+")":""),f.unit,indName(f.indicator)+labelOf(f),per(f.period),placeName(f.place)];
    else if(g==="dates")c=[f.text,f.kind,f.from,f.to,f.granularity];
    else if(g==="places")c=[f.text,f.name,f.level,f.adcode];
    else c=[f.text,f.name,f.kind,f.form];
    h+='<tr data-f="'+x[1]+'" class="'+(f.ok?"":"bad")+'" title="'+esc(describe(f))+'">'+c.map(function(v){return "<td>"+esc(v==null?"":v)+"</td>";}).join("")+'</tr>';});
  return h+'</tbody></table>';
}
var current=null;
function renderArticle(n,fi){
  var a=A[n], v=document.getElementById("v-article");
  if(!a){v.innerHTML='<p class="empty">No article '+esc(n)+'.</p>';return;}
  if(current!==n){
    current=n;
    var h='<div class="tools"><a href="#index">‹ index</a>'+(n>0?' <a href="#article/'+(n-1)+'">← previous</a>':'')+(n<A.length-1?' <a href="#article/'+(n+1)+'">next →</a>':'')+'<span class="legend">'+GROUPS.map(function(g){return '<label><input type="checkbox" data-g="'+g+'"'+(state.hidden[g]?"":" checked")+'><span class="sw sw-'+g+'"></span>'+esc(T[g][0])+' ('+a.c[g]+')</label>';}).join("")+'</span></div>';
    h+='<h2>'+esc(a.title||"(untitled)")+'</h2><div class="meta">'+esc([a.date,a.outlet,a.authors.join("、"),a.source].filter(Boolean).join(" · "))+(a.url?' · <a href="'+esc(a.url)+'" rel="noreferrer">source page</a>':'')+'</div>';
    if(a.issues.length)h+='<div class="issues">'+a.issues.map(esc).join("<br>")+'</div>';
    h+='<div class="art"><div class="text" id="art-text">'+highlight(a)+'</div><div class="side">'+["counts","measures","dates","places"].map(function(g){return factTable(a,g);}).join("")+(a.nf?"":'<p class="empty">No facts extracted.</p>')+'</div></div>';
    v.innerHTML=h;
    v.querySelectorAll(".legend input").forEach(function(cb){cb.addEventListener("change",function(){state.hidden[cb.getAttribute("data-g")]=!cb.checked;applyHidden();});});
    v.querySelectorAll(".side tr[data-f]").forEach(function(tr){tr.addEventListener("click",function(){var h="#article/"+n+"/"+tr.getAttribute("data-f");if(location.hash===h)select(a,Number(tr.getAttribute("data-f")),true);else location.hash=h;});});
    v.querySelectorAll("mark.f").forEach(function(m){
      m.addEventListener("mousemove",function(ev){var ids=m.getAttribute("data-f").split(",").map(Number);tip(ev,ids.map(function(i){return describe(a.facts[i]);}).join("\n\n"));});
      m.addEventListener("mouseleave",function(){tip(null);});
      m.addEventListener("click",function(){select(a,Number(m.getAttribute("data-f").split(",")[0]),false);});});
    applyHidden();
  }
  if(fi!=null)select(a,fi,true);
}
function applyHidden(){document.querySelectorAll("#art-text mark.f").forEach(function(m){m.classList.toggle("off",!!state.hidden[m.getAttribute("data-type")]);});}
function select(a,fi,scroll){
  document.querySelectorAll("#v-article .sel").forEach(function(x){x.classList.remove("sel");});
  var first=null;
  document.querySelectorAll("#art-text mark.f").forEach(function(m){if(m.getAttribute("data-f").split(",").map(Number).indexOf(fi)>=0){m.classList.add("sel");if(!first)first=m;}});
  var tr=document.querySelector('#v-article .side tr[data-f="'+fi+'"]');
  if(tr){tr.classList.add("sel");if(!scroll)tr.scrollIntoView({block:"nearest"});}
  if(first&&scroll)first.scrollIntoView({block:"center"});
}
function tip(ev,text){var t=document.getElementById("tip");if(!ev){t.style.display="none";return;}t.textContent=text;t.style.display="block";
  var x=ev.clientX+14,y=ev.clientY+14;if(x+430>innerWidth)x=Math.max(0,ev.clientX-430);if(y+t.offsetHeight>innerHeight)y=Math.max(0,ev.clientY-t.offsetHeight-10);t.style.left=x+"px";t.style.top=y+"px";}
/* ---------------- figures: every count of every article, one table */
var FIG=null, fstate={q:"",ind:"",sort:"a",dir:1,page:0};
function figures(){
  if(FIG)return FIG;FIG=[];
  A.forEach(function(a){a.facts.forEach(function(f,i){if(f.t==="counts")FIG.push({a:a.n,i:i,f:f,d:(f.period&&(f.period.to||f.period.from))||"",pl:placeName(f.place),art:a.title||a.source||""});});});
  return FIG;
}
function renderFigures(){
  var all=figures(),inds={};all.forEach(function(x){var k=x.f.indicator||"other";inds[k]=(inds[k]||0)+1;});
  var q=fstate.q.toLowerCase(),r=all.filter(function(x){
    if(fstate.ind&&(x.f.indicator||"other")!==fstate.ind)return false;
    return !q||(x.f.text+" "+(x.f.label||"")+" "+(x.f.object||"")+" "+x.pl+" "+x.art).toLowerCase().indexOf(q)>=0;});
  var k=fstate.sort,d=fstate.dir,kf=function(x){return k==="v"?Number(x.f.value):k==="d"?x.d:k==="u"?(x.f.unit||""):k==="p"?x.pl:x.a*1e6+x.i;};
  r.sort(function(x,y){var a=kf(x),b=kf(y);return a<b?-d:a>b?d:(x.a-y.a)||(x.i-y.i);});
  var ps=D.page_size||50,pages=Math.max(1,Math.ceil(r.length/ps));if(fstate.page>=pages)fstate.page=pages-1;
  var h='<div class="tools"><select id="fi"><option value="">all indicators ('+all.length+')</option>'+Object.keys(inds).sort().map(function(k){return '<option value="'+esc(k)+'"'+(k===fstate.ind?" selected":"")+'>'+esc(indName(k))+' ('+inds[k]+')</option>';}).join("")+'</select>';
  h+='<input type="search" id="fq" placeholder="filter by text, label, place, article" value="'+esc(fstate.q)+'"><span class="muted">'+r.length+' figures</span><span class="pager"><button data-p="-1"'+(fstate.page<=0?" disabled":"")+'>‹ prev</button> page '+(fstate.page+1)+' / '+pages+' <button data-p="1"'+(fstate.page>=pages-1?" disabled":"")+'>next ›</button></span></div>';
  var cols=[["a","Article"],["t","Text"],["v","Value"],["u","Unit"],["i","Indicator · label"],["d","Period"],["p","Place"]];
  h+='<table id="figures-table"><thead><tr>'+cols.map(function(c){return '<th data-k="'+c[0]+'">'+c[1]+(fstate.sort===c[0]?(fstate.dir>0?" ▲":" ▼"):"")+'</th>';}).join("")+'</tr></thead><tbody>';
  r.slice(fstate.page*ps,(fstate.page+1)*ps).forEach(function(x){var f=x.f;
    h+='<tr><td><a href="#article/'+x.a+'/'+x.i+'">'+esc(x.art)+'</a></td><td><a href="#article/'+x.a+'/'+x.i+'">'+esc(f.text)+'</a></td><td class="num">'+fmtNum(f.value)+(f.approx&&f.approx!=="exact"?" ("+esc(f.approx)+")":"")+'</td><td>'+esc(f.unit||"")+'</td><td>'+esc(indName(f.indicator))+esc(labelOf(f))+(f.object?' <span class="muted">('+esc(f.object)+')</span>':"")+'</td><td>'+esc(per(f.period))+'</td><td>'+esc(x.pl)+'</td></tr>';});
  h+='</tbody></table>';
  var v=document.getElementById("v-figures");v.innerHTML=h;
  document.getElementById("fi").addEventListener("change",function(ev){location.hash="#figures"+(ev.target.value?"/indicator="+encodeURIComponent(ev.target.value):"");});
  var fq=document.getElementById("fq");fq.addEventListener("input",function(){fstate.q=fq.value;fstate.page=0;renderFigures();var n=document.getElementById("fq");n.focus();n.setSelectionRange(n.value.length,n.value.length);});
  v.querySelectorAll("th").forEach(function(th){th.addEventListener("click",function(){var k=th.getAttribute("data-k");if(k==="t"||k==="i")return;if(fstate.sort===k)fstate.dir=-fstate.dir;else{fstate.sort=k;fstate.dir=k==="v"||k==="d"?-1:1;}renderFigures();});});
  v.querySelectorAll(".pager button").forEach(function(b){b.addEventListener("click",function(){fstate.page+=Number(b.getAttribute("data-p"));renderFigures();});});
}
/* ---------------- routing */
function route(){
  var h=decodeURIComponent(location.hash.replace(/^#/,"")), parts=h.split("/"), view=parts[0]||"index";
  if(["article","charts","figures"].indexOf(view)<0)view="index";
  if(view==="figures"){var mi=/^indicator=(.*)$/.exec(parts[1]||""),ind=mi?mi[1]:"";if(ind!==fstate.ind){fstate.ind=ind;fstate.page=0;}renderFigures();}
  if(view==="index"){var m=/^place=(.*)$/.exec(parts[1]||"");var pl=m?m[1]:"";if(pl!==state.place){state.place=pl;state.page=0;}renderIndex();}
  if(view==="article")renderArticle(Math.max(0,parseInt(parts[1]||"0",10)||0),parts[2]!=null&&parts[2]!==""?parseInt(parts[2],10):null);
  document.querySelectorAll("section.view").forEach(function(s){s.classList.toggle("on",s.id==="v-"+view);});
  document.querySelectorAll("header nav a").forEach(function(x){x.classList.toggle("on",x.getAttribute("data-view")===view);});
}
window.addEventListener("hashchange",route);
route();
ROOT.setAttribute("data-report-ready","1");
/* ?selftest: hover every highlighted fact of the open article and record what the tooltip said (for tests) */
if(/[?&]selftest\b/.test(location.search)){
  var tips=[];document.querySelectorAll("#art-text mark.f").forEach(function(m){var r=m.getBoundingClientRect();
    m.dispatchEvent(new MouseEvent("mousemove",{bubbles:true,clientX:r.left+1,clientY:r.top+1}));tips.push(document.getElementById("tip").textContent);});
  tip(null);var pre=document.createElement("pre");pre.id="selftest";pre.style.display="none";pre.textContent=JSON.stringify(tips);document.body.appendChild(pre);
}
})();
</script>
</body>
</html>
"""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
