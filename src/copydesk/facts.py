"""Fact surface forms, in one place: numbers with their bounds, scales and units, money and
percentages, years, calendar words, relative dates, spans of time, quotations, capitalised names and
datelines, and the cue words around them (quantifiers, hedges, negation, comparisons, reporting
verbs, credit lines, vague stand-ins for names).

Alignment anchors (align/anchors.py), the claim check's atoms (check/atoms.py) and the tracing
fingerprint (trace/signals.py) all read facts through these functions, so the three agree: "$5m" is
five million and "a 10m sea wall" ten metres for each of them. Spans are offsets into the given text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date

NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "thousand": "1000",
    "dozen": "12",
}
# Function words: never a name on their own, never a distinctive word.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours said says say told according year years new one two percent people""".split()
)
MONTHS = "january february march april may june july august september october november december".split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
CALENDAR_WORDS = frozenset(MONTHS + WEEKDAYS)
# Every spelling a dateline gives them, lower-case: the name, its first three letters, "sept", "tues", "thurs".
CALENDAR_SPELLINGS = "|".join(
    sorted({w for name in CALENDAR_WORDS for w in (name, name[:3])} | {"sept", "tues", "thurs"}, key=lambda w: (-len(w), w))
)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    value: str  # the normalised value two texts are compared on


@dataclass(frozen=True)
class Quantity(Found):
    amount: float = 0.0  # the number with its scale ("$5m" -> 5e6; "10m" -> 10, a bare m being metres)
    bound: str = "exact"  # exact, about, nearly, up_to, at_least, at_most, over, under
    written: str = "digits"  # digits, words ("twelve") or fraction ("a third")


