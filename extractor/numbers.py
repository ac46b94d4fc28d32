"""Number normalization: Arabic and Chinese numerals, qualifiers, ranges, units, money scaling.

Three layers, each usable alone:

* :func:`parse_numeral` — one numeral string to a number (``"174"``, ``"二十"``, ``"两千三百"``,
  ``"1.2亿"``, ``"二〇一九"``, ``"百分之四十"``, ``"１２，３４５"``). Lenient: colloquial forms of news
  text (``"三万五"`` = 35000, ``"四千三"`` = 4300) are accepted; junk gives ``None``.
* :func:`find_numbers` — every numeral run in a text, with its span and value.
* :func:`find_quantities` — numbers with their qualifier (``约``/``余``/``以上``…), range
  (``1-3名``, ``两三个``), shared unit of a list (``67、88件``), multiplier (``5000余万元``) and unit,
  canonicalized per ``patterns/units.yaml`` and ``patterns/counts/qualifiers.yaml``.

Rules are anchored on numeral characters and compiled once per process.
"""
from __future__ import annotations

import functools
import math
import operator
from dataclasses import dataclass, field
from typing import Optional

import re as _re

import regex

from .resources import load_yaml

# --------------------------------------------------------------------------- numerals

CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1, "弌": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "俩": 2, "倆": 2, "弍": 2,
    "三": 3, "叁": 3, "參": 3, "弎": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
CN_SMALL = {"十": 10, "拾": 10, "什": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "廿": 20, "卅": 30}
CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000, "兆": 10**12}
CN_POINT = "点點"
_FW = str.maketrans("０１２３４５６７８９．％－＋，", "0123456789.%-+,")

_CN_DIGIT_CHARS = "".join(CN_DIGITS)
_CN_UNIT_CHARS = "".join(CN_SMALL) + "".join(CN_BIG)
_CN_CHAR_SET = frozenset(_CN_DIGIT_CHARS + _CN_UNIT_CHARS)   # a run holding any of them is (partly) Chinese
# note: "洞", "幺", "什" are only read inside parse_numeral, never scanned for in running text
_SCAN_DIGITS = "零〇○一二两三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_SCAN_UNITS = "十拾百佰千仟万萬亿億"


def to_halfwidth(s: str) -> str:
    """Full-width digits and signs to ASCII (``１２．５％`` → ``12.5%``); same length."""
    return s.translate(_FW)


_THOUSANDS_RX = regex.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_PREFIX_RX = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?.*")
_ARABIC_RX = regex.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_TOKEN_NUM_RX = regex.compile(r"\d+(?:\.\d+)?|\.\d+")


def _arabic(s: str) -> Optional[float]:
    s = to_halfwidth(s).replace(" ", "")
    if "," in s and _THOUSANDS_RX.fullmatch(s):
        s = s.replace(",", "")
    if not _ARABIC_RX.fullmatch(s):
        return None
    return float(s)


def _tokens(s: str) -> Optional[list[tuple[str, float]]]:
    """Split a numeral string into ('n', value) / ('s', small unit) / ('b', big unit) tokens."""
    out: list[tuple[str, float]] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        m = _TOKEN_NUM_RX.match(s, i)
        if m:
            out.append(("n", float(m.group())))
            i = m.end()
            continue
        if ch in CN_DIGITS:
            out.append(("d", CN_DIGITS[ch]))
        elif ch in CN_SMALL:
            out.append(("s", CN_SMALL[ch]))
        elif ch in CN_BIG:
            out.append(("b", CN_BIG[ch]))
        else:
            return None
        i += 1
    return out


def _section(toks: list[tuple[str, float]]) -> Optional[float]:
    """Value of a run without big units (< 10000 for pure Chinese): 三千零五, 四千三, 1百23."""
    if not toks:
        return 0.0
    total = 0.0
    num: Optional[float] = None
    last_unit: Optional[float] = None
    zero = False
    prev_kind = None
    for kind, v in toks:
        if kind in ("d", "n"):
            if kind == "d" and v == 0:
                zero = True
                if num is not None:
                    return None
                prev_kind = "z"
                continue
            if num is not None:
                return None  # two digits in a row inside a unit numeral ("一二百" is handled as a range)
            num = v
        elif kind == "s":
            if last_unit is not None and v >= last_unit:
                return None
            if num is None:
                if v != 10 and (prev_kind == "z" or last_unit is not None):
                    return None
                num = 1.0  # 十 alone, also after 零 (一千零十 = 1010)
            total += num * v
            num = None
            last_unit = v
            zero = False
        prev_kind = kind
    if num is not None:
        if last_unit is not None and last_unit >= 100 and not zero and prev_kind == "d" and num < 10:
            total += num * last_unit / 10  # colloquial: 四千三 = 4300, 一百二 = 120
        else:
            total += num
    return total


