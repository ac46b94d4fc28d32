"""Stage 'dates': every time expression, resolved to a closed interval of calendar dates (SPEC.md "dates").

``extract_dates(text, published)`` finds

* date cores ("atoms") anchored on digits, numeral characters and a few cue words:
  ``2017年8月21日``, ``二〇一九年十一月``, ``2019年7月下旬``, ``2019年末``, ``上半年``, ``去年11月``,
  ``本月``, timestamps ``2018-02-12 11:12:46`` / ``20-10-09 15:55``, ``2019/04/19``;
* and combines them with the words around them (vocabulary in ``patterns/dates/vocab.yaml``):
  ranges (``1至9月份``, ``2013年至2024年``), enumerations (``2017、2018年`` → two dates),
  ``since`` (``自2017年8月21日起``, ``2017年以来``, ``X至今``), ``until`` (``截至2019年末``,
  ``2019年以前``) and deadlines (``年底前``);
* present-reference words (``近日``, ``目前`` …), ``截至目前``, relative days, ``N年来``/``近N年``,
  event anchors with a fixed date (``党的十八大以来``, ``patterns/dates/anchors.yaml``) and the
  anaphors ``同月``/``同年`` right after an explicit date.

Relative expressions resolve against the publication date; without one they keep from/to null.
Dates inside 《》 titles are skipped. Never raises: on unexpected input it returns fewer dates.
"""
from __future__ import annotations

import datetime as _dt
import functools
import itertools
import logging
from dataclasses import dataclass, field
from typing import Optional

import bisect
import re

import regex

from . import timeexpr as T
from .article import Article
from .models import DateMention, constructor
from .resources import load_yaml

log = logging.getLogger(__name__)

STAGE = "dates"


# --------------------------------------------------------------------------- patterns


def _lead(*groups) -> str:
    """A lookahead on the possible first characters of a pattern: lets the engine skip, cheaply,
    every position where no date can start. (The patterns now use the finer leads below; this
    plain form is what tests/test_speed_equivalence_dates.py compares them with.)"""
    chars = set()
    for g in groups:
        for w in g:
            if w:
                chars.add(w[0])
    return "(?=[" + "".join(regex.escape(c) for c in sorted(chars)) + "])"


def _pair_lead(shapes: dict, *groups) -> str:
    """Like :func:`_lead`, on the first two characters: ``shapes`` maps a set of first characters
    (the inside of a regex class) to the class of second characters that may follow them, and the
    words of ``groups`` add their own first two characters. One cheap test of the first character,
    then the pair: the full pattern is tried at far fewer positions (a 一 in 一些, a 上 in 上级)."""
    first, pairs = _pairs(shapes, *groups)
    return f"(?=[{first}])(?={pairs})"


def _scan_pattern(body: str, shapes: dict, *groups, flags: int = 0) -> "re.Pattern":
    """A pattern that finds ``body`` (which never matches the empty string) where it starts with one
    of the pairs of :func:`_pair_lead`, read with :func:`_scan`.

    Its first element is the class of possible first characters, which the engine skips to far
    faster than it tries a look-ahead at every position; a one-character look-behind then reads
    that character again, tests the pair and matches ``body`` as a look-ahead, and the empty group
    ``_end`` marks where ``body`` ends. (``body`` may not hold a back-reference: none is allowed
    inside a look-behind.)"""
    first, pairs = _pairs(shapes, *groups)
    return re.compile(f"[{first}](?<=(?={pairs})(?=(?:{body})(?P<_end>))[{first}])", flags)


def _scan(pattern: "re.Pattern", t: str):
    """``(match, end)`` for each match of a :func:`_scan_pattern`'s body, as ``finditer`` of the body
    gives them: each match of the scan pattern is one character long, so those starting inside the
    previous body are skipped. The groups of the body are the match's groups."""
    last = 0
    for m in pattern.finditer(t):
        if m.start() >= last:
            last = m.start("_end")
            yield m, last


def _pairs(shapes: dict, *groups) -> tuple:
    """(inside of the first-character class, alternation of the first-two-character tests)."""
    firsts = set()
    seconds: dict = {}
    for g in groups:
        for w in g:
            if w:
                firsts.add(w[0])
                seconds.setdefault(w[0], set()).add(w[1:2])
    pairs = [f"[{k}][{v}]" for k, v in shapes.items()]
    for c in sorted(seconds):
        nxt = seconds[c]
        if "" in nxt:  # a one-character word: the first character is enough
            pairs.append(re.escape(c))
        else:
            pairs.append(re.escape(c) + "[" + "".join(re.escape(x) for x in sorted(nxt)) + "]")
    first = "".join(shapes) + "".join(re.escape(c) for c in sorted(firsts))
    return first, "|".join(pairs)


_NEWLINE = re.compile("\n")
_MATCH_END = re.Match.end
_DIGITS = "0123456789〇零一二三四五六七八九十两仨"
_RECENT_NUMERALS = "一二两三四五六七八九十仨"   # the Chinese numerals of the ``recent`` pattern's (?P<rn>…) (besides \d)
_RECENT_BLURS = "多半"                           # its (?P<rm>…) and (?P<rm2>…) groups, before and after the unit
# the non-digit characters the number part of ``N年来``/``近N个月`` may hold ((?P<rn>…)(?P<ge>个)?(?P<rm>多|半)?
# in the ``recent`` pattern): the prefilters of that pattern are built from them
_RECENT_NUMBER_CHARS = _RECENT_NUMERALS + "个" + _RECENT_BLURS


def _alt(words) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Rules:
    vocab: dict
    anchors: list  # (name, date) longest name first
    anchor_verbs: tuple
    atom: "re.Pattern"
    atom_body: str  # the atom pattern without its lead (for the equivalence tests)
    atom_starts: "re.Pattern"  # where an atom may start (see _atom_matches)
    words: "re.Pattern"
    word_family: dict  # word of ``words`` -> its family (non, until, present, rday, ana)
    recent: "re.Pattern"
    recent_body: str
    recent_triggers: str   # one character of each prefix and suffix word (the last)
    recent_alphabet: frozenset  # every character a match can hold, besides digits
    titles: "re.Pattern"
    year_range: "re.Pattern"
    left_enum_year: "re.Pattern"
    left_range_year: "re.Pattern"
    left_enum_month: "re.Pattern"
    left_range_month: "re.Pattern"
    left_range_day: "re.Pattern"
    blocked_left: "re.Pattern"
    right_day: "re.Pattern"
    right_year: "re.Pattern"
    right_present: "re.Pattern"
    future_left: "re.Pattern"
    future_right: "re.Pattern"
    holidays: "re.Pattern"
    holidays_body: str
    holiday_table: dict
    sentence_end: "re.Pattern"


_Y4 = r"(?:1[89]\d\d|20\d\d)"
_Y4W = r"(?:1\d\d\d|20\d\d)"   # with a month or a day, older years are dates too (1357年6月10日)
_CN2 = r"[〇零一二三四五六七八九]{2}"
_CNNUM = r"(?:\d{1,2}|[一二]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_CNY4 = r"[〇零一二三四五六七八九]{4}"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_TIME = r"(?:[ T\u3000]*(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d)?)"
_Y4_RE = re.compile(_Y4)
_MON_RE = re.compile(_MON)
# characters that, right before a number, make it part of another number or word
_NUM_LEFT = r"(?<![\d.\-/〇零一二三四五六七八九十两第])"


# The first two characters of the numeric shapes of the atom pattern below (_Y4, _CN2, _CNNUM,
# _MON, _DAY, …): a digit then a digit, 月, 日, 世(纪), 季(度) or a space; a Chinese digit then a
# Chinese digit, 十, 世, 月, 季 or a space; 十 then a digit, 世, 月 or a space. The word-led shapes
# (今年, 上个月, 本季度, 上世纪, 上半年 …) take theirs from the vocabulary. Keep in step with the
# atom pattern: tests/test_speed_equivalence_dates.py checks it against the one-character lead.
_ATOM_NUMERIC_PAIRS = {
    "0-9": r"\d月日世季\x20",
    "〇零一二三四五六七八九": r"〇零一二三四五六七八九十世月季\x20",
    "十": r"一二三四五六七八九世月\x20",
}


