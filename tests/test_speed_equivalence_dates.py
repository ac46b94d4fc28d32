"""The fast paths of the dates and measures stages (issue 10) give what the plain code gives.

Each shortcut is checked against the straightforward form it replaces, on the corpus texts
(../shared/corpus/seeds, ../shared/corpus/real and corpus/) and on random strings drawn from the
characters the rules look at (so that rare neighbourhoods — 二十世纪, 9 月, 上上个月 — are tried).
"""
from __future__ import annotations

import dataclasses
import functools
import random
import re

import pytest

from extractor import dates as D
from extractor import timeexpr as T
from tests.test_speed_equivalence import corpus_texts as shared_corpus_texts


def corpus_texts() -> tuple[str, ...]:
    """The seed and real articles and corpus/ (see tests/test_speed_equivalence.py)."""
    return shared_corpus_texts(with_repo_corpus=True)


def _alphabet() -> str:
    v = D.rules().vocab
    chars = set("0123456789〇零一二三四五六七八九十两仨年月日号世纪季度旬初中末底上下前后半个第首今去明本这"
                "代期 -./:：T至到、和及与起以来前之间止每逢当次同近过去最天多截今目现在春节元旦国庆“”《》。，\n")
    for key in ("relative_years", "relative_months", "relative_quarters", "relative_centuries",
                "bare_year_parts", "non_dates", "present_until", "present_words", "relative_days", "anaphors"):
        for w in v.get(key, []):
            chars.update(w)
    return "".join(sorted(chars))


def random_texts(n: int = 3000, seed: int = 10) -> list[str]:
    rnd = random.Random(seed)
    alpha = _alphabet()
    words = [w for key in ("relative_years", "relative_months", "relative_quarters", "bare_year_parts",
                           "non_dates", "present_words", "relative_days") for w in D.rules().vocab.get(key, [])]
    words += ["2019年", "二〇一九年", "20世纪", "二十世纪", "80年代", "九十年代", "12月", "十二月", "9 月", "31日",
              "2019-03-05", "2019/3/5", "2019.03", "20190305", "2019 03 05", "12:30", "上世纪", "十一月"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 12)):
            if rnd.random() < 0.4:
                parts.append(rnd.choice(words))
            else:
                parts.append("".join(rnd.choice(alpha) for _ in range(rnd.randint(1, 4))))
        out.append("".join(parts))
    return out


def dense_texts(n: int = 30000, seed: int = 11) -> list[str]:
    """Short strings over the characters of numeric dates only (9世纪, 十 月, 二〇一九年, 3季度 …)."""
    rnd = random.Random(seed)
    alpha = "0123456789一二三四五六七八九十〇零两年月日号世纪季度代 -./上下本今去前后半个第首初末底中旬"
    return ["".join(rnd.choice(alpha) for _ in range(rnd.randint(2, 9))) for _ in range(n)]


@functools.lru_cache(maxsize=1)
def _all_texts():
    return [T.fold(t) for t in corpus_texts()] + random_texts() + dense_texts()


# ---------------------------------------------------------------------------- dates

def test_atom_pair_lead_finds_what_the_one_character_lead_finds():
    R = D.rules()
    plain = re.compile(D._lead(D._DIGITS, "年第首", *D._atom_lead_words(R.vocab)) + "(?:" + R.atom_body + ")",
                       re.X)
    for t in _all_texts():
        assert [m.span() for m in R.atom.finditer(t)] == [m.span() for m in plain.finditer(t)], t


def test_flat_word_alternation_matches_the_grouped_one():
    R = D.rules()
    v = R.vocab
    fams = [("non", v.get("non_dates", [])), ("until", v.get("present_until", [])),
            ("present", v.get("present_words", [])), ("rday", v.get("relative_days", {})),
            ("ana", v.get("anaphors", {}))]
    grouped = re.compile("|".join(f"(?P<{f}>{D._alt(ws)})" for f, ws in fams))
    for t in _all_texts():
        want = [(m.span(), m.lastgroup) for m in grouped.finditer(t)]
        got = [(m.span(), R.word_family[m.group()]) for m in R.words.finditer(t)]
        assert got == want, t


