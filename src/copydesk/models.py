"""Frozen records passed between stages.

Document -> SegmentedDocument (sentences, boilerplate) -> Alignment ->
Verdict/Finding -> CompareResult. Every `start`/`end` is a character offset
into `Document.text`, the text exactly as it was read (decoded, before any
normalisation), so `document.text[start:end]` is always the span shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

VerdictLabel = Literal["supported", "distorted", "unsupported"]
AdditionKind = Literal["factual", "filler"]


@dataclass(frozen=True)
class Document:
    """One article as read. `text` is the original text; `clean` is the
    normalised text that models see, with `clean_to_text` mapping each clean
    character (and one past the end) back to an offset in `text`."""

    id: str
    text: str
    clean: str
    clean_starts: tuple[int, ...] = field(repr=False)
    clean_ends: tuple[int, ...] = field(repr=False)
    title: str | None = None
    author: str | None = None
    published: str | None = None
    site: str | None = None
    url: str | None = None
    path: str | None = None
    format: str = "text"
    warnings: tuple[str, ...] = ()

    def to_text_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `clean` onto `text`."""
        if end <= start:
            pos = self.clean_starts[start] if start < len(self.clean_starts) else len(self.text)
            return pos, pos
        return self.clean_starts[start], self.clean_ends[end - 1]


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str  # document.text[start:end]
    clean: str  # normalised form that models see
    clean_start: int = 0  # where `clean` starts in document.clean


@dataclass(frozen=True)
class Boilerplate:
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class SegmentedDocument:
    document: Document
    sentences: tuple[Sentence, ...]
    boilerplate: tuple[Boilerplate, ...]


@dataclass(frozen=True)
class Alignment:
    """Derived sentence(s) retelling source sentence(s): 1-1, a merge
    (one derived, several source) or a split (several derived, one source)."""

    derived: tuple[int, ...]
    source: tuple[int, ...]
    score: float
    similarity: float
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    kind: str
    derived_span: tuple[int, int]
    source_span: tuple[int, int] | None
    explanation: str
    severity: str = "medium"


@dataclass(frozen=True)
class Verdict:
    derived: int
    verdict: VerdictLabel
    findings: tuple[Finding, ...] = ()
    best_score: float = 0.0
    addition: AdditionKind | None = None
    # For aligned sentences: the verifier's probability that the source does not support it.
    verifier_score: float | None = None


@dataclass(frozen=True)
class Omission:
    source: int
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    same_story: bool
    derived_backed_share: float
    source_reused_share: float
    # Retold from the source (a verbatim copy, light edit or paraphrase) rather than written
    # independently: the relation rules on this reading (trace.relate.read_relation). None: not judged.
    derived: bool | None = None


@dataclass(frozen=True)
class CompareResult:
    source: SegmentedDocument
    derived: SegmentedDocument
    alignments: tuple[Alignment, ...]
    verdicts: tuple[Verdict, ...]
    omissions: tuple[Omission, ...]
    summary: Summary
    settings: dict


# Library and tracing records ------------------------------------------------

RelationKind = Literal["verbatim_copy", "light_edit", "paraphrase", "same_event", "unrelated"]
RELATION_KINDS: tuple[str, ...] = ("verbatim_copy", "light_edit", "paraphrase", "same_event", "unrelated")
# Relations in which one article was made from the other.
DERIVATIONS = frozenset({"verbatim_copy", "light_edit", "paraphrase"})


@dataclass(frozen=True, eq=False)
class ArticleSignals:
    """What the library index keeps per article (see trace/signals.py)."""

    minhash: np.ndarray  # uint32 signature of word shingles
    buckets: tuple[int, ...]  # one LSH bucket per band
    keys: frozenset[str]  # fingerprint: facts (n:4120, y:2021, name:..., q:...) and rare words (w:...)


@dataclass(frozen=True)
class LibraryArticle:
    """An article as the library stores it: the extracted text and its metadata."""

    id: str
    content_hash: str
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    site: str | None = None
    url: str | None = None
    language: str = "en"
    format: str = "text"
    path: str | None = None
    sentence_spans: tuple[tuple[int, int], ...] = ()
    boilerplate_spans: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Relation:
    """What one article is to another, with the evidence.

    `source`/`derived` are article ids; when the direction is unknown they
    keep the order the pair was asked in and `direction_confidence` is 0.
    """

    source: str
    derived: str
    relation: RelationKind
    direction_known: bool
    direction_confidence: float
    direction_evidence: tuple[str, ...]
    credited: bool | None  # None: the source has no name, site or link to credit
    shared_facts: tuple[str, ...]
    verdict_counts: dict  # of the derived article's sentences against the source
    distortions: int  # findings in the derived article
    jaccard: float  # word-shingle overlap
    derived_backed_share: float
    source_reused_share: float
    order: float  # rank correlation of aligned sentence positions
    finding_kinds: dict = field(default_factory=dict)  # finding kind -> how many in the derived article
    lead_similarity: float | None = None  # a brief's cosine with the other's lead; None: neither is a brief


@dataclass(frozen=True)
class Cluster:
    """One story: its articles, its earliest source and who retold whom."""

    id: str
    root: str
    members: tuple[str, ...]
    edges: tuple[Relation, ...]  # a provenance tree, plus same_event links


@dataclass(frozen=True)
class OutletStats:
    site: str
    articles: int
    retellings: int  # articles derived from another article in the library
    uncredited: int
    distortions: int
