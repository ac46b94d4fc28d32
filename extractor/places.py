"""Stage 'places': administrative places found with the gazetteer and linked to division codes in context.

    link_places(text, outlet="福州日报")  -> [PlaceMention(text="连江县", adcode="350122", ...), ...]

How a mention is found and linked (rules and word lists: ``patterns/gazetteer/linking.yaml``):

1. One Aho-Corasick pass (``extractor.gazetteer``) gives every occurrence of every name, overlapping.
   A name directly followed by a media suffix (福州日报, 内蒙古新闻网) is a site/outlet name: it informs
   the home place but is no mention; one followed by 景区/水库… is no place.
2. *Strong* names (full names of three characters or more, province short forms, city short forms
   that are no ordinary word) are taken first, longest and leftmost winning overlaps.
3. The *home place* (what the article is about) starts from the outlet (a place in its name, or
   ``patterns/gazetteer/outlets.tsv``) or a media name in the text, and descends into a unit that
   holds most of the strong mentions (or that the title names): 赤峰日报 + 元宝山区… → 元宝山区.
4. *Weak* names (county short forms 连江/福清, two-character names 赵县, short forms that are
   ordinary words 江山/和平, former short names) count only in context: the unit itself, its
   parent city or a unit below it is mentioned, or it lies under the home place's city. Short and
   two-character names must also start a word (rjieba on a small window: not 焦作 in 聚焦作决策)
   and not follow a lone surname (李西安, 记者 林福清). Township full names count only under a
   county/city the article mentions or is about, or after their county (统一镇街 is no 统一镇).
5. A name shared by several units is resolved by: an ancestor written right before it
   (闽清县金沙镇), its earlier resolution in the article, other mentions (福州市…连江县; siblings:
   海淀区、朝阳区), the home place (a Tianjin article's 河北区), then the mainland prior and the
   province before a same-named prefecture (吉林). Unbroken ties keep ``adcode=None`` and list
   ``candidates``; ``resolved_by`` says what decided.
6. Township short forms (上马台、高村两个镇; 新开河街; 伊车嘎善锡伯族乡) are looked for only under
   the counties found, with a cue; deixis words (我市, 全省, 该县, 区委…) resolve to the nearest
   fitting mention of the sentence or paragraph (成武县…全市 → its city), else to the home place's
   unit of that kind; not after an unnamed unit (某区…该区) or inside a word (健全市场).

The stage stores the home place in ``article.context["home_place"]`` (a PlaceMention with an empty
span, or None) and ``article.context["home_adcode"]``.
"""
from __future__ import annotations

import bisect
import functools
import operator
import re
import typing
from dataclasses import dataclass, field
from typing import Optional

from .article import Article
from .gazetteer import Gazetteer, Hit, gazetteer
from .models import PlaceLevel, PlaceMention, constructor
from .resources import load_tsv, load_yaml

LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "township": 3}


# ---- rules (loaded once) -------------------------------------------------------------------------
@dataclass(kw_only=True)
class Rules:
    media: re.Pattern
    not_place: re.Pattern
    deixis: Optional[re.Pattern]
    deixis_kind: dict[str, str]
    deixis_pairs: Optional[tuple]    # ((first character, frozenset of second characters), ...) of the words
    deixis_words: tuple = ()         # the words, looked for in the gazetteer's pass over the text
    blockers: frozenset
    sentence_end: str                # the characters that end a sentence
    sentence_rest_re: re.Pattern     # a run of characters that end no sentence
    paragraph_end: str               # the characters that end a paragraph
    jie_re: re.Pattern
    jie_first: Optional[str]        # the characters a 街 form's match starts with (_first_chars), if known
    town_cue_re: re.Pattern
    town_cue_first: Optional[str]   # the characters a cue starts with (_first_chars), if known
    town_cue_second: Optional[frozenset]   # and has second (_second_chars), if known
    ethnic_town_re: re.Pattern
    ethnic_first: Optional[str]
    ethnic_second: Optional[frozenset]
    town_numerals: str
    ethnic_groups: tuple
    enumerators: str
    unnamed: str
    not_township: re.Pattern
    share: float
    min_mentions: int
    max_occurrences: int = 20000
    surnames: frozenset = frozenset()
    suffix_first_chars: frozenset = frozenset()
    outlets: dict[str, list[str]] = field(default_factory=dict)


def _parsed(rx: re.Pattern):
    """(the ``re`` parser's constants, the top-level items of ``rx``'s pattern), or None on a Python
    whose parser is not there (no shortcut then)."""
    try:
        from re import _constants as sre, _parser as parser   # Python 3.11+
        return sre, list(parser.parse(rx.pattern, rx.flags))
    except Exception:
        return None


def _literals(sre, item) -> Optional[set]:
    """The characters a parsed item matches when it is a literal or a class of literals, else None."""
    op, av = item
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN and av and all(o is sre.LITERAL for o, _ in av):
        return {chr(a) for _, a in av}
    return None


def _first_chars(rx: re.Pattern) -> Optional[str]:
    """The characters every match of ``rx`` starts with, when its pattern opens with a literal or
    a class of literals (and has no top-level alternation, no case folding); else None."""
    if rx.flags & re.IGNORECASE:
        return None
    got = _parsed(rx)
    if got is None or not got[1]:
        return None
    sre, items = got
    chars = _literals(sre, items[0])
    return "".join(sorted(chars)) if chars else None


def _second_chars(rx: re.Pattern) -> Optional[frozenset]:
    """The characters every match of ``rx`` has second, when its pattern opens with a literal or a
    class of literals (``_first_chars``) followed by a literal, a class of literals or a group of
    alternatives each opening with one; else None."""
    if _first_chars(rx) is None:
        return None
    got = _parsed(rx)
    if got is None:
        return None
    sre, items = got

    def opening(item) -> Optional[set]:
        op, av = item
        if op is sre.SUBPATTERN and not av[1] and not av[2]:
            sub = list(av[3])
            return opening(sub[0]) if sub else None
        if op is sre.BRANCH:
            out: set = set()
            for branch in av[1]:
                b = list(branch)
                got = opening(b[0]) if b else None
                if got is None:
                    return None
                out |= got
            return out
        return _literals(sre, item)

    if len(items) < 2:
        return None
    got = opening(items[1])
    return frozenset(got) if got else None


def _finditer_at(rx: re.Pattern, first: Optional[str], text: str, seconds: Optional[frozenset] = None):
    """``rx.finditer(text)``, with the match tried only where one of ``first`` (its first
    characters, found with str.find) stands, and one of ``seconds`` (its second characters, when
    known) after it: a search led by a character class steps through every character. Without
    ``first``, the plain search."""
    if first is None:
        return rx.finditer(text)
    return _finditer_pairs(rx, tuple((c, seconds) for c in first), text)


