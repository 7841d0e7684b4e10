from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from copydesk.ingest import document_from_text
from copydesk.segment import segment


def sentences(text: str) -> list[str]:
    return [s.text for s in segment(document_from_text(text)).sentences]


def test_abbreviations_and_initials_do_not_split():
    text = "The U.S. Department of Labor said on Sept. 5 that Mr. Smith of Acme Corp. in St. Louis agreed with J. Doe at 3 p.m. on Tuesday. It ended."
    assert sentences(text) == [
        "The U.S. Department of Labor said on Sept. 5 that Mr. Smith of Acme Corp. in St. Louis agreed with J. Doe at 3 p.m. on Tuesday.",
        "It ended.",
    ]


def test_dotted_acronym_ends_a_sentence_before_a_sentence_starter():
    assert sentences("Prices rose in the U.S. The rise was small.") == ["Prices rose in the U.S.", "The rise was small."]


def test_tokenized_text_splits_at_detached_marks_even_before_lowercase():
    # Lowercased, tokenized summaries (FRANK's system outputs): the mark stands apart from its word.
    text = "the macaque was found in tibet . the monkey has a rounded face . is it new ? yes , he is world no . 1 ."
    assert sentences(text) == [
        "the macaque was found in tibet .", "the monkey has a rounded face .", "is it new ?", "yes , he is world no . 1 .",
    ]
    assert sentences("say yes or no ? he asked .") == ["say yes or no ?", "he asked ."]  # "no." abbreviates; "no ?" does not
    assert sentences("Prices rose in the spring. the rise was small.") == ["Prices rose in the spring. the rise was small."]


def test_quotation_with_inner_sentences_stays_whole():
    text = '"We will not stop. Not now," said Grace Okafor. She left.'
    assert sentences(text) == ['"We will not stop. Not now," said Grace Okafor.', "She left."]


def test_lines_are_boundaries_and_headlines_are_sentences():
    assert sentences("Port strike ends\nThe strike ended today. Workers cheered!\nWhy? Nobody knows.") == [
        "Port strike ends",
        "The strike ended today.",
        "Workers cheered!",
        "Why?",
        "Nobody knows.",
    ]


def test_decimals_and_money_do_not_split():
    assert sentences("It grew 4.5% to $1.2 billion, i.e. more than expected. Fine.") == [
        "It grew 4.5% to $1.2 billion, i.e. more than expected.",
        "Fine.",
    ]


def test_boilerplate_lines_are_marked_and_not_sentences():
    text = "\n".join(
        [
            "The strike ended on Tuesday.",
            "Opinions expressed here are not those of the publisher.",
            "Related stories: Port strike timeline",
            "Read more: what the deal means",
            "Share this article on Facebook",
            "Sign up for our daily newsletter",
            "Photo: Jane Doe/Harbor Times",
            "https://cdn.example.com/img/strike.jpg",
            "Reporting by Lena Marsh; Editing by Paul Weir",
            "Workers returned on Wednesday.",
        ]
    )
    seg = segment(document_from_text(text))
    assert [s.text for s in seg.sentences] == ["The strike ended on Tuesday.", "Workers returned on Wednesday."]
    reasons = [b.reason for b in seg.boilerplate]
    assert reasons == ["disclaimer", "navigation", "navigation", "share", "newsletter", "image", "image", "credit"]
    for b in seg.boilerplate:
        assert text[b.start : b.end] == b.text


def test_story_sentence_mentioning_newsletter_is_not_boilerplate():
    text = "The union said its members had read the company newsletter before voting to strike on Monday."
    assert segment(document_from_text(text)).boilerplate == ()


_PIECES = st.sampled_from(
    [
        "The U.S. said so.", " ", "\n", "\r\n", '"Stop. Now," he said.', "Mr. Okafor", "\u00a0", "4.5%",
        "caf\u00e9", "minister\u00e2\u20ac\u2122s", "\u200b", "Read more: x", "Why?", "\u201cYes.\u201d", "J. Doe", "end.",
    ]
)


@hsettings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=25).map("".join))
def test_every_span_slices_the_original_text_exactly(text):
    if not text.strip():
        return
    seg = segment(document_from_text(text))
    for s in seg.sentences:
        assert seg.document.text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text
    for b in seg.boilerplate:
        assert seg.document.text[b.start : b.end] == b.text
    spans = sorted([(s.start, s.end) for s in seg.sentences] + [(b.start, b.end) for b in seg.boilerplate])
    for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
        assert b1 <= a2, "spans must not overlap"


def test_chinese_and_arabic_sentences_are_split():
    """Chinese ends a sentence with 。！？ and no space; Arabic has no capitals after its full stops."""
    from copydesk.ingest import document_from_text
    from copydesk.segment import segment

    chinese = "北京市政府周二宣布，新机场将于明年开放。官员说，该项目耗资三百亿元。居民对此表示欢迎！"
    assert [s.text for s in segment(document_from_text(chinese, format="text")).sentences] == [
        "北京市政府周二宣布，新机场将于明年开放。", "官员说，该项目耗资三百亿元。", "居民对此表示欢迎！"]
    arabic = "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة. وقال الوزير إن المشروع سيكلف مليار دولار. هل سينجح؟ لا أحد يعرف."
    assert len(segment(document_from_text(arabic, format="text")).sentences) == 4
    # Latin text keeps needing a capital after the full stop.
    assert len(segment(document_from_text("The mayor spoke. then he left.", format="text")).sentences) == 1
