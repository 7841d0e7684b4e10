from dataclasses import replace

from copydesk.align.aligner import align, embedding_text
from copydesk.ingest import document_from_text
from copydesk.segment import segment
from copydesk.settings import Settings
from tests.conftest import TableEmbedder

SETTINGS = Settings(match_threshold=0.6, anchor_weight=0.2, merge_gain=0.03, split_margin=0.15)


def sents(text):
    return segment(document_from_text(text)).sentences


SOURCE = "The strike ended on Tuesday after twelve days.\nWorkers won a raise of four percent.\nThe mayor praised both sides."
# Each source sentence on its own axis.
SOURCE_AXES = {
    "The strike ended on Tuesday after twelve days.": [1, 0, 0, 0],
    "Workers won a raise of four percent.": [0, 1, 0, 0],
    "The mayor praised both sides.": [0, 0, 1, 0],
}


def test_one_to_one_and_unrelated():
    emb = TableEmbedder(
        {**SOURCE_AXES, "Dockworkers got a four percent pay rise.": [0.1, 1, 0, 0], "The weather was pleasant.": [0, 0, 0, 1]}
    )
    result = align(sents("Dockworkers got a four percent pay rise.\nThe weather was pleasant."), sents(SOURCE), emb, SETTINGS)
    assert [(a.derived, a.source) for a in result] == [((0,), (1,))]
    assert "4" in result[0].anchors


def test_merge_of_two_source_sentences():
    emb = TableEmbedder({**SOURCE_AXES, "The twelve-day strike ended Tuesday with a four percent raise.": [1, 1, 0, 0]})
    result = align(sents("The twelve-day strike ended Tuesday with a four percent raise."), sents(SOURCE), emb, SETTINGS)
    assert [(a.derived, a.source) for a in result] == [((0,), (0, 1))]


import pytest


@pytest.mark.parametrize(
    "follower",
    [
        [0.1, 1, 0, 0.3],  # matches the source sentence on its own
        [0.0, 0.9, 0.3, 0.3],  # below the threshold alone, but the source is its nearest
    ],
)
def test_split_of_one_source_sentence_groups_adjacent_derived(follower):
    emb = TableEmbedder(
        {
            "The strike ended on Tuesday after twelve days.": [1, 1, 0, 0],
            "Workers won a raise of four percent.": [0, 0, 1, 0],
            "The mayor praised both sides.": [0, 0, 0, 1],
            "The strike ended on Tuesday.": [1, 0.25, 0, 0],
            "It had lasted twelve days.": follower,
            "The mayor was pleased.": [0, 0, 0.1, 1],
        }
    )
    derived = sents("The strike ended on Tuesday.\nIt had lasted twelve days.\nThe mayor was pleased.")
    result = align(derived, sents(SOURCE), emb, SETTINGS)
    assert [(a.derived, a.source) for a in result] == [((0, 1), (0,)), ((2,), (2,))]


def test_unrelated_follower_does_not_join_a_split():
    emb = TableEmbedder(
        {
            "The strike ended on Tuesday after twelve days.": [1, 1, 0, 0],
            "Workers won a raise of four percent.": [0, 0, 1, 0],
            "The mayor praised both sides.": [0, 0, 0, 1],
            "The strike ended on Tuesday.": [1, 0.9, 0, 0],
            "Residents were angry.": [0.2, -0.3, -0.5, -0.5],
        }
    )
    derived = sents("The strike ended on Tuesday.\nResidents were angry.")
    result = align(derived, sents(SOURCE), emb, SETTINGS)
    assert [(a.derived, a.source) for a in result] == [((0,), (0,))]


def test_anchors_settle_a_close_call():
    source = "Insurers received 4,120 claims in 2021.\nInsurers received 3,900 claims in 2020."
    emb = TableEmbedder(
        {
            "Insurers received 4,120 claims in 2021.": [1, 0.2, 0, 0],
            "Insurers received 3,900 claims in 2020.": [1, 0, 0, 0],
            "In 2021 there were 4,120 claims.": [1, 0.0, 0, 0],
        }
    )
    for weight in (0.0, 0.2):  # anchors decide even when they carry no weight in the score
        result = align(sents("In 2021 there were 4,120 claims."), sents(source), emb, replace(SETTINGS, anchor_weight=weight))
        assert result[0].source == (0,)


def test_no_alignment_below_threshold_and_empty_inputs():
    emb = TableEmbedder({"A thing happened.": [1, 0, 0, 0], "Something else entirely.": [0, 1, 0, 0]})
    assert align(sents("Something else entirely."), sents("A thing happened."), emb, SETTINGS) == ()
    assert align((), sents("A thing happened."), emb, SETTINGS) == ()


def test_dateline_is_not_embedded():
    s = sents("VELMORA, March 15 (Meridian Wire) - Insurers received 4,120 claims.")[0]
    assert embedding_text(s) == "Insurers received 4,120 claims."


def test_nearest_in_blocks_matches_the_full_ranking():
    """The aligner never holds the whole cosine matrix; its blocked top-k must rank as the matrix does."""
    import numpy as np

    from copydesk.align import aligner

    rng = np.random.default_rng(7)
    # Small integers: every dot product is exact in float32 whatever order BLAS sums in, so ties are
    # real ties (many of them, not only the repeated row) and go to the earlier source sentence.
    d = rng.integers(-3, 4, size=(aligner._ROW_BLOCK * 2 + 13, 16)).astype(np.float32)
    s = rng.integers(-3, 4, size=(40, 16)).astype(np.float32)
    s[5] = s[9]  # a repeated source sentence
    near = aligner.nearest(d, s, k=6)
    full = d @ s.T
    for i in range(len(d)):
        expected = sorted(range(len(s)), key=lambda j: (-full[i, j], j))[:6]
        assert list(near.index[i]) == expected
        assert np.allclose(near.cosine[i], full[i, expected], atol=1e-5)
    few = aligner.nearest(d[:3], s[:4], k=6)  # fewer sources than k
    assert few.index.shape == (3, 4)


def test_a_sentence_copied_out_of_a_glued_unit_joins_that_unit_however_far_its_vector():
    source = "Scroll down for video The macaque has a rounded face compared to other macaques Officially named Macaca leucogenys, it earned its name from its whiskers.\nThe macaque lives in Tibet."
    copied = "officially named macaca leucogenys , it earned its name from its whiskers ."
    emb = TableEmbedder({copied: [0, 1, 0, 0], "The macaque lives in Tibet.": [0, 1, 0, 0],
                         source.splitlines()[0]: [1, 0, 0, 0]})
    result = align(sents(copied), sents(source), emb, SETTINGS)
    assert [(a.derived, a.source) for a in result] == [((0,), (0,))]
    # Without the copy, the nearest vector wins.
    reworded = "It owes its name, Macaca leucogenys, to its whiskers."
    emb.table[reworded] = emb.table[copied]
    assert [(a.derived, a.source) for a in align(sents(reworded), sents(source), emb, SETTINGS)] == [((0,), (1,))]
