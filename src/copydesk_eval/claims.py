"""Claim check against human labels: is a summary (the derived text) faithful to its article?

A summary is judged unfaithful when any of its sentences is distorted or
is an unsupported factual claim (unsupported filler does not count).
Balanced accuracy (mean of the recall on each class) is the headline, as
in SummaC and LLM-AggreFact.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from copydesk.align.embedder import Embedder
from copydesk.ingest import document_from_text
from copydesk.models import CompareResult
from copydesk.pipeline import compare
from copydesk.segment import segment
from copydesk.settings import Settings
from copydesk_eval.datasets import LabelledSummary


def judged_unfaithful(result: CompareResult) -> bool:
    return any(v.verdict == "distorted" or (v.verdict == "unsupported" and v.addition == "factual") for v in result.verdicts)


_WORD = re.compile(r"\S+")


def flagged_spans(result: CompareResult) -> list[tuple[int, int]]:
    """Character spans of the derived text that the claim check calls out: each finding's
    span, and the whole of every unsupported factual sentence."""
    sentences = {s.index: s for s in result.derived.sentences}
    out = [f.derived_span for v in result.verdicts for f in v.findings]
    out += [
        (sentences[v.derived].start, sentences[v.derived].end)
        for v in result.verdicts
        if v.verdict == "unsupported" and v.addition == "factual"
    ]
    return out


def word_overlap(text: str, predicted: Sequence[tuple[int, int]], annotators: Sequence[Sequence[tuple[int, int]]]) -> Counter[str]:
    """Word-level tp/fp/fn: a word is gold when most annotators marked it, predicted when inside a flagged span."""
    counts: Counter[str] = Counter()
    for m in _WORD.finditer(text):
        inside = lambda spans: any(a < m.end() and m.start() < b for a, b in spans)  # noqa: E731
        gold = sum(inside(spans) for spans in annotators) * 2 > len(annotators)
        flagged = inside(predicted)
        counts["tp" if gold and flagged else "fp" if flagged else "fn" if gold else "tn"] += 1
    return counts


def balanced_accuracy(predicted: Sequence[bool], gold: Sequence[bool]) -> float:
    pos = [p for p, g in zip(predicted, gold) if g]
    neg = [not p for p, g in zip(predicted, gold) if not g]
    rates = [sum(x) / len(x) for x in (pos, neg) if x]
    return sum(rates) / len(rates) if rates else 0.0


def evaluate_summaries(
    items: Sequence[LabelledSummary], embedder: Embedder, settings: Settings, examples: int = 3
) -> dict[str, Any]:
    articles: dict[str, Any] = {}
    predicted, gold = [], []
    by_type: dict[str, list[bool]] = defaultdict(list)
    kinds: Counter[str] = Counter()
    words: Counter[str] = Counter()
    misses: list[dict[str, str]] = []
    false_alarms: list[dict[str, str]] = []
    for item in items:
        if item.article_id not in articles:
            articles[item.article_id] = segment(document_from_text(item.article, settings=settings)).document
        result = compare(articles[item.article_id], item.summary, settings=settings, embedder=embedder)
        flagged = judged_unfaithful(result)
        predicted.append(flagged)
        gold.append(item.unfaithful)
        if item.unfaithful and item.error_type:
            by_type[item.error_type].append(flagged)
        if item.annotator_spans:
            words += word_overlap(item.summary, flagged_spans(result), item.annotator_spans)
        for v in result.verdicts:
            kinds.update(f.kind for f in v.findings)
            if v.verdict == "unsupported" and v.addition == "factual":
                kinds["unsupported_factual"] += 1
        if item.unfaithful and not flagged and len(misses) < examples:
            misses.append({"summary": item.summary[:300], "error_type": item.error_type or ""})
        if flagged and not item.unfaithful and len(false_alarms) < examples:
            why = next(
                (f"{f.kind}: {f.explanation}" for v in result.verdicts for f in v.findings),
                "unsupported factual sentence",
            )
            false_alarms.append({"summary": item.summary[:300], "why": why[:200]})
    tp = sum(p and g for p, g in zip(predicted, gold))
    fp = sum(p and not g for p, g in zip(predicted, gold))
    fn = sum(g and not p for p, g in zip(predicted, gold))
    tn = len(gold) - tp - fp - fn
    spans = {}
    if words:
        precision = words["tp"] / max(words["tp"] + words["fp"], 1)
        recall = words["tp"] / max(words["tp"] + words["fn"], 1)
        spans = {
            "span_words": {
                "precision": precision,
                "recall": recall,
                "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
                **dict(words),
            }
        }
    return {
        **spans,
        "n": len(gold),
        "unfaithful": sum(gold),
        "balanced_accuracy": balanced_accuracy(predicted, gold),
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "detection_by_error_type": {t: {"n": len(v), "detected": sum(v) / len(v)} for t, v in sorted(by_type.items())},
        "finding_kinds": dict(kinds.most_common()),
        "missed_examples": misses,
        "false_alarm_examples": false_alarms,
    }
