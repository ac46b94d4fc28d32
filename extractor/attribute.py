"""Stage 'attribute': the period and place every count is about, and a measure's issuer/date/place.

Scope rules live in ``patterns/scope.yaml``; see that file for the order in which they are
tried. In short, a figure takes

* period — the enumerated date it pairs with (由2017、2018年的218件、222件), else the nearest time
  expression before it in its sentence, else one after it in its clause, else the previous
  sentence's when the sentence continues it (其中 …), else a period lead opening an earlier sentence
  of its paragraph (1至9月份,元宝山区纪委监委…), else null;
* place — the nearest place mention before it in its sentence or paragraph (organization names and
  deixis such as 全市 are place mentions), else one after it in its clause, else the nearest before
  it in the article, else the article's home place.

Each count records the mention text its period and place came from (``period_source``,
``place_source``; ``home`` for the home place). The stage never raises on odd input: a count it
cannot place keeps null fields.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import functools
import operator
import re
from dataclasses import dataclass
from typing import Any, Optional

import regex

from .article import Article
from .models import CountMention, DateMention, MeasureMention, Period, PlaceMention, constructor
from .resources import load_yaml
from .sentences import clauses, paragraphs_sentences_owners

_START = operator.attrgetter("start")
_NUM_CHARS = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿.]+")   # (stdlib re: less per call)
_LEAD_JUNK = " \t\u3000“”\"'‘’「」『』《》()（）【】[]"


@dataclass(frozen=True)
class _Scope:
    period_order: tuple
    continuation: "regex.Pattern"
    continuation_firsts: Optional[frozenset]   # first characters of its openers (None: one is empty)
    lead_prefix: "regex.Pattern"
    lead_firsts: Optional[frozenset]   # first characters of the lead prefixes (None: one is empty)
    lead_kinds: frozenset
    lead_grans: frozenset
    ignore_grans: frozenset
    joiners: frozenset
    list_item: "regex.Pattern"
    place_order: tuple
    ignore_levels: frozenset
    issuer_verbs: "regex.Pattern"
    issuer_organ: "regex.Pattern"
    issuer_strip: "regex.Pattern"


def _alt(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) or r"(?!x)x"


def _first_chars(words) -> Optional[frozenset]:
    """The first characters of ``words`` (a word starts with one of them), or None when one is empty."""
    return frozenset(w[0] for w in words) if all(words) else None


@functools.lru_cache(maxsize=1)
def scope() -> _Scope:
    cfg = load_yaml("scope.yaml") or {}
    per = cfg.get("period", {}) or {}
    pla = cfg.get("place", {}) or {}
    try:
        mcfg = load_yaml("measures.yaml") or {}
    except Exception:  # measures rules missing: no issuers
        mcfg = {}
    return _Scope(
        period_order=tuple(per.get("order", ["distributive", "sentence", "clause_after", "continued", "lead"])),
        continuation=regex.compile(rf"^(?:{_alt(per.get('continuation_openers', []))})"),
        continuation_firsts=_first_chars(per.get("continuation_openers", [])),
        lead_prefix=regex.compile(rf"^(?:(?:{_alt(per.get('lead_prefixes', []))})[,，]?)*"),
        lead_firsts=_first_chars(per.get("lead_prefixes", [])),
        lead_kinds=frozenset(per.get("lead_kinds", ["range", "since", "until"])),
        lead_grans=frozenset(per.get("lead_granularities", ["year", "half", "quarter"])),
        ignore_grans=frozenset(per.get("ignore_granularities", ["minute"]) or []),
        joiners=frozenset(per.get("enumeration_joiners", ["、"])),
        list_item=regex.compile(rf"\s*(?:{_alt(per.get('list_item_openers', []))})"),
        place_order=tuple(pla.get("order", ["sentence", "paragraph", "clause_after", "preceding", "home"])),
        ignore_levels=frozenset(pla.get("ignore_levels", []) or []),
        issuer_verbs=regex.compile(rf"(?:{_alt(mcfg.get('issuer_verbs', ['制定', '出台', '印发']))})"),
        issuer_organ=regex.compile(
            rf"[\p{{Han}}()（）]{{0,16}}?(?:{_alt(mcfg.get('issuer_organs', ['纪委监委', '纪委']))})"),
        issuer_strip=regex.compile(rf"^(?:{_alt(mcfg.get('issuer_strip_prefixes', []))})"),
    )


# ----------------------------------------------------------------------------- text layout

class Layout:
    """Paragraphs, sentences and clauses of one text, with lookups by offset."""

    def __init__(self, text: str):
        self.text = text
        # sent_para[i]: the paragraph sentence i lies in (= paragraph_of(sents[i][0]))
        self.paras, self.sents, self.sent_para = paragraphs_sentences_owners(text)
        self._para_starts = [s for s, _ in self.paras]
        self._sent_starts = [s for s, _ in self.sents]
        self._clauses: dict[int, tuple[list[tuple[int, int]], list[int]]] = {}

    @staticmethod
    def _find(starts: list[int], spans: list[tuple[int, int]], pos: int) -> int:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and spans[i][0] <= pos < spans[i][1]:
            return i
        return -1

    def sentence_of(self, pos: int) -> int:
        return self._find(self._sent_starts, self.sents, pos)

    def paragraph_of(self, pos: int) -> int:
        return self._find(self._para_starts, self.paras, pos)

    def clause_of(self, si: int, pos: int) -> tuple[int, int]:
        got = self._clauses.get(si)
        if got is None:
            s, e = self.sents[si]
            spans = clauses(self.text, s, e) or [(s, e)]
            got = self._clauses[si] = (spans, [c[0] for c in spans])
        spans, starts = got
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and spans[i][0] <= pos < spans[i][1]:
            return spans[i]
        return self.sents[si]


# ----------------------------------------------------------------------------- helpers

def value_anchor(count: CountMention) -> int:
    """Where the figure's number stands in the text (the value inside a shared span such as 67、88件)."""
    t = count.text
    v = count.value
    if v is not None:
        i = t.rfind(str(int(v)) if float(v).is_integer() else repr(v))
        if i < 0:
            i = t.rfind(f"{v:g}")
        if i >= 0:
            return count.start + i
    runs = list(_NUM_CHARS.finditer(t))
    if runs:
        return count.start + runs[-1].start()
    return max(count.start, count.end - 1)


