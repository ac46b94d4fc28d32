"""Stage 'measures': named policies, mechanisms, documents and formulas (SPEC.md "measures").

Three sources, each driven by ``patterns/measures.yaml``:

* ``document`` — a 《…》 title whose last word is a document kind (意见, 办法, 通知 …);
  books, speeches, newspapers and bare back-references (《通知》) are left out;
* ``named`` / ``formula`` — a “…” name with evidence that it is a working method: a kind word
  after it (“开门全员接访”制度, “1+X”轮流接访模式, “镇案镇办”的原则, “A”“B”等方式), a kind word inside
  it (“四基攻坚行动”), a cue before it (运用“四种形态”, 以“X”为抓手, an organ: 县纪委监委“X”), or a
  numbered shape (“六统一”, “三访合一”); problem labels, slogans, outcomes and organization
  structures are not measures;
* unquoted specific names after a promulgation verb (制定镇街处分决定执行工作细则), and fixed names
  (中央八项规定) wherever they occur.

One entry per distinct name per article, at its first mention.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Optional

import regex

from .article import Article
from .models import MeasureMention, constructor
from .resources import load_yaml

_QUOTE_STRIP = regex.compile(r"[\s“”\"'‘’「」『』《》〈〉<>]")
_HAN = regex.compile(r"\p{Han}")
_CJK = re.compile("[\u4e00-\u9fff]")  # CJK Unified Ideographs, all Han: a cheap first test
_YEAR_LED = re.compile(r"\d{4}年")
# regex's \s (Unicode White_Space) written out, for the patterns compiled with stdlib re
_WS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _has_han(s: str) -> bool:
    return _CJK.search(s) is not None or _HAN.search(s) is not None


# _QUOTE_STRIP as a deletion table for str.translate (faster on short names): regex's \s is
# Unicode White_Space, spelled out in _WS
_QUOTE_STRIP_TABLE = dict.fromkeys(map(ord, "“”\"'‘’「」『』《》〈〉<>\t\n\x0b\x0c\r \x85\xa0\u1680"
                                        + "".join(map(chr, range(0x2000, 0x200b)))
                                        + "\u2028\u2029\u202f\u205f\u3000"))


_QUOTE_STRIP_ANY = re.compile("[“”\"'‘’「」『』《》〈〉<>" + _WS + "]")  # the same characters, to test for


def name_key(name: str) -> str:
    """The identity of a measure name (quotes, 《》 and spaces removed), as the scorer compares them."""
    if not name:
        return ""
    return name.translate(_QUOTE_STRIP_TABLE) if _QUOTE_STRIP_ANY.search(name) else str(name)


class _Hit(str):
    """A suffix found by :class:`_Suffixes` (``group(0)`` like a regex match)."""

    def group(self, _i: int = 0) -> str:
        return str(self)


class _Suffixes:
    """Which of a word list a string ends with (longest first) — ``str.endswith``, no regex scan;
    only the words ending in the string's last character are tried."""

    def __init__(self, words):
        self.words = tuple(sorted({w for w in words if w}, key=len, reverse=True))
        self.by_last: dict[str, tuple] = {}
        for w in self.words:  # longest first within each last character
            self.by_last[w[-1]] = self.by_last.get(w[-1], ()) + (w,)

    def search(self, s: str):
        ws = self.by_last.get(s[-1:])
        if ws is not None:
            for w in ws:
                if s.endswith(w):
                    return _Hit(w)
        return None


