"""Stage 'normalize': one clean, Simplified text with a recorded trail of every repair.

Steps, in order (each counted in ``repairs`` under its kind):

1. ``control``/``surrogate``: C0 control characters (except tab and newline) removed, lone
   surrogates → U+FFFD; ``newline``: CR LF, CR, U+2028/9 → ``\\n``.
2. ``entity``: HTML entities left in text dumps (``&nbsp;``, ``&ldquo;``, ``&#160;``) decoded.
3. Character folding (one regex scan, then one ``str.replace`` per distinct character): ``width`` full-width forms U+FF01–FF5E → ASCII
   (digits, letters and punctuation: ``，`` → ``,``, ``（`` → ``(``); ``space`` no-break/ideographic
   spaces → `` ``; ``zero_width`` removed; ``radical`` CJK radical code points → ideographs
   (``⻄`` → ``西``); ``compat`` CJK compatibility ideographs → unified ones (NFKC).
4. ``pinyin``: readings injected after characters removed (``紀(jì)委`` → ``紀委``), real
   parentheses kept (``(试行)``, ``(2019)``, ``(JOS)``, ``(市)``).
5. ``mojibake``: UTF-8/GBK bytes read as Latin-1/cp1252 (``ä¸­å¤®`` → ``中央``; done before step 3,
   whose space/soft-hyphen folding would break them) and byte-misaligned GBK runs re-decoded (before step 3 too) (:mod:`extractor.mojibake`); guessed
   lost bytes and runs left unrepaired become issue messages. Before OpenCC, since the repaired
   bytes may decode to Traditional text. Then step 4 once more (``發(fā)`` after ``陌l(fā)``).
6. ``t2s``: script detected (``hans``/``hant``/``mixed``) and OpenCC Traditional → Simplified.
7. ``whitespace``: runs of spaces collapsed, spaces at line ends dropped, more than one blank
   line → one; ``\\n`` between lines is kept (the metadata stage splits on lines).

Everything configurable is in ``patterns/normalize/`` (``normalize.yaml``, ``radicals.tsv``,
``pinyin_syllables.txt``; the mojibake tables ``char_logfreq.tsv`` and ``word_pairs.tsv`` are built
by ``scripts/build_normalize_tables.py``). Throughput: ``scripts/bench_normalize.py``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from typing import Optional

from . import mojibake
from .article import Article
from .resources import load_tsv, load_wordlist, load_yaml

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));?")
_HAN_RE = re.compile(f"[{_HAN}]")
# a parenthesized Latin word (with tone diacritics or a tone digit) right after a Han character …
_PINYIN_RE = re.compile(r"[(（]\s?([A-Za-z\u00c0-\u024f\u0300-\u036f]{1,8}[1-5]?)\s?[)）]")
# … or the rest of one whose "X(" a mojibake run swallowed into a lost-byte marker: 談?wù)勅…
_PINYIN_REMNANT_RE = re.compile(r"(?<=[?\ufffd])([a-z\u00c0-\u024f\u0300-\u036f]{1,8})[)）]")
_TONED = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ") | {"\u0304", "\u0301", "\u030c", "\u0300"}
_SPACES_RE = re.compile(r"  +")
_BLANKS_RE = re.compile(r"\n\n\n+")


@functools.lru_cache(maxsize=1)
def _settings() -> dict:
    return load_yaml("normalize/normalize.yaml") or {}


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


@functools.lru_cache(maxsize=1)
def _fold_table() -> tuple[dict[int, Optional[str]], dict[str, str], "re.Pattern[str]"]:
    """(translate table, kind of each folded char, regex of the folded chars)."""
    cfg = _settings()
    table: dict[int, Optional[str]] = {}
    kind: dict[str, str] = {}

    def put(ch: str, to: Optional[str], k: str) -> None:
        if len(ch) == 1 and ch != to:
            table[ord(ch)] = to
            kind[ch] = k

    for cp in range(0xF900, 0xFB00):  # CJK compatibility ideographs → unified
        ch = chr(cp)
        n = unicodedata.normalize("NFKC", ch)
        if len(n) == 1 and n != ch and _HAN_RE.match(n):
            put(ch, n, "compat")
    for cp in range(0x2F00, 0x2FE0):  # Kangxi radicals
        ch = chr(cp)
        n = unicodedata.normalize("NFKC", ch)
        if len(n) == 1 and n != ch:
            put(ch, n, "radical")
    for row in load_tsv("normalize/radicals.tsv"):
        if row.get("radical") and row.get("ideograph"):
            put(row["radical"], row["ideograph"], "radical")
    if cfg.get("fold_fullwidth", True):
        for cp in range(0xFF01, 0xFF5F):
            put(chr(cp), chr(cp - 0xFEE0), "width")
    for ch in cfg.get("spaces", []) or []:
        put(ch, " ", "space")
    for ch in cfg.get("zero_width", []) or []:
        put(ch, None, "zero_width")
    for ch in cfg.get("newlines", []) or []:
        if len(ch) == 1:
            put(ch, "\n", "newline")
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(kind)) + "]")
    return table, kind, pattern


@functools.lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    return frozenset(load_wordlist("normalize/pinyin_syllables.txt"))


def _add(repairs: Counter, kind: str, n: int) -> None:
    if n:
        repairs[kind] += n


_C0_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])   # _CONTROL_RE without surrogates


def _may_have_controls(text: str) -> bool:
    """False when ``_CONTROL_RE`` cannot match: no C0 control among the Latin-1 characters and no
    lone surrogate (which UTF-16 cannot encode). Two C passes, faster than the regex scan on CJK text."""
    try:
        text.encode("utf-16-le")
    except UnicodeEncodeError:
        return True
    latin = text.encode("latin-1", "ignore")
    return len(latin.translate(None, _C0_BYTES)) != len(latin)


def clean_controls(text: str, repairs: Counter) -> str:
    """Line separators → ``\\n``; control characters out; lone surrogates → U+FFFD."""
    if "\r" in text:
        n = text.count("\r")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        _add(repairs, "newline", n)
    if _may_have_controls(text) and _CONTROL_RE.search(text):
        def sub(m: re.Match) -> str:
            ch = m.group()
            if "\ud800" <= ch <= "\udfff":
                repairs["surrogate"] += 1
                return "\ufffd"
            repairs["control"] += 1
            return ""

        text = _CONTROL_RE.sub(sub, text)
    return text


def decode_entities(text: str, repairs: Counter) -> str:
    """``&nbsp;`` ``&ldquo;`` ``&#160;`` ``&#x3000;`` → characters (known names only)."""
    if "&" not in text:
        return text
    names = _settings().get("entities", {}) or {}

    def sub(m: re.Match) -> str:
        dec, hexa, name = m.groups()
        try:
            if dec is not None:
                cp = int(dec)
            elif hexa is not None:
                cp = int(hexa, 16)
            else:
                val = names.get(name) or names.get(name.lower())
                if val is None:
                    return m.group()
                repairs["entity"] += 1
                return val
            if cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                return m.group()
            repairs["entity"] += 1
            return chr(cp)
        except (ValueError, OverflowError):
            return m.group()

    return _ENTITY_RE.sub(sub, text)