_BOUNDS = (
    ("about", r"about|around|roughly|approximately|some|an estimated"),
    ("nearly", r"nearly|almost|close to|just short of|just shy of"),  # about, from below
    ("up_to", r"up to|as much as|as many as|as high as"),
    ("over", r"over|more than|above|exceeding|upwards of"),
    ("under", r"under|less than|fewer than|below"),
    ("at_least", r"at least|no fewer than|no less than"),
    ("at_most", r"at most|no more than"),
)
_BOUND_WORDS = "|".join(p for _, p in _BOUNDS)
_SCALES = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_PERCENT = r"(?P<pct>\s*(?:%|per\s?cent|percent))?"
_DIGITS = re.compile(
    rf"(?:\b(?P<bound>{_BOUND_WORDS})\s+)?(?:(?P<cur>[$£€¥]) ?)?(?<![\w.])(?P<num>\d(?:[\d,]*\d)?(?:\.\d+)?)"
    rf"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|m)\b)?{_PERCENT}",
    re.IGNORECASE,
)
_WORDS = re.compile(rf"(?:\b(?P<bound>{_BOUND_WORDS})\s+)?\b(?P<word>{'|'.join(NUMBER_WORDS)})\b{_PERCENT}", re.IGNORECASE)
_OF = re.compile(r"\s+of\b", re.IGNORECASE)
_FRACTIONS = {"a quarter": 0.25, "a third": 0.333, "half": 0.5, "two thirds": 0.667, "three quarters": 0.75}
_FRACTION = re.compile(r"\b(" + "|".join(_FRACTIONS) + r")\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def number_key(amount: float) -> str:
    """4120.0 -> '4120'; 1.50 -> '1.5': one spelling per value."""
    return f"{amount:.6f}".rstrip("0").rstrip(".")


def _bound(word: str | None) -> str:
    if not word:
        return "exact"
    return next(name for name, pattern in _BOUNDS if re.fullmatch(pattern, word.lower()))


def _quantity(m: re.Match[str], amount: float, unit: str, written: str) -> Quantity:
    unit = unit or ("%" if m.groupdict().get("pct") else "")
    return Quantity(m.start(), m.end(), m.group(), number_key(amount) + unit, amount, _bound(m.groupdict().get("bound")), written)


@lru_cache(maxsize=8192)  # the aligner, the tracer and the claim check each read a sentence's numbers
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every number in `text` except years, in order: digits with their bound, currency, scale and
    percent sign ("up to $5m", "18 per cent"), number words ("twelve") and fractions ("a third")."""
    years = {y.start for y in years_named(text)}
    found = []
    for m in _DIGITS.finditer(text):
        scale = (m.group("scale") or "").lower()
        if m.start("num") in years and not (scale or m.group("pct") or m.group("cur")):
            continue  # a year
        digits = float(m.group("num").replace(",", ""))
        if scale == "m" and not m.group("cur"):
            found.append(_quantity(m, digits, "m", "digits"))  # "a 10m sea wall" is ten metres; "$5m" five million
        else:
            found.append(_quantity(m, digits * _SCALES.get(scale, 1.0), "", "digits"))
    for m in _WORDS.finditer(text):
        word = m.group("word").lower()
        if word == "one" and _OF.match(text, m.end()):
            continue  # "one of the worst" counts nothing; "six of the great north faces" counts six
        found.append(_quantity(m, float(NUMBER_WORDS[word]), "", "words"))
    found += [_quantity(m, _FRACTIONS[m.group().lower()], "", "fraction") for m in _FRACTION.finditer(text)]
    return tuple(sorted(found, key=lambda q: q.start))


def years_named(text: str) -> list[Found]:
    """Four-digit years, 1900-2099 ("fiscal year 2022")."""
    return [Found(m.start(), m.end(), m.group(), m.group()) for m in _YEAR.finditer(text)]


def mentions_calendar(text: str) -> bool:
    """Does `text` hold a capitalised month or weekday ("May" the month, not the hedge "may")?"""
    return any(w[:1].isupper() and w.lower() in CALENDAR_WORDS for w in re.findall(r"[A-Za-z]+", text))


# A weekday, unless it is part of a name ("Good Friday", "the Sunday Times", "the Mail on Sunday").
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")s?\b(?!(?-i:\s+[A-Z]))", re.IGNORECASE)


def weekdays_named(text: str) -> list[Found]:
    """"on Tuesday", "Monday's vote": the value is the day's name, lower-cased."""
    found = []
    for m in _WEEKDAY.finditer(text):
        before = text[: m.start()].split()
        if before and before[-1][:1].isupper() and before[-1].lower() not in STOPWORDS:
            continue  # "Good Friday", "Easter Sunday"
        if before[-2:] and " ".join(before[-2:]).lower() == "mail on":
            continue
        found.append(Found(m.start(), m.end(), m.group(), m.group(1).lower()))
    return found


# Relative to the article's date ("last year") or to a year named in the sentence ("a year earlier").
_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
_RELATIVE = {"last year": -1, "a year ago": -1, "this year": 0, "next year": 1, "two years ago": -2,
             **{f"{when} {season}": offset for season in _SEASONS for when, offset in (("last", -1), ("this", 0), ("next", 1))}}
_ANAPHORIC = {"a year earlier": -1, "the previous year": -1, "the year before": -1, "a year later": 1, "the following year": 1}
_RELATIVE.update(_ANAPHORIC)
_RELATIVE_MONTHS = {"last month": -1, "this month": 0, "next month": 1}
_RELATIVE_TIME = re.compile(r"\b(" + "|".join(re.escape(k) for k in (*_RELATIVE, *_RELATIVE_MONTHS)) + r")(?:'s)?\b", re.IGNORECASE)


def relative_years(text: str, published: date | None = None) -> list[Found]:
    """Relative dates as the year they mean ("last year" in a 2022 article: '2022' - 1 = '2021'; "this
    spring": the article's year), a month as the month it means ("last month": '2022-02'), or
    'relative:<offset>' ('relative:month:<offset>') when nothing dates them."""
    named = next((int(y.value) for y in years_named(text)), None)
    found = []
    for m in _RELATIVE_TIME.finditer(text):
        phrase = m.group(1).lower()
        if phrase in _RELATIVE_MONTHS:
            offset = _RELATIVE_MONTHS[phrase]
            if published:
                months = published.year * 12 + published.month - 1 + offset
                value = f"{months // 12}-{months % 12 + 1:02d}"
            else:
                value = f"relative:month:{offset}"
        else:
            anchor = named if phrase in _ANAPHORIC else (published.year if published else None)
            offset = _RELATIVE[phrase]
            value = str(anchor + offset) if anchor is not None else f"relative:{offset}"
        found.append(Found(m.start(), m.end(), m.group(), value))
    return found


UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "decade": 3650}
# Every unit of time a figure can count, spans or not ("over 11 seasons" is no "more than 11").
_TIME_UNIT = re.compile(r"\s*(minutes?|hours?|days?|weeks?|fortnights?|months?|seasons?|years?|decades?)\b", re.IGNORECASE)
_DURATION = re.compile(
    rf"\b(?P<count>a|an|one|\d+|{'|'.join(w for w in NUMBER_WORDS if w not in ('hundred', 'thousand', 'dozen'))}|"
    r"a few|a couple of|few|several|many|some|the|recent|past|following|coming)?\s*"
    rf"(?P<unit>(?:{'|'.join(UNIT_DAYS)})s?)\b",
    re.IGNORECASE,
)


def starts_with_time_unit(text: str) -> bool:
    return bool(_TIME_UNIT.match(text))


def durations(text: str) -> list[Found]:
    """Spans of time ("a fortnight", "11 years", "a few weeks", "the months since"); the value is the
    span in days, or 'few-<unit>' when the text gives no count."""
    return [d for d in (_duration(m) for m in _DURATION.finditer(text)) if d is not None]


