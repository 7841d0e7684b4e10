"""Fact atoms: the checkable parts of a sentence, each with its span.

Numbers with their bounds, years, weekdays and relative dates, spans of time, quotes and the cue words around
them (quantifiers, hedges, negation, comparisons, reporting verbs, credit lines, vague stand-ins), and
words that have an opposite ("won" / "lost"), are read by copydesk.facts; names come from an entity
tagger (spaCy's NER, or capitalised words when none is given). Spans are offsets into the sentence's
clean text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from copydesk import facts
from copydesk.check.entities import CapitalisedTagger, Entity


@dataclass(frozen=True)
class Atom:
    kind: str  # number, year, weekday, relative_time, duration, quantifier, hedge, negation, comparison, opposable, quote, attribution, credit, name, vague
    start: int
    end: int
    text: str
    value: str  # normalised value to compare ("4120", "2021", "all", "unconfirmed", ...)
    bound: str = "exact"  # numbers: exact, about, up_to, at_least, at_most, over, under
    label: str = ""  # names: the entity label (PERSON, GPE, ORG, ... or NAME from the rule tagger)


def _atom(kind: str, found: facts.Found) -> Atom:
    return Atom(kind, found.start, found.end, found.text, found.value)


def extract_atoms(text: str, published: date | None = None, entities: Sequence[Entity] | None = None,
                  open_quote: bool = False) -> list[Atom]:
    """Every atom in one sentence's clean text; `entities` are its names as tagged. With `open_quote`
    (a source sentence), a quotation the sentence opens and leaves open is a quote too: a retelling may
    quote, or misquote, words that run on into the next sentence."""
    atoms: list[Atom] = [Atom("number", q.start, q.end, q.text, q.value, q.bound) for q in facts.quantities(text)]
    atoms += [_atom("year", f) for f in facts.years_named(text)]
    atoms += [_atom("weekday", f) for f in facts.weekdays_named(text)]
    atoms += [_atom("relative_time", f) for f in facts.relative_years(text, published)]
    atoms += [_atom("duration", f) for f in facts.durations(text)]
    atoms += [_atom("quantifier", f) for f in facts.quantifiers(text)]
    atoms += [_atom("hedge", f) for f in facts.hedges(text)]
    atoms += [_atom("negation", f) for f in facts.negations(text)]
    atoms += [_atom("comparison", f) for f in facts.comparisons(text)]
    atoms += [_atom("opposable", f) for f in facts.opposable_words(text)]
    atoms += [_atom("quote", f) for f in facts.quotes(text)]
    if open_quote:
        atoms += [_atom("quote", f) for f in filter(None, [facts.unclosed_quotation(text)])]
    atoms += [_atom("attribution", f) for f in facts.attributions(text)]
    atoms += [_atom("credit", f) for f in facts.credits(text)]
    atoms += [_atom("vague", f) for f in facts.vague_phrases(text)]
    verbs = [a for a in atoms if a.kind == "attribution"]
    if entities is None:
        entities = CapitalisedTagger().tag([text])[0]
    elif verbs:
        # A tagger misses some speakers ("Pep Guardiola says"); a capitalised run right next to a
        # reporting verb is taken as the speaker's name.
        runs = CapitalisedTagger().tag([text])[0]
        entities = [*entities, *(r for r in runs if _next_to(r, verbs, text) and not any(e.start < r.end and r.start < e.end for e in entities))]
    atoms += [Atom("name", e.start, e.end, e.text, facts.name_key(e.text), label=e.label) for e in entities if facts.name_key(e.text)]
    return sorted(atoms, key=lambda a: (a.start, a.end))


def _next_to(run: Entity, verbs: Sequence[Atom], text: str) -> bool:
    """Only spaces or a comma between the run and a reporting verb."""
    return any(
        (0 <= v.start - run.end <= 2 and text[run.end : v.start].strip(" ,") == "")
        or (0 <= run.start - v.end <= 2 and text[v.end : run.start].strip(" ,") == "")
        for v in verbs
    )