# What follows the first character of a numeric atom (a digit, a Chinese digit or 十): at most
# 3 more of those, then 年 月 日 . - / 世 季 or a space (2019年, 二〇一九年, 12 月, 2019.03, 19-10-09,
# 31日, 二十一世纪, 80年代, 1季度), or 7 more digits (20190305). Keep in step with the atom pattern:
# tests/test_speed_equivalence_dates.py checks the scan against the plain search.
_ATOM_NUMERIC_NEXT = r"[\d〇零一二三四五六七八九十]{0,3}[年月日.\-/\x20世季]|\d{7}"


def _start_scanner(numeric_next: str, *groups) -> "re.Pattern":
    """A pattern of one character at each position where an atom may start: the class of first
    characters (which the engine skips to fast: no look-ahead tried at every position), then a
    look-ahead on what follows: ``numeric_next``, or a second character of a word of ``groups``
    (今年, 上个月 …). Positions inside an earlier atom are skipped by :func:`_atom_matches`."""
    firsts, seconds = set(), set()
    for g in groups:
        for w in g:
            if w:
                firsts.add(w[0])
                seconds.add(w[1:2])
    tests = [numeric_next]
    if seconds - {""}:
        tests.append("[" + "".join(re.escape(c) for c in sorted(seconds - {""})) + "]")
    if "" in seconds:
        tests.append("")  # a one-character word: its first character is enough
    first = "0-9〇零一二三四五六七八九十" + "".join(re.escape(c) for c in sorted(firsts))
    return re.compile(f"[{first}](?=" + "|".join(tests) + ")")


def _atom_matches(t: str, R: "_Rules"):
    """``R.atom.finditer(t)``, with the atom pattern tried only where the start scan says an atom
    may begin (a few positions per article instead of every digit and numeral)."""
    last = 0
    match = R.atom.match
    for c in R.atom_starts.finditer(t):
        i = c.start()
        if i >= last:
            m = match(t, i)
            if m is not None:
                yield m
                last = m.end()  # an atom is never empty


def _recent_matches(t: str, R: "_Rules"):
    """``(match, end)`` of the ``N年来`` pattern (``R.recent``) that hold a prefix or a suffix word
    (近三年, 过去5年, 三年来): the others are not dates. Found without a scan of the whole text:
    every character of a match is in ``R.recent_alphabet`` (or a digit), so no match crosses a
    character outside it, and the pattern's ``finditer`` on a run of such characters gives what it
    gives on the whole text there. Only the runs around a trigger (近, 去, 来: each prefix and
    suffix word ends in one) are searched."""
    alpha = R.recent_alphabet
    gate = _recent_gate()
    runs = {}
    n = len(t)
    for c in R.recent_triggers:
        i = t.find(c)
        while i >= 0:
            if gate is not None and not _recent_gate_open(t, i, c, gate):
                i = t.find(c, i + 1)
                continue
            a = i
            while a > 0 and (t[a - 1] in alpha or t[a - 1].isdecimal()):
                a -= 1
            b = i + 1
            while b < n and (t[b] in alpha or t[b].isdecimal()):
                b += 1
            runs[a] = b
            i = t.find(c, b)
    for a in sorted(runs):
        for m in R.recent.finditer(t, a, runs[a]):
            yield m, m.end()


@functools.lru_cache(maxsize=1)
def _recent_gate() -> Optional[tuple]:
    """What must stand next to a trigger for a match to end a prefix or a suffix word with it:
    (last characters of the prefix words, {last character: lengths of the suffix words ending in
    it}, what a suffix word follows: the last character of a unit or a blur 多/半); None when a
    word or unit is empty (no test then)."""
    v = rules().vocab
    prefixes, suffixes, units = v.get("recent_prefixes", []), v.get("recent_suffixes", []), v.get("recent_units", {})
    if not (all(prefixes) and all(suffixes) and all(units)):
        return None
    lens: dict = {}
    for w in suffixes:
        lens.setdefault(w[-1], set()).add(len(w))
    return (frozenset(w[-1] for w in prefixes), {c: tuple(sorted(x)) for c, x in lens.items()},
            frozenset(u[-1] for u in units) | frozenset(_RECENT_BLURS))


def _recent_gate_open(t: str, i: int, c: str, gate: tuple) -> bool:
    """Whether the trigger ``c`` at ``i`` can end the prefix of a match (a number follows it right
    away: a digit or a numeral of (?P<rn>…)) or its suffix (a unit or 多/半 stands right before the
    suffix word). A run around a trigger for which neither holds is searched only for matches
    without a prefix and a suffix, which are dropped; another trigger in it opens it if needed."""
    prefix_lasts, suffix_lens, before_suffix = gate
    if c in prefix_lasts:
        nx = t[i + 1:i + 2]
        if nx and (nx in _RECENT_NUMERALS or nx.isdecimal()):
            return True
    for k in suffix_lens.get(c, ()):
        j = i - k
        if j >= 0 and t[j] in before_suffix:
            return True
    return False


def _recent_numeric_pairs(v: dict) -> dict:
    """First two characters of ``N年来``/``近N个月`` without their prefix: a number, then a digit,
    个, 多/半 or the first character of a unit."""
    units = "".join(re.escape(u[0]) for u in sorted(v.get("recent_units", {})))
    return {"0-9〇零一二三四五六七八九十两仨": r"\d" + _RECENT_NUMBER_CHARS + units}


def _atom_lead_words(v: dict) -> tuple:
    """The vocabularies whose words start an atom (relative years, months, quarters, centuries,
    bare parts of a year)."""
    return (v.get("relative_years", {}), v.get("relative_months", {}), v.get("relative_quarters", {}),
            v.get("relative_centuries", {}), v.get("bare_year_parts", []))


