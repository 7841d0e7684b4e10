"""Tracing on real news: find the article a human summary was retold from, say
which way it went, and name the relation of planted copies and edits.

No public corpus labels who copied whom in news at scale (METER and NEWS-COPY
are not available here: see ../shared/data/README.md), so:
- retrieval and direction use real derived texts: the human reference
  summaries of FRANK's and BUMP's CNN/DM and BBC articles, each a retelling of
  exactly one article, looked up in a library of all ~550 articles;
- relations use planted pairs built from the same real articles at run time:
  verbatim copies (boilerplate added), light edits (a few words swapped, a
  sentence dropped), retellings (the human summary) and unrelated articles.
Nothing here tunes a threshold; every figure is a test figure.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from copydesk.align.embedder import Embedder
from copydesk.evaluate.datasets import _require, bump_references
from copydesk.ingest import document_from_text
from copydesk.library import Library
from copydesk.models import RELATION_KINDS
from copydesk.settings import Settings
from copydesk.store.memory import MemoryStore

_SWAPS = (("said", "stated"), ("says", "states"), ("told", "informed"), ("also", "additionally"), ("but", "however"))
PLANTED_ARTICLES = 40  # articles whose copy, edit, summary and an unrelated article form the relation set


def _stable_order(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()


def tracing_corpus(data_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """({article key: text}, {article key: its human reference summary}) from FRANK and BUMP."""
    articles: dict[str, str] = {}
    summaries: dict[str, str] = {}
    with _require(data_dir / "frank" / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            articles[r["hash"]] = "\n".join(r["article_lines"]) if r.get("article_lines") else r["article"]
    with _require(data_dir / "frank" / "benchmark.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["hash"] in articles and r.get("reference"):
                summaries.setdefault(r["hash"], r["reference"])
    for item in bump_references(data_dir):
        articles.setdefault(item.id, item.article)
        summaries.setdefault(item.id, item.summary)
    return articles, summaries


def light_edit(text: str) -> str:
    """A careless rewrite: a few words swapped and the last paragraph line dropped."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 3:
        lines = lines[:-1]
    edited = "\n".join(lines)
    for old, new in _SWAPS:
        edited = re.sub(rf"\b{old}\b", new, edited, count=2)
    return edited


def verbatim_copy(text: str) -> str:
    return "Share this article\n" + text + "\nAll rights reserved.\n"


def _doc(text: str, id: str, settings: Settings):
    return document_from_text(text, id=id, settings=settings, format="text")


def evaluate_tracing(
    data_dir: Path,
    embedder: Embedder,
    candidate_embedder: Embedder,
    settings: Settings,
    retrieval_limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    articles, summaries = tracing_corpus(data_dir)
    keys = sorted(articles, key=_stable_order)
    library = Library(MemoryStore(), settings, embedder=embedder, candidate_embedder=candidate_embedder)
    library.add((_doc(articles[k], f"a:{k}", settings) for k in keys), on_error=lambda e: None)
    stored = {k for k in keys if library.store.get(f"a:{k}")}
    queried = [k for k in keys if k in summaries and k in stored][:retrieval_limit]
    # Retrieval: the summary is looked up, not added (as `copydesk sources FILE` does).
    hits_candidates = {1: 0, 10: 0}
    top1 = direction_right = direction_known = 0
    failures = []
    for n, k in enumerate(queried, 1):
        summary = _doc(summaries[k], f"s:{k}", settings)
        candidates = [c.id for c in library.candidates(summary)]
        for depth in hits_candidates:
            hits_candidates[depth] += f"a:{k}" in candidates[:depth]
        _, relations = library.sources(summary)
        best = relations[0] if relations else None
        found = best is not None and f"a:{k}" in (best.source, best.derived)
        top1 += found
        if found:
            direction_known += best.direction_known
            direction_right += best.direction_known and best.source == f"a:{k}"
        elif len(failures) < 5:
            failures.append({"summary": summaries[k][:200], "article": k, "found": best.source if best else None})
        if progress and n % 50 == 0:
            progress(f"tracing: {n}/{len(queried)} summaries looked up")
    # Relations on planted pairs.
    planted = [k for k in keys if k in summaries and k in stored][:PLANTED_ARTICLES]
    confusion: Counter[tuple[str, str]] = Counter()
    for i, k in enumerate(planted):
        other = planted[(i + 1) % len(planted)]
        base = f"a:{k}"
        cases = (
            ("verbatim_copy", _doc(verbatim_copy(articles[k]), f"copy:{k}", settings)),
            ("light_edit", _doc(light_edit(articles[k]), f"edit:{k}", settings)),
            ("paraphrase", _doc(summaries[k], f"s:{k}", settings)),
            ("unrelated", f"a:{other}"),
        )
        for gold, derived in cases:
            predicted = library.relate(base, derived).relation
            confusion[(gold, predicted)] += 1
    relation_accuracy = sum(v for (g, p), v in confusion.items() if g == p) / max(sum(confusion.values()), 1)
    per_class = {
        g: round(100 * confusion[(g, g)] / max(sum(v for (gg, _), v in confusion.items() if gg == g), 1), 1)
        for g in ("verbatim_copy", "light_edit", "paraphrase", "unrelated")
    }
    return {
        "articles": len(stored),
        "summaries_queried": len(queried),
        "candidate_recall_at_1": round(100 * hits_candidates[1] / max(len(queried), 1), 1),
        "candidate_recall_at_10": round(100 * hits_candidates[10] / max(len(queried), 1), 1),
        "source_top1": round(100 * top1 / max(len(queried), 1), 1),
        "direction_decided": round(100 * direction_known / max(top1, 1), 1),
        "direction_accuracy": round(100 * direction_right / max(direction_known, 1), 1),
        "relation_pairs": sum(confusion.values()),
        "relation_accuracy": round(100 * relation_accuracy, 1),
        "relation_recall": per_class,
        "relation_confusion": {f"{g}->{p}": v for (g, p), v in sorted(confusion.items()) if p in RELATION_KINDS},
        "worst_retrievals": failures,
        "embedder": embedder.name,
    }
