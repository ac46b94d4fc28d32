"""Structured facts from scraped Chinese discipline-inspection news.

    >>> from extractor import extract
    >>> rec = extract("2017年,全市共巡察215个单位", published_at="2018-02-12")
    >>> rec.counts[0].value
    215.0

``extract`` returns a :class:`extractor.models.Record` (SPEC.md). ``load()`` gives a
spaCy ``Language`` whose Docs carry the same facts as span groups (spaCy is
imported only then).
"""
from .models import Record
from .pipeline import Pipeline, extract, stage

__version__ = "0.1.0"
__all__ = ["extract", "load", "Pipeline", "Record", "stage", "__version__"]


def load(**kwargs):
    """A spaCy ``Language`` for Chinese with the extraction components (see extractor.nlp)."""
    from .nlp import load as _load

    return _load(**kwargs)
