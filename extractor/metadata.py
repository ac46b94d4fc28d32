"""Stage 'metadata' (first cut): the whole normalized input is the text."""
from __future__ import annotations

import datetime as _dt
from typing import Optional

from .article import CST, Article


def parse_datetime(s: str) -> Optional[_dt.datetime]:
    try:
        d = _dt.datetime.fromisoformat(s.strip())
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=CST)


def stage(article: Article) -> None:
    article.text = article.normalized
    f = article.fields
    article.title = f.get("title")
    article.outlet = f.get("outlet")
    article.published_at = f.get("published_at_given") or f.get("page_date")
