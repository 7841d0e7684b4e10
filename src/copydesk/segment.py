"""Split a document into boilerplate lines and story sentences.

Works on the clean text and maps every span back to the original, so
`document.text[s.start:s.end] == s.text` for every sentence.
"""

from __future__ import annotations

import re

from copydesk.facts import CALENDAR_SPELLINGS, marked_spans
from copydesk.models import Boilerplate, Document, SegmentedDocument, Sentence

# One word of a dateline or timestamp: "06/04/2015", "21h57", "10:23", "3rd", "April", "GMT", "updated".
_TIMESTAMP_WORD = (rf"(\d{{1,4}}([/.:h-]\d{{1,4}}){{0,2}}(st|nd|rd|th)?|{CALENDAR_SPELLINGS}|[ap]\.?m\.?|"
                   r"gmt|bst|utc|est|edt|cst|cdt|pst|pdt|cet|cest|et|published|updated|last|posted|on|at|ago|"
                   r"hours?|minutes?|mins?|days?)\b\.?")
# A line made of such words only, with at least one digit: "PUBLISHED: 10:23 EST, 3 April 2015 | UPDATED: ...".
_TIMESTAMP = rf"(?=.*\d)\s*{_TIMESTAMP_WORD}([\s,|:\-–—]+{_TIMESTAMP_WORD})*\s*"
# "By Lena Marsh", "By Lena Marsh and Paul Weir, Political Correspondent", "By DAILY MAIL REPORTER".
_NAME = r"(?-i:[A-Z][\w'’.-]*)"
_BYLINE = rf"by\s+{_NAME}(\s+{_NAME}){{0,3}}((\s*,\s*|\s+(and|&)\s+){_NAME}(\s+[\w'’.-]+){{0,3}}){{0,3}}\s*"

