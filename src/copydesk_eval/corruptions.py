"""Per-kind precision and recall of findings on generated corruptions.

Real sentences from the BUMP test-half articles are corrupted one change at a
time (`copydesk.check.corrupt`); each variant, and each untouched sentence,
is checked against its whole article. Recall of kind K: share of K-variants
where a K finding is reported. Precision of kind K: share of texts with a K
finding that really are K-variants (untouched sentences and other kinds count
against it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from copydesk.align.embedder import Embedder
from copydesk.ingest import document_from_text
from copydesk.pipeline import compare
from copydesk.segment import segment
from copydesk.settings import Settings
from copydesk_eval.corrupt import KINDS, corruptions
from copydesk_eval.datasets import SummarizedArticle

# The evaluation set: the first 40 BUMP test-half articles, 6 sentences each.
ARTICLES = 40
PER_ARTICLE = 6


def corruption_set(articles: Sequence[SummarizedArticle], per_article: int) -> list[tuple[str, str | None, str]]:
    """(article_id, kind or None for untouched, derived text)."""
    items: list[tuple[str, str | None, str]] = []
    for article in articles:
        sentences = [s.text for s in segment(document_from_text(article.article)).sentences if len(s.text.split()) >= 8]
        for sentence in sentences[:per_article]:
            items.append((article.id, None, sentence))
            items += [(article.id, c.kind, c.corrupted) for c in corruptions(sentence, article.article)]
    return items


def evaluate_corruptions(
    articles: Sequence[SummarizedArticle], embedder: Embedder, settings: Settings, per_article: int = PER_ARTICLE
) -> dict[str, Any]:
    docs = {a.id: document_from_text(a.article, settings=settings) for a in articles}
    produced: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    flagged_any: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for article_id, kind, text in corruption_set(articles, per_article):
        result = compare(docs[article_id], text, settings=settings, embedder=embedder)
        found = {f.kind for v in result.verdicts for f in v.findings}
        label = kind or "untouched"
        totals[label] += 1
        produced.update(found)
        if kind in found:
            hits[kind] += 1
        if found or any(v.verdict == "unsupported" and v.addition == "factual" for v in result.verdicts):
            flagged_any[label] += 1
    per_kind = {
        kind: {
            "n": totals[kind],
            "recall": hits[kind] / totals[kind] if totals[kind] else None,
            "precision": hits[kind] / produced[kind] if produced[kind] else None,
            "flagged_any": flagged_any[kind] / totals[kind] if totals[kind] else None,
        }
        for kind in KINDS
    }
    untouched = totals["untouched"]
    return {
        "per_kind": per_kind,
        "untouched": untouched,
        "false_alarm_rate": flagged_any["untouched"] / untouched if untouched else None,
        "articles": len(articles),
        "sentences_per_article": per_article,
    }
