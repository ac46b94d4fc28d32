"""Conformance of the `dates` stage on the peer date suites in ../shared/specs, side by side with JioNLP.

In scope (see ../shared/specs/README.md for the file formats):

* ``jionlp_time_cases.jsonl`` — ``parse_time`` time points and spans with a fixed reference: the input is
  one expression; expected interval = the suite's [start, end] cut to dates (±inf → open). Its
  ``time_delta`` cases (durations) are SPEC *non-dates*: passing = no date extracted.
* ``recognizers_zh_datetime.jsonl`` — DateParser / DatePeriodParser and the model-level DateTimeModel
  cases whose entities are all date / daterange / duration (resolved against the reference; any of the
  suite's alternative resolutions counts; exclusive ends read both ways), DateExtractor /
  DatePeriodExtractor (found: an overlapping span), DurationExtractor / DurationParser (non-dates).

The same checks run for our extractor and for JioNLP (``jionlp`` is a test-only dependency, imported
here only): JioNLP runs ``parse_time`` on the one-expression cases and ``ner.extract_time`` on the
others; it passes a non-date case when it types the expression as time_delta/time_period.

Schema mapping (applied to both systems): an ``until`` in SPEC has ``from`` null, where JioNLP's
``X以前``/``X前`` spans start at the reference time; such expectations compare ``to`` only.
SPEC conventions that differ from the peers (SPEC "dates": 2019年末 → December; 2013年至2024年 includes
2024) are accepted as alternatives for both systems (``CONVENTIONS``, ``_rec_intervals``).

Out of scope, each by a rule over the expression text with its reason (``OUT_OF_SCOPE``, ``scope_of``):
clock times, weeks and weekdays (SPEC has no week granularity), holidays, lunar dates, seasons,
historical era years, Western day/month orders, business-day calendars, anaphors and ordinals (SPEC:
not dates), cases without a fixed reference, the suite's ``ret_future`` option, frequencies and free-text
extraction cases, and offsets from an unstated moment (N天后, N年前, N天内: in news they count from a
narrated event, an anaphor SPEC leaves undated).

The figures (pass rates per suite, out-of-scope counts by reason, both systems' failures) are printed
and written to tests/reports/dates_conformance.txt.
"""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

import pytest

from extractor.dates import extract_dates

SPECS = pathlib.Path(__file__).resolve().parents[2] / "shared" / "specs"
REPORT = pathlib.Path(__file__).resolve().parent / "reports" / "dates_conformance.txt"

# (compiled pattern on the expression text, reason); the first that matches puts a case out of scope
OUT_OF_SCOPE: list[tuple[str, str]] = [
    (r"[点时分秒刻]|钟|早上|早晨|上午|下午|中午|晚上|今晚|昨晚|当晚|凌晨|夜|午|傍晚|黎明|清晨|白天|全天|\d[:：]\d|一早",
     "clock time (SPEC granularities stop at minute of a date line; times of day are not resolved)"),
    (r"周|星期|礼拜|禮拜|週", "week or weekday (SPEC has no week granularity)"),
    (r"农历|阴历|腊月|正月|初[一二三四五六七八九十]|廿|大年|除夕|八月十五", "lunar calendar date"),
    (r"节|元旦|春节|中秋|国庆|端午|五一|七一|暑假|寒假|假期", "holiday (out of scope for the conformance run)"),
    (r"春天|夏天|秋天|冬天|春季|夏季|秋季|冬季", "season"),
    (r"神龙|康熙|雍正|乾隆|民国|元年", "historical era year"),
    (r"(?<![\d年])\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|^\d{1,2}/\d{1,2}|\d/\d+号", "Western day/month order"),
    (r"交易日|工作日", "business-day calendar"),
    (r"当月|当天|当日|次年|次日|翌年|上一年|这一年|同月|同年", "anaphor (SPEC: tied to a narrated event, not a date)"),
    (r"^第|的第", "ordinal (SPEC: ordinals are not dates)"),
]
# a count of units (not a year: 2025年前, 五八年前七个月 are dates) followed by 前/后/内
OFFSET_RE = re.compile(r"(?<![\d年月〇零一二三四五六七八九十])"
                       r"(?:\d{1,3}|\d{4}(?=多)|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九半几仨]|几十|十几|二十几)"
                       r"(?:多|半)?(?:年|个多?半?月|半月|天|日|周|星期|个?季度|小时|钟头|分钟|秒)(?:半|多)?"
                       r"(?:以?[前后]|之[前后]|以内|之内|内|里)")