def fold_chars(text: str, repairs: Counter) -> str:
    """Full-width forms, odd spaces, zero-width chars, radicals, compatibility ideographs."""
    table, kind, pattern = _fold_table()
    if pattern.search(text) is None:
        return text
    # a few distinct characters, each replaced by one C-speed str.replace (faster than translate)
    for ch, n in Counter(pattern.findall(text)).items():
        repairs[kind[ch]] += n
        text = text.replace(ch, table[ord(ch)] or "")
    return text


@functools.lru_cache(maxsize=1)
def _fold_or_traditional() -> "re.Pattern[str]":
    """The characters :func:`fold_chars` folds and those OpenCC t2s changes, in one class."""
    fold = _fold_table()[2].pattern
    trad = _changed_by("t2s").pattern
    if not trad.startswith("["):   # no Traditional form known: "(?!)"
        return _fold_table()[2]
    return re.compile(fold[:-1] + trad[1:])


def _fold_and_find_traditional(text: str, repairs: Counter) -> tuple[str, Optional[bool]]:
    """(``fold_chars(text)``, ``has_traditional`` of it) with one regex scan for both: a folded text
    holds a Traditional form when the input holds one that is not folded, or a fold gives one (a
    compatibility ideograph or radical). None for "not known" when the tables cannot be built."""
    try:
        pattern = _fold_or_traditional()
    except Exception:  # pragma: no cover - OpenCC missing: the caller checks (and reports) itself
        return fold_chars(text, repairs), None
    table, kind, _ = _fold_table()
    fast = _fold_plain(text, pattern, table, kind)
    if fast is not None:   # no Traditional form in the input, none made by a fold
        text, counts = fast
        for k, n in counts:
            repairs[k] += n
        return text, False
    found = pattern.findall(text)
    if not found:
        return text, False
    traditional = _changed_by("t2s").search
    trad, known = False, True
    for ch, n in Counter(found).items():   # first-appearance order, as fold_chars counts them
        k = kind.get(ch)
        if k is None:   # not folded: a Traditional form
            trad = True
            continue
        repairs[k] += n
        to = table[ord(ch)] or ""
        text = text.replace(ch, to)
        if any(c in kind for c in to):   # folded again by a later replacement (not in the shipped tables)
            known = False
        elif to and traditional(to):
            trad = True
    return text, (trad if known else None)


