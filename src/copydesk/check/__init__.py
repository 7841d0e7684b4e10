"""Verdicts per derived sentence, omitted source sentences, and the summary."""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.align import anchors as anchor_lib
from copydesk.check.atoms import QUOTE
from copydesk.check.findings import compare_atoms, sentence_atoms, unsourced_quotes
from copydesk.models import Alignment, Omission, SegmentedDocument, Sentence, Summary, Verdict



def sentence_facts(sentence: Sentence) -> tuple[str, ...]:
    """Numbers, quotes and names a sentence carries, most checkable first."""
    text = sentence.clean
    quotes = tuple(m.group() for m in QUOTE.finditer(text))
    names = tuple(dict.fromkeys(n for n in anchor_lib.surface_names(text) if not any(n in q for q in quotes)))
    return tuple(dict.fromkeys(anchor_lib.surface_numbers(text))) + quotes + names


def verdicts(
    source: SegmentedDocument, derived: SegmentedDocument, alignments: Sequence[Alignment]
) -> tuple[Verdict, ...]:
    """supported / distorted (aligned, with findings) / unsupported (no source backs it)."""
    backed = {i: a for a in alignments for i in a.derived}
    src_doc = source.document
    source_atoms = {s.index: sentence_atoms(s, src_doc) for s in source.sentences}
    all_source_atoms = [a for atoms in source_atoms.values() for a in atoms]
    out = []
    for sentence in derived.sentences:
        alignment = backed.get(sentence.index)
        if alignment is None:
            facts = anchor_lib.extract(sentence.clean)
            factual = bool(facts.numbers or QUOTE.search(sentence.clean) or facts.names)
            out.append(
                Verdict(
                    sentence.index,
                    "unsupported",
                    tuple(unsourced_quotes(sentence, derived.document, all_source_atoms)),
                    addition="factual" if factual else "filler",
                )
            )
            continue
        aligned = [source.sentences[j] for j in alignment.source]
        nearby = {j + step for j in alignment.source for step in (-1, 1)} - set(alignment.source)
        neighbours = [source.sentences[j] for j in sorted(nearby) if 0 <= j < len(source.sentences)]
        group = [derived.sentences[i] for i in alignment.derived]
        findings = compare_atoms(sentence, derived.document, aligned, neighbours, source_atoms, group)
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