@functools.lru_cache(maxsize=1)
def rules() -> _Rules:
    v = load_yaml("dates/vocab.yaml") or {}
    a = load_yaml("dates/anchors.yaml") or {}
    h = load_yaml("dates/holidays.yaml") or {}
    year_parts = v.get("year_parts", {}) or {}
    month_parts = v.get("month_parts", {}) or {}
    yp_guard = {w: f"(?!{rx})" for w, rx in (v.get("part_not_before") or {}).items()}
    yp_alts = []
    for w in sorted(year_parts, key=len, reverse=True):
        guard = yp_guard.get(w, "")
        if w.endswith("季度"):
            guard = "(?!一)"  # 一季度一考评: a frequency
        yp_alts.append(regex.escape(w) + guard)
    mp_alts = []
    for w in sorted(month_parts, key=len, reverse=True):
        if len(w) == 1 and w == "中":
            mp_alts.append("中(?=旬)")  # 月中 alone is too ambiguous (3月中办印发)
            continue
        mp_alts.append(regex.escape(w) + yp_guard.get(w, ""))
    rel_years = _alt(v.get("relative_years", {}))
    rel_months = _alt(v.get("relative_months", {}))
    rel_quarters = _alt(v.get("relative_quarters", {}))
    edges = _alt(v.get("part_edges", {}))
    dec_parts = _alt(v.get("decade_parts", {}))
    cent_parts = _alt(v.get("century_parts", {}))
    rel_cent = _alt(v.get("relative_centuries", {}))
    year_follow = rf"(?:{_MON}月|第?[一二三四1-4]季度|底|末|初|[上下前后]半年|[前后][\d两二三四五六七八九十]{{1,2}}个?月)"
    bare_yp = "|".join(regex.escape(w) + ("(?!一)" if w.endswith("季度") else "")
                       for w in sorted(v.get("bare_year_parts", []), key=len, reverse=True))
    atom = rf"""
    (?P<cp>(?<![\d.\-/])(?P<cp_y>(?:19|20)\d\d)(?P<cp_m>0[1-9]|1[0-2])(?P<cp_d>0[1-9]|[12]\d|3[01])(?![\d.]))
    |(?P<dm>(?<![\d./])(?P<dm_y>{_Y4})\.(?P<dm_m>0[1-9]|1[0-2])(?![\d.]|[万亿元%‰倍个人件次名]))
    |(?P<dec>(?:(?P<dec_rc>{rel_cent})|(?P<dec_c>{_CNNUM})世纪)?(?P<dec_n>[1-9]0|[一二三四五六七八九]十)年代
        (?P<dec_p>{dec_parts})?)
    |(?P<cent>(?P<cent_n>{_CNNUM})世纪(?P<cent_p>{cent_parts})?)
    |(?P<qrel>{rel_quarters})(?P<qrel_e>{edges})?
    |(?P<ts>(?<![\d\-./:])(?P<ts_y>\d{{4}}|\d{{2}})-(?P<ts_m>1[0-2]|0?[1-9])-(?P<ts_d>3[01]|[12]\d|0?[1-9])
        (?P<ts_t>[ T]+(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?(?![\d\-:]))
    |(?P<sp>(?<![\d.])(?P<sp_y>{_Y4})[ ](?P<sp_m>0[1-9]|1[0-2])[ ](?P<sp_d>0[1-9]|[12]\d|3[01])(?![\d.]))
    |(?P<sl>(?<![\d\-./])(?P<sl_y>{_Y4W})(?P<sl_sep>[/.])(?P<sl_m>1[0-2]|0?[1-9])(?P=sl_sep)(?P<sl_d>3[01]|[12]\d|0?[1-9])(?![\d./]))
    |(?P<ymd>
        (?:
          (?<![\d./])(?P<y>{_Y4W}|{_CNY4})[ ]?年(?:度(?!考核|报告|计划|工作|述职))?
          |(?<![\d.\-/〇零一二三四五六七八九十])(?P<y2>\d\d|{_CN2})(?=年{year_follow})年
          |(?P<yrel>{rel_years})
        )
        (?:
          (?P<m>{_MON})[ ]?月份?
            (?:(?P<d>{_DAY})[ ]?[日号](?P<t>{_TIME})?)?
            (?P<mp>{"|".join(mp_alts)})?
          |(?P<yp>{"|".join(yp_alts)})(?P<ype>{edges})?
          |(?P<ypd>[前后])(?P<ypn>[2-9]|1[01]?|[两二三四五六七八九]|十[一]?)个?月(?!份)
        )?
      )
    |(?P<mrel>{rel_months})(?:(?P<mrel_d>{_DAY})[日号]|(?P<mrel_p>{"|".join(mp_alts)}))?
    |(?P<bm_all>(?<![\d./〇零一二三四五六七八九十两第个每])(?P<bm>{_MON})[ ]?月份?(?!一[^日号十二三])
        (?:(?P<bd>{_DAY})[ ]?[日号](?P<bt>{_TIME})?)?
        (?P<bmp>{"|".join(mp_alts)})?)
    |(?P<bday_all>(?<![\d.\-/月年号])(?P<bday>3[01]|[12]\d|0?[1-9])日)
    |(?P<byp_all>(?<![\d〇零一二三四五六七八九十年今去明本])(?P<byp>{bare_yp}))
    """
    # the word families, in order of precedence: one flat alternation of literal words (no groups,
    # so the engine can skip to the possible first characters) and a table word -> first family
    word_families = [("non", v.get("non_dates", [])), ("until", v.get("present_until", [])),
                     ("present", v.get("present_words", [])), ("rday", v.get("relative_days", {})),
                     ("ana", v.get("anaphors", {}))]
    word_family: dict = {}
    for fam, ws in word_families:
        for w in ws:
            word_family.setdefault(w, fam)
    recent = rf"""
      (?P<rp>{_alt(v.get('recent_prefixes', []))})?
      (?<![\d〇零一二三四五六七八九十两多])(?P<rn>\d{{1,3}}|[{_RECENT_NUMERALS}]{{1,3}})
      (?P<ge>个)?(?P<rm>{"|".join(_RECENT_BLURS)})?(?P<ru>{_alt(v.get('recent_units', {}))})(?P<rm2>{"|".join(_RECENT_BLURS)})?
      (?P<rs>{_alt(v.get('recent_suffixes', []))})?
    """
    holiday_names = [n for x in h.get("holidays", []) for n in x["names"]]
    holidays = (rf"(?P<pre>{_alt(h.get('holiday_prefixes', []))})?(?P<q>[“\"‘]?)"
                rf"(?P<h>{_alt(holiday_names)})"
                rf"(?P<q2>[”\"’]?)(?P<jie>节)?"
                rf"(?:(?:{_alt(h.get('holiday_infixes', []))})(?=(?:{_alt(h.get('holiday_suffixes', []))})))?"
                rf"(?P<suf>{_alt(h.get('holiday_suffixes', []))})?")
    anchors = []
    for item in a.get("anchors", []) or []:
        d = item.get("date")
        if isinstance(d, str):
            d = _dt.date.fromisoformat(d)
        for name in item.get("names", []):
            anchors.append((name, d))
    anchors.sort(key=lambda x: len(x[0]), reverse=True)
    seps = _alt(v.get("range_separators", []))
    enum_seps = _alt(v.get("enumeration_separators", []))
    blocked = _alt(v.get("blocked_prefixes", []))
    return _Rules(
        vocab=v,
        anchors=anchors,
        anchor_verbs=tuple(sorted(a.get("verbs", []) or [], key=len, reverse=True)),
        # stdlib `re` is faster than `regex` on these alternations led by a character-class lookahead
        atom=re.compile(_pair_lead(_ATOM_NUMERIC_PAIRS, *_atom_lead_words(v)) + "(?:" + atom + ")", re.X),
        atom_body=atom,
        atom_starts=_start_scanner(_ATOM_NUMERIC_NEXT, *_atom_lead_words(v)),
        words=re.compile("|".join(_alt(ws) for _, ws in word_families)),
        word_family=word_family,
        recent=re.compile(_pair_lead(_recent_numeric_pairs(v), v.get("recent_prefixes", [])) + "(?:" + recent + ")",
                          re.X),
        recent_body=recent,
        recent_triggers="".join(sorted({w[-1] for w in list(v.get("recent_prefixes", []))
                                        + list(v.get("recent_suffixes", [])) if w})),
        recent_alphabet=frozenset("".join(v.get("recent_prefixes", [])) + "".join(v.get("recent_suffixes", []))
                                  + "".join(v.get("recent_units", {})) + _RECENT_NUMBER_CHARS),
        # the small patterns below are tried once per atom on a few characters: stdlib `re` calls
        # cost less than `regex` ones (same syntax and semantics here)
        titles=re.compile(r"《[^《》\n]{0,120}》"),
        year_range=re.compile(rf"(?P<pre>从|自)(?P<a>{_Y4})[ ]?(?:{seps})[ ]?(?P<b>{_Y4})(?![\d年])"),
        left_enum_year=re.compile(rf"(?:(?<![\d.\-/]){_Y4}(?:{enum_seps}))+$"),
        left_range_year=re.compile(rf"(?<![\d.\-/])(?P<a>{_Y4})[ ]?(?:{seps})[ ]?$"),
        left_enum_month=re.compile(rf"(?:{_NUM_LEFT}{_MON}(?:、))+$"),
        left_range_month=re.compile(rf"{_NUM_LEFT}(?P<a>{_MON})[ ]?(?:{seps})[ ]?$"),
        left_range_day=re.compile(rf"(?<![\d.\-/])(?P<a>3[01]|[12]\d|0?[1-9])[ ]?(?:{seps})[ ]?$"),
        right_year=re.compile(rf"[ ]?(?:{seps})[ ]?(?P<y>{_Y4})(?![\d.年/\-])"),
        right_day=re.compile(rf"[ ]?(?:{seps})[ ]?(?P<d>{_DAY})[日号]"),
        right_present=re.compile(rf"[ ]?(?:至|到)[ ]?(?:{_alt(v.get('present_ends', []))})"),
        blocked_left=re.compile(rf"(?:{blocked})[年月周天日]?$"),
        future_left=re.compile(rf"(?:{_alt(v.get('future_cues_before', []))})[ ]?(?:\d{{1,2}}[ ]?(?:{seps})[ ]?)?$"),
        future_right=re.compile(rf"(?:份|[上中下]旬|初|底|末)?(?:{_alt(v.get('future_cues_after', []))})"),
        holidays=_scan_pattern(holidays, {"“\"‘": "".join(re.escape(n[0]) for n in holiday_names)},
                               h.get("holiday_prefixes", []), holiday_names),
        holidays_body=holidays,
        holiday_table={n: x for x in h.get("holidays", []) for n in x["names"]},
        # a sentence ends after one of 。！？!?；;\n\u3000 or after a run of spaces/tabs that follows a
        # non-ASCII character; written to start with the set of its possible first characters
        # (the engine then skips to them)
        sentence_end=re.compile(r"[。！？!?；;\n\u3000 \t](?:(?<=[。！？!?；;\n\u3000])|(?<=[^\x00-\x7f][ \t])[ \t]*)"),
    )


# --------------------------------------------------------------------------- atoms


