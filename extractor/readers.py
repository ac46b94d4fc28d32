"""Readers: files on disk → :class:`~extractor.article.Article` objects.

- ``.txt`` (and any unknown extension named explicitly): a page dump, decoded;
- ``.html``/``.htm``: main text and metadata from the page (lxml, no network,
  no entity expansion);
- ``.jsonl``/``.json``: one article per line, common field names mapped.

Every input yields at least one Article; an input that cannot be read yields an
Article with an issue (``stage="read"``) and no text, so the batch goes on and
nothing is silently dropped.
"""
from __future__ import annotations

import codecs
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .article import Article
from .pipeline import content_id
from .resources import load_yaml

ARTICLE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
                    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
MAX_FILE_BYTES = 64 * 1024 * 1024   # larger files are read up to this size, with an issue (budget.max_file_bytes)
MAX_HTML_CHARS = 8_000_000          # longer pages are parsed up to this size, with an issue (budget.max_html_chars)


def _budget(key: str, default: int) -> int:
    """``EXTRACTOR_<KEY>``, else ``budget.<key>`` of patterns/pipeline.yaml, else ``default``."""
    try:
        env = os.environ.get(f"EXTRACTOR_{key.upper()}")
        if env:
            return int(env)
        return int(((load_yaml("pipeline.yaml") or {}).get("budget") or {}).get(key) or default)
    except Exception:  # pragma: no cover - a broken config must not stop reading
        return default


def max_file_bytes() -> int:
    """Bytes read of one file at most (``budget.max_file_bytes``, default :data:`MAX_FILE_BYTES`)."""
    return _budget("max_file_bytes", MAX_FILE_BYTES)


def max_html_chars() -> int:
    """Characters of one HTML page parsed at most (``budget.max_html_chars``): lxml and the
    main-text search cost ~0.3 s per MB, outside the per-article time budget."""
    return _budget("max_html_chars", MAX_HTML_CHARS)


@dataclass
class Decoded:
    text: str
    encoding: str
    issues: list[str]


# ---------------------------------------------------------------- decoding
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]


_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF", b"BZh",
          b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"MZ\x90\x00", b"\x00\x00\x01\x00", b"RIFF", b"OggS", b"fLaC",
          b"ID3", b"\xd0\xcf\x11\xe0", b"SQLite format 3")


_CTRL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b < 32)


