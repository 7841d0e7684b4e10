"""The local and the Spark engine run the same stages and must agree exactly."""

from __future__ import annotations

import shutil
from dataclasses import asdict

import pytest

from copydesk.align.embedder import HashingEmbedder
from copydesk.engines.local import LocalEngine
from copydesk.library import Library
from copydesk.models import DERIVATIONS
from copydesk.parquet import export_articles
from copydesk.settings import Settings
from tests.engines.conftest import planted_corpus


@pytest.fixture(scope="module")
def traced(tmp_path_factory, spark_available):
    from copydesk.engines.spark import SparkEngine

    # A budget small enough to bind, so both engines' cut of each query's keys is compared too.
    settings = Settings.load(candidate_posting_budget=400)
    folder = tmp_path_factory.mktemp("engines")
    docs, planted = planted_corpus(settings)
    with Library.open(folder / "lib.db", settings, embedder=HashingEmbedder()) as library:
        library.add(docs)
        local = LocalEngine(library).trace()
        export_articles(library, folder / "parquet")
    engine = SparkEngine(folder / "parquet", folder / "out", settings, master="local[2]", partitions=4, embedder=HashingEmbedder())
    spark = engine.trace()
    yield local, spark, planted, engine
    from pyspark.sql import SparkSession

    if (session := SparkSession.getActiveSession()) is not None:
        session.stop()


def test_both_engines_find_the_same_pairs_relations_and_stories(traced):
    local, spark, planted, _ = traced
    assert spark.articles == local.articles == 225
    assert spark.confirmed_pairs == local.confirmed_pairs == len(local.confirmed)
    assert spark.candidate_pairs == local.candidate_pairs
    assert [tuple(sorted((r.source, r.derived))) for r in spark.relations] == [
        tuple(sorted((r.source, r.derived))) for r in local.relations
    ]
    assert [asdict(r) for r in spark.relations] == [asdict(r) for r in local.relations]  # relation, direction, verdicts
    assert spark.clusters == local.clusters


def test_the_planted_retellings_are_found(traced):
    local, _, planted, _ = traced
    found = {(r.source, r.derived): r for r in local.confirmed}
    hits = [d for d, (s, _) in planted.items() if (s, d) in found and found[(s, d)].relation in DERIVATIONS]
    # The comparison above is not between two empty results: most planted retellings, of every kind, are there.
    assert len(hits) >= 2 * len(planted) // 3
    assert {planted[d][1] for d in hits} == {"verbatim_copy", "light_edit", "paraphrase"}


def test_spark_writes_tables_and_exports(traced):
    import json

    import pyarrow.parquet as pq

    local, _, _, engine = traced
    out = engine.output_dir
    pairs = pq.read_table(out / "pairs").to_pylist()
    assert sorted((r["a"], r["b"], r["relation"]) for r in pairs) == sorted(
        (*sorted((r.source, r.derived)), r.relation) for r in local.relations
    )
    assert pq.read_table(out / "clusters.parquet").num_rows == len(local.clusters)
    trace = json.loads((out / "trace.json").read_text())
    assert trace["schema"] == "copydesk.trace/1" and len(trace["clusters"]) == len(local.clusters)
    assert (out / "trace.graphml").read_text().startswith("<?xml") and "digraph" in (out / "trace.dot").read_text()
    summary = json.loads((out / "summary.json").read_text())
    assert [s["stage"] for s in summary["stages"]] == ["signals", "candidates", "relations", "stories"]


def test_a_rerun_resumes_from_finished_stages(traced):
    local, _, _, engine = traced
    shutil.rmtree(engine.output_dir / "stages" / "stories")  # as if the run died in the last stage
    seen = []
    engine.on_stage = seen.append
    again = engine.trace()
    assert [(s.stage, s.resumed) for s in seen] == [
        ("signals", True), ("candidates", True), ("relations", True), ("stories", False)
    ]
    assert again.clusters == local.clusters