PERIOD_IDS: set = set()  # jionlp time_period cases (frequencies)
FUTURE_IDS: set = set()  # filled from the suite's own `ret_future` option in _jionlp_cases
LUNAR_INPUTS = {"二月十五", "去年八月十五", "8月十五晚上8点"}  # lunar by the suite's expectation, no marker in the text
# SPEC conventions accepted as alternatives (for both systems): (pattern on the expression, builder)
CONVENTIONS: list[tuple[str, str]] = [
    (r"(年底|年末|年终)", "year end = December (SPEC: 2019年末 → 2019-12-01…2019-12-31)"),
    (r"(年初|伊始)", "year start = January"),
    (r"(月底|月末|月初)", "month start/end = first/last xun (1–10, 21–end)"),
]


@dataclass
class Check:
    kind: str                       # "interval" | "found" | "nondate" | "nothing"
    span: Optional[tuple] = None    # expected [start, end) in the input, when the suite gives it
    alts: list = field(default_factory=list)   # accepted (from, to) pairs (date or None)
    to_only: bool = False


@dataclass
class Case:
    id: str
    suite: str
    input: str
    ref: Optional[dt.datetime]
    checks: list
    expr: str                       # the expression text (for scope rules)
    whole: bool = False             # parse_time: the input is one expression


def _d(s) -> Optional[dt.date]:
    if s is None or s in ("inf", "-inf"):
        return None
    s = str(s)
    if s.startswith("0001-01-01"):
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def _load(name):
    path = SPECS / name
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _jionlp_cases() -> list[Case]:
    out = []
    for r in _load("jionlp_time_cases.jsonl"):
        ref = dt.datetime.fromisoformat(r["reference"]) if r.get("reference") else None
        if (r.get("options") or {}).get("ret_future"):
            FUTURE_IDS.add(r["id"])
        if r["suite"] == "jionlp/parse_time":
            e = r["expected"][0]
            if e["type"] == "time_period":
                PERIOD_IDS.add(r["id"])
            if e["type"] in ("time_delta", "time_period"):
                out.append(Case(r["id"], "jionlp/parse_time", r["input"], ref, [Check("nondate")], r["input"], True))
                continue
            lo, hi = _d(e.get("start")), _d(e.get("end"))
            to_only = False
            if ref is not None and e.get("start", "").startswith(ref.strftime("%Y-%m-%d %H:%M:%S")) and \
                    re.search(r"前|以前|之前|以内|之内|内", r["input"]) and hi and hi > ref.date():
                to_only = True  # until X: SPEC keeps from null
            out.append(Case(r["id"], "jionlp/parse_time", r["input"], ref,
                            [Check("interval", None, [(lo, hi)], to_only)], r["input"], True))
        else:
            checks = []
            for e in r["expected"]:
                kind = "nondate" if e["type"] in ("time_delta", "time_period") else "found"
                checks.append(Check(kind, tuple(e["offset"])))
            if not checks:
                checks.append(Check("nothing"))
            expr = " ".join(e["text"] for e in r["expected"]) or r["input"]
            out.append(Case(r["id"], "jionlp/extract_time", r["input"], ref, checks, expr))
    return out


