"""`copydesk compare` at its limits: time and peak memory of one process.

- two 4.5 MB articles (under the 5 MB max_bytes): goal within 60 s and 2 GB on 2 cores; they hold
  far more story sentences than `max_sentences`, so they are refused, and the figure is how fast;
- two articles of 500, 1,000 and exactly `max_sentences` story sentences (the largest compare that
  runs), with the default embedder (MiniLM) and with `--fast`: the cost should grow with the sentence
  count, not its square (each derived sentence is checked against a few nearest source sentences).

Texts are CNN/DM stories from ../shared/data/frank joined end to end (read at run time, never
stored); the derived text is the same stories in reverse order, reworded a little (see `reworded`).

    python benchmarks/bench_compare_limits.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from copydesk.ingest import document_from_text
from copydesk.segment import segment
from copydesk.settings import Settings

sys.path.insert(0, str(Path(__file__).parent))
from _common import SHARED_DATA, machine, write_section  # noqa: E402


def stories() -> list[str]:
    with (SHARED_DATA / "frank" / "articles.jsonl").open() as fh:
        return [json.loads(line)["article"] for line in fh]


def text_of_bytes(size: int) -> str:
    pool, parts, total, i = stories(), [], 0, 0
    while total < size:
        parts.append(pool[i % len(pool)])
        total += len(parts[-1].encode()) + 1
        i += 1
    return "\n".join(parts)[:size]


def text_of_sentences(n: int) -> str:
    """Whole stories until the text has at least `n` story sentences, cut back to exactly `n`."""
    pool, lines = stories(), []
    for story in pool * 10:
        lines.append(story)
        seg = segment(document_from_text("\n".join(lines), format="text"))
        if len(seg.sentences) >= n:
            return seg.document.text[: seg.sentences[n - 1].end]
    raise SystemExit("not enough text in ../shared/data/frank")


def reworded(text: str) -> str:
    """The stories in reverse order, nearly every sentence changed a little (each digit shifted, "the" as
    "this", "said" as "stated"): no longer word-for-word copies, which compare supports unchecked, so
    each is aligned and checked in full."""
    shifted = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), text)
    for old, new in ((" the ", " this "), (" said", " stated"), (" a ", " one ")):
        shifted = shifted.replace(old, new)
    return "\n".join(reversed(shifted.split("\n")))


def run(source: str, derived: str, extra: list[str]) -> dict:
    """One `copydesk compare` process: exit code, wall time, its peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a.txt", Path(tmp) / "b.txt"
        a.write_text(source)
        b.write_text(derived)
        err = Path(tmp) / "stderr"
        started = time.perf_counter()
        with err.open("w") as stderr:
            child = subprocess.Popen([sys.executable, "-m", "copydesk.cli", "compare", str(a), str(b), "--json", *extra],
                                     stdout=subprocess.DEVNULL, stderr=stderr)
            _, status, usage = os.wait4(child.pid, 0)  # this child's own resource use, peak memory included
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        lines = err.read_text().strip().splitlines()
    return {
        "exit": child.returncode,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "message": lines[-1][:160] if child.returncode and lines else "",
    }


def growth(rows: list[tuple[str, dict]]) -> str:
    """Per-1,000-sentence seconds of the smallest and the largest compare, per embedder."""
    parts = []
    for how in ("--fast", "default, MiniLM"):
        figures = [f["per_1000"] for name, f in rows if name.endswith(how) and f["per_1000"] is not None]
        if figures:
            parts.append(f"{how} {figures[0]} → {figures[-1]}")
    return "; ".join(parts)


def main() -> None:
    limit = Settings.load().max_sentences
    big = text_of_bytes(4_500_000)
    cases = [("two 4.5 MB articles (default)", big, reworded(big), [], None)]
    for how, extra in (("--fast", ["--fast"]), ("default, MiniLM", [])):
        for n in (500, 1000, limit):
            text = text_of_sentences(n)
            cases.append((f"two articles of {n:,} sentences, {how}", text, reworded(text), extra, n))
    rows = []
    for name, source, derived, extra, n in cases:
        figures = run(source, derived, extra)
        # Seconds per 1,000 sentences compared (both articles): flat when the cost is linear.
        figures["per_1000"] = round(1000 * figures["seconds"] / (2 * n), 1) if n and figures["exit"] == 0 else None
        print(json.dumps({"case": name, **figures}), flush=True)
        rows.append((name, figures))
    write_section(
        "compare-limits",
        "\n".join([
            "## compare at its limits (`benchmarks/bench_compare_limits.py`)",
            "",
            f"Machine: {machine()}. One `copydesk compare --json` process per case; peak memory is that process's",
            f"largest resident size. An article may have at most `max_sentences` = {limit:,} story sentences; a",
            "4.5 MB text has far more and is refused. The derived article is the source's stories in reverse",
            "order, reworded a little, so that its sentences are aligned and checked, not passed as copies.",
            "Goal (issue #21): two 4.5 MB articles within 60 s and 2 GB.",
            "",
            "Seconds per 1,000 sentences (of both articles), from 500 to "
            f"{limit:,} sentences an article: {growth(rows)}. Were the cost to grow with the square of the",
            "count, the last figure would be four times the first.",
            "",
            "| case | exit | seconds | per 1,000 sentences | peak memory | message |",
            "|---|---|---|---|---|---|",
            *(f"| {name} | {f['exit']} | {f['seconds']} | {'' if f['per_1000'] is None else f['per_1000']} | {f['peak_rss_mb']} MB | {f['message']} |"
              for name, f in rows),
        ]),
    )


if __name__ == "__main__":
    main()
