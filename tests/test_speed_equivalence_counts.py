"""The fast paths of the counts and numbers stages (issue 10) give what the plain code gives.

Each shortcut is checked against the computation it replaces, on the corpus texts (see
tests/test_speed_equivalence.py), on hand-made edge cases and on random strings of the characters
that matter:

- numbers: the numeral scan's first-character class and lookbehinds (vs. the plain pattern), the one-regex
  unit test after a run (vs. the ``_may_have_unit`` loop), qualifier lookup on pre-grouped words
  (vs. ``_match_word``), the last-character test before prefix qualifiers, the per-run reading memo
  (cold vs. warm), the range-gap shortcut (vs. strip + ``in``), match_unit's prebuilt answers;
- counts: boundaries by forward/backward search with the last answer kept, and a list item taken
  as its clause when the clause has no 、 (vs. bisect on the mark lists); stop words as one regex
  (vs. a str.find per stop word); wording matches from one Aho-Corasick pass (vs. an overlapped
  finditer per wording); the label-strip prefilter (vs. always running the regex); slogan spans
  from one pattern per kind of quotes (vs. the combined pattern); the one-character test before
  the bare-indefinite slice; the "exact" shortcut of find_quantities when no qualifier was read;
  the trailing-comma test of find_numbers only on a shortened run; the plain patterns (gapped
  wordings, the text after a number, the digit test) on stdlib re (vs. the regex module); the
  endswith test over an indicator's object wordings before the per-word loop;
- round 3: the numeral scan with the unit-ahead test inside the pattern (vs. _NUM_RE and a match
  per run), _tail_at with its lookups inline (vs. the _match_first/match_unit calls);
- round 4: the runs no unit can follow dropped by a C-level filter when the text has no 分之 (vs.
  the loop over every match); is_blocked with the fixed phrases found in windows around the numbers
  and titles/slogans at the last opening marks before the number (vs. any overlap with the
  whole-text blocked spans); quantity rows with the 、-list sharing on rows (vs. _plain_share_list_units
  on Quantity objects), the tests on a row before its Quantity is built (what is_count says).
"""
from __future__ import annotations

import random
import re

import pytest
import regex

from extractor import counts as C
from extractor import numbers as N
from tests.test_speed_equivalence import corpus_texts

HAND = ["", "3", "百分之四十", "约3万余人", "1-3名、4至5件", "一二三。四,五;六\n七!", "查处5人、3起;处分2人。\n\n另有4件",
        "5 余 万元", "十余个", "近百名", "最近3年", "超过300人次以上", "，，。。", "《条例》第3条“两个维护”"]


def _fuzz(n: int = 400) -> list[str]:
    rnd = random.Random(10)
    alphabet = "0123456789０１一二两三十百千万亿余多来许-至、，。；\n人件个名元%《》“”第约近超过最 起次项"
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(n)]


def _texts():
    return list(corpus_texts()) + HAND + _fuzz()


# ---------------------------------------------------------------------------- numbers

# the numeral scan as it was written before its first-character class and lookbehinds (round 3)
_PLAIN_NUM_RE = re.compile(
    r"""(?:
        [0-9０-９]+(?:,[0-9]{3}(?![0-9])|[,，][０-９]{3}(?![０-９]))*(?:[.．][0-9０-９]+)?
        (?:[十百千万亿萬億]+(?:[0-9０-９]+[十百千万亿萬億]+)*)?
      | [.．][0-9０-９]+
      | [零〇○一二两兩倆三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾百佰千仟万萬亿億]+
        (?:[点點][零〇○一二三四五六七八九]+[万萬亿億]*)?
    )""",
    re.X,
)


