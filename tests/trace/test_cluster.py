from copydesk.models import Relation
from copydesk.trace.cluster import clusters, siblings, source_strength
from copydesk.timestamps import parse_time
from copydesk.trace.relate import classify, credited
from copydesk.models import LibraryArticle


def rel(source, derived, relation="paraphrase", known=True, confidence=0.8, share=0.8):
    return Relation(
        source=source, derived=derived, relation=relation, direction_known=known, direction_confidence=confidence,
        direction_evidence=(), credited=False, shared_facts=(), verdict_counts={}, distortions=1,
        jaccard=0.1, derived_backed_share=share, source_reused_share=0.5, order=1.0,
    )


def test_a_chain_of_retellings_becomes_a_tree_rooted_at_the_source():
    # wire -> farm1 -> farm2, plus a direct wire-farm2 link that is weaker.
    relations = [rel("wire", "farm1", confidence=0.9), rel("farm1", "farm2", confidence=0.9), rel("wire", "farm2", confidence=0.3)]
    (story,) = clusters(relations, {})
    assert story.root == "wire" and set(story.members) == {"wire", "farm1", "farm2"}
    assert sorted((e.source, e.derived) for e in story.edges) in (
        [("farm1", "farm2"), ("wire", "farm1")],
        [("wire", "farm1"), ("wire", "farm2")],
    )
    assert len(story.edges) == 2


def test_separate_stories_are_separate_clusters_biggest_first():
    relations = [rel("a", "b"), rel("a", "c"), rel("x", "y")]
    out = clusters(relations, {})
    assert [sorted(c.members) for c in out] == [["a", "b", "c"], ["x", "y"]]


def test_undecided_edges_root_at_the_earliest_publication():
    relations = [rel("late", "early", known=False, confidence=0.0)]
    (story,) = clusters(relations, {"late": "2024-05-02", "early": "2024-05-01T10:00:00Z"})
    assert story.root == "early"
    (edge,) = story.edges
    assert (edge.source, edge.derived) == ("early", "late") and not edge.direction_known


def test_without_times_an_undecided_derivation_roots_at_its_better_backing_side():
    # relate orients an undecided pair so that `source` backs more of the other; the ids would say otherwise
    (story,) = clusters([rel("z-wire", "a-farm", known=False, confidence=0.0)], {})
    assert story.root == "z-wire"
    (edge,) = story.edges
    assert (edge.source, edge.derived) == ("z-wire", "a-farm")


def test_same_event_links_join_the_story_without_claiming_copying():
    relations = [rel("wire", "farm"), rel("agency", "wire", relation="same_event", known=False, confidence=0.0)]
    (story,) = clusters(relations, {"wire": "2024-01-01", "agency": "2024-01-01T05:00:00", "farm": "2024-01-02"})
    kinds = {(e.source, e.derived): e.relation for e in story.edges}
    assert kinds[("wire", "farm")] == "paraphrase"
    assert "same_event" in kinds.values()


def test_classify_thresholds(settings):
    s = settings
    assert classify(0.99, 1.0, 1.0, 10, 1.0, s) == "verbatim_copy"
    assert classify(0.5, 1.0, 1.0, 10, 1.0, s) == "light_edit"
    assert classify(0.05, 0.9, 0.9, 10, 0.8, s) == "paraphrase"
    assert classify(0.05, 0.9, -0.2, 10, 0.8, s) == "same_event"  # shared content, own structure
    assert classify(0.0, 0.0, 0.0, 0, 0.7, s) == "same_event"  # most of its words, none of its sentences
    assert classify(0.0, 0.0, 0.0, 1, 0.2, s) == "unrelated"
    # A brief: judged by its closeness to the other's lead, never as a copy.
    close, far = s.brief_min_lead_similarity, s.brief_min_lead_similarity - 0.01
    assert classify(0.0, 0.0, 0.0, 1, 0.2, s, lead_similarity=close) == "same_event"
    assert classify(0.0, 0.0, 0.0, 1, 0.2, s, lead_similarity=far) == "unrelated"
    # Two briefs: fully backed and in order is still no proof that one was made from the other.
    assert classify(0.05, 1.0, 1.0, 2, 0.8, s, both_brief=True) == "same_event"
    assert classify(0.5, 1.0, 1.0, 2, 0.8, s, both_brief=True) == "light_edit"  # shared wording still counts