def test_sentence_ends_match_the_plain_pattern():
    plain = re.compile(r"[。！？!?；;\n\u3000]|(?<=[^\x00-\x7f])[ \t]+")
    extra = ["a  b", "中  文 x\t\t中", "。  。", "\u3000 \u3000", " 中 ", "中\t \t"]
    for t in _all_texts() + extra:
        assert [m.end() for m in D.rules().sentence_end.finditer(t)] == [m.end() for m in plain.finditer(t)], t


def _scanned(pattern, t):
    return [((m.start(), end), m.groups()[:-1]) for m, end in D._scan(pattern, t)]


def test_recent_matches_with_a_prefix_or_suffix_are_those_of_the_whole_text_search():
    R = D.rules()
    plain = re.compile(D._lead(D._DIGITS, R.vocab.get("recent_prefixes", [])) + "(?:" + R.recent_body + ")", re.X)
    extra = ["近3年来", "近三年来", "过去5年", "最近两个月来", "3年5年来", "近２年来", "近٣年来", "去年以来", "三年多来近",
             "近近3年", "来3年", "过去过去3天", "十年来十年来", "3个半月来", "两年半以来"]

    def kept(ms):
        return [(m.span(), m.groups()) for m in ms if m.group("rp") or m.group("rs")]

    for t in _all_texts() + extra + dense_recent_texts():
        assert kept(m for m, _ in D._recent_matches(t, R)) == kept(plain.finditer(t)), t
        assert all(m.end() == e for m, e in D._recent_matches(t, R))


def test_recent_gate_drops_no_trigger_that_ends_a_kept_match():
    """A trigger kept out by _recent_gate_open (no number after a prefix, no unit or 多/半 before a
    suffix) ends neither the prefix nor the suffix of a match the whole-text search finds."""
    R = D.rules()
    gate = D._recent_gate()
    assert gate is not None   # else the shortcut is silently off
    plain = re.compile(D._lead(D._DIGITS, R.vocab.get("recent_prefixes", [])) + "(?:" + R.recent_body + ")", re.X)
    for t in _all_texts() + dense_recent_texts():
        for m in plain.finditer(t):
            for g in ("rp", "rs"):
                if m.group(g):
                    i = m.end(g) - 1
                    assert D._recent_gate_open(t, i, t[i], gate), (t, g)


def dense_recent_texts(n: int = 30000, seed: int = 12) -> list[str]:
    rnd = random.Random(seed)
    alpha = "0123456789一二两三四五六七八九十仨〇个多半年月天近过去最以来的x 。٣"
    return ["".join(rnd.choice(alpha) for _ in range(rnd.randint(2, 12))) for _ in range(n)]


def test_holiday_pattern_matches_the_plain_one():
    import regex

    from extractor.resources import load_yaml

    R = D.rules()
    h = load_yaml("dates/holidays.yaml")
    names = [n for x in h.get("holidays", []) for n in x["names"]]
    plain = regex.compile(D._lead(h.get("holiday_prefixes", []), "“\"‘", names) + R.holidays_body)
    extra = ["临近“五一”", "“春节”前", "临近春节", "‘国庆’假期将至", "“中秋节”当天", "中“秋", "临“近"]
    for t in _all_texts() + extra:
        assert _scanned(R.holidays, t) == [(m.span(), m.groups()) for m in plain.finditer(t)], t


def test_year_range_in_re_matches_regex():
    import regex

    R = D.rules()
    plain = regex.compile("(?=[从自])" + R.year_range.pattern)
    extra = ["从2013-2024年", "自2013至2024", "从 2013 到 2024", "自2019—2018年", "从2013——2024年"]
    for t in _all_texts() + extra:
        assert [m.span() for m in R.year_range.finditer(t)] == [m.span() for m in plain.finditer(t)], t


SMALL = ["left_enum_year", "left_range_year", "left_enum_month", "left_range_month", "left_range_day",
         "blocked_left", "future_left"]          # searched on the few characters before an atom
SMALL_AT = ["right_day", "right_year", "right_present", "future_right"]   # matched right after one