def period_of(d: DateMention) -> Optional[Period]:
    if d.from_ is None and d.to is None:
        return None
    return _period(d.from_, d.to)


def union_period(ds: list[DateMention]) -> Optional[Period]:
    froms = [d.from_ for d in ds]
    tos = [d.to for d in ds]
    lo = None if any(f is None for f in froms) else min(froms)
    hi = None if any(t is None for t in tos) else max(tos)
    if lo is None and hi is None:
        return None
    return _period(lo, hi)


def _period(lo, hi) -> Period:
    """``Period(from_=lo, to=hi)``; plain dates (or None) pass its validation unchanged, so the
    model is built without it (a few per figure)."""
    if (lo is None or type(lo) is _dt.date) and (hi is None or type(hi) is _dt.date):
        return _new_period(from_=lo, to=hi)
    return Period(from_=lo, to=hi)


_new_period = constructor(Period)   # construct_all(Period, …) without its per-call steps


def within(code: Optional[str], area: Optional[str]) -> bool:
    """Whether division ``code`` lies inside division ``area`` (or is it): 350122 in 350100."""
    if not code or not area:
        return False
    prefix = area.rstrip("0")
    prefix = prefix + "0" * (len(prefix) % 2)  # keep whole 2-digit levels: 120000 → 12, 350100 → 3501
    return str(code).startswith(prefix)


def home_adcode(article: Article) -> tuple[Optional[str], Optional[str]]:
    """(adcode, label) of the article's home place from ``context['home_place']``."""
    hp: Any = article.context.get("home_place")
    if hp is None:
        code = article.context.get("home_adcode")
        return (str(code), str(code)) if code else (None, None)
    if isinstance(hp, PlaceMention):
        return hp.adcode, hp.name
    if isinstance(hp, dict):
        return hp.get("adcode"), hp.get("name") or hp.get("adcode")
    if isinstance(hp, str) and regex.fullmatch(r"\d{6}", hp):
        return hp, hp
    code = getattr(hp, "adcode", None)
    return (code, getattr(hp, "name", code)) if code else (None, None)


# ----------------------------------------------------------------------------- periods