def _finditer_pairs(rx: re.Pattern, pairs: Optional[tuple], text: str):
    """``rx.finditer(text)`` for ``rx`` whose matches all start with one of the first characters of
    ``pairs`` followed by one of its second characters (each first character with the set of second
    characters, or None for any): the match is tried only there (the places found with str.find),
    as a search led by an alternation or a class steps through every character. Without ``pairs``,
    the plain search."""
    if pairs is None:
        yield from rx.finditer(text)
        return
    cands = []
    last_i = len(text) - 1
    for c, seconds in pairs:
        i = text.find(c)
        if seconds is None:
            while i >= 0:
                cands.append(i)
                i = text.find(c, i + 1)
        else:
            while 0 <= i < last_i:
                if text[i + 1] in seconds:
                    cands.append(i)
                i = text.find(c, i + 1)
    cands.sort()
    last = 0
    for p in cands:
        if p >= last:
            m = rx.match(text, p)
            if m is not None:
                yield m
                last = m.end()


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def rules() -> Rules:
    cfg = load_yaml("gazetteer/linking.yaml") or {}
    exc = cfg.get("media_suffix_exceptions") or []
    media = re.compile(f"(?!(?:{_alternation(exc)}))(?:{_alternation(cfg.get('media_suffixes') or ['日报'])})"
                       if exc else f"(?:{_alternation(cfg.get('media_suffixes') or ['日报'])})")
    not_place = re.compile(f"(?:{_alternation(cfg.get('not_place_after') or ['景区'])})")
    kinds = {}
    for kind, words in (cfg.get("deixis") or {}).items():
        for w in words or ():
            kinds[w] = kind
    deixis = re.compile(_alternation(kinds)) if kinds else None
    pairs = None
    if kinds and all(len(w) >= 2 for w in kinds):
        seconds: dict[str, set] = {}
        for w in kinds:
            seconds.setdefault(w[0], set()).add(w[1])
        pairs = tuple((c, frozenset(v)) for c, v in sorted(seconds.items()))
    desc = cfg.get("home_descent") or {}
    outlets = {}
    try:
        for r in load_tsv("gazetteer/outlets.tsv"):
            if r.get("outlet"):
                path = (r.get("place_path") or "").strip()
                outlets[r["outlet"]] = path.split("/") if path else []
    except FileNotFoundError:
        pass
    sentence_end = cfg.get("sentence_end") or "。！？!?；;\n"
    paragraph_end = cfg.get("paragraph_end") or "\n"
    cue = cfg.get("township_cue_after") or "[个等](?:乡镇|镇街|镇|乡|街道)"
    groups = (load_yaml("gazetteer/short_forms.yaml") or {}).get("ethnic_groups") or ["回族"]
    cue_re = re.compile(cue)
    jie_re = re.compile(cfg.get("township_jie") or "街(?!道)")
    ethnic_re = re.compile("族(?:乡|镇|苏木)")   # anchored on 族; the name is looked up behind
    return Rules(jie_re=jie_re, jie_first=_first_chars(jie_re),
                 town_cue_re=cue_re, town_cue_first=_first_chars(cue_re), town_cue_second=_second_chars(cue_re),
                 town_numerals=cfg.get("township_numerals") or "0123456789一二两三四五六七八九十",
                 ethnic_town_re=ethnic_re, ethnic_first=_first_chars(ethnic_re), ethnic_second=_second_chars(ethnic_re),
                 ethnic_groups=tuple(sorted(groups, key=len, reverse=True)),
                 enumerators=cfg.get("township_enumerators") or "、和及与",
                 unnamed=cfg.get("deixis_unnamed") or "某",
                 sentence_end=sentence_end, paragraph_end=paragraph_end,
                 sentence_rest_re=re.compile("[^" + re.escape(sentence_end) + "]*"),
                 media=media, not_place=not_place, deixis=deixis, deixis_kind=kinds, deixis_pairs=pairs, deixis_words=tuple(kinds),
                 blockers=frozenset(cfg.get("deixis_blockers") or ""),
                 not_township=re.compile(f"(?:{_alternation(cfg.get('not_township_after') or ['街'])})"),
                 max_occurrences=int(cfg.get("max_occurrences") or 20000),
                 surnames=frozenset(cfg.get("surnames") or ""),
                 suffix_first_chars=frozenset(w[0] for w in (cfg.get("media_suffixes") or ["日报"])
                                              + (cfg.get("not_place_after") or ["景区"]) if w),
                 share=float(desc.get("share", 0.8)), min_mentions=int(desc.get("min_mentions", 3)),
                 outlets=outlets)


# ---- occurrences -------------------------------------------------------------------------------
@dataclass(slots=True)
class Occ:
    start: int
    end: int
    text: str
    hits: tuple[Hit, ...]
    strong: tuple[Hit, ...] = ()
    considered: tuple[Hit, ...] = ()   # every unit the name could be, before context filtering
    word_start: Optional[bool] = None  # cached starts_a_word()
    uid: Optional[str] = None
    resolved_by: Optional[str] = None
    candidates: tuple[str, ...] = ()

    @property
    def length(self) -> int:
        return self.end - self.start


def _is_strong(gz: Gazetteer, key: str, hit: Hit) -> bool:
    u = gz.units[hit.uid]
    if hit.kind == "full":
        return len(key) >= 3
    if hit.kind == "short":
        if len(key) >= 3 and key[-1] in "县州旗":   # 民和县, 恩施州: autonomous units written plainly
            return True
        return u.level == "province" or (u.level == "city" and not u.common)
    return hit.kind == "former" and len(key) >= 3 and key[-1] in "省市县区旗"


_STRONG: dict[int, tuple[Hit, ...]] = {}   # key index -> its strong hits (a property of the key alone)


def _strong_hits(gz: Gazetteer, ki: int) -> tuple[Hit, ...]:
    got = _STRONG.get(ki)
    if got is None:
        key = gz.key(ki)
        got = _STRONG[ki] = tuple(h for h in gz.hits[ki] if _is_strong(gz, key, h))
    return got


_KEY_INFO: dict[int, tuple] = {}   # key index -> (key, its hits, its strong hits): one lookup per match


def _key_info(gz: Gazetteer, ki: int) -> tuple[str, tuple[Hit, ...], tuple[Hit, ...]]:
    got = _KEY_INFO[ki] = (gz.key(ki), gz.hits[ki], _strong_hits(gz, ki))
    return got


_STRONG_DIV: dict[str, tuple] = {}