def test_numeral_scan_first_class_changes_no_match():
    """The scan opens with a plain class (re's charset scan) and picks its branch by lookbehind:
    the same runs as the plain alternation."""
    from re import _parser

    assert _parser.parse(N._NUM_RE.pattern, re.X).data[0][0] is _parser.IN
    extra = ["1,000,000.5万", "１，２３４．５", ".5", "．５个", "..5", "3点五亿", "二点五万", "1,23", "十二点",
             "3.", "5千3百", "百分之三十", "壹佰贰拾", "１2３"]
    rnd = random.Random(11)
    digits = "0123456789０１２３４５６７８９.．,，零〇○一二两三十百千万亿萬億点點 人"
    fuzz = ["".join(rnd.choice(digits) for _ in range(rnd.randint(1, 25))) for _ in range(3000)]
    for text in _texts() + extra + fuzz:
        assert [m.span() for m in N._NUM_RE.finditer(text)] == [m.span() for m in _PLAIN_NUM_RE.finditer(text)], text
        for pos in range(0, len(text), 3):
            a, b = N._NUM_RE.match(text, pos), _PLAIN_NUM_RE.match(text, pos)
            assert (a and a.span()) == (b and b.span())


def test_unit_ahead_regex_same_as_loop():
    lead = N._unit_lead_chars()
    rx = N._unit_ahead_rx()
    for text in _texts():
        for end in range(len(text) + 1):
            assert (rx.match(text, end) is not None) == N._may_have_unit(text, end, lead), (text[end:end + 6])


def test_grouped_qualifier_lookup_same_as_match_word():
    q = N._qualifiers()
    for text in _texts()[:20] + HAND + _fuzz(100):
        for pos in range(len(text) + 1):
            for key in ("middle", "suffix", "prefix"):
                grouped = N._group_by_first(q[key])
                assert N._match_first(text, pos, grouped) == N._match_word(text, pos, q[key])


def _plain_prefix_qualifier(text: str, start: int):
    q = N._qualifiers()
    for n in q["prefix_lens"]:
        if start < n:
            continue
        w = text[start - n:start]
        kind = q["prefix_map"].get(w)
        if kind is None:
            continue
        before = text[start - n - 1] if start - n - 1 >= 0 else ""
        if w in q["blockers"] and before in q["blockers"][w]:
            continue
        return w, kind
    return None


def test_prefix_qualifier_same_as_plain_loop():
    for text in _texts():
        for start in range(len(text) + 1):
            assert N._prefix_qualifier(text, start) == _plain_prefix_qualifier(text, start)


# ---------------------------------------------------------------------------- counts


@pytest.mark.parametrize("order", ["forward", "shuffled"])
def test_searched_bounds_same_as_bisect_on_mark_lists(order):
    rnd = random.Random(3)
    for text in _texts():
        lay = C._Layout(text)
        n = len(text)
        positions = list(range(n + 1))
        if order == "shuffled":
            rnd.shuffle(positions)
        for pos in positions:
            assert lay.sentence(pos) == C._Layout._bounds(lay.sent, pos, n)
            assert lay.clause_of(pos) == C._Layout._bounds(lay.clause, pos, n)
            assert lay.segment(pos) == C._Layout._bounds(lay.seg, pos, n)


def _plain_object_after(text: str, pos: int, seg_end: int):
    m = C._OBJECT_RX.match(text, pos, seg_end)
    if not m:
        return None
    obj = m.group()
    cut = len(obj)
    for stop in C._label_cfg()["stops"]:
        k = obj.find(stop)
        if 0 <= k < cut:
            cut = k
    obj = obj[:cut].replace("“", "").replace("”", "").replace('"', "")
    return obj if len(obj) >= 1 else None


def test_object_after_stop_regex_same_as_find_loop():
    for text in _texts():
        lay = C._Layout(text)
        for pos in range(len(text)):
            seg_end = lay.segment(pos)[1]
            assert C._object_after(text, pos, seg_end) == _plain_object_after(text, pos, seg_end)


def _plain_raw_hits(text: str, cs: int, ce: int):
    """Every wording match of a clause, by a substring test and an overlapped finditer per wording,
    stably sorted by start and length (the hits _clause_hits filters further)."""
    _, words = C._taxonomy()
    chunk = text[cs:ce]
    hits = []
    for w in words:
        if w.first in chunk:
            # the regex module's overlapped finditer (the wording patterns themselves are stdlib re)
            for m in regex.compile(w.rx.pattern).finditer(chunk, overlapped=True):
                hits.append((w.key, cs + m.start(), cs + m.end(), m.group(), w.gap, w.priority))
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1])))
    return hits


