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
import math
import os
import re
import time
from typing import Callable, Iterable, Optional, Union

from .article import CST, Article
from .budget import CLOCK_KEY, CLOCKS, DEADLINE_KEY, Alarm, BudgetExceeded, split_chunks
from .models import CountMention, DateMention, MeasureMention, PlaceMention, Record
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
_WARMED: set[str] = set()   # stages that have run once in this process (see Pipeline._run_stages)


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
    """The stages of ``patterns/pipeline.yaml`` (or ``stages``), ready to run.

    Budgets (``budget:`` in pipeline.yaml, overridden by the environment variables
    ``EXTRACTOR_MAX_SECONDS``, ``EXTRACTOR_MAX_CHARS``, ``EXTRACTOR_CHUNK_CHARS``, ``EXTRACTOR_CHUNK_AFTER``,
    ``EXTRACTOR_CLOCK``,
    overridden by keyword arguments): ``max_chars`` cuts
    longer inputs; ``max_seconds`` bounds one article (CPU seconds, or wall-clock ones with
    ``clock: wall``) — a stage still running when it
    runs out is interrupted (see :mod:`extractor.budget`) and the remaining stages are
    skipped, each with an issue; ``chunk_chars`` makes the stages after ``chunk_after``
    run on paragraph-aligned pieces of a longer text (spans shifted back), so their cost
    stays linear in the article length.
    """

    def __init__(self, stages: Optional[Iterable[str]] = None, *, max_seconds: Optional[float] = None,
                 max_chars: Optional[int] = None, chunk_chars: Optional[int] = None,
                 chunk_after: Optional[str] = None, warmup_seconds: Optional[float] = None):
        cfg = load_yaml("pipeline.yaml") or {}
        self.stage_names = list(stages if stages is not None else cfg.get("stages", []))
        self.stages = [(n, get_stage(n)) for n in self.stage_names]
        budget = cfg.get("budget", {}) or {}

        def pick(given, key, default):  # argument > environment (EXTRACTOR_MAX_SECONDS …) > pipeline.yaml
            if given is not None:
                return given
            env = os.environ.get(f"EXTRACTOR_{key.upper()}")
            return env if env not in (None, "") else budget.get(key, default)

        self.max_seconds = float(pick(max_seconds, "max_seconds", 20.0))
        self.max_chars = int(pick(max_chars, "max_chars", 2_000_000))
        self.chunk_chars = int(pick(chunk_chars, "chunk_chars", 0) or 0)
        self.chunk_after = pick(chunk_after, "chunk_after", "metadata")
        self.clock = str(pick(None, "clock", "cpu"))
        self._now = CLOCKS.get(self.clock, CLOCKS["cpu"])[0]
        self.warmup_seconds = float(pick(warmup_seconds, "warmup_seconds", 60.0))
        self._warmed = _WARMED   # per process: the lazy loads a stage does on its first call
        self.timings: dict[str, float] = {n: 0.0 for n in self.stage_names}

    # ------------------------------------------------------------ running
    def run(self, article: Article) -> Record:
        _admit(article, self.max_chars)
        deadline = [self._now() + self.max_seconds]
        article.context[DEADLINE_KEY] = deadline[0]
        article.context[CLOCK_KEY] = self._now
        whole, chunked = self._split_stages()
        try:
            with Alarm(self.clock) as alarm:
                if not self._run_stages(article, whole, deadline, alarm):
                    self._skip(article, chunked)
                elif chunked:
                    self._run_chunked(article, chunked, deadline, alarm)
        except BaseException as exc:  # noqa: BLE001 - a late alarm or a stage's SystemExit must not lose the article
            if isinstance(exc, KeyboardInterrupt):
                raise
            article.issue("pipeline", f"stopped: {type(exc).__name__}: {exc}")
        finally:
            article.context.pop(DEADLINE_KEY, None)
            article.context.pop(CLOCK_KEY, None)
        return to_record(article)

    __call__ = run

    def _split_stages(self):
        names = [n for n, _ in self.stages]
        if self.chunk_chars > 0 and self.chunk_after in names:
            i = names.index(self.chunk_after) + 1
            return self.stages[:i], self.stages[i:]
        return self.stages, []

    def _run_stages(self, article: Article, stages, deadline: list, alarm) -> bool:
        """Run ``stages`` on ``article``; False (and issues for the rest) when the time budget ran out.

        ``deadline`` is a one-item list (shared by the chunks of an article). A stage's first call in
        the process may load its tables: it gets ``warmup_seconds`` more, and the time it took is
        not charged to the article (an interrupted first call could also leave a lazy cache half-built).
        """
        for k, (name, fn) in enumerate(stages):
            t0 = self._now()   # timings are on the budget's clock: CPU seconds by default
            left = deadline[0] - t0
            first = name not in self._warmed
            if left <= 0 and not first:
                self._skip(article, stages[k:])
                return False
            try:
                alarm.arm(max(left, 0.0) + (self.warmup_seconds if first else 0.0))
                try:
                    fn(article)
                finally:
                    alarm.disarm()
            except BudgetExceeded:
                self.timings[name] = self.timings.get(name, 0.0) + self._now() - t0
                article.issue(name, f"cut off: the article ran over its time budget of {self.max_seconds:g}s "
                                    f"in this stage (its facts so far are kept)")
                self._skip(article, stages[k + 1:])
                return False
            except Exception as exc:  # a stage failing must not lose the article (RecursionError, MemoryError too)
                article.issue(name, f"{type(exc).__name__}: {exc}"[:500])
            spent = self._now() - t0
            if first:
                self._warmed.add(name)
                deadline[0] += min(spent, self.warmup_seconds)
                article.context[DEADLINE_KEY] = deadline[0]
            self.timings[name] = self.timings.get(name, 0.0) + spent
        return True

    def _skip(self, article: Article, stages) -> None:
        for name, _ in stages:
            article.issue(name, f"skipped: the article ran over its time budget of {self.max_seconds:g}s")

    def _run_chunked(self, article: Article, stages, deadline: list, alarm) -> None:
        """The stages after ``chunk_after``, once for a short text, else on each chunk in turn."""
        import dataclasses

        pieces = split_chunks(article.text, self.chunk_chars)
        if len(pieces) == 1:
            self._run_stages(article, stages, deadline, alarm)
            return
        article.issue("pipeline", f"text of {len(article.text)} characters processed in {len(pieces)} chunks "
                                  f"of at most {self.chunk_chars}")
        seen = {(iss.stage, iss.message) for iss in article.issues}
        for i, (a, b) in enumerate(pieces):
            sub = dataclasses.replace(article, text=article.text[a:b], dates=[], places=[], counts=[],
                                      measures=[], issues=[], context=dict(article.context),
                                      normalization=dict(article.normalization))
            ok = self._run_stages(sub, stages, deadline, alarm)
            for key in ("dates", "places", "counts", "measures"):
                getattr(article, key).extend(_shifted(m, a) for m in getattr(sub, key))
            for iss in sub.issues:  # one copy of each message, not one per chunk
                if (iss.stage, iss.message) not in seen:
                    seen.add((iss.stage, iss.message))
                    article.issues.append(iss)
            if not ok:
                if i + 1 < len(pieces):
                    article.issue("pipeline", f"chunks {i + 2}..{len(pieces)} (from character {b}) not processed: "
                                              f"time budget")
                return


