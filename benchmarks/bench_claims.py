"""Speed of the claim check alone: aligned sentence pairs checked per second.

Aligns each BUMP reference summary with its article once (not timed), then
times `copydesk.check.verdicts` (atoms of every source sentence, spaCy NER on
the derived and aligned source sentences, the findings of every aligned
derived sentence, then the verifier), per entity tagger and verifier.
spaCy and the verifier are loaded before the clock starts; spaCy's sentence
cache starts empty. The token verifier reads the token states that aligning
kept (as in `compare`). Goal: at least 50 pairs/s.

    python benchmarks/bench_claims.py [--articles 60]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from copydesk.align.aligner import align
from copydesk.align.embedder import make_embedder
from copydesk.check import verdicts
from copydesk.check.entities import SpacyTagger, make_tagger
from copydesk.check.verifier import make_verifier
from copydesk.ingest import document_from_text
from copydesk.segment import segment
from copydesk.settings import CAPITALISED, RULES_ONLY, SPACY_NER, TOKEN_VERIFIER, Settings
from copydesk_eval.datasets import bump_references

sys.path.insert(0, str(Path(__file__).parent))
from _common import SHARED_DATA, machine, record, write_section  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    args = parser.parse_args()
    settings = Settings.load()
    # with the token store on, as when the token verifier is chosen: aligning keeps each sentence's token states
    embedder = make_embedder(Settings.load(verifier=TOKEN_VERIFIER))
    jobs = []
    for item in bump_references(SHARED_DATA)[: args.articles]:
        source = segment(document_from_text(item.article))
        derived = segment(document_from_text(item.summary))
        jobs.append((source, derived, align(derived.sentences, source.sentences, embedder, settings)))
    pairs = sum(len(a.derived) for _, _, alignments in jobs for a in alignments)
    sentences = sum(len(s.sentences) for s, _, _ in jobs)
    spacy = SpacyTagger()
    spacy.tag(["Warm-up in Leeds."])  # load the model outside the clock
    rules, token = make_verifier(RULES_ONLY, embedder), make_verifier(TOKEN_VERIFIER, embedder)
    rows, rates = [], {}
    for tagger_name, tagger, verifier in ((SPACY_NER, spacy, rules), (CAPITALISED, make_tagger(CAPITALISED), rules),
                                          (SPACY_NER, spacy, token)):
        spacy.clear_cache()  # every run tags from scratch
        started = time.perf_counter()
        for source, derived, alignments in jobs:
            verdicts(source, derived, alignments, tagger, verifier)
        elapsed = time.perf_counter() - started
        rates[f"{tagger_name} + {verifier.name}"] = pairs / elapsed
        default = " (default)" if (tagger_name, verifier.name) == (settings.entity_tagger, settings.verifier) else ""
        rows.append(f"| {tagger_name} | {verifier.name}{default} | {pairs / elapsed:.0f} pairs/s ({elapsed:.2f} s) | at least 50 |")
    report = (
        "## claim check (`benchmarks/bench_claims.py`)\n\n"
        f"Machine: {machine()}. {args.articles} BUMP articles ({sentences:,} source sentences) with their reference"
        f" summaries, aligned beforehand; timed: `copydesk.check.verdicts` on {pairs} aligned derived sentences"
        " (atoms of every source sentence included; names tagged in the derived and aligned source sentences).\n\n"
        "| entity tagger | verifier | aligned sentence pairs checked per second | goal |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    print(report)
    write_section("claims", report)
    record("claims", {"pairs_per_s": rates})


if __name__ == "__main__":
    main()