def _strong_divisions(gz: Gazetteer, key: str) -> tuple[tuple[Hit, ...], bool]:
    """(strong hits of ``key`` that are provinces/cities/counties, whether any needs a word-start check)."""
    got = _STRONG_DIV.get(key)
    if got is None:
        ki = gz._key_of[key]
        hits = tuple(h for h in _strong_hits(gz, ki) if gz.units[h.uid].level != "township")
        got = _STRONG_DIV[key] = (hits, any(_needs_boundary_check(key, h) for h in hits))
    return got


class _Scanned(list):
    truncated = False
    words: list = []   # (j, start, end) of every occurrence of ``words[j]`` (scan's ``words``), overlapping


def scan(text: str, gz: Optional[Gazetteer] = None, words: tuple = ()) -> tuple[list[Occ], list[Occ]]:
    """(occurrences that may be mentions, media/site names) in ``text``; the first list has
    ``.truncated`` set when the text held more than ``max_occurrences`` matches, and ``.words`` the
    occurrences of ``words`` (looked for in the same pass)."""
    gz = gz or gazetteer()
    occs = _Scanned()
    found, media, occs.truncated, occs.words = _scan_found(text, gz, words)
    info = _KEY_INFO.get
    for ki, s, e in found:
        key, hits, strong = info(ki) or _key_info(gz, ki)
        occs.append(Occ(s, e, key, hits, strong))
    return occs, media


def _scan_found(text: str, gz: Gazetteer, words: tuple = ()) -> tuple[list, list[Occ], bool, list]:
    """What ``scan`` finds, its occurrences left as the automaton's (key index, start, end):
    (those, media/site names, truncated?, the occurrences of ``words``)."""
    if not _PROVINCE_SHORT:
        _PROVINCE_SHORT.update(u.uid for u in gz.units.values() if u.level == "province")
    r = rules()
    media = []
    extra = []
    if words:
        found, extra = gz.find_with(text, words)
    else:
        found = gz.find(text)
    truncated = False
    if len(found) > r.max_occurrences:   # pathological input (a name repeated 10⁵ times): keep the start
        found = found[: r.max_occurrences]
        truncated = True
    firsts = r.suffix_first_chars
    n = len(text)
    dropped = None
    for i, m in enumerate(found):   # a name followed by a media suffix (福州日报) or 景区…: no mention
        e = m[2]
        if e < n and text[e] in firsts:
            if r.media.match(text, e):
                ki = m[0]
                key, hits, strong = _KEY_INFO.get(ki) or _key_info(gz, ki)
                media.append(Occ(m[1], e, key, hits, strong))
            elif not r.not_place.match(text, e):
                continue
            if dropped is None:
                dropped = set()
            dropped.add(i)
    if dropped:
        found = [m for i, m in enumerate(found) if i not in dropped]
    return found, media, truncated, extra


@functools.lru_cache(maxsize=1)
def _segmenter():
    import rjieba

    return rjieba


# Characters the segmenter never joins to a neighbour (jieba cuts the text into runs of CJK
# characters, letters, digits and +#&._%- first, and segments each run alone): a word starts right
# after any of them, no segmentation needed.
_SEGMENT_BREAKS = frozenset(",，。、;；:：!！?？“”‘’\"'()（）《》〈〉【】[]「」『』 \t\n\u3000")


def starts_a_word(text: str, start: int, end: int, window: int = 6) -> bool:
    """Whether a segmenter (rjieba) run on a small window puts a word boundary at ``start``:
    not in 聚焦作决策 (焦作), 为民和县委 (民和县). Only the start is checked: jieba often glues a
    place to the next noun (北京高校, 南开大学), which is still a mention."""
    lo, hi = max(0, start - window), min(len(text), end + window)
    pos = lo
    if pos == start or text[start - 1] in _SEGMENT_BREAKS:
        return True
    for tok in _segmenter().cut(text[lo:hi]):
        pos += len(tok)
        if pos >= start:
            return pos == start
    return False


def _starts_word(text: str, o: Occ) -> bool:
    if o.word_start is None:
        o.word_start = starts_a_word(text, o.start, o.end)
    return o.word_start


def _after_surname(text: str, start: int, end: int) -> bool:
    """A surname standing alone right before the name: 林福清, 王连江, 李西安 are people."""
    if start == 0 or text[start - 1] not in rules().surnames:
        return False
    lo = max(0, start - 6)
    pos = lo
    for tok in _segmenter().cut(text[lo:min(len(text), end + 4)]):
        nxt = pos + len(tok)
        if nxt == start:
            return len(tok) == 1
        if nxt > start:
            return False
        pos = nxt
    return False


def _after_ancestor(gz: Gazetteer, text: str, start: int, uid: str) -> bool:
    before = text[max(0, start - 12):start]
    if not before:
        return False
    names = _ANCESTOR_NAMES.get(uid)
    if names is None:
        names = _ANCESTOR_NAMES[uid] = tuple(n for a in gz.lineage(uid)[1:] for n in gz.names_of(a))
    return before.endswith(names)


_ANCESTOR_NAMES: dict[str, tuple[str, ...]] = {}   # uid -> the full and short names of its ancestors


_PROVINCE_SHORT = set()


def _needs_boundary_check(key: str, hit: Hit) -> bool:
    """Short/former names and two-character names must start a word; province short forms (山东,
    黑龙江) are not checked (they seldom hide inside words, and they are many)."""
    if hit.kind == "short" and hit.uid in _PROVINCE_SHORT:
        return False
    return hit.kind in ("short", "former") or len(key) <= 2


_BY_START = operator.attrgetter("start")

# key -> (whether every hit is a strong division name needing no word-start check, per hit (hit,
# township?, strong?, must start a word?, short form?)): what the linking loop asks of every hit, a
# property of the key alone
_HIT_PLANS: dict[str, tuple[bool, tuple[tuple[Hit, bool, bool, bool, bool], ...]]] = {}


def _hit_plans(gz: Gazetteer, o: Occ) -> tuple:
    plans = tuple(
        (h, gz.units[h.uid].level == "township", h in o.strong, _needs_boundary_check(o.text, h), h.kind == "short")
        for h in o.hits)
    got = _HIT_PLANS[o.text] = (all(not town and strong and not check for _, town, strong, check, _ in plans), plans)
    return got


def _longest_first(cluster: list[Occ], out: list[Occ]) -> None:
    """Within a run of mutually overlapping names: longest first, then leftmost."""
    if len(cluster) == 2:   # the same without the sorts (most runs are a pair: 福州市 and 福州)
        a, b = cluster
        if (b.start - b.end, b.start) < (a.start - a.end, a.start):
            a, b = b, a
        if b.end <= a.start or a.end <= b.start:   # an empty span beside the other
            out.extend(sorted((a, b), key=_BY_START))
        else:
            out.append(a)
        return
    taken: list[Occ] = []
    for o in sorted(cluster, key=lambda o: (o.start - o.end, o.start)):
        if all(o.end <= t.start or t.end <= o.start for t in taken):
            taken.append(o)
    taken.sort(key=_BY_START)
    out.extend(taken)