def _duration(m: re.Match[str]) -> Found | None:
    unit = m.group("unit").lower().rstrip("s")
    count = (m.group("count") or "").lower()
    singular = m.group("unit").lower() == unit
    following = re.match(r"\s+(after|before|later|earlier|since)\b", m.string[m.end() :], re.IGNORECASE)
    if count in ("", "the") and singular and not (count == "the" and following):
        return None  # a bare singular ("the day he left") is no span; "the week after" is one week
    if count in ("a", "an") and re.search(r"\d\S*\s+(\S+\s+)?$", m.string[: m.start()]):
        return None  # a rate: "£2,100 a year"
    if count in ("a", "an", "one") or (singular and count in ("the", "following", "coming", "past", "recent")):
        days = UNIT_DAYS[unit]
    elif count.isdigit() or count in NUMBER_WORDS:
        days = UNIT_DAYS[unit] * float(count if count.isdigit() else NUMBER_WORDS[count])
    else:
        days = None
    value = f"{days:g}" if days is not None else f"few-{'week' if unit == 'fortnight' else unit}"
    return Found(m.start(), m.end(), m.group().strip(), value)


# Curly, straight, or typewriter-era ``...'' marks (some feeds and tokenized corpora write them).
_DOUBLE_QUOTED = r"“([^”]{3,})”|\"([^\"]{3,})\"|``(.{3,}?)''"
# British papers quote in single marks ('I was surprised,' he said). A single mark opens after a space or
# bracket and closes before a space or punctuation, so apostrophes inside words (don't, Smiths') do not
# end the quotation.
_SINGLE_QUOTED = r"(?:^|(?<=[\s(\[—–-]))[‘'](?!')(\S(?:[^\n]*?\S)?)(?<!')[’'](?=[\s.,;:!?)\]—–-]|$)"
_QUOTED = {False: re.compile(_DOUBLE_QUOTED), True: re.compile(f"{_DOUBLE_QUOTED}|{_SINGLE_QUOTED}")}


_MARKED = re.compile(r"“[^”]*”|(?<![A-Za-z])\"[^\"]*\"")


def marked_spans(text: str) -> list[tuple[int, int]]:
    """Every run between double marks, marks included, of any length and balanced or not: the
    segmenter decides which of them are quotations a sentence cannot end inside."""
    return [(m.start(), m.end()) for m in _MARKED.finditer(text)]


# A lower-cased word with its clitic ("don't", "mayor's"), as the claim check counts words.
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def content_stems(text: str) -> list[str]:
    """Content words cut to five letters, so "convicted" meets "conviction"."""
    return [w[:5] for w in WORD.findall(text.lower()) if len(w) > 3 and w not in STOPWORDS]


# A contraction split off its word, as tokenized corpora write it ("do n't", "I 've").
_SPLIT_CONTRACTION = re.compile(r"\s+(n't|'(?:s|re|ve|ll|d|m))\b")


def quote_key(quote: str) -> str:
    """The words of a quotation, lower-cased, without its marks and punctuation; a curly apostrophe
    reads as a straight one ("don’t" = "don't") and a split contraction as one word ("do n't")."""
    text = _SPLIT_CONTRACTION.sub(r"\1", quote.lower().replace("’", "'"))
    return " ".join(re.findall(r"[a-z0-9']+", text))


def reads_as_title(quoted: str) -> bool:
    """Quoted words mostly capitalised ("Going Clear: Scientology and the Prison of Belief", "Idite
    Lesom"): a title or a name in quotation marks, not someone's words."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", quoted) if w.lower() not in STOPWORDS]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def quotes(text: str, single_marks: bool = True) -> list[Found]:
    """Quotations with their marks; the value is `quote_key` of the quoted words. Without
    `single_marks` only double marks count (the tracing fingerprint's keys, as calibrated)."""
    found = []
    for m in _QUOTED[single_marks].finditer(text):
        key = quote_key(next(g for g in m.groups() if g))
        if len(key) >= 3:
            found.append(Found(m.start(), m.end(), m.group(), key))
    return found


# An opening mark: not the apostrophe of a split contraction ("saddam 's", "we 've").
_OPENING_MARK = re.compile(r"(?:^|(?<=[\s(\[—–-]))(?:[\"“‘]|'(?!(?:s|ve|re|ll|d|m|t)\b))(?=\w)")


def unclosed_quotation(text: str) -> Found | None:
    """A quotation the sentence opens and does not close ("Her page states: 'I am not a professional
    make-up artist nor did I take any lessons." and on into the next sentence): the words after the mark."""
    closed = quotes(text)
    for m in _OPENING_MARK.finditer(text):
        if not any(q.start <= m.start() < q.end for q in closed):
            key = quote_key(text[m.end() :])
            return Found(m.start(), len(text.rstrip()), text[m.start() :].rstrip(), key) if len(key) >= 3 else None
    return None


_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z'’\-]+(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][a-zA-Z'’\-]+)*")