def _with_big(toks: list[tuple[str, float]]) -> Optional[float]:
    """Split at the largest big unit (last occurrence): left × unit + right."""
    bigs = [(v, i) for i, (k, v) in enumerate(toks) if k == "b"]
    if not bigs:
        return _section(toks)
    top = max(v for v, _ in bigs)
    idx = max(i for v, i in bigs if v == top)
    left, right = toks[:idx], toks[idx + 1:]
    if not left:
        return None
    lv = _with_big(left)
    if lv is None:
        return None
    rv: Optional[float]
    if len(right) == 1 and right[0][0] == "d" and right[0][1] != 0 and left[-1][0] != "b":
        rv = right[0][1] * top / 10  # colloquial: 三万五 = 35000, 一亿五 = 1.5亿
    elif len(right) == 1 and right[0][0] == "d" and right[0][1] != 0:
        rv = right[0][1] * top / 10
    else:
        if right and right[0][0] == "d" and right[0][1] == 0:
            right = right[1:]
        rv = _with_big(right) if right else 0.0
        if rv is None:
            return None
        if rv >= top:
            return None
    return lv * top + rv


def _digit_string(s: str) -> Optional[float]:
    """二〇一九 → 2019; 一七二零点一三四 → 1720.134 (digit-by-digit reading)."""
    int_part, _, frac = s.partition("点") if "点" in s else s.partition("點")
    digits, fd = _digit_chars(int_part), _digit_chars(frac)
    if digits is None or fd is None or (not digits and not fd):
        return None
    return float((digits or "0") + ("." + fd if fd else ""))


def _digit_chars(part: str) -> Optional[str]:
    """二〇一九 → '2019'; None if a character is not a digit."""
    out = []
    for ch in part:
        if ch in CN_DIGITS:
            out.append(str(CN_DIGITS[ch]))
        elif ch.isdigit():
            out.append(to_halfwidth(ch))
        else:
            return None
    return "".join(out)


def parse_numeral(s: str) -> Optional[float]:
    """Value of one numeral string, or None. Percent words give the percentage (百分之四十 → 40).

    Accepts Arabic (with full-width digits and thousands separators), Chinese (ordinary and
    financial forms, 两, 〇), digit-by-digit readings (二〇一九), mixtures (1.2亿, 3千万, 12.550万),
    decimals with 点 (三点五), a leading 负/-, and colloquial elisions (三万五, 四千三).
    """
    if not s or not isinstance(s, str):
        return None
    s = to_halfwidth(s.strip()).replace("，", ",")
    if not s or len(s) > 2 * MAX_NUMERAL_CHARS:
        return None
    sign = 1.0
    if s[0] in "-−负負":
        sign, s = -1.0, s[1:]
    elif s[0] == "+":
        s = s[1:]
    if s.startswith("百分之") or s.startswith("千分之") or s.startswith("万分之"):
        s = s[3:]
    elif s.endswith("%") or s.endswith("‰"):
        s = s[:-1]
    if not s:
        return None
    v = _parse_unsigned(s)
    if v is None or not math.isfinite(v):
        return None
    return sign * v


def _parse_unsigned(s: str) -> Optional[float]:
    a = _arabic(s)
    if a is not None:
        return a
    if "," in s:
        s2 = s.replace(",", "")
        if _THOUSANDS_PREFIX_RX.fullmatch(s):
            s = s2
    # decimals with 点: integer part × …, fraction digit by digit, then trailing big units
    for p in CN_POINT:
        if p in s:
            head, _, tail = s.partition(p)
            mult = 1.0
            while tail and tail[-1] in CN_BIG or (tail and tail[-1] in "千百十" and len(tail) > 1):
                ch = tail[-1]
                mult *= CN_BIG.get(ch) or CN_SMALL[ch]
                tail = tail[:-1]
            if not tail or any(c not in CN_DIGITS and not c.isdigit() for c in tail):
                return None
            iv = _parse_unsigned(head) if head else 0.0
            if iv is None:
                return None
            fv = _digit_string("0点" + tail)
            return (iv + (fv or 0.0)) * mult
    toks = _tokens(s)
    if not toks:
        return None
    kinds = {k for k, _ in toks}
    if kinds == {"d"}:
        if len(toks) == 1:
            return float(toks[0][1])
        return _digit_string(s)
    if kinds == {"n"}:
        return None
    # a lone unit char is not a number (百, 千, 万), except 十 (= 10)
    if len(toks) == 1 and toks[0][0] in ("s", "b") and toks[0][1] != 10 and s not in ("廿", "卅"):
        return None
    return _with_big(toks)