def _fold_plain(text: str, pattern: "re.Pattern[str]", table: dict, kind: dict):
    """(folded text, [(kind, count)] in first-appearance order) as :func:`_fold_and_find_traditional`
    gives them for a text without Traditional forms, or None when one is met (or a fold gives a
    character the pattern finds): the caller then takes the full scan. Each distinct character is
    found by a search that goes on where the last one stopped, counted and replaced in C (no list of
    every match, no Counter over it)."""
    search = pattern.search
    m = search(text)
    counts: list = []
    while m is not None:
        ch = m.group()
        k = kind.get(ch)
        if k is None:   # a Traditional form
            return None
        to = table[ord(ch)] or ""
        if to and search(to):   # a fold giving a Traditional form (or a folded character)
            return None
        p = m.start()
        # p is the first ch of the text: the characters before it are not found or already replaced
        counts.append((k, text.count(ch, p)))
        text = text.replace(ch, to)
        m = search(text, p + len(to))
    return text, counts


def _strip_tone(s: str) -> tuple[str, bool]:
    """(toneless lower-case syllable with ü, whether a tone was marked)."""
    toned = s[-1:].isdigit()
    if toned:
        s = s[:-1]
    toned = toned or any(c in _TONED for c in s)
    s = s.replace("v", "ü")
    base = []
    for c in unicodedata.normalize("NFD", s):
        if unicodedata.combining(c):
            if c == "\u0308":  # diaeresis: keep ü
                base[-1:] = ["ü"] if base[-1:] == ["u"] else base[-1:]
            continue
        base.append(c)
    return "".join(base), toned


@functools.lru_cache(maxsize=4096)
def is_pinyin(word: str, allow_toneless: bool = False) -> bool:
    """One pinyin syllable, lower case, with a tone mark (or toneless when allowed)."""
    if not word or word != word.lower():
        return False
    base, toned = _strip_tone(word)
    return (toned or allow_toneless) and base in _pinyin_syllables()


def _positions(text: str, chars: str) -> list[int]:
    """Sorted positions of the characters ``chars`` in ``text`` (``str.find``: C speed, no regex scan)."""
    out: list[int] = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            out.append(i)
            i = text.find(ch, i + 1)
    if len(chars) > 1:
        out.sort()
    return out


def strip_pinyin(text: str, repairs: Counter) -> str:
    """Remove pinyin readings injected after Han characters: ``紀(jì)委`` → ``紀委``."""
    if "(" not in text and ")" not in text and "（" not in text and "）" not in text:
        return text
    # the matches of _PINYIN_RE.finditer, tried only where they can start: at an opening parenthesis
    # after a Han character (a match holds no parenthesis, so none overlaps the next)
    cands = [m for p in _positions(text, "(（") if p and _HAN_RE.match(text, p - 1)
             for m in (_PINYIN_RE.match(text, p),) if m]
    # … and of _PINYIN_REMNANT_RE.finditer: right after a lost-byte marker
    remnants = [m for p in _positions(text, "?\ufffd") for m in (_PINYIN_REMNANT_RE.match(text, p + 1),) if m]
    if not cands and not remnants:
        return text
    toned = sum(1 for m in cands if is_pinyin(m.group(1)))
    min_toned = int((_settings().get("pinyin", {}) or {}).get("min_toned_for_toneless", 3))
    allow_toneless = toned >= min_toned
    cuts = [(m.start(), m.end()) for m in cands if is_pinyin(m.group(1), allow_toneless)]
    cuts += [(m.start(), m.end()) for m in remnants if is_pinyin(m.group(1))]
    if not cuts:
        return text
    cuts.sort()
    out, pos = [], 0
    for a, b in cuts:
        if a < pos:
            continue
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    repairs["pinyin"] += len(cuts)
    return "".join(out)


@functools.lru_cache(maxsize=2)
def _changed_by(config: str) -> "re.Pattern[str]":
    """Han characters that OpenCC ``config`` changes on their own, as a regex character class:
    ``t2s`` → Traditional-only forms, ``s2t`` → Simplified-only forms (built once, lazily)."""
    conv = _t2s() if config == "t2s" else _s2t()
    chars = [chr(cp) for a, b in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)) for cp in range(a, b + 1)]
    changed = conv.convert("\n".join(chars)).split("\n")
    cps = [ord(c) for c, d in zip(chars, changed) if d != c] if len(changed) == len(chars) else []
    return re.compile(mojibake.char_class(cps))


def has_traditional(text: str) -> bool:
    """Whether any character of ``text`` is one OpenCC t2s changes (one regex scan)."""
    return _changed_by("t2s").search(text) is not None


