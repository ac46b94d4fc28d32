"""Detect and repair byte-misaligned GBK mojibake runs.

When the GBK/GB18030 bytes of a text are decoded one byte off, every two-byte
character is read from the trail byte of one character and the lead byte of
the next: ``在新征程上`` (D4DA D0C2 D5F7 B3CC C9CF) comes out as ``痹谛抡鞒躺…``.
The decoder usually leaves a lost byte as ``?`` (or U+FFFD) where the run
starts and ends, and the run re-aligns on an ASCII byte (``的發`` B5C4 B06C →
``陌l``).

Detection is cheap: one regex pass finds *rare* characters (log frequency after
Traditional→Simplified below a threshold, ``patterns/normalize/normalize.yaml``);
only clusters of rare characters are examined. For a cluster, runs with
boundaries a few characters around it are re-encoded to GB18030 bytes, shifted
by one byte and decoded again; a byte lost at either end is guessed from the
character frequencies and two-character dictionary words (jieba's dictionary)
with the neighbouring characters. The best candidate replaces the run when the
window around it becomes clearly more plausible Chinese (mean log character
frequency). A suspicious run that no candidate repairs is returned as an issue
message, never silently kept.

Runs that are UTF-8 bytes read as GBK (``鍙傝€冩秷鎭`` → ``参考消息``) are tried too.
"""
from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from typing import Optional

from .resources import load_yaml, pattern_path

MARKERS = "?\ufffd"
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BREAK_RE = re.compile(r"[\n?\ufffd]")   # a run never spans a line break or a lost-byte marker
_PUA_RE = re.compile(r"[\ue000-\uf8ff]")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ue000-\uf8ff]")  # Han or private use
# ranges whose characters a misaligned GBK decode produces (Han, compatibility ideographs, PUA,
# kana, bopomofo, Greek, Cyrillic, box drawing, CJK symbols)
_SCAN_RANGES = [(0x0370, 0x03FF), (0x0400, 0x04FF), (0x2500, 0x257F), (0x2E80, 0x2FDF), (0x3000, 0x33FF),
                (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xE000, 0xF8FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F)]


@functools.lru_cache(maxsize=1)
def config() -> dict:
    cfg = (load_yaml("normalize/normalize.yaml") or {}).get("mojibake", {}) or {}
    defaults = dict(rare_logp=-13.0, floor_logp=-19.0, cluster_gap=3, min_rare=3, min_density=0.4,
                    min_rare_with_marker=2, max_run=200000, search=8, min_gain=3.0, min_repaired_mean=-10.5,
                    word_bonus=2.0, word_bonus_per_logfreq=0.5, max_clusters=50, guess_penalty=4.0,
                    min_run_unmarked=8, min_word_rate=0.25, flag_below_word_rate=0.25, merge_gap=16,
                    edge_window=12, latin_min_mean=-13.0, min_repaired_mean_marked=-8.0,
                    min_run_marked=5)
    defaults.update(cfg)
    return defaults


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, float], dict[str, str], "re.Pattern[str]"]:
    """(log frequency by char, simplified form of each scanned char that t2s changes, rare-char regex)."""
    logf = _load_logfreq()
    floor = float(config()["floor_logp"])
    rare_cut = float(config()["rare_logp"])
    chars = [chr(cp) for a, b in _SCAN_RANGES for cp in range(a, b + 1)]
    conv = _t2s().convert("\n".join(chars)).split("\n")
    simp = {}
    if len(conv) == len(chars):
        simp = {c: s for c, s in zip(chars, conv) if s != c and len(s) == 1}
    rare_cps = [ord(c) for c in chars if logf.get(simp.get(c, c), floor) < rare_cut]
    return logf, simp, re.compile(char_class(rare_cps))


