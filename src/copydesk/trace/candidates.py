"""Which articles may tell the same story as a given one: the scoring, apart
from where the postings come from (a Store locally, DataFrame joins on Spark).

Two cheap signals, each scored in [0, 1] and added up: the share of the
article's MinHash bands another article shares (copies and light edits), and
the idf-weighted share of its rarest fingerprint keys another article holds
(paraphrases keep names, numbers and rare words). Keys and buckets held by more
than `cap` articles are skipped, not exploded: they say little and cost much.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import log

from copydesk.settings import Settings


@dataclass(frozen=True)
class Candidate:
    id: str
    score: float
    reasons: tuple[str, ...]


def posting_cap(n: int, settings: Settings) -> int:
    """Most articles a key or bucket may be held by and still count."""
    return min(settings.key_max_cap, max(settings.key_min_cap, int(settings.key_max_share * n)))


def rarest_keys(frequency: Mapping[str, int], cap: int, settings: Settings) -> list[str]:
    """The article's keys that are rare enough to look up, rarest first, until
    `candidate_query_keys` keys or `candidate_posting_budget` postings are used."""
    usable = sorted(((df, k) for k, df in frequency.items() if 0 < df <= cap))[: settings.candidate_query_keys]
    chosen, spent = [], 0
    for df, key in usable:
        spent += df
        if spent > settings.candidate_posting_budget:
            break
        chosen.append(key)
    return chosen


def score_candidates(
    target_id: str,
    bucket_counts: Mapping[str, int],
    bands: int,
    rarest: Sequence[str],
    frequency: Mapping[str, int],
    shared_keys: Mapping[str, Sequence[str]],
    n: int,
    settings: Settings,
) -> list[Candidate]:
    """The best `candidate_limit` other articles, best first.

    `bucket_counts`: other article -> how many of the target's `bands` buckets it shares;
    `shared_keys`: other article -> which of the `rarest` keys it holds; `n`: library size."""
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}

    def note(article_id: str, score: float, reason: str) -> None:
        if article_id != target_id:
            scores[article_id] = scores.get(article_id, 0.0) + score
            reasons.setdefault(article_id, []).append(reason)

    for article_id in sorted(bucket_counts):
        shared = bucket_counts[article_id]
        note(article_id, shared / bands, f"shares {shared}/{bands} MinHash bands")
    position = {k: i for i, k in enumerate(rarest)}
    idf = {k: log(1 + n / frequency[k]) for k in rarest}
    mass = sum(idf.values())
    floor = settings.candidate_min_key_share * mass - 1e-9
    for article_id in sorted(shared_keys):
        # A rough sum first: most holders share one or two keys and are skipped before sorting (the
        # slow part). The kept ones are summed again in rarity order, so the float is the same
        # whichever order an engine delivered the keys in (local and Spark must agree exactly).
        if sum(idf.get(k, 0.0) for k in shared_keys[article_id]) < floor:
            continue
        held = sorted((k for k in shared_keys[article_id] if k in position), key=position.__getitem__)
        share = sum(idf[k] for k in held) / mass if mass else 0.0
        if share >= settings.candidate_min_key_share:
            facts = [k for k in held if not k.startswith("w:")]
            note(article_id, share, f"shares {share:.0%} of its rare keys ({', '.join((facts or held)[:4])})")
    ranked = sorted(scores, key=lambda a: (-round(scores[a], 9), a))[: settings.candidate_limit]
    return [Candidate(a, round(scores[a], 4), tuple(reasons[a])) for a in ranked]
