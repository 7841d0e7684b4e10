"""`compare`: one call from two articles to a CompareResult."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from copydesk.align.aligner import align
from copydesk.align.embedder import Embedder, make_embedder
from copydesk.check import omissions, summarize, verdicts
from copydesk.check.entities import EntityTagger, make_tagger
from copydesk.check.verifier import Verifier, make_verifier
from copydesk.errors import InputError
from copydesk.ingest import document_from_text, load_document
from copydesk.models import DERIVATIONS, CompareResult, Document, SegmentedDocument
from copydesk.segment import segment
from copydesk.settings import Settings
from copydesk.trace.relate import read_relation

ArticleInput = Document | str | Path


def as_document(article: ArticleInput, settings: Settings) -> Document:
    """A Document as is; a Path is read from disk; a str is the article's text."""
    if isinstance(article, Document):
        return article
    if isinstance(article, Path):
        return load_document(article, settings)
    return document_from_text(article, settings=settings)


def compare(
    source: ArticleInput,
    derived: ArticleInput,
    *,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    tagger: EntityTagger | None = None,
    verifier: Verifier | None = None,
) -> CompareResult:
    """Align `derived` (a suspected retelling) with `source` and judge each derived sentence."""
    settings = settings or Settings.load()
    embedder = embedder or make_embedder(settings)
    src = segment(as_document(source, settings))
    der = segment(as_document(derived, settings))
    return compare_segmented(src, der, settings, embedder, tagger, verifier)


def check_sentence_limit(seg: SegmentedDocument, settings: Settings) -> SegmentedDocument:
    """`seg`, or InputError when it has more story sentences than compare takes (`max_sentences`)."""
    if len(seg.sentences) > settings.max_sentences:
        doc = seg.document
        raise InputError(
            doc.path or doc.title or doc.id,
            f"{len(seg.sentences):,} story sentences, over the {settings.max_sentences:,} an article may have"
            " (compare's cost grows with both articles' length)",
        )
    return seg


def compare_segmented(
    src: SegmentedDocument,
    der: SegmentedDocument,
    settings: Settings,
    embedder: Embedder,
    tagger: EntityTagger | None = None,
    verifier: Verifier | None = None,
    judge_derived: bool = True,
) -> CompareResult:
    """The compare stages on already segmented articles (the library reuses them), with the
    summary saying whether `der` was retold from `src`. Relating two articles judges the relation
    itself from both readings, so it passes `judge_derived=False` (`summary.derived` stays None).
    `tagger` and `verifier` default to the ones `settings` names."""
    check_sentence_limit(src, settings)
    check_sentence_limit(der, settings)
    tagger = tagger or make_tagger(settings.entity_tagger)
    verifier = verifier or make_verifier(settings.verifier, embedder)
    alignments = align(der.sentences, src.sentences, embedder, settings)
    result = CompareResult(
        source=src,
        derived=der,
        alignments=alignments,
        verdicts=verdicts(src, der, alignments, tagger, verifier),
        omissions=omissions(src, alignments),
        summary=summarize(src, der, alignments, settings.same_story_min_share, settings.same_story_min_sentences),
        settings={**settings.to_dict(), "embedder": embedder.name, "verifier": verifier.name},
    )
    if not judge_derived:
        return result
    derived = read_relation(result, settings).relation in DERIVATIONS
    return replace(result, summary=replace(result.summary, derived=derived))
