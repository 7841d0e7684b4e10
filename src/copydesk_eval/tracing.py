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
Two thresholds were fit on the dev half of the articles (scripts/calibrate_tracing.py):
the candidate cut-off and the same-story word share; every query and planted pair here
comes from the test half.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.align.embedder import Embedder
from copydesk.ingest import document_from_text
from copydesk.library import Library
from copydesk.models import DERIVATIONS
from copydesk.segment import segment
from copydesk.settings import Settings
from copydesk.store.memory import MemoryStore
from copydesk.trace.signals import body_text, minhash, shingles
from copydesk_eval.alignment import is_dev_article
from copydesk_eval.datasets import bump_references, require

_SWAPS = (("said", "stated"), ("says", "states"), ("told", "informed"), ("also", "additionally"), ("but", "however"))
PLANTED_ARTICLES = 40  # articles whose copy, edit, summary and an unrelated article form the relation set


def stable_order(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()


def tracing_corpus(data_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """({article key: text}, {article key: its human reference summary}) from FRANK and BUMP."""
    articles: dict[str, str] = {}
    summaries: dict[str, str] = {}
    with require(data_dir / "frank" / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            articles[r["hash"]] = "\n".join(r["article_lines"]) if r.get("article_lines") else r["article"]
    with require(data_dir / "frank" / "benchmark.jsonl").open(encoding="utf-8") as fh:
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


def text_document(text: str, id: str, settings: Settings, title: str | None = None, site: str | None = None):
    """An evaluation text as copydesk reads a plain-text file."""
    return document_from_text(text, id=id, title=title, site=site, settings=settings, format="text")


def independent_retellings(data_dir: Path, model: str = "BERTS2S") -> dict[str, str]:
    """{BBC article key: a summarizer's one-sentence summary}: told from the same article as the
    reference summary, but not from the reference. Our stand-in for two outlets reporting one event."""
    out = {}
    with require(data_dir / "frank" / "benchmark.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["dataset"] == "bbc" and r["model_name"] == model:
                out[r["hash"]] = " ".join(r["summary_lines"])
    return out


def shared_five_grams(derived: str, source: str) -> float:
    """Share of the derived text's word 5-grams that also occur in the source."""
    grams = set(shingles(derived, 5))
    return len(grams & set(shingles(source, 5))) / len(grams) if grams else 0.0


def percent(hits: int, total: int) -> float:
    return round(100 * hits / total, 1) if total else 0.0


def relation_figures(confusion: Counter[tuple[str, str]], kinds: Sequence[str]) -> dict[str, Any]:
    """Recall and precision (%) per kind, and the confusion as "gold->predicted": count."""
    def total(side: int, kind: str) -> int:
        return sum(v for pair, v in confusion.items() if pair[side] == kind)

    return {
        "relation_recall": {k: percent(confusion[(k, k)], total(0, k)) for k in kinds},
        "relation_precision": {k: percent(confusion[(k, k)], total(1, k)) for k in kinds},
        "relation_confusion": {f"{g}->{p}": v for (g, p), v in sorted(confusion.items())},
    }


def wilson_interval(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a rate, in percent: a few hundred queries
    leave a recall uncertain by a few points either way."""
    if not total:
        return (0.0, 0.0)
    p = hits / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * ((p * (1 - p) + z * z / (4 * total)) / total) ** 0.5 / (1 + z * z / total)
    return (round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1))


def _retrieval(library: Library, articles, summaries, queried, settings, progress) -> dict[str, Any]:
    stored_ids = library.store.article_ids()
    signatures = np.stack([library.store.signals(i).minhash for i in stored_ids])
    rows = []
    failures = []
    for n, k in enumerate(queried, 1):
        truth = f"a:{k}"
        summary = text_document(summaries[k], f"s:{k}", settings)
        # Baseline: n-gram text reuse alone (MinHash of 5-word shingles, as text-reuse tools do).
        signature = minhash(body_text(segment(summary)), settings)
        minhash_best = stored_ids[int(np.argmax((signatures == signature).mean(axis=1)))]
        candidates = [c.id for c in library.candidates(summary)]
        _, relations = library.sources(summary)
        ranked = [r.source if r.derived == summary.id else r.derived for r in relations]
        rank = ranked.index(truth) if truth in ranked else None
        best = relations[0] if relations else None
        rows.append(
            {
                "paraphrased": shared_five_grams(summaries[k], articles[k]) < 0.15,
                "minhash_top1": minhash_best == truth,
                "cand_rank": candidates.index(truth) if truth in candidates else None,
                "rank": rank,
                "others_listed": len(ranked) - (rank is not None),
                "direction_known": rank == 0 and best.direction_known,
                "direction_right": rank == 0 and best.direction_known and best.source == truth,
            }
        )
        if rank != 0 and len(failures) < 5:
            failures.append({"summary": summaries[k][:200], "article": k, "found": ranked[0] if ranked else None})
        if progress and n % 50 == 0:
            progress(f"tracing: {n}/{len(queried)} summaries looked up")

    def figures(part: list[dict]) -> dict[str, Any]:
        found = [r for r in part if r["rank"] == 0]
        decided = [r for r in found if r["direction_known"]]
        hits = {d: sum(r["rank"] is not None and r["rank"] < d for r in part) for d in (1, 5)}
        missed = [r for r in part if r["rank"] is None or r["rank"] >= 5]
        return {
            "queries": len(part),
            "minhash_only_top1": percent(sum(r["minhash_top1"] for r in part), len(part)),
            **{
                f"candidate_recall_at_{d}": percent(sum(r["cand_rank"] is not None and r["cand_rank"] < d for r in part), len(part))
                for d in (1, 5, 10)
            },
            **{f"source_recall_at_{d}": percent(hits[d], len(part)) for d in (1, 5)},
            "source_recall_at_5_interval": wilson_interval(hits[5], len(part)),
            # What a reader must look past: articles listed that are not the summary's source.
            "others_listed_mean": round(sum(r["others_listed"] for r in part) / max(len(part), 1), 2),
            "direction_decided": percent(len(decided), len(found)),
            "direction_accuracy": percent(sum(r["direction_right"] for r in decided), len(decided)),
            # Why a source was missed: never a candidate (the index), or a candidate `sources` did not list first five.
            "missed_at_5": len(missed),
            "missed_not_candidates": sum(r["cand_rank"] is None for r in missed),
        }

    return {
        "all": figures(rows),
        "paraphrased": figures([r for r in rows if r["paraphrased"]]),
        "worst_retrievals": failures,
    }


def _relations(library: Library, articles, summaries, independent, planted, settings) -> dict[str, Any]:
    confusion: Counter[tuple[str, str]] = Counter()
    for i, k in enumerate(planted):
        base = f"a:{k}"
        cases = (
            ("verbatim_copy", text_document(verbatim_copy(articles[k]), f"copy:{k}", settings)),
            ("light_edit", text_document(light_edit(articles[k]), f"edit:{k}", settings)),
            ("paraphrase", text_document(summaries[k], f"s:{k}", settings)),
            ("unrelated", f"a:{planted[(i + 1) % len(planted)]}"),
        )
        for gold, derived in cases:
            confusion[(gold, library.relate(base, derived).relation)] += 1
    # Two retellings of one article, neither made from the other: calling them a copy is a false alarm.
    # Every such pair of the test half (one-sentence texts: cheap to relate).
    pairs = [k for k in sorted(independent, key=stable_order) if k in summaries and not is_dev_article(k)]
    verdicts = Counter(
        library.relate(text_document(summaries[k], f"s:{k}", settings), text_document(independent[k], f"m:{k}", settings)).relation
        for k in pairs
    )
    return {
        "relation_pairs": sum(confusion.values()),
        "relation_accuracy": percent(sum(v for (g, p), v in confusion.items() if g == p), sum(confusion.values())),
        **relation_figures(confusion, ("verbatim_copy", "light_edit", "paraphrase", "unrelated")),
        "independent_pairs": len(pairs),
        "independent_false_copy": percent(sum(v for r, v in verdicts.items() if r in DERIVATIONS), len(pairs)),
        "independent_relations": dict(sorted(verdicts.items())),
    }


def evaluate_tracing(
    data_dir: Path,
    embedder: Embedder,
    settings: Settings,
    retrieval_limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    articles, summaries = tracing_corpus(data_dir)
    keys = sorted(articles, key=stable_order)
    library = Library(MemoryStore(), settings, embedder=embedder)
    library.add((text_document(articles[k], f"a:{k}", settings) for k in keys), on_error=lambda e: None)
    # Queries come from the test half; the dev half fit the candidate cut-off (scripts/calibrate_tracing.py).
    stored = [k for k in keys if library.store.get(f"a:{k}") and k in summaries and not is_dev_article(k)]
    retrieval = _retrieval(library, articles, summaries, stored[:retrieval_limit], settings, progress)
    relations = _relations(
        library, articles, summaries, independent_retellings(data_dir), stored[:PLANTED_ARTICLES], settings
    )
    return {"articles": library.store.count(), **retrieval, **relations, "embedder": embedder.name}
