"""Paragraph, sentence and clause boundaries as ``(start, end)`` offsets into a text.

Tiny and dependency-free so every stage can share it:

    paragraphs(text)            -> [(s, e), ...]   one per non-blank line, and per space-joined
                                                   paragraph of a flattened page (see below)
    sentences(text)             -> [(s, e), ...]   split after 。 ! ? (half or full width) (and a closing quote)
    clauses(text, start, end)   -> [(s, e), ...]   split at commas, semicolons, colons (half or full width), dashes and ellipses inside [start, end)

Offsets never cover the surrounding whitespace; ``text[s:e]`` is the piece.
A digit-grouping comma (``1,234``) does not split a clause.

Scraped pages often arrive flattened, paragraphs joined by a space (``…公布。 重拳纠治…``,
``…真抓实干 2024年11月,…``). A run of spaces after sentence-final punctuation, or between Chinese
text of at least ``SOFT_BREAK_MIN`` characters and the next Chinese word, digit or quote, ends a
paragraph; short runs such as the padded name ``沈 洁`` do not.
"""
from __future__ import annotations

import bisect
import functools
import re

import regex

# A sentence end is ``[。!?！？]+[”’」』"')）]*|\n+``, a clause separator ``[，;；:：]|(?<!\d),(?!\d)|——|…+``.
# Both are written to start with one character class (the branch taken is told by a lookbehind on
# that first character), which lets stdlib ``re`` skip ahead to candidate characters: a pattern
# that starts with an alternation is tried at every position (3x slower). Same matches.
_END_MARKS = "。!?\uff01\uff1f"          # the characters that end a sentence (besides the line break)
_CLOSER_CHARS = "”’」』\"')\uff09"     # what may follow them in the same sentence
_SENT_END = re.compile(f"[{_END_MARKS}\n](?:(?<=\n)\n*|(?<!\n)[{_END_MARKS}]*[{_CLOSER_CHARS}]*)")
_CLAUSE_SEP = re.compile(r"[\uff0c;\uff1b:\uff1a,—…]"
                         r"(?:(?<=[\uff0c;\uff1b:\uff1a])|(?<=,)(?<!\d,)(?!\d)|(?<=—)—|(?<=…)…*)")
_PARA_SEP = regex.compile(r"\n+")   # (stdlib re tries a leading repeat at every position: 10x slower here)
_SOFT_BREAK = regex.compile(
    r"(?<=[。!?\uff01\uff1f…”’」』])[ \t\u3000\u00a0]+(?=\S)"
    r"|(?<=\p{Han})[ \t\u3000\u00a0]+(?=[\p{Han}\d“—《【])")
SOFT_BREAK_MIN = 6
# One sentence of a paragraph (no line break in it, no space at either edge): from its first
# non-space character to the end of the ``_SENT_END`` that closes it, or to the paragraph's end.
# Each end character starts an end (the ends are found left to right), so ``[^ends]*`` stops
# where the next end starts; a piece is never empty.
_SENT_PIECE = re.compile(f"(?=\\S)[^{_END_MARKS}\n]*(?:[{_END_MARKS}]+[{_CLOSER_CHARS}]*)?")
_MATCH_SPAN = re.Match.span
_SPACE_CHARS = " \t\u3000\u00a0"         # what a soft break is made of


def _positions(text: str, chars: str, start: int, end: int) -> list[int]:
    """Sorted positions of any of ``chars`` in ``text[start:end]``."""
    out: list[int] = []
    for c in chars:
        i = text.find(c, start, end)
        while i >= 0:
            out.append(i)
            i = text.find(c, i + 1, end)
    out.sort()
    return out


