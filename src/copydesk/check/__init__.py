"""Verdicts per derived sentence, omitted source sentences, and the summary."""

from __future__ import annotations

from collections.abc import Sequence

from copydesk import facts
from copydesk.check.atoms import Atom
from copydesk.check.entities import CapitalisedTagger, EntityTagger
from copydesk.check.findings import Located, SourceView, compare_atoms, invented_figures, sentence_atoms, unsourced_quotes
from copydesk.check.verifier import Claim, FactCounts, RulesOnlyVerifier, Verifier, claim_features
from copydesk.facts import content_stems
from copydesk.models import Alignment, Finding, Omission, SegmentedDocument, Sentence, Summary, Verdict


def sentence_facts(sentence: Sentence) -> tuple[str, ...]:
    """Numbers, quotes and names a sentence carries, most checkable first."""
    text = sentence.clean
    quotes = tuple(q.text for q in facts.quotes(text, single_marks=False))
    names = tuple(dict.fromkeys(n for n in facts.names(text) if not any(n in q for q in quotes)))
    figures = sorted([*(q for q in facts.quantities(text) if q.written == "digits"), *facts.years_named(text)], key=lambda f: f.start)
    return tuple(dict.fromkeys(f.text.strip() for f in figures)) + quotes + names


COMMENTARY_SOURCE_SHARE = 0.5  # commentary with fewer of its words in the aligned source sentences is filler (set by hand)


def _is_fact(atom: Atom) -> bool:
    """A figure in digits, a year, a quote or a name: what makes an addition a factual claim."""
    if atom.kind == "number":
        return any(c.isdigit() for c in atom.text)
    return atom.kind in ("year", "quote", "name")


def verdicts(
    source: SegmentedDocument,
    derived: SegmentedDocument,
    alignments: Sequence[Alignment],
    tagger: EntityTagger | None = None,
    verifier: Verifier | None = None,
) -> tuple[Verdict, ...]:
    """supported / distorted (aligned, with findings) / unsupported (no source backs it).

    The rules find what changed and name its kind; the verifier (the rules alone when None)
    decides whether an aligned sentence is supported, from the alignment, the facts and the
    rules' findings. A sentence it calls unsupported that no rule explains gets a
    `meaning_changed` finding pointing at its source sentences.

    Names come from `tagger` (capitalised words when None) for the derived
    sentences and the source sentences they align with; other source
    sentences are only searched as text, so they are not tagged."""
    tagger = tagger or CapitalisedTagger()
    verifier = verifier or RulesOnlyVerifier()
    backed = {i: a for a in alignments for i in a.derived}
    # A sentence copied word for word from the one source sentence it aligns with changes nothing: it is
    # supported, with no names to tag and no rules to run (wire copies are mostly such sentences).
    copied = {i for i, a in backed.items()
              if len(a.source) == len(a.derived) == 1 and derived.sentences[i].clean == source.sentences[a.source[0]].clean}
    # A sentence copied word for word out of a longer source unit (crawls glue captions to the sentence
    # after them) is supported too when the stretch stands as a sentence there (`_stands_alone`).
    stretches = {i: (a.source[0], stretch) for i, a in backed.items() if i not in copied and len(a.source) == len(a.derived) == 1
                 and (stretch := facts.copied_stretch(derived.sentences[i].clean, source.sentences[a.source[0]].clean))}
    checked = [s for s in derived.sentences if s.index not in copied]
    aligned_source = sorted({j for a in alignments if a.derived[0] not in copied for j in a.source})
    texts = [s.clean for s in checked] + [source.sentences[j].clean for j in aligned_source]
    # In cased text a sentence that cannot name anyone skips the tagger; lower-cased text names people in lower case.
    derived_cased, source_cased = _cased(derived), _cased(source)
    named = [s.clean for s in checked if not derived_cased or facts.may_name(s.clean)]
    named += [source.sentences[j].clean for j in aligned_source if not source_cased or facts.may_name(source.sentences[j].clean)]
    tagged = {t: [] for t in texts} | dict(zip(named, tagger.tag(named)))
    src_doc, der_doc = source.document, derived.document
    view = SourceView(
        {s.index: sentence_atoms(s, src_doc, tagged.get(s.clean), open_quote=True) for s in source.sentences},
        "\n".join(s.clean for s in source.sentences).lower(),
    )
    derived_atoms = {s.index: sentence_atoms(s, der_doc, tagged[s.clean]) for s in checked}
    source_stems = {w for s in source.sentences for w in content_stems(s.clean)}
    out: list[Verdict | None] = []
    claims: list[tuple[int, Claim, list[Finding], Alignment]] = []
    for sentence in derived.sentences:
        alignment = backed.get(sentence.index)
        if sentence.index in copied or (
            sentence.index in stretches and _stands_alone(*stretches[sentence.index], source, view)
        ):
            out.append(Verdict(sentence.index, "supported", (), alignment.score))
            continue
        d_atoms = derived_atoms[sentence.index]
        aligned = [source.sentences[j] for j in alignment.source] if alignment else []
        aligned_atoms = [a for s in aligned for a in view.atoms[s.index]]
        # An aligned sentence whose figure the source has nowhere is an added claim, not a retelling;
        # commentary the source does not make is filler, however close its topic.
        if (alignment is None or invented_figures(d_atoms, aligned_atoms, view.figures)
                or _added_commentary(sentence, d_atoms, aligned)):
            factual = any(_is_fact(a.atom) for a in d_atoms)
            out.append(
                Verdict(
                    sentence.index,
                    "unsupported",
                    tuple(unsourced_quotes(sentence, d_atoms, view)),
                    addition="factual" if factual else "filler",
                )
            )
            continue
        nearby = {j + step for j in alignment.source for step in (-1, 1)} - set(alignment.source)
        neighbours = [source.sentences[j] for j in sorted(nearby) if 0 <= j < len(source.sentences)]
        group = [a for i in alignment.derived if i != sentence.index for a in derived_atoms[i]]
        findings = compare_atoms(sentence, d_atoms, aligned, neighbours, view, group)
        window = [*aligned, *neighbours]
        counts = _fact_counts(d_atoms, window, view)
        features = claim_features(sentence, alignment, window, source_stems, counts, findings)
        claims.append((len(out), Claim(sentence, tuple(window), features), findings, alignment))
        out.append(None)
    scores = verifier.unsupported([c for _, c, _, _ in claims])
    for (slot, claim, findings, alignment), score in zip(claims, scores):
        if score < verifier.threshold:
            out[slot] = Verdict(claim.derived.index, "supported", (), alignment.score, verifier_score=round(score, 4))
            continue
        if not findings:
            findings = [_meaning_changed(claim, alignment, source, derived, score, verifier)]
        out[slot] = Verdict(claim.derived.index, "distorted", tuple(findings), alignment.score, verifier_score=round(score, 4))
    return tuple(v for v in out if v is not None)  # every slot is filled by now


