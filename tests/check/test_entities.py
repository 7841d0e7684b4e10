"""Names for the claim check: the tagger interface, its rule fake, and how names are compared."""

import pytest

from copydesk.check import verdicts
from copydesk.check.entities import CapitalisedTagger, Entity, make_tagger
from copydesk.facts import name_key
from copydesk.ingest import document_from_text
from copydesk.models import Alignment
from copydesk.segment import segment
from copydesk.settings import CAPITALISED, SPACY_NER, Settings


class TableTagger:
    """A fake tagger that knows a few names and their labels."""

    name = "table-fake"

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.calls: list[list[str]] = []

    def tag(self, texts):
        self.calls.append(list(texts))
        out = []
        for text in texts:
            out.append([Entity(text.index(n), text.index(n) + len(n), n, label) for n, label in self.names.items() if n in text])
        return out


def judge(source: str, derived: str, tagger):
    src, der = segment(document_from_text(source)), segment(document_from_text(derived))
    alignments = tuple(Alignment((i,), (i,), 0.9, 0.9) for i in range(min(len(src.sentences), len(der.sentences))))
    return [f for v in verdicts(src, der, alignments, tagger) for f in v.findings], src.document, der.document


def test_name_key_drops_articles_possessives_and_punctuation():
    assert name_key("The Harbor Institute’s") == "harbor institute"
    assert name_key("“Okafor's”") == "okafor"
    assert name_key("Leeds") == "leeds"


def test_capitalised_tagger_skips_a_lone_sentence_start():
    [entities] = CapitalisedTagger().tag(["Officials in Leeds met Grace Okafor."])
    assert [(e.text, e.label) for e in entities] == [("Leeds", "NAME"), ("Grace Okafor", "NAME")]


def test_names_are_matched_as_whole_words_not_inside_others():
    tagger = TableTagger({"Ann": "PERSON", "Bob": "PERSON"})
    findings, _, der = judge("Officials and Bob backed the annual plan.", "Officials and Ann backed the annual plan.", tagger)
    assert [f.kind for f in findings] == ["entity_changed"]
    assert der.text[slice(*findings[0].derived_span)] == "Ann"


def test_a_place_keeping_a_word_of_the_replaced_one_is_still_a_change():
    # "New Jersey" shares "New" with "New York" but does not name it.
    tagger = TableTagger({"New York": "GPE", "New Jersey": "GPE"})
    findings, src, der = judge("A New York judge ruled on Monday.", "A New Jersey judge ruled on Monday.", tagger)
    [f] = findings
    assert (f.kind, der.text[slice(*f.derived_span)], src.text[slice(*f.source_span)]) == ("entity_changed", "New Jersey", "New York")


@pytest.mark.parametrize(
    "names, source, derived",
    [
        # Named somewhere in the source ("Okafor" for "Grace Okafor").
        ({"Okafor": "PERSON", "Grace Okafor": "PERSON", "Leeds": "GPE"},
         "Grace Okafor spoke in Leeds.\nThe council met on Monday.", "The council met Okafor on Monday."),
        # One country named another usual way.
        ({"US": "GPE", "American": "NORP", "Darwin": "GPE"},
         "An actress from Darwin is a star in the US now.", "An actress from Darwin is a star with American fans now."),
        ({"Britain": "GPE", "UK": "GPE"}, "Prices rose in Britain in May.", "Prices rose in the UK in May."),
        ({"United States": "GPE", "America": "GPE"}, "Sales fell in the United States.", "Sales fell in America."),
        # A summarizer's unknown-word token.
        ({"Stan Freberg": "PERSON", "Stan UNK": "PERSON"}, "Stan Freberg died on Monday.", "Stan UNK died on Monday."),
    ],
)
def test_names_that_change_nothing_give_no_finding(names, source, derived):
    findings, _, _ = judge(source, derived, TableTagger(names))
    assert findings == []


def test_the_replaced_name_is_looked_for_among_names_of_the_same_label():
    tagger = TableTagger({"Grace Okafor": "PERSON", "Velmora": "GPE", "Ostrand": "GPE"})
    findings, src, der = judge(
        "Grace Okafor opened the school in Velmora.", "Grace Okafor opened the school in Ostrand.", tagger
    )
    [f] = findings
    assert (f.kind, der.text[slice(*f.derived_span)], src.text[slice(*f.source_span)]) == ("entity_changed", "Ostrand", "Velmora")
    # Only derived sentences and the source sentences they align with are tagged.
    assert sorted(t for call in tagger.calls for t in call) == sorted(
        ["Grace Okafor opened the school in Velmora.", "Grace Okafor opened the school in Ostrand."]
    )


def test_a_speaker_the_tagger_missed_is_taken_from_the_capitalised_run_beside_the_verb():
    tagger = TableTagger({})  # a tagger that finds no names at all
    findings, src, der = judge(
        "Tomas Berg said insurers must publish their flood maps.", "Anja Lind said insurers must publish their flood maps.", tagger
    )
    [f] = findings
    assert (f.kind, der.text[slice(*f.derived_span)], src.text[slice(*f.source_span)]) == ("attribution_shifted", "Anja Lind", "Tomas Berg")
    # Away from a reporting verb, a capitalised run is not a name unless the tagger says so.
    assert judge("Insurers in Leeds must publish maps.", "Insurers in Hull must publish maps.", tagger)[0] == []


