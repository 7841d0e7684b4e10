"""Split a document into boilerplate lines and story sentences.

Works on the clean text and maps every span back to the original, so
`document.text[s.start:s.end] == s.text` for every sentence.
"""

from __future__ import annotations

import re

from copydesk.models import Boilerplate, Document, SegmentedDocument, Sentence

# Lines that are not the story. Each pattern is matched against a whole line.
BOILERPLATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        ("disclaimer", r"^.{0,40}(opinions?|views?)( and views)? expressed (here|in this|herein|are).{0,200}$"),
        ("disclaimer", r"^.{0,60}(does not|do not|doesn'?t) (necessarily )?(reflect|represent).{0,160}$"),
        ("disclaimer", r"^\s*(disclaimer|editor'?s note)\s*:.*$"),
        ("disclaimer", r"^.{0,80}(this (article|content|story) (was|has been|is) )(generated|written|produced|created) (with|by|using).{0,120}$"),
        ("navigation", r"^\s*(related( stories| articles| coverage| news)?|more (stories|from|on this)|you may also like|recommended( for you)?|trending( now)?|most read|also read|see also)\b.{0,200}$"),
        ("navigation", r"^\s*(read (more|also|next|the full)|continue reading|click here|full story)\b.{0,200}$"),
        ("share", r"^\s*(share( this)?( (article|story|on))?|tweet|follow us|like us on|share on (facebook|twitter|x|whatsapp|linkedin)|email this|print this)\b.{0,120}$"),
        ("newsletter", r"^.{0,40}(sign up|subscribe)\b.{0,40}(newsletter|updates|inbox|alerts|email).{0,120}$"),
        ("newsletter", r"^.{0,40}newsletter.{0,80}(sign up|subscribe|inbox|delivered).{0,80}$"),
        ("image", r"^\s*(\(?(photo|image|picture|pic|credit|photograph|illustration)s?( credit)?\s*[:/(].{0,160})$"),
        ("image", r"^\s*\S+\.(jpe?g|png|gif|webp|svg)(\?\S*)?\s*$"),
        ("image", r"^.{0,120}\((getty images|reuters|ap photo|afp|epa|shutterstock)[^)]*\)\s*$"),
        ("link", r"^\s*(https?://|www\.)\S+\s*$"),
        ("advertisement", r"^\s*(advertisement|sponsored( content)?|ad|promoted)\s*$"),
        ("copyright", r"^\s*(copyright|©|\(c\)).{0,160}$"),
        ("copyright", r"^.{0,120}all rights reserved\.?\s*$"),
        ("credit", r"^\s*((additional )?reporting|writing|editing|compiled) by\b.{0,200}$"),
        ("credit", r"^\s*this (story|article|report) (is based on|was (first|originally) (published|reported)|first appeared|originally appeared).{0,200}$"),
        ("tags", r"^\s*(tags|topics|filed under)\s*:.{0,200}$"),
    )
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
_END = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*(?=\s+)")
_DOTTED_ACRONYM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.$")


def find_boilerplate(clean: str) -> list[tuple[int, int, str]]:
    """[start, end, reason] of boilerplate lines in the clean text."""
    found = []
    pos = 0
    for line in clean.split("\n"):
        stripped = line.strip()
        if stripped:
            for reason, pattern in BOILERPLATE_PATTERNS:
                if pattern.match(stripped):
                    lead = len(line) - len(line.lstrip())
                    found.append((pos + lead, pos + lead + len(stripped), reason))
                    break
        pos += len(line) + 1
    return found


def _is_boundary(text: str, end: int, next_start: int) -> bool:
    """Does the sentence-final punctuation ending at `end` close a sentence?"""
    # Only the last few characters matter; slicing keeps the split linear in the text.
    head = text[max(0, end - 40) : end].rstrip(_CLOSERS)
    nxt = text[next_start : next_start + 30]
    if not nxt:
        return True
    first = nxt[0]
    if head.endswith("."):
        if _INITIAL.search(head):
            return False  # "J. Smith"
        if _DOTTED_ACRONYM.search(head):
            word = re.match(r"[A-Za-z]+", nxt)
            return bool(word) and word.group().lower() in _SENTENCE_STARTERS
        word = _WORD_BEFORE.search(head)
        if word and word.group(1).lower() in ABBREVIATIONS:
            return False
    return first.isupper() or first.isdigit() or first in _OPENERS or first in "-–—"


def split_sentences(clean: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within clean[start:end] (one paragraph or line).

    A quotation that opens and closes in the paragraph is kept whole:
    '"We will not stop. Not now," she said.' is one sentence.
    """
    spans = []
    sent_start = start
    # Positions inside a straight or curly double quotation that closes.
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
    ranges = []
    for match in re.finditer(r"“[^”]*”|(?<![A-Za-z])\"[^\"]*\"", clean[start:end]):
        if len(match.group()) < 600:
            ranges.append((start + match.start(), start + match.end() - 1))
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
        if line_start >= line_end or line_start in boiler_starts:
            continue
        for a, b in split_sentences(clean, line_start, line_end):
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
