"""The spaCy route (extractor.nlp): facts as span groups whose offsets agree with the JSON records."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from extractor import nlp as en  # noqa: E402
from extractor.models import CountMention, DateMention, MeasureMention, PlaceMention, Period, Record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def nlp():
    return en.load()


@pytest.fixture(scope="module")
def json_records(tmp_path_factory):
    """The seed corpus through `extractor run`'s code path, read back from the JSON Lines it writes."""
    from extractor import batch

    out = tmp_path_factory.mktemp("run") / "seeds.jsonl"
    summary = batch.run([CORPUS], out, quiet=True)
    assert summary.records == len(list(CORPUS.glob("*.txt"))) > 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def _exact(doc, group):
    return Counter((s._.fact_start, s._.fact_end, s._.fact_text) for s in doc.spans[group])


def _json_spans(rec, group):
    return Counter((f["start"], f["end"], f["text"]) for f in rec[group])


def _assert_minimal_cover(span):
    """The span is the smallest run of tokens containing the fact."""
    s, e = span._.fact_start, span._.fact_end
    assert span.start_char <= s and e <= span.end_char
    first, last = span[0], span[-1]
    assert first.idx <= s < first.idx + len(first.text_with_ws)
    assert last.idx < e <= last.idx + len(last.text_with_ws)


# --------------------------------------------------------------------------- seeds: offsets agree with JSON

@pytest.mark.parametrize("group", list(en.GROUPS))
def test_seed_spans_equal_json_records_via_record(nlp, json_records, group):
    """doc_from_record: a JSON record becomes a Doc whose span groups carry exactly its facts."""
    for rec in json_records:
        doc = en.doc_from_record(nlp, rec)
        assert doc.text == rec["text"]
        assert _exact(doc, group) == _json_spans(rec, group), rec["source"]
        for span in doc.spans[group]:
            _assert_minimal_cover(span)
            assert rec["text"][span._.fact_start:span._.fact_end] == span._.fact_text
            assert span._.fact.model_dump(mode="json", by_alias=True) == rec[group][span.id - 1 - _offset(rec, group)]


def _offset(rec, group):
    """Span ids run over the groups in order dates, places, counts, measures."""
    n = 0
    for g in en.GROUPS:
        if g == group:
            return n
        n += len(rec[g])
    raise KeyError(group)


@pytest.mark.parametrize("group", list(en.GROUPS))
def test_seed_spans_equal_json_records_via_reextraction(nlp, json_records, group):
    """nlp(record text) runs the extraction stages on the Doc's text: same facts, same offsets, same values."""
    for rec in json_records:
        doc = en.make_doc(nlp, rec["text"], published_at=rec["published_at"], outlet=rec["outlet"],
                          title=rec["title"], source=rec["source"])
        assert doc.text == rec["text"]
        assert _exact(doc, group) == _json_spans(rec, group), rec["source"]
        got = sorted(json.dumps({k: v for k, v in s._.fact.model_dump(mode="json", by_alias=True).items()},
                                sort_keys=True, ensure_ascii=False) for s in doc.spans[group])
        want = sorted(json.dumps(f, sort_keys=True, ensure_ascii=False) for f in rec[group])
        assert got == want, rec["source"]


def test_pipe_raw_equals_json_records(nlp, json_records):
    """Raw pages through pipe_raw: normalization first, then the Doc — the same text and facts as `extractor run`."""
    by_source = {r["source"]: r for r in json_records}
    pages = [(p.read_text(encoding="utf-8"), {"source": str(p)}) for p in sorted(CORPUS.glob("*.txt"))]
    docs = list(en.pipe_raw(nlp, pages))
    assert len(docs) == len(pages)
    for doc in docs:
        rec = next(r for s, r in by_source.items() if Path(s).name == Path(doc._.source).name)
        assert doc.text == rec["text"]
        for group in en.GROUPS:
            assert _exact(doc, group) == _json_spans(rec, group)


# --------------------------------------------------------------------------- alignment on real sentences

SENT_000 = "自2017年8月21日起,市纪委制定出台了《关于安排委局机关和派驻纪检组干部到信访室接访的意见》"
SENT_LIST = "2017年,全市共巡察215个单位,其中市委巡察32个单位,县(市)区委巡察183个单位"


def _record(text, **groups):
    return Record(id="t", source="t", text=text, **groups)


