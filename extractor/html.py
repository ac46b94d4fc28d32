"""Main text and metadata of an HTML page, with lxml; no network, no entity expansion.

The body is the block whose paragraphs hold the most text (a readability-style
density choice); title/date/source come from the page's meta tags when present,
else from the visible text (the metadata stage reads that too).
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field

from .resources import load_yaml

_DROP = ("script", "style", "noscript", "iframe", "svg", "form", "select", "button", "head", "nav", "footer",
         "header", "aside", "template", "object", "embed")
_BLOCK = {"p", "div", "section", "article", "li", "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "tr", "table", "ul", "ol", "dd", "dt", "pre", "center", "font", "span"}
_TAG = re.compile(r"<[^>]*>")
_WS = re.compile(r"[ \t\r\f\v\u3000\xa0]+")


@dataclass
class Page:
    text: str
    fields: dict = field(default_factory=dict)
    issues: list[str] = field(default_factory=list)


def _clean(s: str) -> str:
    s = _html.unescape(_html.unescape(s or ""))
    s = _TAG.sub("", s)
    return _WS.sub(" ", s).strip()


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_META_ATTRS = ("name", "property", "itemprop", "http-equiv")


def _meta_table(doc) -> dict:
    """(attribute, lower-cased value) -> contents of the page's <meta> tags, in document order (one walk)."""
    table: dict = {}
    for el in doc.iter("meta"):
        c = el.get("content")
        if c is None:
            continue
        for attr in _META_ATTRS:
            v = el.get(attr)
            if v is not None:
                table.setdefault((attr, v.translate(_ASCII_LOWER)), []).append(c)
    return table


def _meta(table: dict, names: list[str]) -> str | None:
    """The first non-empty content for the names in priority order (name, then attribute, then document order)."""
    for n in names:
        key = n.lower()
        for attr in _META_ATTRS:
            for v in table.get((attr, key), ()):
                v = _clean(v)
                if v:
                    return v
    return None


def _block_text(el) -> list[str]:
    """Paragraph lines of an element: text split at block boundaries and <br>."""
    out: list[str] = []
    buf: list[str] = []

    def flush():
        line = _WS.sub(" ", "".join(buf)).strip()
        if line:
            out.append(line)
        buf.clear()

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _DROP:
            if node.tail:
                buf.append(node.tail)
            return
        block = tag in _BLOCK and tag != "span" and tag != "font"
        if block or tag == "br":
            flush()
        if node.text and tag != "br":
            buf.append(node.text)
        for ch in node:
            walk(ch)
        if block:
            flush()
        if node.tail:
            buf.append(node.tail)

    walk(el)
    flush()
    return out


_PARA = {"p", "div", "section", "span", "font", "h2", "h3", "strong", "center"}


def _cjk(s: str | None) -> int:
    return sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff" or ch.isdigit()) if s else 0


def _densest(root):
    """The container whose paragraph-like children hold the most text (one post-order pass, O(n))."""
    total: dict = {}
    scored: list = []
    for el in reversed(list(root.iter())):
        if not isinstance(el.tag, str):
            continue
        own = _cjk(el.text)
        score = 0
        for ch in el:
            t = total.get(ch, 0)
            own += t + _cjk(ch.tail)
            tag = ch.tag if isinstance(ch.tag, str) else ""
            if tag in _PARA:
                score += t
            elif tag == "br":
                score += _cjk(ch.tail)
        total[el] = own
        if el.tag in ("div", "article", "section", "td", "body", "main") and score:
            scored.append((score, own, el))
    if not scored:
        return None, 0
    top = max(s for s, _, _ in scored)
    # the most specific container that holds nearly all of the best one's paragraph text
    score, _, best = min((c for c in scored if c[0] >= 0.85 * top), key=lambda c: c[1])
    return best, score