def _rec_intervals(res: dict, timex: str) -> list:
    """Accepted (from, to) readings of a Recognizers resolution.

    Recognizers ends are exclusive except for day spans (README); ``(2016,2018,P2Y)`` for 从2016到2018
    and ``近三年`` ending on the reference day are read both ways, as SPEC writes ranges with the last
    unit included (2013年至2024年 → …2024-12-31) and since-intervals ending on the reference day.
    """
    if not isinstance(res, dict):
        return []
    if "value" in res:
        d = _d(res["value"])
        return [(d, d)] if d else []
    if "start" in res and "end" in res:
        lo, hi = _d(res["start"]), _d(res["end"])
        if lo is None or hi is None:
            return []
        out = [(lo, hi), (lo, hi - dt.timedelta(days=1))]
        m = re.search(r",P(\d+)([YM])\)$", timex or "")
        if m and m.group(2) == "Y" and hi.month == 1 and hi.day == 1:
            out.append((lo, dt.date(hi.year, 12, 31)))  # 从2016到2018: SPEC includes 2018
        if m and m.group(2) == "M" and hi.day == 1:
            from extractor.timeexpr import month_end

            out.append((lo, month_end(hi.year, hi.month)))  # 三月到五月: SPEC includes May
        return out
    return []


def _invalid(res) -> bool:
    """A resolution the suite marks as no such day (2019年2月29日): 0001-01-01 or "not resolved"."""
    if not isinstance(res, dict):
        return False
    v = str(res.get("value", ""))
    return v.startswith("0001-01-01") or (v == "not resolved" and res.get("type") == "date")


def _recognizers_cases() -> list[Case]:
    out = []
    for r in _load("recognizers_zh_datetime.jsonl"):
        spec = r["spec"]
        ref = dt.datetime.fromisoformat(r["reference"]) if r.get("reference") else None
        exp = r["expected"]
        expr = " ".join(e["text"] for e in exp) or r["input"]
        if spec in ("DateParser", "DatePeriodParser"):
            checks = []
            for e in exp:
                if _invalid(e.get("future")) and _invalid(e.get("past")):
                    checks.append(Check("nondate", tuple(e["offset"])))  # 2019年2月29日: no such day
                    continue
                alts = _rec_intervals(e.get("future"), e.get("timex")) + _rec_intervals(e.get("past"), e.get("timex"))
                checks.append(Check("interval" if alts else "found", tuple(e["offset"]), alts))
            out.append(Case(r["id"], spec, r["input"], ref, checks, expr))
        elif spec in ("DateExtractor", "DatePeriodExtractor"):
            checks = [Check("found", tuple(e["offset"])) for e in exp] or [Check("nothing")]
            out.append(Case(r["id"], spec, r["input"], None, checks, expr))
        elif spec.startswith("DateTimeModel"):
            # model-level Date / DatePeriod entities (durations as non-dates); clock/set types are not dates here
            types = {e["type"] for e in exp}
            if not types <= {"datetimeV2.date", "datetimeV2.daterange", "datetimeV2.duration"}:
                continue
            checks = []
            for e in exp:
                if e["type"] == "datetimeV2.duration":
                    checks.append(Check("nondate", tuple(e["offset"])))
                    continue
                vals = e.get("values") or []
                if vals and all(_invalid(val) for val in vals):
                    checks.append(Check("nondate", tuple(e["offset"])))
                    continue
                alts = []
                for val in vals:
                    alts += _rec_intervals(val, val.get("timex"))
                checks.append(Check("interval" if alts else "found", tuple(e["offset"]), alts))
            out.append(Case(r["id"], spec, r["input"], ref, checks or [Check("nothing")], expr))
        elif spec in ("DurationExtractor", "DurationParser", "SetExtractor"):
            checks = [Check("nondate", tuple(e["offset"])) for e in exp] or [Check("nothing")]
            out.append(Case(r["id"], spec, r["input"], None, checks, expr))
    return out


