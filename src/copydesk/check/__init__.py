"""Verdicts per derived sentence, omitted source sentences, and the summary."""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.align import anchors as anchor_lib
from copydesk.check.atoms import QUOTE, Atom
from copydesk.check.entities import CapitalisedTagger, EntityTagger
from copydesk.check.findings import SourceView, compare_atoms, sentence_atoms, unsourced_quotes
from copydesk.models import Alignment, Omission, SegmentedDocument, Sentence, Summary, Verdict


def sentence_facts(sentence: Sentence) -> tuple[str, ...]:
    """Numbers, quotes and names a sentence carries, most checkable first."""
    text = sentence.clean
    quotes = tuple(m.group() for m in QUOTE.finditer(text))
    names = tuple(dict.fromkeys(n for n in anchor_lib.surface_names(text) if not any(n in q for q in quotes)))
    return tuple(dict.fromkeys(anchor_lib.surface_numbers(text))) + quotes + names


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
) -> tuple[Verdict, ...]:
    """supported / distorted (aligned, with findings) / unsupported (no source backs it).

    Names come from `tagger` (capitalised words when None) for the derived
    sentences and the source sentences they align with; other source
    sentences are only searched as text, so they are not tagged."""
    tagger = tagger or CapitalisedTagger()
    backed = {i: a for a in alignments for i in a.derived}
    aligned_source = sorted({j for a in alignments for j in a.source})
    texts = [s.clean for s in derived.sentences] + [source.sentences[j].clean for j in aligned_source]
    tagged = dict(zip(texts, tagger.tag(texts)))
    src_doc, der_doc = source.document, derived.document
    view = SourceView(
        {s.index: sentence_atoms(s, src_doc, tagged.get(s.clean)) for s in source.sentences},
        "\n".join(s.clean for s in source.sentences).lower(),
    )
    all_source_atoms = [a for atoms in view.atoms.values() for a in atoms]
    derived_atoms = {s.index: sentence_atoms(s, der_doc, tagged[s.clean]) for s in derived.sentences}
    out = []
    for sentence in derived.sentences:
        alignment = backed.get(sentence.index)
        d_atoms = derived_atoms[sentence.index]
        if alignment is None:
            factual = any(_is_fact(a.atom) for a in d_atoms)
            out.append(
                Verdict(
                    sentence.index,
                    "unsupported",
                    tuple(unsourced_quotes(sentence, d_atoms, all_source_atoms)),
                    addition="factual" if factual else "filler",
                )
            )
            continue
        aligned = [source.sentences[j] for j in alignment.source]
        nearby = {j + step for j in alignment.source for step in (-1, 1)} - set(alignment.source)
        neighbours = [source.sentences[j] for j in sorted(nearby) if 0 <= j < len(source.sentences)]
        group = [a for i in alignment.derived if i != sentence.index for a in derived_atoms[i]]
        findings = compare_atoms(sentence, d_atoms, aligned, neighbours, view, group)
        label = "distorted" if findings else "supported"
        out.append(Verdict(sentence.index, label, tuple(findings), best_score=alignment.score))
    return tuple(out)


def omissions(source: SegmentedDocument, alignments: Sequence[Alignment]) -> tuple[Omission, ...]:
    """Source sentences no derived sentence retells; those with numbers and quotes first."""
    used = {j for a in alignments for j in a.source}
    omitted = [Omission(s.index, sentence_facts(s)) for s in source.sentences if s.index not in used]

    def rank(o: Omission) -> tuple[int, int]:
        sentence = source.sentences[o.source]
        has_number = bool(anchor_lib.extract(sentence.clean).numbers)
        has_quote = bool(QUOTE.search(sentence.clean))
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
