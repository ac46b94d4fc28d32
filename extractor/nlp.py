"""The extractor as a spaCy pipeline: facts as span groups on a Chinese ``Doc``.

    import extractor.nlp
    nlp = extractor.nlp.load()                    # spacy.blank("zh") + jieba + "cn_news_facts"
    doc = nlp("2017年,全市共巡察215个单位……")       # text already normalized (see below)
    for span in doc.spans["counts"]:
        fact = span._.fact                        # the pydantic CountMention (value, unit, indicator, period…)
        span._.fact_start, span._.fact_end        # the exact offsets of the JSON record

    docs = extractor.nlp.pipe_raw(nlp, pages)     # raw scraped pages: normalize + metadata first
    doc = extractor.nlp.doc_from_record(nlp, record)   # a Record (or its JSON dict) as a Doc

    from spacy import displacy
    displacy.render(doc, style="span", options={"spans_key": "counts"})
    displacy.render(doc, style="span", options=extractor.nlp.displacy_options("facts"))  # report colours

A Doc's text is fixed, so normalization (Traditional→Simplified, repairs,
boilerplate cut) happens before the Doc is made: ``nlp(text)`` treats ``text``
as the record text and runs only the extraction stages of
``patterns/pipeline.yaml`` (all but ``normalize`` and ``metadata``) on it;
``pipe_raw`` runs the whole pipeline on a scraped page and builds the Doc from
the record's ``text``. Either way ``doc.text == record.text``.

Span groups: ``dates``, ``places``, ``counts``, ``measures`` (labels: the date
kind, place level, count indicator, measure form) and ``facts`` (all of them,
labelled ``DATE``/``PLACE``/``COUNT``/``MEASURE``). jieba's tokens need not
end where a fact does (``日起`` is one token), so a span covers the smallest run
of tokens that contains the fact (``alignment_mode="expand"``); the exact
character offsets stay on ``span._.fact_start``/``fact_end``/``fact_text``
and ``span._.aligned`` says whether the token span is exact.

The record is kept in ``doc.user_data`` as its JSON dict, so Docs survive
``Doc.to_bytes`` and ``nlp.pipe(..., n_process=N)``; ``doc._.record`` and
``span._.fact`` rebuild the pydantic objects on access.

spaCy is imported only here: the core pipeline never imports this module.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .models import CountMention, DateMention, MeasureMention, PlaceMention, Record

FACTORY = "cn_news_facts"
GROUPS: dict[str, type] = {
    "dates": DateMention,
    "places": PlaceMention,
    "counts": CountMention,
    "measures": MeasureMention,
}
# the label of a span in its own group: the attribute that tells facts of one type apart
GROUP_LABEL_FIELD = {"dates": "kind", "places": "level", "counts": "indicator", "measures": "form"}
# the label of a span in the combined group
GROUP_TYPE = {"dates": "DATE", "places": "PLACE", "counts": "COUNT", "measures": "MEASURE"}
ALL_KEY = "facts"
TEXT_STAGES = ("normalize", "metadata")   # stages that make the text; they run before the Doc exists

_KEY_RECORD = ("cn_news", "record")
_KEY_INDEX = ("cn_news", "index")


# --------------------------------------------------------------------------- extensions

def _doc_record(doc: Doc) -> Optional[Record]:
    data = doc.user_data.get(_KEY_RECORD)
    return Record.model_validate(data) if data is not None else None


def _span_locate(span: Span) -> Optional[tuple[str, dict]]:
    """The (group, fact dict) a span of this module's span groups stands for, else None."""
    index = span.doc.user_data.get(_KEY_INDEX)
    data = span.doc.user_data.get(_KEY_RECORD)
    if not index or data is None or span.id <= 0 or span.id > len(index):
        return None
    group, i = index[span.id - 1]
    try:
        fact = data[group][i]
    except (KeyError, IndexError):
        return None
    # a span the user made with a stray id does not borrow a fact it does not cover
    if not (span.start_char <= fact["start"] and fact["end"] <= span.end_char):
        return None
    return group, fact


def _span_fact(span: Span):
    loc = _span_locate(span)
    return GROUPS[loc[0]].model_validate(loc[1]) if loc else None


def _span_field(name: str):
    def get(span: Span):
        loc = _span_locate(span)
        return loc[1][name] if loc else None

    return get


def _span_type(span: Span) -> Optional[str]:
    loc = _span_locate(span)
    return loc[0] if loc else None


def _span_aligned(span: Span) -> Optional[bool]:
    loc = _span_locate(span)
    if not loc:
        return None
    return loc[1]["start"] == span.start_char and loc[1]["end"] == span.end_char


