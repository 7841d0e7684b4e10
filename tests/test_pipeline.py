"""compare() end to end with fakes: long articles are read whole, not cut to a model's window."""

from copydesk.align.embedder import HashingEmbedder
from copydesk.check.entities import CapitalisedTagger
from copydesk.pipeline import compare

TOWNS = ["Arlen", "Brisk", "Cotter", "Dunmore", "Eastwick", "Fallow", "Garron", "Hale"]


def test_a_changed_figure_deep_in_a_long_article_is_found_with_its_span():
    lines = [
        f"The {TOWNS[i % 8]} committee met {i + 7} residents about road number {i * 3 + 1} on day {i % 28 + 1}."
        for i in range(600)
    ]
    lines[550] = "Insurers in Velmora received 4,120 flood claims during the winter storms."
    source = "\n".join(lines)
    derived = f"{lines[3]}\nInsurers in Velmora received 4,210 flood claims during the winter storms."
    assert len(source) > 40_000  # far beyond any model's token window
    result = compare(source, derived, embedder=HashingEmbedder(), tagger=CapitalisedTagger())
    assert [a.source for a in result.alignments] == [(3,), (550,)]
    [finding] = [f for v in result.verdicts for f in v.findings]
    assert finding.kind == "number_changed"
    assert result.source.document.text[slice(*finding.source_span)] == "4,120"
    assert finding.source_span[0] > 38_000
    assert result.derived.document.text[slice(*finding.derived_span)] == "4,210"
    assert len(result.omissions) == 598  # every other source sentence is accounted for, none cut off


def test_compare_says_whether_the_same_story_was_retold_or_reported_independently():
    source = (
        "The Tull council approved a 44-metre footbridge over the Keswick River on Friday.\n"
        "Mayor Ilse Brandtner said the bridge would cost 3.2 million crowns and open in May.\n"
        "Residents had asked for a crossing since the old ferry stopped in 2019.\n"
        "Engineers from Delacroix Partners will start work at Quay Seven next month."
    )
    edited = source.replace("said", "stated").replace("Residents had asked", "Residents have asked")
    independent = (
        "Work on a new Keswick River crossing in Tull starts soon, after councillors voted for it at the end of the week.\n"
        "The 44-metre span, priced at 3.2 million crowns by Ilse Brandtner's office, should be ready by May.\n"
        "Locals lost their link across the water in 2019 when the ferry service ended.\n"
        "Delacroix Partners won the contract and will set up at Quay Seven."
    )

    def summary(derived):
        return compare(source, derived, embedder=HashingEmbedder(), tagger=CapitalisedTagger()).summary

    assert summary(edited).derived is True
    assert summary(independent).derived is False
