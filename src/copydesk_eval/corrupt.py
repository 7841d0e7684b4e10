"""Corruption generator: labelled distorted variants of real news sentences (evaluation only).

In the spirit of FactCC (Kryscinski et al. 2020): each transformation makes
one kind of change that the claim check should name, and returns None when
the sentence offers nothing to change. Deterministic given the sentence and
its article, so evaluation sets are reproducible.

It shares no code or word lists with the checker it grades (copydesk.check): its own name finder,
month names from the standard library, its own reporting verbs, quote marks and swap tables, and
names taken from elsewhere in the same article rather than invented; so its recall figures are not
the rules graded against themselves.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

KINDS = (
    "number_changed", "time_scope_changed", "entity_changed", "entity_generalized", "quote_altered",
    "quote_fabricated", "attribution_shifted", "attribution_dropped", "quantifier_changed", "hedge_changed",
    "negation_flipped", "comparison_changed",
)


@dataclass(frozen=True)
class Corruption:
    kind: str
    original: str
    corrupted: str


def _pick(options: list[str], seed: str) -> str:
    return options[int(hashlib.sha1(seed.encode()).hexdigest(), 16) % len(options)]


def _number(sentence: str, article: str) -> str | None:
    m = re.search(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]*\.\d)(?!\s*(?:a\.m|p\.m))", sentence)
    if not m or re.fullmatch(r"(19|20)\d\d", m.group(1)):
        return None
    value = int(m.group(1).replace(",", ""))
    new = value + max(1, round(value * 0.3)) if value > 1 else value + 2
    text = f"{new:,}" if "," in m.group(1) else str(new)
    return sentence[: m.start(1)] + text + sentence[m.end(1) :]


def _year(sentence: str, article: str) -> str | None:
    m = re.search(r"\b(19|20)\d\d\b", sentence)
    if not m:
        return None
    return sentence[: m.start()] + str(int(m.group()) - 2) + sentence[m.end() :]


_MONTHS = frozenset(calendar.month_name[1:]) | frozenset(calendar.day_name)
_CAPITALISED_RUN = re.compile(r"(?<![\w'’])(?:[A-Z][a-z]+(?:[-'’][A-Za-z]+)?)(?:\s+(?:[A-Z][a-z]+(?:[-'’][A-Za-z]+)?|[A-Z]\.))*")


def _names(text: str) -> list[str]:
    """Runs of capitalised words that are not sentence-initial, not months or weekdays."""
    out = []
    for m in _CAPITALISED_RUN.finditer(text):
        run = m.group()
        before = text[: m.start()].rstrip().rstrip("\"'“‘").rstrip()
        if not before or before[-1] in ".!?":
            run = run.partition(" ")[2]  # a sentence's first word is capitalised anyway
        if run and run not in _MONTHS and len(run) > 2:
            out.append(run)
    return out


# Names of people, places and bodies from other stories, for the "extrinsic" half of the entity swaps.
FOREIGN_NAMES = ("Marta Kowalczyk", "Ruairi Doherty", "Ashfield", "the Harlow Trust", "Devon Okonjo", "Lake Tirano")


def _entity(sentence: str, article: str) -> str | None:
    """A name swapped for another name: for half the sentences one the same article uses elsewhere
    (BUMP's "intrinsic" entity error), for the other half one from another story ("extrinsic")."""
    names = _names(sentence)
    if not names:
        return None
    taken = set(" ".join(names).split())
    others = [n for n in dict.fromkeys(_names(article)) if n not in sentence and not set(n.split()) & taken]
    intrinsic = int(hashlib.sha1(sentence.encode()).hexdigest(), 16) % 2 == 0
    pool = others if intrinsic and others else list(FOREIGN_NAMES)
    return sentence.replace(names[0], _pick(pool, sentence), 1)


def _generalize(sentence: str, article: str) -> str | None:
    """A place made vague: "in Leeds" -> "in several regions" ("in March" is a date, not a place)."""
    places = re.finditer(r"\b(in|at|near|from)\s+((?:the\s+)?[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*)", sentence)
    m = next((p for p in places if p.group(2) not in _MONTHS), None)
    if not m:
        return None
    return sentence[: m.start(2)] + "several regions" + sentence[m.end(2) :]


_QUOTE = re.compile(r"(“)([^”]{8,})(”)|(\")([^\"]{8,})(\")|((?<=\s)‘)([^’]{8,})(’)")


def _quote_alter(sentence: str, article: str) -> str | None:
    m = _QUOTE.search(sentence)
    if not m:
        return None
    inner_start = next(m.start(g) for g in (2, 5, 8) if m.group(g))
    inner = m.group(2) or m.group(5) or m.group(8)
    words = [w for w in re.finditer(r"[A-Za-z]{5,}", inner)]
    if not words:
        return None
    w = words[len(words) // 2]
    replacement = _pick(["never", "completely", "dangerous", "unacceptable", "wonderful"], sentence)
    pos = inner_start + w.start()
    return sentence[:pos] + replacement + sentence[pos + len(w.group()) :]


def _quote_fabricate(sentence: str, article: str) -> str | None:
    """A quotation the article never has: a sentence of another story, put in this speaker's mouth."""
    names = _names(sentence)
    if not names or _QUOTE.search(sentence):
        return None
    quote = _pick(list(FOREIGN_QUOTES), sentence)
    return f"{sentence.rstrip('.')}, and {names[0]} added: “{quote}”"


# Real sentences of other news stories (written for this generator), to be quoted where they were never said.
FOREIGN_QUOTES = (
    "The figures speak for themselves and the public deserves better.",
    "We were told the work would be finished long before the winter.",
    "Nobody from the company has ever explained what went wrong that night.",
    "I have been doing this job for thirty years and never seen anything like it.",
    "It is a disgrace that families are still waiting for an answer.",
    "The plan was rushed through without asking the people it affects.",
)
_VERB = re.compile(r"\b(said|says|told|explained|added|stated|remarked|revealed|insisted|claimed|announced|warned|according to)\b")


def _speakers(text: str) -> list[str]:
    """Names right before a reporting verb ("Okafor said")."""
    return [n for n in _names(text) if re.search(rf"\b{re.escape(n)}\s+{_VERB.pattern}", text)]


def _shift_attribution(sentence: str, article: str) -> str | None:
    """The claim given to another speaker the article quotes."""
    speakers = _speakers(sentence)
    if not speakers:
        return None
    taken = set(" ".join(speakers).split())
    others = [n for n in dict.fromkeys(_speakers(article)) if not set(n.split()) & taken]
    if not others:
        return None
    return sentence.replace(speakers[0], _pick(others, sentence), 1)


def _drop_attribution(sentence: str, article: str) -> str | None:
    m = _QUOTE.search(sentence)
    if not m or not _VERB.search(sentence):
        return None
    inner = (m.group(2) or m.group(5) or m.group(8)).strip().rstrip(",")
    if len(inner.split()) < 5:
        return None
    return inner[0].upper() + inner[1:].rstrip(".") + "."


# How people drift such words when they retell (the retold set's README lists the kinds): a qualifier
# strengthened or dropped, a comparison turned around.
_SWAPS = {
    "quantifier_changed": [("all but one", "all"), ("nearly all", "every one"), ("almost all", "all"), ("most", "all"),
                           ("many", "a handful of"), ("some", "most"), ("a few", "many"), ("none", "some")],
    "hedge_changed": [("could not be confirmed", "was confirmed"), ("is believed to", "is known to"),
                      ("are believed to", "are known to"), ("allegedly ", ""), ("reportedly ", ""), ("may have", "has"),
                      ("might", "will"), ("is likely to", "will"), ("probably ", "certainly "), ("appears to", "does")],
    "comparison_changed": [("more than", "less than"), ("less than", "more than"), ("higher than", "lower than"),
                           ("lower than", "higher than"), ("fewer than", "more than"), ("cheaper than", "as costly as"),
                           ("bigger than", "smaller than")],
}


def _swap(kind: str) -> Callable[[str, str], str | None]:
    def apply(sentence: str, article: str) -> str | None:
        for old, new in _SWAPS[kind]:
            m = re.search(rf"\b{re.escape(old)}\b", sentence, re.IGNORECASE)
            if m:
                replacement = new[0].upper() + new[1:] if m.group()[0].isupper() else new
                return sentence[: m.start()] + replacement + sentence[m.end() :]
        return None

    return apply


def _negate(sentence: str, article: str) -> str | None:
    m = re.search(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|did|does) not\b", sentence)
    if m:
        return sentence[: m.start()] + m.group(1) + sentence[m.end() :]
    m = re.search(r"\b(is|are|was|were|has|have|had|will|would|can|should)\b(?! not)", sentence)
    if not m:
        return None
    return sentence[: m.end()] + " not" + sentence[m.end() :]


TRANSFORMS: dict[str, Callable[[str, str], str | None]] = {
    "number_changed": _number,
    "time_scope_changed": _year,
    "entity_changed": _entity,
    "entity_generalized": _generalize,
    "quote_altered": _quote_alter,
    "quote_fabricated": _quote_fabricate,
    "attribution_shifted": _shift_attribution,
    "attribution_dropped": _drop_attribution,
    "quantifier_changed": _swap("quantifier_changed"),
    "hedge_changed": _swap("hedge_changed"),
    "negation_flipped": _negate,
    "comparison_changed": _swap("comparison_changed"),
}


def corruptions(sentence: str, article: str) -> list[Corruption]:
    """Every applicable corruption of `sentence` (a sentence of `article`)."""
    out = []
    for kind, transform in TRANSFORMS.items():
        corrupted = transform(sentence, article)
        if corrupted and corrupted != sentence:
            out.append(Corruption(kind, sentence, corrupted))
    return out