@functools.lru_cache(maxsize=8)
def _period_rules(cls: type, order: tuple[str, ...]) -> tuple:
    """The ``_rule_<name>`` functions of ``cls`` for the names of ``order`` that exist, in order."""
    return tuple(fn for fn in (getattr(cls, "_rule_" + r, None) for r in order) if fn is not None)


class PeriodResolver:
    def __init__(self, article: Article, layout: Layout, anchors: Optional[list[int]] = None):
        self.text = article.text
        self.layout = layout
        self.sc = scope()
        n, ignore = len(self.text), self.sc.ignore_grans
        self.dates = sorted([d for d in article.dates if 0 <= d.start < d.end <= n and d.granularity not in ignore],
                            key=_START)
        self._starts = [d.start for d in self.dates]
        self.counts = article.counts
        self._anchors = sorted(anchors if anchors is not None else (value_anchor(c) for c in self.counts))
        self._leads: list[Optional[DateMention]] = []   # filled on demand by _forward_leads
        self._lead_state: tuple[Optional[DateMention], int] = (None, -2)
        self._continued: dict[int, Optional[DateMention]] = {}
        self._sent_last: tuple[int, int, int] = (-1, -1, -1)   # (a, si, _last_before_idx(a, start of si))
        self._joins: dict[int, bool] = {}   # k -> whether dates k and k+1 are joined (an enumeration)
        # the rules of scope.yaml's period_order, looked up once (unknown names are skipped)
        self._rules = _period_rules(type(self), tuple(self.sc.period_order))

    def resolve(self, c: CountMention, a: Optional[int] = None, si: Optional[int] = None
                ) -> tuple[Optional[Period], Optional[str]]:
        a = value_anchor(c) if a is None else a
        si = self.layout.sentence_of(a) if si is None else si
        if si < 0:
            return None, None
        for fn in self._rules:
            got = fn(self, si, a)
            if got is not None:
                return got
        return None, None

    def _last_before_idx(self, a: int, floor: int) -> int:
        """Index of the last date ending at or before ``a`` and starting at or after ``floor``; -1 if none."""
        i = bisect.bisect_right(self._starts, a) - 1
        while i >= 0 and self.dates[i].start >= floor:
            if self.dates[i].end <= a:
                return i
            i -= 1
        return -1

    def _last_in_sentence_idx(self, si: int, a: int) -> int:
        """``_last_before_idx(a, start of sentence si)``, kept for the next rule of the same figure
        (the distributive and the sentence rule both ask)."""
        got = self._sent_last
        if got[0] == a and got[1] == si:
            return got[2]
        k = self._last_before_idx(a, self.layout.sents[si][0])
        self._sent_last = (a, si, k)
        return k

    def _joined_at(self, k: int) -> bool:
        """``_joined(dates[k], dates[k + 1])``, once per pair."""
        got = self._joins.get(k)
        if got is None:
            got = self._joins[k] = self._joined(self.dates[k], self.dates[k + 1])
        return got

    def _last_before(self, a: int, floor: int) -> Optional[DateMention]:
        i = self._last_before_idx(a, floor)
        return self.dates[i] if i >= 0 else None

    def _first_from(self, a: int, end: int) -> Optional[DateMention]:
        i = bisect.bisect_left(self._starts, a)
        if i < len(self.dates) and self.dates[i].end <= end:
            return self.dates[i]
        return None

    def _joined(self, d1: DateMention, d2: DateMention) -> bool:
        return d1.end <= d2.start and self.text[d1.end:d2.start].strip() in self.sc.joiners

    def _rule_distributive(self, si: int, a: int):
        # cheap rejections before the clause is split: the date the enumeration ends with lies in
        # the sentence (the clause is part of it) and is joined to a neighbour
        k = self._last_in_sentence_idx(si, a)
        if k < 0 or not ((k > 0 and self._joined_at(k - 1))
                         or (k + 1 < len(self.dates) and self._joined_at(k))):
            return None
        cs, ce = self.layout.clause_of(si, a)
        k = self._last_before_idx(a, cs)
        if k < 0:
            return None
        lo = hi = k
        while lo > 0 and k - lo < 50 and self.dates[lo - 1].start >= cs and self._joined(self.dates[lo - 1], self.dates[lo]):
            lo -= 1
        while (hi + 1 < len(self.dates) and hi - k < 50 and self.dates[hi + 1].end <= ce
               and self._joined(self.dates[hi], self.dates[hi + 1])):
            hi += 1
        if hi == lo:
            return None
        g = self.dates[lo:hi + 1]
        if g[-1].end > a:  # the figure stands inside the enumeration itself
            return None
        # the figures between this enumeration and the next date in the same clause
        stop = ce
        if hi + 1 < len(self.dates) and self.dates[hi + 1].start < ce:
            stop = self.dates[hi + 1].start
        i0 = bisect.bisect_left(self._anchors, g[-1].end)
        i1 = bisect.bisect_left(self._anchors, stop)
        anchors = sorted(set(self._anchors[i0:min(i1, i0 + 60)]))
        src = "、".join(d.text for d in g)
        if len(anchors) == len(g) and a in anchors:
            d = g[anchors.index(a)]
            return period_of(d), d.text
        return union_period(g), src

    def _rule_sentence(self, si: int, a: int):
        k = self._last_in_sentence_idx(si, a)
        if k >= 0:
            d = self.dates[k]
            return period_of(d), d.text
        return None

    def _rule_clause_after(self, si: int, a: int):
        if self._first_from(a, self.layout.sents[si][1]) is None:   # none in the sentence, none in the clause
            return None
        cs, ce = self.layout.clause_of(si, a)
        d = self._first_from(a, ce)
        if d is not None and "”" not in self.text[a:d.start]:  # not across the end of a quotation
            return period_of(d), d.text
        return None

    def _rule_continued(self, si: int, a: int):
        if si in self._continued:   # a property of the sentence: found once for all its figures
            d = self._continued[si]
        else:
            d = self._continued[si] = self._continued_from(si)
        if d is not None:
            return period_of(d), d.text
        return None

    def _continued_from(self, si: int) -> Optional[DateMention]:
        """The date a sentence that continues the previous one (其中 …) takes from it, if any."""
        s, e = self.layout.sents[si]
        head = self.text[s:e].lstrip(_LEAD_JUNK)
        firsts = self.sc.continuation_firsts   # an opener starts with one of them: else no match
        if (firsts is not None and head[:1] not in firsts) or not self.sc.continuation.match(head) or si == 0:
            return None
        ps, pe = self.layout.sents[si - 1]
        if self.layout.sent_para[si - 1] != self.layout.sent_para[si]:
            return None
        d = self._last_before(pe, ps)
        if d is not None:
            return d
        return self._lead_before(si - 1)

    def _rule_lead(self, si: int, a: int):
        lead = self._lead_before(si)
        if lead is not None:
            return period_of(lead), lead.text
        return None

    # leads --------------------------------------------------------------
    def sentence_lead(self, si: int) -> Optional[DateMention]:
        """The time expression opening sentence ``si`` (after an optional 据统计, …), if any."""
        s, e = self.layout.sents[si]
        d = self._first_from(s, e)
        if d is None:
            return None
        head = self.text[s:d.start].strip(_LEAD_JUNK)
        # lead_prefix removes nothing from a head that starts with no prefix word's first character,
        # and the strip below keeps a first character that is neither junk nor a comma: not a lead
        firsts = self.sc.lead_firsts
        if head and firsts is not None and head[0] not in firsts and head[0] not in ",，":
            return None
        head = self.sc.lead_prefix.sub("", head).strip(_LEAD_JUNK + ",，")
        if head:
            return None
        return d

    def is_period_lead(self, d: DateMention) -> bool:
        return d.kind in self.sc.lead_kinds or (d.granularity in self.sc.lead_grans)

    def _lead_before(self, si: int) -> Optional[DateMention]:
        """The period lead of the nearest earlier sentence of the paragraph (or of the list it
        belongs to) that opens with a time expression; None when that one is an event date."""
        if si < 0:
            return None
        if si >= len(self._leads):
            self._forward_leads(si)
        return self._leads[si] if si < len(self._leads) else None

    def _forward_leads(self, upto: int) -> None:
        """Extend ``self._leads`` (the lead in force at each sentence) through sentence ``upto``:
        one forward walk over the sentences, resumed where the last call stopped."""
        leads = self._leads
        current, prev_para = self._lead_state
        sents, paras, sent_para = self.layout.sents, self.layout.paras, self.layout.sent_para
        dates, date_starts = self.dates, self._starts
        j0 = len(leads)
        if j0 >= len(sents):
            return
        # the sentences go forward, so the first date starting in them (_first_from) is found by a
        # pointer moving forward instead of a bisection per sentence
        k = bisect.bisect_left(date_starts, sents[j0][0])
        n_dates = len(dates)
        for j in range(j0, min(upto + 1, len(sents))):
            sj, ej = sents[j]
            pj = sent_para[j]
            if pj != prev_para:
                if current is not None:   # a lead carries over into a list item paragraph (其一…)
                    ps, pe = paras[pj] if pj >= 0 else (sj, ej)
                    if not (pj >= 0 and self.sc.list_item.match(self.text, ps, pe)):
                        current = None
                prev_para = pj
            leads.append(current)
            while k < n_dates and date_starts[k] < sj:
                k += 1
            if k < n_dates and dates[k].end <= ej:   # a date starts in the sentence: it may open it
                lead = self.sentence_lead(j)
                if lead is not None:
                    current = lead if self.is_period_lead(lead) else None
        self._lead_state = (current, prev_para)