# --------------------------------------------------------------------------- scanning

# numeral runs. A 百分之/千分之 before a run, and a sign (负, -), are looked up by hand around the
# match. The pattern opens with one character class naming every character a run can start with
# (``re`` then skips to the next such character with its charset scan; a lookahead or an alternation
# there gets no such scan, a match is tried at every position); a one-character lookbehind then
# picks the branch of that first character. The same runs as the plain pattern
# (tests/test_speed_equivalence_counts.py keeps it):
#   [0-9０-９]+(?:,[0-9]{3}(?![0-9])|[,，][０-９]{3}(?![０-９]))*(?:[.．][0-9０-９]+)?(?:[十百千万亿萬億]+(?:…)*)?
#   | [.．][0-9０-９]+ | [零〇○…亿億]+(?:[点點][零〇○一二三四五六七八九]+[万萬亿億]*)?
_NUM_RE = _re.compile(
    r"""[0-9０-９.．零〇○一二两兩倆三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾百佰千仟万萬亿億]
    (?:
        (?<=[0-9０-９])
        [0-9０-９]*(?:,[0-9]{3}(?![0-9])|[,，][０-９]{3}(?![０-９]))*(?:[.．][0-9０-９]+)?
        (?:[十百千万亿萬億]+(?:[0-9０-９]+[十百千万亿萬億]+)*)?
      | (?<=[.．])[0-9０-９]+
      | (?<=[零〇○一二两兩倆三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾百佰千仟万萬亿億])
        [零〇○一二两兩倆三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾百佰千仟万萬亿億]*
        (?:[点點][零〇○一二三四五六七八九]+[万萬亿億]*)?
    )""",
    _re.X,
)
_MINUS = "-－−"
MAX_NUMERAL_CHARS = 40  # the longest numeral of real text is ~30 characters (一千一百一十一亿…)
_NO_MINUS_AFTER = frozenset("0123456789０１２３４５６７８９ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.．"
                            "零〇一二两三四五六七八九十百千万亿萬億")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass
class NumberToken:
    text: str
    start: int
    end: int
    value: Optional[float]
    low: Optional[float] = None
    high: Optional[float] = None
    percent: bool = False          # 百分之X / X%
    chinese: bool = False          # written (at least partly) in Chinese numerals


def _cn_range(s: str) -> Optional[tuple[float, float, str]]:
    """两三个 / 七八十 / 三四百: two adjacent digits read as a range (low, high, unit part)."""
    if len(s) < 2 or s[0] not in CN_DIGITS or s[1] not in CN_DIGITS:
        return None
    a, b = CN_DIGITS[s[0]], CN_DIGITS[s[1]]
    if not (1 <= a <= 9 and (b == a + 1 or (a, b) == (3, 5))):  # 两三个, 七八十, 三五百
        return None
    rest = s[2:]
    if rest and any(c not in _CN_UNIT_CHARS for c in rest):
        return None
    mult = 1.0
    for ch in rest:
        mult *= CN_SMALL.get(ch) or CN_BIG.get(ch) or 1
    return a * mult, b * mult, rest


_SKIP_AFTER = frozenset("余多来许万亿萬億千百十 ")


@functools.lru_cache(maxsize=1)
def _unit_lead_chars() -> frozenset:
    """First characters of everything that can follow a number of a quantity with a unit."""
    table, _ = _unit_table()
    chars = {w[0] for w, (cls, _c) in table.items() if cls != "noncount"}
    chars.update("%％‰、")
    chars.update(sep[0] for sep in _qualifiers()["range"])
    return frozenset(chars)


def _may_have_unit(text: str, end: int, lead: frozenset) -> bool:
    n = len(text)
    k = end
    while k < n and k < end + 4 and text[k] in _SKIP_AFTER:
        k += 1
    return k < n and text[k] in lead