def test_credit_looks_for_outlet_author_domain_or_link():
    source = LibraryArticle(id="s", content_hash="h", text="x", site="Meridian Wire", url="https://www.meridian.example/a/1")
    told = lambda text: LibraryArticle(id="d", content_hash="h2", text=text)  # noqa: E731
    assert credited(source, told("As Meridian Wire reported on Tuesday, claims rose.")) is True
    assert credited(source, told("Figures first published at meridian.example show a rise.")) is True
    assert credited(source, told("Claims rose, experts say.")) is False
    assert credited(LibraryArticle(id="s", content_hash="h", text="x"), told("anything")) is None


def test_an_outlet_named_in_words_credits_its_address():
    mail = LibraryArticle(id="s", content_hash="h", text="x", url="https://www.dailymail.co.uk/news/article-1/x.html")
    cnn = LibraryArticle(id="s", content_hash="h", text="x", url="https://edition.cnn.com/2015/04/01/a.html")
    told = lambda text: LibraryArticle(id="d", content_hash="h2", text=text)  # noqa: E731
    assert credited(mail, told("The couple were fined £200, the Daily Mail reported.")) is True
    assert credited(mail, told("The couple were fined £200, the Mail said.")) is False
    assert credited(mail, told("The daily mail van was late.")) is False  # words, not a name
    assert credited(cnn, told("According to CNN, the rally drew 3,000 people.")) is True
    assert credited(cnn, told("According to Reuters, the rally drew 3,000 people.")) is False
    sky = LibraryArticle(id="s", content_hash="h", text="x", url="https://news.sky.com/story/1")
    assert credited(sky, told("Sky News said the rally drew 3,000.")) is True
    assert credited(sky, told("BBC News said the rally drew 3,000.")) is False  # "news" names no outlet


def test_parse_time_accepts_dates_and_zoned_times():
    assert parse_time("2023-01-10T06:00:00Z") < parse_time("2023-01-10T08:00:00+01:00") < parse_time("2023-01-11")
    assert parse_time("last Tuesday") is None and parse_time(None) is None
    assert parse_time("2 hours ago") is None and parse_time("June 2021") is None and parse_time("12") is None
    assert parse_time("June 3, 2021 10:15") == parse_time("2021-06-03T10:15:00")
    assert parse_time("Thu 3 June 2021 09:15 BST") == parse_time("2021-06-03T08:15:00Z")
    assert parse_time("03/06/2021") == parse_time("2021-06-03")  # day first, as most of the world writes


def test_a_retelling_of_the_same_source_is_a_sibling_not_a_source():
    # The drifted retelling's candidates: the wire story, and a faithful rewrite of the same story
    # that reads as its source with less confidence than the wire story does.
    related = {"wire": rel("wire", "drifted", confidence=0.9, share=0.88),
               "faithful": rel("faithful", "drifted", confidence=0.6, share=0.82)}
    between = {("wire", "faithful"): rel("wire", "faithful", confidence=0.7)}
    assert siblings(related, lambda a, b: between[(a, b)] if (a, b) in between else rel(b, a, confidence=0.7)) == {"faithful": "wire"}


def test_the_tree_hangs_both_retellings_from_their_source():
    # The faithful rewrite is placed first; the drifted one reads as the faithful's paraphrase with
    # less confidence than as the wire story's retelling (here: same event, its order reshuffled).
    relations = [rel("wire", "faithful", confidence=0.95), rel("faithful", "drifted", confidence=0.5),
                 rel("wire", "drifted", relation="same_event", confidence=0.8)]
    (story,) = clusters(relations, {})
    assert {e.derived: e.source for e in story.edges} == {"faithful": "wire", "drifted": "wire"}
    # A chain the other way keeps its closer parent: the edit is the stronger source of the farm.
    chain = [rel("wire", "edit", confidence=0.95), rel("edit", "farm", confidence=0.9),
             rel("wire", "farm", relation="same_event", confidence=0.4)]
    (story,) = clusters(chain, {})
    assert {e.derived: e.source for e in story.edges} == {"edit": "wire", "farm": "edit"}