# ----------------------------------------------------------------------------- places

class PlaceResolver:
    def __init__(self, article: Article, layout: Layout):
        self.layout = layout
        self.sc = scope()
        n, ignore = len(article.text), self.sc.ignore_levels
        self.places = sorted([p for p in article.places if p.adcode and p.level not in ignore and 0 <= p.start < p.end <= n],
                             key=_START)
        self._ends = [p.end for p in self.places]
        self._starts = [p.start for p in self.places]
        self.home, self.home_label = home_adcode(article)
        # the rules of scope.yaml's place order, looked up once (unknown names are skipped)
        self._rules = _place_rules(type(self), tuple(self.sc.place_order))

    def _before(self, limit: int, floor: int) -> Optional[PlaceMention]:
        i = bisect.bisect_right(self._ends, limit) - 1
        while i >= 0:
            p = self.places[i]
            if p.end <= limit:
                return p if p.start >= floor else None
            i -= 1
        return None

    def resolve(self, anchor: int, start: Optional[int] = None, si: Optional[int] = None
                ) -> tuple[Optional[str], Optional[str]]:
        a = anchor
        si = self.layout.sentence_of(a) if si is None else si
        for fn in self._rules:
            got = fn(self, a, si)
            if got is not None:
                return got
        return None, None

    # the rules of scope.yaml's place order: (adcode, source) or None to try the next one
    def _place_sentence(self, a: int, si: int):
        return _cited(self._before(a, self.layout.sents[si][0])) if si >= 0 else None

    def _place_paragraph(self, a: int, si: int):
        # a sentence lies in one paragraph: the anchor's is the sentence's (else looked up)
        pi = self.layout.sent_para[si] if si >= 0 else self.layout.paragraph_of(a)
        return _cited(self._before(a, self.layout.paras[pi][0])) if pi >= 0 else None

    def _place_clause_after(self, a: int, si: int):
        if si >= 0:
            i = bisect.bisect_left(self._starts, a)
            # the clause ends inside the sentence: no place starting in the sentence, none in the clause
            if i < len(self.places) and self.places[i].start < self.layout.sents[si][1]:
                cs, ce = self.layout.clause_of(si, a)
                if self.places[i].start < ce:
                    return _cited(self.places[i])
        return None

    def _place_preceding(self, a: int, si: int):
        return _cited(self._before(a, 0))

    def _place_preceding_in_home(self, a: int, si: int):
        # a place named earlier keeps governing (an interview turn of 静海区纪委监委) only
        # inside the article's home: in a national round-up an example place does not
        if self.home:
            p = self._before(a, 0)
            if p is not None and within(p.adcode, self.home):
                return _cited(p)
        return None

    def _place_home(self, a: int, si: int):
        if self.home:
            return self.home, "home:" + str(self.home_label)
        return None


