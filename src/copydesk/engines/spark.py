"""The Spark engine: tracing over Parquet on Apache Spark (`local[*]` or a cluster).

Stages, each written to OUTPUT/stages/<name> as Parquet before the next starts,
so a failed run resumes from the last finished stage:

1. signals: MinHash buckets and fingerprint keys per article (read from the
   Parquet when `copydesk export` wrote them, else computed with the library's
   own functions);
2. candidates: postings exploded and joined by bucket and by key. Buckets and
   keys held by more than `posting_cap` articles are dropped before any join,
   so a very common key costs one count, not a quadratic blow-up. Each article's
   gathered postings are scored by `trace.candidates.score_candidates`, the
   function the local library uses;
3. relations: each candidate pair compared both ways by `stages.relate_pair`
   in a pandas UDF; the embedder is loaded once per Python worker;
4. stories: connected components by label propagation, then each component's
   provenance tree by `stages.stories`, as locally.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from copydesk.align.embedder import Embedder, make_embedder
from copydesk.engines import StageTime, TraceRun
from copydesk.engines.stages import cluster_from_dict, relate_pair, relation_from_dict, segmented, stories
from copydesk.errors import CopydeskError
from copydesk.parquet import check_parquet_folder, record_from_row
from copydesk.settings import Settings
from copydesk.trace.candidates import posting_cap, rarest_keys, score_candidates
from copydesk.trace.cluster import joins_stories
from copydesk.trace.relate import RULES_VERSION
from copydesk.trace.signals import article_signals

STAGES = ("signals", "candidates", "relations", "stories")
_ARTICLE_COLUMNS = ("id", "content_hash", "text", "title", "author", "published", "site", "url", "language", "format", "path")


def spark_session(master: str = "local[*]", partitions: int = 8, driver_memory: str = "4g"):
    """A Spark session whose Python workers run this interpreter (and so see copydesk)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise CopydeskError("the Spark engine needs pyspark: pip install 'copydesk[spark]'") from exc
    try:
        return _build_session(SparkSession, master, partitions, driver_memory)
    except Exception as exc:  # py4j and pyspark raise several types when Java or the master is missing
        raise CopydeskError(f"cannot start Spark at {master} (Java 17 installed? master reachable?): {exc}") from exc


def _build_session(SparkSession, master: str, partitions: int, driver_memory: str):
    return (
        SparkSession.builder.master(master)
        .appName("copydesk-trace")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", driver_memory)  # in local mode the driver is also the executor
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )


# Worker side ------------------------------------------------------------------------------
# Functions below run in Spark's Python workers. Module globals live as long as the worker,
# so the embedder is loaded once per worker, not once per pair or batch.

_WORKER_EMBEDDERS: dict[str, Embedder] = {}


def _worker_embedder(settings: Settings, given: Embedder | None) -> Embedder:
    if given is not None:
        return given
    if settings.embedder not in _WORKER_EMBEDDERS:
        _WORKER_EMBEDDERS[settings.embedder] = make_embedder(settings)
    return _WORKER_EMBEDDERS[settings.embedder]


def _plain(value: Any) -> Any:
    """pandas hands list columns over as numpy arrays; the stage functions want Python values."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, float) and value != value:  # NaN from a null
        return None
    return value


def _rows(batches) -> Iterator[dict]:
    for frame in batches:
        for row in frame.to_dict("records"):
            yield {k: _plain(v) for k, v in row.items()}


def _signals_udf(settings: Settings) -> Callable:
    import pandas as pd

    def run(batches):
        for frame in batches:
            out = []
            for row in _rows([frame]):
                if row.get("buckets") is not None and row.get("keys") is not None:
                    out.append({"id": row["id"], "buckets": row["buckets"], "keys": sorted(row["keys"])})
                    continue
                try:
                    signals = article_signals(segmented(record_from_row(row), settings), settings)
                except CopydeskError:
                    continue  # nothing to read in the text (control characters only, say): skipped and counted
                out.append({"id": row["id"], "buckets": list(signals.buckets), "keys": sorted(signals.keys)})
            yield pd.DataFrame(out, columns=["id", "buckets", "keys"])

    return run


def _usable(articles):
    """The rows an article can be made of: an id and a text that are not blank, and one row per id (the
    first by text, so every run keeps the same one)."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    filled = articles.where(F.trim(F.col("id")) != "").where(F.trim(F.col("text")) != "")  # a null is never != ""
    if filled.groupBy("id").count().where(F.col("count") > 1).limit(1).count() == 0:
        return filled  # the usual case: no shuffle of the texts
    first = Window.partitionBy("id").orderBy("text")
    return filled.withColumn("_row", F.row_number().over(first)).where(F.col("_row") == 1).drop("_row")


