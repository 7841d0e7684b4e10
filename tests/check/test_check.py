from copydesk.check import omissions, sentence_facts, summarize, verdicts
from copydesk.ingest import document_from_text
from copydesk.models import Alignment
from copydesk.segment import segment

SOURCE = segment(
    document_from_text(
        "The council met on Monday.\n"
        "It approved 45 million crowns for repairs.\n"
        'Speaker Henrik Dahl said: "We cannot keep patching the same walls."\n'
        "The meeting was held in Kessa City.\n"
        "Lunch was served."
    )
)
DERIVED = segment(
    document_from_text(
        "The council approved repairs on Monday.\n"
        "The situation highlights the challenges facing the region.\n"
        "Farmers lost 30% of the winter crop, Kessa's union said."
    )
)
ALIGNED = (Alignment((0,), (0, 1), 0.8, 0.8),)


def test_verdicts_label_aligned_supported_and_split_additions():
    v = verdicts(SOURCE, DERIVED, ALIGNED)
    assert [x.verdict for x in v] == ["supported", "unsupported", "unsupported"]
    assert [x.addition for x in v] == [None, "filler", "factual"]
    assert v[0].best_score == 0.8


def test_commentary_the_source_does_not_make_is_filler_even_when_aligned():
    source = segment(document_from_text("The bank paid back the nine pensioners on Friday.\nThe case highlights how quickly trust erodes, the judge said."))
    derived = segment(document_from_text(
        "The bank paid back the nine pensioners on Friday.\n"
        "The case highlights the complex challenges banks face in protecting customers.\n"
        "The case highlights how quickly trust erodes, said the judge."
    ))
    aligned = (Alignment((0,), (0,), 0.9, 0.9), Alignment((1,), (0,), 0.7, 0.7), Alignment((2,), (1,), 0.9, 0.9))
    v = verdicts(source, derived, aligned)
    assert [(x.verdict, x.addition) for x in v] == [("supported", None), ("unsupported", "filler"), ("supported", None)]


def test_omissions_rank_numbers_and_quotes_first_then_names_then_the_rest():
    o = omissions(SOURCE, ALIGNED)
    assert [x.source for x in o] == [2, 3, 4]
    assert o[0].facts == ('"We cannot keep patching the same walls."', "Speaker Henrik Dahl")
    assert o[1].facts == ("Kessa City",) and o[2].facts == ()


def test_sentence_facts_keep_surface_forms():
    facts = sentence_facts(SOURCE.sentences[1])
    assert facts == ("45 million",)


def test_summary_shares_and_same_story_rule():
    s = summarize(SOURCE, DERIVED, ALIGNED, min_share=0.3, min_sentences=2)
    total = sum(len(x.clean) for x in DERIVED.sentences)
    assert s.derived_backed_share == round(len(DERIVED.sentences[0].clean) / total, 4)
    assert 0 < s.source_reused_share < 1
    assert not s.same_story  # one backed sentence is too few, however large its share
    assert summarize(SOURCE, DERIVED, ALIGNED, min_share=0.3, min_sentences=1).same_story is False  # share about 0.25 < 0.3
    assert summarize(SOURCE, DERIVED, (), 0.0, 1).same_story is False


def _check_copy(source_text, derived_text):
    source, derived = segment(document_from_text(source_text)), segment(document_from_text(derived_text))
    return verdicts(source, derived, (Alignment((0,), (0,), 0.7, 0.7),))[0]


def test_a_sentence_copied_out_of_a_glued_unit_is_checked_only_against_what_it_copies():
    glued = ("People who never divorced can expect an income 13% higher than a colleague "
             "The cost of divorce can wreck retirement many years after the break-up, according to research.")
    assert _check_copy(glued, "the cost of divorce can wreck retirement many years after the break-up , according to research .").verdict == "supported"
    # A copied stretch that does not stand as a sentence there is checked as any retelling.
    dropped = _check_copy("Police do not believe that Smith killed the girl in the park on Sunday.",
                          "Smith killed the girl in the park on Sunday.")
    assert [f.kind for f in dropped.findings] == ["negation_flipped"]
    cut = _check_copy("The plant employs 40 workers this June, more than the old plant.", "The plant employs 40 workers this June.")
    assert [f.kind for f in cut.findings] == ["comparison_changed"]