@dataclass
class _Atom:
    start: int
    end: int
    y: Optional[int] = None          # explicit year
    yrel: Optional[int] = None       # relative year offset
    m: Optional[int] = None
    mrel: Optional[int] = None
    d: Optional[int] = None
    minute: bool = False
    ypart: Optional[str] = None      # key of year_parts
    mpart: Optional[str] = None      # key of month_parts
    explicit_year: bool = False      # year written in the atom (absolute)
    yedge: Optional[str] = None      # first/last month of a year part (一季度末)
    first_months: Optional[int] = None  # 今年前五个月
    qrel: Optional[int] = None       # relative quarter offset
    span_years: Optional[tuple] = None  # decades/centuries: (first year, last year) or (decade, century-or-None, part)
    kind: str = "point"
    # results
    lo: Optional[_dt.date] = None
    hi: Optional[_dt.date] = None
    gran: Optional[str] = None


# The alternative of the atom pattern that matched, from the last group the match closed: the
# alternative's own group, or one of the optional groups that follow it inside the alternative.
_ATOM_TAIL_GROUPS = {"qrel_e": "qrel", "mrel_d": "mrel", "mrel_p": "mrel"}


def _atom_from_match(m, pub: Optional[_dt.date]) -> Optional[_Atom]:
    # each alternative reads its own groups with one m.group(*names) call (m.groups() would build
    # a tuple of all ~60 groups for every match)
    R = rules()
    alt = m.lastgroup
    alt = _ATOM_TAIL_GROUPS.get(alt, alt)
    if alt == "cp":
        y, mo, d = m.group("cp_y", "cp_m", "cp_d")
        return _Atom(m.start(), m.end(), y=int(y), m=int(mo), d=int(d), explicit_year=True)
    if alt == "sp":
        y, mo, d = m.group("sp_y", "sp_m", "sp_d")
        return _Atom(m.start(), m.end(), y=int(y), m=int(mo), d=int(d), explicit_year=True)
    if alt == "dm":
        y, mo = m.group("dm_y", "dm_m")
        return _Atom(m.start(), m.end(), y=int(y), m=int(mo), explicit_year=True)
    if alt == "dec":
        dec_n, dec_p, dec_rc, dec_c = m.group("dec_n", "dec_p", "dec_rc", "dec_c")
        n = T.cn_int(dec_n)
        if n is None or n % 10:
            return None
        part = R.vocab["decade_parts"].get(dec_p or "", [0, 9])
        if dec_rc:
            cent = ("rel", R.vocab["relative_centuries"][dec_rc])
        elif dec_c:
            c = T.cn_int(dec_c)
            if not c or c > 21:
                return None
            cent = ("abs", (c - 1) * 100)
        else:
            cent = None
        return _Atom(m.start(), m.end(), span_years=("decade", n, cent, tuple(part)), kind="range")
    if alt == "cent":
        cent_n, cent_p = m.group("cent_n", "cent_p")
        c = T.cn_int(cent_n)
        if not c or c > 21:
            return None
        part = R.vocab["century_parts"].get(cent_p or "", [0, 99])
        base = (c - 1) * 100
        return _Atom(m.start(), m.end(), span_years=("fixed", base + part[0], base + part[1]), kind="range",
                     explicit_year=False)
    if alt == "qrel":
        qrel, qrel_e = m.group("qrel", "qrel_e")
        return _Atom(m.start(), m.end(), qrel=R.vocab["relative_quarters"][qrel], yedge=qrel_e)
    if alt == "ts":
        ts_y, ts_m, ts_d, ts_t = m.group("ts_y", "ts_m", "ts_d", "ts_t")
        yy = int(ts_y)
        if len(ts_y) == 2:
            if not ts_t:
                return None  # 20-10-09 alone is too ambiguous; with a clock time it is a date line
            yy = T.expand_two_digit_year(yy, pub.year if pub else None)
        elif not (1000 <= yy <= 2099):
            return None
        return _Atom(m.start(), m.end(), y=yy, m=int(ts_m), d=int(ts_d), minute=bool(ts_t), explicit_year=True)
    if alt == "sl":
        y, mo, d = m.group("sl_y", "sl_m", "sl_d")
        return _Atom(m.start(), m.end(), y=int(y), m=int(mo), d=int(d), explicit_year=True)
    if alt == "ymd":
        y, y2, yrel, mo, d, t, mp, yp, ype, ypn, ypd = m.group("y", "y2", "yrel", "m", "d", "t", "mp", "yp", "ype",
                                                             "ypn", "ypd")
        at = _Atom(m.start(), m.end())
        if y:
            at.y = T.cn_digits(y)
            at.explicit_year = True
            if at.y is None or not (1000 <= at.y <= 2099) or (at.y < 1900 and not mo):
                return None
        elif y2:
            yy = T.cn_digits(y2)
            if yy is None:
                return None
            at.y = T.expand_two_digit_year(yy, pub.year if pub else None)
            at.explicit_year = True
        else:
            at.yrel = R.vocab["relative_years"][yrel]
        if mo:
            at.m = T.cn_int(mo)
        if d:
            at.d = T.cn_int(d)
        at.minute = bool(t)
        at.mpart = mp
        at.ypart = yp
        at.yedge = ype
        if ypn:
            n = T.cn_int(ypn)
            if not n or n > 12:
                return None
            at.first_months = n if ypd == "前" else -n  # 今年前五个月 / 二零二一年后三月
            at.kind = "range"
        return at
    if alt == "mrel":
        mrel, mrel_d, mrel_p = m.group("mrel", "mrel_d", "mrel_p")
        at = _Atom(m.start(), m.end(), mrel=R.vocab["relative_months"][mrel])
        if mrel_d:
            at.d = T.cn_int(mrel_d)
        at.mpart = mrel_p
        return at
    if alt == "bm_all":
        bm, bd, bt, bmp = m.group("bm", "bd", "bt", "bmp")
        at = _Atom(m.start(), m.end(), m=T.cn_int(bm))
        if bd:
            at.d = T.cn_int(bd)
        at.minute = bool(bt)
        at.mpart = bmp
        return at
    if alt == "bday_all":
        return _Atom(m.start(), m.end(), d=int(m.group("bday")))
    if alt == "byp_all":
        return _Atom(m.start(), m.end(), ypart=m.group("byp"))
    return None


@dataclass
class _Ctx:
    pub: Optional[_dt.date]
    year: Optional[int] = None        # last explicit year of the sentence
    year_sentence: int = -1
    ym: Optional[tuple] = None        # last (year, month) of the paragraph
    ym_paragraph: int = -1
    pyear: Optional[int] = None       # last explicit year of the paragraph
    pyear_paragraph: int = -1


def _yes() -> bool:
    return True


