"""Fit the alignment threshold and anchor weight on the dev splits, per embedder.

Dev = MRPC's train split + the dev half of BUMP's articles (by id hash).
Writes its values into src/copydesk/calibration.json, which Settings.load() reads. MRPC test
and the test half of BUMP are never used here (see copydesk_eval/harness.py).

    python scripts/calibrate_alignment.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from copydesk.align.embedder import make_embedder
from copydesk.settings import EMBEDDERS, Settings, update_calibration
from copydesk_eval.alignment import calibrate, is_dev_article, pair_signals, retelling_signals
from copydesk_eval.datasets import bump_references, mrpc

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    started = time.time()
    pairs = mrpc(args.data, "train")
    articles = [a for a in bump_references(args.data) if is_dev_article(a.id)]
    out = ROOT / "src" / "copydesk" / "calibration.json"
    for name in EMBEDDERS:
        embedder = make_embedder(Settings.load(embedder=name))
        retelling = retelling_signals(articles, embedder)
        threshold, weight, score = calibrate(pair_signals(pairs, embedder), retelling)
        update_calibration(
            out,
            "scripts/calibrate_alignment.py",
            name,
            {"match_threshold": threshold, "anchor_weight": weight},
            fitted_on=(
                f"MRPC train ({len(pairs):,} pairs) + BUMP retelling dev half ({len(articles)} articles, "
                f"{len(retelling):,} sentence/article pairs), maximising the mean of the two balanced accuracies"
            ),
            dev_mean_balanced_accuracy=round(score, 4),
        )
        print(f"{name}: match_threshold={threshold} anchor_weight={weight} dev mean balanced accuracy={score:.3f}")
    print(f"({time.time() - started:.0f} s) -> {out}")


if __name__ == "__main__":
    main()
