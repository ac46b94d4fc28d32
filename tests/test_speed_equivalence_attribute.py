"""The round-3 fast paths of the attribute, measures and sentences code (issue 10) give what the
plain code gives, on the normalized corpus texts and on random texts of the characters that matter:

- sentences: a paragraph's sentences from the positions of the end marks (str.find) vs. the
  ``_SENT_PIECE`` regex search per paragraph.
"""
from __future__ import annotations

import dataclasses
import functools
import random

import pytest
from hypothesis import given, settings, strategies as st

from extractor import sentences as S
from tests.test_speed_equivalence import corpus_texts as shared_corpus_texts


ALPHABET = "。!?\uff01\uff1f”’」』\"')\uff09\n \t\u3000\u00a0\x0b\x1c\x85\u2028,，;：…12a市县在、“《"


def corpus_texts() -> tuple[str, ...]:
    """The seed and real articles and corpus/ (see tests/test_speed_equivalence.py)."""
    return shared_corpus_texts(with_repo_corpus=True)


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


# ---------------------------------------------------------------------------- attribute

@functools.lru_cache(maxsize=1)
def _before_attribute():
    """The corpus articles as the attribute stage gets them (every stage before it has run)."""
    from extractor.article import Article
    from extractor.pipeline import Pipeline

    names = Pipeline().stage_names
    pipe = Pipeline(names[:names.index("attribute")])
    out = []
    for text in corpus_texts():
        art = Article(source="t", raw=text)
        pipe.run(art)
        out.append(art)
    return out


def _attributed(arts):
    import copy

    from extractor import attribute as A

    out = []
    for art in copy.deepcopy(arts):
        A.stage(art)
        out.append(([c.model_dump() for c in art.counts], [m.model_dump() for m in art.measures]))
    return out


def _plain_place_resolve(self, anchor, start=None, si=None):
    """PlaceResolver.resolve as it was: the rule names of scope.yaml compared for each figure."""
    import bisect

    from extractor import attribute as A

    a = anchor
    si = self.layout.sentence_of(a) if si is None else si
    for rule in self.sc.place_order:
        p = None
        if rule == "sentence" and si >= 0:
            p = self._before(a, self.layout.sents[si][0])
        elif rule == "paragraph":
            pi = self.layout.paragraph_of(a)
            if pi >= 0:
                p = self._before(a, self.layout.paras[pi][0])
        elif rule == "clause_after" and si >= 0:
            i = bisect.bisect_left(self._starts, a)
            if i < len(self.places) and self.places[i].start < self.layout.sents[si][1]:
                cs, ce = self.layout.clause_of(si, a)
                if self.places[i].start < ce:
                    p = self.places[i]
        elif rule == "preceding":
            p = self._before(a, 0)
        elif rule == "preceding_in_home" and self.home:
            p = self._before(a, 0)
            if p is not None and not A.within(p.adcode, self.home):
                p = None
        elif rule == "home" and self.home:
            return self.home, "home:" + str(self.home_label)
        if p is not None:
            return p.adcode, p.text
    return None, None


def test_attribution_same_as_the_plain_rules(monkeypatch):
    """Place rules as functions (not name comparisons per figure), the sentence's last date kept
    between the distributive and the sentence rule, joined date pairs tested once, a sentence's
    text shared by its figures: the same counts and measures as the plain forms."""
    from extractor import attribute as A

    arts = _before_attribute()
    assert sum(len(a.counts) for a in arts) > 300
    fast = _attributed(arts)
    monkeypatch.setattr(A.PlaceResolver, "resolve", _plain_place_resolve)
    monkeypatch.setattr(A.PeriodResolver, "_last_in_sentence_idx",
                        lambda self, si, a: self._last_before_idx(a, self.layout.sents[si][0]))
    monkeypatch.setattr(A.PeriodResolver, "_joined_at", lambda self, k: self._joined(self.dates[k], self.dates[k + 1]))
    sc = A.scope()
    monkeypatch.setattr(A, "scope", lambda: dataclasses.replace(sc, lead_firsts=None,   # lead_prefix.sub always
                                                                continuation_firsts=None))   # continuation.match too
    assert fast == _attributed(arts)


