"""Fact atoms: the checkable parts of a sentence, each with its span.

Rules for numbers with their bounds, years and relative dates, quantifiers,
hedges, negation, comparisons, quotes and attributions; names come from an
entity tagger (spaCy's NER, or capitalised words when none is given).
Spans are offsets into the sentence's clean text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from copydesk import facts
from copydesk.check.entities import CapitalisedTagger, Entity, entity_key


@dataclass(frozen=True)
class Atom:
    kind: str  # number, year, relative_time, duration, quantifier, hedge, negation, comparison, quote, attribution, credit, name, vague
    start: int
    end: int
    text: str
    value: str  # normalised value to compare ("4120", "2021", "all", "unconfirmed", ...)
    bound: str = "exact"  # numbers: exact, about, up_to, at_least, at_most, over, under
    label: str = ""  # names: the entity label (PERSON, GPE, ORG, ... or NAME from the rule tagger)


def _atom(kind: str, found: facts.Found) -> Atom:
    return Atom(kind, found.start, found.end, found.text, found.value)


def _span_atoms(kind: str, pattern: re.Pattern[str], text: str, value) -> list[Atom]:
    return [Atom(kind, m.start(), m.end(), m.group(), value(m)) for m in pattern.finditer(text)]


# Strength order matters for the explanation only; any change of class is a finding.
QUANTIFIERS = {
    "all": "all", "every": "all", "each": "all", "nearly all": "nearly all", "almost all": "nearly all",
    "virtually all": "nearly all", "most": "most", "the majority of": "most", "many": "many",
    "several": "some", "some": "some", "a few": "a few", "few": "few", "none": "none", "no one": "none",
    "only": "only", "all but": "nearly all",
}
# "all over the world", "at all" and "after all" quantify nothing; "some 200" is a bound (facts.quantities).
_QUANTIFIER = re.compile(
    r"(?<!\bat )(?<!\bafter )(?<!\babove )\b(" + "|".join(sorted(QUANTIFIERS, key=len, reverse=True)) + r")\b"
    r"(?!\s+(?:over|along|the same|the way|right)\b)(?=\s+(?:of\s+)?\w)",
    re.IGNORECASE,
)
HEDGES = {
    "could not be confirmed": "unconfirmed", "could not be independently confirmed": "unconfirmed",
    "not been confirmed": "unconfirmed", "unconfirmed": "unconfirmed", "could not be verified": "unconfirmed",
    "unverified": "unconfirmed", "remains unclear": "unclear", "is unclear": "unclear", "unclear": "unclear",
    "unknown": "unclear", "allegedly": "alleged", "alleged": "alleged", "accused of": "alleged",
    "charged with": "alleged", "suspected of": "alleged", "reportedly": "reported", "is believed to": "reported",
    "are believed to": "reported", "was believed to": "reported", "is thought to": "reported", "are thought to": "reported",
    "is said to": "reported", "are said to": "reported", "is understood to": "reported",
    "may": "possible", "might": "possible", "could": "possible", "possibly": "possible", "perhaps": "possible",
    "probably": "likely", "likely": "likely", "expected to": "likely", "certainly": "certain",
    "definitely": "certain", "confirmed": "confirmed",
}
_HEDGE = re.compile(r"\b(" + "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True)) + r")\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(not|no|never|n't|none|neither|nor|without|nobody|nothing|denied|refused)\b|n't\b", re.IGNORECASE)
COMPARISONS = {
    "less than": "less", "fewer than": "less", "lower than": "less", "cheaper than": "less", "smaller than": "less",
    "more than": "more", "higher than": "more", "greater than": "more", "larger than": "more", "costlier than": "more",
    "instead of": "instead", "rather than": "instead", "twice as": "twice", "half as": "half",
    "compared with": "compared", "compared to": "compared", "as much as": "equal", "the same as": "equal",
}
_COMPARISON = re.compile(r"\b(" + "|".join(COMPARISONS) + r")\b", re.IGNORECASE)
# Comparisons around an adjective: "more comfortable than", "harder than", "every bit as hard as".
_COMPARATIVE = re.compile(
    r"\b(?P<more>more \w+(?: \w+){0,4}? than|(?!(?:other|rather|under|over|after|later|either|neither|never)\b)\w{3,}er than)\b"
    r"|\b(?P<less>less \w+(?: \w+){0,4}? than)\b"
    r"|\b(?P<equal>(?:just |every bit |exactly )?as (?!(?:well|soon|long|far|much|many|of|if|though|part|a|an|the)\b)\w+(?: \w+){0,4}? as)\b",
    re.IGNORECASE,
)
REPORTING_VERBS = (
    # Forms that are also common nouns ("claims", "estimates", "notes") are left out.
    "said|says|say|told|tells|added|adds|stated|claimed|argued|argues|warned|warns|urged|urges|"
    "called on|calls on|called for|estimated|insisted|insists|noted|announced|announces|"
    "according to|wrote|writes|believes|believed|accused|accuses|demanded"
)
_ATTRIBUTION = re.compile(rf"\b({REPORTING_VERBS})\b", re.IGNORECASE)
# A credit line names the outlet a retelling took its story from ("..., the Daily Mail reported",
# "according to CNN", "a commentary published by CNN", "the piece explains"): credit, not a changed
# name or a new speaker.
_OUTLET_WORD = (r"(?:Mail|Times|Post|News|Press|Reuters|AP|AFP|CNN|BBC|NBC|CBS|ABC|Fox|NPR|Sky|Guardian|Telegraph|"
                r"Journal|Herald|Tribune|Gazette|Agency|Wire|Bloomberg|Independent|Express|Mirror|Sun|Standard|"
                r"Observer|Chronicle|Magazine|Radio|Television|TV|Online|Politico|Axios)")
_OUTLET = rf"(?:the\s+)?(?:[A-Z][\w.&'’-]*\s+){{0,3}}{_OUTLET_WORD}\b(?:\s+[A-Z][\w.&'’-]*){{0,2}}"
_THE_PIECE = r"(?i:the|this|a|an)\s+(?:piece|article|report|commentary|column|story|op-ed|analysis|editorial)"
_CREDIT = re.compile(
    rf"(?i:according to|(?:first |originally )?(?:reported|published) by|in a (?:report|commentary|piece|column|story)"
    rf"(?: published)? (?:by|in|for))\s+{_OUTLET}"
    rf"|{_OUTLET}(?:'s?)?\s+(?:has |had )?(?:reported|reports|said in a report)"
    rf"|{_THE_PIECE}\s+(?:\w+\s+)?(?:explains|explained|says|said|notes|noted|argues|argued|reports|reported|adds|added|writes|wrote)"
    rf"|(?i:according to|as)\s+{_THE_PIECE}"
)
_VAGUE = re.compile(
    r"\b(several|various|some|many|a number of|multiple|certain|other)\s+(regions?|areas?|places?|countries|cities|towns|"
    r"officials?|experts?|sources?|people|analysts?|critics|residents|organi[sz]ations?|groups?|companies|provinces?|states?)\b"
    r"|\bcountries such as\b|\bexperts say\b|\bobservers\b|\bthe region\b|\bacross the country\b"
    r"|\b(federal|local|state|government|foreign|regional|national|international|overseas|senior)\s+"
    r"(authorities|officials|police|agenc(y|ies)|investigators|sources|officers)\b",
    re.IGNORECASE,
)


def extract_atoms(text: str, published: date | None = None, entities: Sequence[Entity] | None = None) -> list[Atom]:
    """Every atom in one sentence's clean text; `entities` are its names as tagged."""
    atoms: list[Atom] = [Atom("number", q.start, q.end, q.text, q.value, q.bound) for q in facts.quantities(text)]
    atoms += [_atom("year", f) for f in facts.years_named(text)]
    atoms += [_atom("relative_time", f) for f in facts.relative_years(text, published)]
    atoms += [_atom("duration", f) for f in facts.durations(text)]
    atoms += [a for a in _span_atoms("quantifier", _QUANTIFIER, text, lambda m: QUANTIFIERS[m.group().lower()])
              if not (a.value == "some" and re.match(r"\s+\d", text[a.end:]))]
    # "May" with a capital is the month ("in May"), not the hedge.
    atoms += [a for a in _span_atoms("hedge", _HEDGE, text, lambda m: HEDGES[m.group().lower()]) if not facts.mentions_calendar(a.text)]
    atoms += _span_atoms("negation", _NEGATION, text, lambda m: "not")
    atoms += _span_atoms("comparison", _COMPARISON, text, lambda m: COMPARISONS[m.group().lower()])
    atoms += [a for a in _span_atoms("comparison", _COMPARATIVE, text, lambda m: m.lastgroup)
              if not any(o.kind == "comparison" and o.start <= a.start < o.end for o in atoms)]
    atoms += [_atom("quote", f) for f in facts.quotes(text)]
    atoms += _span_atoms("attribution", _ATTRIBUTION, text, lambda m: m.group().lower())
    atoms += _span_atoms("credit", _CREDIT, text, lambda m: m.group().lower())
    atoms += _span_atoms("vague", _VAGUE, text, lambda m: m.group().lower())
    verbs = [a for a in atoms if a.kind == "attribution"]
    if entities is None:
        entities = CapitalisedTagger().tag([text])[0]
    elif verbs:
        # A tagger misses some speakers ("Pep Guardiola says"); a capitalised run right next to a
        # reporting verb is taken as the speaker's name.
        runs = CapitalisedTagger().tag([text])[0]
        entities = [*entities, *(r for r in runs if _next_to(r, verbs, text) and not any(e.start < r.end and r.start < e.end for e in entities))]
    atoms += [Atom("name", e.start, e.end, e.text, entity_key(e.text), label=e.label) for e in entities if entity_key(e.text)]
    return sorted(atoms, key=lambda a: (a.start, a.end))


def _next_to(run: Entity, verbs: Sequence[Atom], text: str) -> bool:
    """Only spaces or a comma between the run and a reporting verb."""
    return any(
        (0 <= v.start - run.end <= 2 and text[run.end : v.start].strip(" ,") == "")
        or (0 <= run.start - v.end <= 2 and text[v.end : run.start].strip(" ,") == "")
        for v in verbs
    )