# Lines that are not the story. Each pattern is matched against a whole (stripped) line. They are
# anchored on what only boilerplate says ("Share this article", "Copyright 2015", "do not reflect the
# views of"), so story lines that start with the same word ("Share prices fell", "Related charges were
# filed", "Copyright lawyers say", "The figure does not reflect the full cost") stay story.
_SEPARATOR = r"(\s*[:|>»\-–—].{0,200})?\s*$"  # "Related: ...", "Read more » ...", or nothing after
BOILERPLATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        ("disclaimer", r"^.{0,40}(opinions?|views?)( and views)? expressed (here|in this|herein|are).{0,200}$"),
        ("disclaimer", r"^.{0,60}(does not|do not|doesn'?t) (necessarily )?(reflect|represent) (the )?(views?|opinions?|position|policy|official).{0,160}$"),
        ("disclaimer", r"^\s*(disclaimer|editor'?s note)\s*:.*$"),
        ("disclaimer", r"^.{0,80}(this (article|content|story) (was|has been|is) )(generated|written|produced|created) (with|by|using).{0,120}$"),
        ("navigation", r"^(related( stories| articles| coverage| news| content| links| topics)?|more (stories|from \w+( \w+)?|on this( story)?)|you may also like|recommended( for you)?|trending( now)?|most (read|popular)|also read|see also)" + _SEPARATOR),
        ("navigation", r"^(read (more|also|next)|read the full (story|article)|continue reading|click here|full story)\b.{0,200}$"),
        ("navigation", r"^read\s*:\s.{0,200}$"),  # "READ: United must keep De Gea, insists Neville": a link
        ("share", r"^(share( this)?( (article|story|page|post))?( (on|via) (facebook|twitter|x|whatsapp|linkedin|email|reddit))?|tweet( this)?|follow us( on \w+)?|like us on \w+|email this( (article|story))?|print this( (article|story|page))?)" + _SEPARATOR),
        ("newsletter", r"^.{0,40}(sign up|subscribe)\b.{0,40}\b(our|free|here|now|today)\b.{0,40}(newsletter|updates|inbox|alerts|email).{0,120}$"),
        ("newsletter", r"^.{0,40}\b(our|your)\b.{0,30}newsletter.{0,80}(sign up|subscribe|inbox|delivered).{0,80}$"),
        ("image", r"^\s*(\(?(photo|image|picture|pic|credit|photograph|illustration)s?( credit)?\s*[:/(].{0,160})$"),
        ("image", r"^\s*\S+\.(jpe?g|png|gif|webp|svg)(\?\S*)?\s*$"),
        ("image", r"^.{0,120}\((getty images|reuters|ap photo|afp|epa|shutterstock)[^)]*\)\s*$"),
        ("link", r"^\s*(https?://|www\.)\S+\s*$"),
        ("advertisement", r"^\s*(advertisement|sponsored( content)?|ad|promoted)\s*$"),
        ("copyright", r"^\s*(©|\(c\)|copyright\s*(©|\(c\)|\d{4})).{0,160}$"),
        ("copyright", r"^.{0,120}all rights reserved\.?\s*$"),
        ("credit", r"^\s*((additional )?reporting|writing|editing|compiled) by\b.{0,200}$"),
        ("credit", r"^\s*this (story|article|report) (is based on|was (first|originally) (published|reported)|first appeared|originally appeared).{0,200}$"),
        ("tags", r"^\s*(tags|topics|filed under)\s*:.{0,200}$"),
        ("timestamp", r"^" + _TIMESTAMP + r"$"),
        ("byline", r"^" + _BYLINE + r"$"),
    )
)
# Page furniture that a crawl glues to the line it stood above: a media player's notice ("Media
# playback is not supported on this deviceThe American, 32, ...") and a share bar ("Share this
# withEmailFacebook...Copy this linkCuadrilla, the firm ..."), which wrapped text may break across
# lines ("...LinkedinCopy\nthis linkMr Schmidt told ..."). Set aside; the rest of the line stays story.
LEADING_CHROME = re.compile(
    r"^[ \t]*(media playback is (not supported|unsupported) on (this|your) device\.?"
    r"|share this with\s*((email|facebook|messenger|twitter|pinterest|whatsapp|linkedin|reddit)\s*)+copy\s+this\s+link)\s*",
    re.IGNORECASE | re.MULTILINE,
)
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres supt insp
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    inc corp co ltd llc plc bros dept univ assn est approx vs etc al fig no nos vol pp ch art sec
    ave blvd rd hwy mph km kg lb lbs oz ft min max tel ext""".split()
)
# Words that, after a dotted acronym such as "U.S.", show a new sentence started.
_SENTENCE_STARTERS = frozenset(
    "the a an it he she they we i but this these those there his her their its however meanwhile".split()
)
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
# Latin and Arabic (؟ ۔) ends need a space after them; Chinese and Japanese write none (。！？).
_END = re.compile(
    r"[.!?…؟۔]+[" + re.escape(_CLOSERS) + r"]*(?=\s+)|[。！？]+[" + re.escape(_CLOSERS) + r"」』）]*"
)
_DOTTED_ACRONYM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.$")
_DETACHED_STOP_AFTER = re.compile(r"([A-Za-z]+)\s+\.$")


# Chrome: a block of short lines at the top or bottom of a page (site name, section word, timestamp,
# byline) is chrome when one of its lines is a timestamp or a byline; alone, a short line may be a headline.
_CHROME_BLOCK_LINES = 6
_CHROME_LINE_WORDS = 8  # a chrome line has at most this many words
_CHROME_MARKERS = ("timestamp", "byline")


def _line_reason(stripped: str) -> str | None:
    return next((reason for reason, pattern in BOILERPLATE_PATTERNS if pattern.match(stripped)), None)


def _is_short_line(stripped: str) -> bool:
    return len(stripped.split()) <= _CHROME_LINE_WORDS and not stripped.endswith((".", "!", "?", ".\"", ".”", ":"))


def _chrome_block(lines: list[tuple[int, int, str, str | None]]) -> list[tuple[int, int, str, str | None]]:
    """The leading run of short lines, when it holds a timestamp or byline (and is not the whole text)."""
    block = []
    for line in lines:
        if not _is_short_line(line[2]) or len(block) == _CHROME_BLOCK_LINES:
            break
        block.append(line)
    if len(block) == len(lines) or not any(reason in _CHROME_MARKERS for *_, reason in block):
        return []
    return block


def find_boilerplate(clean: str) -> list[tuple[int, int, str]]:
    """[start, end, reason] of boilerplate lines in the clean text."""
    lines = []  # (start, end, stripped text, reason) of each non-blank line
    notices = []  # chrome glued before a story line
    glued = [m.span() for m in LEADING_CHROME.finditer(clean)]
    pos = 0
    for line in clean.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            end = start + len(stripped)
            chrome_end = next((b for a, b in glued if a <= start < b), start)
            if chrome_end >= end:
                reason = "chrome"
            else:
                if chrome_end > start:
                    notices.append((start, start + len(clean[start:chrome_end].rstrip()), "chrome"))
                    stripped = clean[chrome_end:end]
                    start = chrome_end
                reason = _line_reason(stripped)
            lines.append((start, end, stripped, reason))
        pos += len(line) + 1
    chrome = {line[0] for line in _chrome_block(lines) + _chrome_block(lines[::-1])}
    return sorted(notices + [(a, b, "chrome" if a in chrome and reason is None else reason)
                             for a, b, _, reason in lines if reason is not None or a in chrome])


def _is_boundary(text: str, end: int, next_start: int) -> bool:
    """Does the sentence-final punctuation ending at `end` close a sentence?"""
    # Only the last few characters matter; slicing keeps the split linear in the text.
    head = text[max(0, end - 40) : end].rstrip(_CLOSERS)
    nxt = text[next_start : next_start + 30]
    if not nxt:
        return True
    first = nxt[0]
    if len(head) >= 2 and head[-2].isspace():
        # A detached mark, as tokenized text writes it ("in tibet . the monkey has"), ends a sentence
        # unless it is an abbreviation's full stop ("world no . 1"; "yes or no ? he asked" ends one).
        word = _DETACHED_STOP_AFTER.search(head)
        return not (word and word.group(1).lower() in ABBREVIATIONS)
    if head.endswith("."):
        if _INITIAL.search(head):
            return False  # "J. Smith"
        if _DOTTED_ACRONYM.search(head):
            word = re.match(r"[A-Za-z]+", nxt)
            return bool(word) and word.group().lower() in _SENTENCE_STARTERS
        word = _WORD_BEFORE.search(head)
        if word and word.group(1).lower() in ABBREVIATIONS:
            return False
    caseless = first.isalpha() and not first.isupper() and not first.islower()  # Chinese, Arabic, Hebrew…
    return first.isupper() or caseless or first.isdigit() or first in _OPENERS or first in "-–—「『"


# A full stop, ? or ! with no space before the next sentence, as crawls glue paragraphs: "hiding.For",
# "got.”We", "licences.'This", "heroes?Overall", "'services'.One". The mark follows a word, a figure,
# a bracket or a closing quote, and a capital (or an opening quote) follows. Initials and dotted
# acronyms ("J.K.Rowe", "U.S.Army") are left alone in glue_points.
_GLUE = re.compile(r"(?<=[A-Za-z0-9%)\]\"'”’])[.!?]+(?P<closers>[\"'”’»)\]]*)(?=[\"'“‘«]?[A-Z])")
_INITIAL_OR_ACRONYM = re.compile(r"(?:^|[\s(\"'“‘])(?:[A-Za-z]\.)*[A-Za-z]$")
_URL_TOKEN = re.compile(r"(://|www\.|@|\.(com|org|net|gov|edu|co|uk|io)\b)", re.IGNORECASE)


def _open_straight_quote(text: str, start: int, pos: int, mark: str) -> bool:
    """Is a straight `mark` quotation open at `pos`, counting from `start`? Apostrophes inside
    words ("didn't") are not quote marks."""
    depth = 0
    for m in re.finditer(re.escape(mark), text[start:pos]):
        i = start + m.start()
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if mark == "'" and before.isalnum() and after.isalnum():
            continue
        if before.isspace() or before in "([{—–-:" or i == start:
            depth += 1
        elif depth:
            depth -= 1
    return depth > 0


def glue_points(clean: str, start: int, end: int) -> list[int]:
    """Where one sentence ends and the next begins, wherever crawling lost the space between them."""
    points = []
    piece_start = start
    for m in _GLUE.finditer(clean, start, end):
        token_end = clean.find(" ", m.end(), end)
        if _URL_TOKEN.search(clean[clean.rfind(" ", start, m.start()) + 1 : token_end if token_end >= 0 else end]):
            continue  # "www.BBC.co.uk", "news@BBC.com"
        if m.group()[0] == "." and _INITIAL_OR_ACRONYM.search(clean[max(start, m.start() - 20) : m.start()]):
            continue  # "J.K.Rowe", "U.S.Army"
        word = _WORD_BEFORE.search(clean[max(start, m.start() - 20) : m.start() + 1])
        if m.group()[0] == "." and word and word.group(1).lower() in ABBREVIATIONS:
            continue  # "Mr.Smith"
        stop = m.end()
        closers = m.group("closers")
        # A straight quote between the mark and the capital closes the sentence before it when a
        # quotation is open there, and otherwise opens the next sentence.
        if closers and closers[-1] in "\"'" and not _open_straight_quote(clean, piece_start, m.end() - 1, closers[-1]):
            stop -= 1
        points.append(stop)
        piece_start = stop
    return points


def split_sentences(clean: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within clean[start:end] (one paragraph or line).

    Glued sentences ("hiding.For") are split first (`glue_points`). A quotation that opens and
    closes in the paragraph is kept whole: '"We will not stop. Not now," she said.' is one
    sentence; a quote mark that does not open or close a quotation protects nothing.
    """
    spans = []
    piece_start = start
    for stop in glue_points(clean, start, end):
        spans += split_piece(clean, piece_start, stop)
        piece_start = stop
    return spans + split_piece(clean, piece_start, end)