def _raw_hits(text: str, cs: int, ce: int):
    """The same from _clause_hits, with its two filters switched off."""
    inds, _ = C._taxonomy()
    saved = {k: v.exclude for k, v in inds.items()}
    try:
        for v in inds.values():
            v.exclude = ()
        hits = C._clause_hits(text, cs, ce)
    finally:
        for k, v in inds.items():
            v.exclude = saved[k]
    return hits


CLAUSE_CASES = ["查处违纪问题5起", "查处5起", "发现问题线索3条", "处置问题线索12件,受理信访举报3件", "查纠问题查纠",
                "受理群众信访举报线索", "移送司法机关处理17人"]


def test_clause_hits_same_as_finditer_per_wording():
    n = 0
    for text in list(corpus_texts()) + CLAUSE_CASES + HAND + _fuzz(200):
        lay = C._Layout(text)
        marks = [-1] + lay.clause + [len(text)]
        for a, b in zip(marks, marks[1:]):
            plain = _plain_raw_hits(text, a + 1, b)
            # with the filters on, hits are a filtered subsequence of the plain list
            got = [(h.key, h.start, h.end, h.text, h.gap, h.priority) for h in C._clause_hits(text, a + 1, b)]
            it = iter(plain)
            assert all(h in it for h in got)
            n += bool(plain)
    assert n > 500


def test_clause_hits_unfiltered_same_as_finditer_per_wording():
    for text in list(corpus_texts()) + CLAUSE_CASES:
        lay = C._Layout(text)
        marks = [-1] + lay.clause + [len(text)]
        for a, b in zip(marks, marks[1:]):
            got = [(h.key, h.start, h.end, h.text, h.gap, h.priority) for h in _raw_hits(text, a + 1, b)]
            plain = _plain_raw_hits(text, a + 1, b)
            # the containment filter still runs: compare with it applied to the plain list
            assert got == _contained_filter(plain)


def _contained_filter(hits):
    out = []
    for h in hits:
        if any(o is not h and not o[4] and o[1] <= h[1] and h[2] <= o[2] and (o[2] - o[1]) > (h[2] - h[1])
               and o[0] != h[0] for o in hits):
            continue
        out.append(h)
    return out


def _plain_label_before(text: str, start: int, end: int):
    cfg = C._label_cfg()
    s = text[max(start, end - C.LABEL_WINDOW):end].strip()
    s = cfg["strip"].sub("", s).strip("“”\"'‘’ 　")
    if len(s) > cfg["max"]:
        s = s[-cfg["max"]:]
    return s or None


def test_label_before_prefilter_same_as_plain_sub():
    words = list(C._label_cfg()["strip_start"] + C._label_cfg()["strip_end"])
    cases = [a + "查处" + b for a in words[:5] + [""] for b in words[-5:] + [""]]
    for text in list(corpus_texts()) + cases + HAND:
        lay = C._Layout(text)
        for end in range(len(text) + 1):
            start = lay.segment(end)[0] if end < len(text) else 0
            assert C._label_before(text, start, end) == _plain_label_before(text, start, end)


def test_read_core_memo_same_cold_and_warm():
    texts = list(corpus_texts()[:10]) + HAND + _fuzz(200)
    N._READ.clear()
    N._PARSED.clear()
    cold = [N.find_numbers(t) for t in texts]
    warm = [N.find_numbers(t) for t in texts]
    assert cold == warm
    for core, (chinese, rng, v, k) in list(N._READ.items())[:2000]:
        assert chinese == (not N._CN_CHAR_SET.isdisjoint(core))
        if rng is None and not k:
            assert v == (N.parse_numeral(core) if len(core) <= N.MAX_NUMERAL_CHARS else None)


def _plain_blocked_spans(text: str):
    nc = C._not_counts()
    spans = [(m.start(), m.end()) for m in C._TITLE_RX.finditer(text)]
    for m in C._slogan_rx().finditer(text):
        inner = m.group(1) or m.group(2) or m.group(3) or ""
        if not C._SLOGAN_BREAK_RX.search(inner):
            spans.append((m.start(), m.end()))
    if nc["ac"] is not None and text:
        for _, s, e in nc["ac"].find_matches_as_indexes(text):
            if s > 0 and text[s - 1] in C._NUMERAL_CHARS:
                continue
            spans.append((s, e))
    return sorted(spans)


