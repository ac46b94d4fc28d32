"""Stage 'counts': every statistic of an article (SPEC.md, "counts").

A count is a number with a counting unit (:mod:`extractor.numbers` finds and normalizes it) that is
not excluded by its context (``patterns/counts/not_counts.yaml``: ordinals, vague amounts, numbers
inside 《》 titles or quoted slogans, fixed formulas such as 四种形态, times, durations, ages …).

Its indicator comes from ``patterns/indicators.yaml``: the nearest wording in the same list item
(text between 、/，/；), then a wording behind a fronted object (对4起典型问题进行通报曝光), then the
indicator of the previous item of the same 、-list, then a wording earlier in the clause, then the
head figure of a "其中" sub-list; otherwise ``other`` with the label as written.

``period`` and ``place`` are left to the ``attribute`` stage; ``start``/``end`` cover the figure
phrase (the wording when it stands right before the number, the number, its qualifier and unit).
"""
from __future__ import annotations

import bisect
import functools
import itertools
import math
from dataclasses import dataclass
from typing import Optional

import re as _re

import regex

from .article import Article
from .models import CountMention, constructor
from .numbers import R_APPROX, R_NUM_END, R_NUM_START, R_PREFIX, R_UNIT_CLASS, Quantity, quantity_rows
from .resources import load_yaml

COUNT_CLASSES = ("count", "measure", "money", "percent")
SENTENCE_END = "。！？!?\n"
CLAUSE_END = "，,；;：:"
SEGMENT_END = "、"
GAP = 16  # characters a "…" in a wording may span
MAX_WORD = 64  # longest span of a wording match (literal parts + gaps)
WINDOW = 120  # how far from a number a wording may stand (keeps huge unbroken clauses linear)
LABEL_WINDOW = 40
SENTENCE_MAX = 400  # longer "sentences" (unpunctuated dumps) give a window around the figure as evidence

_NOT_IN_GAP = "，。；！？,;!?\n"
_SEG_RX = _re.compile("[" + _re.escape(SENTENCE_END + CLAUSE_END + SEGMENT_END) + "]")
_CLAUSE_RX = _re.compile("[" + _re.escape(SENTENCE_END + CLAUSE_END) + "]")
_SENT_RX = _re.compile("[" + _re.escape(SENTENCE_END) + "]")
_ITEM_RX = _re.compile("[" + _re.escape(SEGMENT_END) + "]")
_SLOGAN_BREAK_RX = _re.compile("[，。；！？,;!?：:]")
# plain character classes on stdlib re: less per call than the regex module (several calls per count)
_AFTER_RX = _re.compile(r"[^，。；！？,;!?、\n]{0,8}")
_DIGIT_RX = _re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")
_TITLE_RX = regex.compile(r"《[^《》\n]{0,80}》")
_TITLE_RE = _re.compile(_TITLE_RX.pattern)  # the same, for one match at a 《 (stdlib: less per call)
_TITLE_REACH = 81  # a title overlapping a position starts at most this far before it
_NUMERAL_CHARS = set("0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千万亿")


@dataclass
class Wording:
    key: str
    text: str
    first: str             # first literal part, for a cheap `in` test before the regex
    rx: "_re.Pattern"      # literal parts with short gaps: stdlib re (less per match call)
    gap: bool
    priority: int


@dataclass
class Indicator:
    key: str
    units: frozenset
    objects: tuple
    exclude: tuple
    priority: int
    object_wordings: tuple = ()


@functools.lru_cache(maxsize=1)
def _taxonomy() -> tuple[dict[str, Indicator], list[Wording]]:
    cfg = load_yaml("indicators.yaml") or {}
    inds: dict[str, Indicator] = {}
    words: list[Wording] = []
    for key, spec in cfg.items():
        spec = spec or {}
        prio = int(spec.get("priority", 0) or 0)
        inds[key] = Indicator(
            key=key,
            units=frozenset(str(u) for u in spec.get("units") or []),
            objects=tuple(str(o) for o in spec.get("objects") or []),
            exclude=tuple(str(e) for e in spec.get("exclude") or []),
            priority=prio,
            object_wordings=tuple(str(o) for o in spec.get("object_wordings") or []),
        )
        for w in spec.get("wordings") or []:
            w = str(w)
            parts = [p for p in w.split("…") if p]
            if not parts:
                continue
            gap = len(parts) > 1
            pat = f"[^{_re.escape(_NOT_IN_GAP)}]{{0,{GAP}}}?".join(_re.escape(p) for p in parts)
            words.append(Wording(key, w, parts[0], _re.compile(pat), gap, prio))
    return inds, words