def _shifted(mention, offset: int):
    if not offset:
        return mention
    return mention.model_copy(update={"start": mention.start + offset, "end": mention.end + offset})


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(text: str) -> bool:
    """Whether ``_SURROGATE`` matches in ``text``: lone surrogates are the only characters UTF-8 cannot
    encode (an encode is faster than the regex scan)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _admit(article: Article, max_chars: int) -> None:
    """Size budget and text hygiene before any stage runs: cut to ``max_chars``; lone surrogates
    (which no reader produces, but a caller's str may hold) become U+FFFD."""
    if not isinstance(article.raw, str):
        article.raw = "" if article.raw is None else str(article.raw)
    if len(article.raw) > max_chars:
        article.issue("read", f"input has {len(article.raw)} characters; cut to the budget of {max_chars}")
        article.raw = article.raw[:max_chars]
    if _has_surrogate(article.raw):
        n = len(_SURROGATE.findall(article.raw))
        article.raw = _SURROGATE.sub("\ufffd", article.raw)
        article.issue("read", f"{n} lone surrogate code point(s) replaced by U+FFFD")


def _fact_problem(m, text: str) -> Optional[str]:
    """Why a fact cannot go into the record (its span does not index ``text``, a value is not
    finite, an interval is reversed), or None. Cheap checks only (field values read from the
    model's ``__dict__``): facts were validated when built, but a stage may have changed them
    since (pydantic does not re-validate on assignment)."""
    try:
        d = m.__dict__
        start, end, s = d["start"], d["end"], d["text"]
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= len(text)) \
                or text[start:end] != s:
            return f"span {start}:{end} does not index text: {s!r}"[:300]
        for attr in ("value", "low", "high"):
            v = d.get(attr)
            if v is not None and not math.isfinite(v):
                return f"{attr} {v} is not finite"
        for iv in (m, d.get("period"), d.get("date")):
            if iv is not None:
                lo, hi = iv.__dict__.get("from_"), iv.__dict__.get("to")
                if lo is not None and hi is not None and lo > hi:
                    return f"interval from {lo} after to {hi}"
    except Exception as exc:  # not a mention model at all
        return f"not a valid fact ({type(exc).__name__}: {exc})"[:300]
    return None


