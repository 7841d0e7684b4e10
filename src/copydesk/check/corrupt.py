"""Corruption generator: labelled distorted variants of real news sentences.

In the spirit of FactCC (Kryscinski et al. 2020): each transformation makes
one kind of change that the claim check should name, and returns None when
the sentence offers nothing to change. Deterministic given the sentence and
its article, so evaluation sets are reproducible.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from copydesk.align.anchors import surface_names
from copydesk.check.atoms import REPORTING_VERBS
from copydesk.check.findings import CALENDAR

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


def _names(sentence: str) -> list[str]:
    return [n for n in surface_names(sentence) if len(n) > 2]


def _entity(sentence: str, article: str) -> str | None:
    names = _names(sentence)
    if not names:
        return None
    target = names[0]
    replacement = _pick(["Dana Whitfield", "Port Aldren", "the Morrow Group", "Elias Varga", "Kestrel Bank"], sentence)
    return sentence.replace(target, replacement, 1)


def _generalize(sentence: str, article: str) -> str | None:
    """A place made vague: "in Leeds" -> "in several regions" ("in March" is a date, not a place)."""
    places = re.finditer(r"\b(in|at|near|from)\s+((?:the\s+)?[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*)", sentence)
    m = next((p for p in places if not CALENDAR.fullmatch(p.group(2))), None)
    if not m:
        return None
    return sentence[: m.start(2)] + "several regions" + sentence[m.end(2) :]


_QUOTE = re.compile(r"(“)([^”]{8,})(”)|(\")([^\"]{8,})(\")")


def _quote_alter(sentence: str, article: str) -> str | None:
    m = _QUOTE.search(sentence)
    if not m:
        return None
    inner_start = m.start(2) if m.group(2) else m.start(5)
    inner = m.group(2) or m.group(5)
    words = [w for w in re.finditer(r"[A-Za-z]{5,}", inner)]
    if not words:
        return None
    w = words[len(words) // 2]
    replacement = _pick(["never", "completely", "dangerous", "unacceptable", "wonderful"], sentence)
    pos = inner_start + w.start()
    return sentence[:pos] + replacement + sentence[pos + len(w.group()) :]


def _quote_fabricate(sentence: str, article: str) -> str | None:
    names = _names(sentence)
    if not names or _QUOTE.search(sentence):
        return None
    speaker = names[0]
    quote = _pick(['"This is a turning point for all of us."', '"We will not let this happen again."',
                   '"Nobody saw this coming."'], sentence)
    return f"{sentence.rstrip('.')}. {quote} {speaker} said."


_VERB = re.compile(rf"\b({REPORTING_VERBS})\b")


def _shift_attribution(sentence: str, article: str) -> str | None:
    if not _VERB.search(sentence):
        return None
    names = _names(sentence)
    others = [n for n in _names(article) if n not in sentence and len(n.split()) >= 2]
    if not names or not others:
        return None
    return sentence.replace(names[0], _pick(others, sentence), 1)


def _drop_attribution(sentence: str, article: str) -> str | None:
    m = _QUOTE.search(sentence)
    if not m or not _VERB.search(sentence):
        return None
    inner = (m.group(2) or m.group(5)).strip().rstrip(",")
    if len(inner.split()) < 5:
        return None
    return inner[0].upper() + inner[1:].rstrip(".") + "."


_SWAPS = {
    "quantifier_changed": [("nearly all", "all"), ("almost all", "all"), ("most", "all"), ("many", "few"),
                           ("some", "most"), ("several", "many"), ("all", "some"), ("every", "some")],
    "hedge_changed": [("could not be confirmed", "is unclear"), ("allegedly", "reportedly"), ("may", "will"),
                      ("might", "will"), ("could", "will"), ("likely", "certain"), ("probably", "certainly"),
                      ("reportedly", "allegedly"), ("unclear", "unconfirmed")],
    "comparison_changed": [("more than", "less than"), ("less than", "instead of"), ("higher than", "lower than"),
                           ("lower than", "higher than"), ("fewer than", "more than"), ("compared with", "instead of")],
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