def _resolve_atom(at: _Atom, ctx: _Ctx, sentence: int, paragraph: int, future_ok=_yes) -> bool:
    """Fill at.lo/at.hi/at.gran. Returns False when the atom is not a valid date.

    ``future_ok()`` tells whether a cue marks the atom as ahead (called only when it matters)."""
    v = rules().vocab
    pub = ctx.pub
    if at.span_years is not None:
        return _resolve_span_years(at, pub)
    year: Optional[int] = None
    unresolved = False
    if at.qrel is not None:
        if pub is None:
            at.lo = at.hi = None
            at.gran = "month" if at.yedge else "quarter"
            return True
        q = (pub.month - 1) // 3 + at.qrel
        qy, qm = T.shift_month(pub.year, 1, q * 3)
        first, last = qm, qm + 2
        if at.yedge:
            first = last = first if v["part_edges"][at.yedge] == "first" else last
            at.lo, at.hi, at.gran = _dt.date(qy, first, 1), T.month_end(qy, last), "month"
        else:
            at.lo, at.hi, at.gran = _dt.date(qy, first, 1), T.month_end(qy, last), "quarter"
        return True
    if at.y is not None:
        year = at.y
    elif at.yrel is not None:
        if pub is None:
            unresolved = True
        else:
            year = pub.year + at.yrel
    month = at.m
    if at.mrel is not None:
        if pub is None:
            unresolved = True
        else:
            year, month = T.shift_month(pub.year, pub.month, at.mrel)
    if month is not None and not (1 <= month <= 12):
        return False
    if at.d is not None and not (1 <= at.d <= 31):
        return False

    if year is None and not unresolved:
        if at.d is not None and month is None:
            # a bare day: the month of the paragraph, else the publication month (or the one before)
            if ctx.ym is not None and ctx.ym_paragraph == paragraph:
                year, month = ctx.ym
            elif pub is not None:
                year, month = pub.year, pub.month
                if at.d > pub.day:
                    year, month = T.shift_month(year, month, -1)
                    while not T.valid_day(year, month, at.d) and month != pub.month:
                        year, month = T.shift_month(year, month, -1)  # 31日 read in a 30-day month
            else:
                unresolved = True
        elif ctx.year is not None and ctx.year_sentence == sentence:
            year = ctx.year
        elif pub is not None:
            year = pub.year
            if month is not None and month > pub.month and ctx.pyear is not None \
                    and ctx.pyear_paragraph == paragraph and not future_ok():
                # a past narrative month later in the year than the publication (7月 in a January
                # review of the past year): the year the paragraph named
                year = ctx.pyear
        else:
            unresolved = True

    # granularity and bounds
    if at.d is not None:
        gran = "minute" if at.minute else "day"
    elif at.mpart:
        gran = "xun"
    elif month is not None:
        gran = "month"
    elif at.ypart:
        gran = "month" if at.yedge else v["year_parts"][at.ypart].get("granularity", "year")
    elif at.first_months:
        gran = "month"
    else:
        gran = "year"
    at.gran = gran
    if unresolved:
        at.lo = at.hi = None
        return True
    try:
        if at.d is not None:
            if not at.explicit_year and at.yrel is None and month == 2 and at.d == 29:
                back = 0
                while not T.valid_day(year, 2, 29) and back < 3:
                    year, back = year - 1, back + 1  # 2月29日 without a year: the last leap year
            if not T.valid_day(year, month, at.d):
                return False
            at.lo = at.hi = _dt.date(year, month, at.d)
        elif month is not None and at.mpart:
            first, last = v["month_parts"][at.mpart]["days"]
            end = T.month_end(year, month)
            at.lo = _dt.date(year, month, int(first))
            at.hi = end if last == "end" else _dt.date(year, month, min(int(last), end.day))
        elif month is not None:
            at.lo, at.hi = T.month_bounds(year, month)
        elif at.ypart:
            part = v["year_parts"][at.ypart]
            first, last = int(part["months"][0]), int(part["months"][1])
            if at.yedge:
                first = last = first if v["part_edges"][at.yedge] == "first" else last
            elif part.get("kind"):
                at.kind = part["kind"]
            at.lo, at.hi = T.months_bounds(year, first, last)
        elif at.first_months:
            if at.first_months > 0:
                at.lo, at.hi = T.months_bounds(year, 1, at.first_months)
            else:
                at.lo, at.hi = T.months_bounds(year, 13 + at.first_months, 12)
        else:
            at.lo, at.hi = T.year_bounds(year)
    except (ValueError, OverflowError):
        return False
    # remember the context for later bare months/days
    if at.explicit_year or at.yrel is not None or at.mrel is not None:
        ctx.year, ctx.year_sentence = year, sentence
        ctx.pyear, ctx.pyear_paragraph = year, paragraph
    if month is not None:
        ctx.ym, ctx.ym_paragraph = (year, month), paragraph
    return True


