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

from copydesk.align.anchors import NUMBER_WORDS, number_key
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


def _span_atoms(kind: str, pattern: re.Pattern[str], text: str, value) -> list[Atom]:
    return [Atom(kind, m.start(), m.end(), m.group(), value(m)) for m in pattern.finditer(text)]


_BOUNDS = (
    ("about", r"about|around|roughly|approximately|some|nearly|almost|close to|an estimated"),
    ("up_to", r"up to|as much as|as many as|as high as"),
    ("over", r"over|more than|above|exceeding|upwards of"),
    ("under", r"under|less than|fewer than|below"),
    ("at_least", r"at least|no fewer than|no less than"),
    ("at_most", r"at most|no more than"),
)
_BOUND_WORDS = "|".join(p for _, p in _BOUNDS)
_QUANTITY = re.compile(
    rf"(?:\b(?P<bound>{_BOUND_WORDS})\s+)?(?P<cur>[$£€¥])?(?<![\w.])(?P<num>\d(?:[\d,]*\d)?(?:\.\d+)?)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|m)\b)?(?P<pct>\s*(?:%|per\s?cent|percent))?",
    re.IGNORECASE,
)
_WORD_NUMBER = re.compile(
    rf"(?:\b(?P<bound>{_BOUND_WORDS})\s+)?\b(?P<word>{'|'.join(NUMBER_WORDS)})\b(?!\s+of\b)(?P<pct>\s*(?:%|per\s?cent|percent))?",
    re.IGNORECASE,
)
_FRACTIONS = {"a quarter": "0.25", "a third": "0.333", "half": "0.5", "two thirds": "0.667", "three quarters": "0.75"}
_FRACTION = re.compile(r"\b(" + "|".join(_FRACTIONS) + r")\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Relative to the article's date ("last year") or to a year named in the sentence ("a year earlier").
_RELATIVE = {"last year": -1, "a year ago": -1, "this year": 0, "next year": 1, "two years ago": -2}
_ANAPHORIC = {"a year earlier": -1, "the previous year": -1, "the year before": -1, "a year later": 1, "the following year": 1}
_RELATIVE.update(_ANAPHORIC)
_RELATIVE_TIME = re.compile(r"\b(" + "|".join(re.escape(k) for k in _RELATIVE) + r")(?:'s)?\b", re.IGNORECASE)
# Spans of time: "a fortnight", "11 years", "a few weeks", "the months since". The value is the span in
# days, or "few-<unit>" when the text gives no count.
UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "decade": 3650}
_DURATION = re.compile(
    rf"\b(?P<count>a|an|one|\d+|{'|'.join(w for w in NUMBER_WORDS if w not in ('hundred', 'thousand', 'dozen'))}|"
    r"a few|a couple of|few|several|many|some|the|recent|past|following|coming)?\s*"
    r"(?P<unit>hours?|days?|weeks?|fortnights?|months?|years?|decades?)\b",
    re.IGNORECASE,
)
# Strength order matters for the explanation only; any change of class is a finding.
QUANTIFIERS = {
    "all": "all", "every": "all", "each": "all", "nearly all": "nearly all", "almost all": "nearly all",
    "virtually all": "nearly all", "most": "most", "the majority of": "most", "many": "many",
    "several": "some", "some": "some", "a few": "a few", "few": "few", "none": "none", "no one": "none",
    "only": "only", "all but": "nearly all",
}
# "all over the world", "at all" and "after all" quantify nothing; "some 200" is a bound (see _BOUNDS).
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
_DOUBLE_QUOTED = r"“([^”]{3,})”|\"([^\"]{3,})\""
# Quotations in double marks only: the tracing fingerprint's quote keys (trace/signals.py), as calibrated.
QUOTE = re.compile(_DOUBLE_QUOTED)
# The claim check also reads single marks, as British papers quote ('I was surprised,' he said). A single
# mark opens after a space or bracket and closes before a space or punctuation, so apostrophes inside
# words (don't, Smiths') do not end the quotation.
_SINGLE_QUOTED = r"(?:^|(?<=[\s(\[—–-]))[‘'](?!')(\S(?:[^\n]*?\S)?)(?<!')[’'](?=[\s.,;:!?)\]—–-]|$)"
QUOTATION = re.compile(f"{_DOUBLE_QUOTED}|{_SINGLE_QUOTED}")
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


def _quantity_value(m: re.Match[str]) -> str:
    scale = m.group("scale")
    if scale and scale.lower() == "m" and not m.group("cur"):
        # "$5m" is five million; "a 10m sea wall" is ten metres: a bare "m" is a unit, kept as written.
        return number_key(m.group("num")) + "m"
    value = number_key(m.group("num"), scale)
    return value + ("%" if m.group("pct") else "")