def _stands_alone(unit: int, stretch: tuple[int, int], source: SegmentedDocument, view: SourceView) -> bool:
    """Does a stretch copied out of source sentence `unit` stand there as a sentence of its own: it opens the
    unit, follows a full stop, or opens on a capital that starts no name ("... a colleague The cost of divorce
    ...", not "Police do not believe Smith killed ..."), ends the unit or comes before a full stop or a
    capital that continues no name ("... star Marcus" is cut from "Marcus Rojo"), and is not someone's
    words inside a quotation?"""
    text, (start, end) = source.sentences[unit].clean, stretch
    atoms = view.atoms[unit]
    before, after = text[:start].rstrip(" \"'“”‘’(["), text[end:].lstrip(" \"'“”‘’)]")
    names = [a.atom for a in atoms if a.atom.kind == "name"]
    opens = not before or (not any(n.start <= start < n.end for n in names) and (before[-1] in ".!?" or text[start].isupper()))
    closes = not after or after[0] in ".!?" or (after[0].isupper() and not any(n.start < end < n.end for n in names))
    quoted = any(a.atom.kind == "quote" and a.atom.start < start and end < a.atom.end for a in atoms)
    return opens and closes and not quoted


def _added_commentary(sentence: Sentence, atoms: Sequence[Located], aligned: Sequence[Sentence]) -> bool:
    """The narrator's or unnamed experts' commentary ("The case highlights the challenges ...") with no
    fact of its own, in words the aligned source sentences mostly lack (a retelling of the source's own
    commentary keeps them)."""
    if not facts.reads_as_commentary(sentence.clean) or any(_is_fact(a.atom) for a in atoms):
        return False
    words = set(content_stems(sentence.clean))
    source_words = {w for s in aligned for w in content_stems(s.clean)}
    return len(words & source_words) < COMMENTARY_SOURCE_SHARE * len(words)