@functools.lru_cache(maxsize=1)
def _unit_ahead_rx() -> "_re.Pattern":
    """:func:`_may_have_unit` as one regex match at ``end``: up to 4 of _SKIP_AFTER, taken greedily
    and never given back (possessive, like the loop), then a unit lead character."""
    cls = lambda chars: "[" + "".join(_re.escape(c) for c in sorted(chars)) + "]"  # noqa: E731
    return _re.compile(cls(_SKIP_AFTER) + "{0,4}+" + cls(_unit_lead_chars()))


_PARSED: dict[str, Optional[float]] = {}   # numeral run -> value: the same runs recur in every article


def _parse_cached(core: str) -> Optional[float]:
    """:func:`parse_numeral` of a run (a pure function of the string), remembered per process."""
    try:
        return _PARSED[core]
    except KeyError:
        pass
    v = parse_numeral(core)
    if len(_PARSED) >= 100_000:
        _PARSED.clear()  # bounded memory on a stream of junk
    _PARSED[core] = v
    return v


@functools.lru_cache(maxsize=1)
def _num_unit_re() -> "_re.Pattern":
    """:data:`_NUM_RE` with :func:`_unit_ahead_rx` tried after the run: group 1 (empty) is set when a
    unit may follow. The run is the same (the test sits in an alternation whose other branch is empty,
    so the engine never backtracks into the run); one C-level scan instead of a call per run."""
    return _re.compile(_NUM_RE.pattern + "(?:(?=" + _unit_ahead_rx().pattern + ")()|)",
                       _re.X)


def find_numbers(text: str, *, with_unit_only: bool = False) -> list[NumberToken]:
    """Every numeral run in ``text`` with its value (None if it does not parse).

    ``with_unit_only`` skips, before parsing, runs that no unit, %, range or list can follow
    (most Chinese numeral characters of a text are parts of words: 一些, 统一, 千万).
    """
    return [NumberToken(*r) for r in _runs(text, with_unit_only)]


_UNIT_AHEAD = operator.attrgetter("lastindex")  # group 1 of _num_unit_re() set: a unit may follow


def _runs(text: str, with_unit_only: bool) -> list[tuple]:
    """:func:`find_numbers` as tuples ``(text, start, end, value, low, high, percent, chinese)``
    (the fields of :class:`NumberToken`, without building one per run)."""
    out: list[tuple] = []
    if not text:
        return out
    pct_at = -1
    # without a 分之 in the text no run is a percentage word's: the runs no unit can follow are
    # dropped by a C-level filter on group 1 (most runs of a text), none reaches the loop
    words = "分之" in text or not with_unit_only
    matches = (_num_unit_re() if with_unit_only else _NUM_RE).finditer(text)
    if not words:
        matches = filter(_UNIT_AHEAD, matches)
    percent = False
    bare = _qualifiers()["bare"]
    for m in matches:
        start, end = m.span()
        if words:
            if end - start == 1 and text.startswith(("百分之", "千分之"), start):  # the run is 百 or 千
                pct_at = start + 3  # the run after 百分之 is a percentage
                continue
            percent = start == pct_at
            if with_unit_only and not percent and m.lastindex is None:
                continue  # no unit, %, range or list can follow the run
        core = s = m.group(0)
        if percent:
            start -= 3
            if core in ("百", "佰"):
                core = "100"  # 百分之百
        sign = ""
        if start > 0:
            b = text[start - 1]
            if b == "负" and (start < 2 or not _is_han(text[start - 2])):
                sign = b
            elif b in _MINUS and not percent and s[0] in "0123456789０１２３４５６７８９" and (
                    start < 2 or text[start - 2] not in _NO_MINUS_AFTER):
                sign = b
        if sign:
            start -= 1
            core = "-" + core
        if sign or percent:
            s = text[start:end]  # (otherwise ``s`` is the run itself)
        try:
            chinese, rng, v, k = _READ[core]
        except KeyError:
            chinese, rng, v, k = _read_core(core)
        if rng:
            out.append((s, start, end, rng[0], rng[0], rng[1], percent, True))
            continue
        if v is None:
            if sign or percent or core not in bare[0] or not text.startswith(bare[1], end) or (
                    start > 0 and text[start - 1] in bare[2]):
                continue
            v = bare[0][core]   # 百余名: a lone multiplier before 余/多 (qualifiers.yaml, bare_multiplier)
        if k:
            end = m.start() + k - (1 if sign else 0)
            s = text[start:end]
            if s.endswith((",", "，")):
                continue  # (a whole run never ends with a comma: only a shortened one can)
        out.append((s, start, end, v, None, None, percent, chinese))
    return out