def _cited(p: Optional[PlaceMention]) -> Optional[tuple]:
    """A place rule's answer for the mention ``p``: (its adcode, its text), or None without one."""
    return (p.adcode, p.text) if p is not None else None


@functools.lru_cache(maxsize=8)
def _place_rules(cls: type, order: tuple[str, ...]) -> tuple:
    """The ``_place_<name>`` functions of ``cls`` for the names of ``order`` that exist, in order."""
    return tuple(fn for fn in (getattr(cls, "_place_" + r, None) for r in order) if fn is not None)


# ----------------------------------------------------------------------------- measures

_ISSUER_CLAUSE_RX = regex.compile(r"[,，;；:：。]")


def measure_issuer(text: str, sent: tuple[int, int], m: MeasureMention) -> Optional[tuple[str, int]]:
    """The organ that issued/adopted ``m``: ``X制定出台了《…》`` in the measure's clause run."""
    sc = scope()
    s = max(sent[0], m.start - 120)
    # the last clause start before the measure that is followed by organ + verb … measure
    window = text[s:m.start]
    if not sc.issuer_verbs.search(window):   # the verb (a word of a list) stands in the window or nowhere
        return None
    # the clause starts from the last one back: the first that fits is the last that fits
    for cs in reversed([0] + [k.end() for k in _ISSUER_CLAUSE_RX.finditer(window)]):
        seg = window[cs:]
        seg_l = seg.lstrip(_LEAD_JUNK)
        off = cs + (len(seg) - len(seg_l))
        seg_l2 = sc.issuer_strip.sub("", seg_l)
        off += len(seg_l) - len(seg_l2)
        om = sc.issuer_organ.match(seg_l2)
        if om and sc.issuer_verbs.search(seg_l2, om.end()):
            return om.group(0), s + off
    return None