def non_overlapping(occs: list[Occ]) -> list[Occ]:
    """Longest first, then leftmost; the rest dropped. Sorted by start."""
    if len(occs) < 2:
        return list(occs)
    ordered = sorted(occs, key=_BY_START)
    out: list[Occ] = []
    cluster = [ordered[0]]
    cend = ordered[0].end
    for o in ordered[1:]:
        if o.start < cend:
            cluster.append(o)
            if o.end > cend:
                cend = o.end
            continue
        if len(cluster) == 1:
            out.append(cluster[0])
        else:
            _longest_first(cluster, out)
        cluster = [o]
        cend = o.end
    if len(cluster) == 1:
        out.append(cluster[0])
    else:
        _longest_first(cluster, out)
    return out


def _taken_if(occs: list[Occ], ok, size: int) -> tuple[list[Occ], bytearray]:
    """(``non_overlapping([o for o in occs if ok(o)])``, a mark per character of the names taken),
    with ``ok`` asked only of names that overlap none taken so far: longest first, then leftmost,
    over all the names at once (clusters do not interact; a name that overlaps one taken is dropped
    whether it is ok or not), so a name under a longer one (福州 in 福州市) is never judged. Spans
    are non-empty (gazetteer keys are), distinct and within ``size``. A name taken earlier is at
    least as long, so it overlaps a later one only by covering its first or its last character."""
    n = size + 1
    order = [(o.start - o.end) * n + o.start for o in occs]   # (-length, start) as one number
    used = bytearray(size)
    taken = []
    for i in sorted(range(len(occs)), key=order.__getitem__):
        o = occs[i]
        s, e = o.start, o.end
        if not used[s] and not used[e - 1] and ok(o):
            used[s:e] = b"\1" * (e - s)
            taken.append(o)
    taken.sort(key=_BY_START)
    return taken, used


def _taken_found(found: list, idx, ok, size: int, occ_at, order: list) -> tuple[list[Occ], bytearray]:
    """``_taken_if`` over the automaton's occurrences ``found[i]`` for i in ``idx`` (in ``found``'s
    order), the Occ of an occurrence made (``occ_at(i)``) only when it overlaps none taken so far:
    most names under a longer one (福州 in 福州市) never become objects. ``order[i]``: the
    (-length, start) number of ``found[i]``."""
    used = bytearray(size)
    taken = []
    for i in sorted(idx, key=order.__getitem__):
        _, s, e = found[i]
        if not used[s] and not used[e - 1]:
            o = occ_at(i)
            if ok(o):
                used[s:e] = b"\1" * (e - s)
                taken.append(o)
    taken.sort(key=_BY_START)
    return taken, used


# ---- home place --------------------------------------------------------------------------------
def _deepest_consistent(gz: Gazetteer, uids: list[str]) -> Optional[str]:
    best = None
    for u in uids:
        if best is None:
            best = u
        elif gz.is_within(u, best):
            best = u
        elif not gz.is_within(best, u):
            continue  # inconsistent: keep the first
    return best


def home_from_outlet(outlet: Optional[str], gz: Optional[Gazetteer] = None) -> Optional[str]:
    """The unit an outlet reports from: 福州日报 → 350100, 大众网 → 370000 (outlets.tsv), else None."""
    if not outlet or not isinstance(outlet, str):
        return None
    return _home_from_outlet(outlet)


@functools.lru_cache(maxsize=4096)
def _home_from_outlet(outlet: str) -> Optional[str]:
    gz = gazetteer()
    r = rules()
    for name, path in r.outlets.items():
        if name in outlet:
            if not path:          # a national outlet (新华社, 光明日报)
                return None
            uid = gz.resolve_path(path)
            if uid:
                return uid
    uids = []
    for o in non_overlapping([Occ(s, e, gz.key(ki), gz.hits[ki]) for ki, s, e in gz.find(outlet)]):
        # ordinary-word and former short forms say nothing about an outlet (新华网, 红星新闻)
        cands = [h.uid for h in o.hits if gz.units[h.uid].level != "township"
                 and not (h.kind == "former" and len(o.text) < 3)
                 and not (h.kind == "short" and gz.units[h.uid].common)]
        mainland = [c for c in cands if gz.units[c].mainland]
        cands = mainland or cands
        if len(cands) == 1:
            uids.append(cands[0])
        elif cands:  # 吉林: province and city share the short form → the higher one
            uids.append(min(cands, key=lambda c: LEVEL_RANK[gz.units[c].level]))
    return _deepest_consistent(gz, uids)


def home_from_media(gz: Gazetteer, media: list[Occ]) -> Optional[str]:
    """The deepest consistent unit named by media/site names in the text (福州日报, 内蒙古新闻网)."""
    uids = []
    for o in non_overlapping(media):
        cands = [h.uid for h in o.hits if gz.units[h.uid].level != "township"
                 and not (h.kind == "former" and len(o.text) < 3)
                 and not (h.kind == "short" and gz.units[h.uid].common)]   # 新华网 is national
        if cands:
            uids.append(min(cands, key=lambda u: (not gz.units[u].mainland, LEVEL_RANK[gz.units[u].level])))
    return _deepest_consistent(gz, uids)


def descend_home(gz: Gazetteer, start: Optional[str], mentions: list[str], title_uids: list[str],
                 share: float, min_mentions: int) -> Optional[str]:
    """From ``start`` (or the whole country), move down into the child unit that holds at least
    ``share`` of the mentions below the current node (the node's own mentions included)."""
    node = start
    for t in title_uids:  # the headline names the place: 元宝山区: 跑好… / 成武:创新…
        if gz.units[t].level != "township" and (node is None or gz.is_within(t, node)):
            if node is None or LEVEL_RANK[gz.units[t].level] > LEVEL_RANK[gz.units[node].level]:
                node = t
    # each unit once, with its number of mentions, in order of first mention: the children come in
    # the same first-seen order as mention by mention (what breaks ties of max)
    times: dict[str, int] = {}
    for m in mentions:
        times[m] = times.get(m, 0) + 1
    lineages = [(gz.lineage(m), k) for m, k in times.items()]
    for _ in range(4):
        inside = [(lin, k) for lin, k in lineages if node is None or node in lin]
        total = sum(k for _, k in inside)
        if total < min_mentions:
            break
        counts: dict[str, int] = {}
        for lin, k in inside:
            if node is None:
                child = lin[-1]
            else:
                i = lin.index(node)
                if i == 0:
                    continue
                child = lin[i - 1]
            counts[child] = counts.get(child, 0) + k
        if not counts:
            break
        child = max(counts, key=counts.__getitem__)
        n = counts[child]
        if n >= min_mentions and n >= share * total:
            node = child
        else:
            break
    return node


