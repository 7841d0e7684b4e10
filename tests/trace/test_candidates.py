"""Candidate scoring, apart from any store: bands plus idf-weighted rare keys, capped postings."""

from dataclasses import replace

from copydesk.trace.candidates import posting_cap, rarest_keys, score_candidates


def test_posting_cap_grows_with_the_library_then_stops(settings):
    assert posting_cap(100, settings) == settings.key_min_cap
    assert posting_cap(60_000, settings) == 600
    assert posting_cap(10_000_000, settings) == settings.key_max_cap


def test_rarest_keys_skip_common_ones_and_keep_the_rarest_first(settings):
    few = replace(settings, candidate_query_keys=2)
    frequency = {"n:4120": 2, "w:flood": 9, "y:2021": 500, "e:harbor": 1, "gone": 0}
    assert rarest_keys(frequency, cap=50, settings=few) == ["e:harbor", "n:4120"]
    assert "y:2021" not in rarest_keys(frequency, cap=50, settings=settings)


def test_rarest_keys_stop_when_their_postings_would_pass_the_budget(settings):
    frequency = {"e:harbor": 1, "n:4120": 2, "w:flood": 40, "w:levee": 45}
    assert rarest_keys(frequency, cap=50, settings=replace(settings, candidate_posting_budget=43)) == [
        "e:harbor", "n:4120", "w:flood"]
    assert rarest_keys(frequency, cap=50, settings=replace(settings, candidate_posting_budget=42)) == [
        "e:harbor", "n:4120"]


def test_scores_add_bands_and_rare_keys_and_rank_best_first(settings):
    frequency = {"e:harbor": 1, "n:4120": 2, "w:flood": 400}
    rarest = rarest_keys(frequency, 50, settings)
    found = score_candidates(
        "q",
        bucket_counts={"copy": 32, "q": 32, "edit": 8},
        bands=32,
        rarest=rarest,
        frequency=frequency,
        shared_keys={"copy": rarest, "para": ["n:4120", "e:harbor"], "noise": ["w:flood"]},
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
    found = score_candidates("q", {f"a{i}": i for i in range(1, 9)}, 32, [], {}, {}, 100, few)
    assert [c.id for c in found] == ["a8", "a7", "a6"]
