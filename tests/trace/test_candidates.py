"""Candidate scoring, apart from any store: bands plus idf-weighted rare keys, capped postings."""

from dataclasses import replace

import pytest

from copydesk.trace.candidates import posting_cap, rarest_keys, score_candidates, size_weight


def test_posting_cap_grows_with_the_library_then_stops(settings):
    assert posting_cap(100, settings) == settings.key_min_cap
    assert posting_cap(60_000, settings) == 600
    assert posting_cap(10_000_000, settings) == settings.key_max_cap


def test_rarest_keys_skip_common_ones_and_keep_the_rarest_first(settings):
    few = replace(settings, candidate_query_keys=2)
    frequency = {"n:4120": 2, "w:flood": 9, "y:2021": 500, "e:harbor": 1, "gone": 0}
    assert rarest_keys(frequency, cap=50, settings=few, counts_itself=False) == ["e:harbor", "n:4120"]
    assert "y:2021" not in rarest_keys(frequency, cap=50, settings=settings, counts_itself=False)


def test_keys_only_the_article_itself_holds_take_no_place(settings):
    """A reworded retelling's own words (df 1, counting itself) must not crowd out the shared names."""
    few = replace(settings, candidate_query_keys=2)
    frequency = {"w:tapestry": 1, "w:underscores": 1, "w:landscape": 1, "e:harbor": 2, "n:4120": 3}
    assert rarest_keys(frequency, cap=50, settings=few, counts_itself=True) == ["e:harbor", "n:4120"]
    assert rarest_keys(frequency, cap=50, settings=few, counts_itself=False) == ["w:landscape", "w:tapestry"]


def test_rarest_keys_stop_when_their_postings_would_pass_the_budget(settings):
    frequency = {"e:harbor": 1, "n:4120": 2, "w:flood": 40, "w:levee": 45}
    assert rarest_keys(frequency, cap=50, settings=replace(settings, candidate_posting_budget=43), counts_itself=False) == [
        "e:harbor", "n:4120", "w:flood"]
    assert rarest_keys(frequency, cap=50, settings=replace(settings, candidate_posting_budget=42), counts_itself=False) == [
        "e:harbor", "n:4120"]


def test_scores_add_bands_and_rare_keys_and_rank_best_first(settings):
    frequency = {"e:harbor": 1, "n:4120": 2, "w:flood": 400}
    rarest = rarest_keys(frequency, 50, settings, counts_itself=False)
    found = score_candidates(
        "q",
        bucket_counts={"copy": 32, "q": 32, "edit": 8},
        bands=32,
        rarest=rarest,
        frequency=frequency,
        shared_keys={"copy": rarest, "para": ["n:4120", "e:harbor"], "noise": ["w:flood"]},
        sizes={"copy": 150, "para": 150, "noise": 150},
        mean_size=150.0,
        n=1000,
        settings=settings,
    )
    ids = [c.id for c in found]
    assert ids[0] == "copy" and found[0].score > 1.9  # all bands and all keys
    assert "q" not in ids  # never its own candidate
    assert ids.index("para") < ids.index("edit")  # its rare keys outweigh a quarter of the bands
    assert "noise" not in ids  # one common word: under the minimum key share
    assert any("4,120" in r or "n:4120" in r for r in found[ids.index("para")].reasons)


def test_only_the_best_candidate_limit_are_kept(settings):
    few = replace(settings, candidate_limit=3)
    found = score_candidates("q", {f"a{i}": i for i in range(1, 9)}, 32, [], {}, {}, {}, 0.0, 100, few)
    assert [c.id for c in found] == ["a8", "a7", "a6"]


def test_size_weight_is_one_at_the_mean_and_falls_with_size(settings):
    assert size_weight(150, 150.0, settings) == pytest.approx(1.0)
    assert size_weight(None, 150.0, settings) == pytest.approx(1.0)  # unknown size: neutral
    assert size_weight(75, 150.0, settings) > 1.0 > size_weight(300, 150.0, settings)
    k1, b = settings.candidate_size_k1, settings.candidate_size_b
    assert size_weight(0, 150.0, settings) == pytest.approx((k1 + 1) / (1 + k1 * (1 - b)))  # the most it gives


def test_a_big_article_holding_the_same_rare_keys_ranks_below_a_small_one(settings):
    """A long article holds a few of any summary's words by its length alone."""
    frequency = {"e:harbor": 3, "w:levee": 5, "w:flood": 9}
    rarest = rarest_keys(frequency, 50, settings, counts_itself=False)
    found = score_candidates(
        "q", {}, 32, rarest, frequency,
        shared_keys={"digest": rarest, "story": rarest},
        sizes={"digest": 900, "story": 120},
        mean_size=150.0,
        n=1000,
        settings=settings,
    )
    assert [c.id for c in found] == ["story", "digest"]
    assert found[0].score > 1.0 > found[1].score
    # The minimum share is asked of the share itself: a big article is ranked lower, never dropped for its size.
    alone = score_candidates(
        "q", {}, 32, rarest, frequency, {"digest": ["w:flood"]}, {"digest": 900}, 150.0, 1000, settings
    )
    assert [c.id for c in alone] == ["digest"] and alone[0].score < 0.15