def test_small_patterns_in_re_match_regex():
    import regex

    R = D.rules()
    rx = {n: regex.compile(getattr(R, n).pattern) for n in SMALL + SMALL_AT + ["titles"]}
    extras = ["2017、2018、2019年", "1至9月份", "2016-2018年", "21至23日", "每年9月", "第3日", "到12月底",
              "至10 - 12月", "2013年至\n", "1、2、3月\n", "九号到十五号", "2008.03-2009", "去年到现在"]
    for t in _all_texts()[:3000] + extras:
        for i in range(0, len(t) + 1, 1 if len(t) < 200 else 3):
            left = t[max(0, i - 12):i]
            for n in SMALL:
                a, b = getattr(R, n).search(left), rx[n].search(left)
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (n, left)
            for n in SMALL_AT:
                a, b = getattr(R, n).match(t, i), rx[n].match(t, i)
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (n, t[i:i + 12])
        assert [m.span() for m in R.titles.finditer(t)] == [m.span() for m in rx["titles"].finditer(t)]


def test_atom_alternative_from_last_group():
    """``_atom_from_match`` picks the alternative from ``m.lastgroup`` (was: the first non-empty
    alternative group, tested in pattern order)."""
    R = D.rules()
    order = ["cp", "sp", "dm", "dec", "cent", "qrel", "ts", "sl", "ymd", "mrel", "bm_all", "bday_all", "byp_all"]
    for t in _all_texts():
        for m in R.atom.finditer(t):
            first = next((k for k in order if m.group(k)), None)
            assert D._ATOM_TAIL_GROUPS.get(m.lastgroup, m.lastgroup) == first, (t, m)


# ---------------------------------------------------------------------------- measures

def test_measure_patterns_in_re_match_regex():
    """The measures patterns compiled with stdlib re find what the same patterns find in regex."""
    import regex

    from extractor import measures as M

    r = M.rules()
    scan = ["doc_title", "quote", "named_kind_at", "link_kind_at", "group_next", "group_kind_at", "frame_after",
            "bad_tail", "problem_words", "unquoted_kind", "unquoted_cue", "generic", "fixed_re"]
    rx = {n: regex.compile(getattr(r, n).pattern) for n in scan + ["formula_shape", "title_note"]}
    # unquoted_kind spells regex's \s out for re
    rx["unquoted_kind"] = regex.compile(getattr(r, "unquoted_kind").pattern.replace(M._WS, r"\s"))
    extra = ["“A”“B”等方式", "制定了《关于X的意见(试行)》", "“1+X”轮流接访模式", "“镇案镇办”的原则", "建立健全工作细则\x1c",
             "制度\u2028", "制度\x1f", "实施方案 ", "细则"]
    texts = list(corpus_texts()) + extra + random_texts(500)
    for t in texts:
        for n in scan:
            a = [(m.span(), m.groups()) for m in getattr(r, n).finditer(t)]
            b = [(m.span(), m.groups()) for m in rx[n].finditer(t)]
            assert a == b, (n, t[:80])
        for m in rx["quote"].finditer(t):
            q = m.group(1)
            assert bool(r.formula_shape.search(q)) == bool(rx["formula_shape"].search(q))
            assert M._has_han(q) == bool(M._HAN.search(q))
            after = t[m.end(): m.end() + 24]
            if r.gap_kind_at.match(after):
                assert r.gap_hint.match(after)
        for m in rx["doc_title"].finditer(t):
            a, b = r.title_note.search(m.group(1)), rx["title_note"].search(m.group(1))
            assert (a and a.span()) == (b and b.span())


def _quoted_plain(text, blocked):
    """measures._quoted as it was: every quote of ``quote`` judged by classify_quote."""
    from extractor import measures as M

    r = M.rules()
    starts = [b[0] for b in blocked]
    accepted = set()
    for m in r.quote.finditer(text):
        if m.group(1) in accepted or M._inside(m.start(), blocked, starts):
            continue
        got = M.classify_quote(text, m.start(1), m.end(1))
        if got:
            accepted.add(m.group(1))
            name, kind, form, end = got
            yield m.start(), end, name, kind, form


def test_measure_quote_scan_skips_only_quotes_that_cannot_be_names():
    from extractor import measures as M

    r = M.rules()
    extra = ["“A，B”制度“C”制度", "「甲乙」制度“丙丁”机制", "“四风”“一，二”“三访合一”", "“a”", "“一二三：四”工作法"]
    for t in list(corpus_texts()) + extra:
        blocked = [m.span() for m in r.doc_title.finditer(t)]
        assert list(M._quoted(t, blocked)) == list(_quoted_plain(t, blocked)), t[:80]