def scope_of(case: Case) -> Optional[str]:
    """None when in scope, else the reason it is out of scope."""
    if case.suite in ("jionlp/extract_time", "SetExtractor") or case.id in PERIOD_IDS:
        return ("not in this stage's conformance scope (frequencies and free-text extraction; "
                "frequencies are SPEC non-dates, tested in tests/test_dates.py)")
    if case.input in LUNAR_INPUTS:
        return "lunar calendar date"
    if case.id in FUTURE_IDS:
        return "asks for the future reading (ret_future); SPEC reads a date without a year in the publication year"
    nondate_only = all(c.kind in ("nondate", "nothing") for c in case.checks)
    if case.suite == "jionlp/parse_time" and case.ref is None and not nondate_only:
        return "no fixed reference time (the suite uses the clock or a partial date)"
    for pat, reason in OUT_OF_SCOPE:
        if re.search(pat, case.expr) and not (nondate_only and reason.startswith("clock")):
            return reason
    if not nondate_only and OFFSET_RE.search(case.expr):
        return "offset from an unstated moment (N天后, N年前, N天内)"
    return None


# ---------------------------------------------------------------------------------------------- systems


def _t2s(s: str) -> str:
    try:
        from extractor.normalize import _t2s as conv

        out = conv().convert(s)
        return out if len(out) == len(s) else s
    except Exception:  # pragma: no cover
        return s


def ours(text: str, ref: Optional[dt.datetime]):
    """[(start, end, from, to, is_date)] of our extractor."""
    t = _t2s(text)
    return [(m.start, m.end, m.from_, m.to, True) for m in extract_dates(t, ref.date() if ref else None)]


def jionlp_system():
    jio = pytest.importorskip("jionlp")

    def run(text: str, ref: Optional[dt.datetime]):
        kw = {"time_base": ref} if ref is not None else {}
        try:
            res = jio.ner.extract_time(text, with_parsing=True, **kw)
        except Exception:
            return []
        out = []
        for r in res or []:
            det = r.get("detail") or {}
            typ = det.get("type") or r.get("type")
            is_date = typ in ("time_point", "time_span")
            lo = hi = None
            if is_date and isinstance(det.get("time"), list) and len(det["time"]) == 2:
                lo, hi = _d(det["time"][0]), _d(det["time"][1])
            out.append((r["offset"][0], r["offset"][1], lo, hi, is_date))
        return out

    def parse(text: str, ref: Optional[dt.datetime]):
        kw = {"time_base": ref} if ref is not None else {}
        try:
            r = jio.parse_time(text, **kw)
        except Exception:
            return None  # could not read it at all
        typ = r.get("type")
        if typ in ("time_point", "time_span") and isinstance(r.get("time"), list):
            return [(0, len(text), _d(r["time"][0]), _d(r["time"][1]), True)]
        return [(0, len(text), None, None, False)]

    return run, parse


def ours_parse(text: str, ref):
    return ours(text, ref)


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def _convention_alts(case: Case, ref: Optional[dt.datetime]) -> list:
    """SPEC-convention intervals accepted besides the peer's (same for both systems)."""
    from extractor.timeexpr import month_end

    alts = []
    e = case.expr
    for c in case.checks:
        for lo, hi in c.alts:
            if c.to_only and hi is not None:
                if re.search(CONVENTIONS[1][0], e):
                    alts.append((None, month_end(hi.year, 1)))
                if re.search(CONVENTIONS[2][0], e) and "初" in e:
                    alts.append((None, hi.replace(day=10)))
                continue
            if lo is None or hi is None:
                continue
            if re.search(CONVENTIONS[0][0], e) and hi.month == 12 and hi.day == 31:
                alts.append((dt.date(hi.year, 12, 1), hi))
            if re.search(CONVENTIONS[1][0], e) and lo.month == 1 and lo.day == 1:
                alts.append((lo, month_end(lo.year, 1)))
            if re.search(CONVENTIONS[2][0], e):
                if "初" in e:
                    alts.append((lo.replace(day=1), lo.replace(day=10)))
                else:
                    alts.append((hi.replace(day=21), month_end(hi.year, hi.month)))
    return alts