_DOCTYPE = re.compile(r"<!DOCTYPE", re.I)
_SUBSET_END = re.compile(r"\]\s*>")
_ENTITY_DECL = re.compile(r"<!ENTITY[^<>]*>?", re.I)   # stops at the next < too: linear even unterminated
_XML_DECL = re.compile(r"^\s*<\?xml[^<>]*(?:\?>|>)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANY_TAG = re.compile(r"<[^<>]*>")
_SCRIPT_OPEN = re.compile(r"<(script|style)\b", re.I)
_DEPTH_LIMIT_HINT = "Excessive depth"


def strip_declarations(html: str) -> str:
    """The page without its DOCTYPE (and internal DTD subset), ``<!ENTITY>`` declarations, the XML
    declaration and C0 control characters: nothing of them can be expanded or fetched.
    Each step is one linear scan, also on hostile input (thousands of unterminated declarations)."""
    m = _DOCTYPE.search(html, 0, 200_000)
    if m:
        i = m.start()
        gt, br = html.find(">", i), html.find("[", i)
        if br >= 0 and (gt < 0 or br < gt):   # an internal subset: up to "]>"
            e = _SUBSET_END.search(html, br)
            end = e.end() if e else (gt + 1 if gt >= 0 else len(html))
        else:
            end = gt + 1 if gt >= 0 else len(html)
        html = html[:i] + html[end:]
    html = _ENTITY_DECL.sub("", html)
    html = _XML_DECL.sub("", html, count=1)
    return _CONTROL.sub(" ", html)


def _strip_tags(html: str) -> list[str]:
    """Fallback text of a page lxml could not handle: tags removed (script/style bodies too), lines kept."""
    out = []
    parts = []
    pos = 0
    while True:  # drop <script>…</script> and <style>…</style> in one forward pass
        m = _SCRIPT_OPEN.search(html, pos)
        if not m:
            parts.append(html[pos:])
            break
        parts.append(html[pos:m.start()])
        close = re.compile(rf"</{m.group(1)}", re.I).search(html, m.end())
        if not close:
            break
        k = html.find(">", close.end())
        pos = len(html) if k < 0 else k + 1
    text = _html.unescape(_ANY_TAG.sub("\n", "".join(parts)))
    for line in text.split("\n"):
        line = _WS.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def parse_page(html: str) -> Page:
    """Main text and metadata of a page. Never raises; problems become ``issues``."""
    try:
        return _parse_page(html)
    except Exception as exc:  # lxml or our own code failing on a hostile page: keep the text anyway
        lines = _strip_tags(strip_declarations(html))
        return Page(text="\n".join(lines), issues=[f"HTML could not be parsed ({type(exc).__name__}: {exc}); "
                                                   f"tags stripped"[:500]])


def _parse_page(html: str) -> Page:
    from lxml import etree
    from lxml import html as lhtml

    issues: list[str] = []
    html = strip_declarations(html)
    if not html.strip():
        return Page(text="", issues=["HTML page has no content"])
    parser = lhtml.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                              huge_tree=False, collect_ids=False)
    try:
        doc = lhtml.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        return Page(text="\n".join(_strip_tags(html)), issues=[f"HTML could not be parsed ({exc}); tags stripped"])
    too_deep = any(_DEPTH_LIMIT_HINT in (e.message or "") for e in parser.error_log)
    cfg = load_yaml("metadata.yaml").get("html", {})
    metas = _meta_table(doc)
    fields: dict = {}
    title = _meta(metas, cfg.get("title_meta", []))
    if not title:
        h1 = doc.xpath("//h1")
        title = _clean(h1[0].text_content()) if h1 else None
    if not title:
        t = doc.xpath("//title")
        title = _clean(t[0].text_content()) if t else None
    if title:
        fields["title"] = title
    date = _meta(metas, cfg.get("date_meta", []))
    if date:
        fields["page_date_raw"] = date
    src = _meta(metas, cfg.get("source_meta", []))
    if src:
        fields["outlet"] = src
    url = _meta(metas, cfg.get("url_meta", []))
    if url:
        fields["url"] = url
    if not date:
        m = re.search(r"(?:^|[/_\"'])t(20\d{6})_\d+", html)
        if m:
            d = m.group(1)
            fields["url_date_raw"] = f"{d[:4]}-{d[4:6]}-{d[6:]}"
    author = _meta(metas, cfg.get("author_meta", []))
    if author:
        fields["authors_meta"] = author

    for bad in doc.xpath("|".join(f"//{t}" for t in _DROP)):
        if bad.getparent() is not None:
            bad.drop_tree()
    body = doc.body if doc.find("body") is not None else doc
    best, best_score = _densest(body)
    lines = _block_text(best if best is not None and best_score >= 40 else body)
    if too_deep:
        # libxml2 stops building the tree 256 levels down (huge_tree=False, on purpose): text below is lost
        flat = _strip_tags(html)
        if _cjk("".join(flat)) > 2 * _cjk("".join(lines)):
            lines = flat
            issues.append("HTML nested deeper than the parser's limit of 256 levels: text taken by stripping tags")
        else:
            issues.append("HTML nested deeper than the parser's limit of 256 levels: content below it ignored")
    if not lines:
        issues.append("HTML page has no visible text")
    return Page(text="\n".join(lines), fields=fields, issues=issues)