_READ: dict[str, tuple] = {}   # numeral run (with its sign) -> _read_core(run): runs recur in every article


def _read_core(core: str) -> tuple:
    """How :func:`find_numbers` reads a run (a pure function of the string, remembered per process):
    ``(chinese, range or None, value or None, k)`` with ``k`` the length of the prefix that gave the
    value when the whole run did not parse (0 otherwise)."""
    chinese = not _CN_CHAR_SET.isdisjoint(core)
    rng = _cn_range(core.lstrip("-")) if chinese else None
    v, k = None, 0
    if rng is None and len(core) <= MAX_NUMERAL_CHARS:  # no number is written longer (一一一… runs are junk)
        v = _parse_cached(core)
        if v is None and chinese:
            # try a few shorter prefixes (二十四五 → 二十四) — bounded, so a run costs O(its length)
            for n in range(len(core) - 1, max(0, len(core) - 6), -1):
                v = parse_numeral(core[:n])
                if v is not None:
                    k = n
                    break
    if len(_READ) >= 100_000:
        _READ.clear()  # bounded memory on a stream of junk
    res = _READ[core] = (chinese, rng, v, k)
    return res


# --------------------------------------------------------------------------- quantities


@dataclass
class Quantity:
    """A number with its qualifier, range and unit, as written at ``text[start:end]``."""

    text: str
    start: int
    end: int
    num_start: int
    num_end: int
    value: float
    approx: str = "exact"
    low: Optional[float] = None
    high: Optional[float] = None
    unit_raw: Optional[str] = None
    unit: Optional[str] = None
    unit_class: Optional[str] = None   # count | measure | money | percent | noncount | None
    chinese: bool = False
    shared_unit: bool = False          # unit taken from the end of a 、-list (67、88件)
    list_head: Optional[int] = None    # num_start of the first number of its list/range group
    prefix: str = ""                   # the qualifier word before the number
    extra: dict = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _unit_table() -> tuple[dict[str, tuple[str, str]], int]:
    cfg = load_yaml("units.yaml") or {}
    table: dict[str, tuple[str, str]] = {}
    for w in cfg.get("noncount", []) or []:
        table[str(w)] = ("noncount", str(w))
    for w in cfg.get("measure", []) or []:
        table[str(w)] = ("measure", str(w))
    for cls in ("count", "money", "percent"):
        for w, canon in (cfg.get(cls) or {}).items():
            table[str(w)] = (cls, str(canon))
    longest = max((len(k) for k in table), default=1)
    return table, longest


@functools.lru_cache(maxsize=1)
def _unit_index() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[str, str, str]]]:
    """:func:`_unit_lengths_by_first`, and each unit word -> the answer of :func:`match_unit` for it."""
    table, _ = _unit_table()
    return _unit_lengths_by_first(), {w: (w, cls, canon) for w, (cls, canon) in table.items()}


@functools.lru_cache(maxsize=1)
def _unit_lengths_by_first() -> dict[str, tuple[int, ...]]:
    """First character of a unit word -> the lengths of the unit words starting with it, longest first."""
    table, _ = _unit_table()
    lens: dict[str, set[int]] = {}
    for w in table:
        if w:
            lens.setdefault(w[0], set()).add(len(w))
    return {c: tuple(sorted(ls, reverse=True)) for c, ls in lens.items()}


@functools.lru_cache(maxsize=1)
def _multipliers() -> dict[str, float]:
    cfg = load_yaml("units.yaml") or {}
    return {str(k): float(v) for k, v in (cfg.get("multipliers") or {}).items()}


def _bare_multiplier(cfg: dict) -> tuple[dict[str, float], tuple[str, ...], frozenset]:
    """(value of each lone multiplier character, the qualifiers it must stand before, the characters
    it must not stand after) of ``bare_multiplier`` in qualifiers.yaml."""
    values = {}
    for c in cfg.get("chars") or []:
        c = str(c)
        v = CN_SMALL.get(c) or CN_BIG.get(c)
        if len(c) == 1 and v:
            values[c] = float(v)
    return (values, tuple(str(w) for w in cfg.get("before") or [] if w),
            frozenset(str(c) for c in cfg.get("not_after") or []))