def test_blocked_spans_same_as_plain_loops():
    cases = ["“两个维护”", "“一，二”与‘三’「四」", "《关于3个问题的通知》", "十四处“四处”"]
    rnd = random.Random(5)
    quoted = ["".join(rnd.choice("“”‘’「」两个维护一，\n") for _ in range(rnd.randint(0, 60))) for _ in range(3000)]
    for text in list(corpus_texts()) + cases + HAND + _fuzz(200) + quoted:
        assert C._Layout._blocked_spans(text) == _plain_blocked_spans(text)


def test_match_unit_answers_same_as_table():
    table, _ = N._unit_table()
    for w, (cls, canon) in table.items():
        assert N.match_unit(w, 0)[1:] == (cls, canon) or len(N.match_unit(w, 0)[0]) > len(w)


def test_range_gap_shortcut_same_as_strip():
    """find_quantities skips the copy of a gap too long to be a separator: same answer as strip + in."""
    q = N._qualifiers()
    seps, seps_max = q["range"], q["range_max"]
    spaced = ["1 - 3名", "1　至　3人", "5-10万元", "两至三万", "1--3个", "1 -- 3个", "3　 —— 　5件", "2 3"]
    for text in list(corpus_texts()) + spaced + HAND + _fuzz(300):
        toks = N.find_numbers(text)
        for t, nxt in zip(toks, toks[1:]):
            plain = text[t.end:nxt.start].strip(" 　") in seps
            short = not (nxt.start - t.end > seps_max and text[t.end] not in " 　"
                         and text[nxt.start - 1] not in " 　")
            assert plain <= short  # the shortcut never skips a separator


def test_bare_indefinite_length_test_same_as_slice():
    """_bare_indefinite looks at the numeral only when it is one character: same as the slice test."""
    layout_free = list(corpus_texts()) + HAND + _fuzz(300) + ["一名", "二级", "壹件", "-一人", "一二人", "约一人"]
    for text in layout_free:
        for q in N.find_quantities(text):
            plain = (q.approx != "range" and text[q.num_start:q.num_end] in ("一", "壹", "二", "贰", "貳")
                     and not q.prefix)
            assert C._bare_indefinite(text, q) == plain, (text, q)


def test_approx_shortcut_same_as_approx_of():
    """find_quantities calls _approx_of only when a qualifier was read: with none it gives "exact"."""
    assert N._approx_of(None, None, None) == "exact"
    for words in (N._qualifiers()["prefix"], N._qualifiers()["middle"], N._qualifiers()["suffix"]):
        assert all(w for w, _ in words)  # every qualifier match is a non-empty (truthy) tuple


def test_whole_numeral_run_never_ends_with_comma():
    """find_numbers tests for a trailing comma only on a run shortened to the prefix that parsed:
    a whole run of the scan never ends with one."""
    for text in _texts() + ["1,000,", "1，０００，", "3,00,", "1,000万,", "１，２３４，"]:
        for m in N._NUM_RE.finditer(text):
            assert not m.group().endswith((",", "，")), (text, m.group())


def test_stdlib_patterns_same_as_regex_module():
    """The plain patterns moved from the regex module to stdlib re (less per call) find the same."""
    _, words = C._taxonomy()
    pairs = [(C._AFTER_RX, regex.compile(C._AFTER_RX.pattern)), (C._DIGIT_RX, regex.compile(C._DIGIT_RX.pattern))]
    gapped = [(w.first, w.rx, regex.compile(w.rx.pattern)) for w in words if w.gap]
    assert gapped and all(isinstance(w.rx, re.Pattern) for w in words)
    assert all(isinstance(rx, re.Pattern) for rx, _ in pairs)
    for text in list(corpus_texts())[:200] + CLAUSE_CASES + HAND + _fuzz(200):
        for a, b in pairs:
            assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
            for pos in range(0, len(text), 7):
                ma, mb = a.match(text, pos, pos + 8), b.match(text, pos, pos + 8)
                assert (ma and ma.span()) == (mb and mb.span())
        for first, a, b in gapped:
            if first in text:
                for pos in range(len(text)):
                    ma, mb = a.match(text, pos), b.match(text, pos)
                    assert (ma and ma.span()) == (mb and mb.span())


