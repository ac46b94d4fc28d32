"""The record contract of ../shared/SPEC.md as pydantic v2 models.

Field names here are binding (SPEC.md). Extra fields (``sentence``,
``candidates``, ``resolved_by``, ``period_source`` …) are evidence that
helps a researcher check a fact; they never replace a SPEC field.

Every mention carries ``text``, ``start``, ``end`` into the record's
normalized ``text``; ``Record`` checks ``text[start:end] == mention.text``
once, when the record is built.
"""
from __future__ import annotations

import datetime as _dt
import keyword
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

DateKind = Literal["point", "range", "since", "until"]
Granularity = Literal["year", "half", "quarter", "month", "xun", "day", "minute"]
PlaceLevel = Literal["province", "city", "county", "township", "village"]
Approx = Literal["exact", "approx", "over", "under", "range"]
MeasureForm = Literal["document", "named", "formula"]
Script = Literal["hans", "hant", "mixed"]


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class Span(_Model):
    """A piece of evidence: ``text`` is ``record.text[start:end]``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"span end {self.end} < start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError("span length differs from len(text)")
        return self


class Period(_Model):
    """A closed interval of calendar dates; either side may be open (null)."""

    from_: Optional[_dt.date] = Field(None, alias="from")
    to: Optional[_dt.date] = None


class DateMention(Span):
    kind: DateKind
    from_: Optional[_dt.date] = Field(None, alias="from")
    to: Optional[_dt.date] = None
    granularity: Optional[Granularity] = None

    @model_validator(mode="after")
    def _from_before_to(self):
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError(f"date from {self.from_} after to {self.to}")
        return self


class PlaceMention(Span):
    name: str
    level: PlaceLevel
    adcode: Optional[str] = Field(None, pattern=r"^\d{6}$")
    path: list[str] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list, description="adcodes of other units considered")
    resolved_by: Optional[str] = Field(None, description="what decided among candidates")


class CountMention(Span):
    indicator: str = "other"
    label: Optional[str] = None
    value: float
    approx: Approx = "exact"
    low: Optional[float] = None
    high: Optional[float] = None
    unit: str
    object: Optional[str] = None
    period: Optional[Period] = None
    place: Optional[str] = Field(None, description="adcode of the place the figure is about")
    sentence: Optional[str] = Field(None, description="the sentence the figure stands in")
    period_source: Optional[str] = Field(None, description="the date mention text the period came from")
    place_source: Optional[str] = Field(None, description="the place mention text the place came from")

    @model_validator(mode="after")
    def _finite(self):
        import math

        for v in (self.value, self.low, self.high):
            if v is not None and not math.isfinite(v):
                raise ValueError("count value must be finite")
        return self


class MeasureMention(Span):
    name: str
    kind: Optional[str] = None
    form: MeasureForm
    issuer: Optional[str] = None
    date: Optional[Period] = None
    place: Optional[str] = None


class Issue(_Model):
    stage: str
    message: str


class Record(_Model):
    id: str
    source: str
    title: Optional[str] = None
    published_at: Optional[str] = Field(None, description="ISO 8601 with +08:00")
    outlet: Optional[str] = None
    authors: list[str] = Field(default_factory=list)
    editors: list[str] = Field(default_factory=list)
    url: Optional[str] = None
    script: Optional[Script] = None
    text: str = ""
    dates: list[DateMention] = Field(default_factory=list)
    places: list[PlaceMention] = Field(default_factory=list)
    counts: list[CountMention] = Field(default_factory=list)
    measures: list[MeasureMention] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    normalization: dict[str, int] = Field(default_factory=dict, description="repairs made, by kind")

    @model_validator(mode="after")
    def _spans_index_text(self):
        for group in (self.dates, self.places, self.counts, self.measures):
            for m in group:
                if self.text[m.start:m.end] != m.text:
                    raise ValueError(f"span {m.start}:{m.end} {m.text!r} does not index text")
        return self

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)

    def to_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


_object_setattr = object.__setattr__


def _slot_setters() -> Optional[tuple]:
    """The ``__set__`` of BaseModel's four slots (``__dict__``, ``__pydantic_fields_set__``,
    ``__pydantic_extra__``, ``__pydantic_private__``): what ``object.__setattr__`` finds after a
    look-up along the class's MRO, called directly. None when BaseModel does not hold them (then
    ``object.__setattr__`` is used)."""
    from pydantic import BaseModel as _BM

    got = []
    for name in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"):
        desc = _BM.__dict__.get(name)
        if desc is None or not hasattr(type(desc), "__set__"):
            return None
        got.append(desc.__set__)
    return tuple(got)


_SLOT_SETTERS = _slot_setters()


def _plan(cls: type) -> tuple:
    """(field order, its set to copy, whether the direct build applies to ``cls``): the direct build
    needs the four slots on BaseModel, found first along ``cls``'s MRO, and no post-init or root
    model."""
    names = tuple(cls.__pydantic_fields__)
    direct = not (cls.__pydantic_post_init__ or cls.__pydantic_root_model__) and _SLOT_SETTERS is not None \
        and all(next((k for k in cls.__mro__ if n in k.__dict__), None) is BaseModel
                for n in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"))
    return names, frozenset(names), direct


def construct_all(cls: type[BaseModel], /, **values) -> BaseModel:
    """``cls.model_construct(**values)`` for trusted values that name every field of ``cls``, by
    field name and in declaration order: the same instance (``__dict__`` in field order, every field
    set, no extra/private state), built in a fraction of the time (hot loops build thousands of
    mentions). Any other call falls back to ``model_construct``. No validation either way."""
    plan = _FIELD_ORDER.get(cls)
    if plan is None:
        plan = _FIELD_ORDER[cls] = _plan(cls)
    names, name_set, direct = plan
    if not direct or tuple(values) != names:
        return cls.model_construct(**values)
    set_dict, set_fields, set_extra, set_private = _SLOT_SETTERS
    m = cls.__new__(cls)
    set_dict(m, values)
    set_fields(m, set(name_set))
    set_extra(m, None)
    set_private(m, None)
    return m


_FIELD_ORDER: dict[type, tuple[tuple[str, ...], frozenset, bool]] = {}


_BUILD_NAMES = frozenset(("m", "new", "cls", "name_set", "set", "set_dict", "set_fields", "set_extra", "set_private"))


def constructor(cls: type[BaseModel]):
    """A function taking every field of ``cls`` as a keyword-only argument that returns what
    ``construct_all(cls, **values)`` returns for them (``__dict__`` in field order, whatever the
    order of the call's keywords): no keyword packing into a dict, no field-order test, no plan
    look-up per call (built once, as Python source naming the fields). No validation."""
    names, name_set, direct = _plan(cls)
    if not direct or not all(n.isidentifier() and not keyword.iskeyword(n) and n not in _BUILD_NAMES
                             for n in names):
        def build(**values):
            return construct_all(cls, **{n: values[n] for n in names})
        return build
    args = ", ".join(names)
    src = (f"def build(*, {args}):\n"
           f"    m = new(cls)\n"
           f"    set_dict(m, {{{', '.join(f'{n!r}: {n}' for n in names)}}})\n"
           f"    set_fields(m, set(name_set))\n"
           f"    set_extra(m, None)\n"
           f"    set_private(m, None)\n"
           f"    return m\n")
    set_dict, set_fields, set_extra, set_private = _SLOT_SETTERS
    ns = dict(new=cls.__new__, cls=cls, name_set=name_set, set_dict=set_dict, set_fields=set_fields,
              set_extra=set_extra, set_private=set_private)
    exec(src, ns)
    build = ns["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    return build
