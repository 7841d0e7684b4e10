from pathlib import Path

import pytest

from copydesk.check.findings import SEVERITY
from copydesk_eval.corrupt import KINDS, TRANSFORMS, corruptions

ARTICLE = (
    "Finance Minister Tomas Berg called on insurers to publish their maps. "
    '"Families deserve to know the risk before they buy a home," Berg told reporters in Velmora. '
    "Grace Okafor said nearly all of the 4,120 claims in 2021 could not be confirmed and were not paid, more than expected."
)
QUOTED = '"Families deserve to know the risk before they buy a home," Berg told reporters in Velmora.'
PLAIN = "Grace Okafor said nearly all of the 4,120 claims in 2021 could not be confirmed and were not paid, more than expected."


def test_every_finding_kind_has_a_transform():
    # meaning_changed is the verifier's, for changes no rule names: nothing plants it.
    assert set(KINDS) == set(TRANSFORMS) == set(SEVERITY) - {"meaning_changed"}


@pytest.mark.parametrize(
    "kind, sentence, expected",
    [
        ("number_changed", PLAIN, "5,356 claims"),
        ("time_scope_changed", PLAIN, "in 2019"),
        ("entity_generalized", QUOTED, "in several regions"),
        ("attribution_shifted", QUOTED, "Okafor told reporters"),
        ("attribution_dropped", QUOTED, "Families deserve to know the risk before they buy a home."),
        ("quantifier_changed", PLAIN, "said every one of the"),
        ("hedge_changed", PLAIN, "2021 was confirmed"),
        ("negation_flipped", PLAIN, "could be confirmed"),
        ("comparison_changed", PLAIN, "less than expected"),
    ],
)
def test_transforms_make_their_change(kind, sentence, expected):
    corrupted = TRANSFORMS[kind](sentence, ARTICLE)
    assert corrupted and expected in corrupted and corrupted != sentence


def test_inapplicable_transforms_return_nothing_and_output_is_deterministic():
    plain = "The weather was mild."
    assert corruptions(plain, ARTICLE) == [c for c in corruptions(plain, ARTICLE)]
    assert TRANSFORMS["quote_altered"](plain, ARTICLE) is None
    assert TRANSFORMS["number_changed"]("It happened in 2021.", ARTICLE) is None  # a year is not a count
    assert corruptions(PLAIN, ARTICLE) == corruptions(PLAIN, ARTICLE)


def test_the_generator_uses_nothing_of_the_checker():
    source = (Path(__file__).resolve().parents[2] / "src" / "copydesk_eval" / "corrupt.py").read_text()
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in imports if "copydesk" in line]


def test_a_swapped_name_comes_from_the_same_article():
    corrupted = TRANSFORMS["entity_changed"](PLAIN, ARTICLE)
    assert corrupted and any(name in corrupted for name in ("Tomas Berg", "Finance Minister Tomas Berg", "Velmora", "Berg"))
