"""Peer systems' balanced accuracy on the very items we evaluate.

FRANK and BUMP ship published per-summary scores of other metrics (FactCC,
DAE, QAGS, SummaC, QAFactEval...). A score becomes a faithful/unfaithful
call with a threshold: we fit it on the dev part (FRANK's valid split, BUMP's
dev half) to maximise balanced accuracy, and report on the test part, the
same items copydesk is reported on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from copydesk_eval.alignment import is_dev_article
from copydesk_eval.claims import balanced_accuracy
from copydesk_eval.datasets import require

FRANK_METRICS = ("FactCC", "Dep Entail", "QAGS", "FEQA", "BertScore P Art")
BUMP_METRICS = ("SummaC", "QAFactEval", "DAE", "FactCC", "QuestEval", "CoCo", "Q2")


def fit_and_score(dev: Sequence[tuple[float, bool]], test: Sequence[tuple[float, bool]]) -> float:
    """Threshold fit on dev (score below it = unfaithful); balanced accuracy on test."""
    candidates = sorted({s for s, _ in dev})
    best_threshold, best = candidates[0], -1.0
    for threshold in candidates:
        bacc = balanced_accuracy([s < threshold for s, _ in dev], [u for _, u in dev])
        if bacc > best:
            best_threshold, best = threshold, bacc
    return balanced_accuracy([s < best_threshold for s, _ in test], [u for _, u in test])


def frank_peers(data_dir: Path) -> dict[str, dict[str, float]]:
    labels = {
        (a["hash"], a["model_name"]): float(a["Factuality"]) < 1.0
        for a in json.loads(require(data_dir / "frank" / "human_annotations.json").read_text(encoding="utf-8"))
    }
    rows = json.loads(require(data_dir / "frank" / "baseline_factuality_metrics_outputs.json").read_text(encoding="utf-8"))
    out: dict[str, dict[str, float]] = {}
    for metric in FRANK_METRICS:
        out[metric] = {}
        for part in ("cnndm", "bbc", None):
            chosen = [r for r in rows if part is None or r["dataset"] == part]
            pairs = {
                split: [
                    (float(r[metric]), labels[(r["hash"], r["model_name"])])
                    for r in chosen
                    if r["split"] == split and r.get(metric) is not None
                ]
                for split in ("valid", "test")
            }
            out[metric][part or "all"] = fit_and_score(pairs["valid"], pairs["test"])
    return out


def bump_peers(data_dir: Path) -> dict[str, float]:
    """On our BUMP items: each article's reference summary once, every edited summary."""
    items: dict[bool, list[tuple[str, dict[str, Any], bool]]] = {True: [], False: []}
    seen: set[str] = set()
    for task in ("task1_dataset.json", "task2_dataset.json"):
        for r in json.loads(require(data_dir / "bump" / task).read_text(encoding="utf-8")):
            scores = r["scores"] if isinstance(r["scores"], dict) else json.loads(r["scores"].replace("'", '"'))
            key = str(r["article_id"])
            dev = is_dev_article(key)
            if key not in seen:
                seen.add(key)
                items[dev].append(("reference", scores, False))
            items[dev].append(("edited", scores, True))
    out = {}
    for metric in BUMP_METRICS:
        pairs = {
            dev: [(float(s[f"{metric}_{which}"]), unfaithful) for which, s, unfaithful in rows if f"{metric}_{which}" in s]
            for dev, rows in items.items()
        }
        if pairs[True] and pairs[False]:
            out[metric] = fit_and_score(pairs[True], pairs[False])
    return out
