"""to_record's quick fact check (``_fact_ok``) agrees with the full one (``_fact_problem``):
True exactly when ``_fact_problem`` finds nothing, on the facts of real articles and on broken ones."""
from __future__ import annotations

import datetime as dt
import math
import pathlib

import pytest

from extractor.models import CountMention, DateMention, MeasureMention, Period, PlaceMention
from extractor.pipeline import _fact_ok, _fact_problem, extract

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "corpus"
TEXT = "2017年,福州市立案审查174人,出台《办法》。"


def _agree(m, text):
    assert _fact_ok(m, text, len(text)) == (_fact_problem(m, text) is None)


def test_real_facts_pass_both_checks():
    paths = sorted((SHARED / "seeds").glob("*.txt"))[:3] or sorted(pathlib.Path("corpus").glob("*.txt"))[:3]
    facts = 0
    for p in paths:
        rec = extract(p.read_text(encoding="utf-8", errors="replace"))
        for m in rec.dates + rec.places + rec.counts + rec.measures:
            assert _fact_ok(m, rec.text, len(rec.text))
            assert _fact_problem(m, rec.text) is None
            facts += 1
    assert facts > 20


D1, D2 = dt.date(2017, 1, 1), dt.date(2017, 12, 31)
BROKEN = [
    CountMention.model_construct(text="174人", start=14, end=18, value=174.0, unit="人"),        # span off by one
    CountMention.model_construct(text="174人", start=13, end=17, value=math.nan, unit="人"),     # value not finite
    CountMention.model_construct(text="174人", start=13, end=17, value=174.0, high=math.inf, unit="人"),
    CountMention.model_construct(text="174人", start=13, end=17, value=174.0, unit="人",
                                 period=Period.model_construct(from_=D2, to=D1)),             # reversed period
    CountMention.model_construct(text="174人", start=13, end=17, value=174.0, unit="人",
                                 period=Period.model_construct(from_=D1, to=D2)),             # fine
    DateMention.model_construct(text="2017年", start=0, end=5, kind="year", from_=D2, to=D1),  # reversed
    DateMention.model_construct(text="2017年", start=0, end=5, kind="year", from_=D1, to=D2),  # fine
    DateMention.model_construct(text="2017年", start=0, end=99, kind="year", from_=D1, to=D2),  # past the end
    DateMention.model_construct(text="2017年", start="0", end=5, kind="year"),                 # start not int
    PlaceMention.model_construct(text="福州市", start=6, end=9, name="福州市", level="city"),     # fine
    PlaceMention.model_construct(text="福州", start=6, end=9, name="福州市", level="city"),      # text differs
    MeasureMention.model_construct(text="《办法》", start=20, end=24, name="办法", form="document",
                                   date=Period.model_construct(from_=D2, to=D1)),              # reversed date
    "not a fact",
    None,
]


@pytest.mark.parametrize("m", BROKEN, ids=range(len(BROKEN)))
def test_quick_check_agrees_on_broken_facts(m):
    _agree(m, TEXT)


def test_broken_facts_are_dropped_with_an_issue():
    from extractor.article import Article
    from extractor.pipeline import to_record

    art = Article(source="t", raw=TEXT)
    art.text = TEXT
    art.counts = [BROKEN[0], BROKEN[4]]
    rec = to_record(art)
    assert [c.start for c in rec.counts] == [13]
    assert any("dropped a count" in i.message for i in rec.issues)