def _bound(word: str | None) -> str:
    if not word:
        return "exact"
    word = word.lower()
    return next(name for name, pattern in _BOUNDS if re.fullmatch(pattern, word))


def extract_atoms(text: str, published: date | None = None, entities: Sequence[Entity] | None = None) -> list[Atom]:
    """Every atom in one sentence's clean text; `entities` are its names as tagged."""
    atoms: list[Atom] = []
    years = {m.start() for m in _YEAR.finditer(text)}
    for m in _QUANTITY.finditer(text):
        if m.start("num") in years and not (m.group("scale") or m.group("pct") or m.group("cur")):
            continue  # a year, handled below
        atoms.append(Atom("number", m.start(), m.end(), m.group(), _quantity_value(m), _bound(m.group("bound"))))
    for m in _WORD_NUMBER.finditer(text):
        value = NUMBER_WORDS[m.group("word").lower()] + ("%" if m.group("pct") else "")
        atoms.append(Atom("number", m.start(), m.end(), m.group(), value, _bound(m.group("bound"))))
    atoms += _span_atoms("number", _FRACTION, text, lambda m: _FRACTIONS[m.group().lower()])
    atoms += _span_atoms("year", _YEAR, text, lambda m: m.group())
    named_year = next((int(m.group()) for m in _YEAR.finditer(text)), None)
    for m in _RELATIVE_TIME.finditer(text):
        phrase = m.group(1).lower()
        offset = _RELATIVE[phrase]
        anchor = named_year if phrase in _ANAPHORIC else (published.year if published else None)
        value = str(anchor + offset) if anchor is not None else f"relative:{offset}"
        atoms.append(Atom("relative_time", m.start(), m.end(), m.group(), value))
    atoms += [a for a in (_duration(m) for m in _DURATION.finditer(text)) if a is not None]
    atoms += [a for a in _span_atoms("quantifier", _QUANTIFIER, text, lambda m: QUANTIFIERS[m.group().lower()])
              if not (a.value == "some" and re.match(r"\s+\d", text[a.end:]))]
    # "May" with a capital is the month ("in May"), not the hedge.
    atoms += [a for a in _span_atoms("hedge", _HEDGE, text, lambda m: HEDGES[m.group().lower()]) if a.text != "May"]
    atoms += _span_atoms("negation", _NEGATION, text, lambda m: "not")
    atoms += _span_atoms("comparison", _COMPARISON, text, lambda m: COMPARISONS[m.group().lower()])
    atoms += [a for a in _span_atoms("comparison", _COMPARATIVE, text, lambda m: m.lastgroup)
              if not any(o.kind == "comparison" and o.start <= a.start < o.end for o in atoms)]
    atoms += [a for a in _span_atoms("quote", QUOTATION, text, lambda m: quote_key(next(g for g in m.groups() if g)))
              if len(a.value) >= 3]
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


def _duration(m: re.Match[str]) -> Atom | None:
    unit = m.group("unit").lower().rstrip("s")
    count = (m.group("count") or "").lower()
    singular = m.group("unit").lower() == unit
    following = re.match(r"\s+(after|before|later|earlier|since)\b", m.string[m.end() :], re.IGNORECASE)
    if count in ("", "the") and singular and not (count == "the" and following):
        return None  # a bare singular ("the day he left") is no span; "the week after" is one week
    if count in ("a", "an") and re.search(r"\d\S*\s+(\S+\s+)?$", m.string[: m.start()]):
        return None  # a rate: "£2,100 a year"
    if count in ("a", "an", "one") or (singular and count in ("the", "following", "coming", "past", "recent")):
        days = UNIT_DAYS[unit]
    elif count.isdigit() or count in NUMBER_WORDS:
        days = UNIT_DAYS[unit] * float(count if count.isdigit() else NUMBER_WORDS[count])
    else:
        days = None
    value = f"{days:g}" if days is not None else f"few-{'week' if unit == 'fortnight' else unit}"
    return Atom("duration", m.start(), m.end(), m.group().strip(), value)


def _next_to(run: Entity, verbs: Sequence[Atom], text: str) -> bool:
    """Only spaces or a comma between the run and a reporting verb."""
    return any(
        (0 <= v.start - run.end <= 2 and text[run.end : v.start].strip(" ,") == "")
        or (0 <= run.start - v.end <= 2 and text[v.end : run.start].strip(" ,") == "")
        for v in verbs
    )


def quote_key(quote: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", quote.lower()))