def _score_udf(n: int, mean_size: float, settings: Settings) -> Callable:
    import pandas as pd

    cap = posting_cap(n, settings)

    def run(batches):
        for frame in batches:
            out = []
            for row in _rows([frame]):
                frequency = {r["key"]: r["df"] for r in row["rarest"] or ()}
                candidates = score_candidates(
                    row["id"],
                    {r["other"]: r["shared"] for r in row["buckets_shared"] or ()},
                    row["bands"],
                    rarest_keys(frequency, cap, settings, counts_itself=True),
                    frequency,
                    {r["other"]: r["keys"] for r in row["keys_shared"] or ()},
                    {r["other"]: r["size"] for r in row["keys_shared"] or ()},
                    mean_size,
                    n,
                    settings,
                )
                out += [sorted((row["id"], c.id)) for c in candidates]
            yield pd.DataFrame(out, columns=["a", "b"])

    return run


def _relate_udf(settings: Settings, embedder: Embedder | None) -> Callable:
    import pandas as pd

    def article(row: dict, prefix: str):
        record = record_from_row({k[len(prefix):]: v for k, v in row.items() if k.startswith(prefix)})
        return record, segmented(record, settings)

    def run(batches):
        model = _worker_embedder(settings, embedder)
        for frame in batches:
            out = []
            for row in _rows([frame]):
                relation = relate_pair(article(row, "a_"), article(row, "b_"), settings, model)
                out.append({
                    "a": row["a_id"], "b": row["b_id"], "relation": relation.relation, "source": relation.source,
                    "derived": relation.derived, "direction_known": relation.direction_known,
                    "confidence": relation.direction_confidence, "distortions": relation.distortions,
                    "joins_stories": joins_stories(relation, settings),
                    "body": json.dumps(asdict(relation), sort_keys=True),
                })
            yield pd.DataFrame(out, columns=list(_RELATION_COLUMNS))

    return run


_RELATION_COLUMNS = {
    "a": "string", "b": "string", "relation": "string", "source": "string", "derived": "string",
    "direction_known": "boolean", "confidence": "double", "distortions": "int", "joins_stories": "boolean",
    "body": "string",
}


def _stories_udf(frame, settings: Settings):
    import pandas as pd

    relations = [relation_from_dict(json.loads(body)) for body in frame["body"]]
    published = {}
    for _, row in frame.iterrows():
        published[row["source"]] = _plain(row["source_published"])
        published[row["derived"]] = _plain(row["derived_published"])
    found = stories(relations, published, settings)
    return pd.DataFrame(
        [{"id": c.id, "root": c.root, "size": len(c.members), "body": json.dumps(asdict(c), sort_keys=True)} for c in found],
        columns=["id", "root", "size", "body"],
    )


# Driver side ---------------------------------------------------------------------------------


def check_master(master: str) -> None:
    """CopydeskError when a spark://host:port master does not answer: said in one line before the
    JVM starts, where Spark would print pages of Java first. Other masters (local, yarn, k8s) pass."""
    if not master.startswith("spark://"):
        return
    import socket

    for address in master.removeprefix("spark://").split(","):  # a list of masters for failover
        host, _, port = address.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=5):
                return
        except (OSError, ValueError):
            continue
    raise CopydeskError(f"--master {master}: no Spark master answers there")


