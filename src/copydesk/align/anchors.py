"""Lexical anchors: numbers, names and rare words two sentences share.

Embeddings blur specifics ("4,120 claims" ~ "4,210 claims"); anchors settle
close calls between candidate source sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from copydesk import facts
from copydesk.facts import STOPWORDS, number_key

_WORD = re.compile(r"[a-z][a-z'\-]+")
WEIGHTS = {"number": 1.0, "name": 0.7, "word": 0.35}


@dataclass(frozen=True)
class Anchors:
    numbers: frozenset[str]
    names: frozenset[str]
    words: frozenset[str]

    def items(self) -> Iterable[tuple[str, str]]:
        for kind, values in (("number", self.numbers), ("name", self.names), ("word", self.words)):
            for value in values:
                yield kind, value

    @cached_property
    def weight(self) -> float:
        return sum(WEIGHTS[kind] for kind, _ in self.items())


def extract(text: str, rare_words: frozenset[str] | None = None) -> Anchors:
    # The number itself: "18%" anchors "18 per cent" and "18 of the".
    numbers = {number_key(q.amount) for q in facts.quantities(text)} | {y.value for y in facts.years_named(text)}
    lowered = _WORD.findall(text.lower())
    names = set()
    for name in facts.names(text):
        # Each capitalised token counts, so "Okafor" matches "Grace Okafor".
        names.update(t.lower().strip("'’") for t in name.split() if len(t) > 1)
    content = {w for w in lowered if w not in STOPWORDS and len(w) > 3}
    words = content & rare_words if rare_words is not None else content
    return Anchors(frozenset(numbers), frozenset(names), frozenset(words - names))


def rare_vocabulary(texts: Iterable[str], max_share: float = 0.2) -> frozenset[str]:
    """Content words that occur in at most `max_share` of the texts (at least 1)."""
    counts: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        counts.update({w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 3})
    limit = max(1, int(n * max_share))
    return frozenset(w for w, c in counts.items() if c <= limit)


def overlap(a: Anchors, b: Anchors) -> tuple[float, tuple[str, ...]]:
    """Dice overlap of anchor weights, in [0, 1], and what is shared."""
    shared = []
    weight = 0.0
    for kind, values in (("number", a.numbers & b.numbers), ("name", a.names & b.names), ("word", a.words & b.words)):
        for value in sorted(values):
            shared.append(value)
            weight += WEIGHTS[kind]
    total = a.weight + b.weight
    if total <= 0:
        return 0.0, ()
    return min(1.0, 2 * weight / total), tuple(shared)
