"""Paragraph, sentence and clause boundaries as ``(start, end)`` offsets into a text.

Tiny and dependency-free so every stage can share it:

    paragraphs(text)            -> [(s, e), ...]   one per non-blank line
    sentences(text)             -> [(s, e), ...]   split after 。 ! ? (half or full width) (and a closing quote)
    clauses(text, start, end)   -> [(s, e), ...]   split at commas, semicolons, colons (half or full width) inside [start, end)

Offsets never cover the surrounding whitespace; ``text[s:e]`` is the piece.
A digit-grouping comma (``1,234``) does not split a clause.
"""
from __future__ import annotations

import bisect
import functools

import regex

_SENT_END = regex.compile(r"[。!?\uff01\uff1f]+[”’」』\"')\uff09]*|\n+")
_CLAUSE_SEP = regex.compile(r"[\uff0c;\uff1b:\uff1a]|(?<!\d),(?!\d)|——")
_PARA_SEP = regex.compile(r"\n+")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _split(text: str, start: int, end: int, sep: "regex.Pattern", keep_sep: bool) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for m in sep.finditer(text, start, end):
        piece_end = m.end() if keep_sep else m.start()
        s, e = _trim(text, pos, piece_end)
        if e > s:
            out.append((s, e))
        pos = m.end()
    s, e = _trim(text, pos, end)
    if e > s:
        out.append((s, e))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines."""
    if not isinstance(text, str) or not text:
        return []
    return _split(text, 0, len(text), _PARA_SEP, keep_sep=False)


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences (a line break also ends one); the end punctuation stays in the sentence."""
    if not isinstance(text, str) or not text:
        return []
    end = len(text) if end is None else min(end, len(text))
    return _split(text, max(0, start), end, _SENT_END, keep_sep=True)


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