def test_sentence_lead_first_character_test_same_as_the_prefix_removal(monkeypatch):
    """sentence_lead turns a sentence away by the first character of its head (no prefix word's
    first character, no comma) only where removing the lead prefixes leaves a head anyway;
    _continued_from turns one away by its first character only where no opener matches."""
    from extractor import attribute as A

    sc = A.scope()
    assert sc.lead_firsts
    plain_sc = dataclasses.replace(sc, lead_firsts=None, continuation_firsts=None)
    arts = _before_attribute()
    extra = ["据统计,2023年1至9月,全市立案12件。", "据统计，，2023年立案5件。", "，2023年立案5件。", "今年以来,立案3件。",
             "同期 2023年", "其中2023年立案3件。", "2023年立案5件。其中3件。", "2023年立案5件。“其中3件。", "2023年立案5件。 其中",
             "2023年立案5件。其", "2023年立案5件。上述5件。"]
    from extractor.article import Article
    from extractor.dates import extract_dates

    extra_arts = [Article(source="t", raw=t, text=t, dates=extract_dates(t)) for t in extra]
    n = m = 0
    for art in list(arts) + extra_arts:
        layout = A.Layout(art.text)
        fast = A.PeriodResolver(art, layout)
        plain = A.PeriodResolver(art, layout)
        plain.sc = plain_sc
        for si in range(len(layout.sents)):
            got = fast.sentence_lead(si)
            assert got is plain.sentence_lead(si), (art.text[layout.sents[si][0]:layout.sents[si][1]])
            n += got is not None
            got = fast._continued_from(si)
            assert got is plain._continued_from(si), (art.text[layout.sents[si][0]:layout.sents[si][1]])
            m += got is not None
    assert n > 20 and m > 2


def test_place_rules_cover_the_configured_order():
    """Every rule name of scope.yaml's place order has its function (else it would be skipped)."""
    from extractor import attribute as A

    order = A.scope().place_order
    assert len(A._place_rules(A.PlaceResolver, tuple(order))) == len(order)


# ---------------------------------------------------------------------------- models

def _model_state(m):
    return (type(m), m.__dict__, list(m.__dict__), m.__pydantic_fields_set__, m.__pydantic_extra__,
            m.__pydantic_private__, m.model_dump_json(by_alias=True))


def _model_cases():
    import datetime as dt

    from extractor.models import CountMention, DateMention, MeasureMention, Period, PlaceMention

    d1, d2 = dt.date(2020, 1, 1), dt.date(2020, 3, 31)
    return [
        (DateMention, dict(text="2020年1至3月", start=0, end=8, kind="range", from_=d1, to=d2, granularity="month")),
        (Period, dict(from_=d1, to=None)),
        (Period, dict(from_=None, to=d2)),
        (MeasureMention, dict(text="“四种形态”", start=2, end=8, name="四种形态", kind=None, form="named",
                              issuer=None, date=None, place=None)),
        (PlaceMention, dict(text="福州市", start=3, end=6, name="福州市", level="city", adcode="350100",
                            path=["福建省", "福州市"], candidates=[], resolved_by="unique")),
        (CountMention, dict(text="立案3人", start=1, end=5, indicator="case_filed", label="立案", value=3.0,
                            approx="exact", low=None, high=None, unit="人", object=None, period=None, place=None,
                            sentence=None, period_source=None, place_source=None)),
    ]


@pytest.mark.parametrize("case", range(6))
def test_constructor_and_construct_all_build_model_construct_instances(case):
    """models.constructor(cls)(**values) (keyword-only arguments, generated once) and construct_all
    (the slots set through BaseModel's descriptors) build what model_construct builds, whatever the
    order of the keywords; the instances pickle and take assignments alike."""
    import pickle

    from extractor.models import construct_all, constructor

    cls, values = _model_cases()[case]
    plain = cls.model_construct(**values)
    build = constructor(cls)
    assert build.__name__ == f"build_{cls.__name__}"   # the generated function, not the fallback
    for got in (build(**values), build(**dict(reversed(list(values.items())))), construct_all(cls, **values)):
        assert _model_state(got) == _model_state(plain)
        assert _model_state(pickle.loads(pickle.dumps(got))) == _model_state(plain)
        name = list(values)[-1]
        setattr(got, name, None)
        other = cls.model_construct(**values)
        setattr(other, name, None)
        assert _model_state(got) == _model_state(other)
    with pytest.raises(TypeError):
        build(**{k: v for k, v in values.items() if k != list(values)[0]})   # every field is required


def test_constructor_falls_back_on_fields_it_cannot_name():
    """A model whose field names cannot be written as arguments of the generated function gets a
    build that calls construct_all (same instances)."""
    from pydantic import BaseModel

    from extractor.models import construct_all, constructor

    class Odd(BaseModel):
        m: int
        set_dict: str = "x"

    build = constructor(Odd)
    assert build.__name__ == "build"
    assert _model_state(build(m=1, set_dict="y")) == _model_state(construct_all(Odd, m=1, set_dict="y")) \
        == _model_state(Odd.model_construct(m=1, set_dict="y"))