@functools.lru_cache(maxsize=1)
def _not_counts() -> dict:
    cfg = load_yaml("counts/not_counts.yaml") or {}
    phrases = [str(p) for p in cfg.get("fixed_phrases") or []]
    ac = None
    if phrases:
        import ahocorasick_rs

        ac = ahocorasick_rs.AhoCorasick(phrases, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    guards = {}
    for unit, g in (cfg.get("unit_guards") or {}).items():
        g = g or {}
        guards[str(unit)] = (tuple(str(x) for x in g.get("preceded_by") or []),
                             tuple(str(x) for x in g.get("followed_by") or []))
    return {
        "prefixes": tuple(sorted((str(p) for p in cfg.get("prefixes") or []), key=len, reverse=True)),
        "prefixes_cn": tuple(str(p) for p in cfg.get("prefixes_before_chinese") or []),
        "prefix_set": frozenset(str(p) for p in cfg.get("prefixes") or []),
        "prefix_lens": sorted({len(str(p)) for p in cfg.get("prefixes") or []}),
        "prefix_cn_set": frozenset(str(p) for p in cfg.get("prefixes_before_chinese") or []),
        "prefix_cn_lens": sorted({len(str(p)) for p in cfg.get("prefixes_before_chinese") or []}),
        "suffix_heads": frozenset(str(x)[0] for x in cfg.get("suffixes") or []),
        "suffixes": tuple(str(s) for s in cfg.get("suffixes") or []),
        "guards": guards,
        "phrases": phrases,
        "ac": ac,
        "slogan_max": int(cfg.get("slogan_max_chars", 24) or 24),
        "lone": frozenset(str(x) for x in cfg.get("lone_numerals") or []),
    }


@functools.lru_cache(maxsize=1)
def _phrase_chars() -> frozenset:
    """Every character of the fixed phrases (none when there is no automaton)."""
    nc = _not_counts()
    return frozenset("".join(nc["phrases"])) if nc["ac"] is not None else frozenset()


_OBJECT_RX = regex.compile(r"[\p{Han}A-Za-z“”\"（）()]{1,14}")


@functools.lru_cache(maxsize=1)
def _label_cfg() -> dict:
    cfg = load_yaml("counts/labels.yaml") or {}
    alt = lambda ws: "|".join(regex.escape(str(w)) for w in sorted(ws or [], key=len, reverse=True)) or "(?!)"  # noqa: E731
    stops = tuple(str(w) for w in cfg.get("object_stops") or [])
    return {
        "stops": stops,
        # the leftmost occurrence of any stop word (what the smallest str.find over them gives)
        "stops_rx": _re.compile("|".join(_re.escape(w) for w in stops) or "(?!)"),
        "strip": regex.compile(r"^(?:%s)+|(?:%s)+$" % (alt(cfg.get("label_strip_start")), alt(cfg.get("label_strip_end")))),
        # "strip" can only match a label that starts with one of the first or ends with one of the last
        "strip_start": tuple(str(w) for w in cfg.get("label_strip_start") or []),
        "strip_end": tuple(str(w) for w in cfg.get("label_strip_end") or []),
        "max": int(cfg.get("label_max_chars", 16) or 16),
        # the wording may stand after the number: after a fronting character, or in the passive
        "fronting": frozenset(str(w) for w in cfg.get("fronting") or []),
        "passive": tuple(str(w) for w in cfg.get("passive") or []),
    }


# --------------------------------------------------------------------------- text structure


_QUOTES = (("“", "”"), ("‘", "’"), ("「", "」"))


@functools.lru_cache(maxsize=1)
def _slogan_rx():
    """A short quoted phrase: “…”, ‘…’ or 「…」, as one pattern (the plain form: its ``finditer``
    spans are what :func:`_slogan_spans` gives, faster)."""
    n = _not_counts()["slogan_max"]
    return regex.compile("|".join(f"{a}([^{a}{b}\\n]{{1,{n}}}){b}" for a, b in _QUOTES))


@functools.lru_cache(maxsize=1)
def _slogan_rxs() -> tuple:
    """:func:`_slogan_rx` as one pattern per kind of quotes, each led by its opening quote (a fast
    literal scan, skipped when the text has no such quote)."""
    n = _not_counts()["slogan_max"]
    return tuple((a, _re.compile(f"{a}[^{a}{b}\\n]{{1,{n}}}{b}")) for a, b in _QUOTES)


def _slogan_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``_slogan_rx().finditer(text)``: the matches of the three kinds, merged left to
    right, a match starting inside the previous one dropped. (A kind's own matches never overlap:
    none holds its opening or closing quote inside; at one position only one kind can match.)"""
    cands = []
    for quote, rx in _slogan_rxs():
        if quote in text:
            cands += [m.span() for m in rx.finditer(text)]
    if len(cands) > 1:
        cands.sort()
    spans, reach = [], 0
    for s, e in cands:
        if s >= reach:
            spans.append((s, e))
            reach = e
    return spans


class _Layout:
    """Sentence, clause and list-item boundaries, 《》 titles, slogans and fixed phrases of a text.

    Everything is found on demand: the boundaries around a position by a regex search forward from
    it and one in the reversed text (only the few positions of count candidates are asked for), the
    titles, slogans and fixed phrases only around the numbers :meth:`is_blocked` is asked about
    (:attr:`blocked` is the plain whole-text list). The last answer of each kind is kept: a position
    inside it has the same boundaries, so the searches of an article scan each character about once.
    """

    def __init__(self, text: str):
        self.text = text
        self._n = len(text)
        self._rev: Optional[str] = None
        # per kind of mark (sentence, clause, list item): the last (start, end), empty at first (a list
        # by index: a compiled pattern as a dict key is hashed over its whole code at every lookup)
        self._last = [(1, 0), (1, 0), (1, 0)]
        self._item_free = ((1, 0), False)  # (clause, whether it has no 、): each clause is searched once
        self._ph: list[tuple[int, int]] = []   # fixed phrases found so far (left of _ph_upto), sorted
        self._ph_starts: list[int] = []
        self._ph_lo = self._ph_upto = 0
        self._kept: dict[int, bool] = {}  # opening quote -> whether its slogan match is kept

    # the mark positions as lists (the plain form of the boundaries; the tests compare with it)
    @functools.cached_property
    def seg(self) -> list[int]:
        return [m.start() for m in _SEG_RX.finditer(self.text)]

    @functools.cached_property
    def clause(self) -> list[int]:
        return [m.start() for m in _CLAUSE_RX.finditer(self.text)]

    @functools.cached_property
    def sent(self) -> list[int]:
        return [m.start() for m in _SENT_RX.finditer(self.text)]

    @functools.cached_property
    def blocked(self) -> list[tuple[int, int]]:
        return self._blocked_spans(self.text)

    @functools.cached_property
    def blocked_starts(self) -> list[int]:
        return [s for s, _ in self.blocked]

    @staticmethod
    def _blocked_spans(text: str) -> list[tuple[int, int]]:
        nc = _not_counts()
        spans = [m.span() for m in _TITLE_RX.finditer(text)]
        # a slogan: no clause break between its quotes (one character each)
        brk = _SLOGAN_BREAK_RX.search
        spans += [(s, e) for s, e in _slogan_spans(text) if brk(text, s + 1, e - 1) is None]
        if nc["ac"] is not None and text:
            # 四处 is a word, 十四处 is a number with its unit
            spans += [(s, e) for _, s, e in nc["ac"].find_matches_as_indexes(text)
                      if not (s > 0 and text[s - 1] in _NUMERAL_CHARS)]
        spans.sort()
        return spans

    @staticmethod
    def _bounds(marks: list[int], pos: int, n: int) -> tuple[int, int]:
        """(one after the last mark before ``pos``, the first mark at or after ``pos``) on a mark list."""
        k = bisect.bisect_left(marks, pos)
        start = marks[k - 1] + 1 if k > 0 else 0
        end = marks[k] if k < len(marks) else n
        return start, end

    def _search_bounds(self, rx, pos: int, kind: int) -> tuple[int, int]:
        """:meth:`_bounds` by searching from ``pos``: no mark lies in [start, end), so every position
        there (and ``end`` itself) has the same answer as the last one asked for (of this ``kind``)."""
        last = self._last[kind]
        if last[0] <= pos <= last[1]:
            return last
        n = self._n
        m = rx.search(self.text, pos)
        end = m.start() if m is not None else n
        if self._rev is None:
            self._rev = self.text[::-1]
        # the last mark before ``pos`` is the first one at or after ``n - pos`` in the reversed text
        m = rx.search(self._rev, n - pos)
        bounds = (n - m.start() if m is not None else 0, end)
        self._last[kind] = bounds
        return bounds

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._search_bounds(_SENT_RX, pos, 0)

    def clause_of(self, pos: int) -> tuple[int, int]:
        return self._search_bounds(_CLAUSE_RX, pos, 1)

    def segment(self, pos: int) -> tuple[int, int]:
        clause = self.clause_of(pos)
        if self._item_free[0] != clause:
            self._item_free = (clause, _ITEM_RX.search(self.text, clause[0], clause[1]) is None)
        if self._item_free[1]:
            return clause  # list-item marks are the clause marks and 、: without a 、 the whole clause
        return self._search_bounds(_SEG_RX, pos, 2)

    def is_blocked(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a blocked span: a 《》 title, a slogan or a fixed phrase,
        each looked for only around the number (a title or slogan holding it starts at the last
        《 or opening quote of its kind before it, at most a title's or slogan's length away), with
        the answers of the whole-text spans (:attr:`blocked`; exact, no window of nearest spans)."""
        text = self.text
        k = text.rfind("《", start - _TITLE_REACH if start > _TITLE_REACH else 0, end)
        if k >= start:  # (a span holding a 《 itself — never a number: the whole-text spans)
            return self._in_quoted(start, end) or self._in_phrase(start, end)
        if k >= 0:
            # (a title holds no 《: only the last one before the number can start one around it)
            m = _TITLE_RE.match(text, k)
            if m is not None and m.end() > start:
                return True
        hit = self._in_slogan(start, end)
        if hit is None:
            hit = self._in_quoted(start, end)  # (a long chain of overlapping quotes: the plain answer)
        return hit or self._in_phrase(start, end)

    def _in_slogan(self, start: int, end: int) -> Optional[bool]:
        """Whether [start, end) overlaps a slogan of :func:`_slogan_spans` (no clause break between
        its quotes); None when undecided (see :meth:`_slogan_kept`). A kind's match holds none of
        its quotes: only the last opening quote of each kind before ``end`` can start one around the
        number, and a kind's matches are the pattern's matches at each of its opening quotes."""
        text = self.text
        reach = _not_counts()["slogan_max"] + 1
        lo = start - reach if start > reach else 0
        for quote, rx in _slogan_rxs():
            k = text.rfind(quote, lo, end)
            if k < 0:
                continue
            if k >= start:
                return None  # (a span holding an opening quote itself — never a number)
            m = rx.match(text, k)
            if m is None or m.end() <= start:
                continue
            kept = self._slogan_kept(k, 0)
            if kept is None:
                return None
            if kept and _SLOGAN_BREAK_RX.search(text, k + 1, m.end() - 1) is None:
                return True
        return False

    def _slogan_kept(self, k: int, depth: int) -> Optional[bool]:
        """Whether the match starting at ``k`` survives the merge of :func:`_slogan_spans` (dropped
        when it starts inside a kept match: kept matches do not overlap, so the one holding ``k``
        would be the last kept before it). None past a few levels of such chains (the caller then
        takes the whole-text spans: bounded work per number)."""
        got = self._kept.get(k)
        if got is not None:
            return got
        if depth > 4:
            return None
        text = self.text
        reach = _not_counts()["slogan_max"] + 1
        lo = k - reach if k > reach else 0
        for quote, rx in _slogan_rxs():
            j = text.rfind(quote, lo, k)
            if j < 0:
                continue
            m = rx.match(text, j)
            if m is None or m.end() <= k:
                continue
            d = self._slogan_kept(j, depth + 1)
            if d is None:
                return None
            if d:
                self._kept[k] = False
                return False
        self._kept[k] = True
        return True

    def _in_quoted(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a span of :attr:`quoted` (whole text)."""
        k = bisect.bisect_right(self.quoted_starts, end)
        if k:
            spans, reach = self.quoted, self.quoted_reach
            # (reach: the running maximum of the ends; below the first index not reaching past
            # ``start`` no span does)
            while k and reach[k - 1] > start:
                k -= 1
                s, e = spans[k]
                if s < end and start < e:
                    return True
        return False

    @functools.cached_property
    def quoted(self) -> list[tuple[int, int]]:
        """The 《》 titles and the slogans (the blocked spans that are not fixed phrases), sorted."""
        text = self.text
        spans = [m.span() for m in _TITLE_RX.finditer(text)]
        brk = _SLOGAN_BREAK_RX.search
        spans += [(s, e) for s, e in _slogan_spans(text) if brk(text, s + 1, e - 1) is None]
        spans.sort()
        return spans

    @functools.cached_property
    def quoted_starts(self) -> list[int]:
        return [s for s, _ in self.quoted]

    @functools.cached_property
    def quoted_reach(self) -> list[int]:
        return list(itertools.accumulate([e for _, e in self.quoted], max))

    def _in_phrase(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a fixed phrase of the leftmost-longest scan of the whole
        text (what :meth:`_blocked_spans` keeps of it). The automaton runs on windows only: a phrase
        overlapping the number holds one of its characters (none there: no phrase); a window
        widened both ways to a boundary that no phrase occurrence can straddle (a character that is
        in no phrase, beside it) gets the matches the whole-text scan has inside it (a
        leftmost-longest scan starts afresh at such a boundary). Windows are scanned left to right,
        each character once: [self._ph_lo, self._ph_upto) is scanned (its ends such boundaries too).
        A position asked for left of that (never by the stage: its numbers come in text order) gets
        the spans of the whole-text scan."""
        text = self.text
        chars = _phrase_chars()
        if chars.isdisjoint(text[start:end]):
            return False
        upto = self._ph_upto
        if start < self._ph_lo:
            ph, starts = self._phrases_all
            k = bisect.bisect_left(starts, end)
            return k > 0 and ph[k - 1][1] > start
        if end > upto:
            w0 = start if start > upto else upto
            while w0 > upto and text[w0 - 1] in chars:
                w0 -= 1
            w1, n = end, self._n
            while w1 < n and text[w1] in chars:
                w1 += 1
            ph, starts = self._ph, self._ph_starts
            for _, s, e in _not_counts()["ac"].find_matches_as_indexes(text[w0:w1]):
                s += w0
                # 四处 is a word, 十四处 is a number with its unit
                if not (s > 0 and text[s - 1] in _NUMERAL_CHARS):
                    ph.append((s, w0 + e))
                    starts.append(s)
            if w0 > upto:
                self._ph_lo = w0  # (a gap before the window: what is left of it is not known)
            self._ph_upto = w1
        # the kept phrases do not overlap: sorted by start and by end, only the last one starting
        # before ``end`` can reach past ``start``
        k = bisect.bisect_left(self._ph_starts, end)
        return k > 0 and self._ph[k - 1][1] > start

    @functools.cached_property
    def _phrases_all(self) -> tuple[list[tuple[int, int]], list[int]]:
        """The fixed phrases of the whole text that block (as in :meth:`_blocked_spans`), and their starts."""
        text = self.text
        ph = [(s, e) for _, s, e in _not_counts()["ac"].find_matches_as_indexes(text)
              if not (s > 0 and text[s - 1] in _NUMERAL_CHARS)]
        return ph, [s for s, _ in ph]


# --------------------------------------------------------------------------- not-count tests


def _bare_indefinite(text: str, q: Quantity) -> bool:
    """一名社区书记, 一起事故: a lone Chinese 一 is indefinite, not a count; a lone 二 before a
    measure word is an ordinal-like prefix (二次供水, 二级) — counts of two are written 两 (the
    numerals: ``lone_numerals`` in counts/not_counts.yaml)."""
    # (a one-character numeral first: no slice for the longer ones)
    return (q.num_end - q.num_start == 1 and q.approx != "range"
            and text[q.num_start] in _not_counts()["lone"] and not q.prefix)


def is_count(text: str, q: Quantity, layout: _Layout) -> bool:
    """Whether a quantity is a count (SPEC): counting unit and no excluding context. (The tests are
    independent; the cheap ones that reject most come first: unit class, the bare indefinite
    inline, then the blocked spans — a third of the candidates stand in a fixed phrase or title.)"""
    if q.unit_class not in COUNT_CLASSES or q.value is None:
        return False
    num_start, num_end = q.num_start, q.num_end
    # _bare_indefinite(text, q), inline
    if (num_end - num_start == 1 and text[num_start] in _not_counts()["lone"] and q.approx != "range"
            and not q.prefix):
        return False
    if layout.is_blocked(num_start, num_end):
        return False
    return _context_ok(text, q)


def _context_ok(text: str, q: Quantity) -> bool:
    """is_count's tests after the blocked spans: no ordinal or code prefix, no excluding suffix or
    letter after, no guarded unit in its excluded context."""
    num_start, num_end = q.num_start, q.num_end
    nc = _not_counts()
    head = q.list_head if q.list_head is not None else num_start
    lead = min(head, q.start)
    before = text[max(0, lead - 4):lead]
    pset = nc["prefix_set"]
    for n in nc["prefix_lens"]:
        if before[-n:] in pset:
            return False
    if q.chinese:
        pset = nc["prefix_cn_set"]
        for n in nc["prefix_cn_lens"]:
            if before[-n:] in pset:
                return False
    prev = text[num_start - 1] if num_start > 0 else ""
    if prev and (prev.isascii() and (prev.isalnum() or prev in "+/.#-_:")):
        return False
    after_num = text[num_end:num_end + 6]
    after_unit = text[q.end:q.end + 6]
    heads = nc["suffix_heads"]
    if (after_num[:1] in heads or after_unit[:1] in heads) and (
            after_num.startswith(nc["suffixes"]) or after_unit.startswith(nc["suffixes"])):
        return False
    nxt = after_num[:1]
    if nxt and nxt.isascii() and (nxt.isalpha() or nxt in "+"):
        return False
    guard = nc["guards"].get(q.unit_raw or "")
    if guard:
        pre_words, post_words = guard  # tuples: one endswith/startswith call tests them all
        if before.endswith(pre_words) or after_unit.startswith(post_words):
            return False
    return True


def _count_of_row(text: str, r: list, layout: _Layout) -> Optional[Quantity]:
    """The Quantity of a row of :func:`quantity_rows` if it is a count (what :func:`is_count` says
    of it), else None: is_count's first tests and the blocked spans on the row, so most numbers of a
    text never get a Quantity."""
    if r[R_UNIT_CLASS] not in COUNT_CLASSES:
        return None  # (a row always has a value)
    ns, ne = r[R_NUM_START], r[R_NUM_END]
    if ne - ns == 1 and text[ns] in _not_counts()["lone"] and r[R_APPROX] != "range" and not r[R_PREFIX]:
        return None
    if layout.is_blocked(ns, ne):
        return None
    q = Quantity(text[r[0]:r[1]], *r)
    return q if _context_ok(text, q) else None


# --------------------------------------------------------------------------- indicators


@dataclass
class _Hit:
    key: str
    start: int
    end: int
    text: str
    gap: bool
    priority: int


@functools.lru_cache(maxsize=1)
def _first_parts():
    """An automaton finding every occurrence (overlapping) of the wordings' distinct first literal
    parts, and for each part the indexes of the wordings (in taxonomy order) starting with it."""
    import ahocorasick_rs

    _, words = _taxonomy()
    firsts = list(dict.fromkeys(w.first for w in words))
    owners = [tuple(i for i, w in enumerate(words) if w.first == f) for f in firsts]
    return ahocorasick_rs.AhoCorasick(firsts, matchkind=ahocorasick_rs.MatchKind.Standard), owners


def _candidate_words(chunk: str) -> list[Wording]:
    """The wordings whose first literal part occurs in ``chunk``, in taxonomy order (one automaton
    pass instead of a substring test per wording: clauses are short, wordings many)."""
    _, words = _taxonomy()
    ac, owners = _first_parts()
    picked = {i for k, _, _ in ac.find_matches_as_indexes(chunk, overlapping=True) for i in owners[k]}
    return [words[i] for i in sorted(picked)]


def _clause_hits(text: str, cs: int, ce: int) -> list[_Hit]:
    inds, words = _taxonomy()
    ac, owners = _first_parts()
    chunk = text[cs:ce]
    # every match of every wording: a wording matches where its first part occurs (a wording without
    # "…" is its first part; one with "…" is matched from there). Sorted by start, longest first,
    # then in taxonomy order (what a stable sort of the per-wording overlapped finditer lists gives)
    found = []
    for k, s, first_end in ac.find_matches_as_indexes(chunk, overlapping=True):
        for i in owners[k]:
            if words[i].gap:
                m = words[i].rx.match(chunk, s)
                if m is None:
                    continue
                e = m.end()
            else:
                e = first_end
            found.append((s, s - e, i, e))
    if not found:
        return []
    found.sort()
    hits = []
    for s, _, i, e in found:
        w = words[i]
        hits.append(_Hit(w.key, cs + s, cs + e, chunk[s:e], w.gap, w.priority))
    # drop hits inside an excluded longer word (巡察组 is not 巡察); occurrences found once per clause
    ex_spans: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
    for key in {h.key for h in hits}:
        spans = []
        for e in inds[key].exclude:
            k = chunk.find(e)
            while k >= 0:
                spans.append((cs + k, cs + k + len(e)))
                k = chunk.find(e, k + 1)
        spans.sort()
        ex_spans[key] = ([a for a, _ in spans], spans)
    kept = []
    for h in hits:
        starts, spans = ex_spans[h.key]
        bad = False
        if spans:
            lo = bisect.bisect_left(starts, h.start - MAX_WORD)
            hi = bisect.bisect_right(starts, h.end)
            for s_, e_ in spans[lo:hi]:
                if s_ <= h.start < e_ or s_ < h.end <= e_:
                    bad = True
                    break
        if not bad:
            kept.append(h)
    # a hit strictly inside a longer hit ending at the same place loses (移送司法机关处理 > 处理)
    if len(kept) < 2:
        return kept  # (no other hit to lose to)
    kstarts = [h.start for h in kept]
    out = []
    for h in kept:
        lo = bisect.bisect_left(kstarts, h.end - MAX_WORD)
        hi = bisect.bisect_right(kstarts, h.start)
        hs, he = h.start, h.end
        for o in kept[lo:hi]:  # (a loop, not any() over a generator: a few hits each)
            if (o is not h and not o.gap and o.start <= hs and he <= o.end and (o.end - o.start) > (he - hs)
                    and o.key != h.key):
                break
        else:
            out.append(h)
    return out


def _fits(ind: Indicator, q: Quantity, text: str, hit: Optional["_Hit"] = None) -> bool:
    if ind.units and (q.unit not in ind.units):
        return False
    if ind.objects:
        # the counted noun (60项制度, 40余项监管制度) or, after the wording, before the number (制修订有关制度22项)
        m = _AFTER_RX.match(text, q.end, q.end + 8)   # (always matches: it may match nothing)
        after = m.group() if m is not None else ""
        between = text[hit.end:q.start] if hit is not None and hit.end <= q.start else ""
        if not any(o in after or o in between for o in ind.objects):
            return False
    return True


def _best(cands: list[_Hit], inds: dict[str, Indicator], prefer_near_end: bool = True) -> Optional[_Hit]:
    if not cands:
        return None
    return max(cands, key=lambda h: (h.priority, h.end if prefer_near_end else -h.start, not h.gap,
                                     h.end - h.start))


def _near(hits: list[_Hit], starts: list[int], q: Quantity) -> list[_Hit]:
    """The hits that start within WINDOW characters of the number (clauses can be unbounded)."""
    lo = bisect.bisect_left(starts, q.start - WINDOW)
    hi = bisect.bisect_right(starts, q.end + WINDOW)
    return hits[lo:hi]


def _choose(text: str, q: Quantity, hits: list[_Hit], seg: tuple[int, int], clause_level: bool) -> Optional[_Hit]:
    inds, _ = _taxonomy()
    ss, se = seg
    qs, qe = q.start, q.end
    # (a hit's place is tested before _fits: the lists below are those of the fitting hits, in order)
    if not clause_level:
        before = [h for h in hits if ss <= h.start and h.end <= qs and _fits(inds[h.key], q, text, h)]
        span = [h for h in hits if h.gap and ss <= h.start < qs and h.end >= qe and h.end <= se
                and _fits(inds[h.key], q, text, h)]
        best = _best(span + before, inds)
        if best:
            return best
        after = [h for h in hits if h.start >= qe and h.end <= se]
        if not after:
            return None
        lead = text[max(ss, qs - 8):qs].rstrip()
        cfg = _label_cfg()
        fronted = bool(lead) and lead[-1] in cfg["fronting"]
        passive = cfg["passive"]
        after = [h for h in after if (fronted or any(p in text[qe:h.start] for p in passive))
                 and _fits(inds[h.key], q, text, h)]
        return _best(after, inds, prefer_near_end=False)
    # beyond its own list item a wording must be specific: a "…" wording, one of 4+ characters or one
    # whose indicator also checks the counted noun (组成案件查办、案件督办等5个工作专班 is no 查办)
    before = [h for h in hits if h.end <= qs and (h.gap or len(h.text) >= 4 or inds[h.key].objects)
              and _fits(inds[h.key], q, text, h)]
    span = [h for h in hits if h.gap and h.start < qs and h.end >= qe and _fits(inds[h.key], q, text, h)]
    return _best(span + before, inds)


def _by_object(obj: str, q: Quantity, text: str, inds: dict[str, Indicator]) -> Optional[str]:
    """67条共性问题: the counted noun itself names the statistic (``object_wordings``)."""
    best = None
    for ind in inds.values():
        ow = ind.object_wordings
        # (one endswith over the tuple first: most nouns end with none of an indicator's wordings)
        if not ow or not obj.endswith(ow) or (ind.units and q.unit not in ind.units):
            continue
        for w in ow:
            if obj.endswith(w) and not any(obj.startswith(e) for e in ind.exclude):
                if best is None or len(w) > best[1]:
                    best = (ind.key, len(w))
    return best[0] if best else None


def _label_before(text: str, start: int, end: int) -> Optional[str]:
    cfg = _label_cfg()
    s = text[max(start, end - LABEL_WINDOW):end].strip()
    if s.startswith(cfg["strip_start"]) or s.endswith(cfg["strip_end"]):
        s = cfg["strip"].sub("", s)
    s = s.strip("“”\"'‘’ 　")
    if len(s) > cfg["max"]:
        s = s[-cfg["max"]:]
    return s or None


def _label_after(text: str, pos: int, seg_end: int) -> Optional[str]:
    """28次前往县(市)区督导巡察工作 → 前往县(市)区督导巡察工作: what was done or counted, as written."""
    cfg = _label_cfg()
    s = text[pos:min(seg_end, pos + LABEL_WINDOW)].strip()
    if s.startswith("的"):
        s = s[1:]
    if s.startswith(("及", "和", "与", "并", "以及", "或")):
        return None  # the next item of a list, not what this number counts
    m = _DIGIT_RX.search(s)
    if m:
        s = s[:m.start()]  # never reach into the next figure (来信292件占73%)
    s = s[:cfg["max"]].strip("“”\"'‘’ 　()（）")
    return s or None


def _object_after(text: str, pos: int, seg_end: int) -> Optional[str]:
    m = _OBJECT_RX.match(text, pos, seg_end)
    if not m:
        return None
    end = m.end()
    stop = _label_cfg()["stops_rx"].search(text, pos, end)
    obj = text[pos:stop.start() if stop is not None else end]
    obj = obj.replace("“", "").replace("”", "").replace('"', "")
    return obj if len(obj) >= 1 else None


# --------------------------------------------------------------------------- extraction


def extract_counts(text: str) -> list[CountMention]:
    """All counts of ``text`` (the article's normalized text), in text order. Never raises on a str."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return _extract(text)
    except Exception:  # pragma: no cover - never raise on a text; fewer facts instead
        return []


def _extract(text: str) -> list[CountMention]:
    layout = _Layout(text)
    inds, _ = _taxonomy()
    hits_cache: dict[tuple[int, int], tuple[list[_Hit], list[int]]] = {}   # clause -> (hits, their starts)
    out: list[CountMention] = []
    last_in_clause: dict[tuple[int, int], tuple[str, Optional[str], int]] = {}
    heads: list[tuple[int, str, Optional[str], int]] = []  # (num_start, indicator, label, sentence start)
    sentences: dict[tuple[int, int], Optional[str]] = {}
    for r in quantity_rows(text, True):
        q = _count_of_row(text, r, layout)
        if q is None:
            continue
        cs, ce = layout.clause_of(q.num_start)
        ss, se = layout.segment(q.num_start)
        sent = layout.sentence(q.num_start)
        key = (cs, ce)
        clause_hits = hits_cache.get(key)
        if clause_hits is None:
            ch = _clause_hits(text, cs, ce)
            clause_hits = hits_cache[key] = (ch, [h.start for h in ch])
        hits = _near(clause_hits[0], clause_hits[1], q) if clause_hits[0] else []  # (most clauses have no wording)
        indicator, label, start = "other", None, q.start
        hit = _choose(text, q, hits, (ss, se), clause_level=False) if hits else None
        inherited = None
        obj = _object_after(text, q.end, se)
        if hit is None and obj:
            by_obj = _by_object(obj, q, text, inds)
            if by_obj:
                indicator, label = by_obj, obj
        if hit is None and indicator == "other":
            prev = last_in_clause.get(key)
            if prev and prev[0] != "other" and prev[2] < ss and _fits(inds[prev[0]], q, text):
                inherited = prev
        if hit is None and inherited is None and indicator == "other":
            hit = _choose(text, q, hits, (ss, se), clause_level=True) if hits else None
        if hit is None and inherited is None and indicator == "other":
            inherited = _sublist_head(text, q, heads, sent, cs, inds)
        if hit is None and inherited is None and indicator == "other" and out:
            inherited = _parallel_item(text, q, out[-1], (cs, ce), sent, inds)
        if hit is not None:
            indicator = hit.key
            label = hit.text
            between = False
            for o in reversed(out):  # a figure between the wording and this number?
                if o.end <= hit.end:
                    break
                if o.end <= q.start:
                    between = True
                    break
            if ss <= hit.start < q.start and not between and hit.end <= q.start:
                start = hit.start
        elif inherited is not None:
            indicator, label = inherited[0], inherited[1]
        # the label as written before the number: only wanted for an inherited indicator or no label
        own = _label_before(text, ss, q.start) if inherited is not None or label is None else None
        if inherited is not None and own:
            label = own
        if label is None:
            after_label = _label_after(text, q.end, se)
            label = after_label if after_label and len(after_label) >= 2 else (own or after_label)
        if indicator == "rules_made" and obj and hit is not None and hit.end <= q.start:
            label = f"{hit.text}…{obj}"
        s0, s1 = sent
        if s1 - s0 > SENTENCE_MAX:
            s0, s1 = max(s0, q.start - SENTENCE_MAX // 2), min(s1, q.end + SENTENCE_MAX // 2)
        if (s0, s1) not in sentences:
            sentences[(s0, s1)] = text[s0:s1].strip() or None
        sentence = sentences[(s0, s1)]
        s0 = sent[0]
        if not (math.isfinite(q.value) and (q.low is None or math.isfinite(q.low))
                and (q.high is None or math.isfinite(q.high))):
            continue
        # values are checked above and spans come from the text: build without re-validation (hot loop)
        cm = _new_count(
            text=text[start:q.end], start=start, end=q.end, indicator=indicator, label=label,
            value=float(q.value), approx=q.approx, low=q.low, high=q.high, unit=q.unit, object=obj,
            period=None, place=None, sentence=sentence, period_source=None, place_source=None,
        )
        out.append(cm)
        last_in_clause[key] = (indicator, label, q.num_start)
        heads.append((q.num_start, indicator, label, s0))
    return out


_new_count = constructor(CountMention)   # construct_all(CountMention, …) without its per-call steps


PARALLEL_LABEL_MAX = 10  # 处分县处级干部5人,乡科级干部46人,一般干部12人: the short label of a parallel item


def _parallel_item(text: str, q: Quantity, prev: CountMention, clause: tuple[int, int], sent,
                   inds) -> Optional[tuple[str, Optional[str], int]]:
    """处分县处级干部5人,乡科级干部46人: a clause that is only a short label and a figure continues the
    list of the clause before it when that clause ended with a figure of an indicator taking this unit."""
    cs, ce = clause
    if prev.indicator == "other" or prev.start < sent[0] or not _fits(inds[prev.indicator], q, text):
        return None
    if cs - prev.end > 4 or ce - q.end > 4 or q.start - cs > PARALLEL_LABEL_MAX + 4:
        return None
    if text[prev.end:cs].strip(" ，,；;、") != "":  # the previous clause must end with its figure
        return None
    if text[q.end:ce].strip() != "":  # this clause must end with the figure
        return None
    lead = text[cs:q.start].strip()
    if len(lead) > PARALLEL_LABEL_MAX:
        return None
    return prev.indicator, prev.label, prev.start


def _sublist_head(text: str, q: Quantity, heads, sent, cs: int, inds) -> Optional[tuple[str, Optional[str], int]]:
    """其中业务内129件次: a figure of a 其中 list takes the indicator of the figure the list details."""
    s0 = max(sent[0], q.num_start - 300)
    k = text.rfind("其中", s0, q.num_start)
    if k < 0 or text.find("；", k, q.num_start) >= 0 or text.find(";", k, q.num_start) >= 0:
        return None
    for num_start, ind, label, hs in reversed(heads):
        if hs < s0:
            break
        if hs == s0 and num_start < k:
            if ind != "other" and _fits(inds[ind], q, text):
                return ind, label, num_start
            return None
    return None


def stage(article: Article) -> None:
    text = article.text or ""
    # a numeral inside a place name (五家渠市, 六合区) is part of the name
    places = _PlaceSpans([(p.start, p.end) for p in article.places]) if article.places else None
    try:
        counts = _extract(text) if text else []
    except Exception as exc:  # pragma: no cover - defensive: the article keeps its other facts
        article.issue("counts", f"{type(exc).__name__}: {exc}")
        counts = []
    if places:
        counts = [c for c in counts if not _in_a_place(c, text, places)]
    article.counts = counts


class _PlaceSpans:
    """Place spans sorted by start, for the places overlapping a span without a scan of all of them."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        # a span overlapping [start, end) starts before ``end`` and after ``start - longest``
        lo = bisect.bisect_right(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [(s, e) for s, e in self.spans[lo:hi] if s < end and start < e]


def _in_a_place(c: CountMention, text: str, places: "list[tuple[int, int]] | _PlaceSpans") -> bool:
    """Whether the count's number stands inside a place mention (五家渠市, 六合区)."""
    if not isinstance(places, _PlaceSpans):
        places = _PlaceSpans(places)
    return any(_num_inside(c, text, s, e) for s, e in places.overlapping(c.start, c.end))


def _num_inside(c: CountMention, text: str, s: int, e: int) -> bool:
    m = _DIGIT_RX.search(text[c.start:c.end])
    if not m:
        return False
    pos = c.start + m.start()
    return s <= pos < e
