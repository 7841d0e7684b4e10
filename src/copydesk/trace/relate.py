"""What one article is to another: relation, direction and credit, with evidence.

Pure functions over two compares (each article read as the other's
retelling), a brief's similarity to the other's lead, and the articles'
metadata; the library caches the result.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlparse

from copydesk import facts
from copydesk.align.embedder import Embedder
from copydesk.models import CompareResult, Document, LibraryArticle, Relation, SegmentedDocument
from copydesk.settings import Settings
from copydesk.timestamps import parse_time
from copydesk.trace.signals import (
    body_text, containment, document_facts, rank_correlation, shingle_jaccard, word_keys,
)

# Part of the key that relations are cached under (library, Spark checkpoints): bump it when a change
# here or in the claim check (a relation carries its distortion counts) gives other relations for the
# same settings, so that cached ones are computed again.
# 2: two briefs are never a paraphrase of each other. 3: a paraphrase keeps some wording.
# 4: an outlet named in words ("the Daily Mail reported") credits its address (dailymail.co.uk).
# 5: a text that keeps much wording is a paraphrase in any order.
# 6: a paraphrase of or by a text whose lead credits a third outlet is the same event (a shared source).
# 7: names, quotes and negations read anew by the claim check (titles, loose quotes, curly apostrophes).
# 8: a share bar glued to a story line is chrome; a name one typo from a source name is that name; a
# figure's bound flipped, "cannot", "outspend" and undated relative dates ("last month", "this spring") read anew.
# 9: a merge's qualifiers from its main sentence only; a "READ: ..." line is chrome; another first name, a
# person from elsewhere in the source put in another's place, and a non-person's last word alone are changes.
# 10: a country and its people are one name ("Spain", "Spanish").
# 11: a sentence copied out of a longer source unit is aligned with it (and supported where it stands alone);
# quotes with words left out, "could see", "such as", "the first time" for "never".
# 12: words put for their opposites, another's role, weekdays, ages beside a name, vague spans.
# 13: "only" a figure against an upper bound; a negation after a copied stretch.
RULES_VERSION = 13


def _outlet_names(article: LibraryArticle | Document) -> list[str]:
    """Ways a retelling could name this article's outlet or author."""
    names = [n for n in (article.site, article.author) if n and len(n.strip()) > 2]
    if host := _host(article):
        names.append(host.removeprefix("www."))
    return names


def _host(article: LibraryArticle | Document) -> str:
    return (urlparse(article.url).hostname or "") if article.url else ""


def credited(source: LibraryArticle | Document, derived: LibraryArticle | Document) -> bool | None:
    """Does `derived` name or link `source` (outlet, author, domain, URL or headline)?
    None when the source carries nothing a retelling could credit."""
    names = _outlet_names(source)
    if source.title and len(source.title) > 20:
        names.append(source.title)
    if source.url:
        names.append(source.url)
    if not names:
        return None
    text = derived.text.lower()
    if any(re.search(r"(?<!\w)" + re.escape(n.lower()) + r"(?!\w)", text) for n in names):
        return True
    return _names_the_domain(source, derived.text)


def _names_the_domain(source: LibraryArticle | Document, text: str) -> bool:
    """Does `text` name the outlet whose address the source has, written as words ("the Daily Mail
    reported" for dailymail.co.uk, "CNN" for edition.cnn.com)? Its capitalised runs, spaces and marks
    removed, are compared with the labels of the address that could name an outlet."""
    labels = {label for label in _host(source).split(".")[:-1] if len(label) >= 3 and label not in _GENERIC_LABELS}
    if not labels:
        return False
    for run in facts.capitalised_runs(text):
        words = run.text.split()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 4) + 1):
                if re.sub(r"[^a-z0-9]", "", "".join(words[i:j]).lower()) in labels:
                    return True
    return False


# Parts of an address that name no outlet (subdomains, second-level suffixes).
_GENERIC_LABELS = frozenset({"www", "edition", "amp", "mobile", "news", "com", "org", "net", "gov", "edu"})


def _order(result: CompareResult) -> float:
    pairs = sorted((min(a.derived), min(a.source)) for a in result.alignments)
    return rank_correlation(pairs)


def _filler_share(result: CompareResult) -> float:
    n = len(result.verdicts)
    return sum(1 for v in result.verdicts if v.addition == "filler") / n if n else 0.0


def _has_disclaimer(result: CompareResult) -> bool:
    return any(b.reason == "disclaimer" for b in result.derived.boilerplate)