def _plain_by_object(obj, q, inds):
    best = None
    for ind in inds.values():
        if not ind.object_wordings or (ind.units and q.unit not in ind.units):
            continue
        for w in ind.object_wordings:
            if obj.endswith(w) and not any(obj.startswith(e) for e in ind.exclude):
                if best is None or len(w) > best[1]:
                    best = (ind.key, len(w))
    return best[0] if best else None


def test_by_object_endswith_prefilter_same_as_plain_loop():
    inds, _ = C._taxonomy()
    nouns = [w for ind in inds.values() for w in ind.object_wordings]
    found = 0
    for text in list(corpus_texts()) + [f"发现{n}3条" for n in nouns] + [f"3条{e}{n}" for n in nouns for e in ("", "共性")]:
        for q in N.find_quantities(text):
            obj = C._object_after(text, q.end, len(text))
            if obj:
                got = C._by_object(obj, q, text, inds)
                assert got == _plain_by_object(obj, q, inds), (obj, q)
                found += got is not None
    assert found > 0


# ---------------------------------------------------------------------------- round 3


def test_num_unit_re_same_runs_and_unit_test():
    """The numeral scan with the unit-ahead test in the pattern: the runs of _NUM_RE, and group 1
    set exactly where _unit_ahead_rx matches after the run."""
    ahead = N._unit_ahead_rx()
    for text in _texts() + ["三个", "三 个", "3 万 余人", "百分之四十", "五千万余元", "十余 个"]:
        a = list(N._num_unit_re().finditer(text))
        b = list(N._NUM_RE.finditer(text))
        assert [m.span() for m in a] == [m.span() for m in b]
        for m in a:
            assert (m.lastindex is not None) == (ahead.match(text, m.end()) is not None), (text, m.span())


def _plain_tail(text: str, pos: int, percent: bool) -> tuple:
    """_tail as it was: _match_first and match_unit calls, the suffix tests after the lookup."""
    q = N._qualifiers()
    suffix_words = q["suffix_by_first"]
    mid = unit = suffix = None
    mult = 1.0
    p = pos
    if percent:
        unit = ("", "percent", "%")
        m = N._match_first(text, p, suffix_words)
        if m and m[0] != "多":
            suffix = m
            p += len(m[0])
        return mid, mult, unit, suffix, p
    m = N._match_first(text, p, q["middle_by_first"])
    if m:
        w = m[0]
        if w.endswith(("万", "亿")):
            mid = (w[:-1], m[1])
            mult = N._multipliers().get(w[-1], 1.0)
        else:
            mid = m
        p += len(w)
        mults = N._multipliers()
        for k in (2, 1):
            mw = text[p:p + k]
            if len(mw) == k and mw in mults and mw not in ("十", "百"):
                nxt = N.match_unit(text, p + k)
                if nxt or mw[-1] in "万亿萬億":
                    mult *= mults[mw]
                    p += k
                    break
    u = N.match_unit(text, p)
    if not u:
        suf = N._match_first(text, p, suffix_words)
        if suf and suf[0] not in ("多", "上下"):
            suffix = suf
            p += len(suf[0])
        return mid, mult, unit, suffix, p
    unit = u
    p += len(u[0])
    suf = N._match_first(text, p, suffix_words)
    if suf and not (suf[0] == "多" and mid):
        if suf[0] == "多" and (p + 1 < len(text) and text[p + 1] not in "，,。；;、）)"):
            suf = None
        if suf and suf[0] == "上下" and p + 2 < len(text) and text[p + 2] not in "，,。；;、）)的":
            suf = None
        if suf:
            suffix = suf
            p += len(suf[0])
    return mid, mult, unit, suffix, p