_CHECKS: dict[type, tuple[tuple[str, ...], tuple[str, ...], bool]] = {}


def _checks(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """What :func:`_fact_problem` looks at on facts of class ``cls``: its number fields, its
    interval-valued fields, whether it is an interval itself (fields a class does not have are
    None in ``__dict__.get`` anyway, so skipping them gives the same answers)."""
    plan = _CHECKS.get(cls)
    if plan is None:
        fields = getattr(cls, "__pydantic_fields__", None) or {}
        plan = _CHECKS[cls] = (tuple(a for a in ("value", "low", "high") if a in fields),
                               tuple(a for a in ("period", "date") if a in fields),
                               "from_" in fields and "to" in fields)
    return plan


def _fact_ok(m, text: str, n: int) -> bool:
    """True when :func:`_fact_problem` would find nothing wrong, by the same tests done only on
    the fields ``m``'s class has; False (and the caller asks ``_fact_problem`` why) otherwise."""
    return _facts_ok((m,), type(m), text, n)


def _facts_ok(facts, cls: type, text: str, n: int) -> bool:
    """True when every fact in ``facts`` is of class ``cls`` exactly and :func:`_fact_problem` would
    find nothing wrong with it (the tests of :func:`_fact_ok`, in one loop for a whole list)."""
    values, intervals, is_interval = _checks(cls)
    try:
        for m in facts:
            if type(m) is not cls:
                return False
            d = m.__dict__
            start, end = d["start"], d["end"]
            if type(start) is not int or type(end) is not int or not 0 <= start <= end <= n \
                    or text[start:end] != d["text"]:
                return False
            for a in values:
                v = d[a]
                if v is not None and not math.isfinite(v):
                    return False
            if is_interval:
                lo, hi = d["from_"], d["to"]
                if lo is not None and hi is not None and lo > hi:
                    return False
            for a in intervals:
                iv = d[a]
                if iv is not None:
                    lo, hi = iv.__dict__.get("from_"), iv.__dict__.get("to")
                    if lo is not None and hi is not None and lo > hi:
                        return False
        return True
    except Exception:  # noqa: BLE001 - not a mention model: _fact_problem says so
        return False


_GROUP_CLASSES = (("dates", DateMention), ("places", PlaceMention), ("counts", CountMention),
                  ("measures", MeasureMention))


def to_record(article: Article) -> Record:
    """Validate the article's state into a SPEC record; facts that fail validation become issues.

    Never raises: a record that does not validate is rebuilt from what does (the facts,
    then only the text), each step leaving an issue.
    """
    from pydantic import ValidationError

    text = article.text if isinstance(article.text, str) else ""
    n = len(text)
    groups = {}
    exact = True   # every fact kept is of its field's own class
    for key, cls in _GROUP_CLASSES:
        facts = list(getattr(article, key) or [])
        if _facts_ok(facts, cls, text, n):   # the usual case: all sound, none to look at one by one
            groups[key] = facts
            continue
        kept = []
        for m in facts:
            if _fact_ok(m, text, n):
                kept.append(m)
                continue
            why = _fact_problem(m, text)
            if why:
                article.issue(key, f"dropped a {key[:-1]}: {why}")
                continue
            kept.append(m)
        groups[key] = kept
        exact = exact and all(type(m) is cls for m in kept)
    rid = article.content_hash or content_id(article.raw or article.source)
    try:
        published = article.published_at.isoformat() if article.published_at else None
    except Exception:  # pragma: no cover - a stage put something odd there
        published = None
    meta = dict(title=article.title, published_at=published, outlet=article.outlet, authors=article.authors,
                editors=article.editors, url=article.url, script=article.script,
                normalization=article.normalization)
    if exact:
        # Every fact passed the checks above and is an instance of its field's own class: validating
        # the record with them would only re-run those checks (pydantic keeps the instances as they
        # are, but calls their model validators and the record's span check again). The record is
        # validated without them and given the same lists; anything it rejects goes the long way.
        try:
            rec = Record(id=rid, source=article.source, text=text, issues=list(article.issues), **meta,
                         dates=[], places=[], counts=[], measures=[])
        except (ValidationError, TypeError, ValueError):
            pass
        else:
            rec.__dict__.update(groups)
            return rec
    for attempt in ("full", "facts", "text"):
        try:
            return Record(id=rid, source=article.source, text=text, issues=list(article.issues),
                          **(meta if attempt == "full" else {}), **(groups if attempt != "text" else {}))
        except (ValidationError, TypeError, ValueError) as exc:  # never lose the article
            errs = exc.errors()[:3] if isinstance(exc, ValidationError) else str(exc)
            article.issue("record", f"invalid record ({attempt}): {errs}"[:500])
    return Record(id=rid, source=str(article.source), issues=list(article.issues))  # pragma: no cover


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