def name_key(text: str) -> str:
    """'The Harbor Institute’s' -> 'harbor institute': a name as the other text is searched for it."""
    text = re.sub(r"['’]s$", "", text.strip(" \t\"'“”‘’.,;:()\\"))
    return re.sub(r"^(the|a|an)\s+", "", text.lower())


# Ways news names one country ("the US", "America", "American officials", "Spain", "Spanish"): a retelling
# may use any of them for another without changing the fact. Written here: the packaged country lists
# (pycountry) carry no demonyms. Names that are also first names or common words ("Jordan", "Georgia",
# "Chad") are left out.
_COUNTRY_FORMS = """
afghanistan, afghan | argentina, argentine, argentinian | australia, australian, australians |
austria, austrian | bangladesh, bangladeshi | belgium, belgian | brazil, brazilian | bulgaria, bulgarian |
canada, canadian, canadians | chile, chilean | china, chinese | colombia, colombian | croatia, croatian |
cuba, cuban | czech republic, czech | denmark, danish | egypt, egyptian | england, english |
ethiopia, ethiopian | finland, finnish | france, french | germany, german, germans | greece, greek |
hungary, hungarian | iceland, icelandic | india, indian | indonesia, indonesian | iran, iranian |
iraq, iraqi | ireland, irish | israel, israeli | italy, italian | japan, japanese | kenya, kenyan |
lebanon, lebanese | libya, libyan | malaysia, malaysian | mexico, mexican | morocco, moroccan |
netherlands, dutch, holland | nigeria, nigerian | norway, norwegian | pakistan, pakistani | peru, peruvian |
philippines, filipino, philippine | poland, polish | portugal, portuguese | qatar, qatari |
romania, romanian | russia, russian, russians | saudi arabia, saudi | scotland, scottish | serbia, serbian |
south africa, south african | south korea, south korean | spain, spanish | sweden, swedish |
switzerland, swiss | syria, syrian | thailand, thai | turkey, turkish | ukraine, ukrainian |
venezuela, venezuelan | vietnam, vietnamese | wales, welsh | yemen, yemeni | zimbabwe, zimbabwean
"""
COUNTRY_NAMES = (
    frozenset({"us", "usa", "united states", "united states of america", "america", "american", "americans"}),
    frozenset({"uk", "britain", "great britain", "united kingdom", "british", "gb"}),
    *(frozenset(form.strip() for form in group.split(",")) for group in _COUNTRY_FORMS.split("|")),
)


# Tokenized corpora write brackets as "-LRB-" / "-RRB-" (and square, curly ones as -LSB-, -LCB-).
_BRACKET_TOKEN = re.compile(r"-[LR][RSC]B-")
COPIED_STRETCH_MIN_WORDS = 5  # shorter word-for-word runs are common phrases, not a copied sentence (set by hand)


@lru_cache(maxsize=4096)
def letters(text: str) -> tuple[str, tuple[int, ...]]:
    """The lower-cased letters and digits of `text`, and where each one stands in it."""
    text = _BRACKET_TOKEN.sub(lambda m: " " * len(m.group()), text)
    kept = [(k, c) for k, c in enumerate(text.lower()) if c.isalnum()]
    return "".join(c for _, c in kept), tuple(k for k, _ in kept)


def copy_key(derived: str) -> str:
    """What `copied_stretch` looks for in the source's `letters`: the sentence's, or nothing when it is too short."""
    words = sum(any(c.isalnum() for c in word) for word in derived.split())
    return letters(derived)[0] if words >= COPIED_STRETCH_MIN_WORDS else ""


def copied_stretch(derived: str, source: str) -> tuple[int, int] | None:
    """Where `derived` stands word for word in `source` (its characters there), whatever the spacing, marks and
    case ("has n't" / "hasn't", "( left )" / "(left)"), if it has at least COPIED_STRETCH_MIN_WORDS words: a
    sentence copied out of a longer unit, as when a crawl glued a caption to the sentence after it."""
    wanted = copy_key(derived)
    text, where = letters(source)
    found = text.find(wanted) if wanted else -1
    if found < 0:
        return None
    start, end = where[found], where[found + len(wanted) - 1] + 1
    if (start and source[start - 1].isalnum()) or (end < len(source) and source[end].isalnum()):
        return None  # part of a word
    return start, end


# A wire dateline opening a story: "LONDON, Sept. 4 (Reuters) - ".
_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'’\-]{2,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{2,40}\))?\s*[-–—]+\s+"
)


