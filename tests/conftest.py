import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("EXTRACTOR_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "corpus" / "seeds"
REAL = SHARED / "corpus" / "real"
GOLD = SHARED / "corpus" / "seeds.gold.jsonl"


def need_shared():
    if not SEEDS.is_dir():
        pytest.skip("../shared/ is not beside the checkout")


@pytest.fixture(scope="session")
def seed_records():
    """The pipeline's records for the seed articles (from ../shared, else corpus/)."""
    from extractor.readers import iter_articles
    from extractor.pipeline import default_pipeline

    src = SEEDS if SEEDS.is_dir() else ROOT / "corpus"
    pipe = default_pipeline()
    return {Path(a.source).name: pipe.run(a) for a in iter_articles([src])}
