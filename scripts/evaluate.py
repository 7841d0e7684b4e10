"""Run every evaluator on ../shared/data; rewrite eval/results.json and docs/EVALUATION.md.

    python scripts/evaluate.py [--data ../shared/data] [--only alignment] [--check-floors] [--ci]

With --check-floors it exits 1 when a score is below eval/floors.json.
With --ci it runs the fixed subset CI can afford (every alignment set; claims on
BUMP and SummEdits plus the corruption set; FRANK and XSumFaith are left to
`make eval`) and writes eval/results-ci.json instead of the documented results.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from copydesk.errors import CopydeskError
import json

from copydesk.evaluate.harness import EVALUATORS, below_floors, run, write

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--only", action="append", choices=sorted(EVALUATORS))
    parser.add_argument("--check-floors", action="store_true")
    parser.add_argument("--ci", action="store_true")
    args = parser.parse_args()
    try:
        results = run(args.data, args.only, ci=args.ci)
    except CopydeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.ci:
        (ROOT / "eval" / "results-ci.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
        print(json.dumps({k: v for k, v in results.items() if k in EVALUATORS}, indent=1)[:4000])
    else:
        write(results, ROOT)
        print((ROOT / "docs" / "EVALUATION.md").read_text())
    if args.check_floors:
        failures = below_floors(results, json.loads((ROOT / "eval" / "floors.json").read_text()), ci=args.ci)
        for failure in failures:
            print(f"below floor: {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
