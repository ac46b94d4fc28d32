"""Stages registered by name and composed, in the order ``patterns/pipeline.yaml`` gives.

A stage is a function ``fn(article: Article) -> None`` that reads and fills the
:class:`~extractor.article.Article`. A stage that raises does not stop the
article: the error becomes an entry in the record's ``issues`` and the next
stage runs. The built-in stages are imported lazily, on first use.

    from extractor.pipeline import stage

    @stage("my_stage")
    def my_stage(article): ...
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import importlib
import time
from typing import Callable, Iterable, Optional, Union

from .article import CST, Article
from .models import Record
from .resources import load_yaml

StageFn = Callable[[Article], None]

# name -> "module:function"; imported when a pipeline first needs it
BUILTIN_STAGES: dict[str, str] = {
    "normalize": "extractor.normalize:stage",
    "metadata": "extractor.metadata:stage",
    "dates": "extractor.dates:stage",
    "places": "extractor.places:stage",
    "counts": "extractor.counts:stage",
    "measures": "extractor.measures:stage",
    "attribute": "extractor.attribute:stage",
}
_REGISTRY: dict[str, StageFn] = {}


def stage(name: str) -> Callable[[StageFn], StageFn]:
    """Register ``fn`` as the stage called ``name``."""

    def deco(fn: StageFn) -> StageFn:
        _REGISTRY[name] = fn
        return fn

    return deco


def get_stage(name: str) -> StageFn:
    fn = _REGISTRY.get(name)
    if fn is None:
        target = BUILTIN_STAGES.get(name)
        if target is None:
            raise KeyError(f"unknown stage {name!r}; known: {sorted(set(_REGISTRY) | set(BUILTIN_STAGES))}")
        mod, _, attr = target.partition(":")
        fn = getattr(importlib.import_module(mod), attr)
        _REGISTRY[name] = fn
    return fn


def content_id(data: Union[bytes, str]) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).hexdigest()


class Pipeline:
    """The stages of ``patterns/pipeline.yaml`` (or ``stages``), ready to run."""

    def __init__(self, stages: Optional[Iterable[str]] = None, *, max_seconds: Optional[float] = None,
                 max_chars: Optional[int] = None):
        cfg = load_yaml("pipeline.yaml") or {}
        self.stage_names = list(stages if stages is not None else cfg.get("stages", []))
        self.stages = [(n, get_stage(n)) for n in self.stage_names]
        budget = cfg.get("budget", {}) or {}
        self.max_seconds = float(max_seconds if max_seconds is not None else budget.get("max_seconds", 20.0))
        self.max_chars = int(max_chars if max_chars is not None else budget.get("max_chars", 2_000_000))
        self.timings: dict[str, float] = {n: 0.0 for n in self.stage_names}

    def run(self, article: Article) -> Record:
        if len(article.raw) > self.max_chars:
            article.issue("read", f"input has {len(article.raw)} characters; cut to the budget of {self.max_chars}")
            article.raw = article.raw[: self.max_chars]
        t_start = time.perf_counter()
        for name, fn in self.stages:
            elapsed = time.perf_counter() - t_start
            if elapsed > self.max_seconds:
                article.issue(name, f"skipped: article over its time budget ({elapsed:.1f}s > {self.max_seconds}s)")
                continue
            t0 = time.perf_counter()
            try:
                fn(article)
            except Exception as exc:  # a stage failing must not lose the article
                article.issue(name, f"{type(exc).__name__}: {exc}")
            self.timings[name] += time.perf_counter() - t0
        return to_record(article)

    __call__ = run


def to_record(article: Article) -> Record:
    """Validate the article's state into a SPEC record; facts that fail validation become issues."""
    from pydantic import ValidationError

    published = article.published_at.isoformat() if article.published_at else None
    text = article.text
    groups = {}
    for key in ("dates", "places", "counts", "measures"):
        kept = []
        for m in getattr(article, key):
            if text[m.start:m.end] != m.text:
                article.issue(key, f"dropped a {key[:-1]} whose span {m.start}:{m.end} does not index text: {m.text!r}")
                continue
            kept.append(m)
        groups[key] = kept
    try:
        return Record(
            id=article.content_hash or content_id(article.raw),
            source=article.source,
            title=article.title,
            published_at=published,
            outlet=article.outlet,
            authors=article.authors,
            editors=article.editors,
            url=article.url,
            script=article.script,
            text=text,
            issues=article.issues,
            normalization=article.normalization,
            **groups,
        )
    except ValidationError as exc:  # pragma: no cover - defensive: never lose the article
        article.issue("record", f"invalid record: {exc.errors()[:3]}")
        return Record(id=article.content_hash or content_id(article.raw), source=article.source,
                      title=article.title, text=text, issues=article.issues)


_DEFAULT: Optional[Pipeline] = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def _parse_when(value) -> Optional[_dt.datetime]:
    if value is None or isinstance(value, _dt.datetime):
        if isinstance(value, _dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=CST)
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=CST)
    from .metadata import parse_datetime

    return parse_datetime(str(value))


def extract(text: str, *, published_at=None, title: Optional[str] = None, outlet: Optional[str] = None,
            source: str = "<text>", url: Optional[str] = None, pipeline: Optional[Pipeline] = None) -> Record:
    """Extract a SPEC record from one article's text.

    ``text`` may be a whole scraped page dump (title, date line, body, boilerplate)
    or just a body; ``published_at``/``title``/``outlet`` given here win over what
    the metadata stage finds. Never raises on any ``str``: problems become ``issues``.
    """
    fields = {}
    if title is not None:
        fields["title"] = title
    if outlet is not None:
        fields["outlet"] = outlet
    if url is not None:
        fields["url"] = url
    when = None
    if published_at is not None:
        try:
            when = _parse_when(published_at)
        except Exception:
            when = None
        fields["published_at_given"] = when
    if not isinstance(text, str):
        text = str(text)
    art = Article(source=source, raw=text, fields=fields, content_hash=content_id(text))
    return (pipeline or default_pipeline()).run(art)