def _resolve_span_years(at: _Atom, pub: Optional[_dt.date]) -> bool:
    """Decades and centuries: 上世纪80年代, 19世纪70年代末期, 九十年代, 18世纪."""
    sy = at.span_years
    at.gran = "year"
    if sy[0] == "fixed":
        first, last = sy[1], sy[2]
    else:
        _, n, cent, part = sy
        ref_year = pub.year if pub else None
        if cent is None:
            base = 2000 if (ref_year is not None and 2000 + n <= ref_year) else 1900
        elif cent[0] == "rel":
            if ref_year is None:
                at.lo = at.hi = None
                return True
            base = (ref_year // 100 + cent[1]) * 100
        else:
            base = cent[1]
        first, last = base + n + part[0], base + n + part[1]
    if not (1 <= first <= last <= 9999):
        return False
    at.lo, at.hi = _dt.date(first, 1, 1), _dt.date(last, 12, 31)
    return True


# --------------------------------------------------------------------------- combination


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    lo: Optional[_dt.date]
    hi: Optional[_dt.date]
    gran: Optional[str]
    prio: int = 0
    extra: dict = field(default_factory=dict)


def _startswith_any(s: str, pos: int, words) -> Optional[str]:
    for w in words:  # words sorted longest first
        if s.startswith(w, pos):
            return w
    return None


def _endswith_any(s: str, pos: int, words) -> Optional[str]:
    for w in words:
        if pos - len(w) >= 0 and s.startswith(w, pos - len(w)):
            return w
    return None


class _Words(tuple):
    """Words sorted longest first, with the characters they start and end with: a position whose
    neighbouring character starts (ends) none of them needs no ``startswith`` test."""

    def __new__(cls, words):
        self = super().__new__(cls, sorted(words or [], key=len, reverse=True))
        self.firsts = frozenset(w[0] for w in self) if all(self) else None
        self.lasts = frozenset(w[-1] for w in self) if all(self) else None
        return self

    def starting_at(self, s: str, pos: int) -> Optional[str]:
        """The longest word that ``s`` has at ``pos``."""
        if self.firsts is not None and s[pos:pos + 1] not in self.firsts:
            return None
        return _startswith_any(s, pos, self)

    def ending_at(self, s: str, pos: int) -> Optional[str]:
        """The longest word that ``s`` has right before ``pos``."""
        if self.lasts is not None and (pos <= 0 or s[pos - 1:pos] not in self.lasts):
            return None
        return _endswith_any(s, pos, self)


@functools.lru_cache(maxsize=1)
def _sorted_words():
    v = rules().vocab

    def srt(key):
        return _Words(v.get(key, []))

    return {k: srt(k) for k in ("since_prefixes", "since_suffixes", "until_prefixes", "until_suffixes",
                                "deadline_suffixes", "range_separators", "day_duration_suffixes")}


_SUFFIX_BLOCK = {"起": "草诉因来码步点到见义飞征始伏", "开始": "", "以后": "", "之后": ""}


class _Positions:
    """Sentence and paragraph number of a character offset."""

    def __init__(self, text: str):
        self._bisect = bisect.bisect_right
        self.sent = _sentence_ends(text)
        self.par = list(map(_MATCH_END, _NEWLINE.finditer(text)))

    def sentence(self, pos: int) -> int:
        return self._bisect(self.sent, pos)

    def paragraph(self, pos: int) -> int:
        return self._bisect(self.par, pos)


_SENTENCE_MARKS = "。！？!?；;\n\u3000"  # each ends a sentence alone (the first branch of sentence_end)
_SPACE_END = re.compile(" (?<=[^\x00-\x7f] ) *")  # sentence_end's second branch on a text without tabs


def _sentence_ends(text: str) -> list[int]:
    """Ends of the matches of ``sentence_end``, in order. Its two branches match disjoint sets of
    characters (the marks; runs of spaces and tabs after a non-ASCII character), so each is found
    alone: the marks by ``str.find`` and the runs of spaces by a pattern led by a literal space
    (a scan for a class of characters costs more than ten ``find`` passes); a text with a tab
    takes the full pattern."""
    if "\t" in text:
        return list(map(_MATCH_END, rules().sentence_end.finditer(text)))
    out = []
    find = text.find
    for c in _SENTENCE_MARKS:
        i = find(c)
        while i >= 0:
            i += 1
            out.append(i)
            i = find(c, i)
    if " " in text:
        out += map(_MATCH_END, _SPACE_END.finditer(text))
    out.sort()
    return out


def _atoms(t: str, pub: Optional[_dt.date], pos: _Positions, blocked_spans) -> list[_Atom]:
    R = rules()
    ctx = _Ctx(pub=pub)
    out = []
    blocked_end = -1
    bl = _blocked_lasts()
    for m in _atom_matches(t, R):
        if blocked_spans and _in_spans(m.start(), m.end(), blocked_spans):
            continue
        at = _atom_from_match(m, pub)
        if at is None:
            continue
        left = t[max(0, at.start - 3):at.start]
        if ((bl is None or left[-1:] in bl or (left[-1:] == "\n" and left[-2:-1] in bl))
                and R.blocked_left.search(left) and not m.group("ts")) or \
                (blocked_end >= 0 and t[blocked_end:at.start].strip(" ") in R.vocab.get("range_separators", [])):
            blocked_end = at.end  # 每年9月到11月: the second end of a blocked range is blocked too
            continue
        if m.group("bday_all"):
            if _sorted_words()["day_duration_suffixes"].starting_at(t, at.end):
                continue
        future_ok = functools.partial(_future_cue, t, at)
        if not _resolve_atom(at, ctx, pos.sentence(at.start), pos.paragraph(at.start), future_ok):
            continue
        out.append(at)
    return out


@functools.lru_cache(maxsize=1)
def _blocked_lasts() -> Optional[frozenset]:
    """Characters ``blocked_left`` can match last (it ends in ``$``: at the end of the text or before
    a final newline): the last characters of the blocked prefixes and 年月周天日; None when a
    blocked prefix is empty."""
    words = rules().vocab.get("blocked_prefixes", [])
    if not all(words):
        return None
    return frozenset(w[-1] for w in words) | frozenset("年月周天日")


def _future_cue(t: str, at: _Atom) -> bool:
    """A cue around the atom that says it lies ahead (到12月底, 计划9月, 12月底前)."""
    R = rules()
    return bool(R.future_left.search(t[max(0, at.start - 4):at.start]) or R.future_right.match(t, at.end))


def _in_spans(start: int, end: int, spans) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (non-overlapping, sorted by start)."""
    if not spans:
        return False
    i = bisect.bisect_right(spans, (end, -1)) - 1  # the last span starting before ``end``
    while i >= 0:
        a, b = spans[i]
        if b <= start:
            return False
        if a < end:
            return True
        i -= 1
    return False


def _since_to(lo: Optional[_dt.date], pub: Optional[_dt.date]) -> Optional[_dt.date]:
    if pub is None or lo is None or pub < lo:
        return None
    return pub


_PREFIX_KEYS = ("since_prefixes", "until_prefixes")
_SUFFIX_KEYS = ("since_suffixes", "until_suffixes", "deadline_suffixes")


@functools.lru_cache(maxsize=1)
def _combine_tables() -> tuple:
    """What :func:`_combine` reads of the word lists for every article: the widest gap a range may
    span, the first characters of the range separators (the patterns that read a second end after
    the atom start with an optional space and one of them: tried only when one follows; with an
    empty separator any text may follow), the last characters of the prefix words and the first
    characters of the suffix words (a position next to none of them has no prefix or suffix;
    None when a list holds an empty word)."""
    W = _sorted_words()
    seps = W["range_separators"]
    pre = [W[k] for k in _PREFIX_KEYS]
    suf = [W[k] for k in _SUFFIX_KEYS]
    pre_lasts = None if any(w.lasts is None for w in pre) else frozenset().union(*(w.lasts for w in pre))
    suf_firsts = None if any(w.firsts is None for w in suf) else frozenset().union(*(w.firsts for w in suf))
    return (max(map(len, seps), default=0) + 3, frozenset(w[0] for w in seps if w) | {"至", "到"},
            not all(seps), pre_lasts, suf_firsts)


def _combine(t: str, atoms: list[_Atom], pub: Optional[_dt.date]) -> list[_Cand]:
    """Ranges, enumerations, since/until around the atoms."""
    R = rules()
    W = _sorted_words()
    max_gap, sep_firsts, any_sep, pre_lasts, suf_firsts = _combine_tables()
    out: list[_Cand] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        start, end = a.start, a.end
        lo, hi, gran, kind = a.lo, a.hi, a.gran, a.kind
        extra_members: list[_Cand] = []

        # range with the next atom: A 至 B (never across more than a separator and 3 characters)
        if i + 1 < len(atoms) and atoms[i + 1].start - end <= max_gap:
            b = atoms[i + 1]
            gap = t[end:b.start].strip(" ")
            between = None
            if gap in ("与", "和", "至") and b.start - end <= 3:
                between = _startswith_any(t, b.end, ("之间", "间"))  # 2007年与2009年之间
            if gap.startswith("起") and gap[1:] in R.vocab.get("range_separators", []):
                gap = gap[1:]  # 自2020-05-26起至2020-05-29止
            if gap and (gap in R.vocab.get("range_separators", []) or between) and b.start - end <= len(gap) + 3:
                _inherit_range_end(a, b, pub)
                if a.lo is None or b.hi is None or a.lo <= b.hi:
                    end, hi = b.end + len(between or ""), b.hi
                    if t.startswith("止", end):
                        end += 1
                    gran = T.finer(a.gran, b.gran)
                    kind = "range"
                    i += 1
        nxt = t[end:end + 1]
        if nxt == " ":
            nxt = t[end + 1:end + 2]
        joined = any_sep or nxt in sep_firsts
        if kind != "range" and a.d is not None and joined:
            # 从2018年12月九号到十五号: a second day written in Chinese numerals
            m = R.right_day.match(t, end)
            if m:
                d2 = T.cn_int(m.group("d"))
                if d2 and a.lo is not None and a.lo.day < d2 and T.valid_day(a.lo.year, a.lo.month, d2):
                    end, hi, kind = m.end(), a.lo.replace(day=d2), "range"
                elif d2 and a.lo is None:
                    end, kind = m.end(), "range"
        if kind != "range" and a.explicit_year and a.lo is not None and joined:
            # 2008.03-2009 / 2016年3月至2018: the second end is a bare year
            m = R.right_year.match(t, end)
            if m and a.lo.year < int(m.group("y")):
                end, hi, kind = m.end(), _dt.date(int(m.group("y")), 12, 31), "range"
        if kind != "range" and joined:
            # 去年到现在: a since interval up to the publication day
            m = R.right_present.match(t, end)
            if m:
                end, kind, hi = m.end(), "since", _since_to(lo, pub)
        # bare number before the atom: 1至9月份, 2016-2018年, 21至23日; enumerations 2017、2018年
        left = t[max(0, start - 12):start]
        if kind != "range":
            res = _left_extension(a, left, pub)
            if res is not None:
                new_start, new_lo, members = res
                if members:
                    extra_members = members
                    kind = "range"
                else:
                    start, lo, kind = start - (len(left) - new_start), new_lo, "range"
                    # 2024年1至11月 / 今年1至11月: the year written before the bare range joins it
                    prev = out[-1] if out else None
                    if prev is not None and prev.end == start and prev.gran == "year" and prev.kind == "point":
                        out.pop()
                        start = prev.start
        # prefixes and suffixes
        if pre_lasts is None or (start > 0 and t[start - 1] in pre_lasts):
            pre_since = W["since_prefixes"].ending_at(t, start)
            pre_until = W["until_prefixes"].ending_at(t, start)
        else:
            pre_since = pre_until = None
        suf = None
        for key in (_SUFFIX_KEYS if suf_firsts is None or t[end:end + 1] in suf_firsts else ()):
            w = W[key].starting_at(t, end)
            if w:
                nxt = t[end + len(w):end + len(w) + 1]
                if nxt and nxt in _SUFFIX_BLOCK.get(w, ""):
                    continue
                suf = (key, w)
                break
        if kind == "range":
            if pre_since and t[start - len(pre_since) - 1:start - len(pre_since)] not in R.vocab["since_prefix_word_starts"]:
                start -= len(pre_since)
        elif suf and suf[0] == "since_suffixes":
            if pre_since:
                start -= len(pre_since)
            end += len(suf[1])
            kind, hi = "since", _since_to(lo, pub)
        elif pre_until and not suf:
            start -= len(pre_until)
            kind, lo = "until", None
        elif suf and suf[0] == "until_suffixes":
            end += len(suf[1])
            kind, hi, lo = "until", _before(a, pub), None
        elif suf and suf[0] == "deadline_suffixes" and _deadline_ok(a, t, end + len(suf[1])):
            end += len(suf[1])
            if not (a.d is not None or a.mpart or (a.ypart and a.ypart in ("末", "底", "年末", "年底"))):
                hi = _before(a, pub)
            kind, lo = "until", None
        elif pre_since and pre_since in R.vocab.get("since_prefixes_alone", []) and \
                t[start - len(pre_since) - 1:start - len(pre_since)] not in R.vocab["since_prefix_word_starts"]:
            start -= len(pre_since)
            kind, hi = "since", _since_to(lo, pub)
        for mem in extra_members:
            out.append(mem)
        out.append(_Cand(start, end, kind, lo, hi, gran, prio=2,
                         extra={"year": a.lo.year} if (a.explicit_year and a.lo is not None) else {}))
        i += 1
    return out


def _deadline_ok(a: _Atom, t: str, after: int) -> bool:
    """``前`` after a date is a deadline unless it starts another word (前夕 is a holiday point, 前进)."""
    nxt = t[after:after + 1]
    return not nxt or nxt not in rules().vocab["deadline_word_ends"]


def _before(a: _Atom, pub: Optional[_dt.date]) -> Optional[_dt.date]:
    """End of ``X以前``: the day before X starts when X is past, the end of X when it is still ahead."""
    if a.lo is None:
        return None
    if pub is not None and a.hi is not None and a.hi >= pub:
        return a.hi
    return a.lo - _dt.timedelta(days=1)


def _inherit_range_end(a: _Atom, b: _Atom, pub) -> None:
    """``2017年8月11日至8月22日``: the second end takes the year (and month) of the first;
    ``8月至2月`` (no year on either end) runs into the next year."""
    if b.explicit_year or b.yrel is not None or b.mrel is not None or a.lo is None:
        return
    if not a.explicit_year and a.yrel is None and b.lo is not None and b.hi is not None and b.hi < a.lo \
            and b.m is not None:
        try:
            b.lo, b.hi = T.shift_years(b.lo, 1), T.shift_years(b.hi, 1)
            if b.d is None and b.hi.day != T.month_end(b.hi.year, b.hi.month).day:
                b.hi = T.month_end(b.hi.year, b.hi.month)
        except ValueError:
            pass
        return
    year = a.lo.year
    try:
        if b.m is not None:
            if b.d is not None:
                if T.valid_day(year, b.m, b.d):
                    b.lo = b.hi = _dt.date(year, b.m, b.d)
            elif b.mpart:
                pass
            else:
                b.lo, b.hi = T.month_bounds(year, b.m)
        elif b.d is not None and a.m is not None:
            if T.valid_day(year, a.m, b.d):
                b.lo = b.hi = _dt.date(year, a.m, b.d)
    except ValueError:
        return


@functools.lru_cache(maxsize=1)
def _left_joiners() -> Optional[frozenset]:
    """Last characters of the range and enumeration separators (and 、); None when a separator is
    empty (then any text may precede)."""
    v = rules().vocab
    words = list(v.get("range_separators", []) or []) + list(v.get("enumeration_separators", []) or []) + ["、"]
    return frozenset(w[-1] for w in words) if all(words) else None


def _left_extension(a: _Atom, left: str, pub):
    """A bare number (or several) written before the atom and sharing its unit.

    Returns (index into ``left`` where the expression starts, new ``from``, enumeration members) or None.
    """
    R = rules()
    # every pattern below ends in a range or enumeration separator, then at most a space (and, as
    # `$` allows, a final newline): without one there, nothing to extend
    core = left[:-1] if left.endswith("\n") else left
    tail = core[-1:]
    if tail == " ":
        tail = core[-2:-1]
    joiners = _left_joiners()
    if joiners is not None and tail not in joiners:
        return None
    if a.y is not None and a.explicit_year and a.m is None and not a.ypart:
        m = R.left_range_year.search(left)
        if m:
            y0 = int(m.group("a"))
            if y0 < a.y:
                return m.start(), _dt.date(y0, 1, 1), []
        m = R.left_enum_year.search(left)
        if m:
            members = []
            off = a.start - (len(left) - m.start())
            for ym in _Y4_RE.finditer(m.group(0)):
                y0 = int(ym.group(0))
                lo, hi = T.year_bounds(y0)
                members.append(_Cand(off + ym.start(), off + ym.end(), "range", lo, hi, "year", prio=2))
            return 0, None, members
    if a.m is not None and a.y is None and a.yrel is None and a.d is None and not a.mpart:
        m = R.left_range_month.search(left)
        if m:
            m0 = T.cn_int(m.group("a"))
            if m0 and 1 <= m0 < a.m:
                return m.start(), (_dt.date(a.lo.year, m0, 1) if a.lo else None), []
        if a.lo is None:
            return None
        m = R.left_enum_month.search(left)
        if m:
            members = []
            off = a.start - (len(left) - m.start())
            for mm in _MON_RE.finditer(m.group(0)):
                m0 = T.cn_int(mm.group(0))
                if m0 and 1 <= m0 <= 12:
                    lo, hi = T.month_bounds(a.lo.year, m0)
                    members.append(_Cand(off + mm.start(), off + mm.end(), "range", lo, hi, "month", prio=2))
            return 0, None, members
    if a.d is not None and a.m is None:
        m = R.left_range_day.search(left)
        if m:
            d0 = int(m.group("a"))
            if 1 <= d0 < a.d:
                return m.start(), (a.lo.replace(day=d0) if a.lo else None), []
    return None


# --------------------------------------------------------------------------- word-based expressions


def _word_cands(t: str, pub: Optional[_dt.date], atoms_end: dict, pos: _Positions) -> list[_Cand]:
    R = rules()
    v = R.vocab
    blocked = v.get("present_blocked_after", {}) or {}
    if isinstance(blocked, str):
        blocked = {"*": blocked}
    blocked_all = blocked.get("*", "")
    not_before = v.get("present_blocked_before", {}) or {}
    out = []
    family = R.word_family
    for m in R.words.finditer(t):
        s, e = m.span()
        w = m.group()
        fam = family[w]
        if fam == "non":
            out.append(_Cand(s, e, "point", None, None, None, prio=9, extra={"non_date": True}))
        elif fam == "until":
            if w == "至今" and s in atoms_end:
                continue  # X至今 is handled as a since interval
            out.append(_Cand(s, e, "until", None, pub, "day", prio=1))
        elif fam == "present":
            if s > 0 and (t[s - 1] in blocked_all or t[s - 1] in blocked.get(w, "")):
                continue
            if t[e:e + 1] and t[e:e + 1] in not_before.get(w, ""):
                continue
            out.append(_Cand(s, e, "point", pub, pub, "day", prio=1))
        elif fam == "rday":
            if s > 0 and t[s - 1] in blocked_all:
                continue
            off = v["relative_days"][w]
            d = pub + _dt.timedelta(days=off) if pub else None
            out.append(_Cand(s, e, "point", d, d, "day", prio=1))
        else:  # ana
            out.append(_Cand(s, e, "point", None, None, v["anaphors"][w], prio=0,
                             extra={"anaphor": True}))
    for m, m_end in _recent_matches(t, R):
        if not (m.group("rp") or m.group("rs")):
            continue
        ru = ("个" if m.group("ge") else "") + m.group("ru")
        if ru not in v["recent_units"]:
            ru = m.group("ru")
        if not m.group("rp") and ru in v.get("recent_units_need_prefix", []):
            continue
        if m.group("rm") and not m.group("ge"):
            continue  # 三多年 is not Chinese
        n = T.cn_int(m.group("rn"))
        if not n or n > 100:
            continue
        unit = v["recent_units"][ru]
        lo = None if pub is None else _recent_from(pub, n, unit, m.group("rm") or m.group("rm2"))
        out.append(_Cand(m.start(), m_end, "since", lo, pub, unit, prio=1))
    # event anchors: <name>[<verb>]以来
    s = t.find("以来")
    verbs = _anchor_verbs()
    by_last = _anchors_by_last_char()
    while s >= 0:
        e_anchor = s + 2
        verb = verbs.ending_at(t, s) or ""
        name_end = s - len(verb)
        for name, d in (by_last.get(t[name_end - 1], ()) if name_end > 0 else ()):
            st = name_end - len(name)
            if st >= 0 and t.startswith(name, st):
                out.append(_Cand(st, e_anchor, "since", d, _since_to(d, pub), "day", prio=3))
                break
        s = t.find("以来", e_anchor)
    return out


@functools.lru_cache(maxsize=1)
def _anchor_verbs() -> _Words:
    return _Words(rules().anchor_verbs)


@functools.lru_cache(maxsize=1)
def _anchors_by_last_char() -> dict:
    """The event anchors (longest name first) by the last character of their name."""
    out: dict = {}
    for name, d in rules().anchors:
        if name:
            out.setdefault(name[-1], []).append((name, d))
    return out


def _recent_from(pub: _dt.date, n: int, unit: str, blur: Optional[str]) -> _dt.date:
    """Start of ``N年来`` (exactly N units back); ``N年多``/``N个多月`` start at the unit's beginning,
    ``N年半``/``N个半月``/``N天半`` half a unit further back (then at the month's or day's start)."""
    if unit == "year":
        if blur == "半":
            return T.shift_months(pub, -(12 * n + 6)).replace(day=1)
        d = T.shift_years(pub, -n)
        return d.replace(month=1, day=1) if blur == "多" else d
    if unit == "month":
        d = T.shift_months(pub, -n)
        if blur == "半":
            d = (d - _dt.timedelta(days=15)).replace(day=1)
        return d.replace(day=1) if blur == "多" else d
    return pub - _dt.timedelta(days=n + (1 if blur else 0))


def _resolve_anaphors(cands: list[_Cand], pos: _Positions) -> list[_Cand]:
    """同月/同年 take the month/year of the explicit date right before them in the same paragraph."""
    out = []
    prev: Optional[_Cand] = None
    for c in cands:
        if c.extra.get("anaphor"):
            if prev is not None and prev.lo is not None and pos.paragraph(prev.start) == pos.paragraph(c.start) \
                    and pos.sentence(c.start) - pos.sentence(prev.start) <= 1:
                d = prev.lo
                if c.gran == "month":
                    lo, hi = T.month_bounds(d.year, d.month)
                else:
                    lo, hi = T.year_bounds(d.year)
                out.append(_Cand(c.start, c.end, "point", lo, hi, c.gran))
            continue
        out.append(c)
        if c.lo is not None and c.kind in ("point", "range"):
            prev = c
    return out


def _holiday_date(name: str, year: int) -> Optional[_dt.date]:
    item = rules().holiday_table.get(name)
    if item is None:
        return None
    md = item.get("fixed")
    if md is None:
        md = (item.get("lunar") or {}).get(year)
    if md is None:
        return None
    try:
        return _dt.date(year, int(md[:2]), int(md[3:5]))
    except (ValueError, TypeError):
        return None


@functools.lru_cache(maxsize=1)
def _holiday_cores() -> tuple:
    """The holiday names that hold no shorter one (五一 for 五一劳动节): a text holds a name only if
    it holds one of these."""
    names = set(rules().holiday_table)
    return tuple(sorted(n for n in names if not any(o != n and o in n for o in names)))


def _holidays(t: str, pub: Optional[_dt.date], cands: list[_Cand], titles, pos: _Positions) -> list[_Cand]:
    """Holidays naming one occurrence: after a year (2024年春节, 今年“五一”), or marked by 临近/前夕/前 ….

    A year written right before the holiday (or before the first of an enumeration 2025年元旦、春节)
    is merged into it; a marker after the last of an enumeration (元旦、春节将至) marks all of it;
    otherwise the occurrence nearest to the publication date. Generic mentions (春节期间不准…) without
    a year or a marker are not dates.
    """
    R = rules()
    # every match holds a holiday name: a text without one has none (no scan of it)
    found = list(_scan(R.holidays, t)) if any(map(t.__contains__, _holiday_cores())) else []
    if not found:
        return cands
    year_end = {c.end: c for c in cands if c.gran == "year" and c.kind == "point" and not c.extra.get("non_date")}
    explicit = sorted((c.start, c.extra["year"]) for c in cands if c.extra.get("year"))
    explicit_starts = [s0 for s0, _ in explicit]
    out = list(cands)
    drop = set()
    prev_end, prev_year = -10, None
    pending: list[tuple] = []  # unmarked members of an enumeration: (start, end, name)

    def marker_year(name: str, start: int):
        # the last explicit year before ``start`` in its sentence (sentence numbers grow with offsets:
        # if the last one before ``start`` is in another sentence, so are all before it)
        k = bisect.bisect_left(explicit_starts, start)
        if k and pos.sentence(explicit_starts[k - 1]) == pos.sentence(start):
            return explicit[k - 1][1]
        if pub is None:
            return -1
        best = None
        for y in (pub.year - 1, pub.year, pub.year + 1):
            d = _holiday_date(name, y)
            if d is not None and (best is None or abs((d - pub).days) < abs((best - pub).days)):
                best = d
        return best.year if best else None

    def emit(start: int, end: int, name: str, year) -> bool:
        if year == -1:
            out.append(_Cand(start, end, "point", None, None, "day", prio=4))
            return True
        d = _holiday_date(name, year) if year else None
        if d is None:
            return False
        out.append(_Cand(start, end, "point", d, d, "day", prio=4))
        return True

    for m, m_end in found:
        if _in_spans(m.start(), m_end, titles):
            continue
        name = m.group("h")
        start = m.start("pre") if m.group("pre") else m.start()
        joined = start - prev_end <= 1 and t[prev_end:start] in ("、", "和", "及", "与", "")
        if not joined:
            pending = []
        yc = year_end.get(start)
        year = None
        if yc is not None and yc.lo is not None:
            year, start = yc.lo.year, yc.start
            drop.add(id(yc))
        elif yc is not None:
            start = yc.start
            drop.add(id(yc))
            year = -1  # a relative year without a publication date
        elif joined and prev_year is not None:
            year = prev_year
        elif m.group("pre") or m.group("suf"):
            if m.group("suf") == "前" and t.startswith("后", m_end):
                prev_end, prev_year, pending = m_end, None, []
                continue  # 春节前后: habitual timing, not one occurrence
            year = marker_year(name, start)
            for p_start, p_end, p_name in pending:  # 元旦、春节将至: the marker covers the whole list
                emit(p_start, p_end, p_name, marker_year(p_name, p_start))
            pending = []
        else:
            pending.append((m.start(), m_end, name))
            prev_end, prev_year = m_end, None
            continue
        end = m_end
        ok = emit(start, end, name, year)
        prev_end, prev_year = end, (year if ok and year != -1 else None)
    return [c for c in out if id(c) not in drop]


# --------------------------------------------------------------------------- public API


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, earliest first, longer (then higher priority) wins."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), -c.prio))
    out: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            out.append(c)
            last_end = c.end
        elif out and c.end > out[-1].end and c.prio > out[-1].prio and c.start >= out[-1].start:
            # a longer expression of higher priority that starts inside the previous one
            out[-1] = c
            last_end = c.end
    return out


def extract_dates(text: str, published: Optional[_dt.date] = None) -> list[DateMention]:
    """All time expressions of ``text`` as DateMentions, in text order (see module doc)."""
    if not text or not isinstance(text, str):
        return []
    if isinstance(published, _dt.datetime):
        published = published.date()
    try:
        return _extract(text, published)
    except Exception as exc:  # never raise on any text
        log.warning("dates: %s: %s", type(exc).__name__, exc)
        return []


def _year_ranges(t: str, pattern) -> list:
    """``pattern.finditer(t)`` for the year-range pattern, which starts with 从 or 自 and holds no
    other 从/自: matched at each 从/自 found by ``str.find`` (much faster than the engine's scan for
    the pair of characters)."""
    starts = []
    for c in "从自":
        i = t.find(c)
        while i >= 0:
            starts.append(i)
            i = t.find(c, i + 1)
    starts.sort()
    match = pattern.match
    return [m for m in map(match, itertools.repeat(t), starts) if m is not None]


def _extract(text: str, pub: Optional[_dt.date]) -> list[DateMention]:
    R = rules()
    t = T.fold(text)
    titles = [(m.start(), m.end()) for m in R.titles.finditer(t)]
    pos = _Positions(t)
    atoms = _atoms(t, pub, pos, titles)
    cands = _combine(t, atoms, pub)
    for m in _year_ranges(t, R.year_range):
        a, b = int(m.group("a")), int(m.group("b"))
        if a < b:
            cands.append(_Cand(m.start(), m.end(), "range", _dt.date(a, 1, 1), _dt.date(b, 12, 31), "year", prio=3))
    atoms_end = {c.end for c in cands}
    cands += [c for c in _word_cands(t, pub, atoms_end, pos) if not _in_spans(c.start, c.end, titles)]
    cands = _holidays(t, pub, cands, titles, pos)
    cands = _select(cands)
    cands = [c for c in cands if not c.extra.get("non_date")]
    cands = _resolve_anaphors(cands, pos)
    out = []
    for c in cands:
        lo, hi = c.lo, c.hi
        if lo is not None and hi is not None and lo > hi:
            hi = None if c.kind == "since" else hi
            if lo > (hi or lo):
                continue
        try:
            # validated here (spans, order of from/to); construct_all's instance, pydantic's
            # per-field checks skipped
            out.append(_new_date(text=text[c.start:c.end], start=c.start, end=c.end, kind=c.kind, from_=lo, to=hi,
                                 granularity=c.gran))
        except Exception as exc:  # pragma: no cover - defensive
            log.debug("dates: dropped %r: %s", text[c.start:c.end], exc)
    return out


_new_date = constructor(DateMention)


def stage(article: Article) -> None:
    article.dates = extract_dates(article.text, article.publication_date)
