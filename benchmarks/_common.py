"""Shared helpers for benchmark scripts: machine facts and writing docs/BENCHMARKS.md sections."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from copydesk_eval.blocks import with_block

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def write_section(name: str, body: str) -> None:
    """Replace the section between <!-- name --> markers in docs/BENCHMARKS.md (or append it)."""
    path = ROOT / "docs" / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n\nEach section is rewritten by the script named in it.\n"
    path.write_text(with_block(text, name, body))


RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "README.md"


def record(name: str, figures: dict) -> None:
    """Keep one benchmark's figures in benchmarks/results.json and re-render the README's speed summary."""
    import json

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = {**figures, "machine": machine()}
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    README.write_text(with_speed_summary(README.read_text(), results))


def speed_summary(results: dict) -> str:
    """The README's speed table, from benchmarks/results.json."""
    rows = ["| measure (2 cores) | figure | goal |", "|---|---|---|"]
    compare = results.get("compare")
    if compare:
        rows += [
            f"| `compare` cold start, two ~900-word articles | {compare['default_cold_start_s']:.2f} s"
            f" (`--fast` {compare['fast_cold_start_s']:.2f} s) | under 3 s |",
            f"| `compare` warm batch, default, reworded retellings | {compare['default_pairs_per_s']:.2f} article pairs/s"
            f" (copies {compare['default_copies_pairs_per_s']:.2f}) | 5 |",
            f"| `compare` warm batch, `--fast`, reworded retellings | {compare['fast_pairs_per_s']:.2f} article pairs/s"
            f" (copies {compare['fast_copies_pairs_per_s']:.2f}) | 20 |",
            f"| one thread: whole default compare / sentence-transformers merely embedding |"
            f" {compare['single_thread_ratio']:.2f}× | 1.5× |",
            f"| default warm batch with a busy core: two workers / one |"
            f" {compare['loaded_two_threads_pairs_per_s'] / compare['loaded_one_thread_pairs_per_s']:.2f}× | at least 1× |",
        ]
    claims = results.get("claims")
    if claims:
        rows += [f"| claim check, {name} | {rate:.0f} aligned sentence pairs/s | 50 |"
                 for name, rate in sorted(claims["pairs_per_s"].items())]
    return "\n".join(rows) + "\n"


def with_speed_summary(readme: str, results: dict) -> str:
    return with_block(readme, "speed-summary", speed_summary(results))