@functools.lru_cache(maxsize=1)
def _qualifiers() -> dict:
    cfg = load_yaml("counts/qualifiers.yaml") or {}

    def flat(section):
        pairs = []
        for kind, words in (cfg.get(section) or {}).items():
            for w in words or []:
                pairs.append((str(w), kind))
        pairs.sort(key=lambda p: -len(p[0]))
        return pairs

    return {
        "prefix": flat("prefix"),
        "middle": flat("middle"),
        "suffix": flat("suffix"),
        "middle_by_first": _group_by_first(flat("middle")),
        "suffix_by_first": _group_by_first(flat("suffix")),
        "prefix_map": dict(flat("prefix")),
        "prefix_lens": sorted({len(w) for w, _ in flat("prefix")}, reverse=True),
        "prefix_last": frozenset(w[-1] for w, _ in flat("prefix") if w),
        "blockers": {str(k): set(v or []) for k, v in (cfg.get("prefix_blockers") or {}).items()},
        "bare": _bare_multiplier(cfg.get("bare_multiplier") or {}),
        "range": tuple(str(x) for x in cfg.get("range_separators") or []),
        "range_max": max((len(str(x)) for x in cfg.get("range_separators") or []), default=0),
    }


def match_unit(text: str, pos: int) -> Optional[tuple[str, str, str]]:
    """The longest unit word at ``text[pos:]``: (written, class, canonical) or None."""
    if 0 <= pos < len(text):
        # only the lengths of the unit words starting with this character, longest first
        lengths, answers = _unit_index()
        for k in lengths.get(text[pos], ()):
            if k <= len(text) - pos:
                hit = answers.get(text[pos:pos + k])
                if hit:
                    return hit
        return None
    table, longest = _unit_table()
    for k in range(min(longest, len(text) - pos), 0, -1):
        w = text[pos:pos + k]
        got = table.get(w)
        if got:
            return w, got[0], got[1]
    return None


def _group_by_first(pairs) -> dict[str, tuple]:
    """``(word, kind)`` pairs grouped by the first character of the word, each group in list order."""
    index: dict[str, list] = {}
    for w, kind in pairs:
        if w:
            index.setdefault(w[0], []).append((w, kind))
    return {c: tuple(ps) for c, ps in index.items()}


def _match_first(text: str, pos: int, by_first: dict) -> Optional[tuple[str, str]]:
    """:func:`_match_word` on pairs already grouped by :func:`_group_by_first`."""
    for w, kind in by_first.get(text[pos:pos + 1], ()):
        if text.startswith(w, pos):
            return w, kind
    return None


def _match_word(text: str, pos: int, pairs) -> Optional[tuple[str, str]]:
    """The first ``(word, kind)`` of ``pairs`` that ``text`` has at ``pos`` (pairs indexed by first character)."""
    if pos >= len(text):
        return None
    for w, kind in _pairs_by_first(pairs).get(text[pos], ()):
        if text.startswith(w, pos):
            return w, kind
    return None


_PAIR_INDEX: dict[int, tuple[object, int, dict]] = {}


def _pairs_by_first(pairs) -> dict[str, list]:
    """``pairs`` grouped by the first character of the word, each group in the order of ``pairs``;
    built once per list (the qualifier tables), rebuilt if the list changed."""
    got = _PAIR_INDEX.get(id(pairs))
    if got is not None and got[1] == len(pairs) and got[0] is pairs:
        return got[2]
    index: dict[str, list] = {}
    for w, kind in pairs:
        if w:
            index.setdefault(w[0], []).append((w, kind))
    if len(_PAIR_INDEX) > 64:
        _PAIR_INDEX.clear()
    _PAIR_INDEX[id(pairs)] = (pairs, len(pairs), index)
    return index


def _prefix_qualifier(text: str, start: int) -> Optional[tuple[str, str]]:
    q = _qualifiers()
    if start < 1 or text[start - 1] not in q["prefix_last"]:
        return None  # no qualifier word ends right before the number
    pmap = q["prefix_map"]
    for n in q["prefix_lens"]:
        if start < n:
            continue
        w = text[start - n:start]
        kind = pmap.get(w)
        if kind is None:
            continue
        before = text[start - n - 1] if start - n - 1 >= 0 else ""
        if w in q["blockers"] and before in q["blockers"][w]:
            continue
        return w, kind
    return None


def _tail(text: str, pos: int, tok) -> tuple:
    """Read middle qualifier, multiplier, unit and suffix qualifier after a number ending at ``pos``:
    ``(mid, mult, unit, suffix, end)``. ``tok``: the number (a :class:`NumberToken`) or whether it
    is a percentage."""
    return _tail_at(text, pos, tok if isinstance(tok, bool) else tok.percent, _qualifiers())