# ---- resolution --------------------------------------------------------------------------------
@dataclass
class Context:
    gz: Gazetteer
    text: str
    sure: set        # uids mentioned unambiguously (strong names)
    sure_lineage: set  # every ancestor-or-self of a sure uid
    home: Optional[str]
    home_lineage: tuple
    earlier: dict = field(default_factory=dict)   # name as written -> uid it resolved to before
    _prefix: dict = field(default_factory=dict)

    def prefix_ancestor(self, uid: str, start: int) -> bool:
        """An ancestor (or its short form) is written right before the name: 闽清县金沙镇, 福州市连江县."""
        key = (uid, start)
        got = self._prefix.get(key)
        if got is None:
            got = self._prefix[key] = _after_ancestor(self.gz, self.text, start, uid)
        return got

    def score(self, uid: str, kind: str, start: int, written: str = "", province_short: bool = False
              ) -> tuple[float, str]:
        gz = self.gz
        u = gz.units[uid]
        lin = gz.lineage(uid)
        s, why = 0.0, "prior"
        if self.prefix_ancestor(uid, start):
            s += 8
            why = "hierarchy"
        elif self.earlier.get(written) == uid:   # the same name resolved earlier in the article
            s += 5
            why = "earlier_mention"
        if province_short and u.level != "province":
            s -= 3                               # 吉林, 海南: the province unless context says otherwise
        if uid in self.sure:
            s += 4
            why = why if why != "prior" else "context"
        anc = [a for a in lin[1:] if a in self.sure]
        if anc:
            s += 1 + 2 * max(LEVEL_RANK[gz.units[a].level] for a in anc) / 2 + len(anc) * 0.1
            why = why if why != "prior" else "context"
        if uid in self.sure_lineage and uid not in self.sure:
            s += 2
            why = why if why != "prior" else "context"
        shared = [a for a in lin[1:] if a in self.sure_lineage and a not in self.sure]
        if shared:   # a sibling is mentioned: 海淀区、朝阳区 → 北京's 朝阳区
            s += 0.5 + 0.5 * max(LEVEL_RANK[gz.units[a].level] for a in shared)
            why = why if why != "prior" else "context"
        if self.home:
            if self.home in lin:
                s += 3 + 0.5 * LEVEL_RANK[gz.units[self.home].level]
                why = why if why != "prior" else "home"
            elif uid in self.home_lineage:
                s += 3
                why = why if why != "prior" else "home"
        if u.mainland:
            s += 1
        s += {"full": 0.5, "former": 0.3}.get(kind, 0.0)
        s -= 0.01 * LEVEL_RANK[u.level]  # 吉林: the province before the city
        return s, why

    def town_ok(self, uid: str, start: int) -> bool:
        """A township counts when its county or city is mentioned or is (under) the home, or when an
        ancestor is written right before it; a township far from everything else is a false friend."""
        lin = self.gz.lineage(uid)
        if any(a in self.sure or a in self.home_lineage for a in lin[1:3]):
            return True
        if self.home and self.home in lin and self.gz.units[self.home].level != "province":
            return True
        return self.prefix_ancestor(uid, start)

    def add_sure(self, uid: str) -> None:
        if uid not in self.sure:   # (its lineage is in already)
            self.sure.add(uid)
            self.sure_lineage.update(self.gz.lineage(uid))

    def weak_ok(self, hit: Hit, start: int) -> bool:
        """A weak name counts only in context."""
        gz = self.gz
        u = gz.units[hit.uid]
        if hit.uid in self.sure or hit.uid in self.home_lineage or self.prefix_ancestor(hit.uid, start):
            return True
        if u.common:           # 江山, 和平: only the unit itself mentioned in full, the home, or after its parent
            return False
        if hit.uid in self.sure_lineage:   # a township or county below it is mentioned
            return True
        lin = gz.lineage(hit.uid)
        parent = lin[1] if len(lin) > 1 else None
        if parent and parent in self.sure and gz.units[parent].level != "province":
            return True
        if parent and parent in self.sure and gz.units[parent].name.endswith("市"):  # municipalities
            return True
        if self.home:
            home_u = gz.units[self.home]
            if home_u.level in ("city", "county") or home_u.name.endswith("市"):
                city = next((a for a in self.home_lineage if gz.units[a].level == "city"), None) or self.home_lineage[-1]
                if home_u.level == "province":
                    city = self.home
                if city in lin:
                    return True
            if hit.uid in self.home_lineage:
                return True
        return False


def _mention(gz: Gazetteer, occ: Occ, text: str, start: int, end: int) -> PlaceMention:
    uid = occ.uid
    if uid is not None:
        name, level, adcode, path, plain = _UNIT_FIELDS.get(uid) or _unit_fields(gz, uid)
        why = occ.resolved_by
    else:   # unresolved tie: keep the name and level, no code
        name, level, _, _, plain = _UNIT_FIELDS.get(occ.hits[0].uid) or _unit_fields(gz, occ.hits[0].uid)
        adcode, path, why = None, (), "ambiguous"
    cands = occ.candidates
    if (plain and type(text) is str and type(start) is int and type(end) is int and 0 <= start <= end
            and end - start == len(text) and (not cands or all(type(c) is str for c in cands))
            and (why is None or type(why) is str)):   # what _place_mention checks, unit fields once per unit
        return _new_place(text=text, start=start, end=end, name=name, level=level, adcode=adcode,
                          path=list(path), candidates=list(cands), resolved_by=why)
    return _place_mention(text=text, start=start, end=end, name=name, level=level, adcode=adcode,
                          path=list(path), candidates=list(cands), resolved_by=why)


_UNIT_FIELDS: dict[str, tuple] = {}   # uid -> (name, level, adcode, path, whether they plainly pass validation)

_new_place = constructor(PlaceMention)   # construct_all(PlaceMention, …) without its per-call steps


def _unit_fields(gz: Gazetteer, uid: str) -> tuple:
    u = gz.units[uid]
    path = gz.path(uid)
    plain = (type(u.name) is str and u.level in _LEVELS and type(u.adcode) is str
             and _ADCODE_RX.fullmatch(u.adcode) is not None and all(type(x) is str for x in path))
    got = _UNIT_FIELDS[uid] = (u.name, u.level, u.adcode, path, plain)
    return got


