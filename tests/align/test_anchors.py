from copydesk.align.anchors import extract, overlap, rare_vocabulary


def test_numbers_normalise_across_forms():
    a = extract("Payouts totalled 212 million crowns and 4,120 claims; costs rose 1.50 points.")
    assert {"212000000", "4120", "1.5"} <= a.numbers


def test_number_words_count():
    assert "2" in extract("Two storms hit the coast.").numbers


def test_short_names_match_full_names_and_sentence_start_is_not_a_name():
    a = extract("Grace Okafor said the report was late.")
    b = extract("Okafor told reporters the report was late.")
    assert "okafor" in a.names and "grace" in a.names
    assert "okafor" not in b.names  # a lone first word is not taken as a name
    assert "okafor" in extract("The report, Okafor said, was late.").names


def test_overlap_is_dice_and_lists_shared():
    a = extract("Insurers received 4,120 claims in 2021, the Vasland council said.")
    b = extract("The Vasland council counted 4,120 claims in 2021.")
    c = extract("Farmers in Kessa lost a third of their crop.")
    score_ab, shared = overlap(a, b)
    assert {"4120", "2021", "vasland"} <= set(shared)
    assert score_ab > overlap(a, c)[0]
    assert 0.0 <= score_ab <= 1.0


def test_rare_vocabulary_drops_words_in_many_texts():
    texts = ["the harbor strike ended"] * 8 + ["dockworkers harbor celebrated", "another harbor thing"]
    rare = rare_vocabulary(texts)
    assert "dockworkers" in rare and "harbor" not in rare
