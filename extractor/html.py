"""Main text and metadata of an HTML page, with lxml; no network, no entity expansion.

The body is the block whose paragraphs hold the most text (a readability-style
density choice); title/date/source come from the page's meta tags when present,
else from the visible text (the metadata stage reads that too).
"""
from __future__ import annotations

import functools
import html as _html
import re
from dataclasses import dataclass, field

from .resources import load_yaml

_DROP = ("script", "style", "noscript", "iframe", "svg", "form", "select", "button", "head", "nav", "footer",
         "header", "aside", "template", "object", "embed")
_BLOCK = {"p", "div", "section", "article", "li", "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "tr", "table", "ul", "ol", "dd", "dt", "pre", "center", "font", "span"}
_TAG = re.compile(r"<[^>]*>")
_WS_CHARS = " \t\r\f\v\u3000\xa0"
_WS = re.compile("[" + _WS_CHARS + "]+")
_SPACE_RUN = re.compile("  +")   # a literal start: re finds it by a fast substring search


def _squeeze_ws(text: str) -> str:
    """``_WS.sub(" ", text)``: each of _WS's characters made a space by ``str.replace`` (C), then the
    runs of two or more spaces made one (the same runs: a third of the class-led scan's time)."""
    for ch in _WS_CHARS[1:]:   # (the first is the space)
        text = text.replace(ch, " ")
    return _SPACE_RUN.sub(" ", text)


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


def _meta_table(metas) -> dict:
    """(attribute, lower-cased value) -> contents of the page's <meta> elements ``metas``, in document order."""
    table: dict = {}
    for el in metas:
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


def _block_text_walk(el) -> list[str]:
    """Paragraph lines of an element: text split at block boundaries and <br> (the plain recursive
    walk; :func:`_block_text` gives the same lines faster and falls back to this one)."""
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


_LINE_BLOCKS = tuple(sorted(_BLOCK - {"span", "font"}))
_LINE_BLOCK_SET = frozenset(_LINE_BLOCKS)
_DROP_SET = frozenset(_DROP)
_MARK = "\ue83f"   # a line-break marker put into the tree's text (any character works: its count is checked)


def _block_text(el) -> list[str]:
    """Paragraph lines of an element (its tail included), as :func:`_block_text_walk` gives them, in
    C: a marker is put before the text and the tail of every block element and before the tail of
    every <br>, the text of the subtree is serialized at once and split at the markers. Changes the
    tree's text (the page is parsed for this one use). Falls back to the walk when the tree holds
    something the marker scheme does not cover (a dropped tag, a comment, text in a <br>, the marker
    character in the page itself)."""
    from lxml import etree

    if not isinstance(el.tag, str) or el.tag in _DROP:
        return _block_text_walk(el)
    for node in el.iter(*_DROP, "br", etree.Comment, etree.ProcessingInstruction, etree.Entity):
        if node.tag != "br" or node.text or len(node):
            return _block_text_walk(el)
    marks = 0
    for node in el.iter(*_LINE_BLOCKS):
        node.text = _MARK + (node.text or "")
        node.tail = _MARK + (node.tail or "")
        marks += 2
    for node in el.iter("br"):
        node.tail = _MARK + (node.tail or "")
        marks += 1
    text = etree.tostring(el, method="text", encoding=str, with_tail=True)
    if text.count(_MARK) != marks:   # the marker character was in the page
        for node in el.iter(*_LINE_BLOCKS, "br"):   # undo, then walk
            if node.tag != "br":
                node.text = node.text[1:] or None
            node.tail = node.tail[1:] or None
        return _block_text_walk(el)
    # one whitespace pass over all lines (no run of _WS holds the marker), then each line trimmed
    return [line for line in map(str.strip, _squeeze_ws(text).split(_MARK)) if line]


_PARA = {"p", "div", "section", "span", "font", "h2", "h3", "strong", "center"}
_SCORED = {"div", "article", "section", "td", "body", "main"}
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SEP = "\uffff"   # joins texts for one counting pass (a noncharacter): kept by the pattern, not counted


@functools.lru_cache(maxsize=1)
def _counted() -> "re.Pattern[str]":
    """Runs of the characters :func:`_cjk` does not count: all but the CJK unified ideographs, the
    ``str.isdigit`` characters (ASCII and other decimal digits, superscripts, circled numbers …)
    and :data:`_SEP`. The class lists BMP characters only, so that ``re`` checks a character with
    one bitmap lookup; characters outside the BMP are removed too and looked at apart."""
    keep = [cp for cp in range(0x10000) if 0x4E00 <= cp <= 0x9FFF or chr(cp).isdigit()] + [ord(_SEP)]
    return re.compile("[^" + _char_ranges(sorted(keep)) + "]+")


@functools.lru_cache(maxsize=1)
def _kept() -> "re.Pattern[str]":
    """Runs of the characters :func:`_counted` keeps (its class, not negated): ``findall`` of them
    skips the others in re's scan loop instead of removing them run by run (a third less time)."""
    return re.compile("[" + _counted().pattern[2:])


def _char_ranges(cps: list[int]) -> str:
    """Sorted code points as the inside of a regex character class (runs as ranges)."""
    parts, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(re.escape(chr(cps[i])) + ("-" + re.escape(chr(cps[j])) if j > i else ""))
        i = j + 1
    return "".join(parts)


def _cjk(s: str | None) -> int:
    """CJK unified ideographs (U+4E00–U+9FFF) and digits (``str.isdigit``) in ``s``."""
    if not s:
        return 0
    kept = _counted().sub("", s)
    n = len(kept) - kept.count(_SEP)
    if _ASTRAL.search(s):   # digits outside the BMP (U+1D7CE, U+1F101 …): rare, one by one
        n += sum(1 for ch in _ASTRAL.findall(s) if ch.isdigit())
    return n


# the UTF-8 bytes :func:`_cjk_each` keeps: ASCII digits, the lead bytes E4-E9 (U+4000-U+9FFF, so
# U+4E00-U+9FFF when no character of U+4000-U+4DFF is there), the lead bytes F0-F4 (astral
# characters: seen, then the text is counted apart) and the separator
_BSEP = "\x01"
_COUNTED_BYTES = b"0123456789\xe4\xe5\xe6\xe7\xe8\xe9\xf0\xf1\xf2\xf3\xf4" + _BSEP.encode()
_NOT_COUNTED_BYTES = bytes(b for b in range(256) if b not in _COUNTED_BYTES)
_ASTRAL_LEADS = (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")


@functools.lru_cache(maxsize=1)
def _byte_count_misses() -> "re.Pattern[str]":
    """The BMP characters a count of UTF-8 bytes gets wrong: the non-ASCII ``str.isdigit`` ones
    (counted, but not by their bytes: ０-９, ①, ² …) and U+4000-U+4DFF (lead byte E4, not counted)."""
    cps = [cp for cp in range(0x80, 0x10000) if chr(cp).isdigit()] + list(range(0x4000, 0x4E00))
    return re.compile("[" + _char_ranges(sorted(cps)) + "]")


def _cjk_each(texts: list[str]) -> list[int]:
    """:func:`_cjk` of each text: the texts joined and encoded as UTF-8, every byte but the ASCII
    digits and the lead bytes of U+4E00-U+9FFF deleted (one C pass), split at the separator: the
    lengths are the counts. Taken when no character the bytes miscount is there (one regex search),
    no astral character and no lone surrogate; else :func:`_cjk_each_by_regex`."""
    joined = _BSEP.join(texts)
    if _byte_count_misses().search(joined) is None:
        try:
            kept = joined.encode("utf-8").translate(None, _NOT_COUNTED_BYTES)
        except UnicodeEncodeError:   # a lone surrogate
            kept = None
        if kept is not None and not any(lead in kept for lead in _ASTRAL_LEADS):   # (memchr each)
            parts = kept.split(b"\x01")
            if len(parts) == len(texts):   # no text holds the separator
                return list(map(len, parts))
    return _cjk_each_by_regex(texts)


def _cjk_each_by_regex(texts: list[str]) -> list[int]:
    """:func:`_cjk` of each text, by one regex pass over all of them joined."""
    joined = _SEP.join(texts)
    if len(joined.encode("utf-16-le", "surrogatepass")) != 2 * len(joined):   # astral characters
        return [_cjk(t) for t in texts]
    # whitespace (never counted, never the separator) dropped first by str.split, in C: the regex
    # then has far fewer runs to remove (most texts and tails of a page are indentation)
    parts = "".join(_kept().findall("".join(joined.split()))).split(_SEP)
    if len(parts) != len(texts):   # a text holds the separator
        return [_cjk(t) for t in texts]
    return list(map(len, parts))


def _densest(root):
    """The container whose paragraph-like children hold the most text (one post-order pass, O(n)):
    each element, its subtree counted, adds to its parent's total and score."""
    best, score, _ = _densest_listed(root)
    return best, score


def _densest_listed(root):
    """(:func:`_densest`'s element and score, the lists it read the tree into: elements, tags, texts,
    tails and parent indices in document order, and the element's index; for :func:`_listed_lines`)."""
    els = list(root.iter())
    n = len(els)
    tags = [el.tag for el in els]
    texts = [el.text or "" for el in els]
    tails = [el.tail or "" for el in els]
    counts = _cjk_each(texts + tails)   # texts, then tails
    index = {el: i for i, el in enumerate(els)}
    parents = [index.get(el.getparent(), -1) for el in els]
    # an element's own text counts (not a comment's); its tail counts in its parent
    if set(map(type, tags)) <= {str}:   # elements only (the parser drops comments and PIs)
        total = counts[:n]
    else:
        total = [c if isinstance(tag, str) else 0 for c, tag in zip(counts, tags)]
    score = [0] * n
    # descendants come after their ancestors in document order: from the last element back to the
    # first (the root has no parent here); reversed(total) reads an element's total when all of its
    # descendants, which come after it, have added theirs
    for t, p, tail, tag in zip(reversed(total), reversed(parents), reversed(counts), reversed(tags)):
        if p < 0:
            continue
        total[p] += t + tail
        if tag in _PARA:
            score[p] += t
        elif tag == "br":
            score[p] += tail
    listed = (els, tags, texts, tails, parents)
    scored = [(score[i], total[i], i) for i in range(n - 1, -1, -1) if score[i] and tags[i] in _SCORED]
    if not scored:
        return None, 0, (listed, None)
    top = max(s for s, _, _ in scored)
    # the most specific container that holds nearly all of the best one's paragraph text
    score, _, i = min((c for c in scored if c[0] >= 0.85 * top), key=lambda c: c[1])
    return els[i], score, (listed, i)


def _listed_lines(listed, b: int) -> list[str] | None:
    """:func:`_block_text` of the element ``b`` of the lists :func:`_densest_listed` read (the same
    tree, unchanged since), assembled from those lists in one pass over its subtree: a marker where
    :func:`_block_text_walk` flushes a line (before a block's text and tail, before a <br>), the
    texts and tails in between; open elements on a stack are closed (marker, tail) when the next
    element is not their descendant. None (the caller reads the tree) when the walk would treat
    something apart: a dropped tag or a non-element in the tree (tested on the tag list at once), a
    <br> with text or children in the subtree, the marker character in the page."""
    els, tags, texts, tails, parents = listed
    if not set(map(type, tags)) <= {str} or not _DROP_SET.isdisjoint(tags):
        return None
    tag = tags[b]
    marks = 1   # markers put in (the page's own would make more)
    if tag in _LINE_BLOCK_SET:
        pieces = [_MARK, texts[b]]
    elif tag == "br":
        if texts[b] or len(els[b]):
            return None
        pieces = [_MARK]
    else:
        pieces, marks = [texts[b]], 0
    stack = [b]
    n = len(els)
    for j in range(b + 1, n + 1):
        p = parents[j] if j < n else None   # (after the last element every open one closes)
        while stack and stack[-1] != p:   # the open elements j is not in: closed
            k = stack.pop()
            if tags[k] in _LINE_BLOCK_SET:
                pieces.append(_MARK)
                marks += 1
            pieces.append(tails[k])
        if not stack:   # j is past the subtree of b (or past the last element)
            break
        tag = tags[j]
        if tag in _LINE_BLOCK_SET:
            pieces.append(_MARK)
            pieces.append(texts[j])
            marks += 1
        elif tag == "br":
            if texts[j] or len(els[j]):
                return None
            pieces.append(_MARK)
            marks += 1
        else:
            pieces.append(texts[j])
        stack.append(j)
    text = "".join(pieces)
    if text.count(_MARK) != marks:   # the marker character is in the page
        return None
    return [line for line in map(str.strip, _squeeze_ws(text).split(_MARK)) if line]


_DOCTYPE = re.compile(r"<!DOCTYPE", re.I)
_SUBSET_END = re.compile(r"\]\s*>")
_ENTITY_DECL = re.compile(r"<!ENTITY[^<>]*>?", re.I)   # stops at the next < too: linear even unterminated
_XML_DECL = re.compile(r"^\s*<\?xml[^<>]*(?:\?>|>)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANY_TAG = re.compile(r"<[^<>]*>")
_SCRIPT_OPEN = re.compile(r"<(script|style)\b", re.I)
_DEPTH_LIMIT_HINT = "Excessive depth"


_DECL_WORDS = (b"DOCTYPE", b"ENTITY")


def _may_declare(utf8: bytes, looked_at: int = 64) -> bool:
    """Whether the page decoded from ``utf8`` may hold a match of ``_DOCTYPE`` or ``_ENTITY_DECL``
    ("<!" then DOCTYPE or ENTITY, in any case): False only when none of its "<!" (among its first
    ``looked_at`` "!") is followed by D, d, E or e (no other character matches those under
    re.IGNORECASE) or, when it is, by seven ASCII bytes that start neither word (a non-ASCII one might:
    İ and ı match I). The "!" are found by a one-byte search (memchr; a two-byte one steps byte by byte
    through the page), those after a "<" looked at. Cheaper than the two regex scans of a page that
    has neither (most have none)."""
    i = utf8.find(b"!")
    for _ in range(looked_at):
        if i < 0:
            return False
        if i and utf8[i - 1] == 0x3C and utf8[i + 1:i + 2] in (b"D", b"d", b"E", b"e"):   # <!D …
            word = utf8[i + 1:i + 8]
            if not word.isascii() or word.upper().startswith(_DECL_WORDS):
                return True
        i = utf8.find(b"!", i + 1)
    return True


def strip_declarations(html: str, *, no_controls: bool = False, utf8: bytes | None = None) -> str:
    """The page without its DOCTYPE (and internal DTD subset), ``<!ENTITY>`` declarations, the XML
    declaration and C0 control characters: nothing of them can be expanded or fetched.
    Each step is one linear scan, also on hostile input (thousands of unterminated declarations).
    ``no_controls``: the caller knows the page holds no control character (see :func:`utf8_without_controls`).
    ``utf8``: the bytes ``html`` was decoded from as UTF-8, if the caller has them: the DOCTYPE and
    ENTITY scans are skipped when :func:`_may_declare` rules them out on those."""
    if utf8 is not None and not _may_declare(utf8):
        html = _XML_DECL.sub("", html, count=1)
        return _CONTROL.sub(" ", html) if not no_controls and _has_control(html) else html
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
    return _CONTROL.sub(" ", html) if not no_controls and _has_control(html) else html


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_BYTE_STRINGS = tuple(bytes([b]) for b in _CONTROL_BYTES)


def utf8_without_controls(data: bytes) -> bool:
    """Whether a page decoded from ``data`` as UTF-8 (strictly or with U+FFFD for bad sequences) is
    free of the characters ``_CONTROL`` finds: in UTF-8 they come from those single bytes only (looked
    for on the bytes the reader has, one memchr per byte value: a few times cheaper than a byte
    deletion over the page, which costs ~12 instructions a byte)."""
    return not any(map(data.__contains__, _CONTROL_BYTE_STRINGS))


def _has_control(text: str) -> bool:
    """Whether ``_CONTROL`` matches in ``text``: its characters are the only ones whose UTF-8 holds
    those bytes (an encode and :func:`utf8_without_controls` are faster than a regex scan of a long
    page)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:   # lone surrogates: let the regex look
        return True
    return not utf8_without_controls(data)


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


def parse_page(html: str, *, no_controls: bool = False, utf8: bytes | None = None) -> Page:
    """Main text and metadata of a page. Never raises; problems become ``issues``. ``no_controls``:
    the caller knows the page holds no C0 control character (see :func:`utf8_without_controls`).
    ``utf8``: the bytes ``html`` was strictly decoded from as UTF-8 (no BOM), if the caller has them:
    lxml then parses those (less work than parsing the text, which it encodes again) whenever the
    text it would parse is a tail of the page after an ASCII head (a DOCTYPE removed at the start)."""
    try:
        return _parse_page(html, no_controls, utf8)
    except Exception as exc:  # lxml or our own code failing on a hostile page: keep the text anyway
        lines = _strip_tags(strip_declarations(html, no_controls=no_controls, utf8=utf8))
        return Page(text="\n".join(lines), issues=[f"HTML could not be parsed ({type(exc).__name__}: {exc}); "
                                                   f"tags stripped"[:500]])


_XHTML_BODY = "{http://www.w3.org/1999/xhtml}body"


# what lxml refuses to set as text or tail (its parser keeps them): C0 controls but tab, LF and CR,
# and the noncharacters U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _drop_tree(el) -> int:
    """``lxml.html``'s ``drop_tree`` for a plain element: removed with its children, the tail kept.
    Returns how many characters lxml would not take in the joined text (see ``_NOT_XML``) were
    replaced by U+FFFD to keep it (0 nearly always)."""
    parent = el.getparent()
    replaced = 0
    if el.tail:
        previous = el.getprevious()
        holder, attr = (parent, "text") if previous is None else (previous, "tail")
        joined = (getattr(holder, attr) or "") + el.tail
        try:
            setattr(holder, attr, joined)
        except ValueError:
            joined, replaced = _NOT_XML.subn("\ufffd", joined)
            setattr(holder, attr, joined)
    parent.remove(el)
    return replaced


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))")
# the code points of ``_NOT_XML`` a character reference can name (&#0; is no character)
_NOT_XML_CODES = frozenset(cp for cp in (*range(1, 0x20), 0xFFFE, 0xFFFF) if _NOT_XML.match(chr(cp)))


def _bad_char_ref(html: str) -> bool:
    """Whether a character reference of ``html`` may stand for a character of ``_NOT_XML``: its
    digits (with a terminating ";" or not) give one of them, or are too many to tell (libxml2 reads
    what it can; a value past U+10FFFF or in the surrogates gives U+FFFD)."""
    for m in _CHAR_REF.finditer(html):
        hexa, dec = m.groups()
        digits = (hexa or dec).lstrip("0")
        if len(digits) > 7 or int(digits or "0", 16 if hexa else 10) in _NOT_XML_CODES:
            return True
    return False


def _drop_all(doc, html: str, data: bytes | None = None) -> int:
    """The elements of ``_DROP`` removed from the tree ``doc`` parsed from ``html``, each with its
    children, its tail kept, as :func:`_drop_tree` removes them one by one in document order (the
    count it returns, summed). Done in C by ``strip_elements`` (the tail's text node stays where it
    is; lxml reads adjacent text nodes as one text) when joining texts cannot fail: the tree holds
    no character of ``_NOT_XML``, i.e. the page holds no U+FFFE/U+FFFF (its C0 controls are spaces
    by now) and no character reference that libxml2 turns into one of them (``&#1;``, ``&#xFFFF;``).
    ``data``: the UTF-8 bytes of ``html``, if the caller has them ("&#" is looked for there: a search
    for two ASCII bytes is far cheaper than for two characters in a text of CJK characters)."""
    from lxml import etree

    refs = (b"&#" in data) if data is not None else ("&#" in html)
    if "\ufffe" not in html and "\uffff" not in html and (not refs or not _bad_char_ref(html)):
        etree.strip_elements(doc, *_DROP, with_tail=False)
        return 0
    replaced = 0
    for el in list(doc.iter(*_DROP)):   # the elements of //script|//style|… in document order
        if el.getparent() is not None:
            replaced += _drop_tree(el)
    return replaced


@functools.lru_cache(maxsize=1)
def _text_of():
    """The text of an element (``lxml.html``'s ``text_content``)."""
    from lxml import etree

    return etree.XPath("string()", smart_strings=False)


_URL_T_DATE = re.compile(r"t(20\d{6})_\d+")


def _url_date(html: str) -> str | None:
    r"""The date digits of the first ``t20YYMMDD_N`` at the start of the page or after / _ " ', i.e. of
    ``re.search(r"(?:^|[/_\"'])t(20\d{6})_\d+", html)``, found by its literal start."""
    for m in _URL_T_DATE.finditer(html):   # a match holds no other "t": none hides the next
        i = m.start()
        if i == 0 or html[i - 1] in "/_\"'":
            return m.group(1)
    return None


def _utf8_tail(page: str, stripped: str, utf8: bytes | None) -> bytes | None:
    """The UTF-8 bytes of ``stripped`` cut from ``utf8`` (the bytes ``page`` was decoded from), when
    ``stripped`` is ``page`` after an ASCII head (whose characters are one byte each); else None."""
    if utf8 is None:
        return None
    cut = len(page) - len(stripped)
    if cut == 0:   # the same length: unchanged, or control characters turned into spaces
        return utf8 if stripped == page else None
    if cut > 0 and page[:cut].isascii() and page.endswith(stripped):
        return utf8[cut:]
    return None


def _parse_page(html: str, no_controls: bool = False, utf8: bytes | None = None) -> Page:
    # plain lxml.etree elements, parsed as lxml.html.document_fromstring does: lxml.html's element
    # classes would cost a Python class lookup for every element touched
    from lxml import etree

    issues: list[str] = []
    page = html
    html = strip_declarations(html, no_controls=no_controls, utf8=utf8)
    if not html or html.isspace():   # (not html.strip(), without copying the page)
        return Page(text="", issues=["HTML page has no content"])
    data = _utf8_tail(page, html, utf8)
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                              huge_tree=False, collect_ids=False, encoding=None if data is None else "utf-8")
    try:
        doc = etree.fromstring(html if data is None else data, parser)
        if doc is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        return Page(text="\n".join(_strip_tags(html)), issues=[f"HTML could not be parsed ({exc}); tags stripped"])
    too_deep = any(_DEPTH_LIMIT_HINT in (e.message or "") for e in parser.error_log)
    cfg = load_yaml("metadata.yaml").get("html", {})
    # one walk of the tree for the <meta> elements, the first <h1> and <title>
    meta_els: list = []
    first: dict = {}
    for el in doc.iter("meta", "h1", "title"):
        tag = el.tag
        if tag == "meta":
            meta_els.append(el)
        else:
            first.setdefault(tag, el)
    metas = _meta_table(meta_els)
    fields: dict = {}
    title = _meta(metas, cfg.get("title_meta", []))
    if not title:   # the first <h1>, else the first <title>
        h1 = first.get("h1")
        title = _clean(_text_of()(h1)) if h1 is not None else None
    if not title:
        t = first.get("title")
        title = _clean(_text_of()(t)) if t is not None else None
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
        d = _url_date(html)
        if d:
            fields["url_date_raw"] = f"{d[:4]}-{d[4:6]}-{d[6:]}"
    author = _meta(metas, cfg.get("author_meta", []))
    if author:
        fields["authors_meta"] = author

    replaced = _drop_all(doc, html, data)
    if replaced:
        issues.append(f"{replaced} character(s) next to a removed element (script, style, nav …) that lxml "
                      f"cannot hold (C0 controls, U+FFFE, U+FFFF) replaced by U+FFFD")
    body = doc
    if doc.find("body") is not None:
        body = next(doc.getroottree().iter("body", _XHTML_BODY), None)
    best, best_score, (listed, i) = _densest_listed(body)
    if best is None or best_score < 40:
        best, i = body, 0
    lines = _listed_lines(listed, i)
    if lines is None:
        lines = _block_text(best)
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


def warm() -> None:
    """Import lxml and build the lazily built tables of the HTML reader (for a fork server or a
    benchmark's warm-up: the first page otherwise pays ~50–100 ms for them)."""
    from lxml import etree  # noqa: F401

    _counted()
    _kept()
    _byte_count_misses()
    _text_of()
    load_yaml("metadata.yaml")
