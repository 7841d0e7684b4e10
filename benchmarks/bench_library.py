"""Library scale: add+index rate, memory and size, query latency, trace time.

    python benchmarks/bench_library.py [--sizes 10000 100000] [--queries 200] [--trace-size 10000]

Articles are synthetic but made of real news sentences: each draws 20 sentences
from the ~16,000 in the CNN/DM and BBC articles of ../shared/data/frank, shifts
their numbers and swaps its capitalised names for made-up ones of its own (as
each real story has its own people and places, so a shared sentence does not
make two stories one); 1 in 50 is a planted retelling (a light edit of an
earlier article), so queries have true sources to find.
Candidates and confirmation both use the static embedder (`--fast`); MiniLM
confirmation costs ~1 s per pair on this machine (see the compare section).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from _common import SHARED_DATA, machine, write_section

from copydesk.ingest import document_from_text
from copydesk.library import Library
from copydesk.settings import FAST, Settings
from copydesk_eval import generated


def sentence_pool() -> list[str]:
    return generated.sentence_pool(SHARED_DATA)


def synthetic_articles(n: int, pool: list[str], seed: int = 7):
    """(id, text, planted source id or None) for n articles."""
    rng = random.Random(seed)
    made: list[str] = []
    for i in range(n):
        if i >= 100 and i % 50 == 0:
            source = rng.randrange(i - 100, i)
            paragraphs = made[source].split("\n\n")
            text = "\n\n".join(paragraphs[:-1]).replace(" said", " stated").replace(" the ", " this ", 2)
            yield f"art{i}", text, f"art{source}"
        else:
            text = generated.synthetic_story(i, pool, rng)
            yield f"art{i}", text, None
        made.append(text)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def build(n: int, pool: list[str], settings: Settings, folder: Path) -> tuple[Library, dict, list[tuple[str, str]]]:
    db = folder / f"lib-{n}.db"
    library = Library.open(db, settings)
    planted = []

    def documents():
        for article_id, text, source in synthetic_articles(n, pool):
            if source:
                planted.append((article_id, source))
            yield document_from_text(text, id=article_id, settings=settings, format="text")

    started = time.perf_counter()
    report = library.add(documents(), batch_size=500)
    seconds = time.perf_counter() - started
    library.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # measure the file, not a transient WAL
    added = set(report.added)
    planted = [(a, s) for a, s in planted if a in added]
    size = sum(p.stat().st_size for p in folder.glob(f"lib-{n}.db*"))
    figures = {
        "articles": n,
        "add_seconds": round(seconds, 1),
        "add_rate": round(n / seconds, 1),
        "db_mb": round(size / 2**20, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    return library, figures, planted


def query_latency(library: Library, planted: list[tuple[str, str]], queries: int) -> dict:
    sample = planted[:queries]
    cand_ms, found = [], 0
    for article_id, source in sample:
        started = time.perf_counter()
        candidates = library.candidates(article_id)
        cand_ms.append(1000 * (time.perf_counter() - started))
        found += source in [c.id for c in candidates[:5]]
    cold_ms, warm_ms = [], []
    for article_id, _ in sample[: max(1, queries // 4)]:
        for bucket in (cold_ms, warm_ms):  # first call confirms candidates, second finds them cached
            started = time.perf_counter()
            library.sources(article_id)
            bucket.append(1000 * (time.perf_counter() - started))
    return {
        "queries": len(sample),
        "planted_source_in_top5": round(100 * found / len(sample), 1),
        "candidates_p50_ms": round(statistics.median(cand_ms), 1),
        "candidates_p95_ms": round(percentile(cand_ms, 0.95), 1),
        "sources_cold_p50_ms": round(statistics.median(cold_ms), 1),
        "sources_cold_p95_ms": round(percentile(cold_ms, 0.95), 1),
        "sources_warm_p50_ms": round(statistics.median(warm_ms), 1),
        "sources_warm_p95_ms": round(percentile(warm_ms, 0.95), 1),
    }


def trace_time(library: Library, n: int) -> dict:
    started = time.perf_counter()
    pairs = [0]

    def progress(done: int, total: int) -> None:
        pairs[0] = total
        if done % 500 == 0:
            print(f"trace: {done}/{total} candidate pairs confirmed, {time.perf_counter() - started:.0f} s", flush=True)

    clusters = library.trace(on_progress=progress)
    return {"articles": n, "seconds": round(time.perf_counter() - started, 1), "clusters": len(clusters), "pairs": pairs[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000], help="libraries to build and query")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--trace-size", type=int, default=10_000, help="library to build and trace (0: none)")
    args = parser.parse_args()
    settings = Settings.load(**FAST)
    pool = sentence_pool()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            library, figures, planted = build(n, pool, settings, Path(tmp))
            figures.update(query_latency(library, planted, args.queries))
            library.close()
            rows.append(figures)
            print(json.dumps(figures), flush=True)
        if args.trace_size:
            library, _, _ = build(args.trace_size, pool, settings, Path(tmp))
            trace = trace_time(library, args.trace_size)
            library.close()
            print(json.dumps({"trace": trace}), flush=True)
            write_section(
                "library-trace",
                f"`trace` (`benchmarks/bench_library.py --sizes --trace-size {trace['articles']}`) over {trace['articles']:,}"
                f" of the same synthetic articles, static embeddings, on {machine()}: {trace['seconds']} s"
                f" ({trace['pairs']:,} candidate pairs confirmed both ways, {trace['clusters']} stories).",
            )
    if not rows:
        return
    lines = [
        "## library (`benchmarks/bench_library.py`)",
        "",
        f"Machine: {machine()}. Articles: synthetic, 20 real news sentences each (from `../shared/data/frank`,",
        "numbers shifted, names made up per article), 1 in 50 a planted light edit of an earlier article. SQLite",
        "file library, batches of 500, static embeddings for confirmation. Latencies are per query article, warm",
        "(process and SQLite cache warm): *candidates* = the index lookup (MinHash bands and fingerprint keys);",
        "*sources cold* = candidates plus compare of up to 10 candidate pairs both ways; *sources warm* = the same",
        "query again, relations cached. Peak RSS is the whole process so far.",
        "",
        "| articles | add+index | rate | DB size | peak RSS | candidates p50 / p95 | sources cold p50 / p95 | sources warm p50 / p95 | planted source in top 5 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['articles']:,} | {r['add_seconds']} s | {r['add_rate']} articles/s | {r['db_mb']} MB | {r['peak_rss_mb']} MB"
            f" | {r['candidates_p50_ms']} / {r['candidates_p95_ms']} ms | {r['sources_cold_p50_ms']} / {r['sources_cold_p95_ms']} ms"
            f" | {r['sources_warm_p50_ms']} / {r['sources_warm_p95_ms']} ms | {r['planted_source_in_top5']}% of {r['queries']} |"
        )
    write_section("library", "\n".join(lines))


if __name__ == "__main__":
    main()
