"""Local engine against the Spark engine (`local[2]`): time per stage and peak memory.

    python benchmarks/bench_engines.py [--sizes 2000 10000] [--candidates-only 100000] [--engines local spark] [--folder DIR]

Each (engine, size) runs in its own process so peak memory is its own; memory is the
whole process tree (for Spark: the driver, the JVM and its Python workers), sampled
every 0.2 s. Articles are bench_library.py's synthetic ones, confirmed with static
embeddings. `--candidates-only` sizes run the index stages alone (signals, candidates).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import machine, write_section

HERE = Path(__file__).resolve().parent


def tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry)] = int(line.split()[1])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total / 1024


def run_one(engine: str, size: int, until: str, folder: Path) -> dict:
    """In a child process: build (or reuse) the library, export it, trace it with one engine."""
    sys.path.insert(0, str(HERE))
    from bench_library import build, sentence_pool

    from copydesk.engines.local import LocalEngine
    from copydesk.library import Library
    from copydesk.parquet import export_articles
    from copydesk.settings import FAST, Settings

    settings = Settings.load(**FAST)
    db, parquet = folder / f"lib-{size}.db", folder / f"parquet-{size}"
    if not db.exists():
        build(size, sentence_pool(), settings, folder)[0].close()
    if not parquet.exists():  # a kept folder may hold a library built elsewhere, not yet exported
        with Library.open(db, settings) as library:
            export_articles(library, parquet)
    if engine == "local":
        with Library.open(db, settings) as library:
            with library.store.db:  # a reused library must not answer from relations cached by an earlier run
                library.store.db.execute("DELETE FROM relations")
            run = LocalEngine(library, until=until).trace()
    else:
        from copydesk.engines.spark import SparkEngine

        output = folder / f"spark-{size}-{until}"
        shutil.rmtree(output, ignore_errors=True)  # no checkpoints from an earlier run: every stage is timed
        run = SparkEngine(parquet, output, settings, master="local[2]", partitions=8, until=until).trace()
    return {"stages": {s.stage: s.seconds for s in run.stages}, "candidate_pairs": run.candidate_pairs,
            "confirmed": run.confirmed_pairs, "clusters": len(run.clusters)}


def measure(engine: str, size: int, until: str, folder: Path) -> dict:
    command = [sys.executable, __file__, "--child", engine, str(size), until, str(folder)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak = [0.0]

    def sample() -> None:
        while child.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{engine} at {size} failed")
    result = json.loads(out.strip().splitlines()[-1])
    return {"engine": engine, "articles": size, "until": until, "wall_s": round(time.perf_counter() - started, 1),
            "peak_mb": round(peak[0]), **result}


RESULTS = HERE / "results-engines.jsonl"


def _previous_rows() -> list[dict]:
    """Rows of earlier runs at other sizes, so one size can be re-run without losing the rest."""
    if not RESULTS.exists():
        return []
    return [json.loads(line) for line in RESULTS.read_text().splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[2_000, 10_000])
    parser.add_argument("--candidates-only", type=int, nargs="*", default=[], help="sizes to run the index stages alone")
    parser.add_argument("--engines", nargs="*", default=["local", "spark"], choices=["local", "spark"])
    parser.add_argument("--folder", type=Path, help="keep the built libraries here and reuse them (default: a temporary folder)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, size, until, folder = args.child
        print(json.dumps(run_one(engine, int(size), until, Path(folder))), flush=True)
        return
    rows = [row for row in _previous_rows() if (row["articles"], row["until"]) not in
            {(n, "stories") for n in args.sizes} | {(n, "candidates") for n in args.candidates_only}]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        plan = [(n, "stories") for n in args.sizes] + [(n, "candidates") for n in args.candidates_only]
        for size, until in plan:
            for engine in args.engines:
                row = measure(engine, size, until, folder)
                rows.append(row)
                print(json.dumps(row), flush=True)
    rows.sort(key=lambda r: (r["until"] == "candidates", r["articles"], r["engine"]))
    RESULTS.write_text("".join(json.dumps(r) + "\n" for r in rows))
    lines = [
        "## engines (`benchmarks/bench_engines.py`)",
        "",
        f"Machine: {machine()}. The same synthetic articles as the library benchmark (built once per size, not",
        "timed here), static embeddings. *local*: the library file, one process. *spark*: `local[2]` over the",
        "Parquet export, 8 shuffle partitions. Stage times are the engine's own; *wall* is the whole child",
        "process: for spark it includes starting the JVM (about 15 s), for local (run first at each size) it also",
        "includes building and exporting the library. Peak memory is the whole process tree (for spark: driver,",
        "JVM and Python workers). Rows marked *candidates only* stop after the index stages.",
        "",
        "| articles | engine | signals | candidates | relations | stories | wall | peak memory | candidate pairs | confirmed | stories |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        st = r["stages"]
        cell = lambda k: f"{st[k]} s" if k in st else "—"  # noqa: E731
        label = f"{r['articles']:,}" + (" (candidates only)" if r["until"] == "candidates" else "")
        lines.append(
            f"| {label} | {r['engine']} | {cell('signals')} | {cell('candidates')} | {cell('relations')} | {cell('stories')}"
            f" | {r['wall_s']} s | {r['peak_mb']:,} MB | {r['candidate_pairs']:,} | {r['confirmed']:,} | {r['clusters']:,} |"
        )
    notes = {}
    for r in rows:
        if r.get("note"):
            notes.setdefault(r["note"], []).append(f"{r['articles']:,} {r['engine']}")
    lines += [""] + [f"- {', '.join(which)}: {note}." for note, which in notes.items()]
    write_section("engines", "\n".join(lines))


if __name__ == "__main__":
    main()