def _soft_breaks(text: str, start: int, end: int, spaces: list[int] | None = None) -> list[tuple[int, int]]:
    """The spans of ``_SOFT_BREAK.finditer(text, start, end)``, tried only where a run of spaces
    starts (inside a run its lookbehind fails: a space is neither punctuation nor Han). The spaces
    are found with str.find (``spaces``: their sorted positions in a range holding this one); the
    regex search steps through every character, and most lines have no space at all."""
    if spaces is None:
        spaces = _positions(text, _SPACE_CHARS, start, end)
    out: list[tuple[int, int]] = []
    last = start
    for k in range(bisect.bisect_left(spaces, start), len(spaces)):
        p = spaces[k]
        if p >= end:
            break
        if p < last or (p > 0 and text[p - 1] in _SPACE_CHARS):
            continue
        m = _SOFT_BREAK.match(text, p, end)
        if m is not None:
            out.append(m.span())
            last = m.end()
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _split(text: str, start: int, end: int, sep: re.Pattern, keep_sep: bool) -> list[tuple[int, int]]:
    return _pieces(text, start, end, [m.span() for m in sep.finditer(text, start, end)], keep_sep)


def _pieces(text: str, start: int, end: int, seps: list[tuple[int, int]], keep_sep: bool) -> list[tuple[int, int]]:
    """The trimmed, non-empty pieces of ``text[start:end]`` between the separator spans ``seps``
    (sorted, inside the range); with ``keep_sep`` each piece keeps the separator that ends it."""
    out: list[tuple[int, int]] = []
    pos = start
    for a, b in seps:
        s, e = pos, (b if keep_sep else a)
        if s < e and (text[s].isspace() or text[e - 1].isspace()):
            s, e = _trim(text, s, e)
        if e > s:
            out.append((s, e))
        pos = b
    s, e = pos, end
    if s < e and (text[s].isspace() or text[e - 1].isspace()):
        s, e = _trim(text, s, e)
    if e > s:
        out.append((s, e))
    return out


def _breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraph separators in ``text[start:end]``: line breaks and soft (space) breaks."""
    out: list[tuple[int, int]] = []
    last = start
    spaces = _positions(text, _SPACE_CHARS, start, end)
    for m in _PARA_SEP.finditer(text, start, end):
        for b in _soft_breaks(text, last, m.start(), spaces) if spaces else ():
            if b[0] - _piece_start(out, last) >= SOFT_BREAK_MIN or text[b[0] - 1] in "。!?\uff01\uff1f…”’」』":
                out.append(b)
        out.append(m.span())
        last = m.end()
    for b in _soft_breaks(text, last, end, spaces) if spaces else ():
        if b[0] - _piece_start(out, last) >= SOFT_BREAK_MIN or text[b[0] - 1] in "。!?\uff01\uff1f…”’」』":
            out.append(b)
    return out


_END_PUNCT = "。!?\uff01\uff1f…”’」』"   # _SOFT_BREAK's first lookbehind; a break after one is always kept
# the characters the regex module's \s matches (Unicode White_Space, all below U+3001; checked in
# the tests): a soft break after _END_PUNCT is followed by anything else
_REGEX_SPACE = frozenset(regex.findall(r"\s", "".join(map(chr, range(0x3001)))))


def _breaks_all(text: str) -> list[tuple[int, int]]:
    """``_breaks(text, 0, len(text))`` from the positions of the line breaks and spaces (str.find;
    a regex search steps through every character): each run of line breaks is a break; a whole run
    of spaces after sentence-final punctuation is one when a non-space follows it; any other run
    goes to ``_SOFT_BREAK`` only when it is far enough from the last break to be kept."""
    out: list[tuple[int, int]] = []
    n = len(text)
    pos = _positions(text, _SPACE_CHARS + "\n", 0, n)
    k, np_ = 0, len(pos)
    piece = 0   # where the current paragraph starts (the end of the last break kept)
    while k < np_:
        p = pos[k]
        q = p + 1
        k += 1
        if text[p] == "\n":
            while k < np_ and pos[k] == q and text[q] == "\n":
                q += 1
                k += 1
            out.append((p, q))
            piece = q
            continue
        while k < np_ and pos[k] == q and text[q] != "\n":   # the rest of the space run
            q += 1
            k += 1
        if p:
            if text[p - 1] in _END_PUNCT:
                if q < n and text[q] not in _REGEX_SPACE:
                    out.append((p, q))
                    piece = q
            elif p - piece >= SOFT_BREAK_MIN and _SOFT_BREAK.match(text, p) is not None:
                out.append((p, q))
                piece = q
    return out


def _piece_start(breaks: list[tuple[int, int]], floor: int) -> int:
    return max(floor, breaks[-1][1]) if breaks else floor


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines, and the space-joined paragraphs of a flattened page."""
    if not isinstance(text, str) or not text:
        return []
    return _pieces(text, 0, len(text), _breaks_all(text), keep_sep=False)


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences (a paragraph break also ends one); the end punctuation stays in the sentence."""
    if not isinstance(text, str) or not text:
        return []
    end = len(text) if end is None else min(end, len(text))
    out: list[tuple[int, int]] = []
    for ps, pe in _pieces(text, max(0, start), end, _breaks(text, max(0, start), end), keep_sep=False):
        out.extend(_split(text, ps, pe, _SENT_END, keep_sep=True))
    return out


def paragraphs_and_sentences(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """``(paragraphs(text), sentences(text))`` with the paragraph breaks found once (from the
    positions of the spaces and line breaks) and each paragraph's sentences by one regex search."""
    paras, sents, _ = paragraphs_sentences_owners(text)
    return paras, sents


