"""A brief (one or two sentences) is related to an article through the article's lead."""

from dataclasses import replace

import pytest

from copydesk.ingest import document_from_text
from copydesk.library import Library
from copydesk.align.embedder import HashingEmbedder
from copydesk.segment import segment
from copydesk.store.memory import MemoryStore
from copydesk.trace.relate import lead_similarity
from tests.conftest import TableEmbedder

ARTICLE = (
    "Floods closed the port of Velmora on Tuesday. "
    "The harbour authority said ferries would not sail until Friday. "
    "About 4,120 households lost power overnight. "
    "Officials blamed a week of record rain. "
    "Repairs to the sea wall began in 2021."
)
LEAD = (
    "Floods closed the port of Velmora on Tuesday. "
    "The harbour authority said ferries would not sail until Friday. "
    "About 4,120 households lost power overnight."
)
BRIEF = "Storm waters shut a coastal town's docks, stranding boats for days."


def seg(text, settings, id):
    return segment(document_from_text(text, where=id, settings=settings, id=id))


def test_a_brief_is_compared_whole_with_the_other_articles_lead(settings):
    settings = replace(settings, brief_lead_sentences=3)
    embedder = TableEmbedder({BRIEF: [1, 0, 0, 0], LEAD: [0.8, 0.6, 0, 0]})
    brief, article = seg(BRIEF, settings, "brief"), seg(ARTICLE, settings, "article")
    assert lead_similarity(article, brief, settings, embedder) == pytest.approx(0.8, abs=1e-4)
    assert embedder.calls == [[BRIEF, LEAD]]  # the brief whole, then the first brief_lead_sentences sentences
    assert lead_similarity(brief, article, settings, embedder) == pytest.approx(0.8, abs=1e-4)


def test_articles_longer_than_a_brief_have_no_lead_similarity(settings):
    embedder = TableEmbedder({})
    article = seg(ARTICLE, settings, "article")
    three = seg(LEAD, settings, "three")
    assert lead_similarity(article, three, settings, embedder) is None
    assert lead_similarity(article, seg(ARTICLE, settings, "again"), settings, embedder) is None
    assert embedder.calls == []


@pytest.mark.parametrize("cut, expected", [(-1.0, "same_event"), (1.01, "unrelated")])
def test_the_lead_threshold_decides_a_brief_that_aligns_with_nothing(settings, cut, expected):
    # No shared facts, few shared words: only the lead similarity can tie the brief to the article.
    settings = replace(settings, brief_min_lead_similarity=cut)
    library = Library(MemoryStore(), settings, embedder=HashingEmbedder())
    library.add([document_from_text(ARTICLE, where="article", settings=settings, id="article")])
    brief = document_from_text(BRIEF, where="brief", settings=settings, id="brief")
    relation = library.relate(brief, "article")
    assert relation.lead_similarity is not None and relation.relation == expected


def test_two_briefs_that_say_the_same_are_one_story_not_a_copy(settings):
    # The same words reordered: every sentence backed, little 5-gram overlap. As briefs that is no sign of
    # copying; the same two sentences heading a longer article are a paraphrase of it.
    one = "Floods closed the port of Velmora on Tuesday, officials said. About 4,120 households lost power."
    other = "On Tuesday the port of Velmora was closed by floods. Power was lost by about 4,120 households."
    tail = " Officials blamed a week of record rain. Repairs to the sea wall began in 2021. Ferries resume on Friday."
    library = Library(MemoryStore(), settings, embedder=HashingEmbedder())
    docs = {id: document_from_text(text, where=id, settings=settings, id=id)
            for id, text in (("one", one), ("other", other), ("longer", one + tail))}
    briefs = library.relate(docs["one"], docs["other"])
    assert briefs.derived_backed_share == 1.0 and briefs.jaccard < settings.light_edit_min_jaccard
    assert briefs.relation == "same_event"
    assert library.relate(docs["longer"], docs["other"]).relation == "paraphrase"


STORY = (
    "Floods closed the port of Velmora on Tuesday, officials said. About 4,120 households lost power. "
    "Officials blamed a week of record rain. Repairs to the sea wall began in 2021. Ferries resume on Friday."
)
RETOLD = (
    "On Tuesday the port of Velmora was closed by floods. Power was lost by about 4,120 households. "
    "A week of record rain was blamed by officials. The sea wall has been under repair since 2021. "
    "Ferries will sail again on Friday."
)


@pytest.mark.parametrize("credit, where, expected", [
    ("the Coast Herald reported", "lead", "same_event"),  # told from a third outlet's story
    ("the Coast Herald reported", "end", "paraphrase"),  # a credit deep in the story credits a detail
    ("the Velmora Post reported", "lead", "paraphrase"),  # it credits the other article's outlet
])
def test_a_paraphrase_of_a_text_that_retells_a_third_outlet_is_the_same_event(settings, credit, where, expected):
    sentences = STORY.split(". ")
    at = 0 if where == "lead" else len(sentences) - 1
    sentences[at] = sentences[at].rstrip(".") + f", {credit}"
    credited_story = ". ".join(sentences).rstrip(".") + "."
    library = Library(MemoryStore(), settings, embedder=HashingEmbedder())
    teller = document_from_text(credited_story, where="teller", settings=settings, id="teller", site="Newsdesk")
    retold = document_from_text(RETOLD, where="retold", settings=settings, id="retold", site="Velmora Post")
    relation = library.relate(retold, teller)
    assert relation.relation == expected
    assert any("credits another outlet" in e for e in relation.direction_evidence) == (expected == "same_event")
    # The same two texts without the credit line are a paraphrase: the credit alone made the difference.
    plain = document_from_text(STORY, where="plain", settings=settings, id="plain", site="Newsdesk")
    assert library.relate(retold, plain).relation == "paraphrase"
