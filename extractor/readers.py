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

ARTICLE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
                    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
MAX_FILE_BYTES = 64 * 1024 * 1024   # larger files are read up to this size, with an issue


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


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many C0 control bytes in the first 8 KB (UTF-16/32 are caught by their BOM first)."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl > 0.05 * len(head)


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


def decode_bytes(data: bytes, declared: Optional[str] = None) -> Decoded:
    """Decode scraped bytes: BOM, strict UTF-8, a declared charset, GB18030, Big5, then a detector.

    UTF-8 with a few invalid sequences (a damaged page) stays UTF-8, the bad bytes are
    replaced and counted in an issue: re-decoding the whole file as GBK would garble it.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(enc, errors="replace"), enc, [])
    try:
        return Decoded(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    if bad and bad <= max(8, len(loose) // 100) and _cjk_share(loose) > 0.05:
        return Decoded(loose, "utf-8", [f"invalid UTF-8: {bad} bad byte sequence(s) replaced by U+FFFD"])
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
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1_000_000]).best()
    except Exception:  # pragma: no cover - detector failure is not fatal
        best = None
    if best is not None and best.encoding:
        text = data.decode(best.encoding, errors="replace")
        return Decoded(text, best.encoding, [f"encoding guessed as {best.encoding}"])
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


def read_path(path: Path) -> Iterator[Article]:
    """All articles in one file (one for .txt/.html, one per line for .jsonl)."""
    src = str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        art = Article(source=src, content_hash=content_id(src))
        art.issue("read", f"cannot read file: {exc.strerror or exc}")
        yield art
        return
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower(), "text")
    yield from read_bytes(data, src, kind=kind, size=size)


def read_bytes(data: bytes, source: str, kind: str = "text", size: Optional[int] = None) -> Iterator[Article]:
    size = len(data) if size is None else size
    pre: list[str] = []
    if len(data) > MAX_FILE_BYTES:
        data = data[:MAX_FILE_BYTES]
        pre.append(f"file has {size} bytes; only the first {MAX_FILE_BYTES} were read")
    if not data.strip():
        art = Article(source=source, content_hash=content_id(data or source.encode()))
        art.issue("read", "empty input: no text to extract")
        yield art
        return
    if looks_binary(data) and not any(data.startswith(b) for b, _ in _BOMS):
        art = Article(source=source, content_hash=content_id(data))
        art.issue("read", "binary input (NUL or control bytes): not a text article")
        yield art
        return
    if kind == "jsonl":
        yield from _read_jsonl(data, source, pre)
        return
    declared = _declared_charset(data) if kind == "html" else None
    dec = decode_bytes(data, declared)
    if kind == "html":
        art = html_article(dec.text, source, content_id(data))
    else:
        art = Article(source=source, raw=dec.text, content_hash=content_id(data))
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


def _read_jsonl(data: bytes, source: str, pre: list[str]) -> Iterator[Article]:
    dec = decode_bytes(data)
    text = dec.text
    stripped = text.strip()
    lines: list[tuple[int, str]]
    if stripped.startswith("[") and source.endswith(".json"):
        # a JSON array of articles
        try:
            arr = json.loads(stripped)
            lines = [(i + 1, json.dumps(x, ensure_ascii=False)) for i, x in enumerate(arr)]
        except ValueError:
            lines = list(enumerate(text.splitlines(), 1))
    else:
        lines = list(enumerate(text.splitlines(), 1))
    n_yield = 0
    for lineno, line in lines:
        if not line.strip():
            continue
        src = f"{source}:{lineno}"
        h = content_id(line)
        try:
            obj = json.loads(line)
        except ValueError as exc:
            art = Article(source=src, content_hash=h)
            art.issue("read", f"line {lineno}: not valid JSON ({exc.msg} at column {exc.colno}); truncated line?")
        else:
            if isinstance(obj, dict):
                art = jsonl_article(obj, src, h)
            else:
                art = Article(source=src, content_hash=h)
                art.issue("read", f"line {lineno}: a JSON {type(obj).__name__}, not an object")
        for msg in pre + dec.issues:
            art.issue("read", msg)
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


def html_article(html: str, source: str, h: str) -> Article:
    from .html import parse_page

    page = parse_page(html)
    art = Article(source=source, raw=page.text, html=None, content_hash=h, fields=page.fields)
    for msg in page.issues:
        art.issue("read", msg)
    return art


def iter_articles(paths: Iterable[os.PathLike | str]) -> Iterator[Article]:
    """Every article under ``paths``; files with non-article extensions inside folders are skipped."""
    for path, explicit in iter_files(paths):
        if explicit or is_article_file(path):
            yield from read_path(path)