def _tail_at(text: str, pos: int, percent: bool, q: dict) -> tuple:
    """:func:`_tail` with the qualifier tables given (fetched once per text by the caller); the
    qualifier and unit lookups of :func:`_match_first` and :func:`match_unit` written inline."""
    suffix_words = q["suffix_by_first"]
    mid: Optional[tuple[str, str]] = None
    unit: Optional[tuple[str, str, str]] = None
    suffix: Optional[tuple[str, str]] = None
    mult = 1.0
    p = pos
    if percent:
        unit = ("", "percent", "%")
        m = _match_first(text, p, suffix_words)
        if m and m[0] != "多":
            suffix = m
            p += len(m[0])
        return mid, mult, unit, suffix, p
    c = text[p:p + 1]
    for w, kind in q["middle_by_first"].get(c, ()):
        if text.startswith(w, p):
            if w.endswith(("万", "亿")):
                mid = (w[:-1], kind)
                mult = _multipliers().get(w[-1], 1.0)
            else:
                mid = (w, kind)
            p += len(w)
            # multiplier after the qualifier: 5000余万元
            mults = _multipliers()
            for k in (2, 1):
                mw = text[p:p + k]
                if len(mw) == k and mw in mults and mw not in ("十", "百"):
                    nxt = match_unit(text, p + k)
                    if nxt or mw[-1] in "万亿萬億":
                        mult *= mults[mw]
                        p += k
                        break
            c = text[p:p + 1]
            break
    # match_unit(text, p), inline
    u = None
    if c:
        lengths, answers = _unit_index()
        room = len(text) - p
        for k in lengths.get(c, ()):
            if k <= room:
                u = answers.get(text[p:p + k])
                if u:
                    break
    if not u:
        suf = _match_first(text, p, suffix_words)
        if suf and suf[0] not in ("多", "上下"):
            suffix = suf
            p += len(suf[0])
        return mid, mult, unit, suffix, p
    unit = u
    p += len(u[0])
    for w, kind in suffix_words.get(text[p:p + 1], ()):
        if text.startswith(w, p):
            if w == "多" and mid:
                break
            # "多" after a unit is only a qualifier at the end of a phrase (3人多 is rare; 3人多次 is not)
            if w == "多" and (p + 1 < len(text) and text[p + 1] not in "，,。；;、）)"):
                break
            if w == "上下" and p + 2 < len(text) and text[p + 2] not in "，,。；;、）)的":
                break
            suffix = (w, kind)
            p += len(w)
            break
    return mid, mult, unit, suffix, p


def _approx_of(prefix, mid, suffix) -> str:
    for q in (mid, suffix, prefix):
        if q:
            return q[1]
    return "exact"


def find_quantities(text: str, *, with_unit_only: bool = False) -> list[Quantity]:
    """Numbers of ``text`` with qualifier, range, multiplier and unit (any unit class, or none).

    ``with_unit_only``: only numbers that a unit, %, range or list may follow (faster; counts use it).
    """
    if not text:
        return []
    return [Quantity(text[r[0]:r[1]], *r) for r in quantity_rows(text, with_unit_only)]


# the fields of a quantity row: those of Quantity after ``text`` (``extra`` left out)
R_START, R_END, R_NUM_START, R_NUM_END, R_VALUE, R_APPROX, R_LOW, R_HIGH = range(8)
R_UNIT_RAW, R_UNIT, R_UNIT_CLASS, R_CHINESE, R_SHARED, R_LIST_HEAD, R_PREFIX = range(8, 15)


