"""The library end to end with fake embedders: add, candidates, relations, trace, stats."""

import pytest

from copydesk.errors import CopydeskError, InputError
from copydesk.ingest import document_from_text
from copydesk.library import Library
from copydesk.models import RELATION_KINDS
from copydesk.align.embedder import HashingEmbedder
from copydesk.store.memory import MemoryStore
from copydesk.store.sqlite import SQLiteStore


def make_library(settings, store=None):
    return Library(store or MemoryStore(), settings, embedder=HashingEmbedder())


@pytest.fixture
def library(settings, story_documents):
    lib = make_library(settings)
    report = lib.add(story_documents.values())
    assert len(report.added) == 6
    return lib


def ids(docs, *names):
    return [docs[n].id for n in names]


def test_readding_is_a_no_op(library, story_documents):
    report = library.add(story_documents.values())
    assert report.added == [] and sorted(report.present) == sorted(d.id for d in story_documents.values())
    assert library.store.count() == 6


def test_stored_article_keeps_metadata_and_spans(library, story_documents):
    source = story_documents["source_meridian_wire"]
    stored = library.article(source.id)
    assert stored.site == "Meridian Wire" and stored.published.startswith("2022-03-15") and stored.author == "Lena Marsh"
    seg = library.document(source.id)
    assert tuple((s.start, s.end) for s in seg.sentences) == stored.sentence_spans
    assert all(stored.text[a:b] == s.text for (a, b), s in zip(stored.sentence_spans, seg.sentences))


def test_an_id_taken_by_other_text_is_refused(library, settings):
    from copydesk.ingest import document_from_text

    clash = document_from_text("A different story about bridges in Tull, 44 metres long, opened in 2020.", id="copy", settings=settings)
    errors = []
    report = library.add([clash], on_error=errors.append)
    assert report.skipped == 1 and "already used by a different article" in str(errors[0])
    with pytest.raises(InputError):
        library.add([clash])


def test_candidates_find_the_story_and_not_the_unrelated_article(library, story_documents):
    found = [c.id for c in library.candidates(story_documents["paraphrase_newspulse"].id)]
    assert story_documents["source_meridian_wire"].id in found
    assert story_documents["independent_northgate"].id not in found
    copy = library.candidates("copy")
    assert copy[0].id == story_documents["faithful_velmora_daily"].id  # the exact text ranks first
    assert any("MinHash" in r for r in copy[0].reasons)


def test_relations(library, story_documents):
    faithful = story_documents["faithful_velmora_daily"].id
    copy = library.relate(faithful, "copy")
    assert copy.relation == "verbatim_copy"
    edit = library.relate(faithful, "edit")
    assert edit.relation == "light_edit"
    source, paraphrase = ids(story_documents, "source_meridian_wire", "paraphrase_newspulse")
    retold = library.relate(paraphrase, source)
    assert retold.relation in ("paraphrase", "same_event")
    # Publication times decide: the wire story came first.
    assert retold.direction_known and retold.source == source and retold.derived == paraphrase
    assert retold.credited is False and retold.distortions > 0
    assert "n:4120" in retold.shared_facts
    unrelated = library.relate(source, story_documents["independent_northgate"].id)
    assert unrelated.relation == "unrelated" and not unrelated.direction_known


def test_relations_are_cached_per_settings(library, story_documents):
    faithful = story_documents["faithful_velmora_daily"].id
    first = library.relate(faithful, "copy")
    calls = []
    library._embedder.embed = lambda texts: calls.append(texts)  # would fail if called again
    assert library.relate("copy", faithful) == first and calls == []


def test_relations_cached_under_older_rules_are_computed_again(library, story_documents, monkeypatch):
    faithful = story_documents["faithful_velmora_daily"].id
    library.relate(faithful, "copy")
    assert library.store.relations_of([faithful], library._settings_key())
    monkeypatch.setattr("copydesk.library.RULES_VERSION", -1)
    library._key = None  # as a new process with the changed rules would start
    assert library.store.relations_of([faithful], library._settings_key()) == []


def test_sources_list_the_source_and_rank_closest_first(library, story_documents):
    farm = story_documents["paraphrase_newspulse"].id
    article, relations = library.sources(farm)
    assert article.id == farm
    by_source = {r.source: r for r in relations}
    wire = by_source[story_documents["source_meridian_wire"].id]
    assert wire.derived == farm and wire.direction_known
    assert all(r.relation != "unrelated" for r in relations)
    kinds = [RELATION_KINDS.index(r.relation) for r in relations]
    assert kinds == sorted(kinds)
    # The farm article is derived in every listed relation: nothing was retold from it.
    assert all(r.derived == farm for r in relations)


