"""Hard surface forms, read once by copydesk.facts and the same way by its three readers: alignment
anchors, the claim check's atoms and the tracing fingerprint."""

from datetime import date

import pytest

from copydesk import facts
from copydesk.align.anchors import extract
from copydesk.check.atoms import extract_atoms
from copydesk.trace.signals import fact_keys

# text, the claim check's number values, its years, the anchors' numbers, the fingerprint's n:/y: keys
CASES = [
    ("The firm raised $5m in the spring.", {"5000000"}, set(), {"5000000"}, {"n:5000000"}),
    ("It put a $ 10m bounty on his head.", {"10000000"}, set(), {"10000000"}, {"n:10000000"}),  # tokenized text
    ("The town built a 10m sea wall.", {"10m"}, set(), {"10"}, {"n:10"}),
    ("Insurers paid out 5 million euros.", {"5000000"}, set(), {"5000000"}, {"n:5000000"}),
    ("It was one of the worst years on record.", set(), set(), set(), set()),
    ("She climbed all six of the great north faces.", {"6"}, set(), {"6"}, set()),
    ("Officials counted 2,851 ballots.", {"2851"}, set(), {"2851"}, {"n:2851"}),
    ("Spending rose in fiscal year 2022.", set(), {"2022"}, {"2022"}, {"y:2022"}),
    ("Farmers lost a third of their crop.", {"0.333"}, set(), {"0.333"}, set()),
    ("Some 200 people and 18 per cent of homes.", {"200", "18%"}, set(), {"200", "18"}, {"n:200", "n:18"}),
    ("Turnout was 18% in 2021.", {"18%"}, {"2021"}, {"18", "2021"}, {"n:18", "y:2021"}),
    ("Twelve ships sailed; rents are £2,100 a year.", {"12", "2100"}, set(), {"12", "2100"}, {"n:2100"}),
    ("Costs rose 1.50 points.", {"1.5"}, set(), {"1.5"}, {"n:1.5"}),
]


@pytest.mark.parametrize(("text", "numbers", "years", "anchors", "keys"), CASES, ids=[c[0][:30] for c in CASES])
def test_each_reader_reads_a_hard_case_the_same_way(text, numbers, years, anchors, keys):
    atoms = extract_atoms(text)
    assert {a.value for a in atoms if a.kind == "number"} == numbers
    assert {a.value for a in atoms if a.kind == "year"} == years
    assert extract(text).numbers == anchors
    assert {k for k in fact_keys([text]) if k[:2] in ("n:", "y:")} == keys


def test_bounds_and_spans_come_with_each_quantity():
    found = facts.quantities("Up to $5m went to about 200 families, half of them.")
    assert [(q.value, q.bound, q.written) for q in found] == [
        ("5000000", "up_to", "digits"), ("200", "about", "digits"), ("0.5", "exact", "fraction")]
    assert found[0].text == "Up to $5m"


def test_may_the_month_is_no_hedge_and_no_name():
    month = "The vote was held in May, officials said."
    assert not [a for a in extract_atoms(month) if a.kind == "hedge"]
    assert "name:may" not in fact_keys([month])
    assert [a.value for a in extract_atoms("Prices may rise.") if a.kind == "hedge"] == ["possible"]


def test_relative_dates_resolve_against_the_article_or_a_named_year():
    assert [f.value for f in facts.relative_years("Claims rose last year.", date(2022, 3, 1))] == ["2021"]
    assert [f.value for f in facts.relative_years("Claims rose last year.")] == ["relative:-1"]
    assert [f.value for f in facts.relative_years("In 2019 it fell; a year later it rose.")] == ["2020"]
    assert [f.value for f in facts.relative_years("It opened last month and grew this spring.")] == ["relative:month:-1", "relative:0"]
    assert [f.value for f in facts.relative_years("It opened last month.", date(2022, 1, 5))] == ["2021-12"]


def test_spans_of_time_but_not_rates():
    assert [f.value for f in facts.durations("It took 11 years and a fortnight.")] == ["4015", "14"]
    assert facts.durations("Rents are £2,100 a year.") == []
    assert [f.value for f in facts.durations("It lasted a few weeks.")] == ["few-week"]