_LEVELS = frozenset(typing.get_args(PlaceLevel))
_ADCODE_RX = re.compile(r"[0-9]{6}")


def _all_str(items: list) -> bool:
    return type(items) is list and all(type(x) is str for x in items)


def _place_mention(**v) -> PlaceMention:
    """``PlaceMention(**v)``, without pydantic's per-field validation when the values plainly pass it
    (a few thousand mentions per second of text); anything unusual goes through the validating
    constructor, which raises as before."""
    t, s, e, a = v["text"], v["start"], v["end"], v["adcode"]
    if (type(t) is str and type(s) is int and type(e) is int and 0 <= s <= e and e - s == len(t)
            and type(v["name"]) is str and v["level"] in _LEVELS
            and (a is None or (type(a) is str and _ADCODE_RX.fullmatch(a)))
            and _all_str(v["path"]) and _all_str(v["candidates"])
            and (v["resolved_by"] is None or type(v["resolved_by"]) is str)):
        return _new_place(**v)
    return PlaceMention(**v)


def _resolve_unique(ctx: Context, name: str, h: Hit) -> str:
    """A name of one unit, nothing to weigh: ``h`` is its unit (remembered as the name's earlier
    reading); how it was resolved is returned."""
    ctx.earlier.setdefault(name, h.uid)
    return "former_name" if h.kind == "former" else "unique"


def resolve(ctx: Context, occ: Occ, hits: tuple[Hit, ...]) -> None:
    """Choose ``occ.uid`` among ``hits``; the other units considered go to ``occ.candidates``."""
    gz = ctx.gz
    if len(hits) == 1 and len(occ.considered) <= 1:   # one unit of that name: nothing to weigh
        h = hits[0]
        occ.uid, occ.candidates = h.uid, ()
        occ.resolved_by = _resolve_unique(ctx, occ.text, h)
        return
    province_short = any(h.kind == "short" and gz.units[h.uid].level == "province" for h in hits)
    scored = sorted(((ctx.score(h.uid, h.kind, occ.start, occ.text, province_short), h) for h in hits),
                    key=lambda x: -x[0][0])
    (best_s, why), best = scored[0]
    best_u = gz.units[best.uid]
    considered = [h.uid for h in (occ.considered or hits)]
    occ.candidates = tuple(dict.fromkeys(gz.units[u].adcode for u in considered if u != best.uid))
    if len(scored) > 1:
        second = scored[1][0][0]
        other = gz.units[scored[1][1].uid]
        if best_s - second < 0.05 and not (other.adcode == best_u.adcode and other.name == best_u.name):
            occ.uid, occ.resolved_by = None, "ambiguous"
            occ.candidates = tuple(dict.fromkeys(gz.units[h.uid].adcode for _, h in scored))
            return
    occ.uid = best.uid
    ctx.earlier.setdefault(occ.text, best.uid)
    if best.kind == "former":
        occ.resolved_by = "former_name"
    elif len(set(considered)) <= 1:
        occ.resolved_by = "unique"
    else:
        occ.resolved_by = why if why != "prior" or len(scored) > 1 else "context"


# ---- townships in context and deixis -----------------------------------------------------------
def _free(used: bytearray, s: int, e: int) -> bool:
    return used.find(1, s, e) < 0


def _mark(used: bytearray, s: int, e: int) -> None:
    used[s:e] = b"\1" * (e - s)


def find_township_forms(ctx: Context, counties: list[str], used: bytearray) -> list[Occ]:
    """Township forms of ``counties`` in strong context only: a 街 form not followed by 道 (新开河街),
    stems in an enumeration closed by a cue (上马台、高村两个镇), a stem before an ethnic name and
    乡/镇 (伊车嘎善锡伯族乡), a two-character name right after its county (X县乌镇)."""
    gz, text, r = ctx.gz, ctx.text, rules()
    if not counties:
        return []
    tables = [gz.town_form_table(c) for c in counties]
    tables = [t for t in tables if t[0]]
    if not tables:
        return []
    lens = sorted({n for t in tables for n in t[1]}, reverse=True)
    found: list[tuple[int, int, object]] = []

    def ending_at(j: int, kinds: tuple) -> Optional[tuple[int, object]]:
        for n in lens:  # longest form ending at j
            i = j - n
            if i < 0:
                continue
            key = text[i:j]
            for table, _, _ in tables:
                for f in table.get(key, ()):
                    if f.kind in kinds:
                        return i, f
        return None

    for m in _finditer_at(r.jie_re, r.jie_first, text):              # 新开河街 (not 街道)
        got = ending_at(m.end(), ("jie",))
        if got:
            found.append((got[0], m.end(), got[1]))
    cue_starts = []                                                            # …、高村两个镇
    for m in _finditer_at(r.town_cue_re, r.town_cue_first, text, r.town_cue_second):   # anchored on 个/等; the numeral before 个 is walked back
        j = m.start()
        if text[j] == "个":
            while j > 0 and text[j - 1] in r.town_numerals:
                j -= 1
            if j == m.start():
                continue
        cue_starts.append((j, None))
    for m in _finditer_at(r.ethnic_town_re, r.ethnic_first, text, r.ethnic_second):              # 伊车嘎善锡伯族乡
        j = m.start() + 1
        while True:   # strip the ethnic names before 乡 (苗族侗族乡 has two)
            e = next((g for g in r.ethnic_groups if j >= len(g) and text.startswith(g, j - len(g))), None)
            if e is None:
                break
            j -= len(e)
        if j <= m.start():
            cue_starts.append((j, m.end()))   # the mention spans the ethnic name and 乡 too
    for j, end in cue_starts:
        while j > 0:
            got = ending_at(j, ("stem",))
            if not got:
                break
            found.append((got[0], end or j, got[1]))
            if end:
                break
            j = got[0] - 1
            if j < 0 or text[j] not in r.enumerators:
                break
    for _, _, full2 in tables:                        # 两字镇名 right after the county
        for f in full2:
            i = text.find(f.form)
            while i >= 0:
                if ctx.prefix_ancestor(f.uid, i):
                    found.append((i, i + len(f.form), f))
                i = text.find(f.form, i + 1)
    out = []
    for i, j, f in sorted(found, key=lambda x: (x[0], -(x[1] - x[0]))):
        if _free(used, i, j):
            out.append(Occ(i, j, text[i:j], (Hit(f.uid, "short"),), uid=f.uid, resolved_by="township_in_context"))
            _mark(used, i, j)
    return out


def _fits(gz: Gazetteer, uid: str, kind: str) -> bool:
    u = gz.units[uid]
    if u.level == "township":
        return False
    if kind == "省":
        return u.level == "province" and u.name.endswith("省")
    if kind == "市":
        return u.name.endswith("市") and (u.level in ("city", "county") or u.level == "province")
    if kind == "区":
        return (u.level == "county" and u.name.endswith("区")) or (u.level == "province" and u.name.endswith("自治区"))
    return u.level == "county" and u.name.endswith(kind)


