from hypothesis import given
from hypothesis import strategies as st

from copydesk.ingest.normalize import normalize


def test_clean_text_is_identity_with_exact_map():
    norm = normalize("Plain text, nothing to fix.")
    assert norm.clean == "Plain text, nothing to fix."
    assert norm.starts[5] == 5 and norm.ends[5] == 6


def test_mojibake_is_repaired_and_maps_to_the_broken_token():
    text = "The minister\u00e2\u20ac\u2122s plan costs \u00e2\u201a\u00ac5m."
    norm = normalize(text)
    assert "minister\u2019s" in norm.clean
    k = norm.clean.index("minister")
    # The repaired token maps back onto the whole original token.
    start, end = norm.starts[k], norm.ends[k + len("minister\u2019s") - 1]
    assert text[start:end] == "minister\u00e2\u20ac\u2122s"


def test_crlf_and_odd_spaces_fold_but_offsets_stay_in_original():
    text = "First line.\r\nSecond\u00a0line."
    norm = normalize(text)
    assert norm.clean == "First line.\nSecond line."
    k = norm.clean.index("Second")
    assert text[norm.starts[k] : norm.ends[k + 5]] in ("Second", "Second\u00a0line.")


@given(st.text(alphabet=st.sampled_from(list("ab \n\r\u00a0\u00e2\u20ac\u2122.\u200b\ufeffé")), max_size=60))
def test_map_is_monotonic_and_in_bounds(text):
    norm = normalize(text)
    assert len(norm.starts) == len(norm.clean) == len(norm.ends)
    for a, b in zip(norm.starts, norm.ends):
        assert 0 <= a < b <= len(text)
    assert list(norm.starts) == sorted(norm.starts)