def _cased(side: SegmentedDocument) -> bool:
    """Most sentences start with a capital letter (lower-cased text: some summarizers' output, some datasets' articles)."""
    firsts = [next((c for c in s.clean if c.isalpha()), "") for s in side.sentences]
    return sum(c.isupper() for c in firsts) * 2 > len(firsts)


def _fact_counts(d_atoms: Sequence[Located], window: Sequence[Sentence], view: SourceView) -> FactCounts:
    """The derived sentence's names and figures missing from the whole source, and from its window."""
    window_text = " ".join(s.clean for s in window).lower()
    window_numbers = {a.atom.value for s in window for a in view.atoms[s.index] if a.atom.kind == "number"}
    names = [a.atom.value for a in d_atoms if a.atom.kind == "name" and a.atom.value.split()]
    numbers = [a.atom.value for a in d_atoms if a.atom.kind == "number"]
    return FactCounts(
        novel_names=sum(not view.names(n) for n in names),
        novel_numbers=sum(n not in view.figures for n in numbers),
        names_outside_window=sum(n.split()[-1] not in window_text for n in names),
        numbers_outside_window=sum(n not in window_numbers for n in numbers),
    )


def _meaning_changed(
    claim: Claim, alignment: Alignment, source: SegmentedDocument, derived: SegmentedDocument, score: float, verifier: Verifier
) -> Finding:
    """The verifier's call where no rule names the kind: the word it blames and the source word closest
    to it where the verifier can say (one with a `locate`, as the token verifier), else the sentence against its source sentences."""
    locate = getattr(verifier, "locate", None)  # a verifier that can say where it sees the change
    blame = locate(claim) if locate else None
    if blame is not None:
        d_start, d_end = blame.derived
        s_start, s_end = blame.source
        base = blame.source_sentence.clean_start
        return Finding(
            "meaning_changed",
            derived.document.to_text_span(claim.derived.clean_start + d_start, claim.derived.clean_start + d_end),
            source.document.to_text_span(base + s_start, base + s_end),
            f"the source does not support “{claim.derived.clean[d_start:d_end]}” here (verifier {score:.2f}; "
            f"the closest source word is “{blame.source_sentence.clean[s_start:s_end]}”); no rule names the change",
            "medium",
        )
    aligned = [source.sentences[j] for j in alignment.source]
    return Finding(
        "meaning_changed",
        (claim.derived.start, claim.derived.end),
        (min(s.start for s in aligned), max(s.end for s in aligned)),
        f"the source sentences do not support this as written (verifier {score:.2f}); no rule names the change",
        "medium",
    )


def omissions(source: SegmentedDocument, alignments: Sequence[Alignment]) -> tuple[Omission, ...]:
    """Source sentences no derived sentence retells; those with numbers and quotes first."""
    used = {j for a in alignments for j in a.source}
    omitted = [Omission(s.index, sentence_facts(s)) for s in source.sentences if s.index not in used]

    def rank(o: Omission) -> tuple[int, int]:
        sentence = source.sentences[o.source]
        has_number = bool(facts.quantities(sentence.clean) or facts.years_named(sentence.clean))
        has_quote = bool(facts.quotes(sentence.clean, single_marks=False))
        return (0 if has_number or has_quote else 1 if o.facts else 2, o.source)

    return tuple(sorted(omitted, key=rank))


def _share(sentences: Sequence[Sentence], chosen: set[int]) -> float:
    total = sum(len(s.clean) for s in sentences)
    if not total:
        return 0.0
    return sum(len(s.clean) for s in sentences if s.index in chosen) / total


def summarize(
    source: SegmentedDocument,
    derived: SegmentedDocument,
    alignments: Sequence[Alignment],
    min_share: float,
    min_sentences: int,
) -> Summary:
    backed = {i for a in alignments for i in a.derived}
    reused = {j for a in alignments for j in a.source}
    backed_share = _share(derived.sentences, backed)
    needed = min(min_sentences, len(derived.sentences))
    return Summary(
        same_story=bool(backed) and backed_share >= min_share and len(backed) >= needed,
        derived_backed_share=round(backed_share, 4),
        source_reused_share=round(_share(source.sentences, reused), 4),
    )
