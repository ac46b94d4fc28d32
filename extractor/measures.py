"""Stage 'measures' (placeholder until its issue lands): see ../shared/SPEC.md."""
from __future__ import annotations

from .article import Article


def stage(article: Article) -> None:
    return None
