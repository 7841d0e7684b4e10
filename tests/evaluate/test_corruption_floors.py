"""The per-kind floors of eval/floors.json hold on the corruption set (real model, real data)."""

import json
from pathlib import Path

import pytest

from copydesk.settings import Settings
from copydesk_eval.alignment import is_dev_article
from copydesk_eval.corruptions import ARTICLES, evaluate_corruptions
from copydesk_eval.datasets import bump_references

pytestmark = [pytest.mark.model, pytest.mark.data]
FLOORS = json.loads((Path(__file__).resolve().parents[2] / "eval" / "floors.json").read_text())


def test_per_kind_floors_hold(shared_data, real_embedder):
    articles = [a for a in bump_references(shared_data) if not is_dev_article(a.id)][:ARTICLES]
    result = evaluate_corruptions(articles, real_embedder, Settings.load())
    checked = []
    for key, floor in FLOORS.items():
        if not key.startswith("claims.corruptions.per_kind."):
            continue
        kind, metric = key.split(".")[3:5]
        figures = result["per_kind"][kind]
        if figures["n"] >= 10:  # too few variants say little
            checked.append(kind)
            assert figures[metric] >= floor, f"{kind} {metric} {figures[metric]:.3f} < {floor}"
    assert {"number_changed", "entity_changed", "negation_flipped", "quote_fabricated"} <= set(checked)
    assert result["false_alarm_rate"] <= 0.05