def _home_unit(gz: Gazetteer, home_lineage: tuple, kind: str) -> Optional[str]:
    key = (home_lineage[0], kind) if home_lineage else None
    got = _HOME_UNIT.get(key, _NONE)
    if got is _NONE:
        got = None
        for uid in home_lineage:  # deepest first
            if _fits(gz, uid, kind):
                got = uid
                break
        _HOME_UNIT[key] = got
    return got


_HOME_UNIT: dict = {}   # (home uid, deixis kind) -> the home's unit of that kind (a gazetteer unit, bounded)
_NONE = object()


_DEIXIS_TARGET: dict[tuple[str, str], Optional[str]] = {}


def _deixis_target(gz: Gazetteer, uid: str, kind: str) -> Optional[str]:
    """The unit a deixis word of ``kind`` means after a mention of ``uid``: the unit itself when it
    fits, for 市/省 the ancestor that fits (成武县…全市 → the county's city 菏泽市), else None."""
    key = (uid, kind)
    if key in _DEIXIS_TARGET:
        return _DEIXIS_TARGET[key]
    got = uid if _fits(gz, uid, kind) else None
    if got is None and kind in ("市", "省"):
        got = next((a for a in gz.lineage(uid)[1:] if _fits(gz, a, kind)), None)
    _DEIXIS_TARGET[key] = got
    return got


def _run_start(rest_re: re.Pattern, reversed_text: str, s: int) -> int:
    """Where the run of characters ``rest_re`` matches that ends at ``s`` starts (the start of
    ``s``'s sentence), matched forwards in the reversed text (a sentence is short: a few dozen steps)."""
    k = len(reversed_text) - s
    return s - (rest_re.match(reversed_text, k).end() - k)


def _after_last(text: str, chars: str, lo: int, hi: int, prev: int) -> int:
    """Just after the last of ``chars`` in ``text[lo:hi]``, or ``prev`` when none stands there: a
    sentence's or paragraph's start, found from the last one's by searching only the text between."""
    j = -1
    for c in chars:
        i = text.rfind(c, lo, hi)
        if i > j:
            j = i
    return j + 1 if j >= 0 else prev


