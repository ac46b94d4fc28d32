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


# ---- to_record's shortcut: a record whose facts all passed the checks is validated without them


class _NoFact:
    """A class no fact has: with it in ``_GROUP_CLASSES`` every record goes the long way."""


def _both_ways(monkeypatch, make_article):
    """(record JSON, issues) from to_record as it is and from the long way (facts validated by pydantic)."""
    import extractor.pipeline as P

    art = make_article()
    fast = P.to_record(art)
    with monkeypatch.context() as mp:
        mp.setattr(P, "_GROUP_CLASSES", tuple((key, _NoFact) for key, _ in P._GROUP_CLASSES))
        art2 = make_article()
        slow = P.to_record(art2)
    return (fast.model_dump_json(by_alias=True), fast.model_fields_set, [f.__dict__ for f in fast.dates + fast.places + fast.counts + fast.measures]), \
           (slow.model_dump_json(by_alias=True), slow.model_fields_set, [f.__dict__ for f in slow.dates + slow.places + slow.counts + slow.measures])


def _articles():
    import copy

    from extractor.pipeline import Pipeline
    from extractor.readers import read_path

    paths = sorted((SHARED / "real").glob("*"))[:12] + sorted((SHARED / "seeds").glob("*.txt"))[:4]
    pipe = Pipeline()
    out = []
    for p in paths:
        for a in read_path(p):
            stages = Pipeline(stages=pipe.stage_names)
            stages.run(a)   # the article as to_record gets it (run's own record dropped)
            out.append(a)
    if not out:
        pytest.skip("no corpus")
    return [copy.deepcopy(a) for a in out]


def test_record_shortcut_same_as_validating_the_facts(monkeypatch):
    import copy

    for art in _articles():
        fast, slow = _both_ways(monkeypatch, lambda: copy.deepcopy(art))
        assert fast == slow


def _article(**changes):
    from extractor.article import Article

    art = Article(source="t", raw=TEXT)
    art.text = TEXT
    art.counts = [BROKEN[4]]
    art.dates = [BROKEN[6]]
    art.places = [BROKEN[9]]
    for k, v in changes.items():
        setattr(art, k, v)
    return art


@pytest.mark.parametrize("changes", [
    {},
    {"script": "latin"},                                  # the record itself is invalid
    {"normalization": {"x": "many"}},
    {"dates": [BROKEN[9]]},                               # a fact of another class in a group
    {"places": [BROKEN[6], BROKEN[9]]},
    {"counts": [BROKEN[0], BROKEN[4]]},                   # a broken fact dropped
    {"title": 5},
], ids=range(7))
def test_record_shortcut_same_as_validating_the_facts_on_odd_articles(monkeypatch, changes):
    fast, slow = _both_ways(monkeypatch, lambda: _article(**changes))
    assert fast == slow


@pytest.mark.parametrize("text", ["", "abc", "中文\ud800", "\udfff", "a\U0001F600b", "\ud83d\ude00", "x" * 1000 + "\udc80",
                                  "正常文本\ufffd\uffff"])
def test_surrogate_check_same_as_regex(text):
    from extractor.pipeline import _SURROGATE, _has_surrogate

    assert _has_surrogate(text) == bool(_SURROGATE.search(text))


def test_list_check_same_as_one_by_one():
    import itertools

    from extractor.pipeline import _facts_ok

    for cls in (CountMention, DateMention, PlaceMention, MeasureMention):
        for k in (0, 1, 2):
            for facts in itertools.combinations(BROKEN, k):
                assert _facts_ok(facts, cls, TEXT, len(TEXT)) == \
                    all(type(m) is cls and _fact_ok(m, TEXT, len(TEXT)) for m in facts)