def test_a_source_placed_under_its_own_retelling_moves_out_and_takes_its_retellings():
    # A story joined through other articles: the growth from the dated root x reaches the retelling d
    # first, then its source s only through d. s moves to its other link (y), and d follows its source.
    relations = [rel("x", "d", relation="same_event", known=False, confidence=0.0),
                 rel("x", "f", relation="same_event", known=False, confidence=0.0),
                 rel("s", "d", confidence=0.9), rel("s", "f", confidence=0.95),
                 rel("x", "y", relation="same_event", known=False, confidence=0.0),
                 rel("s", "y", relation="same_event", known=False, confidence=0.0),
                 rel("z", "y", confidence=0.5)]
    (story,) = clusters(relations, {"x": "2024-01-01"})
    parents = {}
    for e in story.edges:
        parents.setdefault(e.derived, e.source)
    assert story.root == "x"
    assert parents["d"] == "s" and parents["f"] == "s"
    assert len(story.edges) == len(story.members) - 1


def test_a_chain_keeps_the_closer_source():
    # wire -> edit -> farm: the edit is the stronger source of the farm article, so it stays its source.
    related = {"wire": rel("wire", "farm", confidence=0.4, share=0.7), "edit": rel("edit", "farm", confidence=0.9)}
    links = {frozenset(("wire", "edit")): rel("wire", "edit", confidence=0.9)}
    assert siblings(related, lambda a, b: links[frozenset((a, b))]) == {}


def test_an_undecided_link_between_the_candidates_makes_no_sibling():
    related = {"wire": rel("wire", "farm", confidence=0.9), "other": rel("other", "farm", confidence=0.2)}
    assert siblings(related, lambda a, b: rel(a, b, known=False, confidence=0.0)) == {}


def test_source_strength_is_negative_when_the_direction_points_the_other_way():
    assert source_strength(rel("a", "b", confidence=0.7), "a") == (0.7, 0.8)
    assert source_strength(rel("a", "b", confidence=0.7), "b") == (-0.7, 0.8)
    assert source_strength(rel("a", "b", known=False, confidence=0.0), "b") == (0.0, 0.8)


def test_a_long_text_is_a_paraphrase_only_if_it_keeps_some_wording(settings):
    s = settings
    keeps = s.paraphrase_min_wording + 0.02
    assert classify(0.05, 0.9, 0.9, 10, 0.8, s, wording=keeps) == "paraphrase"
    # Same facts, same order, no shared wording: written from the facts, not from the text.
    assert classify(0.0, 0.9, 0.9, 10, 0.8, s, wording=s.paraphrase_min_wording - 0.02) == "same_event"
    assert classify(0.05, 0.9, 0.9, 10, 0.8, s, wording=None) == "paraphrase"  # a brief: too short to tell
    # Reordered: a paraphrase only if it keeps much of the wording.
    many = s.paraphrase_reordered_min_wording
    assert classify(0.05, 0.9, 0.2, 10, 0.8, s, wording=many) == "paraphrase"
    assert classify(0.05, 0.9, 0.2, 10, 0.8, s, wording=many - 0.02) == "same_event"
    assert classify(0.05, 0.9, 0.2, 10, 0.8, s, wording=None) == "same_event"


def test_a_same_event_link_joins_stories_only_when_text_and_facts_both_tie_the_pair(settings):
    from dataclasses import replace

    from copydesk.engines.stages import stories

    facts = tuple(f"name:n{i}" for i in range(settings.same_event_min_facts))
    tied = replace(rel("wire", "report", "same_event", known=False), shared_facts=facts)
    few_facts = replace(tied, source="wire", derived="neighbour", shared_facts=facts[:-1])
    little_backed = replace(tied, source="wire", derived="brief", derived_backed_share=settings.same_story_min_share - 0.01)
    retold = replace(rel("wire", "farm"), shared_facts=())  # a retelling joins whatever it shares
    (story,) = stories([tied, few_facts, little_backed, retold], {}, settings)
    assert sorted(story.members) == ["farm", "report", "wire"]