def split_piece(clean: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within a piece that has no glued boundary left: the base split."""
    spans = []
    sent_start = start
    quoted = _quoted_ranges(clean, start, end)
    for match in _END.finditer(clean, start, end):
        stop = match.end()
        if any(a < stop < b for a, b in quoted):
            continue
        next_start = stop
        while next_start < end and clean[next_start].isspace():
            next_start += 1
        if next_start >= end:
            break
        if _is_boundary(clean, stop, next_start):
            spans.append((sent_start, stop))
            sent_start = next_start
    if clean[sent_start:end].strip():
        spans.append((sent_start, end))
    return spans


def _quoted_ranges(clean: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quotations that really open and close: the opening mark follows a space, a bracket or the
    start, and the closing mark is followed by a space, punctuation or the end. An unbalanced mark
    pairs with the next quotation's opening mark, which fails the closing test, so it protects nothing."""
    ranges = []
    for a, b in marked_spans(clean[start:end]):
        a, b = start + a, start + b
        before = clean[a - 1] if a > start else " "
        after = clean[b] if b < end else " "
        if b - a < 600 and (before.isspace() or before in "([{—–-:") and not after.isalnum():
            ranges.append((a, b - 1))
    return ranges


def segment(document: Document) -> SegmentedDocument:
    clean = document.clean
    boiler = find_boilerplate(clean)
    boiler_starts = {s: (e, r) for s, e, r in boiler}
    sentences: list[Sentence] = []
    pos = 0
    for line in clean.split("\n"):
        lead = len(line) - len(line.lstrip())
        line_start, line_end = pos + lead, pos + len(line.rstrip())
        pos += len(line) + 1
        if line_start in boiler_starts and boiler_starts[line_start][0] < line_end:  # a notice glued to the line
            after = boiler_starts[line_start][0]
            line_start = after + len(clean[after:line_end]) - len(clean[after:line_end].lstrip())
        if line_start >= line_end or line_start in boiler_starts:
            continue
        spans: list[tuple[int, int]] = []
        for a, b in split_sentences(clean, line_start, line_end):
            # A split with no space may fall inside a stretch that normalisation rewrote as a whole
            # (mojibake repair); the two halves would then share original text, so they stay one.
            if spans and document.to_text_span(a, b)[0] < document.to_text_span(*spans[-1])[1]:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
        for a, b in spans:
            t_start, t_end = document.to_text_span(a, b)
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=t_start,
                    end=t_end,
                    text=document.text[t_start:t_end],
                    clean=clean[a:b],
                    clean_start=a,
                )
            )
    boilerplate = []
    for a, b, reason in boiler:
        t_start, t_end = document.to_text_span(a, b)
        boilerplate.append(Boilerplate(t_start, t_end, document.text[t_start:t_end], reason))
    return SegmentedDocument(document, tuple(sentences), tuple(boilerplate))
