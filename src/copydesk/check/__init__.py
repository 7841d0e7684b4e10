"""Verdicts per derived sentence, omitted source sentences, and the summary."""

from __future__ import annotations

import re
from collections.abc import Sequence

from copydesk.align import anchors as anchor_lib
from copydesk.models import Alignment, Omission, SegmentedDocument, Sentence, Summary, Verdict

_QUOTE = re.compile(r"“[^”]{3,}”|\"[^\"]{3,}\"")


def sentence_facts(sentence: Sentence) -> tuple[str, ...]:
    """Numbers, quotes and names a sentence carries, most checkable first."""
    text = sentence.clean
    quotes = tuple(m.group() for m in _QUOTE.finditer(text))
    names = tuple(dict.fromkeys(n for n in anchor_lib.surface_names(text) if not any(n in q for q in quotes)))
    return tuple(dict.fromkeys(anchor_lib.surface_numbers(text))) + quotes + names


def verdicts(derived: SegmentedDocument, alignments: Sequence[Alignment]) -> tuple[Verdict, ...]:
    backed = {i: a for a in alignments for i in a.derived}
    out = []
    for sentence in derived.sentences:
        alignment = backed.get(sentence.index)
        if alignment is not None:
            out.append(Verdict(sentence.index, "supported", best_score=alignment.score))
        else:
            facts = anchor_lib.extract(sentence.clean)
            factual = bool(facts.numbers or _QUOTE.search(sentence.clean) or len(facts.names) >= 1)
            out.append(Verdict(sentence.index, "unsupported", addition="factual" if factual else "filler"))
    return tuple(out)


def omissions(source: SegmentedDocument, alignments: Sequence[Alignment]) -> tuple[Omission, ...]:
    """Source sentences no derived sentence retells; those with numbers and quotes first."""
    used = {j for a in alignments for j in a.source}
    omitted = [Omission(s.index, sentence_facts(s)) for s in source.sentences if s.index not in used]

    def rank(o: Omission) -> tuple[int, int]:
        sentence = source.sentences[o.source]
        has_number = bool(anchor_lib.extract(sentence.clean).numbers)
        has_quote = bool(_QUOTE.search(sentence.clean))
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
