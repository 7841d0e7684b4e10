from hypothesis import given, strategies as st

from copydesk.trace.signals import (
    fact_keys,
    lsh_buckets,
    minhash,
    minhash_similarity,
    rank_correlation,
    shingle_jaccard,
    shingles,
)

TEXT = "Insurers in Lower Vasland handled 4,120 claims for flood damage in 2021, the Harbor Institute said."


def test_shingles_are_word_ngrams_ignoring_case_and_punctuation():
    assert shingles("The cat, the HAT.", 2) == ["the cat", "cat the", "the hat"]
    assert shingles("one two", 5) == ["one two"]
    assert shingles("", 5) == []


def test_jaccard_and_minhash_agree(settings):
    edited = TEXT.replace("handled", "processed")
    exact = shingle_jaccard(TEXT, edited, 5)
    assert 0 < exact < 1
    assert shingle_jaccard(TEXT, TEXT, 5) == 1.0
    est = minhash_similarity(minhash(TEXT, settings), minhash(edited, settings))
    assert abs(est - exact) < 0.2
    assert minhash_similarity(minhash(TEXT, settings), minhash("Something else entirely about dikes and rain in Kessa", settings)) < 0.1


def test_identical_texts_share_every_bucket_and_buckets_fit_sqlite(settings):
    a = lsh_buckets(minhash(TEXT, settings), settings.lsh_bands)
    b = lsh_buckets(minhash(TEXT, settings), settings.lsh_bands)
    assert a == b and len(a) == settings.lsh_bands and len(set(a)) == settings.lsh_bands
    assert all(0 <= x < 2**63 for x in a)


def test_fact_keys_keep_numbers_names_years_and_quotes():
    keys = fact_keys([TEXT, '"Families deserve to know the risk," Finance Minister Tomas Berg said on Tuesday.'])
    assert {"n:4120", "y:2021", "name:lower vasland", "name:harbor institute"} <= keys
    assert "q:families deserve to know the risk" in keys
    assert "name:finance minister tomas berg" in keys
    # Calendar words, sentence-initial words and small bare numbers are not distinctive.
    assert "name:tuesday" not in keys and "name:insurers" not in keys
    assert not any(k.startswith("n:") and float(k[2:]) < 10 for k in fact_keys(["He had 3 dogs and 1,200 sheep."]))


def test_fact_keys_normalise_numbers_written_differently():
    assert "n:212000000" in fact_keys(["They paid 212 million crowns."])
    assert "n:212000000" in fact_keys(["They paid 212,000,000 crowns."])


def test_rank_correlation():
    assert rank_correlation([(0, 0), (1, 1), (2, 2), (3, 3)]) == 1.0
    assert rank_correlation([(0, 3), (1, 2), (2, 1), (3, 0)]) == -1.0
    assert rank_correlation([(0, 5)]) == 1.0
    assert rank_correlation([(0, 1), (1, 0)]) == -1.0


@given(st.lists(st.integers(0, 50), min_size=3, max_size=20))
def test_rank_correlation_is_bounded(positions):
    value = rank_correlation(list(enumerate(positions)))
    assert -1.0 - 1e-9 <= value <= 1.0 + 1e-9  # NaN fails too


def test_containment_is_the_share_of_the_derived_texts_shingles_in_the_source():
    from copydesk.trace.signals import containment

    source = "the council approved the flood wall on tuesday"
    assert containment("the council approved it", source, 3) == 0.5  # "the council approved" of two
    assert containment("nothing in common here", source, 3) == 0.0
    assert containment("", source, 3) == 0.0
