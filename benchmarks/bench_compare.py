"""Speed of `copydesk compare`: cold start and warm batch throughput.

- cold start: wall time of a fresh `copydesk compare SOURCE DERIVED --json`
  process on two ~1,000-word articles (goal: under 5 s);
- warm batch: article pairs per second through `run_batch` with the model
  loaded, every pair a different article so no embedding is cached (goal: 20/s).

Both for the default embedder (MiniLM) and for `--fast` (static embeddings).

Articles are CNN/DM stories from ../shared/data/frank (read at run time, never
stored); each derived text is the story with every third sentence dropped and
its halves swapped, so sizes match a real retelling.

    python benchmarks/bench_compare.py [--pairs 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from copydesk.align.embedder import make_embedder
from copydesk.batch import run_batch
from copydesk.ingest import document_from_text
from copydesk.segment import segment
from copydesk.settings import MINILM, STATIC, Settings

sys.path.insert(0, str(Path(__file__).parent))
from _common import SHARED_DATA, machine, write_section  # noqa: E402


def articles(n: int, words: tuple[int, int] = (850, 1200)) -> list[str]:
    out = []
    with (SHARED_DATA / "frank" / "articles.jsonl").open() as fh:
        for line in fh:
            record = json.loads(line)
            if record["dataset"] == "cnndm" and words[0] <= len(record["article"].split()) <= words[1]:
                out.append(record["article"])
            if len(out) == n:
                break
    if len(out) < n:
        sys.exit(f"only {len(out)} articles of {words[0]}-{words[1]} words in {SHARED_DATA}/frank")
    return out


def retelling(article: str) -> str:
    kept = [s.text for s in segment(document_from_text(article)).sentences if s.index % 3 != 2]
    half = len(kept) // 2
    return " ".join(kept[half:] + kept[:half])


def cold_start(source: str, derived: str, runs: int, extra: list[str]) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp, "a.txt"), Path(tmp, "b.txt")
        a.write_text(source)
        b.write_text(derived)
        exe = Path(sys.executable).with_name("copydesk")
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([str(exe), "compare", str(a), str(b), "--json", *extra], check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
    return times


def warm_batch(pairs: list[tuple[str, str]], settings: Settings) -> tuple[float, int]:
    lines = [json.dumps({"id": k, "source": s, "derived": d}) for k, (s, d) in enumerate(pairs)]
    embedder = make_embedder(settings)
    list(run_batch(lines[:1], settings=settings, embedder=embedder))  # load the model
    started = time.perf_counter()
    results = list(run_batch(lines[1:], settings=settings, embedder=embedder))
    elapsed = time.perf_counter() - started
    sentences = sum(len(r["source"]["sentences"]) + len(r["derived"]["sentences"]) for r in results)
    return len(results) / elapsed, sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    texts = articles(args.pairs + 1)
    pairs = [(t, retelling(t)) for t in texts]
    words = statistics.mean(len(t.split()) for t in texts)
    rows = []
    for label, extra, name in (("default (MiniLM)", [], MINILM), ("`--fast` (static)", ["--fast"], STATIC)):
        cold = cold_start(*pairs[0], args.runs, extra)
        rate, sentences = warm_batch(pairs, Settings.load(embedder=name))
        per_pair = sentences / args.pairs
        rows.append(
            f"| {label} | {statistics.median(cold):.2f} s (min {min(cold):.2f}, max {max(cold):.2f})"
            f" | {rate:.2f} pairs/s ({rate * per_pair:.0f} sentences/s) |"
        )
    report = (
        "## compare (`benchmarks/bench_compare.py`)\n\n"
        f"Machine: {machine()}. Articles: CNN/DM stories of {words:.0f} words on average from `../shared/data/frank`;"
        f" derived = the story with every third sentence dropped and halves swapped ({per_pair:.0f} sentences per pair).\n"
        f"Cold start = wall time of a new `copydesk compare A B --json` process (median of {args.runs}; goal under 5 s)."
        f" Warm batch = pairs/s through `run_batch` with the model loaded, {args.pairs} pairs, nothing cached"
        " (goal 20 pairs/s).\n\n"
        "| embedder | cold start | warm batch |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    print(report)
    write_section("compare", report)


if __name__ == "__main__":
    main()
