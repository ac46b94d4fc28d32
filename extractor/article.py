"""The working state of one article as it passes through the pipeline stages.

Stages (``extractor.pipeline``) read and fill an :class:`Article`; the last
stage turns it into a validated :class:`extractor.models.Record`.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Optional

from .models import CountMention, DateMention, Issue, MeasureMention, PlaceMention

CST = _dt.timezone(_dt.timedelta(hours=8))


@dataclass
class Article:
    source: str
    raw: str = ""                       # decoded input (a .txt file, an HTML page's text, a JSONL body)
    fields: dict[str, Any] = field(default_factory=dict)  # metadata a reader found (title/date/source/url/authors…)
    html: Optional[str] = None          # the page, for HTML input
    content_hash: str = ""              # hash of the input bytes; the record id

    # set by the "normalize" stage
    normalized: str = ""                # the whole input, normalized (header + body + footer)
    script: Optional[str] = None
    normalization: dict[str, int] = field(default_factory=dict)

    # set by the "metadata" stage
    text: str = ""                      # date/byline lines + body: the coordinate system of every span
    title: Optional[str] = None
    published_at: Optional[_dt.datetime] = None   # aware, +08:00
    outlet: Optional[str] = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    url: Optional[str] = None

    # set by the extractor stages
    dates: list[DateMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    counts: list[CountMention] = field(default_factory=list)
    measures: list[MeasureMention] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    # scratch space for stages that share intermediate results (e.g. the place the article is about)
    context: dict[str, Any] = field(default_factory=dict)

    def issue(self, stage: str, message: str) -> None:
        self.issues.append(Issue(stage=stage, message=message))

    @property
    def publication_date(self) -> Optional[_dt.date]:
        return self.published_at.date() if self.published_at else None
