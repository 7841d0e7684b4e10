"""Fit three tracing thresholds on the dev half of the tracing set.

    python scripts/calibrate_tracing.py [--data ../shared/data] [--keep 0.995]

1. candidate_min_key_share: an article is a candidate when it holds this
   idf-weighted share of the query's rare fingerprint keys (or shares MinHash
   bands). The cut-off is the highest value that keeps `--keep` of true sources
   (a human summary's own article).
2. same_event_min_word_share: the share of a derived text's content words found
   in the other article that makes two articles one story. Chosen by Youden's J
   (true-pair rate minus the rate among the other candidates the index proposes).
3. brief_min_lead_similarity, per embedder: a brief (a summary of at most
   brief_max_sentences sentences) against the lead of each article the index
   proposes for it (with the settings' own candidate cut-off and limit). The
   cut-off is the 95th percentile among articles that are not its source, so
   at most 1 in 20 of them is taken for the same story on this ground.
Dev half = article ids with is_dev_article true; the test half is what
`python -m copydesk_eval` reports. Prints the figures and the values to put in settings.py for 1
and 2; writes 3 into src/copydesk/calibration.json, which Settings.load() reads.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from copydesk.align.embedder import make_embedder
from copydesk.library import Library
from copydesk.segment import segment
from copydesk.settings import EMBEDDERS, STATIC, Settings, update_calibration
from copydesk.store.memory import MemoryStore
from copydesk.trace.relate import is_brief, lead_similarity
from copydesk.trace.signals import body_text, word_keys
from copydesk_eval.alignment import is_dev_article
from copydesk_eval.tracing import stable_order, text_document, tracing_corpus

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--keep", type=float, default=0.995)
    args = parser.parse_args()
    settings = Settings.load(embedder=STATIC, candidate_min_key_share=0.0, candidate_limit=50)
    articles, summaries = tracing_corpus(args.data)
    keys = sorted(articles, key=stable_order)
    library = Library(MemoryStore(), settings)
    library.add((text_document(articles[k], f"a:{k}", settings) for k in keys), on_error=lambda e: None)
    dev = [k for k in keys if is_dev_article(k) and library.store.get(f"a:{k}")]
    true_scores, noise_scores = [], []
    words = {k: word_keys(body_text(library.document(f"a:{k}"))) for k in dev}
    true_shares, confuser_shares = [], []
    for k in dev:
        if k in summaries:
            summary = text_document(summaries[k], f"s:{k}", settings)
            summary_words = word_keys(body_text(segment(summary)))
            for c in library.candidates(summary):
                if c.id == f"a:{k}":
                    true_scores.append(c.key_share)
                if summary_words:
                    other = words.get(c.id[2:]) or word_keys(body_text(library.document(c.id)))
                    share = len(summary_words & other) / len(summary_words)
                    (true_shares if c.id == f"a:{k}" else confuser_shares).append(share)
        # Article against article: what an unrelated library proposes.
        noise_scores += [c.key_share for c in library.candidates(f"a:{k}")]
    true_scores, noise_scores = np.array(true_scores), np.array(noise_scores)
    print(f"dev queries: {len(true_scores)} summaries with their article found at all; {len(dev)} articles")
    for cut in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
        print(
            f"cut {cut:.2f}: keeps {np.mean(true_scores >= cut):.3f} of true sources;"
            f" {np.sum(noise_scores >= cut) / len(dev):.2f} other candidates per article"
        )
    cut = max(c for c in np.arange(0.05, 0.5, 0.05) if np.mean(true_scores >= c) >= args.keep)
    print(f"candidate_min_key_share = {cut:.2f}")
    true_shares, confuser_shares = np.array(true_shares), np.array(confuser_shares)
    youden = {}
    for cut in np.arange(0.2, 0.65, 0.05):
        kept, accepted = np.mean(true_shares >= cut), np.mean(confuser_shares >= cut)
        youden[round(float(cut), 2)] = kept - accepted
        print(f"word share {cut:.2f}: keeps {kept:.3f} of summaries with their article; accepts {accepted:.3f} of other candidates")
    print(f"same_event_min_word_share = {max(youden, key=youden.get):.2f}")
    briefs = {}
    for k in dev:
        if k in summaries:
            raw = text_document(summaries[k], f"s:{k}", settings)
            brief = segment(raw)
            if is_brief(brief, settings):
                briefs[k] = (raw, brief)
    for name in EMBEDDERS:
        tracing = Settings.load(embedder=name)
        proposer = Library(library.store, tracing)
        embedder = make_embedder(tracing)
        true_sims, other_sims = [], []
        for k, (raw, brief) in briefs.items():
            for c in proposer.candidates(raw):
                similarity = lead_similarity(brief, library.document(c.id), tracing, embedder)
                (true_sims if c.id == f"a:{k}" else other_sims).append(similarity)
        cut = float(np.percentile(other_sims, 95))
        print(
            f"{name}: {len(briefs)} dev briefs; lead similarity of their source median {np.median(true_sims):.3f},"
            f" of the {len(other_sims)} other candidates median {np.median(other_sims):.3f};"
            f" cut-off keeps {np.mean(np.array(true_sims) >= cut):.3f} of sources"
        )
        print(f"{name}: brief_min_lead_similarity = {cut:.3f}")
        update_calibration(
            ROOT / "src" / "copydesk" / "calibration.json",
            "scripts/calibrate_tracing.py",
            name,
            {"brief_min_lead_similarity": round(cut, 3)},
            brief_fitted_on=(
                f"tracing dev half: {len(briefs)} summaries of at most {settings.brief_max_sentences} sentences,"
                f" 95th percentile among the {len(other_sims)} other articles the index proposes"
            ),
        )


if __name__ == "__main__":
    main()