def quantity_rows(text: str, with_unit_only: bool = False) -> list[list]:
    """:func:`find_quantities` as lists of the fields of :class:`Quantity` after ``text`` (``R_*``
    index them), units of 、-lists shared and list heads set: a caller builds a Quantity only for the
    numbers it keeps (``Quantity(text[r[0]:r[1]], *r)``)."""
    if not text:
        return []
    # the runs as tuples: (text, start, end, value, low, high, percent, chinese)
    toks = _runs(text, with_unit_only)
    qual = _qualifiers()
    seps, seps_max = qual["range"], qual["range_max"]
    prefix_last = qual["prefix_last"]
    out: list[list] = []
    n_toks = len(toks)
    i = 0
    while i < n_toks:
        t = toks[i]
        t_text, t_start, t_end, t_value, low, high, t_percent, t_chinese = t
        if t_value is None:
            i += 1
            continue
        # explicit range: NUM sep NUM unit
        last = t
        j = i
        if low is None and i + 1 < n_toks:
            nxt = toks[i + 1]
            n_start = nxt[1]
            # a gap longer than any separator, without spaces to strip at its ends, is no separator
            if n_start - t_end > seps_max and text[t_end] not in " 　" and text[n_start - 1] not in " 　":
                between = None
            else:
                between = text[t_end:n_start].strip(" 　")
            if between in seps and nxt[3] is not None:
                lv = t_value * _shared_multiplier(t_text, nxt[0])
                if nxt[3] > lv and not t_percent:
                    low, high, last, j = lv, nxt[3], nxt, i + 1
                elif nxt[3] > t_value and t_percent == nxt[6]:
                    low, high, last, j = t_value, nxt[3], nxt, i + 1
        mid, mult, unit, suffix, end = _tail_at(text, last[2], last[6], qual)
        # (_prefix_qualifier's own first test, inline: most numbers follow no qualifier's last character)
        pre = _prefix_qualifier(text, t_start) if t_start and text[t_start - 1] in prefix_last else None
        value = t_value * mult
        if low is not None:
            low, high = low * mult, high * mult
        # percent on a range end: 10%-20%
        if t_percent and unit is None:
            unit = ("", "percent", "%")
        if low is not None:
            approx = "range"
            value = low
        else:
            # (high is None too: tokens set both or neither); most numbers have no qualifier at all
            approx = _approx_of(pre, mid, suffix) if (pre or mid or suffix) else "exact"
        start = t_start - len(pre[0]) if pre else t_start
        if unit:
            if unit[1] == "money" and unit[2] == "元":
                cur = _currency_before(text, start)
                if cur:
                    unit = (unit[0], "money", cur)  # 港币2万元: the currency named before the amount
            unit_raw, unit_class, unit_name = unit
        else:
            unit_raw = unit_class = unit_name = None
        out.append([start, end, t_start, last[2], value, approx, low, high, unit_raw, unit_name, unit_class,
                    t_chinese or last[7], False, t_start, pre[0] if pre else ""])
        i = j + 1
    if len(out) > 1:
        _share_list_rows(text, out)
    return out


_SHARED_MULT_RX = regex.compile(r"(?<=[0-9零〇一二两三四五六七八九十百千拾佰仟])([万亿萬億]+|[千百仟佰])$")


def _shared_multiplier(low_text: str, high_text: str) -> float:
    """5-10万元, 两到三万港元, 十八至三十万: the low end shares the high end's trailing multiplier."""
    m = _SHARED_MULT_RX.search(high_text)
    if not m:
        return 1.0
    if m.group(1)[0] in "万亿萬億":
        if low_text[-1:] in "万亿萬億":
            return 1.0
    elif low_text[-1:] in "十百千万亿萬億仟佰拾":
        return 1.0
    scale = 1.0
    for ch in m.group(1):
        scale *= CN_BIG.get(ch) or CN_SMALL.get(ch) or 1.0
    return scale


def _currency_before(text: str, start: int) -> Optional[str]:
    table, _ = _unit_table()
    for n in (5, 4, 3, 2):
        w = text[max(0, start - n):start]
        hit = table.get(w)
        if hit and hit[0] == "money" and hit[1] != "元":
            return hit[1]
    return None


def _share_list_rows(text: str, rows: list[list]) -> None:
    """67、88件 / 2017、2018年: a bare number before 、 takes the unit of the list's last number (on
    quantity rows); the head of a list is the first number of a 、-chain. Two neighbours are list
    items when exactly a 、 stands between them."""
    linked = [b[0] - a[1] == 1 and text[a[1]] == "、" for a, b in zip(rows, rows[1:])]
    if not any(linked):
        return
    for k in range(len(rows) - 2, -1, -1):
        a, b = rows[k], rows[k + 1]
        if a[R_UNIT] is not None or not linked[k]:
            continue
        if b[R_UNIT] is None:
            continue
        a[R_UNIT], a[R_UNIT_RAW], a[R_UNIT_CLASS], a[R_SHARED] = b[R_UNIT], b[R_UNIT_RAW], b[R_UNIT_CLASS], True
    for k in range(1, len(rows)):
        if linked[k - 1]:
            rows[k][R_LIST_HEAD] = rows[k - 1][R_LIST_HEAD]


def quantity(s: str) -> Optional[Quantity]:
    """The first quantity of a short string (``"3万余元"``, ``"1-3名"``, ``"近90%"``), or None."""
    qs = find_quantities(s)
    return qs[0] if qs else None
