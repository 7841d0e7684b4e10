"""Every threshold and model name in one place.

`Settings.to_dict()` is saved with every result so a report can be
reproduced. Calibrated values live in `calibration.json` beside this file, one set
per embedder, written by `scripts/calibrate_alignment.py` and
`scripts/calibrate_tracing.py`; the defaults below are used only when that file
lacks a key.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

SETTINGS_VERSION = 2


MINILM = "all-MiniLM-L6-v2"
STATIC = "static-minilm-v1"
EMBEDDERS = (MINILM, STATIC)
SPACY_NER = "spacy-en_core_web_sm-3.8.0"
CAPITALISED = "capitalised-words"
ENTITY_TAGGERS = (SPACY_NER, CAPITALISED)
# Who decides whether an aligned sentence is supported: a small network over MiniLM's token states
# (check/verifier.py, scripts/train_token_verifier.py), a logistic model over alignment and fact
# features (fitted per embedder by scripts/train_verifier.py), or the rules alone.
LOGISTIC = "logistic-features-v1"
RULES_ONLY = "rules-only"
TOKEN_VERIFIER = "token-match-minilm-v1"
VERIFIERS = (TOKEN_VERIFIER, LOGISTIC, RULES_ONLY)
# `--fast`: static embeddings and names found by capitalisation, so no model is loaded at all.
FAST = {"embedder": STATIC, "entity_tagger": CAPITALISED}


@lru_cache(maxsize=1)
def calibration() -> dict[str, Any]:
    """The whole calibration record: {"embedders": {name: {"values": {...}, ...}}}."""
    path = resources.files("copydesk").joinpath("calibration.json")
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def calibrated_values(embedder: str = MINILM) -> dict[str, Any]:
    return calibration().get("embedders", {}).get(embedder, {}).get("values", {})


def update_calibration(path: Path, script: str, embedder: str, values: dict[str, Any], **notes: Any) -> None:
    """Merge one script's fitted values (and notes on the fit) for one embedder into the
    calibration file, keeping what other calibration scripts wrote there."""
    record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    record["scripts"] = sorted(set(record.get("scripts", [])) | {script})
    entry = record.setdefault("embedders", {}).setdefault(embedder, {})
    entry["values"] = {**entry.get("values", {}), **values}
    entry.update(notes)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Settings:
    # MINILM aligns; STATIC (part of copydesk --fast, see FAST) is ~50x faster and less exact.
    embedder: str = MINILM
    # Who finds the names the claim check compares: spaCy's en_core_web_sm NER (copydesk.check.entities),
    # or capitalised word runs (no model; what the unit tests use).
    entity_tagger: str = SPACY_NER
    # The rules alone decide by default: the logistic verifier catches more planted drifts on the
    # retold set but calls many more faithful paraphrases distorted (docs/EVALUATION.md, "verifiers"),
    # and a false finding costs as much as a missed one. It stays selectable for recall-first reading.
    verifier: str = RULES_ONLY
    # A derived sentence is backed by a source sentence when
    # (1 - anchor_weight) * cosine + anchor_weight * anchor_overlap >= match_threshold.
    match_threshold: float = 0.55
    anchor_weight: float = 0.2  # the anchors' part in that score
    # Candidates this close to the best score are ranked by shared anchors instead.
    close_call_margin: float = 0.05
    # A second source sentence joins a merge when it lifts the score by this much.
    merge_gain: float = 0.03
    # A half of a split source sentence may fall this far below match_threshold.
    split_margin: float = 0.15
    # Articles are the same story when this share of the derived text is backed (with same_event_min_facts
    # facts shared too, a same_event link joins two stories in trace: trace.cluster.joins_stories).
    same_story_min_share: float = 0.3
    same_story_min_sentences: int = 2  # and at least this many derived sentences are backed
    max_bytes: int = 5_000_000  # largest input file or upload read (copydesk add/compare --max-bytes)
    # Story sentences per article that compare takes: past this, an article is refused with a clear
    # message, so one compare is bounded (2,000 against 2,000 measured in docs/BENCHMARKS.md). A long
    # news feature has a few hundred; 5 MB of text has some 35,000.
    max_sentences: int = 2_000
    # A web job (trace, confirm, compare) stops at its next progress report past this many seconds.
    job_time_limit_s: float = 3_600.0
    # Below this share of common English words we warn that results may be poor.
    english_min_share: float = 0.12
    embed_batch_size: int = 8  # sentences per onnxruntime call (sorted by length, padded per batch)
    # onnxruntime threads per model (MiniLM, the token verifier); 0 = one per physical core.
    model_threads: int = 0

    # Library index (copydesk add): cheap signals computed for every article.
    shingle_words: int = 5  # word n-grams hashed into MinHash
    minhash_perms: int = 128  # MinHash permutations per article
    lsh_bands: int = 32  # 32 bands of 4 rows: pairs above ~0.4 Jaccard collide in some band
    # Fingerprint keys and LSH buckets held by more than this share of the library (and more than
    # key_min_cap articles) are too common to propose candidates: capped, not exploded. key_max_cap
    # bounds the cap itself, so the work per article stops growing past 100k articles (docs/SCALING.md).
    key_max_share: float = 0.01
    key_min_cap: int = 50  # a key is never capped below this many articles
    key_max_cap: int = 1000  # nor above this many
    candidate_query_keys: int = 64  # a query uses its rarest keys only
    # and reads at most this many postings in all (rarest keys first), so the work per article is
    # bounded at any library size. In the tracing set (560 articles) a query reads 181 postings at the
    # median and 631 at p95; this budget cuts 3 of its 1,120 queries short (docs/SCALING.md).
    candidate_posting_budget: int = 1000
    # idf-weighted share of the query's rare keys an article must hold to be a candidate; fit on the
    # dev half of the tracing set by scripts/calibrate_tracing.py (keeps 99.5% of true sources).
    candidate_min_key_share: float = 0.15
    candidate_limit: int = 10  # candidates kept per query, best first
    # `sources` asks how the first few articles it lists relate to each other, to put a retelling of
    # the same source (a sibling) after the source: at most this many (their pairs are related and cached).
    sibling_check_top: int = 4
    # That share is weighed by an article's fingerprint size against the library's mean, as BM25
    # weighs term frequency by document length; BM25's usual k1 and b, not fitted here.
    candidate_size_k1: float = 1.2
    candidate_size_b: float = 0.75  # BM25's b: how much article length counts
    # Relations between two articles (copydesk sources / derivatives / trace).
    verbatim_min_jaccard: float = 0.98  # 5-word shingles of the story text
    light_edit_min_jaccard: float = 0.25  # shingle Jaccard of a light edit
    paraphrase_min_share: float = 0.5  # of the derived text backed by the source
    paraphrase_min_order: float = 0.5  # rank correlation of aligned sentence positions
    paraphrase_min_word_share: float = 0.3  # of the derived text's content words found in the source
    # and, unless the derived text is a brief, this share of its word 3-grams: a text told from
    # another keeps some of its wording, one written from the same facts rarely does. Chosen by hand
    # on the retold set (development data), under the least any of its retellings keeps and above
    # what most of its independent reports keep (both measured in docs/EVALUATION.md, "Tracing the
    # retold set"); the held-out set of the same kind is the check.
    paraphrase_min_wording: float = 0.08
    # An AI paraphraser reorders paragraphs, so a text that keeps this much wording is a paraphrase
    # whatever its order. Chosen by hand on the same figures: above the most any independent report
    # keeps, below what most retellings keep.
    paraphrase_reordered_min_wording: float = 0.15
    wording_words: int = 3  # word n-grams that measure kept wording
    # Which way a derivation goes, from the texts when publication times do not decide
    # (trace.relate.direction): each piece of evidence adds to a score, positive for "a is b's source".
    # Set by hand when the tracing evaluation was built, not fitted.
    direction_min_coverage_gap: float = 0.1  # one text backed this much better than the other: its gap counts
    direction_min_specifics_gap: float = 0.1  # one text holds this share of the facts more than the other: it counts
    direction_min_filler_gap: float = 0.05  # one text adds this share of filler sentences more
    direction_filler_weight: float = 0.5  # ... weighed by this
    direction_disclaimer_weight: float = 0.3  # only one carries a disclaimer
    direction_credit_weight: float = 1.0  # one credits the other's outlet, author or address
    direction_min_score: float = 0.15  # below this the direction stays undecided
    direction_time_confidence: float = 0.9  # confidence when publication times decide
    direction_confidence_scale: float = 2.0  # otherwise tanh(scale * |score|)
    same_event_min_facts: int = 3  # shared fact keys when little text is retold
    # or this share of the derived text's content words (fit on the tracing dev half by
    # scripts/calibrate_tracing.py: Youden's J of summaries vs the other candidates)
    same_event_min_word_share: float = 0.35
    # A brief (a retelling of at most brief_max_sentences story sentences) has too few sentences
    # to align; it is the same story when its whole text is this close (cosine) to the other's
    # first brief_lead_sentences sentences. Per embedder: fit by scripts/calibrate_tracing.py as the 95th
    # percentile among the other candidates the index proposes for dev-half briefs. Two briefs are
    # never a paraphrase of each other (trace.relate.classify): only shared wording makes them a copy.
    brief_max_sentences: int = 2
    # What a brief is compared with: chosen on the tracing dev half, where the first 5 sentences kept
    # more briefs' sources than the first 3 at the same cut-off, and 6 to 8 no more (docs/EVALUATION.md).
    brief_lead_sentences: int = 5
    lead_sentences: int = 3  # the lead: a credit line here ("..., the Daily Mail reported") credits the whole story
    brief_min_lead_similarity: float = 0.366  # the cosine that makes a brief the same story (calibrated per embedder)

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Defaults, then the calibrated values for the chosen embedder, then overrides."""
        embedder = overrides.get("embedder", MINILM)
        if embedder not in EMBEDDERS:
            raise ValueError(f"unknown embedder {embedder!r}; choose from {', '.join(EMBEDDERS)}")
        if overrides.get("verifier", RULES_ONLY) not in VERIFIERS:
            raise ValueError(f"unknown verifier {overrides['verifier']!r}; choose from {', '.join(VERIFIERS)}")
        if overrides.get("entity_tagger", SPACY_NER) not in ENTITY_TAGGERS:
            raise ValueError(f"unknown entity tagger {overrides['entity_tagger']!r}; choose from {', '.join(ENTITY_TAGGERS)}")
        known = {k: v for k, v in calibrated_values(embedder).items() if k in cls.__dataclass_fields__}
        return replace(cls(**known), **overrides)

    def to_dict(self) -> dict[str, Any]:
        return {"version": SETTINGS_VERSION, **asdict(self)}