def register_extensions() -> None:
    """Declare the custom attributes (idempotent)."""
    for name, kw in (
        ("record", {"getter": _doc_record}),
        ("published_at", {"default": None}),   # ISO string (or datetime) the relative dates resolve against
        ("outlet", {"default": None}),
        ("title", {"default": None}),
        ("source", {"default": None}),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, **kw)
    for name, getter in (
        ("fact", _span_fact),
        ("fact_type", _span_type),
        ("fact_start", _span_field("start")),
        ("fact_end", _span_field("end")),
        ("fact_text", _span_field("text")),
        ("aligned", _span_aligned),
    ):
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)


register_extensions()


# --------------------------------------------------------------------------- spans

def token_span(doc: Doc, start: int, end: int, label: str = "", span_id: int = 0) -> Optional[Span]:
    """The smallest token span covering characters ``start:end`` (None when it covers nothing)."""
    n = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0   # len(doc.text) without joining tokens
    start, end = max(0, start), min(n, end)
    if end <= start:
        return None
    span = doc.char_span(start, end, label=label, alignment_mode="expand", span_id=span_id)
    if span is not None and len(span):
        return span
    # the fact lies in whitespace that belongs to no token: take the tokens it touches
    first = last = None
    for tok in doc:
        t_end = tok.idx + len(tok.text_with_ws)
        if t_end > start and tok.idx < end:
            if first is None:
                first = tok.i
            last = tok.i
    if first is None:
        return None
    return Span(doc, first, last + 1, label=label, span_id=span_id)


def set_record(doc: Doc, record: Union[Record, dict], span_keys: Iterable[str] = tuple(GROUPS),
               all_key: Optional[str] = ALL_KEY) -> Doc:
    """Put ``record``'s facts on ``doc`` as span groups; its text must be ``doc.text``."""
    data = record.to_dict() if isinstance(record, Record) else record
    if data.get("text", "") != doc.text:   # (doc.text joins the tokens: read it once)
        raise ValueError("the record's text is not the Doc's text (normalize before making the Doc)")
    doc.user_data[_KEY_RECORD] = data
    index: list[list] = []
    every: list[Span] = []
    for group in span_keys:
        spans = []
        for i, fact in enumerate(data.get(group) or []):
            index.append([group, i])
            label = str(fact.get(GROUP_LABEL_FIELD.get(group, ""), "") or group)
            span = token_span(doc, fact["start"], fact["end"], label=label, span_id=len(index))
            if span is None:
                continue
            spans.append(span)
            if all_key:
                every.append(Span(doc, span.start, span.end, label=GROUP_TYPE.get(group, group.upper()),
                                  span_id=len(index)))
        doc.spans[group] = spans
    if all_key:
        every.sort(key=lambda s: (s.start, -s.end))
        doc.spans[all_key] = every
    doc.user_data[_KEY_INDEX] = index
    return doc


# --------------------------------------------------------------------------- component

TEXT_READY = "nlp_text_ready"   # a no-op stage standing where the text became fixed


def _text_ready(article) -> None:
    return None


def extraction_pipeline(stages: Optional[list[str]] = None):
    """The pipeline of the stages that run on a fixed text (default: those of ``patterns/pipeline.yaml``
    but ``normalize`` and ``metadata``), chunked for long texts the way ``extractor run`` chunks them."""
    from .pipeline import Pipeline, stage

    full = Pipeline()
    names = list(stages) if stages is not None else [n for n in full.stage_names if n not in TEXT_STAGES]
    if full.chunk_after in names:        # chunking starts after one of the extraction stages
        return Pipeline(stages=names, chunk_after=full.chunk_after)
    stage(TEXT_READY)(_text_ready)       # chunking starts where the text is fixed, as after `metadata`
    return Pipeline(stages=[TEXT_READY, *names], chunk_after=TEXT_READY)


class FactsComponent:
    """Runs the extraction stages on ``doc.text`` and puts the facts on the Doc.

    A Doc that already carries a record for its text (``doc_from_record``,
    ``pipe_raw``) keeps it: the stages do not run twice.
    """

    def __init__(self, nlp: Language, name: str, stages: Optional[list[str]] = None,
                 span_keys: Optional[list[str]] = None, all_key: Optional[str] = ALL_KEY):
        self.name = name
        self.stage_names = stages
        self.span_keys = list(span_keys) if span_keys else list(GROUPS)
        self.all_key = all_key
        self._pipeline = None

    @property
    def pipeline(self):
        if self._pipeline is None:
            self._pipeline = extraction_pipeline(self.stage_names)
        return self._pipeline

    def extract(self, doc: Doc) -> Record:
        from .article import Article
        from .pipeline import _parse_when, content_id

        text = doc.text
        art = Article(source=doc._.source or "<doc>", raw=text, content_hash=content_id(text))
        art.normalized = art.text = text
        art.title, art.outlet = doc._.title, doc._.outlet
        try:
            art.published_at = _parse_when(doc._.published_at)
        except Exception:
            art.issue("nlp", f"unreadable published_at {doc._.published_at!r}")
        return self.pipeline.run(art)

    def __call__(self, doc: Doc) -> Doc:
        data = doc.user_data.get(_KEY_RECORD)
        if data is None or data.get("text") != doc.text:
            data = self.extract(doc)
        return set_record(doc, data, self.span_keys, self.all_key)


