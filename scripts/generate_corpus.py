"""Write a generated tracing corpus as JSONL: planted retellings of known kinds among distractors.

    python scripts/generate_corpus.py --size 100000 --out corpus.jsonl [--sources 40] [--seed 7] [--data ../shared/data]
    copydesk add corpus.jsonl --db corpus.db

Each line is a record `copydesk add` reads (id, text, site, published); planted retellings also carry
planted_source and planted_kind (verbatim_copy, light_edit, paraphrase), which `add` ignores, so the
answers can be checked against `copydesk sources`. See copydesk_eval.generated.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from copydesk_eval.generated import generate_corpus, write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="articles in all, planted families included")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sources", type=int, default=40, help="planted families (a source and 3 retellings each)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    corpus = generate_corpus(args.data, args.size, args.sources, args.seed)
    write_corpus(corpus, args.out)
    planted = sum(1 for a in corpus if a.planted_kind)
    print(f"wrote {len(corpus):,} articles ({planted} planted retellings of {args.sources} sources) to {args.out}")


if __name__ == "__main__":
    main()