def _greedy_spans(found: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """The (start, end) spans ``finditer`` of an alternation of the words (longest first) gives,
    from every occurrence (j, start, end) of the words: leftmost first, the longest there, then on
    after its end."""
    out = []
    last = 0
    for _, s, e in sorted(found, key=_start_longest):
        if s >= last:
            out.append((s, e))
            last = e
    return out


def _start_longest(m: tuple[int, int, int]) -> tuple[int, int]:
    return m[1], m[1] - m[2]


def find_deixis(ctx: Context, mentions: list[Occ], used: bytearray,
                spans: Optional[list[tuple[int, int]]] = None) -> list[Occ]:
    """Deixis words resolved (see the module docstring); ``spans``: where the deixis regex finds
    them in the text, when known (else searched)."""
    r = rules()
    if r.deixis is None:
        return []
    gz, text = ctx.gz, ctx.text
    if spans is None:
        spans = [m.span() for m in _finditer_pairs(r.deixis, r.deixis_pairs, text)]
    if not spans:
        return []
    out = []
    starts = [m.start for m in mentions]
    blockers, kinds = r.blockers, r.deixis_kind
    sentence_rest_re, paragraph_end = r.sentence_rest_re, r.paragraph_end
    seen = sent0 = para0 = 0   # the text before ``seen`` searched for paragraph ends: its last paragraph's start
    backwards = None

    for n, (s, e) in enumerate(spans):
        if n >= r.max_occurrences:
            break
        if used.find(1, s, e) >= 0 or (s > 0 and text[s - 1] in blockers):
            continue
        if s > seen:   # (matches come in order)
            para0 = _after_last(text, paragraph_end, seen, s, para0)
            if backwards is None:   # a sentence's start: the run back to an end, in the text reversed once
                backwards = text[::-1]
            sent0 = _run_start(sentence_rest_re, backwards, s)
            seen = s
        word = text[s:e]
        kind = kinds[word]
        if text.rfind(r.unnamed + kind, para0, s) >= 0:   # 北京市某区…该区: the anaphor has no name
            continue
        uid, why = None, None
        k = bisect.bisect_left(starts, s)
        for lo, label in ((sent0, "deixis:sentence"), (para0, "deixis:paragraph")):
            for i in range(k - 1, -1, -1):
                prev = mentions[i]
                if prev.start < lo:
                    break
                if prev.uid:
                    uid = _deixis_target(gz, prev.uid, kind)
                    if uid:
                        why = label
                        break
            if uid:
                break
        if uid is None and ctx.home:
            uid, why = _home_unit(gz, ctx.home_lineage, kind), "deixis:home"
        if uid is None:
            continue
        if s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff" and not starts_a_word(text, s, e):
            continue   # 健全市场, 原本市里: the word only looks like deixis (segmented last: the costliest test)
        out.append(Occ(s, e, word, (Hit(uid, "deixis"),), uid=uid, resolved_by=why))
        _mark(used, s, e)
    return out


# ---- the whole linking -------------------------------------------------------------------------
def analyze(text: str, outlet: Optional[str] = None, title: Optional[str] = None,
            url: Optional[str] = None) -> tuple[list[PlaceMention], Optional[str]]:
    """(place mentions of ``text`` in order, the home place uid or None). Never raises on a str."""
    mentions, home, _ = _analyze(text, outlet, title)
    return mentions, home


def _analyze(text: str, outlet: Optional[str], title: Optional[str]) -> tuple[list[PlaceMention], Optional[str], bool]:
    if not text or not isinstance(text, str):
        return [], None, False
    gz = gazetteer()
    r = rules()
    _segmenter()   # loaded with the stage's other tables on its first call (the pipeline's warm-up)
    found, media, truncated, words_found = _scan_found(text, gz, r.deixis_words if r.deixis is not None else ())
    info = _KEY_INFO.get
    made: dict[int, Occ] = {}   # index in found -> its Occ, made when first judged (shared by both passes)

    def occ_at(i: int) -> Occ:
        o = made.get(i)
        if o is None:
            ki, s, e = found[i]
            key, hits, strong = info(ki) or _key_info(gz, ki)
            o = made[i] = Occ(s, e, key, hits, strong)
        return o

    # 2. strong names of provinces/cities/counties, overlaps resolved; the unambiguous ones are sure
    div: dict[int, tuple] = {}
    strong_idx = []
    strong_div = _STRONG_DIV.get
    n1 = len(text) + 1
    order = []
    for i, (ki, s, e) in enumerate(found):
        order.append((s - e) * n1 + s)   # (-length, start) as one number
        key, _, strong = info(ki) or _key_info(gz, ki)
        if strong:
            hits, check = strong_div(key) or _strong_divisions(gz, key)
            if hits:
                strong_idx.append(i)

    def divisions_left(o: Occ) -> bool:   # the word-start check, asked only of names not overlapped
        hits, check = _STRONG_DIV[o.text]
        if check and not _starts_word(text, o):
            hits = tuple(h for h in hits if not _needs_boundary_check(o.text, h)
                         or _after_ancestor(gz, text, o.start, h.uid))
        div[id(o)] = hits
        return bool(hits)

    strong = _taken_found(found, strong_idx, divisions_left, len(text), occ_at, order)[0]
    sure = set()
    sure_mentions = []
    for o in strong:
        hits = div[id(o)]
        if len(hits) == 1:   # (the hits of a name are distinct units)
            u = hits[0].uid
            sure.add(u)
            sure_mentions.append(u)

    # 3. home place
    start = home_from_outlet(outlet, gz)
    from_media = home_from_media(gz, media)
    if start is None:
        start = from_media
    elif from_media and from_media != start and gz.is_within(from_media, start):
        start = from_media            # 内蒙古新闻网 … 来源:赤峰日报 → 赤峰市
    title_uids: list[str] = []
    if title and isinstance(title, str):
        for o in non_overlapping(scan(title, gz)[0]):
            cands = {h.uid for h in o.hits if h.uid in sure or (start and gz.is_within(h.uid, start))}
            if len(cands) == 1:
                title_uids.append(next(iter(cands)))
    home = descend_home(gz, start, sure_mentions, title_uids, r.share, r.min_mentions)
    ctx = Context(gz=gz, text=text, sure=set(), sure_lineage=set(), home=home,
                  home_lineage=gz.lineage(home) if home else ())
    ctx.sure.update(sure)   # what add_sure(u) for each u does, from empty sets
    for u in sure:
        ctx.sure_lineage.update(gz.lineage(u))
    # strong division names resolved first: what they resolve to is evidence for the rest
    # (span -> hits, uid, resolved_by, candidates); a name with one unit is what resolve() makes of it
    first: dict[tuple[int, int], tuple] = {}
    for o in strong:
        hits = div[id(o)]
        if len(hits) == 1:   # resolve()'s first case (no other unit considered), without a probe
            h = hits[0]
            first[(o.start, o.end)] = (hits, h.uid, _resolve_unique(ctx, o.text, h), ())
            continue   # (h.uid is sure already: ctx.add_sure would do nothing)
        probe = Occ(o.start, o.end, o.text, hits)
        resolve(ctx, probe, probe.hits)
        first[(o.start, o.end)] = (hits, probe.uid, probe.resolved_by, probe.candidates)
        if probe.uid:
            ctx.add_sure(probe.uid)

    # 4-5. every name that counts in this context; overlaps; resolution among candidates
    not_township, surnames = r.not_township.match, r.surnames

    def counts_here(o: Occ) -> bool:   # asked only of names that overlap none taken
        plain, plans = _HIT_PLANS.get(o.text) or _hit_plans(gz, o)
        if plain:   # every hit counts whatever the context (福州市): the loop would keep them all
            o.considered = o.hits
            return True
        hits = []
        s = o.start
        for h, township, strong_hit, check, short in plans:
            if township:
                if ctx.town_ok(h.uid, s) and not not_township(text, o.end):
                    hits.append(h)
            elif strong_hit or ctx.weak_ok(h, s):
                if check:   # 焦作 in 聚焦作决策: not where a word starts
                    if not _starts_word(text, o) and not ctx.prefix_ancestor(h.uid, s):
                        continue
                    if short and s and text[s - 1] in surnames and _after_surname(text, s, o.end):
                        continue
                hits.append(h)
        if hits:
            o.considered, o.hits = o.hits, tuple(hits)
            return True
        return False

    chosen, used = _taken_found(found, range(len(found)), counts_here, len(text), occ_at, order)
    for o in chosen:
        pre = first.get((o.start, o.end))
        if pre is not None and pre[0] == o.hits:   # as resolved first (what a mention shows of it)
            o.uid, o.resolved_by, o.candidates = pre[1], pre[2], pre[3]
        else:
            resolve(ctx, o, o.hits)

    # 6. township short forms under the counties found; deixis
    counties = list(dict.fromkeys(
        [o.uid for o in chosen if o.uid and gz.units[o.uid].level == "county"]
        + [gz.units[o.uid].parent for o in chosen if o.uid and gz.units[o.uid].level == "township"]
        + [u for u in ctx.home_lineage if gz.units[u].level == "county"]))
    chosen += find_township_forms(ctx, counties, used)
    chosen.sort(key=_BY_START)
    chosen += find_deixis(ctx, chosen, used, _greedy_spans(words_found) if r.deixis is not None else None)
    chosen.sort(key=_BY_START)
    return [_mention(gz, o, o.text, o.start, o.end) for o in chosen], home, truncated


def link_places(text: str, outlet: Optional[str] = None, title: Optional[str] = None,
                url: Optional[str] = None) -> list[PlaceMention]:
    """The place mentions of ``text`` linked in context (see the module docstring)."""
    try:
        return analyze(text, outlet=outlet, title=title, url=url)[0]
    except Exception:  # a stage must never raise; fewer facts instead
        return []


def home_place(text: str, outlet: Optional[str] = None, title: Optional[str] = None) -> Optional[PlaceMention]:
    """The place the article is about, as a PlaceMention without a span (text ``""``), or None."""
    _, home = analyze(text, outlet=outlet, title=title)
    return _home_mention(home)


def _home_mention(home: Optional[str]) -> Optional[PlaceMention]:
    if not home:
        return None
    gz = gazetteer()
    u = gz.units[home]
    return PlaceMention(text="", start=0, end=0, name=u.name, level=u.level, adcode=u.adcode,
                        path=list(gz.path(home)), resolved_by="home")


def stage(article: Article) -> None:
    try:
        mentions, home, truncated = _analyze(article.text, article.outlet, article.title)
    except Exception as exc:  # never lose the article
        article.issue("places", f"{type(exc).__name__}: {exc}")
        return
    article.places.extend(mentions)
    if truncated:
        article.issue("places", f"over {rules().max_occurrences} place names; the rest of the text was not searched")
    hm = _home_mention(home)
    article.context["home_place"] = hm
    article.context["home_adcode"] = hm.adcode if hm else None