def attribute_measures(article: Article, layout: Layout, periods: PeriodResolver, places: PlaceResolver) -> None:
    text = article.text
    for i, m in enumerate(article.measures):
        si = layout.sentence_of(m.start)
        if si < 0:
            continue
        sent = layout.sents[si]
        upd: dict[str, Any] = {}
        if m.issuer is None:
            got = measure_issuer(text, sent, m)
            if got:
                upd["issuer"] = got[0]
                if m.place is None:
                    org_start = got[1]
                    inside = [p for p in places.places if org_start <= p.start and p.end <= org_start + len(got[0])]
                    if inside:
                        upd["place"] = inside[-1].adcode
        if m.date is None and (m.issuer or upd.get("issuer")):  # a date says when the organ adopted it
            d = periods._last_before(m.start, sent[0])
            if d is not None:
                per = period_of(d)
                if per is not None:
                    upd["date"] = per
        _assign(m, upd)


# ----------------------------------------------------------------------------- stage

@functools.lru_cache(maxsize=8)
def _plain_fields(cls: type) -> frozenset:
    """The fields of ``cls`` that pydantic's ``__setattr__`` stores as they are (no assignment
    validation, not frozen): for those it writes ``__dict__`` and marks the field set, nothing else."""
    cfg = cls.model_config
    if cfg.get("validate_assignment") or cfg.get("frozen"):
        return frozenset()
    return frozenset(n for n, f in cls.__pydantic_fields__.items() if not f.frozen)


def _assign(model, upd: dict[str, Any]) -> None:
    """``setattr(model, k, v)`` for every item of ``upd`` (pydantic's own steps for plain fields)."""
    if upd.keys() <= _plain_fields(type(model)):
        model.__dict__.update(upd)
        model.__pydantic_fields_set__.update(upd)
    else:
        for k, v in upd.items():
            setattr(model, k, v)



def attribute_counts(article: Article, layout: Optional[Layout] = None) -> None:
    layout = layout or Layout(article.text)
    anchors = [value_anchor(c) for c in article.counts]
    periods = PeriodResolver(article, layout, anchors)
    places = PlaceResolver(article, layout)
    out = []
    sent_text: dict[int, str] = {}   # the figures of one sentence share its text (one str)
    for c, a in zip(article.counts, anchors):
        upd: dict[str, Any] = {}
        si = layout.sentence_of(a)   # (once for the three uses)
        if c.period is None and c.period_source is None:
            per, src = periods.resolve(c, a, si)
            upd["period"], upd["period_source"] = per, src
        if c.place is None:
            code, src = places.resolve(a, si=si)
            upd["place"], upd["place_source"] = code, src
        if c.sentence is None:
            if si >= 0:
                st = sent_text.get(si)
                if st is None:
                    s, e = layout.sents[si]
                    st = sent_text[si] = article.text[s:e]
                upd["sentence"] = st
        _assign(c, upd)   # in place: cheaper than model_copy, and the list is the article's own
        out.append(c)
    article.counts = out
    attribute_measures(article, layout, periods, places)


def stage(article: Article) -> None:
    if not article.text or not (article.counts or article.measures):
        return
    attribute_counts(article)