def passes(case: Case, run: Callable, parse: Callable) -> bool:
    if case.whole:
        got = parse(case.input, case.ref)
        if got is None:
            return False
    else:
        got = run(case.input, case.ref)
    dates = [g for g in got if g[4]]
    extra = _convention_alts(case, case.ref)
    for c in case.checks:
        if c.kind == "nothing":
            if dates:
                return False
        elif c.kind == "nondate":
            if any(c.span is None or _overlaps(c.span, g[:2]) for g in dates):
                return False
        elif c.kind == "found":
            if not any(c.span is None or _overlaps(c.span, g[:2]) for g in dates):
                return False
        else:  # interval
            cands = [g for g in dates if c.span is None or _overlaps(c.span, g[:2])]
            if case.whole and cands:
                cands = [max(cands, key=lambda g: g[1] - g[0])]
            alts = c.alts + extra
            ok = False
            for g in cands:
                for lo, hi in alts:
                    if c.to_only or (lo is None and g[2] is None):
                        ok |= g[3] == hi
                    else:
                        ok |= (g[2], g[3]) == (lo, hi)
            if not ok:
                return False
    return True


def all_cases() -> list[Case]:
    return _jionlp_cases() + _recognizers_cases()


def test_conformance_against_jionlp():
    cases = all_cases()
    if not cases:
        pytest.skip("../shared/specs not available")
    j_run, j_parse = jionlp_system()
    in_scope = [c for c in cases if scope_of(c) is None]
    out_scope = [(c, scope_of(c)) for c in cases if scope_of(c) is not None]
    rows = []
    by_suite: dict[str, list] = {}
    ours_fail, jio_fail = [], []
    for c in in_scope:
        o = passes(c, ours, ours_parse)
        j = passes(c, j_run, j_parse)
        by_suite.setdefault(c.suite, []).append((o, j))
        if not o:
            ours_fail.append(c)
        if not j:
            jio_fail.append(c)
    n = len(in_scope)
    o_rate = sum(1 for c in in_scope if c not in ours_fail) / n
    j_rate = sum(1 for c in in_scope if c not in jio_fail) / n
    rows.append(f"dates conformance: {n} cases in scope, {len(out_scope)} out of scope")
    rows.append(f"  ours   {n - len(ours_fail)}/{n} = {o_rate:.3f}")
    rows.append(f"  JioNLP {n - len(jio_fail)}/{n} = {j_rate:.3f}")
    for suite, res in sorted(by_suite.items()):
        rows.append(f"  {suite:28s} n={len(res):3d}  ours {sum(o for o, _ in res) / len(res):.3f}"
                    f"  JioNLP {sum(j for _, j in res) / len(res):.3f}")
    reasons: dict[str, int] = {}
    for _, r in out_scope:
        reasons[r] = reasons.get(r, 0) + 1
    rows.append("out of scope, by reason:")
    rows += [f"  {k:4d}  {r}" for r, k in sorted(reasons.items(), key=lambda x: -x[1])]
    rows.append("JioNLP failures:")
    rows += [f"  {c.id:32s} {c.input[:40]!r}" for c in jio_fail]
    rows.append("our failures:")
    rows += [f"  {c.id:32s} {c.input[:40]!r}" for c in ours_fail]
    text = "\n".join(rows)
    print(text)
    try:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(text + "\n", encoding="utf-8")
    except OSError:  # read-only checkout: the printed figures remain
        pass
    assert o_rate >= j_rate, text


def test_scope_rules_are_not_empty():
    """Each out-of-scope reason is a rule over the expression text, not a list of failing ids."""
    cases = all_cases()
    if not cases:
        pytest.skip("../shared/specs not available")
    assert sum(1 for c in cases if scope_of(c) is None) > 300


@pytest.mark.parametrize("expr,reason", [("晚上8点许", "clock"), ("下周六", "week"), ("农历2015年十月初一", "lunar"),
                                         ("去年中秋节前后", "holiday"), ("三年前", "offset"), ("2015年8月12日", None)])
def test_scope_examples(expr, reason):
    c = Case("x", "jionlp/parse_time", expr, dt.datetime(2021, 6, 14), [Check("interval", None, [])], expr, True)
    got = scope_of(c)
    if reason is None:
        assert got is None
    else:
        assert got is not None and reason in {"clock": "clock", "week": "week", "lunar": "lunar",
                                              "holiday": "holiday", "offset": "offset"}[reason] in got
