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

_NUMBER = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion|bn|m)\b)?", re.IGNORECASE
)
_SCALE = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’\-]+(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][a-zA-Z'’\-]+)*")
_WORD = re.compile(r"[a-z][a-z'\-]+")
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "thousand": "1000",
    "dozen": "12",
}
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours said says say told according year years new one two percent people""".split()
)
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


def number_key(digits: str, scale: str | None = None) -> str:
    """'4,120' -> '4120'; '212 million' -> '212000000'; '1.50' -> '1.5'."""
    value = float(digits.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)
    return f"{value:.6f}".rstrip("0").rstrip(".")


def surface_numbers(text: str) -> list[str]:
    """Numbers as written ("4,120", "212 million")."""
    return [m.group().strip() for m in _NUMBER.finditer(text)]


def surface_names(text: str) -> list[str]:
    """Capitalised names as written, without leading stopwords ("The Harbor Institute" -> "Harbor Institute")."""
    names = []
    first = len(text) - len(text.lstrip(" \"'“‘("))
    for match in _NAME.finditer(text):
        raw = match.group().split()
        if len(raw) == 1 and match.start() == first:
            continue  # a lone capitalised first word is usually just a sentence start
        while raw and raw[0].lower() in STOPWORDS:
            raw.pop(0)
        if raw and raw[-1][-2:] in ("'s", "’s"):
            raw[-1] = raw[-1][:-2]  # "Rockwell's" names Rockwell
        if raw:
            names.append(" ".join(raw))
    return names


def extract(text: str, rare_words: frozenset[str] | None = None) -> Anchors:
    numbers = {number_key(m.group(1), m.group(2)) for m in _NUMBER.finditer(text)}
    lowered = _WORD.findall(text.lower())
    numbers |= {NUMBER_WORDS[w] for w in lowered if w in NUMBER_WORDS}
    names = set()
    for name in surface_names(text):
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
