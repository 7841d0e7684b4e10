"""The stage functions every engine runs, so the local and the Spark engine give
the same answers: read a stored article back, relate a candidate pair, build
the stories. (Candidate scoring is in trace/candidates.py; only where the
postings come from differs between engines.)"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from copydesk.align.embedder import Embedder
from copydesk.ingest import document_from_text
from copydesk.models import Cluster, LibraryArticle, Relation, SegmentedDocument
from copydesk.pipeline import compare_segmented
from copydesk.segment import segment
from copydesk.settings import Settings
from copydesk.trace import cluster as cluster_lib
from copydesk.trace.relate import lead_similarity, relate


def segmented(record: LibraryArticle, settings: Settings) -> SegmentedDocument:
    """A stored article segmented again: the same spans it was stored with."""
    doc = document_from_text(
        record.text,
        where=record.id,
        settings=replace(settings, max_bytes=max(settings.max_bytes, len(record.text.encode()) + 1)),
        id=record.id,
        format="text",
        title=record.title,
        author=record.author,
        published=record.published,
        site=record.site,
        url=record.url,
    )
    return segment(doc)


def relate_pair(
    a: tuple[LibraryArticle, SegmentedDocument],
    b: tuple[LibraryArticle, SegmentedDocument],
    settings: Settings,
    embedder: Embedder,
) -> Relation:
    """Compare the two articles both ways and say what one is to the other.
    The pair is taken in id order, so (a, b) and (b, a) give the same Relation."""
    (first, first_doc), (second, second_doc) = sorted((a, b), key=lambda x: x[0].id)
    first_as_source = compare_segmented(first_doc, second_doc, settings, embedder, judge_derived=False)
    second_as_source = compare_segmented(second_doc, first_doc, settings, embedder, judge_derived=False)
    brief = lead_similarity(first_doc, second_doc, settings, embedder)
    return relate(first, second, first_as_source, second_as_source, settings, brief)


def stories(relations: Sequence[Relation], published: Mapping[str, str | None], settings: Settings) -> list[Cluster]:
    """Story clusters with their earliest source and provenance tree (per connected component of the
    relations that join stories, `trace.cluster.joins_stories`). Relations are put in pair order
    first: ties in the tree are then broken the same way whichever engine gathered them, in whatever order."""
    joining = [r for r in relations if cluster_lib.joins_stories(r, settings)]
    ordered = sorted(joining, key=lambda r: (min(r.source, r.derived), max(r.source, r.derived)))
    return cluster_lib.clusters(ordered, published)


def relation_from_dict(body: dict) -> Relation:
    """A Relation back from `dataclasses.asdict` (as cached in the store or carried between engine stages)."""
    body = dict(body)
    body["direction_evidence"] = tuple(body["direction_evidence"])
    body["shared_facts"] = tuple(body["shared_facts"])
    return Relation(**body)


def cluster_from_dict(body: dict) -> Cluster:
    return Cluster(body["id"], body["root"], tuple(body["members"]), tuple(relation_from_dict(e) for e in body["edges"]))
