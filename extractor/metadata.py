"""Stage 'metadata': headline, publication time, outlet, bylines; the body cut from page boilerplate.

Reads ``article.normalized`` (the whole normalized input) line by line:

    [navigation / site name]        → dropped
    headline (+ series line)        → ``title``
    date line (time, 来源, 作者)     → ``published_at``, ``outlet``, ``authors``; kept in ``text``
    body                            → ``text``
    footer (责任编辑, 版权, 相关新闻) → ``editors``; dropped

The word lists live in ``patterns/metadata.yaml``.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Optional

import regex

from .article import CST, Article
from .resources import load_yaml

# 2018-02-12 11:12:46 · 20-10-09 15:55 · 2020年1月19日 07:37 · 2020/01/19 · 2020.1.19
_DT = regex.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2}|\d{2})\s*(?P<s1>[-/.年])\s*(?P<m>\d{1,2})\s*(?:(?P=s1)|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?"
)
# what every _DT match holds (the year's last two digits, then its separator): lines without it are
# skipped by a cheap scan before the full pattern
_DT_SEPARATORS = "-/.年"
_DT_CUE = regex.compile(r"\d\d\s*[" + regex.escape(_DT_SEPARATORS) + "]")


def _dt_search(s: str):
    """``_DT.search(s)``, the full pattern only on a string that holds :data:`_DT_CUE`, and the cue
    only on one that holds a separator it needs (a C substring test each: most lines hold none)."""
    for sep in _DT_SEPARATORS:
        if sep in s:
            return _DT.search(s) if _DT_CUE.search(s) else None
    return None


_URL = re.compile(r"https?://\S+|www\.[\w.-]+\.\w+\S*")
_URL_DATE = re.compile(r"(?:^|[/_])t?(20\d{2})(\d{2})(\d{2})_\d")
_NAME = r"[\u4e00-\u9fff·]{2,4}"
_NAME_RE = re.compile(_NAME)
_SPACES2 = re.compile(r"\s{2,}")
_SPACES = re.compile(r"\s+")
_DASHES_TAIL = re.compile(r"—{3,}.*$")
_HAN4 = re.compile(r"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){4}")   # four or more CJK ideographs
_NAME_SPLIT = re.compile(r"[\s,，、;；/]+")
_REPORTER = re.compile(rf"记者\s*((?:{_NAME}\s*){{1,3}})")
_TRAILING_NAMES = re.compile(r"[(（]((?:[\u4e00-\u9fff]{2,3}\s?){1,3})[)）]\s*$")
_TRAILING_NAMES_SPAN = 14   # the longest match before its trailing spaces: ( + 3 × (3 ideographs + a space) + )


def _trailing_names(line: str):
    """``_TRAILING_NAMES.search(line)``, tried only when the line ends with a closing parenthesis
    (spaces aside) and only over its last characters: a match ends there and is that short."""
    end = len(line.rstrip())
    if not end or line[end - 1] not in ")）":
        return None
    return _TRAILING_NAMES.search(line, max(0, end - _TRAILING_NAMES_SPAN))


@functools.lru_cache(maxsize=1)
def _cfg() -> dict:
    return load_yaml("metadata.yaml")


@functools.lru_cache(maxsize=8)
def _site_name(suffixes: tuple[str, ...]) -> "re.Pattern[str]":
    """A site-name line: 2–8 Chinese characters ending in one of ``suffixes`` (title.site_name_suffixes)."""
    alts = "|".join(map(re.escape, suffixes)) or "(?!)"
    return re.compile(rf"[\u4e00-\u9fff]{{2,8}}(?:{alts})")


def parse_datetime(s: str) -> Optional[_dt.datetime]:
    """The first date(-time) in ``s`` as an aware +08:00 datetime, or None."""
    if not s:
        return None
    s = s.strip()
    try:
        d = _dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        return d.astimezone(CST) if d.tzinfo else d.replace(tzinfo=CST)
    except ValueError:
        pass
    m = _dt_search(s)
    return _dt_from_match(m) if m else None


def _dt_from_match(m) -> Optional[_dt.datetime]:
    y = int(m["y"])
    if len(m["y"]) == 2:
        y += 2000
    try:
        return _dt.datetime(y, int(m["m"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0),
                            tzinfo=CST)
    except ValueError:
        return None


def _strip_noise(line: str) -> str:
    for tok in _cfg()["byline"]["noise"]:
        line = line.replace(tok, " ")
    return _SPACES2.sub("  ", line).strip()


def clean_title(t: str) -> str:
    """Headline without column prefix (深度关注丨), bracket tag (【…】), site suffix or subtitle."""
    cfg = _cfg()["title"]
    t = _SPACES.sub(" ", t).strip()
    for sep in cfg["site_suffix_separators"][:1]:  # ——头条——中央纪委国家监委网站 in <title>
        t = _DASHES_TAIL.sub("", t)
    o, c = cfg["bracket_prefix"]
    if t.startswith(o) and c in t[:30]:
        t = t[t.index(c) + 1:].strip()
    for sep in cfg["column_separators"]:
        i = t.find(sep)
        if 0 < i <= cfg["column_prefix_max_chars"] + 1:
            t = t[i + len(sep):].strip()
            break
    for sep in cfg["subtitle_separators"]:
        i = t.find(sep)
        if i >= 4:
            t = t[:i].strip()
            break
    return t


def _is_headline(line: str) -> bool:
    cfg = _cfg()
    if not (4 <= len(line) <= 90):
        return False
    if line.startswith(tuple(cfg["header_noise_prefixes"])):
        return False
    if line in cfg["title"]["not_title"] or _URL.fullmatch(line):
        return False
    if _site_name(tuple(cfg["title"].get("site_name_suffixes") or ())).fullmatch(line):  # a site name line
        return False
    if line.endswith(("。", ":", "：")) or _dt_search(line):
        return False
    return _HAN4.match(line) is not None


def _names(s: str, stop: tuple[str, ...]) -> list[str]:
    """Person names in a byline fragment, up to the first stop cue (通讯员, 摄 …)."""
    for cue in stop:
        i = s.find(cue)
        if i >= 0:
            s = s[:i]
    out = []
    for tok in _NAME_SPLIT.split(s):
        tok = tok.strip("()（）[]【】:：")
        if _NAME_RE.fullmatch(tok):
            out.append(tok)
    return out


@functools.lru_cache(maxsize=64)
def _label_res(labels: tuple[str, ...]) -> tuple[tuple[str, "re.Pattern[str]"], ...]:
    """(label, regex of ``label: value``) for each label, compiled once."""
    return tuple((lab, re.compile(rf"(?:^|[\s【\[(]){re.escape(lab)}\s*[:：]\s*([^\s【】\[\]]+(?:\s[^\s:：【】\[\]]+)*)"))
                 for lab in labels)


def _labeled(line: str, labels) -> Optional[str]:
    """The value after ``label:`` on a line (up to the next double space or label); ``labels`` a list
    of labels or their :func:`_label_res`."""
    if labels and isinstance(labels[0], str):
        labels = _label_res(tuple(labels))
    for lab, rx in labels:
        if lab not in line:   # the regex needs the label itself
            continue
        m = rx.search(line)
        if m:
            return m.group(1).strip()
    return None


@functools.lru_cache(maxsize=8)
def _footer_re(starts: tuple[str, ...]):
    """``match`` of a line that starts with one of ``starts``, also after its opening brackets 【[(
    (``line.startswith(starts) or line.lstrip("【[(").startswith(starts)``, in one regex)."""
    alts = "|".join(map(re.escape, starts))
    return re.compile(f"(?:{alts})|[【\\[(]*+(?:{alts})").match if starts else (lambda line: None)


@functools.lru_cache(maxsize=64)
def _editor_res(labels: tuple[str, ...]) -> tuple[tuple[Optional[str], "re.Pattern[str]"], ...]:
    """(the label when it is plain text, else None; regex of ``label: names``) for each label (a label
    is a regex here)."""
    return tuple((lab if re.escape(lab) == lab else None, re.compile(rf"{lab}\s*[:：]\s*((?:{_NAME}\s*)+)"))
                 for lab in labels)


def stage(article: Article) -> None:
    cfg = _cfg()
    by = cfg["byline"]
    f = article.fields
    lines = [ln.strip() for ln in article.normalized.split("\n")]

    # --- the date line: the first line in the head holding a full date (and, usually, 来源/time)
    date_idx, date_m = None, None
    for i, ln in enumerate(lines[:40]):
        m = _dt_search(ln)
        if m and (m["H"] or any(lab in ln for lab in by["outlet_labels"]) or len(ln) < 60):
            date_idx, date_m = i, m
            break

    # --- headline: first headline-like line before the date line (or in the first lines)
    title_idx = None
    head_end = date_idx if date_idx is not None else min(len(lines), 15)
    for i in range(head_end):
        if _is_headline(lines[i]):
            title_idx = i
            break
    title = f.get("title")
    if title:
        title = clean_title(str(title))
    elif title_idx is not None:
        title = clean_title(lines[title_idx])
    article.title = title or None

    # --- body start: the date line (kept), else the line after the headline
    if date_idx is not None:
        start = date_idx
    elif title_idx is not None and (not f.get("title") or clean_title(lines[title_idx]) == article.title):
        start = title_idx + 1
    else:
        start = 0

    # --- body end: the first footer line
    end = len(lines)
    footer = _footer_re(tuple(cfg["footer_starts"]))
    for i in range(start + 1, len(lines)):
        if footer(lines[i]):
            end = i
            break

    # a URL line starts with http or www.: without them in the text no line needs the URL test
    may_have_url = "http" in article.normalized or "www." in article.normalized
    body: list[str] = []
    if may_have_url:
        for i in range(start, end):
            ln = lines[i]
            if i == date_idx:
                ln = _strip_noise(_URL.sub(" ", ln))
            elif _URL.fullmatch(ln):
                article.url = article.url or ln
                continue
            if ln:
                body.append(ln)
    else:
        body = lines[start:end]
        if date_idx is not None and start < end:   # the date line is lines[start]
            body[0] = _strip_noise(body[0])   # (no URL to blank out in it)
        body = [ln for ln in body if ln]
    article.text = "\n".join(body)

    # --- published_at: given > visible date line > page meta > URL date
    when = f.get("published_at_given")
    if when is None and date_m is not None:
        when = _dt_from_match(date_m)
    if when is None and f.get("page_date_raw"):
        when = parse_datetime(f["page_date_raw"])
    if when is None and _URL_DATE.search(article.source.rsplit("/", 1)[-1]):
        m = _URL_DATE.search(article.source.rsplit("/", 1)[-1])
        when = parse_datetime(f"{m[1]}-{m[2]}-{m[3]}")
    if when is None and f.get("url_date_raw"):
        when = parse_datetime(f["url_date_raw"])
    url = f.get("url") or article.url
    for ln in lines[:10] if may_have_url else ():
        if url is None and _URL.fullmatch(ln):
            url = ln
    if when is None:
        m = _URL_DATE.search(url or "") or _URL_DATE.search(article.source.rsplit("/", 1)[-1])
        if m:
            try:
                when = _dt.datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=CST)
            except ValueError:
                when = None
    article.published_at = when
    article.url = url

    # --- outlet: 来源 on the date line / head, else the site byline that opens the body
    outlet = f.get("outlet")
    head_lines = lines[: (date_idx or 0) + 3]
    if not outlet:
        outlet_labels = _label_res(tuple(by["outlet_labels"]))
        for ln in head_lines + lines[start:start + 3]:
            v = _labeled(ln, outlet_labels)
            if v:
                outlet = v.split()[0]
                break
    first_body = lines[start + 1] if date_idx is not None and start + 1 < len(lines) else (lines[start] if start < len(lines) else "")
    for ln in lines[start:start + 4]:
        for site in by["site_bylines"]:
            if ln.startswith(site):
                outlet = outlet or site
                first_body = ln
                break
    article.outlet = outlet

    # --- authors: 作者:/记者 on the head lines, names after a site byline, a trailing (名字 名字)
    authors: list[str] = []
    stop = tuple(by["not_author_cues"])
    if f.get("authors"):
        authors = list(f["authors"])
    author_labels = _label_res(tuple(by["author_labels"]))
    for ln in head_lines + lines[start:start + 3]:
        v = _labeled(ln, author_labels)
        if v:
            authors += _names(v, stop)
            break
    if not authors:
        for site in by["site_bylines"]:
            if first_body.startswith(site) and not first_body.startswith(site + "讯"):
                rest = first_body[len(site):].split()
                for tok in rest[:4]:
                    if tok in stop:
                        break
                    if _NAME_RE.fullmatch(tok) and len(tok) <= 3:
                        authors.append(tok)
                    else:
                        break
    if not authors:
        for ln in lines[start:start + 4]:
            m = _REPORTER.search(ln[:60])
            if m and not ln.startswith(("记者:", "记者：")):
                authors += _names(m.group(1), stop)
                break
    if not authors and body:
        m = _trailing_names(body[-1])
        if m:
            authors = _names(m.group(1), stop)
    article.authors = list(dict.fromkeys(authors))

    # --- editors: 责任编辑 / 初审编辑 anywhere after the body
    editors: list[str] = list(f.get("editors") or [])
    keep = _editor_res(tuple(by["editor_keep"]))
    for ln in lines[end:]:
        for literal, rx in keep:
            if literal is not None and literal not in ln:   # the regex needs the label itself
                continue
            m = rx.search(ln)
            if m:
                editors += _names(m.group(1), stop)
    article.editors = list(dict.fromkeys(editors))