def test_an_unaligned_sentence_with_a_tagged_name_is_a_factual_addition():
    src = segment(document_from_text("The council met on Monday."))
    der = segment(document_from_text("The council met on Monday.\nThe mood in Harbourside was tense for the crews."))
    alignment = (Alignment((0,), (0,), 0.9, 0.9),)
    plain = verdicts(src, der, alignment, TableTagger({}))
    named = verdicts(src, der, alignment, TableTagger({"Harbourside": "GPE"}))
    assert (plain[1].addition, named[1].addition) == ("filler", "factual")


def test_a_sentence_that_cannot_name_anyone_is_not_tagged():
    src = segment(document_from_text("The council met on Monday."))
    der = segment(document_from_text(
        "The council met on Monday.\nIt was a tense day for the crews.\nobama spoke later.\nIt hit al-Qaeda hard."
    ))
    tagger = TableTagger({})
    verdicts(src, der, (Alignment((0,), (0,), 0.9, 0.9),), tagger)
    tagged = {t for call in tagger.calls for t in call}
    # A function word and then no capital: nothing a tagger could name. A first word that is not a
    # function word may be a name; a capital inside a word ("al-Qaeda") may be one too.
    assert "It was a tense day for the crews." not in tagged
    assert {"obama spoke later.", "It hit al-Qaeda hard."} <= tagged
    # Lower-cased text (some summarizers' output) names people in lower case: every sentence is tagged.
    lower = segment(document_from_text("the council met on monday.\nit was a tense day in leeds."))
    tagger = TableTagger({})
    verdicts(src, lower, (Alignment((0,), (0,), 0.9, 0.9),), tagger)
    assert "it was a tense day in leeds." in {t for call in tagger.calls for t in call}


def test_unknown_tagger_names_are_refused():
    with pytest.raises(ValueError, match="unknown entity tagger"):
        Settings.load(entity_tagger="nope")
    with pytest.raises(ValueError, match="unknown entity tagger"):
        make_tagger("nope")
    assert make_tagger(CAPITALISED) is make_tagger(CAPITALISED)


@pytest.mark.model
def test_spacy_tags_people_places_and_organisations_and_finds_a_swapped_city():
    tagger = make_tagger(SPACY_NER)
    [entities] = tagger.tag(["Grace Okafor told the Harbor Institute in Manchester that costs rose."])
    labels = {e.text: e.label for e in entities}
    assert labels.get("Grace Okafor") == "PERSON"
    assert labels.get("Manchester") == "GPE"
    assert any("Harbor Institute" in t and lab == "ORG" for t, lab in labels.items())
    findings, src, der = judge(
        "Grace Okafor said insurers in Manchester paid the claims on Monday.",
        "Grace Okafor said insurers in Liverpool paid the claims on Monday.",
        tagger,
    )
    [f] = findings
    assert (f.kind, der.text[slice(*f.derived_span)], src.text[slice(*f.source_span)]) == ("entity_changed", "Liverpool", "Manchester")


@pytest.mark.model
def test_loading_spacy_leaves_torch_unimported_and_importable():
    """thinc would import torch (seconds of a cold compare) though NER never uses it."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom copydesk.check.entities import SpacyTagger\n"
        "assert SpacyTagger().tag(['Grace Okafor went to Leeds.'])[0]\n"
        "assert 'torch' not in sys.modules\nimport torch\nprint('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr


def test_a_name_that_is_no_person_keeps_its_other_words_to_count_by_its_last():
    # "Ryanair Aberdeen" is not the source's "Aberdeen"; "Nico Rosberg" is the source's "Rosberg".
    tagger = TableTagger({"Ryanair Aberdeen": "ORG", "Loganair": "ORG", "Aberdeen": "GPE",
                          "Nico Rosberg": "PERSON", "Rosberg": "PERSON"})
    findings, _, der = judge("The Loganair flight from Aberdeen was struck by lightning.",
                             "The Ryanair Aberdeen flight was struck by lightning.", tagger)
    assert [(f.kind, der.text[slice(*f.derived_span)]) for f in findings] == [("entity_changed", "Ryanair Aberdeen")]
    findings, _, _ = judge("Rosberg was second in Monaco on Sunday.", "Nico Rosberg was second in Monaco on Sunday.", tagger)
    assert findings == []


def test_a_country_and_its_people_are_one_name():
    tagger = TableTagger({"Spanish Grand Prix": "EVENT", "Spain": "GPE", "French": "NORP", "France": "GPE"})
    findings, _, _ = judge("The next grand prix is in Spain in three weeks.",
                           "The Spanish Grand Prix is in three weeks.", tagger)
    assert findings == []
    findings, _, _ = judge("Officials in France confirmed the deal on Monday.",
                           "French officials confirmed the deal on Monday.", tagger)
    assert findings == []