def _load_logfreq() -> dict[str, float]:
    """``char<TAB>logp`` lines (read by hand: the table holds the characters ``#`` and ``"``)."""
    out: dict[str, float] = {}
    with open(pattern_path("normalize/char_logfreq.tsv"), encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i < 3:  # two comment lines and the header
                continue
            ch, _, val = line.rstrip("\n").partition("\t")
            if len(ch) == 1:
                try:
                    out[ch] = float(val)
                except ValueError:
                    pass
    return out


def char_class(cps: list[int]) -> str:
    parts = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(re.escape(chr(cps[i])) if i == j else f"{re.escape(chr(cps[i]))}-{re.escape(chr(cps[j]))}")
        i = j + 1
    return "[" + "".join(parts) + "]" if parts else "(?!)"


def _logp(ch: str) -> float:
    if ch in MARKERS:
        return float(config()["floor_logp"])
    logf, simp, _ = _tables()
    return logf.get(simp.get(ch, ch), float(config()["floor_logp"]))


class _LogpMemo(dict):
    """:func:`_logp` of each character asked for, computed once (at most 200,000 kept)."""

    def __missing__(self, ch: str) -> float:
        v = _logp(ch)
        if len(self) < 200_000:
            self[ch] = v
        return v


@functools.lru_cache(maxsize=1)
def _logp_memo() -> _LogpMemo:
    return _LogpMemo()


def logp(ch: str) -> float:
    """Log relative frequency of a character (its Simplified form), floor for unknown ones and for
    lost-byte markers (a window that keeps one is less plausible)."""
    return _logp_memo()[ch]


def mean_logp(text: str) -> float:
    lp = _logp_memo()
    vals = [lp[c] for c in text if not c.isspace()]
    return sum(vals) / len(vals) if vals else 0.0


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, float]:
    """Two-character words (``patterns/normalize/word_pairs.tsv``, from jieba's dictionary) and the
    ``context_pairs`` of the settings → log frequency. Loaded on the first suspicious run."""
    out: dict[str, float] = {}
    with open(pattern_path("normalize/word_pairs.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            lf, _, words = line.rstrip("\n").partition("\t")
            try:
                val = float(lf)
            except ValueError:
                continue
            out.update(dict.fromkeys(map(str.__add__, words[0::2], words[1::2]), val))   # every 2 characters
    for pair, lf in (config().get("context_pairs") or {}).items():
        if isinstance(pair, str) and len(pair) == 2:
            out[pair] = float(lf)
    return out


def _simp(ch: str) -> str:
    return _tables()[1].get(ch, ch)


def _word_bonus(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    lf = _words().get(_simp(a) + _simp(b))
    if lf is None:
        return 0.0
    cfg = config()
    return float(cfg["word_bonus"]) + float(cfg["word_bonus_per_logfreq"]) * lf


def _is_pua(ch: str) -> bool:
    return 0xE000 <= ord(ch) <= 0xF8FF


def _decodable(pairs) -> tuple[str, ...]:
    """The single non-private-use characters that the GB18030 byte pairs decode to."""
    out = []
    for pair in pairs:
        try:
            ch = bytes(pair).decode("gb18030")
        except UnicodeDecodeError:
            continue
        if len(ch) == 1 and not _is_pua(ch):
            out.append(ch)
    return tuple(out)


@functools.lru_cache(maxsize=512)
def _chars_with_trail(trail: int) -> tuple[str, ...]:
    return _decodable((lead, trail) for lead in range(0x81, 0xFF))


@functools.lru_cache(maxsize=512)
def _chars_with_lead(lead: int) -> tuple[str, ...]:
    return _decodable((lead, trail) for trail in list(range(0x40, 0x7F)) + list(range(0x80, 0xFF)))


@functools.lru_cache(maxsize=4096)
def _guess_lead(trail: int, left: str, right: str) -> Optional[str]:
    return _guess(_chars_with_trail(trail), left, right)


@functools.lru_cache(maxsize=4096)
def _guess_trail(lead: int, left: str, right: str) -> Optional[str]:
    return _guess(_chars_with_lead(lead), left, right)


def _guess(cands: tuple[str, ...], left: str, right: str) -> Optional[str]:
    """The candidate character most plausible between ``left`` and ``right``."""
    best, best_s = None, -math.inf
    for c in cands:
        s = logp(c) + _word_bonus(left, c) + _word_bonus(c, right)
        if s > best_s:
            best, best_s = c, s
    return best


@functools.lru_cache(maxsize=8192)
def _gbk_bytes(ch: str) -> Optional[bytes]:
    """The GBK bytes a run character came from: two bytes, or the full-width form of ASCII punctuation
    (a misaligned decode yields full-width A3xx forms that a later width fold turned into ASCII)."""
    o = ord(ch)
    if 0x21 <= o <= 0x7E:
        ch = chr(o + 0xFEE0)
    elif ch == " ":
        ch = "\u3000"
    try:
        b = ch.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


_ASCII_RE = re.compile(r"[\x00-\x7f]")


def _gbk_run_bytes(body: str) -> Optional[bytes]:
    """The bytes of :func:`_gbk_bytes` for each character of ``body`` joined, or None if one has none.
    Without ASCII in ``body`` that is its GB18030 encoding when every character takes two bytes."""
    if not _ASCII_RE.search(body):
        try:
            data = body.encode("gb18030")
        except UnicodeEncodeError:
            return None
        return data if len(data) == 2 * len(body) else None
    parts = []
    for ch in body:
        b = _gbk_bytes(ch)
        if b is None:
            return None
        parts.append(b)
    return b"".join(parts)


def shift_repair(run: str, left: str = "", right: str = "") -> Optional[tuple[str, int]]:
    """Re-decode ``run`` one byte off. ``run`` may start with a lost-byte marker and end with a marker
    or with the ASCII byte the decoder re-aligned on. Returns (repaired text, guessed bytes) or None."""
    if not run:
        return None
    body = run
    if body[0] in MARKERS:
        body = body[1:]
    tail_ascii = None
    if body and body[-1] in MARKERS:
        body = body[:-1]
    elif body and 0x40 <= ord(body[-1]) <= 0x7E and body[-1].isalnum():
        tail_ascii = body[-1]
        body = body[:-1]
    if not body or any(m in body for m in MARKERS):
        return None
    data = _gbk_run_bytes(body)
    if data is None:
        return None
    if tail_ascii is not None:
        data += tail_ascii.encode("ascii")
    need_tail = len(data) % 2 == 0  # lead wildcard + even bytes → one trail byte missing
    middle = data[1:-1] if need_tail else data[1:]
    try:
        mid = middle.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if len(mid) * 2 != len(middle) or _PUA_RE.search(mid):
        return None
    first_trail = data[0]
    if first_trail < 0x40 or first_trail == 0x7F:
        return None
    nxt = mid[0] if mid else right[:1]
    first = _guess_lead(first_trail, left[-1:], nxt)
    if first is None:
        return None
    out = first + mid
    guessed = 1
    if need_tail:
        last_lead = data[-1]
        if last_lead < 0x81:
            return None
        last = _guess_trail(last_lead, out[-1:], right[:1])
        if last is None:
            return None
        out += last
        guessed += 1
    return out, guessed


def utf8_repair(run: str) -> Optional[str]:
    """UTF-8 bytes that were decoded as GBK: ``鍙傝€冩秷鎭`` → ``参考消息``."""
    try:
        fixed = run.encode("gb18030").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if fixed != run else None


@dataclass
class Cluster:
    start: int
    end: int
    rare: int
    marked: bool = False   # a lost-byte marker (? or U+FFFD) right next to it


@functools.lru_cache(maxsize=1)
def _chain_re() -> "re.Pattern[str]":
    """Chains of rare characters, each less than ``cluster_gap`` characters after the previous one
    with no line break or lost-byte marker between: one regex pass instead of a step per character.
    (The greedy gap takes the farthest next rare character; those it skips are in the chain too.)"""
    rare = _tables()[2].pattern
    gap = int(config()["cluster_gap"])
    if gap < 1:
        return re.compile(rare)
    return re.compile(f"{rare}(?:[^\\n?\\ufffd]{{0,{gap - 1}}}{rare})*")


def find_clusters(text: str) -> list[Cluster]:
    """Clusters of rare characters dense enough to be mojibake."""
    cfg = config()
    rare_re = _tables()[2]
    min_rare, min_density = int(cfg["min_rare"]), float(cfg["min_density"])
    min_rare_with_marker, merge_gap = int(cfg["min_rare_with_marker"]), int(cfg["merge_gap"])
    spans = [m.span() for m in _chain_re().finditer(text)]
    # only a chain of two or more, or a private-use character, can be suspicious (see below)
    if not any(end - start > 1 or "\ue000" <= text[start] <= "\uf8ff" for start, end in spans):
        return []
    groups: list[list] = []   # [start, end, rare, marked, has a suspicious member]
    for start, end in spans:
        near = text[max(0, start - 3):start] + text[end:end + 3]
        marked = "?" in near or "\ufffd" in near   # MARKERS
        if end - start == 1:   # one rare character: Han/private use ≥ 2 needs a private-use one
            rare = 1
            pua = cjk = "\ue000" <= text[start] <= "\uf8ff"
        else:
            span = text[start:end]
            rare = len(rare_re.findall(span))
            # kana/Greek/symbols alone are foreign text, not mojibake: need Han or private-use characters
            pua = _PUA_RE.search(span) is not None    # never in text: a GB18030 user-defined code
            cjk = pua or len(_CJK_RE.findall(span)) >= 2
        dense = rare >= min_rare and rare / (end - start) >= min_density
        suspicious = cjk and (dense or (marked and (pua or rare >= min_rare_with_marker)))
        if groups:
            g = groups[-1]
            if start - g[1] <= merge_gap and not _BREAK_RE.search(text, g[1], start):
                groups[-1] = [g[0], end, g[2] + rare, g[3] or marked, g[4] or suspicious]
                continue
        groups.append([start, end, rare, marked, suspicious])
    return [Cluster(start, end, rare, marked) for start, end, rare, marked, susp in groups if susp]


def word_rate(text: str) -> float:
    """Share of adjacent character pairs that are two-character dictionary words (after t2s)."""
    chars = [_simp(c) for c in text if not c.isspace()]
    if len(chars) < 2:
        return 0.0
    words = _words()
    return sum(1 for a, b in zip(chars, chars[1:]) if a + b in words) / (len(chars) - 1)


@dataclass
class Repair:
    start: int
    end: int
    text: str
    guessed: int
    kind: str


def _grid(text: str, starts, ends, s0: int, e0: int, ls: int, le: int, kinds=("shift", "utf8")
          ) -> Optional[Repair]:
    """The best re-decoding among runs text[s:e] (s in starts, e in ends), scored on the window
    text[s0:e0] with the run replaced: mean log frequency, guessed bytes penalized."""
    penalty = float(config()["guess_penalty"])
    lp = _logp_memo()
    best: Optional[Repair] = None
    best_score = -math.inf
    after: dict[int, list] = {}   # e -> the scores of text[e:e0] (the same for every start)
    for s in starts:
        if s - 1 >= ls and text[s - 1] in MARKERS:
            continue  # a lost-byte marker just before the run belongs to it
        before = None   # the scores of text[s0:s], once a candidate needs them
        for e in ends:
            if e <= s or (e < le and text[e] in MARKERS):
                continue
            run = text[s:e]
            cands = []
            if "shift" in kinds:
                r = shift_repair(run, text[max(ls, s - 1):s], text[e:e + 1])
                if r is not None:
                    cands.append(Repair(s, e, r[0], r[1], "shift"))
            if "utf8" in kinds:
                u = utf8_repair(run)
                if u is not None:
                    cands.append(Repair(s, e, u, 0, "utf8"))
            for cand in cands:
                # the scores of window text[s0:s] + cand.text + text[e:e0], its parts' lists joined
                if before is None:
                    before = [lp[ch] for ch in text[s0:s] if not ch.isspace()]
                tail = after.get(e)
                if tail is None:
                    tail = after[e] = [lp[ch] for ch in text[e:e0] if not ch.isspace()]
                vals = before + [lp[ch] for ch in cand.text if not ch.isspace()] + tail
                if not vals:
                    continue
                score = (sum(vals) - penalty * cand.guessed) / len(vals)
                if score > best_score:
                    best, best_score = cand, score
    return best


def _best_repair(text: str, c: Cluster) -> Optional[Repair]:
    cfg = config()
    search = int(cfg["search"])
    edge = max(3, int(cfg["edge_window"]) // 3 * 3)
    ls = text.rfind("\n", 0, c.start) + 1
    le = text.find("\n", c.end)
    if le < 0:
        le = len(text)
    s0 = max(ls, c.start - search)
    e0 = min(le, c.end + search)
    if c.end - c.start <= 2 * edge + search:
        best = _grid(text, range(s0, c.start + 1), range(c.end, e0 + 1), s0, e0, ls, le)
    else:
        # a long run: its start and its end are chosen on windows around each edge (every character
        # of a shifted run is two bytes, so the alignment inside does not depend on the edges)
        left = _grid(text, range(s0, c.start + 1), [c.start + edge], s0, c.start + edge, ls, le)
        if left is None:
            return None
        rs = left.start + (c.end - edge - left.start) // 3 * 3   # same UTF-8/GBK phase as the start
        right = _grid(text, [rs], range(c.end, e0 + 1), rs, e0, rs, le, kinds=(left.kind,))
        if right is None:
            return None
        run = text[left.start:right.end]
        if left.kind == "shift":
            r = shift_repair(run, text[max(ls, left.start - 1):left.start], text[right.end:right.end + 1])
            best = Repair(left.start, right.end, r[0], r[1], "shift") if r else None
        else:
            u = utf8_repair(run)
            best = Repair(left.start, right.end, u, 0, "utf8") if u else None
    if best is None:
        return None
    if not acceptable(text[best.start:best.end], best.text, c.marked):
        return None
    return best


def acceptable(run: str, repaired: str, marked: bool) -> bool:
    """Whether a re-decoding is clearly more plausible Chinese than the run: always a gain in mean
    log character frequency and a plausible repaired run; then, by the evidence that the run is
    mojibake at all: a private-use character (never in real text) needs nothing more; a run next to
    a lost-byte marker must be 5+ characters and its repair rich in dictionary words (and, below 8
    characters, in frequent characters); otherwise the run must be long too, since a shifted decode of real rare words (an
    idiom, a name) can look plausible by chance (thresholds calibrated on corrupted real spans vs.
    jionlp's idiom list next to question marks: scripts/eval_mojibake.py)."""
    cfg = config()
    new = mean_logp(repaired)
    if new - mean_logp(run) < float(cfg["min_gain"]) or new < float(cfg["min_repaired_mean"]):
        return False
    if _PUA_RE.search(run):
        return True
    rate = word_rate(repaired)
    if rate <= word_rate(run):
        return False
    if marked:
        return (len(run) >= int(cfg["min_run_marked"]) and rate >= float(cfg["min_word_rate"])
                and (new >= float(cfg["min_repaired_mean_marked"]) or len(run) >= int(cfg["min_run_unmarked"])))
    return len(run) >= int(cfg["min_run_unmarked"]) and rate >= float(cfg["min_word_rate"])


def repair(text: str) -> tuple[str, dict[str, int], list[str]]:
    """Repair mojibake runs in ``text``. Returns (text, repair counts, issue messages)."""
    counts: dict[str, int] = {}
    issues: list[str] = []
    if not text:
        return text, counts, issues
    try:
        clusters = find_clusters(text)
    except Exception as exc:  # pragma: no cover - defensive
        return text, counts, [f"mojibake scan failed: {type(exc).__name__}"]
    if not clusters:
        return text, counts, issues
    cfg = config()
    max_clusters = int(cfg.get("max_clusters", 50))
    max_run = int(cfg["max_run"])
    out = []
    pos = 0
    skipped = 0
    for i, c in enumerate(clusters):
        if c.start < pos:
            continue
        snippet = text[c.start:c.end][:20]
        if i >= max_clusters or c.end - c.start > max_run:
            skipped += 1
            if skipped == 1:
                issues.append(f"suspicious character run at {c.start} not examined (over the limit of "
                              f"{max_clusters} runs of at most {max_run} characters): {snippet!r}")
            continue
        r = _best_repair(text, c)
        if r is None or r.start < pos:
            # rare characters that form dictionary words (an idiom, a name) are text, not mojibake
            if c.marked or word_rate(text[c.start:c.end]) < float(cfg["flag_below_word_rate"]):
                issues.append(f"suspicious character run at {c.start} left unrepaired (no plausible "
                              f"re-decoding): {snippet!r}")
            continue
        out.append(text[pos:r.start])
        out.append(r.text)
        pos = r.end
        counts["mojibake"] = counts.get("mojibake", 0) + 1
        if r.guessed:
            counts["mojibake_guessed_bytes"] = counts.get("mojibake_guessed_bytes", 0) + r.guessed
            issues.append(f"mojibake run {text[r.start:r.end][:20]!r} re-decoded as {r.text[:20]!r}; "
                          f"{r.guessed} lost byte(s) at its ends guessed")
    out.append(text[pos:])
    if skipped > 1:
        issues.append(f"{skipped - 1} more suspicious character runs not examined")
    return "".join(out), counts, issues


# ---------------------------------------------------------------- bytes read as Latin-1 / cp1252

@functools.lru_cache(maxsize=1)
def _latin_tables() -> tuple[dict[str, int], "re.Pattern[str]"]:
    """(character → the byte it came from when read as cp1252 or Latin-1, regex of runs of them)."""
    back: dict[str, int] = {}
    for b in range(0x80, 0x100):
        back[chr(b)] = b                       # Latin-1 (C1 controls included)
        try:
            back[bytes((b,)).decode("cp1252")] = b
        except UnicodeDecodeError:
            pass
    cls = char_class(sorted(ord(c) for c in back) + [0xFFFD])
    return back, re.compile(cls + "{4,}")


# every byte but those of the Latin-1 letters À–ÿ (U+00C0–U+00FF without × and ÷)
_NOT_LATIN_LETTER = bytes(b for b in range(256) if not (0xC0 <= b <= 0xFF and chr(b).isalpha()))
# the bytes cp1252 leaves undefined: a decode with errors="replace" turned them into U+FFFD
_CP1252_HOLES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)


def _utf8_with_holes(data: list) -> Optional[str]:
    """Decode UTF-8 where ``None`` stands for one of the bytes cp1252 leaves undefined (always a
    continuation byte); where several completions are valid, the one that is most frequent and
    forms dictionary words with its neighbours wins."""
    slots: list[list[str]] = []
    i = 0
    while i < len(data):
        b = data[i]
        if b is None:
            return None
        n = 1 if b < 0x80 else 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        if n == 0 or i + n > len(data):
            return None
        group = data[i:i + n]
        holes = [k for k, x in enumerate(group) if x is None]
        cands = []
        for fill in itertools.product(_CP1252_HOLES, repeat=len(holes)):
            g = list(group)
            for k, v in zip(holes, fill):
                g[k] = v
            try:
                cands.append(bytes(g).decode("utf-8"))
            except UnicodeDecodeError:
                continue
        if not cands:
            return None
        slots.append(sorted(cands, key=logp, reverse=True))
        i += n
    out = [c[0] for c in slots]
    for k, cands in enumerate(slots):
        if len(cands) > 1:
            left = out[k - 1] if k else ""
            right = out[k + 1] if k + 1 < len(out) else ""
            out[k] = max(cands, key=lambda c: logp(c) + _word_bonus(left, c) + _word_bonus(c, right))
    return "".join(out)


def latin_repair(run: str) -> Optional[str]:
    """UTF-8 or GBK bytes that were read as cp1252/Latin-1: ``ä¸­å¤®çºªå§”`` / ``ÖÐÑë¼ÍÎ¯`` → ``中央纪委``;
    U+FFFD in the run is a byte cp1252 does not define, restored from the UTF-8 structure."""
    back = _latin_tables()[0]
    if "\ufffd" in run:
        try:
            fixed = _utf8_with_holes([None if c == "\ufffd" else back[c] for c in run])
        except KeyError:
            return None
        if fixed and len(_HAN_RE.findall(fixed)) >= 2:
            return fixed
        return None
    try:
        data = bytes(back[c] for c in run)
    except KeyError:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            fixed = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if len(_HAN_RE.findall(fixed)) >= 2 and not any(_is_pua(c) for c in fixed):
            return fixed
    return None


def repair_latin(text: str) -> tuple[str, int, list[str]]:
    """Re-decode runs of at least four Latin-1/cp1252 characters that are the UTF-8 or GBK bytes of
    Chinese text. A run is replaced only when it decodes strictly, gives Han characters and reads as
    plausible Chinese (pinyin, names and European words never decode that way)."""
    if not text or text.isascii():
        return text, 0, []
    # a run needs a Latin-1 letter À–ÿ (checked below): none in the text, nothing to do (two C passes)
    if not text.encode("latin-1", "ignore").translate(None, _NOT_LATIN_LETTER):
        return text, 0, []
    back, run_re = _latin_tables()
    cfg = config()
    out, pos, n, issues = [], 0, 0, []
    for m in run_re.finditer(text):
        run = m.group()
        if not any("\u00c0" <= c <= "\u00ff" and c.isalpha() for c in run):
            continue  # only symbols and punctuation (×××”, “”…) — not mojibake
        fixed = latin_repair(run)
        # a strict decode into Han characters is strong evidence already (four or more accented
        # letters in a row are not European text); a decode into rare junk means it was not mojibake
        if fixed is None or mean_logp(fixed) < float(cfg["latin_min_mean"]):
            continue
        out.append(text[pos:m.start()])
        out.append(fixed)
        pos = m.end()
        n += 1
    if not n:
        return text, 0, issues
    out.append(text[pos:])
    return "".join(out), n, issues



def warm() -> None:
    """Build the lazily loaded tables (character frequencies, rare/Latin-1 classes, word pairs)."""
    _tables()
    _chain_re()
    _latin_tables()
    _words()