def test_inline_tail_same_as_plain_tail():
    """_tail_at (qualifier and unit lookups inline) gives what the call-per-lookup version gave,
    at every position of the texts, for percentages and not."""
    q = N._qualifiers()
    cases = ["3人多", "3人多次", "5000余万元", "近3万余人", "20人上下", "20人上下的", "3个多月", "5余万元多",
             "10%左右", "3万人次以上", "2亿多元"]
    for text in _texts()[:150] + cases + HAND + _fuzz(300):
        for pos in range(len(text) + 1):
            for percent in (False, True):
                assert N._tail_at(text, pos, percent, q) == _plain_tail(text, pos, percent), (text, pos)


# ---------------------------------------------------------------------------- round 4


def _plain_runs(text: str) -> list[tuple]:
    """_runs(text, True) through the loop that looks at every match (the 分之 path), forced."""
    return N._runs("分之" + text, True)


def test_runs_filtered_scan_same_as_every_match():
    """Without 分之 in the text the runs no unit can follow are dropped by a C-level filter: the same
    runs as the loop over every match (offsets shifted by the two characters put in front)."""
    cases = ["三个", "一些人", "统一部署3人", "千万工程5项", "十分重要", "-3人", "负3人", "12,345元", "1.5万余元"]
    n = 0
    for text in _texts() + cases:
        if "分之" in text:
            continue
        got = N._runs(text, True)
        plain = [(s, a - 2, b - 2, *rest) for s, a, b, *rest in _plain_runs(text)]
        if text[:1] in "-－−负":  # a sign after 分之 reads otherwise
            continue
        assert got == plain, text
        n += len(got)
    assert n > 1000


def _plain_is_blocked(lay, start: int, end: int) -> bool:
    """Any blocked span of the whole-text computation overlapping [start, end)."""
    return any(s < end and start < e for s, e in lay.blocked)


def _phrase_texts():
    rnd = random.Random(12)
    phrases = C._not_counts()["phrases"]
    pieces = phrases + ["3", "十", "5人", "，", "“", "”", "《", "》", "一", "两", "个", "项", "处"]
    made = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30))) for _ in range(1500)]
    chars = "".join(sorted(C._phrase_chars()))[:60] + "35，“”《》人"
    made += ["".join(rnd.choice(chars) for _ in range(rnd.randint(1, 40))) for _ in range(1500)]
    # titles and slogans: overlapping quotes of the three kinds (chains of them), breaks, newlines
    quotes = "“”‘’「」《》“”‘’「」三个两个5人，。\n一"
    made += ["".join(rnd.choice(quotes) for _ in range(rnd.randint(1, 60))) for _ in range(2000)]
    made += ["“‘「" * k + "3人" + "”’」" * k for k in range(1, 12)] + [_quote_chain(k) for k in range(1, 20)]
    made += ["“" + "1‘2「3“4”5’6」7" * k + "”八项规定" for k in range(1, 6)]
    return made


@pytest.mark.parametrize("order", ["numbers", "every", "shuffled"])
def test_is_blocked_windowed_phrases_same_as_whole_text_spans(order):
    """is_blocked with the fixed phrases looked for in windows and the titles and slogans at the
    last opening quotes before the number (the whole-text spans after a long chain of quotes) gives
    what the whole-text blocked spans give: at the numbers of the texts (the calls of the stage,
    left to right), at every position and pair of positions, and in random order."""
    checked = blocked = 0
    for text in list(corpus_texts()) + HAND + _fuzz(200) + _phrase_texts():
        lay = C._Layout(text)
        plain = C._Layout(text)
        if order == "numbers":
            spans = [(q.num_start, q.num_end) for q in N.find_quantities(text, with_unit_only=True)]
        else:
            spans = [(a, b) for a in range(len(text)) for b in (a + 1, a + 2, a + 4) if b <= len(text)]
            if order == "shuffled":  # (positions left of those asked before: the whole-text spans)
                random.Random(len(text)).shuffle(spans)
                spans = spans[:40]
        for a, b in spans:
            got = lay.is_blocked(a, b)
            assert got == _plain_is_blocked(plain, a, b), (text, a, b)
            checked += 1
            blocked += got
    assert checked > 1000 and blocked > 100


