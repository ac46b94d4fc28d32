"""The round-3 fast paths of the attribute, measures and sentences code (issue 10) give what the
plain code gives, on the normalized corpus texts and on random texts of the characters that matter:

- sentences: a paragraph's sentences from the positions of the end marks (str.find) vs. the
  ``_SENT_PIECE`` regex search per paragraph.
"""
from __future__ import annotations

import functools
import pathlib
import random

import pytest
from hypothesis import given, settings, strategies as st

from extractor import sentences as S

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"

ALPHABET = "。!?\uff01\uff1f”’」』\"')\uff09\n \t\u3000\u00a0\x0b\x1c\x85\u2028,，;：…12a市县在、“《"


@functools.lru_cache(maxsize=1)
def corpus_texts() -> tuple[str, ...]:
    from extractor.pipeline import extract

    paths = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "real").glob("*.txt")) \
        + sorted((ROOT / "corpus").glob("*.txt"))
    if not paths:
        pytest.skip("no corpus")
    return tuple(extract(p.read_text(encoding="utf-8", errors="replace")).text for p in paths)


# ---------------------------------------------------------------------------- sentences

def _plain_sentence_pieces(text, paras):
    sents, owners = [], []
    for pi, (ps, pe) in enumerate(paras):
        sents += [m.span() for m in S._SENT_PIECE.finditer(text, ps, pe)]
        owners += [pi] * (len(sents) - len(owners))
    return sents, owners


def _check_pieces(text):
    paras = S.paragraphs(text)
    assert S._sentence_pieces(text, paras) == _plain_sentence_pieces(text, paras)
    assert S.paragraphs_sentences_owners(text) == (paras, *_plain_sentence_pieces(text, paras))


def test_sentence_pieces_from_end_marks_same_as_regex_on_corpus():
    for text in corpus_texts():
        _check_pieces(text)


def test_sentence_pieces_from_end_marks_same_as_regex_on_random_text():
    rnd = random.Random(3)
    for _ in range(5000):
        _check_pieces("".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 60))))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_sentence_pieces_from_end_marks_same_as_regex_hypothesis(text):
    _check_pieces(text)
