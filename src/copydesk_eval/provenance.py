"""Tracing the retold set (`../shared/data/retold/`): does each AI-style retelling lead back to
its source, and are independent reports of the same event kept apart from copies?

- a library of exactly one source and one retelling: is the source first in `sources`?
- the 12 sources, their 24 retellings and the 12 independent reports among real distractors
  (every other FRANK and BUMP article and its human reference summary, over 1,000 texts): is the
  source first in `sources`, and does `trace` hang every retelling from its source?
- pairs read alone: the source and each retelling (derived, by construction), the source and its
  independent report (not derived), and the two retellings of one source with the source absent
  (siblings: told from one text, but neither from the other).

No publication times are given (the set has none), so direction comes from the texts alone.
Nothing is fit here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.align.embedder import Embedder
from copydesk.library import Library
from copydesk.models import DERIVATIONS, Cluster, Document, Relation
from copydesk.segment import segment
from copydesk.settings import Settings
from copydesk.store.memory import MemoryStore
from copydesk.trace.signals import body_text, containment
from copydesk_eval.datasets import require
from copydesk_eval.retold import RetoldPair, load
from copydesk_eval.tracing import percent, text_document, tracing_corpus


def _library(settings: Settings, embedder: Embedder) -> Library:
    return Library(MemoryStore(), settings, embedder=embedder)


def listed_first(relations: list[Relation], article_id: str) -> str | None:
    """The article `sources` lists first for `article_id`, unless it was found retold from it."""
    if not relations:
        return None
    top = relations[0]
    if top.source == article_id and top.direction_known:
        return None
    return top.derived if top.source == article_id else top.source


def parent_in(clusters: list[Cluster], article_id: str) -> str | None:
    """The article `article_id` hangs from in the trace tree."""
    for cluster in clusters:
        for edge in cluster.edges:
            if edge.derived == article_id:
                return edge.source
    return None


def _families(data_dir: Path) -> dict[str, dict[str, RetoldPair]]:
    """source id -> {"drifted": pair, "faithful": pair, "independent": pair (where present)}."""
    families: dict[str, dict[str, RetoldPair]] = {}
    for pair in load(data_dir):
        families.setdefault(pair.source_id, {})[pair.kind] = pair
    if (data_dir / "retold" / "independent.jsonl").exists():
        for pair in load(data_dir, "independent.jsonl"):
            families.setdefault(pair.source_id, {})[pair.kind] = pair
    return families


def distractors(data_dir: Path, exclude: set[str], settings: Settings) -> list[Document]:
    """Real articles and their human reference summaries, none of the excluded articles."""
    articles, summaries = tracing_corpus(data_dir)
    docs = []
    for key in sorted(articles):
        if key in exclude:
            continue
        docs.append(text_document(articles[key], f"d:{key}", settings))
        if key in summaries:
            docs.append(text_document(summaries[key], f"ds:{key}", settings))
    return docs


def evaluate_provenance(
    data_dir: Path, embedder: Embedder, settings: Settings, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    require(data_dir / "retold" / "pairs.jsonl")
    families = _families(data_dir)
    retellings = [(sid, f[kind]) for sid, f in sorted(families.items()) for kind in ("drifted", "faithful") if kind in f]

    def source_doc(sid: str) -> Document:
        pair = families[sid]["drifted"]
        return text_document(pair.source_text, f"src:{sid}", settings, pair.source_title, pair.source_site)

    def derived_doc(pair: RetoldPair) -> Document:
        return text_document(pair.derived_text, pair.id, settings, pair.derived_title, pair.derived_site)

    # A library of exactly one source and one retelling.
    alone = 0
    for sid, pair in retellings:
        library = _library(settings, embedder)
        library.add([source_doc(sid), derived_doc(pair)])
        alone += listed_first(library.sources(pair.id)[1], pair.id) == f"src:{sid}"

    pairs = _pairs_read_alone(families, _library(settings, embedder), source_doc, derived_doc, settings)

    # Among distractors.
    crowd = distractors(data_dir, set(families), settings)
    library = _library(settings, embedder)
    library.add([source_doc(sid) for sid in sorted(families)])
    library.add(derived_doc(pair) for family in families.values() for pair in family.values())
    library.add(crowd)
    if progress:
        progress(f"provenance: {library.store.count()} articles in the crowded library")
    first = sum(listed_first(library.sources(pair.id)[1], pair.id) == f"src:{sid}" for sid, pair in retellings)
    clusters = library.trace()
    under = sum(parent_in(clusters, pair.id) == f"src:{sid}" for sid, pair in retellings)
    siblings_under = sum(
        all(parent_in(clusters, family[k].id) == f"src:{sid}" for k in ("drifted", "faithful"))
        for sid, family in families.items() if "drifted" in family and "faithful" in family
    )
    # A story should hold one event's articles: the source's story, beside its own family's texts.
    story_of = {m: c for c in clusters for m in c.members}
    strangers = [len(set(story_of[f"src:{sid}"].members) - {f"src:{sid}"} - {p.id for p in family.values()})
                 if f"src:{sid}" in story_of else 0 for sid, family in families.items()]
    return {
        "retellings": len(retellings),
        "two_article_source_first": percent(alone, len(retellings)),
        "crowded": {
            "articles": library.store.count(),
            "distractors": len(crowd),
            "source_first": percent(first, len(retellings)),
            "trace_under_source": percent(under, len(retellings)),
            "siblings_both_under_source": percent(siblings_under, pairs["counts"]["siblings"]),
            "largest_story": max((len(c.members) for c in clusters), default=0),
            "source_story_alone": percent(sum(n == 0 for n in strangers), len(strangers)),
            "source_story_others_median": float(np.median(strangers)),
        },
        "pairs": pairs,
    }


def _wording(derived: Document, source: Document, settings: Settings) -> float:
    """The share of the derived text's word n-grams found in the source (the paraphrase rule's wording)."""
    return containment(body_text(segment(derived)), body_text(segment(source)), settings.wording_words)


def _pairs_read_alone(
    families: dict[str, dict[str, RetoldPair]],
    pairwise: Library,
    source_doc: Callable[[str], Document],
    derived_doc: Callable[[RetoldPair], Document],
    settings: Settings,
) -> dict[str, Any]:
    """Each source with each retelling and its independent report, and the two retellings of one
    source with the source absent: how often each is called derived, and how much wording it keeps."""
    called = {"retelling": 0, "independent": 0, "siblings": 0}
    counted = {"retelling": 0, "independent": 0, "siblings": 0}
    wording: dict[str, list[float]] = {"retelling": [], "independent": [], "siblings": []}
    compare_says = {"retelling": 0, "independent": 0}  # `compare`'s summary.derived, one reading
    for sid, family in sorted(families.items()):
        source = source_doc(sid)
        for kind, role in (("drifted", "retelling"), ("faithful", "retelling"), ("independent", "independent")):
            if kind in family:
                counted[role] += 1
                derived = derived_doc(family[kind])
                called[role] += pairwise.relate(source, derived).relation in DERIVATIONS
                compare_says[role] += bool(pairwise.compare(source, derived).summary.derived)
                wording[role].append(_wording(derived, source, settings))
        if "drifted" in family and "faithful" in family:
            counted["siblings"] += 1
            drifted, faithful = derived_doc(family["drifted"]), derived_doc(family["faithful"])
            called["siblings"] += pairwise.relate(drifted, faithful).relation in DERIVATIONS
            wording["siblings"].append(_wording(faithful, drifted, settings))
    return {
        "retellings_called_derived": percent(called["retelling"], counted["retelling"]),
        "independent_called_derived": percent(called["independent"], counted["independent"]),
        "siblings_without_source_called_derived": percent(called["siblings"], counted["siblings"]),
        "compare_retellings_derived": percent(compare_says["retelling"], counted["retelling"]),
        "compare_independent_derived": percent(compare_says["independent"], counted["independent"]),
        "counts": counted,
        # The share of the derived text's word 3-grams found in the source (the paraphrase rule's wording).
        "wording": {role: {"min": round(min(v), 3), "median": round(float(np.median(v)), 3), "max": round(max(v), 3)}
                    for role, v in wording.items() if v},
    }