def without_dateline(text: str) -> str:
    return _DATELINE.sub("", text, count=1)


def capitalised_runs(text: str) -> list[Found]:
    """Runs of capitalised words as written ("Bank of England", "The Daily Mail")."""
    return [Found(m.start(), m.end(), m.group(), m.group()) for m in _CAPITALISED.finditer(text)]


_FIRST_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def may_name(text: str) -> bool:
    """Whether a sentence of cased text can name anyone: a capital letter after its first word, or a first
    word that is not a function word. The rest ("It was the worst day of the season.") need no name tagger: in the 523
    such sentences of 150 FRANK articles (2,914 sentences), spaCy's NER found only "£4.5bn" (as a person)
    and a lower-case "turkey"."""
    first = _FIRST_WORD.search(text)
    if first is None:
        return False
    return first.group().lower() not in STOPWORDS or any(c.isupper() for c in text[first.end() :])


def names(text: str) -> list[str]:
    """Capitalised names as written, without leading stopwords ("The Harbor Institute" -> "Harbor
    Institute"); a lone capitalised first word is usually just a sentence start and is skipped."""
    found = []
    first = len(text) - len(text.lstrip(" \"'“‘("))
    for run in capitalised_runs(text):
        words = run.text.split()
        if len(words) == 1 and run.start == first:
            continue
        while words and words[0].lower() in STOPWORDS:
            words.pop(0)
        if words and words[-1][-2:] in ("'s", "’s"):
            words[-1] = words[-1][:-2]  # "Rockwell's" names Rockwell
        if words:
            found.append(" ".join(words))
    return found


