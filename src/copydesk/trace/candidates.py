"""Which articles may tell the same story as a given one: the scoring, apart
from where the postings come from (a Store locally, DataFrame joins on Spark).

Two cheap signals added up: the share of the article's MinHash bands another
article shares (copies and light edits), and the idf-weighted share of its
rarest fingerprint keys another article holds (paraphrases keep names, numbers
and rare words). An article must hold `candidate_min_key_share` of them to
count; its share is then weighed down if it has more keys than most and up if
fewer, as BM25 does for long documents (a long article holds a few of any
query's words by its length alone), so the limited places go to the closer.
Keys and buckets held by more than `cap` articles are skipped, not exploded:
they say little and cost much.
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
    key_share: float = 0.0  # idf-weighted share of the query's rare keys it holds, before weighing by size


def posting_cap(n: int, settings: Settings) -> int:
    """Most articles a key or bucket may be held by and still count."""
    return min(settings.key_max_cap, max(settings.key_min_cap, int(settings.key_max_share * n)))


def rarest_keys(frequency: Mapping[str, int], cap: int, settings: Settings, *, counts_itself: bool) -> list[str]:
    """The article's keys that are rare enough to look up, rarest first, until
    `candidate_query_keys` keys or `candidate_posting_budget` postings are used.

    A key no other article holds cannot propose a candidate, so it takes no place and no idf mass:
    a heavily reworded retelling's own words would otherwise be the "rarest" and crowd out the
    names and numbers it shares with its source. `counts_itself`: `frequency` counts the article."""
    others = 1 if counts_itself else 0
    usable = sorted(((df, k) for k, df in frequency.items() if others < df <= cap))[: settings.candidate_query_keys]
    chosen, spent = [], 0
    for df, key in usable:
        spent += df
        if spent > settings.candidate_posting_budget:
            break
        chosen.append(key)
    return chosen


def size_weight(size: int | None, mean_size: float, settings: Settings) -> float:
    """BM25's length normalisation with one occurrence per key: 1 for an article of the
    library's mean fingerprint size (or of unknown size), less for a bigger one, more for a smaller."""
    k1, b = settings.candidate_size_k1, settings.candidate_size_b
    relative = size / mean_size if size is not None and mean_size > 0 else 1.0
    return (k1 + 1) / (1 + k1 * (1 - b + b * relative))


def score_candidates(
    target_id: str,
    bucket_counts: Mapping[str, int],
    bands: int,
    rarest: Sequence[str],
    frequency: Mapping[str, int],
    shared_keys: Mapping[str, Sequence[str]],
    sizes: Mapping[str, int],
    mean_size: float,
    n: int,
    settings: Settings,
) -> list[Candidate]:
    """The best `candidate_limit` other articles, best first.

    `bucket_counts`: other article -> how many of the target's `bands` buckets it shares;
    `shared_keys`: other article -> which of the `rarest` keys it holds; `sizes`: article ->
    how many fingerprint keys it has, `mean_size` the library's mean; `n`: library size."""
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    key_shares: dict[str, float] = {}

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
            weighed = share * size_weight(sizes.get(article_id), mean_size, settings)
            key_shares[article_id] = share
            note(article_id, weighed, f"shares {share:.0%} of its rare keys ({', '.join((facts or held)[:4])})")
    ranked = sorted(scores, key=lambda a: (-round(scores[a], 9), a))[: settings.candidate_limit]
    return [Candidate(a, round(scores[a], 4), tuple(reasons[a]), round(key_shares.get(a, 0.0), 4)) for a in ranked]