def test_sources_of_a_file_not_in_the_library(library, tmp_path):
    from tests.conftest import DEMO_ARTICLES

    article, relations = library.sources(DEMO_ARTICLES / "paraphrase_newspulse.html")
    assert relations  # the same text is in the library: it resolves to the stored article
    new = tmp_path / "new.txt"
    new.write_text((DEMO_ARTICLES / "faithful_velmora_daily.txt").read_text().replace("Tuesday", "Monday"))
    article, relations = library.sources(new)
    assert library.store.get(article.id) is None  # looked up, not added
    assert any(r.relation in ("verbatim_copy", "light_edit") for r in relations)
    with pytest.raises(CopydeskError, match="neither an article id"):
        library.sources("no-such-id")


def test_trace_builds_one_story_rooted_at_the_earliest_source(library, story_documents):
    clusters = library.trace()
    assert len(clusters) == 1
    story = clusters[0]
    source = story_documents["source_meridian_wire"].id
    assert story.root == source
    assert story_documents["independent_northgate"].id not in story.members
    assert set(story.members) == {d.id for n, d in story_documents.items() if n != "independent_northgate"}
    # A tree: every member but the root is derived exactly once.
    assert sorted(e.derived for e in story.edges) == sorted(m for m in story.members if m != source)


def test_stats_count_retellings_per_outlet(library):
    rows = {r.site: r for r in library.stats()}
    assert rows["Meridian Wire"].retellings == 0
    assert rows["NewsPulse Today"].retellings == 1 and rows["NewsPulse Today"].uncredited == 1
    assert rows["NewsPulse Today"].distortions > 0
    assert rows["Northgate Press"].articles == 1 and rows["Northgate Press"].retellings == 0


def test_interrupted_add_keeps_committed_batches_and_resumes(settings, story_documents, tmp_path):
    docs = list(story_documents.values())

    def interrupted():
        yield from docs[:4]
        raise KeyboardInterrupt

    lib = make_library(settings, SQLiteStore(tmp_path / "lib.db"))
    with pytest.raises(KeyboardInterrupt):
        lib.add(interrupted(), batch_size=3)
    assert lib.store.count() == 3  # the first batch; the 4th article was never committed
    rows = lib.store.db.execute("SELECT count(DISTINCT article), count(*) FROM lsh").fetchone()
    assert rows == (3, 3 * settings.lsh_bands)  # no half-indexed article
    report = lib.add(docs, batch_size=3)
    assert len(report.added) == 3 and len(report.present) == 3 and lib.store.count() == 6


def test_a_padded_paraphrase_finds_its_source_in_a_two_article_library(settings):
    """The retelling's own filler words are held by no other article: they must not fill the
    query's key budget and leave no place for the names and numbers it shares with its source."""
    source = (
        "Harbourview council approved a 4,120-metre flood wall on Tuesday after the Keswick River "
        "burst its banks twice in March. Mayor Ilse Brandtner said the wall would cost 38 million euros. "
        "Engineers from Delacroix Partners will begin work at Quay Seven in June."
    )
    filler = " ".join(
        f"The {a} {b} underscores the {c} facing communities." for a, b, c in zip(
            "remarkable intricate evolving pivotal nuanced profound sweeping daunting vibrant enduring "
            "compelling notable striking layered sobering dramatic unfolding crucial broader lasting".split(),
            "tapestry landscape saga narrative juncture chapter milestone odyssey dynamic backdrop "
            "trajectory paradigm spectrum horizon frontier undertaking endeavour panorama mosaic crossroads".split(),
            "challenges complexities hurdles tensions pressures uncertainties stakes ramifications "
            "dilemmas realities vulnerabilities imperatives considerations intricacies obstacles "
            "concerns questions struggles priorities demands".split(),
        )
    )
    retelling = (
        f"{filler} Local leaders in Harbourview signed off on a flood barrier measuring 4,120 metres, "
        "following two bursts of the Keswick River in March. Ilse Brandtner, the mayor, put the bill at "
        "38 million euros. Delacroix Partners is due to start building at Quay Seven in June."
    )
    lib = make_library(settings)
    lib.add([
        document_from_text(source, id="wire", published="2026-03-10"),
        document_from_text(retelling, id="farm", published="2026-03-11"),
    ])
    assert [c.id for c in lib.candidates("farm")] == ["wire"]
    _, relations = lib.sources("farm")
    assert [r.source for r in relations] == ["wire"]