def test_quotes_in_double_and_single_marks():
    text = "'I was surprised,' he said, calling it \"a very long day\" at the Smiths' farm."
    assert [q.value for q in facts.quotes(text)] == ["i was surprised", "a very long day"]
    assert [q.value for q in facts.quotes(text, single_marks=False)] == ["a very long day"]
    assert [q.value for q in facts.quotes("he was a `` guerilla satirist '' .")] == ["guerilla satirist"]


def test_a_negated_comparison_reads_the_other_way():
    assert [c.value for c in facts.comparisons("It is no more rational than that, and isn't less costly than this.")] == ["not more", "not less"]
    assert [c.value for c in facts.comparisons("It is more rational than that.")] == ["more"]


def test_a_comparison_may_hold_possessives_between_its_words():
    found = facts.comparisons("He feels just as comfortable in this year's car as in last year's.")
    assert [(c.text, c.value) for c in found] == [("just as comfortable in this year's car as", "equal")]
    assert [c.value for c in facts.comparisons("She is more comfortable in her sister’s house than here.")] == ["more"]
    assert [c.text for c in facts.comparisons("Dads outspend moms, though they were outnumbered.")] == ["outspend"]


def test_such_as_closes_no_equal_comparison():
    assert facts.comparisons("It brings collaborations as loved by celebrities such as Cara Delevingne.") == []
    assert [c.text for c in facts.comparisons("He is as loved by fans as his father.")] == ["as loved by fans as"]


def test_a_quotation_left_open_runs_to_the_sentence_end():
    opened = facts.unclosed_quotation("Her page states: 'I am not a make-up artist nor did I take lessons.")
    assert opened is not None and opened.value == "i am not a make up artist nor did i take lessons"
    assert opened.text.startswith("'I am")
    assert facts.unclosed_quotation("'I was surprised,' he said.") is None  # closed
    assert facts.unclosed_quotation("The Smiths' farm and the Joneses' barn burned.") is None  # possessives


def test_capitalised_quoted_words_read_as_a_title_not_as_speech():
    assert facts.reads_as_title('"Going Clear: Scientology, Hollywood, and the Prison of Belief"')
    assert facts.reads_as_title("'Idite Lesom'")
    assert not facts.reads_as_title('"We did not know what was coming, the Prime Minister said"')
    assert not facts.reads_as_title('"Brexit"')  # one word: too little to tell


def test_names_drop_a_sentence_start_and_a_possessive():
    assert facts.names("The Harbor Institute's report reached Grace Okafor.") == ["Harbor Institute", "Grace Okafor"]
    assert facts.names("Okafor told reporters.") == []
    assert facts.mentions_calendar("Monday") and not facts.mentions_calendar("may")


def test_a_credit_line_names_an_outlet_or_only_the_piece():
    text = "The plan was dropped, the Daily Mail reported. The piece explains why. Sales fell, according to CNN."
    assert [f.text for f in facts.credits(text)] == ["the Daily Mail reported", "The piece explains", "according to CNN"]
    assert [f.text for f in facts.outlet_credits(text)] == ["the Daily Mail reported", "according to CNN"]


def test_negations_with_curly_or_straight_apostrophes():
    assert [n.text for n in facts.negations("He didn’t know and can't say.")] == ["n’t", "n't"]


def test_commentary_is_told_from_reporting():
    assert facts.reads_as_commentary("The remarkable arrival highlights the surprises lambing season can bring.")
    assert facts.reads_as_commentary("Experts say the coming months will be crucial for the market.")
    assert not facts.reads_as_commentary("Experts found traces of the virus in the water.")  # a finding, no forecast
    assert not facts.reads_as_commentary("The report shows unemployment rose.")


def test_opposites_go_both_ways_and_are_read_as_written():
    assert "lost" in facts.OPPOSITES["won"] and "won" in facts.OPPOSITES["lost"]
    assert [(f.text, f.value) for f in facts.opposable_words("Labour Won, the Tories LOST.")] == [("Won", "won"), ("LOST", "lost")]


def test_a_weekday_in_a_name_is_no_date():
    assert [f.value for f in facts.weekdays_named("On Monday, the vote was held; Tuesday's result followed.")] == ["monday", "tuesday"]
    assert facts.weekdays_named("Good Friday services, the Sunday Times and the Mail on Sunday") == []
