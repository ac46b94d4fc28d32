"""Stage 'normalize' (first cut): OpenCC Traditional→Simplified and script detection."""
from __future__ import annotations

import functools

from .article import Article


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize_text(raw: str) -> tuple[str, dict[str, int], list[str], str | None]:
    """Return (text, repairs by kind, issue messages, script)."""
    conv = _t2s().convert(raw)
    script = None
    if raw.strip():
        changed = sum(1 for a, b in zip(raw, conv) if a != b)
        script = "hant" if changed > 0.02 * max(1, len(raw)) else ("mixed" if changed else "hans")
    return conv, ({"t2s": changed} if raw.strip() and changed else {}), [], script


def stage(article: Article) -> None:
    text, repairs, issues, script = normalize_text(article.raw)
    article.normalized = text
    article.normalization.update(repairs)
    article.script = script
    for msg in issues:
        article.issue("normalize", msg)