def test_year_ranges_at_each_cue_match_finditer():
    R = D.rules()
    extra = ["从2013-2024年", "自2013至2024", "从自2013到2024", "从2013到2014从2015到2016", "自从2013至2014"]
    for t in _all_texts() + extra:
        assert [(m.span(), m.groups()) for m in D._year_ranges(t, R.year_range)] == \
            [(m.span(), m.groups()) for m in R.year_range.finditer(t)], t


def test_measure_name_key_table_matches_the_regex():
    from extractor import measures as M

    for cp in range(0x110000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        assert M.name_key("a" + ch + "b") == M._QUOTE_STRIP.sub("", "a" + ch + "b"), hex(cp)


def test_measure_mentions_built_without_validation_equal_validated_ones():
    from extractor import measures as M
    from extractor.models import MeasureMention

    for t in corpus_texts():
        for mm in M.extract_measures(t):
            v = MeasureMention(text=mm.text, start=mm.start, end=mm.end, name=mm.name, kind=mm.kind, form=mm.form)
            assert mm == v and mm.model_dump_json() == v.model_dump_json()
            assert list(mm.__dict__) == list(v.__dict__)


def test_atom_start_scan_finds_what_the_plain_search_finds():
    R = D.rules()
    plain = re.compile(D._lead(D._DIGITS, "年第首", *D._atom_lead_words(R.vocab)) + "(?:" + R.atom_body + ")",
                       re.X)
    for t in _all_texts():
        assert [(m.span(), m.groups()) for m in D._atom_matches(t, R)] == \
            [(m.span(), m.groups()) for m in plain.finditer(t)], t


def test_measure_suffix_lookup_by_last_character():
    from extractor import measures as M

    r = M.rules()
    sets = [r.doc_kind, r.work_cue, r.named_kind_end, r.cue_before, r.organ_before, r.org_end, r.bad_end]
    samples = [t[i:i + n] for t in corpus_texts()[:40] for i in range(0, len(t), 7) for n in (0, 1, 3, 8)]
    for sx in sets:
        for w in sx.words:
            samples += [w, "x" + w, w[1:], w + "x"]
    for sx in sets:
        for s in samples:
            plain = next((w for w in sx.words if s.endswith(w)), None)
            got = sx.search(s)
            assert (got and got.group(0)) == plain, (s, plain, got)


def test_context_prefilters_only_skip_positions_where_nothing_matches():
    """_combine tries the right_* patterns only before a separator, _left_extension its patterns
    only after one (see ``joined`` and ``_left_joiners``)."""
    R = D.rules()
    seps = frozenset(w[0] for w in R.vocab["range_separators"]) | {"至", "到"}
    joiners = D._left_joiners()
    extras = ["2019年至 2020", "3月9日 到十五号", "去年 到现在", "2017、2018年", "1至9月\n", "21至 \n", "1 至 9月"]
    for t in _all_texts()[:3000] + extras:
        for i in range(len(t) + 1):
            nxt = t[i:i + 1]
            if nxt == " ":
                nxt = t[i + 1:i + 2]
            if nxt not in seps:
                for name in ("right_day", "right_year", "right_present"):
                    assert getattr(R, name).match(t, i) is None, (name, t[i:i + 10])
            left = t[max(0, i - 12):i]
            core = left[:-1] if left.endswith("\n") else left
            tail = core[-1:] if core[-1:] != " " else core[-2:-1]
            if tail not in joiners:
                for name in ("left_range_year", "left_enum_year", "left_range_month", "left_enum_month",
                             "left_range_day"):
                    assert getattr(R, name).search(left) is None, (name, left)


def test_measure_quote_precheck_only_skips_rejected_quotes(monkeypatch):
    """classify_quote's cheap _may_name test never turns away a quote the full judgement takes."""
    from extractor import measures as M

    r = M.rules()
    extra = ["以“四种形态”为抓手", "运用“四种形态”", "县纪委监委“巡回接访进乡村”", "“六统一”", "“1+X”轮流接访模式",
             "“镇案镇办”的原则", "“A”“B”等方式", "“A”、“B”等做法", "“四基攻坚行动”", "“小切口”调研式监督", "“好”",
             "以“阳光监督”为抓手推进", "以“阳光问政”为契机"]
    calls = [(t, m.start(1), m.end(1)) for t in list(corpus_texts()) + extra for m in r.quote.finditer(t)]
    fast = [M.classify_quote(*c) for c in calls]
    monkeypatch.setattr(M, "_may_name", lambda *a: True)
    assert fast == [M.classify_quote(*c) for c in calls]


def _cued_plain(text, open_pos, qe):
    """measures._cued as it was: the three cue tests on the 8 characters before the quote."""
    from extractor import measures as M

    r = M.rules()
    before = text[max(0, open_pos - 8): open_pos]
    if r.cue_before.search(before) or r.organ_before.search(before):
        return True
    return bool(before.endswith(r.frame_before) and r.frame_after.match(text, qe + 1, qe + 8))


def test_measure_cue_precheck_only_skips_quotes_without_a_cue():
    """_cued turns a quote away by the character before it only where the three tests fail."""
    from extractor import measures as M

    r = M.rules()
    extra = ["以“四种形态”为抓手", "运用“四种形态”", "县纪委监委“巡回接访进乡村”", "“六统一”", "以“阳光问政”为契机"]
    extra += [w + "“甲乙”" for w in r.cue_before.words + r.organ_before.words] + ["“甲”"]
    n = 0
    for t in list(corpus_texts()) + extra:
        for m in r.quote.finditer(t):
            got = M._cued(t, m.start(), m.end(1))
            assert got == _cued_plain(t, m.start(), m.end(1)), t[max(0, m.start() - 8):m.end()]
            n += got
    assert n > len(extra) - 2  # the cues are found


def test_measure_quote_judged_once_for_what_its_words_rule_out():
    """classify_quote = _turned_away, then _judge; _quoted asks _turned_away once per distinct quote
    (its answer depends on the quote's words only)."""
    from extractor import measures as M

    r = M.rules()
    for t in corpus_texts():
        for m in r.quote.finditer(t):
            q = t[m.start(1):m.end(1)].strip()
            plain = None if M._turned_away(r, q) else M._judge(r, t, m.start(1), m.end(1), q)
            assert M.classify_quote(t, m.start(1), m.end(1)) == plain


def test_sentence_ends_found_by_branch_match_the_pattern():
    """_sentence_ends (marks by str.find, runs of spaces by a space-led pattern) = sentence_end."""
    extra = ["a  b", "中  文 x\t\t中", "。  。", "\u3000 \u3000", " 中 ", "中\t \t", "中 ", "中\n 中;  ", "", " ", "a 中  "]
    for t in _all_texts() + extra:
        assert D._sentence_ends(t) == [m.end() for m in D.rules().sentence_end.finditer(t)], t


def test_holiday_scan_skipped_only_on_texts_without_a_holiday_name():
    R = D.rules()
    cores = D._holiday_cores()
    assert all(any(c in n for c in cores) for n in R.holiday_table)
    for t in _all_texts():
        if not any(c in t for c in cores):
            assert not list(D._scan(R.holidays, t)), t


def test_prefix_suffix_and_blocked_prechecks_only_skip_positions_without_a_word():
    """_combine looks for prefix (suffix) words only next to one of their last (first) characters,
    _atoms tries ``blocked_left`` only when its text ends in one of ``_blocked_lasts``."""
    R = D.rules()
    W = D._sorted_words()
    _, _, _, pre_lasts, suf_firsts = D._combine_tables()
    bl = D._blocked_lasts()
    extras = ["每\n2019年", "每年\n3月", "逢 5日", "自2019年起", "截至2019年底前", "2019年以来", "第\n"]
    for t in _all_texts()[:3000] + extras:
        for i in range(len(t) + 1):
            if pre_lasts is not None and not (i > 0 and t[i - 1] in pre_lasts):
                for k in D._PREFIX_KEYS:
                    assert W[k].ending_at(t, i) is None, (k, t[max(0, i - 5):i])
            if suf_firsts is not None and t[i:i + 1] not in suf_firsts:
                for k in D._SUFFIX_KEYS:
                    assert W[k].starting_at(t, i) is None, (k, t[i:i + 5])
            left = t[max(0, i - 3):i]
            if bl is not None and not (left[-1:] in bl or (left[-1:] == "\n" and left[-2:-1] in bl)):
                assert R.blocked_left.search(left) is None, left


def test_days_in_month_is_monthrange_without_the_weekday():
    import calendar

    for year in list(range(1, 2200)) + [0, -1, -400, 9999, 10000, 123456]:
        for month in range(-1, 15):
            try:
                want = calendar.monthrange(year, month)[1]
            except Exception as exc:  # noqa: BLE001 - the same exception type is expected
                with pytest.raises(type(exc)):
                    T.days_in_month(year, month)
                continue
            assert T.days_in_month(year, month) == want, (year, month)


def _may_name_texts(n: int = 4000, seed: int = 12) -> list[str]:
    """Random strings around quotes: the characters _may_name looks at (cue, organ and frame word
    endings before the quote, numerals, kind-word endings, spaces, kind words and their first
    characters after it), quotes, marks and line breaks."""
    from extractor import measures as M

    r = M.rules()
    ends, frame, kind_lasts = (set(r.cue_before.by_last) | set(r.organ_before.by_last), r.frame_before,
                               set(r.named_kind_end.by_last))
    chars = sorted(ends | kind_lasts | set(r.follow_firsts) | set(frame)) + list("“”「」\n ,。:\u3000\x1c\u2028甲乙丙31+")
    words = ["制度", "模式", "工作法", "的原则", "等方式", "“甲”", "“1+X”", "机制", "以", "运用", "纪委监委", "行动"]
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 10)):
            parts.append(rnd.choice(words) if rnd.random() < 0.3 else "".join(rnd.choice(chars) for _ in range(rnd.randint(1, 5))))
        out.append("".join(parts))
    # the quoted words as stripped decide (spaces at either end): a numeral or a kind word's last
    # character behind them
    out += ["甲“ 六统一”乙", "甲“\u3000三访合一 ”乙", "甲“ 1+X\x1c”乙", "甲“ 清单制 ”乙", "甲“清单制\u2028”乙", "“ 甲 ”",
            "甲「 六统一」乙", "“ ”甲", "“\n3”甲", "“甲制\n”甲", "“甲制”"]
    # excluded phrases (problem labels, slogans …) alone, with spaces, inside longer words, cut short
    for w in sorted(M.rules().excluded)[:40]:
        out += [f"以“{w}”制度", f"以“ {w}\u3000”制度", f"以“{w}甲”制度", f"以“甲{w}”制度", f"以“{w[:-1]}”制度", f"以「{w}」制度"]
    return out
    return out