def _quote_chain(n: int) -> str:
    """Slogan matches of the three kinds in turn, each holding the next one's opening quote (the
    i-th opens at 2i and closes at 2i+3): a chain of overlapping matches."""
    kinds = ["“”", "‘’", "「」"]
    chars = ["x"] * (2 * n + 4)
    for i in range(n):
        chars[2 * i] = kinds[i % 3][0]
        chars[2 * i + 3] = kinds[i % 3][1]
    return "".join(chars)


def test_slogan_chain_falls_back_to_whole_text_spans():
    """Asked left to right (as the stage asks), the kept answers are remembered and a chain is
    followed one step at a time; asked from the right, a long chain is left to the whole-text spans."""
    undecided = 0
    for n in range(1, 16):
        text = _quote_chain(n)
        for order in (1, -1):
            lay, plain = C._Layout(text), C._Layout(text)
            for pos in list(range(1, len(text), 2))[::order]:  # (closing quotes and x: no opening quote)
                got = lay._in_slogan(pos, pos + 1)
                assert got is not None or order == -1
                undecided += got is None
                assert lay.is_blocked(pos, pos + 1) == _plain_is_blocked(plain, pos, pos + 1), (text, pos)
    assert undecided > 0


def _list_texts():
    rnd = random.Random(13)
    pieces = ["3", "一", "二", "两", "十", "5人", "件", "、", "名", "年", "，", "第", "约", "余", "-", "至", "%", "元"]
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25))) for _ in range(3000)]


def _plain_share_list_units(text: str, qs: list) -> None:
    """numbers._share_list_units as it was, on Quantity objects (67、88件 / 2017、2018年: a bare
    number before 、 takes the unit of the list's last number)."""
    # two neighbours are list items when exactly a 、 stands between them
    linked = [b.start - a.end == 1 and text[a.end] == "、" for a, b in zip(qs, qs[1:])]
    for k in range(len(qs) - 2, -1, -1):
        a, b = qs[k], qs[k + 1]
        if a.unit is not None or not linked[k]:
            continue
        if b.unit is None:
            continue
        a.unit, a.unit_raw, a.unit_class, a.shared_unit = b.unit, b.unit_raw, b.unit_class, True
    # the head of a list is the first number of a 、-chain
    for k in range(1, len(qs)):
        if linked[k - 1]:
            qs[k].list_head = qs[k - 1].list_head


def test_share_list_rows_same_as_share_list_units(monkeypatch):
    """Units of 、-lists shared and list heads set on the rows: what _plain_share_list_units does on
    Quantity objects built from the rows before sharing."""
    texts = _texts() + _list_texts() + ["67、88件", "2017、2018年", "一、二种", "3、4、5名和6个"]
    shared = {t: N.find_quantities(t) for t in texts}
    shared_u = {t: N.find_quantities(t, with_unit_only=True) for t in texts}
    monkeypatch.setattr(N, "_share_list_rows", lambda text, rows: None)
    n = 0
    for t in texts:
        for got, unit_only in ((shared[t], False), (shared_u[t], True)):
            plain = [N.Quantity(t[r[0]:r[1]], *r) for r in N.quantity_rows(t, unit_only)]
            _plain_share_list_units(t, plain)
            assert got == plain, t
            n += sum(q.shared_unit for q in got)
    assert n > 100


def test_count_of_row_same_as_is_count():
    """_extract's tests on a row (unit class, bare 一/二, blocked spans, then the context on its
    Quantity) say what is_count says of the row's Quantity, the numbers taken in text order."""
    kept = rejected = 0
    for text in _texts() + _list_texts() + _phrase_texts()[:1500]:
        lay, plain = C._Layout(text), C._Layout(text)
        for r in N.quantity_rows(text, True):
            q = N.Quantity(text[r[0]:r[1]], *r)
            got = C._count_of_row(text, r, lay)
            assert (got is not None) == C.is_count(text, q, plain), text
            assert got is None or got == q
            kept += got is not None
            rejected += got is None
    assert kept > 1000 and rejected > 1000