def paragraphs_sentences_owners(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
    """``paragraphs_and_sentences(text)`` and, for each sentence, the index of its paragraph.

    A paragraph holds no line break and is trimmed, so its sentences are what ``_SENT_PIECE`` finds
    in it: the same pieces ``_split(text, ps, pe, _SENT_END, keep_sep=True)`` cuts, found from the
    positions of the end marks (:func:`_sentence_pieces`)."""
    if not isinstance(text, str) or not text:
        return [], [], []
    paras = _pieces(text, 0, len(text), _breaks_all(text), keep_sep=False)
    return paras, *_sentence_pieces(text, paras)


_CLOSERS = frozenset(_CLOSER_CHARS)


def _sentence_pieces(text: str, paras: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[int]]:
    """The matches of ``_SENT_PIECE`` in each paragraph (trimmed, no line break) and the index of
    the paragraph of each: from the positions of the end marks (str.find over the text, ~1 ns a
    character; the regex scan tests a class at every character, ~20 ns), a piece per run of marks
    (with the closing quotes after it) and one for the rest of the paragraph, each starting at
    the next non-space character."""
    ends = _positions(text, _END_MARKS, 0, len(text))
    sents: list[tuple[int, int]] = []
    owners: list[int] = []
    append = sents.append
    k, ne = 0, len(ends)
    closers = _CLOSERS
    for pi, (ps, pe) in enumerate(paras):
        n0 = len(sents)
        pos = ps   # never a space: paragraphs are trimmed, and the loop skips spaces
        while k < ne and ends[k] < pos:
            k += 1
        while True:
            if k >= ne or ends[k] >= pe:
                append((pos, pe))
                break
            e = ends[k] + 1
            k += 1
            while k < ne and ends[k] == e:   # a run of marks
                e += 1
                k += 1
            while e < pe and text[e] in closers:
                e += 1
            append((pos, e))
            while e < pe and text[e].isspace():
                e += 1
            if e >= pe:
                break
            pos = e
        owners += [pi] * (len(sents) - n0)
    return sents, owners


def clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Comma/semicolon/colon-separated pieces of ``text[start:end]`` (the separators dropped)."""
    if not isinstance(text, str) or not text:
        return []
    end = len(text) if end is None else min(end, len(text))
    return _split(text, max(0, start), end, _CLAUSE_SEP, keep_sep=False)


class Spans:
    """Sorted, non-overlapping spans with a fast ``index_of(pos)`` lookup."""

    __slots__ = ("spans", "_starts")

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self._starts = [s for s, _ in spans]

    def __len__(self) -> int:
        return len(self.spans)

    def index_of(self, pos: int) -> int:
        """Index of the span holding ``pos`` (or the last span starting before it); -1 if none."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return i


@functools.lru_cache(maxsize=8)
def _cached(kind: str, text: str) -> Spans:
    return Spans(paragraphs(text) if kind == "p" else sentences(text))


def paragraph_spans(text: str) -> Spans:
    return _cached("p", text)


def sentence_spans(text: str) -> Spans:
    return _cached("s", text)