def looks_binary(data: bytes) -> bool:
    """A known binary signature, NUL bytes (more than one per KB), or many C0 control bytes in the
    first 8 KB (UTF-16/32 text is caught by its BOM first). A stray NUL in a text stays text."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith(_MAGIC):
        return True
    if head.count(0) > max(1, len(head) // 1000):
        return True
    ctrl = len(head) - len(head.translate(None, _CTRL_BYTES))
    return ctrl > 0.05 * len(head)


def _bomless_utf16(data: bytes) -> Optional[str]:
    """``utf-16-le``/``-be`` for text saved as UTF-16 without a BOM (NUL bytes on one side of
    nearly every pair, e.g. Windows "Unicode" .txt with ASCII and CJK), else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    head = data[:8192]
    head = head[: len(head) // 2 * 2]
    if len(head) < 8 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.3 * len(zeros) and other.count(0) <= 0.01 * len(other):
            try:
                text = data[: len(data) // 2 * 2].decode(enc)
            except UnicodeDecodeError:
                continue
            if _cjk_share(text) + sum(1 for ch in text[:4000] if ch.isascii() and ch.isprintable() or ch in "\r\n\t") \
                    / max(1, min(len(text), 4000)) > 0.9:
                return enc
    return None


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    n = sum(1 for ch in text[:4000] if "\u4e00" <= ch <= "\u9fff")
    return n / min(len(text), 4000)


def _implausible(text: str) -> float:
    """Share of characters that a wrong legacy decoding produces: private use, kana, compatibility forms."""
    sample = text[:20000]
    bad = sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff" or "\u3040" <= ch <= "\u30ff"
              or "\ufe30" <= ch <= "\ufe4f" or "\uff61" <= ch <= "\uffef" or ch == "\ufffd"
              or "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch)
    return bad / max(1, len(sample))


def _legacy_line(line: bytes, declared: Optional[str]) -> Optional[tuple[str, str]]:
    """(text, encoding) of a non-UTF-8 line in the most plausible Chinese legacy encoding, or None."""
    best = None
    for enc in dict.fromkeys(c for c in (declared, "gb18030", "big5hkscs") if c and c != "utf-8"):
        try:
            text = line.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        cand = (_implausible(text), enc != declared, enc, text)
        best = cand if best is None or cand < best else best
    if best is None or best[0] > 0.2:
        return None
    return best[3], ("big5" if best[2] == "big5hkscs" else best[2])


def _mostly_utf8(line: bytes) -> bool:
    """A UTF-8 line with a few damaged bytes (its valid multi-byte characters outnumber the bad runs)."""
    loose = line.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    good = sum(1 for ch in loose if ch > "\x7f") - bad
    return good > 0 and good >= 2 * bad


def _decode_lines(data: bytes, declared: Optional[str]) -> Optional[Decoded]:
    """Line-by-line decoding of a file that is UTF-8 in places: damaged UTF-8 (a few invalid bytes,
    replaced) or mixed encodings (lines in GBK/Big5 among UTF-8 ones). None when no line is
    non-ASCII valid UTF-8, i.e. the file is a legacy-encoded one. Newline bytes never occur inside
    a UTF-8, GBK or Big5 multi-byte character, so splitting at them is safe."""
    lines = data.split(b"\n")
    kinds = []  # per line: "ascii", "utf8", "damaged" (mostly UTF-8) or "other"
    for ln in lines:
        if ln.isascii():
            kinds.append("ascii")
            continue
        try:
            ln.decode("utf-8")
            kinds.append("utf8")
        except UnicodeDecodeError:
            kinds.append("damaged" if _mostly_utf8(ln) else "other")
    utf8_lines = kinds.count("utf8") + kinds.count("damaged")
    if utf8_lines == 0:
        return None
    out: list[str] = []
    replaced = 0
    legacy: dict[str, int] = {}
    for ln, kind in zip(lines, kinds):
        if kind in ("ascii", "utf8"):
            out.append(ln.decode("utf-8"))
            continue
        alt = None if kind == "damaged" else _legacy_line(ln, declared)
        if alt is None:
            text = ln.decode("utf-8", errors="replace")
            replaced += text.count("\ufffd")
        else:
            text, enc = alt
            legacy[enc] = legacy.get(enc, 0) + 1
        out.append(text)
    issues = []
    enc = "utf-8"
    if legacy:
        enc = "+".join(["utf-8", *sorted(legacy)])
        issues.append("mixed encodings: " + ", ".join(f"{n} line(s) decoded as {e.upper()}" for e, n in sorted(legacy.items()))
                      + f" among {utf8_lines} UTF-8 line(s)")
    if replaced:
        issues.append(f"invalid UTF-8: {replaced} bad byte sequence(s) replaced by U+FFFD")
    return Decoded("\n".join(out), enc, issues)


def decode_bytes(data: bytes, declared: Optional[str] = None) -> Decoded:
    """Decode scraped bytes: BOM, strict UTF-8, line-wise UTF-8 (damaged or mixed with GBK/Big5
    lines), a declared charset, GB18030, Big5, then a detector. Never raises.

    UTF-8 with a few invalid sequences (a damaged page) stays UTF-8, the bad bytes are
    replaced and counted in an issue: re-decoding the whole file as GBK would garble it.
    """
    if declared:
        try:
            declared = codecs.lookup(declared).name
        except LookupError:
            declared = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(enc, errors="replace"), enc, [])
    try:
        return Decoded(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError:
        pass
    lined = _decode_lines(data, declared)
    if lined is not None:
        return lined
    decoded = []
    for enc in dict.fromkeys(c for c in (declared, "gb18030", "big5hkscs") if c):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _cjk_share(text) > 0.05 or enc == declared:
            decoded.append((_implausible(text), enc != declared, enc, text))
    if decoded:
        _, _, enc, text = min(decoded)
        return Decoded(text, "big5" if enc == "big5hkscs" else enc, [])
    # a damaged legacy file: the Chinese encoding with the fewest bad sequences, if few
    loose_best = None
    for enc in ("gb18030", "big5hkscs"):
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if _cjk_share(text) > 0.05 and bad <= max(8, len(text) // 100) and (loose_best is None or bad < loose_best[0]):
            loose_best = (bad, enc, text)
    if loose_best is not None:
        bad, enc, text = loose_best
        name = "big5" if enc == "big5hkscs" else enc
        return Decoded(text, name, [f"invalid {name.upper()}: {bad} bad byte sequence(s) replaced by U+FFFD"])
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # pragma: no cover - detector failure is not fatal
        best = None
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding, errors="replace")
            return Decoded(text, best.encoding, [f"encoding guessed as {best.encoding}"])
        except LookupError:  # pragma: no cover
            pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    return Decoded(loose, "utf-8", [f"undetectable encoding; {bad} undecodable sequence(s) replaced"])


# ---------------------------------------------------------------- walking
def iter_files(paths: Iterable[os.PathLike | str]) -> Iterator[tuple[Path, bool]]:
    """Yield (file, explicit) for each path; folders are walked recursively in sorted order.

    ``explicit`` is True for a file named on the command line (read whatever its
    extension), False for one found in a folder (read only article extensions).
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name, False
        else:
            yield p, True


def is_article_file(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES


def _failed(source: str, data, message: str) -> Article:
    art = Article(source=source, content_hash=content_id(data or source))
    art.issue("read", message)
    return art


def read_path(path: Path) -> Iterator[Article]:
    """All articles in one file (one for .txt/.html, one per line for .jsonl). Never raises."""
    src = str(path)
    limit = max_file_bytes()
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        yield _failed(src, None, f"cannot read file: {exc.strerror or exc}")
        return
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower(), "text")
    yield from read_bytes(data, src, kind=kind, size=size, limit=limit)


def read_bytes(data: bytes, source: str, kind: str = "text", size: Optional[int] = None,
               limit: Optional[int] = None) -> Iterator[Article]:
    """The articles in ``data``; every failure becomes an Article with a ``read`` issue, never an exception."""
    n_out = 0
    try:
        for art in _read_bytes(data, source, kind, size, limit):
            n_out += 1
            yield art
    except Exception as exc:  # a reader bug must not stop the batch nor drop the input silently
        where = f" after {n_out} article(s)" if n_out else ""
        yield _failed(source if not n_out else f"{source}#rest", data,
                      f"reader failed{where}: {type(exc).__name__}: {exc}"[:500])


def _cut_at_line(data: bytes) -> bytes:
    """Drop a partial last line (or UTF-8 character) left by cutting ``data`` at a byte limit."""
    nl = data.rfind(b"\n", max(0, len(data) - 65536))
    if nl > 0:
        return data[: nl + 1]
    i, k = len(data) - 1, 0
    while i >= 0 and k < 3 and 0x80 <= data[i] < 0xC0:  # continuation bytes of a cut character
        i, k = i - 1, k + 1
    if i >= 0 and data[i] >= 0xC0:  # its lead byte
        return data[:i]
    return data


def _read_bytes(data: bytes, source: str, kind: str, size: Optional[int], limit: Optional[int]) -> Iterator[Article]:
    size = len(data) if size is None else size
    limit = max_file_bytes() if limit is None else limit
    pre: list[str] = []
    if len(data) > limit:
        data = _cut_at_line(data[:limit])
        pre.append(f"file has {size} bytes, over the budget of {limit}: only the first {len(data)} were read")
    if not data or data.isspace():   # (not data.strip(), without copying the input)
        art = Article(source=source, content_hash=content_id(data or source.encode()))
        art.issue("read", "empty input: no text to extract" if not data else "empty input: only whitespace, no text to extract")
        yield art
        return
    utf16 = _bomless_utf16(data)
    if utf16:
        data = (codecs.BOM_UTF16_LE if utf16 == "utf-16-le" else codecs.BOM_UTF16_BE) + data
        pre.append(f"UTF-16 without a byte-order mark: read as {utf16.upper()}")
    if looks_binary(data) and not any(data.startswith(b) for b, _ in _BOMS):
        art = Article(source=source, content_hash=content_id(data))
        art.issue("read", f"binary input ({len(data)} bytes with NUL/control bytes or a binary signature): "
                          f"not a text article")
        yield art
        return
    if kind == "jsonl":
        yield from _read_jsonl(data, source, pre)
        return
    declared = _declared_charset(data) if kind == "html" else None
    dec = decode_bytes(data, declared)
    if kind == "html":
        page, limit_html = dec.text, max_html_chars()
        if len(page) > limit_html:
            cut = page.rfind("<", 0, limit_html)
            page = page[: cut if cut > limit_html // 2 else limit_html]
            pre.append(f"HTML page has {len(dec.text)} characters, over the budget of {limit_html}: "
                       f"only the first {len(page)} were parsed")
        from .html import utf8_without_controls

        # a UTF-8 page is checked for control characters on its bytes (cheaper than on the text)
        no_controls = dec.encoding == "utf-8" and utf8_without_controls(data)
        # the bytes of a page decoded strictly as UTF-8 (no BOM, nothing replaced, not cut) for lxml
        utf8 = data if (dec.encoding == "utf-8" and not dec.issues and page is dec.text
                        and not data.startswith(codecs.BOM_UTF8)) else None
        art = html_article(page, source, content_id(data), no_controls=no_controls, utf8=utf8)
    else:
        art = Article(source=source, raw=dec.text, content_hash=content_id(data))
        if not dec.text or dec.text.isspace():  # e.g. only ideographic spaces, which bytes.strip() keeps
            pre.append("empty input: only whitespace, no text to extract")
    art.fields.setdefault("encoding", dec.encoding)
    for msg in pre + dec.issues:
        art.issue("read", msg)
    yield art


# ---------------------------------------------------------------- JSON Lines
FIELD_MAP = {
    "title": ("title", "headline", "标题", "name"),
    "date": ("published_at", "date", "pubdate", "pub_date", "publish_time", "publish_date", "time",
             "datetime", "published", "发布时间", "日期"),
    "source": ("source", "outlet", "来源", "media", "site", "site_name"),
    "url": ("url", "link", "href", "article_url"),
    "body": ("body", "content", "text", "article", "正文", "contents", "main_text"),
    "author": ("author", "authors", "作者", "byline"),
    "editor": ("editor", "editors", "责任编辑"),
}


def _pick(obj: dict, names: tuple[str, ...]):
    lower = {str(k).lower(): v for k, v in obj.items()}
    for n in names:
        v = lower.get(n.lower())
        if v not in (None, "", []):
            return v
    return None


def jsonl_article(obj: dict, source: str, line_hash: str) -> Article:
    body = _pick(obj, FIELD_MAP["body"])
    if isinstance(body, list):
        body = "\n".join(str(x) for x in body)
    fields = {}
    for key, out in (("title", "title"), ("date", "page_date_raw"), ("source", "outlet"), ("url", "url")):
        v = _pick(obj, FIELD_MAP[key])
        if v is not None:
            fields[out] = str(v)
    for key, out in (("author", "authors"), ("editor", "editors")):
        v = _pick(obj, FIELD_MAP[key])
        if v is not None:
            fields[out] = [str(x) for x in v] if isinstance(v, list) else [s for s in str(v).replace("，", " ").replace(",", " ").split() if s]
    if fields.get("url"):
        source = f"{source}#{fields['url']}"
    art = Article(source=source, raw="" if body is None else str(body), fields=fields, content_hash=line_hash)
    if body is None:
        art.issue("read", f"JSON object has no body-like field (keys: {sorted(map(str, obj))[:12]})")
    return art


def jsonl_line_article(line: str, source: str, lineno: int) -> Optional[Article]:
    """The article of one JSON Lines line (``source:lineno``), an Article with an issue for a bad
    line, None for a blank one. Never raises (deep nesting, huge numbers, odd types included)."""
    if not line.strip():
        return None
    src = f"{source}:{lineno}"
    h = content_id(line)
    try:
        obj = json.loads(line)
    except ValueError as exc:
        msg = getattr(exc, "msg", str(exc))
        col = getattr(exc, "colno", None)
        where = f" at column {col}" if col else ""
        art = Article(source=src, content_hash=h)
        art.issue("read", f"line {lineno}: not valid JSON ({msg}{where}); truncated line?"[:500])
        return art
    except RecursionError:
        art = Article(source=src, content_hash=h)
        art.issue("read", f"line {lineno}: JSON nested too deeply to read")
        return art
    if not isinstance(obj, dict):
        art = Article(source=src, content_hash=h)
        art.issue("read", f"line {lineno}: a JSON {type(obj).__name__}, not an object")
        return art
    try:
        return jsonl_article(obj, src, h)
    except Exception as exc:  # e.g. a value whose str() fails
        art = Article(source=src, content_hash=h)
        art.issue("read", f"line {lineno}: JSON object not usable as an article ({type(exc).__name__}: {exc})"[:500])
        return art


def jsonl_lines(text: str, source: str, first_line: int = 1, issues: Iterable[str] = ()) -> Iterator[Article]:
    """Articles of decoded JSON Lines text, lines numbered from ``first_line``. Lines end at ``\\n``
    only: JSON strings may hold U+2028, U+0085 … raw, which ``str.splitlines`` would split at."""
    issues = list(issues)
    for i, line in enumerate(text.split("\n")):
        art = jsonl_line_article(line.rstrip("\r"), source, first_line + i)
        if art is None:
            continue
        for msg in issues:
            art.issue("read", msg)
        yield art


def _read_jsonl(data: bytes, source: str, pre: list[str]) -> Iterator[Article]:
    dec = decode_bytes(data)
    text = dec.text
    stripped = text.strip()
    n_yield = 0
    if stripped.startswith("[") and source.endswith(".json"):
        # a JSON array of articles
        try:
            arr = json.loads(stripped)
        except (ValueError, RecursionError):
            arr = None
        if isinstance(arr, list):
            for i, x in enumerate(arr):
                art = jsonl_line_article(json.dumps(x, ensure_ascii=False), source, i + 1)
                if art is not None:
                    for msg in pre + dec.issues:
                        art.issue("read", msg)
                    n_yield += 1
                    yield art
            text = ""
    for art in jsonl_lines(text, source, 1, pre + dec.issues):
        n_yield += 1
        yield art
    if n_yield == 0:
        art = Article(source=source, content_hash=content_id(data))
        art.issue("read", "JSON Lines file with no article lines")
        yield art


# ---------------------------------------------------------------- HTML
def _declared_charset(data: bytes) -> Optional[str]:
    import re

    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.I)
    if not m:
        return None
    enc = m.group(1).decode("ascii", "ignore").lower()
    return {"gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}.get(enc, enc)


def html_article(html: str, source: str, h: str, *, no_controls: bool = False, utf8: Optional[bytes] = None) -> Article:
    """The article of an HTML page (``no_controls``, ``utf8``: see :func:`extractor.html.parse_page`)."""
    from .html import parse_page

    page = parse_page(html, no_controls=no_controls, utf8=utf8)
    art = Article(source=source, raw=page.text, html=None, content_hash=h, fields=page.fields)
    for msg in page.issues:
        art.issue("read", msg)
    return art


def warm() -> None:
    """Load what reading needs on first use (the HTML reader and lxml, the budget settings): for a
    fork server or a benchmark's warm-up, so the first HTML page does not pay for it."""
    from . import html

    html.warm()
    max_file_bytes()
    max_html_chars()


def iter_articles(paths: Iterable[os.PathLike | str]) -> Iterator[Article]:
    """Every article under ``paths``; files with non-article extensions inside folders are skipped.

    Never raises for a bad file or folder: an unreadable one yields an Article with an issue.
    """
    try:
        for path, explicit in iter_files(paths):
            try:
                wanted = explicit or is_article_file(path)
            except Exception:  # pragma: no cover - odd path objects
                wanted = False
            if wanted:
                yield from read_path(path)
    except OSError as exc:  # pragma: no cover - a folder vanishing during the walk
        yield _failed(str(getattr(exc, "filename", "") or "<walk>"), None, f"cannot walk folder: {exc}")