class SparkEngine:
    name = "spark"

    def __init__(
        self,
        input_dir: str | Path,
        output_dir: str | Path,
        settings: Settings,
        *,
        master: str = "local[*]",
        partitions: int = 8,
        embedder: Embedder | None = None,
        on_stage: Callable[[StageTime], None] | None = None,
        until: str = "stories",
        collect_pairs: bool = True,
    ) -> None:
        """`embedder`: an object to ship to the workers (tests pass a fake); None loads the configured model there.
        `until="candidates"` stops once the candidate pairs are written. `collect_pairs=False` leaves the
        relations in OUTPUT/pairs (Parquet) instead of bringing them all to the driver: for large runs."""
        self.input_dir, self.output_dir = Path(input_dir), Path(output_dir)
        self.settings, self.master, self.partitions = settings, master, partitions
        self.embedder = embedder
        self.on_stage = on_stage
        self.until = until
        self.collect_pairs = collect_pairs
        check_parquet_folder(self.input_dir)
        check_master(master)

    def _run_key(self) -> str:
        """What the checkpoints depend on: settings, embedder, relation rules and the input files."""
        name = self.embedder.name if self.embedder is not None else self.settings.embedder
        files = sorted((str(p.relative_to(self.input_dir)), p.stat().st_size) for p in self.input_dir.rglob("*.parquet"))
        record = {"settings": self.settings.to_dict(), "embedder": name, "rules": RULES_VERSION, "input": files}
        return hashlib.sha1(json.dumps(record, sort_keys=True).encode()).hexdigest()[:16]

    def _prepare_checkpoints(self) -> Path:
        stages = self.output_dir / "stages"
        manifest = stages / "run.json"
        key = self._run_key()
        if manifest.exists() and json.loads(manifest.read_text()).get("key") != key:
            shutil.rmtree(stages)  # another input or other settings: nothing to resume
        stages.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps({"key": key}))
        return stages

    def trace(self) -> TraceRun:
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        spark = spark_session(self.master, self.partitions)
        stages_dir = self._prepare_checkpoints()
        s = self.settings
        times: list[StageTime] = []

        def stage(name: str, build: Callable[[], Any]):
            """Run a stage unless an earlier run finished it; either way read it back from Parquet."""
            path = stages_dir / name
            started = time.perf_counter()
            resumed = (path / "_SUCCESS").exists()
            if not resumed:
                build().write.mode("overwrite").parquet(str(path))
            frame = spark.read.parquet(str(path))
            timing = StageTime(name, round(time.perf_counter() - started, 2), frame.count(), resumed)
            times.append(timing)
            if self.on_stage:
                self.on_stage(timing)
            return frame

        articles = spark.read.parquet(str(self.input_dir))
        missing = {"id", "text"} - set(articles.columns)
        if missing:
            raise CopydeskError(f"{self.input_dir}: Parquet lacks column(s) {', '.join(sorted(missing))}")
        for column in _ARTICLE_COLUMNS + ("sentence_spans", "boilerplate_spans", "buckets", "keys"):
            if column not in articles.columns:
                articles = articles.withColumn(column, F.lit(None))
        rows = articles.count()
        articles = _usable(articles)

        signals = stage(
            "signals",
            lambda: articles.select(*_ARTICLE_COLUMNS, "buckets", "keys").mapInPandas(
                _signals_udf(s), "id string, buckets array<bigint>, keys array<string>"
            ),
        )

        def candidates():
            cap = posting_cap(n, s)
            buckets = signals.select("id", F.explode("buckets").alias("bucket"))
            held = buckets.groupBy("bucket").count().where(F.col("count") <= cap).select("bucket")
            buckets = buckets.join(held, "bucket")  # common buckets dropped before the self-join
            bucket_pairs = (
                buckets.alias("q").join(buckets.alias("o"), "bucket")
                .where(F.col("q.id") != F.col("o.id"))
                .groupBy(F.col("q.id").alias("id"), F.col("o.id").alias("other")).agg(F.count("*").alias("shared"))
            )
            keys = signals.select("id", F.explode("keys").alias("key"))
            frequency = keys.groupBy("key").agg(F.count("*").alias("df")).where(F.col("df") <= cap)
            usable = keys.join(frequency, "key")  # common keys dropped: never exploded into pairs
            rank = Window.partitionBy("id").orderBy("df", "key")
            spent = F.sum("df").over(rank.rowsBetween(Window.unboundedPreceding, Window.currentRow))
            rarest = (  # keys only the article itself holds propose nothing (see rarest_keys)
                usable.where(F.col("df") > 1).withColumn("r", F.row_number().over(rank)).withColumn("spent", spent)
                .where((F.col("r") <= s.candidate_query_keys) & (F.col("spent") <= s.candidate_posting_budget))
                .drop("r", "spent")
            )
            holders = usable.select(F.col("id").alias("other"), "key")
            sizes = signals.select(F.col("id").alias("other"), F.size("keys").alias("size"))
            shared = (
                rarest.join(holders, "key").where(F.col("id") != F.col("other"))
                .groupBy("id", "other").agg(F.collect_list("key").alias("keys"))
                .join(sizes, "other")
            )
            gathered = (
                signals.select("id", F.size("buckets").alias("bands"))
                .join(bucket_pairs.groupBy("id").agg(F.collect_list(F.struct("other", "shared")).alias("buckets_shared")), "id", "left")
                .join(shared.groupBy("id").agg(F.collect_list(F.struct("other", "keys", "size")).alias("keys_shared")), "id", "left")
                .join(rarest.groupBy("id").agg(F.collect_list(F.struct("key", "df")).alias("rarest")), "id", "left")
            )
            mean_size = signals.agg(F.avg(F.size("keys"))).first()[0] or 0.0
            return gathered.mapInPandas(_score_udf(n, mean_size, s), "a string, b string").distinct()

        n = times[-1].rows  # the articles with signals: the others were skipped
        pairs = stage("candidates", candidates)
        if self.until == "candidates":
            return TraceRun(n, times[-1].rows, 0, (), (), tuple(times), rows - n)

        def relations():
            columns = (*_ARTICLE_COLUMNS, "sentence_spans", "boilerplate_spans")
            a = articles.select(*(F.col(c).alias(f"a_{c}") for c in columns))
            b = articles.select(*(F.col(c).alias(f"b_{c}") for c in columns))
            joined = pairs.join(a, pairs.a == a.a_id).join(b, pairs.b == b.b_id).drop("a", "b")
            schema = ", ".join(f"{k} {v}" for k, v in _RELATION_COLUMNS.items())
            return joined.repartition(max(1, self.partitions)).mapInPandas(_relate_udf(s, self.embedder), schema)

        related = stage("relations", relations)

        def clusters():
            confirmed = related.where(F.col("joins_stories"))
            component = self._components(spark, confirmed)
            published = articles.select("id", "published")
            rows = (
                confirmed.join(component, confirmed.source == component.node).drop("node")
                .join(published.select(F.col("id").alias("sid"), F.col("published").alias("source_published")),
                      F.col("source") == F.col("sid"))
                .join(published.select(F.col("id").alias("did"), F.col("published").alias("derived_published")),
                      F.col("derived") == F.col("did"))
                .select("component", "source", "derived", "body", "source_published", "derived_published")
            )
            return rows.groupBy("component").applyInPandas(
                lambda frame: _stories_udf(frame, s), "id string, root string, size int, body string")

        story_rows = stage("stories", clusters)

        found = sorted(
            (cluster_from_dict(json.loads(r.body)) for r in story_rows.select("body").collect()),
            key=lambda c: (-len(c.members), c.id),
        )
        collected = ()
        if self.collect_pairs:
            collected = tuple(sorted(
                (relation_from_dict(json.loads(r.body)) for r in related.select("body").collect()),
                key=lambda r: tuple(sorted((r.source, r.derived))),
            ))
        confirmed = related.where(F.col("relation") != "unrelated").count()
        counted = {t.stage: t.rows for t in times}  # each stage counted its rows once already
        run = TraceRun(n, counted["candidates"], confirmed, collected, tuple(found), tuple(times), rows - n)
        # Pairs are written by the executors; only the stories (far fewer) pass through the driver.
        related.write.mode("overwrite").parquet(str(self.output_dir / "pairs"))
        members = spark.createDataFrame([(m,) for c in found for m in c.members], "id string")
        titles = {r.id: r.title for r in articles.join(members, "id").select("id", "title").collect()} if found else {}
        self._write_outputs(run, titles)
        return run

    @staticmethod
    def _components(spark, confirmed):
        """Connected components by min-label propagation: (node, component) for every linked article.
        Each round is a join; rounds are bounded by the widest story's diameter, not the library size."""
        from pyspark.sql import functions as F

        edges = confirmed.select(F.col("source").alias("u"), F.col("derived").alias("v"))
        edges = edges.union(edges.select(F.col("v").alias("u"), F.col("u").alias("v"))).distinct().localCheckpoint()
        labels = edges.select(F.col("u").alias("node")).distinct().withColumn("component", F.col("node")).localCheckpoint()
        while True:
            spread = (
                edges.join(labels, edges.v == labels.node).groupBy("u").agg(F.min("component").alias("neighbour"))
            )
            updated = (
                labels.join(spread, labels.node == spread.u, "left")
                .select("node", F.least("component", F.coalesce("neighbour", "component")).alias("component"))
                .localCheckpoint()
            )
            changed = updated.join(labels.withColumnRenamed("component", "before"), "node").where(
                F.col("component") != F.col("before")
            ).count()
            labels = updated
            if changed == 0:
                return labels

    def _write_outputs(self, run: TraceRun, titles: dict[str, str | None]) -> None:
        """Tables for other tools (pairs, clusters as Parquet) and the same exports as the local engine."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from copydesk.report.library import trace_dot, trace_graphml, trace_json

        out = self.output_dir
        clusters = [
            {"id": c.id, "root": c.root, "members": list(c.members), "edges": json.dumps([asdict(e) for e in c.edges])}
            for c in run.clusters
        ]
        schema = pa.schema([("id", pa.string()), ("root", pa.string()), ("members", pa.list_(pa.string())), ("edges", pa.string())])
        pq.write_table(pa.Table.from_pylist(clusters, schema=schema), out / "clusters.parquet")
        title_of = titles.get
        (out / "trace.json").write_text(json.dumps(trace_json(run.clusters, title_of), indent=1) + "\n", encoding="utf-8")
        (out / "trace.graphml").write_text(trace_graphml(run.clusters, title_of), encoding="utf-8")
        (out / "trace.dot").write_text(trace_dot(run.clusters, title_of), encoding="utf-8")
        (out / "summary.json").write_text(json.dumps(run_summary(run), indent=1) + "\n", encoding="utf-8")


def run_summary(run: TraceRun) -> dict:
    return {
        "articles": run.articles,
        "candidate_pairs": run.candidate_pairs,
        "confirmed_pairs": run.confirmed_pairs,
        "clusters": len(run.clusters),
        "skipped_rows": run.skipped,
        "stages": [asdict(t) for t in run.stages],
    }