def detect_script(text: str, simplified: Optional[str] = None) -> tuple[Optional[str], int]:
    """(``hans``/``hant``/``mixed`` or None without Han characters, count of Traditional characters).

    Traditional characters are those OpenCC t2s changes in context (乾 in 乾坤 is not one),
    Simplified-only ones those s2t changes on their own (one regex scan each; OpenCC only runs on a
    text that has a Traditional form at all). A text is ``hant`` when at least 90 % of its
    script-specific characters are Traditional, ``hans`` when at most 10 % are, else ``mixed``.
    """
    if not _HAN_RE.search(text):
        return None, 0
    if not has_traditional(text):
        return "hans", 0
    if simplified is None:
        simplified = _t2s().convert(text)
    n_trad = _count_changed(text, simplified)
    if n_trad == 0:
        return "hans", 0
    n_simp = len(_changed_by("s2t").findall(text))
    share = n_trad / (n_trad + n_simp)
    if share >= 0.9:
        return "hant", n_trad
    if share <= 0.1:
        return "hans", n_trad
    return "mixed", n_trad


def _count_changed(text: str, simplified: str) -> int:
    """Characters OpenCC changed: checked at the Traditional-form positions only (乾 in 乾坤 stays)."""
    positions = [m.start() for m in _changed_by("t2s").finditer(text)]
    if len(simplified) != len(text):
        return len(positions)
    return sum(1 for p in positions if simplified[p] != text[p])


def collapse_whitespace(text: str, repairs: Counter) -> str:
    """Spaces collapsed inside lines, dropped at line edges; at most one blank line in a row."""
    n_total = 0
    text, n = _SPACES_RE.subn(" ", text)
    n_total += n
    if " \n" in text or "\n " in text:
        lines = text.split("\n")
        stripped_lines = [ln.strip(" ") for ln in lines]
        n_total += sum(map(str.__ne__, lines, stripped_lines))
        text = "\n".join(stripped_lines)
    text, n = _BLANKS_RE.subn("\n\n", text)
    n_total += n
    stripped = text.strip(" \n")
    if stripped != text:
        n_total += 1
    _add(repairs, "whitespace", n_total)
    return stripped


def normalize_text(raw: str) -> tuple[str, dict[str, int], list[str], Optional[str]]:
    """Return (text, repairs by kind, issue messages, script of the input)."""
    if raw is None:
        return "", {}, [], None
    if not isinstance(raw, str):
        raw = str(raw)
    repairs: Counter = Counter()
    issues: list[str] = []
    text = clean_controls(raw, repairs)
    text = decode_entities(text, repairs)
    try:  # before folding: U+00A0 and U+00AD are bytes of such runs
        text, n, msgs = mojibake.repair_latin(text)
        _add(repairs, "mojibake", n)
        issues.extend(msgs)
    except Exception as exc:  # pragma: no cover - defensive
        issues.append(f"Latin-1 mojibake repair failed: {type(exc).__name__}: {exc}")
    text = strip_pinyin(text, repairs)
    try:  # before width folding: full-width forms and U+3000 inside a run are bytes of it
        text, counts, msgs = mojibake.repair(text)
    except Exception as exc:  # never lose the article over a repair
        counts, msgs = {}, [f"mojibake repair failed: {type(exc).__name__}: {exc}"]
    issues.extend(msgs)
    repairs.update(counts)
    # folded, and whether a Traditional form is left (pinyin readings stripped below are not one)
    text, trad = _fold_and_find_traditional(text, repairs)
    if counts:
        text = strip_pinyin(text, repairs)  # readings after a repaired run: 陌l(fā) → 發(fā)
    simplified = text
    try:
        if has_traditional(text) if trad is None else trad:
            simplified = _t2s().convert(text)
            script, n_trad = detect_script(text, simplified)
        else:  # what detect_script gives for such a text, without scanning it for Traditional forms again
            script, n_trad = ("hans" if _HAN_RE.search(text) else None), 0
        _add(repairs, "t2s", n_trad)
    except Exception as exc:  # pragma: no cover - OpenCC failing must not lose the article
        simplified, script = text, None
        issues.append(f"OpenCC t2s failed, text kept in its script: {type(exc).__name__}: {exc}")
    text = collapse_whitespace(simplified, repairs)
    return text, dict(repairs), issues, script


def stage(article: Article) -> None:
    text, repairs, issues, script = normalize_text(article.raw)
    article.normalized = text
    article.normalization.update(repairs)
    article.script = script
    for msg in issues:
        article.issue("normalize", msg)


def warm() -> None:
    """Build every lazily loaded table of the stage (for a fork server: load once, share pages)."""
    _fold_table()
    _pinyin_syllables()
    _changed_by("t2s")
    _changed_by("s2t")
    mojibake.warm()