def _alt(words) -> str:
    """A regex alternation, longest first (so 实施意见 wins over 意见)."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


# Patterns without \p{...} are compiled with stdlib re: the same syntax and matches here, and
# cheaper calls (classify_quote makes ~10 small matches per quote).
@dataclass(frozen=True)
class _Rules:
    doc_title: "re.Pattern"
    doc_kind: _Suffixes
    title_note: "re.Pattern"
    work_cue: _Suffixes
    min_doc_chars: int
    quote: "re.Pattern"
    quote_named: "re.Pattern"
    quote_named_curly: "re.Pattern"
    named_kind_at: "re.Pattern"
    named_kind_end: _Suffixes
    gap_kind_at: "regex.Pattern"
    gap_hint: "re.Pattern"
    style_kinds: frozenset
    link_kind_at: "re.Pattern"
    group_next: "re.Pattern"
    group_kind_at: "re.Pattern"
    function_chars: "re.Pattern"
    cue_before: _Suffixes
    frame_after: "re.Pattern"
    frame_before: str
    organ_before: _Suffixes
    formula_shape: "re.Pattern"
    formula_max: int
    formula_long_marks: frozenset
    formula_long_max: int
    excluded: frozenset
    org_end: _Suffixes
    bad_tail: "re.Pattern"
    bad_end: _Suffixes
    problem_words: "re.Pattern"
    max_name: int
    min_name: int
    sentence_marks: frozenset
    list_marks: frozenset
    outcome_marks: frozenset
    unquoted_kind: "re.Pattern"
    unquoted_max: int
    unquoted_drop: frozenset
    fuller_tail: "regex.Pattern"
    unquoted_min: int
    unquoted_cue: "re.Pattern"
    generic: "re.Pattern"
    organ_prefix: "regex.Pattern"
    fixed: tuple
    fixed_re: Optional["re.Pattern"]
    follow_firsts: object  # characters after a quote that can start its kind word (see _may_name)
    # quote_named / quote_named_curly keeping only the quotes _may_name lets through (the quoted
    # words are group "q"), or None when its tests cannot be written into the pattern
    quote_may_name: Optional["re.Pattern"]
    quote_may_name_curly: Optional["re.Pattern"]


@functools.lru_cache(maxsize=1)
def rules() -> _Rules:
    cfg = load_yaml("measures.yaml") or {}
    doc_kinds = cfg.get("document_kinds", [])
    named = cfg.get("named_kinds", [])
    gap = cfg.get("named_kinds_after_gap", [])
    gap_max = int(cfg.get("max_gap_chars", 4))
    links = cfg.get("link_words", ["的"])
    cues = cfg.get("cue_before", [])
    organs = cfg.get("organ_suffixes", [])
    nums = cfg.get("formula_numerals", "一二两三四五六七八九十0-9")
    unq = cfg.get("unquoted", {}) or {}
    fixed = tuple((f["name"], f.get("kind")) for f in cfg.get("fixed", []) or [])
    excluded = set()
    for key in ("problem_labels", "slogans", "time_labels", "outcomes"):
        excluded.update(cfg.get(key, []) or [])
    group_tail = regex.escape(cfg.get("group_tail", "等"))
    fchars = str(cfg.get("name_function_chars", "") or "")
    unq_cues = _alt(unq.get("cue_before", []))
    unq_kinds = _alt(unq.get("kinds", []))
    umin, umax = int(unq.get("min_chars", 8)), int(unq.get("max_chars", 26))
    sentence_marks = frozenset(cfg.get("sentence_marks", ",\uff0c。!?\uff01\uff1f;\uff1b:\uff1a"))
    marks = "".join(re.escape(c) for c in sorted(sentence_marks))
    body = f"“”「」\\n{marks}"   # (the inside of the negated class of a quote's words)
    gap_hint = rf"(?s:.){{1,{gap_max}}}?(?:{_alt(gap)})"
    gap_len = gap_max + max(map(len, gap), default=0)   # the longest match of gap_hint
    follow_firsts = _firsts(list(named) + list(links) + list("、和及与“「") + [cfg.get("group_tail", "等")])
    named_end = _Suffixes(named)
    cue_lasts = (set(_Suffixes(cues).by_last) | set(_Suffixes(organs).by_last), cfg.get("cue_frame_before", "以"),
                 set(named_end.by_last))
    return _Rules(
        doc_title=re.compile(r"《([^《》\n]{1,100})》"),
        doc_kind=_Suffixes(doc_kinds),
        work_cue=_Suffixes(cfg.get("document_not_before", []) or []),
        title_note=re.compile(r"[(\uff08][^()\uff08\uff09]{1,12}[)\uff09]$"),
        min_doc_chars=int(cfg.get("min_document_chars", 4)),
        quote=re.compile(r"[“「]([^“”「」\n]{1,60})[”」]"),
        # the quotes classify_quote may accept: no sentence mark inside (a quote that holds one is
        # skipped by the scan instead of being judged; none of the others changes); and the same
        # on a text without 「, led by one literal character, which the engine finds faster
        quote_named=re.compile(rf"[“「]([^{body}]{{1,60}})[”」]"),
        quote_named_curly=re.compile(rf"“([^{body}]{{1,60}})[”」]"),
        named_kind_at=re.compile(rf"(?:{_alt(named)})"),
        named_kind_end=named_end,
        gap_kind_at=regex.compile(rf"(\p{{Han}}{{1,{gap_max}}}?)({_alt(gap)})"),
        # gap_kind_at with any characters in the gap: where it fails, gap_kind_at fails (cheaper call)
        gap_hint=re.compile(gap_hint),
        style_kinds=frozenset(cfg.get("gap_kinds_need_style_mark", [])),
        link_kind_at=re.compile(rf"(?:{_alt(links)})({_alt(cfg.get('link_kinds', named))})"),
        group_next=re.compile(r"[、和及与]?[“「][^“”「」\n]{1,20}[”」]"),
        group_kind_at=re.compile(rf"{group_tail}?({_alt(named)})"),  # (等方式方法: 方式, a prefix)
        function_chars=re.compile(f"[{re.escape(fchars)}]" if fchars else "(?!)"),
        cue_before=_Suffixes(cues),
        frame_after=re.compile(rf"(?:{_alt(cfg.get('cue_frame_after', []))})"),
        frame_before=cfg.get("cue_frame_before", "以"),
        organ_before=_Suffixes(organs),
        formula_shape=re.compile(rf"^[{nums}]"),
        formula_max=int(cfg.get("formula_max_chars", 10)),
        formula_long_marks=frozenset(cfg.get("formula_long_marks", "+")),
        formula_long_max=int(cfg.get("formula_long_max_chars", 16)),
        excluded=frozenset(excluded),
        org_end=_Suffixes(cfg.get('organization_endings', [])),
        bad_tail=re.compile(rf"(?:{_alt(cfg.get('not_measure_tails', []))})"),
        problem_words=re.compile(rf"(?:{_alt(cfg.get('problem_words', []) or ['腐败'])})"),
        bad_end=_Suffixes(cfg.get('not_measure_endings', [])),
        max_name=int(cfg.get("max_name_chars", 20)),
        min_name=int(cfg.get("min_name_chars", 2)),
        sentence_marks=sentence_marks,
        list_marks=frozenset(cfg.get("list_marks", "、")),
        outcome_marks=frozenset(cfg.get("outcome_marks", "<>=")),
        unquoted_kind=re.compile(rf"(?:{unq_kinds})(?=[,\uff0c。;\uff1b、:\uff1a!?\uff01\uff1f{_WS})\uff09”《等的和及与]|$)"),
        unquoted_max=umax,
        unquoted_drop=frozenset(unq.get("drop_kind", [])),
        fuller_tail=regex.compile(rf"[”」]?(\p{{Han}}{{1,4}}?)({_alt(unq.get('drop_kind', []) or ['模式'])})"),
        unquoted_min=umin,
        unquoted_cue=re.compile(rf"(?:{unq_cues})"),
        generic=re.compile(rf"(?:{_alt(unq.get('generic_words', []) or ['各类'])})"),
        organ_prefix=regex.compile(rf"^\p{{Han}}{{0,8}}?(?:{_alt(organs)})"),
        fixed=fixed,
        fixed_re=re.compile(_alt([n for n, _ in fixed])) if fixed else None,
        follow_firsts=follow_firsts,
        quote_may_name=_may_name_pattern("[“「]", body, follow_firsts, gap_hint, gap_len, nums, cue_lasts, excluded),
        quote_may_name_curly=_may_name_pattern("“", body, follow_firsts, gap_hint, gap_len, nums, cue_lasts,
                                               excluded),
    )


def _may_name_pattern(opener: str, body: str, follow_firsts, gap_hint: str, gap_len: int, nums: str,
                      cue_lasts, excluded=()) -> Optional["re.Pattern"]:
    """A quote pattern (``opener``, ``body`` as group ``q``, a closing quote) that matches only where
    :func:`_may_name` would let the quote through, its tests done by the engine: a cue's, an organ's
    or the frame word's last character before the opening quote (a look-behind), a formula numeral
    first among the quoted words as stripped (``\\s*`` then the class: stdlib re's ``\\s`` is
    str.isspace, what strip removes), a kind word's last character last among them (a look-ahead
    to the closing quote over characters of the body), or a character that can start a kind word,
    or ``gap_hint``, after the closing quote. A quote the body cannot match is no match either
    way; the body holds no opening or closing quote, so the quotes matched are those of the plain
    pattern that _may_name lets through, in order. None (use the plain pattern and _may_name) when
    any character may follow, the frame word is empty (every quote passes), or ``gap_hint`` can
    reach past the 24 characters _may_name gives it.

    A quote whose stripped words are one of ``excluded`` (which :func:`_turned_away` turns away)
    is no match either (a look-ahead right after the opening quote: spaces, the phrase, spaces,
    the closing quote), when no phrase is empty or has a space at either end."""
    ends, frame, kind_lasts = cue_lasts
    if not isinstance(follow_firsts, frozenset) or not frame or gap_len > 24 or not follow_firsts:
        return None

    def cls(chars) -> str:
        return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"

    before = set(ends) | {frame[-1]}
    tests = [rf"(?<={cls(before)}.)(?P<_cb>)", rf"(?=\s*[{nums}])(?P<_cf>)"]
    if kind_lasts:
        tests.append(rf"(?=[^{body}]*{cls(kind_lasts)}\s*[”」])(?P<_ck>)")
    else:
        tests.append("(?P<_ck>(?!))")
    skip = ""
    if excluded and all(w and w.strip() == w for w in excluded):
        skip = rf"(?!\s*(?:{'|'.join(re.escape(w) for w in sorted(excluded, key=len, reverse=True))})\s*[”」])"
    return re.compile(rf"{opener}{skip}(?>(?:{'|'.join(tests)})?)(?P<q>[^{body}]{{1,60}})[”」]"
                      rf"(?(_cb)|(?(_cf)|(?(_ck)|(?={cls(follow_firsts)}|{gap_hint}))))")


class _AnyCharacter:
    """The first characters of a word list that holds the empty word: every character."""

    def __contains__(self, c) -> bool:
        return True


def _firsts(words):
    """First characters of ``words`` (any match of their alternation starts with one of them)."""
    words = list(words)
    return frozenset(w[0] for w in words) if all(words) else _AnyCharacter()


# ----------------------------------------------------------------------------- documents

def document_kind(title: str) -> Optional[str]:
    """The kind of a 《》 title (its last kind word), or None when it is not a policy document."""
    r = rules()
    core = title.strip()
    while True:  # drop trailing notes such as (试行)
        m = r.title_note.search(core)
        if not m:
            break
        core = core[: m.start()].rstrip()
    if "〈" in core or "<" in core:  # a title quoting another work (《〈福州古厝〉序》)
        return None
    m = r.doc_kind.search(core)
    if not m:
        return None
    if len(core) < r.min_doc_chars or len(core) == len(m.group(0)):
        return None  # a bare back-reference: 《通知》, 《意见》
    return m.group(0)


def _documents(text: str, titles=None):
    """Policy documents among the 《》 titles (``titles``: their matches of ``doc_title``, if known)."""
    r = rules()
    for m in (r.doc_title.finditer(text) if titles is None else titles):
        if r.work_cue.search(text[max(0, m.start() - 8):m.start()].rstrip()):
            continue  # 专题片《…》, 发表《…》: a work, not a policy
        kind = document_kind(m.group(1))
        if kind:
            yield m.start(), m.end(), m.group(1), kind, "document"


# ----------------------------------------------------------------------------- quoted names

def _is_formula(q: str) -> bool:
    r = rules()
    if not r.formula_shape.search(q):
        return False
    if len(q) > (r.formula_long_max if not r.formula_long_marks.isdisjoint(q) else r.formula_max):
        return False
    if q.isdigit() or _YEAR_LED.match(q):
        return False
    return True


def classify_quote(text: str, qs: int, qe: int) -> Optional[tuple[str, Optional[str], str, int]]:
    """Judge the quoted name ``text[qs:qe]`` (inside “”); returns (name, kind, form, end) or None.

    ``end`` is where the mention ends in ``text`` (after the kind word when one follows).
    """
    r = rules()
    q = text[qs:qe].strip()
    if _turned_away(r, q):
        return None
    return _judge(r, text, qs, qe, q)


def _turned_away(r: _Rules, q: str) -> bool:
    """What the quoted words ``q`` (stripped) alone rule out, wherever they stand: a length outside
    the limits, an excluded phrase (problem labels, slogans …), a sentence mark."""
    return not (r.min_name <= len(q) <= r.max_name) or q in r.excluded or not r.sentence_marks.isdisjoint(q)


def _judge(r: _Rules, text: str, qs: int, qe: int, q: str) -> Optional[tuple[str, Optional[str], str, int]]:
    """classify_quote for a quote ``q`` = ``text[qs:qe].strip()`` that :func:`_turned_away` lets through."""
    if not _may_name(r, text, qs, qe, q):
        return None
    return _judged(r, text, qs, qe, q)


def _judged(r: _Rules, text: str, qs: int, qe: int, q: str) -> Optional[tuple[str, Optional[str], str, int]]:
    """:func:`_judge` for a quote that :func:`_may_name` lets through."""
    has_list = not r.list_marks.isdisjoint(q)
    has_han = _has_han(q)
    after_pos = qe + 1  # after the closing ”
    after = text[after_pos: after_pos + 24]
    kind = None
    name = q
    end = after_pos

    m = r.named_kind_at.match(after)
    if m:
        kind, end = m.group(0), after_pos + m.end()
    elif has_list:
        return None  # a quoted list is a name only when a kind word follows directly
    elif r.problem_words.search(q):
        return None  # “期权腐败”: a kind of misconduct
    else:
        m = r.link_kind_at.match(after)
        if m:
            kind, end = m.group(1), after_pos + m.end()
        else:
            m = r.gap_kind_at.match(after) if r.gap_hint.match(after) else None
            if m and (m.group(2) not in r.style_kinds or "式" in m.group(1)):
                kind, end = m.group(2), after_pos + m.end()
                if not has_han:  # “1+X”轮流接访模式 → 1+X轮流接访
                    name = q + m.group(1)
            else:
                pos = after_pos
                for _ in range(6):  # “A”“B”“C”等方式 (a bounded run: no quadratic scan of a long list)
                    g = r.group_next.match(text, pos, pos + 30)
                    if not g:
                        break
                    pos = g.end()
                g = r.group_kind_at.match(text, pos, pos + 12)
                if g and (pos > after_pos or g.group(0) != g.group(1)):  # “A”等方式 needs the 等
                    kind = g.group(1)
    if kind is None and r.bad_tail.match(after):
        return None
    if r.bad_end.search(q):
        return None
    formula = has_han and _is_formula(q) or (not has_han and kind is not None)
    if formula and not has_han and name != q:
        formula = False  # 1+X轮流接访 is a named method
    if formula and (not r.outcome_marks.isdisjoint(q) or r.org_end.search(q)):
        return None
    if not has_han and kind is None:
        return None
    cued = kind is None and _cued(text, qs - 1, qe)  # a cue matters only to a quote without a kind word
    if kind is None:
        m = r.named_kind_end.search(q)
        # a kind word inside the quote (“四基攻坚行动”) names a measure when the quote reads as a
        # name, not as a quoted phrase (“要多抓这样造福人民的工程”)
        if m and len(m.group(0)) < len(q) and (cued or formula or ("的" not in q and len(q) <= 10)):
            kind = m.group(0)
    if kind is None and not formula and not cued:
        return None
    form = "formula" if formula and name == q else "named"
    return name, kind, form, end


def _may_name(r: _Rules, text: str, qs: int, qe: int, q: str) -> bool:
    """A cheap test that classify_quote needs: False only where it rejects the quote anyway.

    It accepts a quote only with a kind word (right after it, after 的, after a short gap, after a
    run of quotes and 等, or at its own end), as a formula (a quote that starts with a numeral),
    or with a cue before it; this looks at the characters each of those needs."""
    if text[qe + 1:qe + 2] in r.follow_firsts or r.gap_hint.match(text, qe + 1, qe + 25):
        return True
    if q[-1:] in r.named_kind_end.by_last or r.formula_shape.search(q):
        return True
    open_pos = qs - 1
    before_last = text[open_pos - 1:open_pos] if open_pos >= 1 else ""
    if before_last and (before_last in r.cue_before.by_last or before_last in r.organ_before.by_last):
        return True
    if not r.frame_before:  # every text ends with the empty frame word
        return True
    return before_last == r.frame_before[-1]


def _cued(text: str, open_pos: int, qe: int) -> bool:
    """A cue right before the opening quote at ``open_pos`` (运用“…”, 以“…”为抓手, 纪委监委“…”)."""
    r = rules()
    # each test below needs the character before the quote to end its word: without one, no cue
    last = text[open_pos - 1:open_pos] if open_pos >= 1 else ""
    if last not in r.cue_before.by_last and last not in r.organ_before.by_last \
            and r.frame_before and last != r.frame_before[-1]:
        return False
    before = text[max(0, open_pos - 8): open_pos]
    if r.cue_before.search(before) or r.organ_before.search(before):
        return True
    if before.endswith(r.frame_before) and r.frame_after.match(text, qe + 1, qe + 8):
        return True
    return False


def _inside(pos: int, blocked: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and blocked[i][0] <= pos < blocked[i][1]


def _quoted(text: str, blocked: list[tuple[int, int]]):
    r = rules()
    starts = [b[0] for b in blocked]
    accepted: set[str] = set()  # one entry per name: a name already taken needs no second look
    # each distinct quote's words stripped, or None when they alone turn it away (_turned_away):
    # a slogan quoted ten times is looked at once
    words: dict[str, Optional[str]] = {}
    # the quotes _may_name lets through, found by the engine (see _may_name_pattern), else every
    # quote that may be a name and _may_name asked for each
    scan = r.quote_may_name if "「" in text else r.quote_may_name_curly
    if scan is not None:
        judge, gi = _judged, "q"
    else:
        scan, judge, gi = (r.quote_named if "「" in text else r.quote_named_curly), _judge, 1
    for m in scan.finditer(text):
        g = m.group(gi)
        if g in accepted or (blocked and _inside(m.start(), blocked, starts)):
            continue
        if g in words:
            q = words[g]
        else:
            q = words[g] = None if _turned_away(r, g.strip()) else g.strip()
        if q is None:
            continue
        got = judge(r, text, m.start(gi), m.end(gi), q)
        if got:
            accepted.add(g)
            name, kind, form, end = got
            yield m.start(), end, name, kind, form


# ----------------------------------------------------------------------------- unquoted names

_HAN_RUN_BACK = regex.compile(r"\p{Han}+$")


def _unquoted(text: str):
    """Kind words (制度, 办法, 细则 …) closing a run of Chinese that starts after a cue verb."""
    r = rules()
    for k in r.unquoted_kind.finditer(text):
        ks, ke = k.span()
        lo = max(0, ks - r.unquoted_max)
        run = _HAN_RUN_BACK.search(text, lo, ks)
        if run is None:
            continue
        cues = list(r.unquoted_cue.finditer(text, run.start(), ks))
        if not cues:
            continue
        first, last = cues[0], cues[-1]
        cut = last if ke - last.end() >= r.unquoted_min else first
        start = cut.end()
        if text.startswith("了", start):
            start += 1
        name = text[start:ke]
        p = r.organ_prefix.match(name)
        if p and len(name) - p.end() >= r.unquoted_min:
            name, start = name[p.end():], start + p.end()
        if len(name) < r.unquoted_min or r.function_chars.search(name) or r.generic.search(name):
            continue
        kind = k.group(0)
        if kind in r.unquoted_drop:
            name = name[: -len(kind)]
        yield start, ke, name, kind, "named"


def _fixed(text: str):
    r = rules()
    if r.fixed_re is None:
        return
    kinds = dict(r.fixed)
    for m in r.fixed_re.finditer(text):
        yield m.start(), m.end(), m.group(0), kinds.get(m.group(0)), "named"


# ----------------------------------------------------------------------------- assembly

def _same_measure(key: str, seen) -> bool:
    """An unquoted mention that only adds 工作/a kind word to a known name is that measure."""
    for k in seen:
        if key.startswith(k) and len(key) - len(k) <= 4:
            return True
    return False


def _fuller_name(text: str, f: tuple, r: _Rules) -> tuple:
    """A quoted method named more fully elsewhere as ``X…模式`` takes that name
    (“提级联动交叉” … 提级联动交叉巡察模式 → 提级联动交叉巡察), as “1+X”轮流接访模式 does in place."""
    s, e, name, kind, form = f
    if form == "document" or not r.unquoted_drop or len(name) < 2:
        return f
    pos = text.find(name)
    while pos >= 0:
        m = r.fuller_tail.match(text, pos + len(name))
        if m and not r.function_chars.search(m.group(1)) and not r.named_kind_at.fullmatch(m.group(1) + m.group(2)):
            return s, e, name + m.group(1), m.group(2), "named"
        pos = text.find(name, pos + 1)
    return f


def extract_measures(text: str) -> list[MeasureMention]:
    """Measures in ``text``, one per distinct name, ordered by first mention."""
    if not isinstance(text, str) or not text:
        return []
    try:
        r = rules()
    except Exception:  # patterns missing: no measures rather than a crash
        return []
    found: list[tuple] = []
    titles = list(r.doc_title.finditer(text))
    docs = list(_documents(text, titles))
    blocked = [m.span() for m in titles]
    starts = [b[0] for b in blocked]
    found.extend(docs)
    found.extend(_quoted(text, blocked))
    found.extend(_fixed(text))
    primary = {name_key(f[2]) for f in found}
    for cand in _unquoted(text):
        if _inside(cand[0], blocked, starts):
            continue
        key = name_key(cand[2])
        if key in primary or _same_measure(key, primary) or any(k in key for k in primary):
            continue
        found.append(cand)
    if any(k in text for k in r.unquoted_drop):
        fuller: dict[tuple, tuple] = {}  # once per distinct name: a name repeated 10⁴ times is one search
        out_found = []
        for f in found:
            key = (f[2], f[3], f[4])
            if key not in fuller:
                fuller[key] = _fuller_name(text, f, r)[2:]
            out_found.append((f[0], f[1]) + fuller[key])
        found = out_found
    found.sort(key=lambda f: (f[0], -f[1]))
    out: list[MeasureMention] = []
    seen: set[str] = set()
    for s, e, name, kind, form in found:
        key = name_key(name)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(_mention(text, s, e, name.strip(), kind, form))
    return out


_FORMS = frozenset(("document", "named", "formula"))
# construct_all(MeasureMention, …) without its per-call steps
_new_measure = constructor(MeasureMention)


def _mention(text: str, s: int, e: int, name: str, kind, form: str) -> MeasureMention:
    """``MeasureMention(...)``: values checked here as its validation would, then built without
    pydantic's per-field checks (``construct_all``'s instance); anything unusual goes through the validator."""
    if type(s) is int and type(e) is int and 0 <= s <= e <= len(text) and type(name) is str \
            and (kind is None or type(kind) is str) and form in _FORMS:
        return _new_measure(text=text[s:e], start=s, end=e, name=name, kind=kind, form=form, issuer=None,
                            date=None, place=None)
    return MeasureMention(text=text[s:e], start=s, end=e, name=name, kind=kind, form=form)


def stage(article: Article) -> None:
    article.measures = extract_measures(article.text)