@Language.factory(FACTORY, default_config={"stages": None, "span_keys": list(GROUPS), "all_key": ALL_KEY})
def make_facts_component(nlp: Language, name: str, stages: Optional[list[str]], span_keys: list[str],
                         all_key: Optional[str]) -> FactsComponent:
    return FactsComponent(nlp, name, stages=stages, span_keys=span_keys, all_key=all_key)


# --------------------------------------------------------------------------- display

def displacy_options(spans_key: str = ALL_KEY, doc: Optional[Doc] = None) -> dict:
    """Options for ``displacy.render(doc, style="span", options=…)``: the span group to show,
    coloured like the HTML report (``patterns/report/labels.yaml``). A type's own group is
    labelled by indicator, kind… (an open set): pass ``doc`` to colour the labels it has."""
    try:
        from .report import labels

        types = labels()["types"]
    except Exception:  # pragma: no cover - display colours are optional
        types = {}
    color = {g: v[1] for g, v in types.items() if isinstance(v, (list, tuple)) and len(v) > 1}
    if spans_key in GROUPS:
        seen = {s.label_ for s in doc.spans[spans_key]} if doc is not None and spans_key in doc.spans else set()
        colors = {label: color[spans_key] for label in seen} if spans_key in color else {}
    else:
        colors = {GROUP_TYPE[g]: c for g, c in color.items() if g in GROUP_TYPE}
    return {"spans_key": spans_key, "colors": colors}


# --------------------------------------------------------------------------- entry points

def blank(segmenter: str = "jieba") -> Language:
    """A blank Chinese ``Language`` with the given segmenter (``jieba`` or ``char``)."""
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})


def load(stages: Optional[list[str]] = None, *, segmenter: str = "jieba",
         span_keys: Optional[list[str]] = None) -> Language:
    """A Chinese spaCy pipeline (jieba segmenter) whose ``cn_news_facts`` component extracts the facts.

    ``stages``: the extraction stages to run on a Doc's text (default: those of
    ``patterns/pipeline.yaml`` after normalization and metadata).
    """
    nlp = blank(segmenter)
    nlp.add_pipe(FACTORY, config={"stages": stages, "span_keys": span_keys or list(GROUPS), "all_key": ALL_KEY})
    return nlp


def _set_meta(doc: Doc, meta: dict) -> None:
    for key in ("published_at", "outlet", "title", "source"):
        if meta.get(key) is not None:
            value = meta[key]
            doc._.set(key, value.isoformat() if hasattr(value, "isoformat") else value)


def make_doc(nlp: Language, text: str, **meta: Any) -> Doc:
    """``nlp(text)`` with the article's metadata (published_at, outlet, title, source) the stages use."""
    doc = nlp.make_doc(text)
    _set_meta(doc, meta)
    return nlp(doc)


def doc_from_record(nlp: Language, record: Union[Record, dict]) -> Doc:
    """The Doc of a record (a ``Record`` or one parsed JSON line): its text, its facts, unchanged."""
    data = record.to_dict() if isinstance(record, Record) else record
    doc = nlp.make_doc(data.get("text") or "")
    _set_meta(doc, data)
    doc.user_data[_KEY_RECORD] = data
    return nlp(doc)


def pipe_raw(nlp: Language, pages: Iterable[Union[str, tuple[str, dict]]], **meta: Any) -> Iterator[Doc]:
    """Docs of raw scraped pages: each page runs the whole pipeline first (normalization,
    metadata, boilerplate cut), then its record becomes the Doc. An item may be
    ``(page, {"published_at": …, "title": …, "outlet": …, "source": …})``."""
    from .pipeline import extract

    for item in pages:
        page, extra = (item if isinstance(item, tuple) else (item, {}))
        kw = {**meta, **extra}
        record = extract(page, **{k: v for k, v in kw.items() if k in ("published_at", "title", "outlet",
                                                                           "source", "url")})
        yield doc_from_record(nlp, record)