def _at(text, sub, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(sub, i + 1)
    return {"text": sub, "start": i, "end": i + len(sub)}


@pytest.mark.parametrize("text,sub,covering", [
    # jieba segments 日起 as one word: the span expands to it, the exact offsets stay on the extension
    (SENT_000, "2017年8月21日", "2017年8月21日起"),
    # a fact that is exactly whole tokens
    (SENT_LIST, "215个", "215个"),
    (SENT_LIST, "2017年", "2017年"),
    # a fact inside one token: 市委 is one jieba word
    (SENT_LIST, "委", "市委"),
])
def test_misaligned_fact_expands_and_keeps_exact_offsets(nlp, text, sub, covering):
    rec = _record(text, counts=[CountMention(**_at(text, sub), value=1, unit="个")])
    doc = en.doc_from_record(nlp, rec)
    (span,) = doc.spans["counts"]
    assert span.text == covering
    assert span._.fact_text == sub
    assert (span._.fact_start, span._.fact_end) == (text.index(sub), text.index(sub) + len(sub))
    assert span._.aligned is (covering == sub)


def test_every_fact_type_and_labels(nlp):
    text = SENT_LIST
    rec = _record(
        text,
        dates=[DateMention(**_at(text, "2017年"), kind="point", from_="2017-01-01", to="2017-12-31",
                           granularity="year")],
        places=[PlaceMention(**_at(text, "全市"), name="福州市", level="city", adcode="350100",
                             path=["福建省", "福州市"])],
        counts=[CountMention(**_at(text, "215个单位"), value=215, unit="个", indicator="units_inspected",
                             object="单位", period=Period(from_="2017-01-01", to="2017-12-31"), place="350100"),
                CountMention(**_at(text, "32个单位"), value=32, unit="个", indicator="units_inspected")],
        measures=[],
    )
    doc = en.doc_from_record(nlp, rec)
    assert [s.label_ for s in doc.spans["dates"]] == ["point"]
    assert [s.label_ for s in doc.spans["places"]] == ["city"]
    assert [s.label_ for s in doc.spans["counts"]] == ["units_inspected", "units_inspected"]
    assert list(doc.spans["measures"]) == []
    assert [s.label_ for s in doc.spans[en.ALL_KEY]] == ["DATE", "PLACE", "COUNT", "COUNT"]
    c = doc.spans["counts"][0]._.fact
    assert isinstance(c, CountMention) and c.value == 215 and c.period.to.isoformat() == "2017-12-31"
    assert doc.spans["places"][0]._.fact.adcode == "350100"
    assert doc.spans[en.ALL_KEY][2]._.fact_type == "counts"
    assert doc._.record.counts[1].value == 32


def test_overlapping_facts_in_one_token_keep_their_own_values(nlp):
    """Two facts expanding to the same tokens stay two spans, each with its own fact."""
    text = "2017、2018年"
    rec = _record(text, dates=[
        DateMention(**_at(text, "2017"), kind="point", from_="2017-01-01", to="2017-12-31", granularity="year"),
        DateMention(**_at(text, "2018年"), kind="point", from_="2018-01-01", to="2018-12-31", granularity="year"),
    ])
    doc = en.doc_from_record(nlp, rec)
    assert [s._.fact.from_.year for s in doc.spans["dates"]] == [2017, 2018]


def test_measure_span(nlp):
    text = SENT_000
    name = "关于安排委局机关和派驻纪检组干部到信访室接访的意见"
    rec = _record(text, measures=[MeasureMention(**_at(text, "《" + name + "》"), name=name, kind="意见",
                                                 form="document")])
    doc = en.doc_from_record(nlp, rec)   # a SpanGroup needs its Doc alive
    (span,) = doc.spans["measures"]
    assert span.label_ == "document" and span._.fact.kind == "意见" and span.text.startswith("《")


def test_user_span_has_no_fact(nlp):
    doc = en.doc_from_record(nlp, _record(SENT_LIST))
    assert doc[0:2]._.fact is None and doc[0:2]._.fact_start is None


def test_record_text_must_equal_doc_text(nlp):
    doc = nlp.make_doc("全市")
    with pytest.raises(ValueError):
        en.set_record(doc, _record("我市"))


# --------------------------------------------------------------------------- spaCy machinery

def test_load_is_a_chinese_jieba_pipeline_with_the_factory(nlp):
    assert nlp.lang == "zh"
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "jieba"
    assert en.FACTORY in nlp.pipe_names
    assert en.FACTORY in spacy.registry.factories.get_all() or nlp.has_factory(en.FACTORY)
    # also addable by name to any blank Chinese pipeline
    other = en.blank()
    other.add_pipe(en.FACTORY)
    assert other("2017年").text == "2017年"


def test_extractor_load_reexport():
    import extractor

    assert en.FACTORY in extractor.load().pipe_names


@pytest.mark.parametrize("text", ["", " ", "\n\n", "垃圾" * 50, "\x00\ufffd《", "2017年" * 2000])
def test_nlp_pipe_never_raises(nlp, text):
    docs = list(nlp.pipe([text, SENT_LIST, text]))
    assert [d.text for d in docs] == [text, SENT_LIST, text]
    for d in docs:
        doc_text = d.text   # Doc.text joins the tokens on every access
        for g in en.GROUPS:
            for s in d.spans[g]:
                assert doc_text[s._.fact_start:s._.fact_end] == s._.fact_text


def test_displacy_renders_each_group(nlp):
    from spacy import displacy

    text = SENT_LIST
    rec = _record(text, counts=[CountMention(**_at(text, "183个单位"), value=183, unit="个",
                                             indicator="units_inspected")])
    doc = en.doc_from_record(nlp, rec)
    for key in ("counts", en.ALL_KEY):
        html = displacy.render(doc, style="span", options={"spans_key": key}, page=False)
        assert "183" in html
    html = displacy.render(doc, style="span", options={"spans_key": "counts"})
    assert "units_inspected" in html


def test_doc_bytes_roundtrip_keeps_facts(nlp):
    from spacy.tokens import Doc

    text = SENT_LIST
    rec = _record(text, counts=[CountMention(**_at(text, "32个单位"), value=32, unit="个")])
    doc = en.doc_from_record(nlp, rec)
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    (span,) = back.spans["counts"]
    assert span._.fact.value == 32 and span._.fact_text == "32个单位"


def test_pipe_multiprocess(nlp):
    docs = list(nlp.pipe([SENT_LIST, SENT_000, ""], n_process=2, batch_size=1))
    assert [d.text for d in docs] == [SENT_LIST, SENT_000, ""]
    assert all(d._.record is not None and d._.record.text == d.text for d in docs)


def test_core_pipeline_does_not_import_spacy():
    code = ("import sys, extractor, extractor.pipeline, extractor.report; "
            "extractor.extract('2017年,全市共巡察215个单位'); "
            "assert 'spacy' not in sys.modules, 'spacy imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_pipeline_saves_and_loads(nlp, tmp_path):
    """The component is created from its registered name when spaCy loads a saved pipeline."""
    nlp.to_disk(tmp_path / "cn_news")
    again = spacy.load(tmp_path / "cn_news")
    assert again.pipe_names == [en.FACTORY]
    assert again.config["nlp"]["tokenizer"]["segmenter"] == "jieba"
    doc = again(SENT_LIST)
    assert doc.text == SENT_LIST and set(doc.spans) >= set(en.GROUPS) | {en.ALL_KEY}


def test_make_doc_passes_metadata_to_the_stages(nlp):
    """Relative dates resolve against the published_at given with the text."""
    text = "今年以来,全市共立案审查174人"
    docs = [en.make_doc(nlp, text, published_at=p) for p in ("2019-06-01T08:00:00+08:00", "2021-06-01")]
    meta = [d._.published_at for d in docs]
    assert meta == ["2019-06-01T08:00:00+08:00", "2021-06-01"]
    recs = [d._.record for d in docs]
    assert recs[0].text == recs[1].text == text
    # SPEC: X以来 is `since`, from the start of X to the publication day
    got = [[(d.text, d.kind, str(d.from_), str(d.to)) for d in rec.dates] for rec in recs]
    assert got == [[("今年以来", "since", "2019-01-01", "2019-06-01")],
                   [("今年以来", "since", "2021-01-01", "2021-06-01")]]


def test_long_text_is_chunked_like_extractor_run(monkeypatch):
    """A text over the chunk size runs in pieces on both routes: the same facts either way."""
    from extractor.pipeline import Pipeline, extract

    monkeypatch.setenv("EXTRACTOR_CHUNK_CHARS", "1000")   # small chunks keep the test quick
    nlp = en.load()
    assert nlp.get_pipe(en.FACTORY).pipeline.chunk_chars == 1000
    para = SENT_LIST + "。\n"
    rec = extract(para * 40, published_at="2018-02-12", pipeline=Pipeline())
    assert len(rec.text) > 1000
    doc = en.make_doc(nlp, rec.text, published_at="2018-02-12")
    assert any("chunks" in i.message for i in doc._.record.issues)
    assert any("chunks" in i.message for i in rec.issues)
    for group in en.GROUPS:
        assert _exact(doc, group) == Counter((m.start, m.end, m.text) for m in getattr(rec, group))


def test_displacy_options_colour_like_the_report(nlp):
    from spacy import displacy

    from extractor.report import labels

    colour = {g: v[1] for g, v in labels()["types"].items()}
    text = SENT_LIST
    rec = _record(text,
                  dates=[DateMention(**_at(text, "2017年"), kind="point", from_="2017-01-01", to="2017-12-31",
                                     granularity="year")],
                  counts=[CountMention(**_at(text, "183个单位"), value=183, unit="个", indicator="units_inspected")])
    doc = en.doc_from_record(nlp, rec)
    opts = en.displacy_options("counts", doc)
    assert opts == {"spans_key": "counts", "colors": {"units_inspected": colour["counts"]}}
    assert colour["counts"] in displacy.render(doc, style="span", options=opts)
    html = displacy.render(doc, style="span", options=en.displacy_options())
    assert colour["counts"] in html and colour["dates"] in html