def test_measure_quotes_may_name_pattern_finds_what_may_name_lets_through():
    """The quote pattern with _may_name's tests in it (quote_may_name and its curly-quote form) finds
    the quotes of the plain pattern that _may_name lets through and whose words are not an excluded
    phrase (which _turned_away turns away), with the same words; _quoted
    gives what it gave with the plain pattern and _may_name per quote."""
    from extractor import measures as M

    r = M.rules()
    assert r.quote_may_name is not None and r.quote_may_name_curly is not None   # the patterns apply
    n = 0
    for t in list(corpus_texts()) + _may_name_texts():
        for plain, fast in ((r.quote_named, r.quote_may_name), (r.quote_named_curly, r.quote_may_name_curly)):
            want = [(m.span(), m.span(1)) for m in plain.finditer(t)
                    if M._may_name(r, t, m.start(1), m.end(1), m.group(1).strip()) and m.group(1).strip() not in r.excluded]
            got = [(m.span(), m.span("q")) for m in fast.finditer(t)]
            assert got == want, t
            n += len(got)
    assert n > 2000


def test_measure_quoted_with_may_name_pattern_same_as_plain(monkeypatch):
    from extractor import measures as M

    r = M.rules()
    texts = list(corpus_texts()) + _may_name_texts(1500)
    blocked = [[m.span() for m in r.doc_title.finditer(t)] for t in texts]
    fast = [list(M._quoted(t, b)) for t, b in zip(texts, blocked)]
    monkeypatch.setattr(M, "rules", lambda: dataclasses.replace(r, quote_may_name=None, quote_may_name_curly=None))
    assert fast == [list(M._quoted(t, b)) for t, b in zip(texts, blocked)]
    assert sum(map(len, fast)) > 100