def direction(
    a: LibraryArticle,
    b: LibraryArticle,
    a_as_source: CompareResult,
    b_as_source: CompareResult,
    facts_a: frozenset[str],
    facts_b: frozenset[str],
    settings: Settings,
) -> tuple[float, tuple[str, ...], bool]:
    """A score > 0 when `a` is the source of `b`, with its evidence, and whether it rests on times.

    Publication times decide when both are known and differ. Otherwise text
    evidence: a retelling is mostly backed by its source while the source has
    more besides; the source holds specifics the retelling lacks; retellings add
    filler and disclaimers; a retelling may credit its source.
    """
    ta, tb = parse_time(a.published), parse_time(b.published)
    if ta and tb and ta != tb:
        earlier, later = (a, b) if ta < tb else (b, a)
        return (1.0 if ta < tb else -1.0), (f"{earlier.id} was published first ({earlier.published} < {later.published})",), True
    evidence = []
    score = 0.0
    coverage = a_as_source.summary.derived_backed_share - b_as_source.summary.derived_backed_share
    if abs(coverage) >= settings.direction_min_coverage_gap:
        score += coverage
        more, less = (b, a) if coverage > 0 else (a, b)
        evidence.append(f"{more.id} is more fully backed by {less.id} than the reverse ({abs(coverage):.0%} more)")
    union = facts_a | facts_b
    if union:
        specifics = (len(facts_a - facts_b) - len(facts_b - facts_a)) / len(union)
        if abs(specifics) >= settings.direction_min_specifics_gap:
            score += specifics
            (richer, rich), (other, poor) = ((a, facts_a), (b, facts_b)) if specifics > 0 else ((b, facts_b), (a, facts_a))
            evidence.append(f"{richer.id} has {len(rich - poor)} facts {other.id} lacks; {other.id} has {len(poor - rich)} of its own")
    filler = _filler_share(a_as_source) - _filler_share(b_as_source)
    if abs(filler) >= settings.direction_min_filler_gap:
        score += settings.direction_filler_weight * filler
        evidence.append(f"{(b if filler > 0 else a).id} adds filler the other lacks")
    disclaimer = _has_disclaimer(a_as_source) - _has_disclaimer(b_as_source)
    if disclaimer:
        score += settings.direction_disclaimer_weight * disclaimer
        evidence.append(f"{(b if disclaimer > 0 else a).id} carries a disclaimer")
    credit = (credited(a, b) is True) - (credited(b, a) is True)
    if credit:
        score += settings.direction_credit_weight * credit
        evidence.append(f"{(b if credit > 0 else a).id} credits {(a if credit > 0 else b).id}")
    return score, tuple(evidence), False


def is_brief(doc: SegmentedDocument, settings: Settings) -> bool:
    """One to `brief_max_sentences` story sentences: too few to align sentence by sentence."""
    return 0 < len(doc.sentences) <= settings.brief_max_sentences


def lead_similarity(a: SegmentedDocument, b: SegmentedDocument, settings: Settings, embedder: Embedder) -> float | None:
    """Cosine of a brief's whole text with the other article's opening (`brief_lead_sentences`); None
    when neither is a brief.

    One or two sentences give alignment too little to go on (a one-line summary is
    "backed" by no single sentence of a long article), but a brief retells its
    source's lead, as news is written top-down.
    """
    brief, other = sorted((a, b), key=lambda d: len(d.sentences))
    if not is_brief(brief, settings):
        return None
    lead = " ".join(s.clean for s in other.sentences[: settings.brief_lead_sentences])
    vectors = embedder.embed([body_text(brief), lead])
    return round(float(vectors[0] @ vectors[1]), 4)


def classify(
    jaccard: float,
    backed_share: float,
    order: float,
    shared_facts: int,
    word_share: float,
    settings: Settings,
    lead_similarity: float | None = None,
    both_brief: bool = False,
    wording: float | None = None,
) -> str:
    """`both_brief`: neither text has more than `brief_max_sentences` story sentences. Two such
    texts about one story read alike whether or not one was made from the other (two one-line
    summaries of one article, two agencies' alerts), so only shared wording calls them a copy.
    `wording`: the share of the derived text's word 3-grams in the source; None for a brief, too
    short to keep wording by chance or by copying."""
    if jaccard >= settings.verbatim_min_jaccard:
        return "verbatim_copy"
    if jaccard >= settings.light_edit_min_jaccard:
        return "light_edit"
    if (
        not both_brief
        and backed_share >= settings.paraphrase_min_share
        and (order >= settings.paraphrase_min_order
             or (wording is not None and wording >= settings.paraphrase_reordered_min_wording))
        and word_share >= settings.paraphrase_min_word_share
        and (wording is None or wording >= settings.paraphrase_min_wording)
    ):
        return "paraphrase"
    if (
        backed_share >= settings.same_story_min_share
        or shared_facts >= settings.same_event_min_facts
        or word_share >= settings.same_event_min_word_share
        or (lead_similarity is not None and lead_similarity >= settings.brief_min_lead_similarity)
    ):
        return "same_event"
    return "unrelated"


