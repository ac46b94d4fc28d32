"""Access to the data files in ``patterns/`` (rules, word lists, taxonomy, gazetteer).

Everything a researcher may extend lives there as YAML/TSV; code only loads it.
Files are parsed once per process (``functools.lru_cache``).
"""
from __future__ import annotations

import csv
import functools
import os
from pathlib import Path
from typing import Any


def patterns_dir() -> Path:
    env = os.environ.get("EXTRACTOR_PATTERNS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here / "patterns", here.parent / "patterns"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("patterns/ not found (set EXTRACTOR_PATTERNS)")


def pattern_path(name: str) -> Path:
    return patterns_dir() / name


@functools.lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    import yaml

    with open(pattern_path(name), encoding="utf-8") as fh:
        try:
            loader = yaml.CSafeLoader
        except AttributeError:  # pragma: no cover - libyaml missing
            loader = yaml.SafeLoader
        return yaml.load(fh, Loader=loader)


@functools.lru_cache(maxsize=None)
def load_tsv(name: str) -> list[dict[str, str]]:
    with open(pattern_path(name), encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t")]
    return rows


@functools.lru_cache(maxsize=None)
def load_wordlist(name: str) -> tuple[str, ...]:
    """One entry per line; ``#`` starts a comment; blank lines ignored."""
    out = []
    with open(pattern_path(name), encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return tuple(out)