# Cue words around the facts: quantifiers, hedges, negation, comparisons, reporting verbs, credit lines
# and vague stand-ins for names. The claim check compares them between a retelling and its source.
# Strength order matters for the explanation only; any change of class is a finding.
QUANTIFIERS = {
    "all": "all", "every": "all", "each": "all", "nearly all": "nearly all", "almost all": "nearly all",
    "virtually all": "nearly all", "most": "most", "the majority of": "most", "many": "many",
    "several": "some", "some": "some", "a few": "a few", "few": "few", "none": "none", "no one": "none",
    "only": "only", "all but": "nearly all",
}
# "all over the world", "at all" and "after all" quantify nothing; "some 200" is a bound (quantities).
_QUANTIFIER = re.compile(
    r"(?<!\bat )(?<!\bafter )(?<!\babove )\b(" + "|".join(sorted(QUANTIFIERS, key=len, reverse=True)) + r")\b"
    r"(?!\s+(?:over|along|the same|the way|right)\b)(?=\s+(?:of\s+)?\w)",
    re.IGNORECASE,
)
HEDGES = {
    "could not be confirmed": "unconfirmed", "could not be independently confirmed": "unconfirmed",
    "not been confirmed": "unconfirmed", "unconfirmed": "unconfirmed", "could not be verified": "unconfirmed",
    "unverified": "unconfirmed", "remains unclear": "unclear", "is unclear": "unclear", "unclear": "unclear",
    "unknown": "unclear", "allegedly": "alleged", "alleged": "alleged", "accused of": "alleged",
    "charged with": "alleged", "suspected of": "alleged", "reportedly": "reported", "is believed to": "reported",
    "are believed to": "reported", "was believed to": "reported", "is thought to": "reported", "are thought to": "reported",
    "is said to": "reported", "are said to": "reported", "is understood to": "reported",
    "may": "possible", "might": "possible", "could": "possible", "possibly": "possible", "perhaps": "possible",
    "probably": "likely", "likely": "likely", "expected to": "likely", "certainly": "certain",
    "definitely": "certain", "confirmed": "confirmed",
}
_HEDGE = re.compile(r"\b(" + "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True)) + r")\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(not|no|never|n['’]t|none|neither|nor|without|nobody|nothing|denied|refused|cannot)\b|n['’]t\b", re.IGNORECASE)
COMPARISONS = {
    "less than": "less", "fewer than": "less", "lower than": "less", "cheaper than": "less", "smaller than": "less",
    "more than": "more", "higher than": "more", "greater than": "more", "larger than": "more", "costlier than": "more",
    "instead of": "instead", "rather than": "instead", "twice as": "twice", "half as": "half",
    "compared with": "compared", "compared to": "compared", "as much as": "equal", "the same as": "equal",
}
_COMPARISON = re.compile(r"\b(" + "|".join(COMPARISONS) + r")\b", re.IGNORECASE)
# Comparisons around an adjective: "more comfortable than", "harder than", "every bit as hard as",
# and verbs that say more than ("Dads plan to outspend moms by 63%"; not their past forms, which
# "were outnumbered" makes the opposite).
# The words between may be possessives ("as comfortable in this year's car as"). "as" before a pronoun
# opens a clause ("as he posted the photo dressed as Iron Man"), not an equal comparison; nor does "such as"
# close one ("collaborations as loved by celebrities such as Cara Delevingne").
_BETWEEN = r"(?: [\w'’]+){0,4}?"
_COMPARATIVE = re.compile(
    r"\b(?P<more>out(?:spend|number|sell|score|perform|pace|strip|earn|weigh|rank|poll|vote)(?:s|ing)?|"
    rf"more \w+{_BETWEEN} than|(?!(?:other|rather|under|over|after|later|either|neither|never)\b)\w{{3,}}er than)\b"
    rf"|\b(?P<less>less \w+{_BETWEEN} than)\b"
    rf"|\b(?P<equal>(?:just |every bit |exactly )?as (?!(?:well|soon|long|far|much|many|of|if|though|part|a|an|the|he|she|it|they|we|you|i|his|her|its|their|this|that|these|those|there)\b)\w+{_BETWEEN}(?<!\bsuch) as)\b",
    re.IGNORECASE,
)
REPORTING_VERBS = (
    # Forms that are also common nouns ("claims", "estimates", "notes") are left out.
    "said|says|say|told|tells|added|adds|stated|claimed|argued|argues|warned|warns|urged|urges|"
    "called on|calls on|called for|estimated|insisted|insists|noted|announced|announces|"
    "according to|wrote|writes|believes|believed|accused|accuses|demanded"
)
_ATTRIBUTION = re.compile(rf"\b({REPORTING_VERBS})\b", re.IGNORECASE)
# A credit line names the outlet a retelling took its story from ("..., the Daily Mail reported",
# "according to CNN", "a commentary published by CNN", "the piece explains"): credit, not a changed
# name or a new speaker.
_OUTLET_WORD = (r"(?:Mail|Times|Post|News|Press|Reuters|AP|AFP|CNN|BBC|NBC|CBS|ABC|Fox|NPR|Sky|Guardian|Telegraph|"
                r"Journal|Herald|Tribune|Gazette|Agency|Wire|Bloomberg|Independent|Express|Mirror|Sun|Standard|"
                r"Observer|Chronicle|Magazine|Radio|Television|TV|Online|Politico|Axios)")
_OUTLET = rf"(?:the\s+)?(?:[A-Z][\w.&'’-]*\s+){{0,3}}{_OUTLET_WORD}\b(?:\s+[A-Z][\w.&'’-]*){{0,2}}"
_THE_PIECE = r"(?i:the|this|a|an)\s+(?:piece|article|report|commentary|column|story|op-ed|analysis|editorial)"
_OUTLET_CREDIT = (
    rf"(?i:according to|(?:first |originally )?(?:reported|published) by|in a (?:report|commentary|piece|column|story)"
    rf"(?: published)? (?:by|in|for))\s+{_OUTLET}"
    rf"|{_OUTLET}(?:'s?)?\s+(?:has |had )?(?:reported|reports|said in a report)"
)
_CREDIT = re.compile(
    rf"{_OUTLET_CREDIT}"
    rf"|{_THE_PIECE}\s+(?:\w+\s+)?(?:explains|explained|says|said|notes|noted|argues|argued|reports|reported|adds|added|writes|wrote)"
    rf"|(?i:according to|as)\s+{_THE_PIECE}"
)
_OUTLET_CREDIT_RE = re.compile(_OUTLET_CREDIT)
_VAGUE = re.compile(
    r"\b(several|various|some|many|a number of|multiple|certain|other)\s+(regions?|areas?|places?|countries|cities|towns|"
    r"officials?|experts?|sources?|people|analysts?|critics|residents|organi[sz]ations?|groups?|companies|provinces?|states?)\b"
    r"|\bcountries such as\b|\bexperts say\b|\bobservers\b|\bthe region\b|\bacross the country\b"
    r"|\b(federal|local|state|government|foreign|regional|national|international|overseas|senior)\s+"
    r"(authorities|officials|police|agenc(y|ies)|investigators|sources|officers)\b"
    # An organisation described, not named: "a big cosmetics brand", "a leading retailer" (a lower-case
    # description, so "a Premier League club" is not one).
    r"|\b(a|an)\s+(?-i:[a-z][a-z-]*\s+){1,2}(brand|company|firm|retailer|label|chain|manufacturer|maker|broadcaster|"
    r"newspaper|tabloid|magazine|website|network|charity|bank|airline)\b",
    re.IGNORECASE,
)
# Titles before a name ("Mr Salmond", "President Obama"): not a first name.
HONORIFICS = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend father sister president
    senator sen governor gov general gen captain capt coach chancellor king queen prince princess pope
    saint st judge justice mayor bishop archbishop inspector sergeant sgt detective officer""".split()
)


def person_words(name: str) -> list[str]:
    """A lowercased name's words without dots and without the titles before it ("mr salmond" -> ["salmond"])."""
    words = name.replace(".", "").replace("’", "'").split()
    while words and words[0] in HONORIFICS:
        words = words[1:]
    return words


# Places too broad to stand for a city or country: a town retold as "the Midlands", a Belgian as
# "a European" has been generalised, not swapped for another place.
BROAD_PLACES = frozenset({
    "europe", "european", "asia", "asian", "africa", "african", "middle east", "middle eastern", "latin america",
    "latin american", "south america", "south american", "north america", "north american", "scandinavia",
    "scandinavian", "nordic", "caribbean", "balkan", "balkans", "baltic", "mediterranean", "western", "eastern",
    "west", "midlands", "midwest", "oceania", "arab", "gulf",
})  # as name_key writes them ("the Midlands": midlands)


# Commentary a paraphraser adds: the narrator drawing the story's meaning ("The case highlights the
# challenges ...") or a vague forecast put in unnamed experts' mouths ("Experts say the coming months
# will be crucial ...").
_COMMENTARY = re.compile(
    r"^(?:the|this|that|her|his|their|its|such)\s+(?:[\w'-]+\s+){1,3}?(?:highlights|underlines|underscores|illustrates|"
    r"reflects|demonstrates|serves as a reminder|is a reminder|speaks to)\b"
    r"|^(?:experts|observers|analysts|commentators)\s+(?:say|believe|agree|suggest|expect)\b.*\b(?:will|could|may|are likely to)\b",
    re.IGNORECASE,
)


def reads_as_commentary(text: str) -> bool:
    return bool(_COMMENTARY.search(text.strip()))


def _spans(pattern: re.Pattern[str], text: str, value) -> list[Found]:
    return [Found(m.start(), m.end(), m.group(), value(m)) for m in pattern.finditer(text)]


def quantifiers(text: str) -> list[Found]:
    """"all", "nearly all", "most", "only"...; the value is the class ("all but one" -> nearly all)."""
    return [f for f in _spans(_QUANTIFIER, text, lambda m: QUANTIFIERS[m.group().lower()])
            if not (f.value == "some" and re.match(r"\s+\d", text[f.end:]))]


# "could" before a verb of the senses says what someone was able to perceive ("you could see that I was
# unhappy"), not how sure the claim is.
_PERCEIVED = re.compile(r"\s+(?:(?:clearly|already|still|not)\s+)?(?:see|hear|feel|sense|smell|taste|tell)\b", re.IGNORECASE)


def hedges(text: str) -> list[Found]:
    """"reportedly", "could not be confirmed", "may"...; "May" with a capital is the month, not the hedge."""
    return [f for f in _spans(_HEDGE, text, lambda m: HEDGES[m.group().lower()])
            if not mentions_calendar(f.text) and not (f.text.lower() == "could" and _PERCEIVED.match(text, f.end))]


def negations(text: str) -> list[Found]:
    return _spans(_NEGATION, text, lambda m: "not")


# Words that say the opposite of each other where a retelling keeps the rest ("legalised" / "unlawful", "won" /
# "lost"), each side's forms together ("_" joins the words of one form). Written here: no kept package
# installs WordNet's antonyms offline (nltk and wn download their data). Words with other common senses
# ("last week", "right", "before" and "after" with the order swapped) are left out.
_OPPOSITE_FORMS = """
win wins won winning winner winners | lose loses lost losing loser losers
gain gains gained gaining regain regained | lose loses lost losing
profit profits | loss losses
victory victories | defeat defeats defeated
increase increases increased increasing | decrease decreases decreased decreasing
rise rises rose risen rising | fall falls fell fallen falling
highest | lowest
best | worst
accept accepts accepted accepting | reject rejects rejected rejecting
approve approves approved approving | reject rejects rejected rejecting
accept accepts accepted accepting | turn_down turns_down turned_down turning_down
join joins joined joining | quit quits
start starts started starting | finish finishes finished finishing
convicted | acquitted
born | died
higher | lower
allow allows allowed allowing | ban bans banned banning
legal legalised legalized lawful | illegal unlawful outlawed
guilty | innocent
alive | dead
survived | died
success successful successfully | failure unsuccessful unsuccessfully
passed | failed
positive | negative
maximum | minimum
buy buys bought buying | sell sells sold selling
north northern | south southern
east eastern | west western
largest biggest | smallest
oldest | youngest
older | younger
cheap cheaper cheapest | expensive
strong stronger strongest | weak weaker weakest
rich richer richest | poor poorer poorest
support supports supported supporting | oppose opposes opposed opposing
agree agrees agreed | disagree disagrees disagreed
possible | impossible
charred | uncharred
usual | unusual
"""


def _opposites(table: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for line in filter(None, map(str.strip, table.splitlines())):
        one, other = ({form.replace("_", " ") for form in side.split()} for side in line.split("|"))
        for words, opposite in ((one, other), (other, one)):
            for word in words:
                out.setdefault(word, set()).update(opposite)
    return {word: frozenset(opposite) for word, opposite in out.items()}


OPPOSITES = _opposites(_OPPOSITE_FORMS)
# People named by a role the other text gives someone else ("her son" / "her daughter"): another person; and
# one family event for another.
COUNTERPARTS = _opposites("""
son sons | daughter daughters
husband husbands | wife wives
mother mothers mum | father fathers dad
brother brothers | sister sisters
boy boys | girl girls
man | woman
men | women
boyfriend | girlfriend
grandson | granddaughter
grandmother | grandfather
nephew | niece
uncle | aunt
king | queen
wedding weddings | funeral funerals
""")


def _by_first_word(forms: set[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for form in sorted(forms, key=len, reverse=True):
        out.setdefault(form.split()[0], []).append(form)
    return out


# Each form by its first word, longest first. Looked up word by word: one regular expression of all the
# forms took 60 µs a sentence, the costliest of the claim check's finders.
_OPPOSABLE_BY_FIRST = _by_first_word(OPPOSITES.keys() | COUNTERPARTS.keys())
_LETTER_RUN = re.compile(r"[A-Za-z]+")


def opposable_words(text: str) -> list[Found]:
    """Words of OPPOSITES and COUNTERPARTS ("won", "turned down", "daughter"), lower-cased as the value."""
    found: list[Found] = []
    lowered = text.lower()
    for m in _LETTER_RUN.finditer(lowered):
        if found and m.start() < found[-1].end:
            continue  # inside a form already found ("down" of "turned down")
        for form in _OPPOSABLE_BY_FIRST.get(m.group(), ()):
            end = m.start() + len(form)
            if lowered.startswith(form, m.start()) and not (end < len(text) and text[end].isalnum()):
                found.append(Found(m.start(), end, text[m.start() : end], form))
                break
    return found


# "the first time we have bred a lamb as large" says "we had never before bred a lamb so large".
_FIRST_TIME = re.compile(r"\bfirst(?:[- ]ever)? time\b|\bfirst[- ]ever\b", re.IGNORECASE)


def says_first_time(text: str) -> bool:
    return bool(_FIRST_TIME.search(text))


def comparisons(text: str) -> list[Found]:
    """Fixed phrases ("rather than": instead) and comparatives around an adjective ("harder than": more)."""
    fixed = _spans(_COMPARISON, text, lambda m: COMPARISONS[m.group().lower()])
    around = [f for f in _spans(_COMPARATIVE, text, lambda m: m.lastgroup) if not any(o.start <= f.start < o.end for o in fixed)]
    return [_negated(f, text) for f in fixed + around]


_COMPARISON_NEGATOR = re.compile(r"(?:\bno|\bnot|n['’]t)\s+$", re.IGNORECASE)


def _negated(comparison: Found, text: str) -> Found:
    """"no more rational than" says the opposite of "more rational than": the negator is part of the
    comparison, which reads "not more" (and is no negation of the sentence)."""
    m = _COMPARISON_NEGATOR.search(text, 0, comparison.start)
    if not m or comparison.value not in ("more", "less"):
        return comparison
    return Found(m.start(), comparison.end, text[m.start() : comparison.end], f"not {comparison.value}")


def attributions(text: str) -> list[Found]:
    return _spans(_ATTRIBUTION, text, lambda m: m.group().lower())


# A pronoun as the speaker ("she added", "he later said", "said they"): the words are those of someone
# an earlier sentence named.
_PRONOUN_SPEAKER = re.compile(rf"\b(?:he|she|they)\s+(?:\w+\s+)?(?:{REPORTING_VERBS})\b|\b(?:{REPORTING_VERBS})\s+(?:he|she|they)\b",
                              re.IGNORECASE)


def pronoun_speaker(text: str) -> bool:
    return _PRONOUN_SPEAKER.search(text) is not None


def opens_with_quote(text: str) -> bool:
    """A sentence that starts inside quotation marks ("'His mother must have been relieved.'")."""
    return text.lstrip()[:1] in "\"'“‘«"


def credits(text: str) -> list[Found]:
    return _spans(_CREDIT, text, lambda m: m.group().lower())


def outlet_credits(text: str) -> list[Found]:
    """Credit lines that name an outlet ("..., the Daily Mail reported"), not only "the piece"."""
    return _spans(_OUTLET_CREDIT_RE, text, lambda m: m.group().lower())


def vague_phrases(text: str) -> list[Found]:
    return _spans(_VAGUE, text, lambda m: m.group().lower())
