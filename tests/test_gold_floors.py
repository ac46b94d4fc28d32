"""The seed gold as an evaluation corpus: per-field floors that CI refuses to let drop.

The floors are the issues' acceptance figures (issues 2-6). The scorer is the shared one
(../shared/tools/score.py), imported as it is, so this test measures what users are told.
"""
import importlib.util
import json

import pytest

from conftest import GOLD, SHARED, need_shared

FLOORS = {  # field -> minimum (F1 for fact lists, accuracy for attributes/metadata)
    "counts": 0.95, "dates": 0.95, "places": 0.95, "townships": 0.90, "measures": 0.90,
    "indicator_accuracy": 0.90, "approx_accuracy": 0.95, "period_accuracy": 0.90, "place_accuracy": 0.90,
    "title_accuracy": 1.0, "published_at_accuracy": 1.0, "outlet_accuracy": 1.0,
}


@pytest.fixture(scope="module")
def result(seed_records):
    need_shared()
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "tools" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    golds = [json.loads(l) for l in GOLD.read_text(encoding="utf-8").splitlines() if l.strip()]
    preds = [r.model_dump(mode="json", by_alias=True) for r in seed_records.values()]
    return score.score(preds, golds, n_errors=20)


@pytest.mark.parametrize("field,floor", sorted(FLOORS.items()))
def test_seed_gold_floor(result, field, floor):
    got = result[field]["f1"] if isinstance(result.get(field), dict) else result[field]
    assert got is not None and got >= floor, (field, got, result["errors"])


def test_every_seed_scored(result):
    assert result["articles"] == 5 and result["articles_missing"] == []