def test_relating_two_articles_embeds_each_sentence_once_for_both_directions(settings, story_documents):
    from collections import Counter

    from copydesk.align.embedder import CachedEmbedder

    class Counting(HashingEmbedder):
        def __init__(self):
            super().__init__()
            self.seen = Counter()

        def embed(self, texts):
            self.seen.update(texts)
            return super().embed(texts)

    inner = Counting()
    library = Library(MemoryStore(), settings, embedder=CachedEmbedder(inner))
    library.add(story_documents.values())
    source, retold = story_documents["source_meridian_wire"].id, story_documents["paraphrase_newspulse"].id
    relation = library.relate(source, retold)  # reads the pair both ways
    assert relation.relation != "unrelated"
    assert inner.seen and max(inner.seen.values()) == 1, [t for t, n in inner.seen.items() if n > 1]


def test_a_retelling_that_credits_a_third_outlet_is_listed_after_the_paraphrased_source(settings):
    # F tells the farm's story more closely than the source does, but its lead credits the source's outlet:
    # the farm and F share a source rather than copy each other, and `sources` lists the source first.
    from tests.trace.test_relate import RETOLD, STORY

    credited = ("On Tuesday floods closed the port of Velmora, the Velmora Post reported. About 4,120 households lost "
                "their power. Officials blamed the record rain of a week. The sea wall has been under repair since 2021. "
                "Ferries sail again on Friday.")
    library = make_library(settings)
    library.add([document_from_text(text, where=id, settings=settings, id=id, site=site) for id, text, site in (
        ("wire", STORY, "Velmora Post"), ("farm", RETOLD, "Farm News"), ("aggregator", credited, "Newsdesk"))])
    _, relations = library.sources("farm")
    listed = [({r.source, r.derived} - {"farm"}).pop() for r in relations]
    assert list(zip(listed, (r.relation for r in relations))) == [("wire", "paraphrase"), ("aggregator", "same_event")]
    assert library.relate("farm", "aggregator").derived_backed_share > library.relate("farm", "wire").derived_backed_share


def test_a_briefs_paraphrases_and_same_event_reports_are_ordered_together_by_lead_similarity():
    from dataclasses import replace

    from copydesk.library import closeness
    from tests.trace.test_cluster import rel

    # Two long texts: a paraphrase comes before a same-event report whatever the shares.
    assert closeness(rel("a", "b", "paraphrase", share=0.6))[0] < closeness(rel("a", "c", "same_event", share=1.0))[0]
    # A one-line summary is "backed" by any one sentence that reads like it: its true source, whose lead it
    # retells, may be only the same event by alignment while another article on the topic is a paraphrase.
    topical = replace(rel("other", "brief", "paraphrase", share=1.0), lead_similarity=0.17)
    source = replace(rel("source", "brief", "same_event", share=0.0), lead_similarity=0.47)
    ordered = sorted([topical, source], key=lambda r: (closeness(r)[0], -closeness(r)[1]))
    assert [r.source for r in ordered] == ["source", "other"]
    # Copies still come first.
    copy = replace(rel("copy", "brief", "light_edit", share=1.0), lead_similarity=0.1)
    assert closeness(copy)[0] < closeness(source)[0]


def test_a_sibling_is_listed_right_after_the_source_it_was_told_from(settings):
    from types import SimpleNamespace

    from copydesk.trace.candidates import Candidate
    from tests.trace.test_cluster import rel

    # The query retells "wire"; "faithful" retells "wire" too (a sibling), "event" reports the same event.
    known = {
        frozenset(("q", "wire")): rel("wire", "q", share=0.9),
        frozenset(("q", "faithful")): rel("faithful", "q", share=0.85),
        frozenset(("q", "event")): rel("event", "q", "same_event", share=0.9),
        frozenset(("wire", "faithful")): rel("wire", "faithful"),
        frozenset(("wire", "event")): rel("wire", "event", "same_event"),
        frozenset(("faithful", "event")): rel("faithful", "event", "same_event"),
    }
    library = make_library(settings)
    library._resolve = lambda ref: SimpleNamespace(record=SimpleNamespace(id=ref), signals=None, stored=True)
    library._candidates = lambda target, signals, stored: [Candidate(i, s, ()) for i, s in (("wire", 1.0), ("event", 0.9), ("faithful", 0.8))]
    library._relate = lambda a, b: known[frozenset((a.record.id, b))]
    _, relations = library.sources("q")
    assert [r.source for r in relations] == ["wire", "faithful", "event"]