def third_outlet_credit(a: SegmentedDocument, b: SegmentedDocument, settings: Settings) -> str | None:
    """Why `a` and `b` may both retell a third text: one's lead credits an outlet ("..., the Daily Mail
    reported") and names nothing of the other (outlet, author, address, headline). None otherwise."""
    for teller, other in ((a, b), (b, a)):
        lead = " ".join(s.clean for s in teller.sentences[: settings.lead_sentences])
        found = facts.outlet_credits(lead)
        if found and credited(other.document, teller.document) is False:
            return f"{teller.document.id} credits another outlet in its lead ({found[0].text!r}): both may retell its story"
    return None


@dataclass(frozen=True)
class Reading:
    """What one text is to another read as its retelling (one direction: a compare).
    `shared_source`: why a reading that would be a paraphrase is the same event instead."""

    relation: str
    jaccard: float
    order: float
    shared_facts: tuple[str, ...]
    shared_source: str | None = None


def read_relation(
    result: CompareResult,
    settings: Settings,
    lead_similarity: float | None = None,
    shared_facts: set[str] | None = None,
) -> Reading:
    """The relation `result.derived` has to `result.source` on this reading alone: what `relate`
    decides once the direction is chosen, and what a compare reports as derived or not.
    `shared_facts`: the two texts' fact keys in common, when the caller has them already."""
    source_text, derived_text = body_text(result.source), body_text(result.derived)
    jaccard = shingle_jaccard(source_text, derived_text, settings.shingle_words)
    if shared_facts is None:
        shared_facts = document_facts(result.source) & document_facts(result.derived)
    order = _order(result)
    derived_words = word_keys(derived_text)
    word_share = len(derived_words & word_keys(source_text)) / max(len(derived_words), 1)
    both_brief = is_brief(result.source, settings) and is_brief(result.derived, settings)
    wording = None if is_brief(result.derived, settings) else containment(derived_text, source_text, settings.wording_words)
    relation = classify(
        jaccard, result.summary.derived_backed_share, order, len(shared_facts), word_share, settings, lead_similarity,
        both_brief, wording,
    )
    # A retelling of (or by) a text that says it retells a third outlet's story may as well have been told from
    # that story: without wording that shows copying, the two share a source rather than copy each other.
    shared_source = third_outlet_credit(result.source, result.derived, settings) if relation == "paraphrase" else None
    if shared_source:
        relation = "same_event"
    return Reading(relation, jaccard, order, tuple(sorted(shared_facts)), shared_source)


def relate(
    a: LibraryArticle,
    b: LibraryArticle,
    a_as_source: CompareResult,
    b_as_source: CompareResult,
    settings: Settings,
    lead_similarity: float | None = None,
) -> Relation:
    """`a_as_source` compares b as a retelling of a; `b_as_source` the reverse;
    `lead_similarity` is that of the pair when one is a brief (see lead_similarity)."""
    facts_a, facts_b = document_facts(a_as_source.source), document_facts(a_as_source.derived)
    score, evidence, by_time = direction(a, b, a_as_source, b_as_source, facts_a, facts_b, settings)
    known = by_time or abs(score) >= settings.direction_min_score
    if known and score < 0:
        a, b, a_as_source, b_as_source = b, a, b_as_source, a_as_source
    # Unknown direction: judge the pair by the better-backed reading.
    if not known and b_as_source.summary.derived_backed_share > a_as_source.summary.derived_backed_share:
        a, b, a_as_source, b_as_source = b, a, b_as_source, a_as_source
    result = a_as_source
    reading = read_relation(result, settings, lead_similarity, facts_a & facts_b)
    relation, jaccard, order, shared = reading.relation, reading.jaccard, reading.order, reading.shared_facts
    if reading.shared_source:
        evidence += (reading.shared_source,)
    confidence = (settings.direction_time_confidence if by_time
                  else round(math.tanh(settings.direction_confidence_scale * abs(score)), 3) if known else 0.0)
    counts = Counter(v.verdict for v in result.verdicts)
    kinds = Counter(f.kind for v in result.verdicts if v.verdict == "distorted" for f in v.findings)
    return Relation(
        source=a.id,
        derived=b.id,
        relation=relation,  # type: ignore[arg-type]
        direction_known=known and relation != "unrelated",
        direction_confidence=confidence if relation != "unrelated" else 0.0,
        direction_evidence=evidence,
        credited=credited(a, b),
        shared_facts=shared[:25],
        verdict_counts={k: counts.get(k, 0) for k in ("supported", "distorted", "unsupported")},
        distortions=sum(len(v.findings) for v in result.verdicts if v.verdict == "distorted"),
        jaccard=round(jaccard, 4),
        derived_backed_share=result.summary.derived_backed_share,
        source_reused_share=result.summary.source_reused_share,
        order=round(order, 4),
        finding_kinds=dict(sorted(kinds.items())),
        lead_similarity=lead_similarity,
    )
