"""Repair mojibake and normalise Unicode while keeping a map to the original.

Models see the normalised ("clean") text; reports show the original. For
each clean character we keep the [start, end) of the original characters it
came from. Tokens that a repair changes map as a whole onto their original
token, so every mapped span is valid and covers what it stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|\S+")
# Spaces that are not U+0020 (no-break, thin, ideographic...) become plain spaces.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class NormalizedText:
    clean: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _ftfy(text: str) -> str:
    import ftfy

    return ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")


def _fix(token: str, repair: bool) -> str:
    # Mojibake lives in non-ASCII tokens; ftfy per token is slow, so skip the rest.
    fixed = _ftfy(token) if repair and not token.isascii() else token
    return _ODD_SPACES.sub(" ", _INVISIBLE.sub("", fixed))


def normalize(text: str) -> NormalizedText:
    """Return the clean text and its character map onto `text`."""
    text_nl = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    repair = not text.isascii() and _ftfy(text) != text
    if not repair and text_nl is text and not _INVISIBLE.search(text):
        # Nothing changes length, so the map is the identity.
        n = len(text)
        return NormalizedText(_ODD_SPACES.sub(" ", text), tuple(range(n)), tuple(range(1, n + 1)))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Walk the original text so offsets stay exact even when \r\n is folded.
    orig_pos = 0
    for match in _TOKENS.finditer(text_nl):
        token = match.group()
        # Locate the token in the original (differs only where \r\n became \n).
        length_in_orig = _original_length(text, orig_pos, token)
        o_start, o_end = orig_pos, orig_pos + length_in_orig
        orig_pos = o_end
        fixed = _ODD_SPACES.sub(" ", token) if token.isspace() else _fix(token, repair)
        if len(fixed) == length_in_orig:
            starts.extend(range(o_start, o_end))
            ends.extend(range(o_start + 1, o_end + 1))
        else:
            starts.extend([o_start] * len(fixed))
            ends.extend([o_end] * len(fixed))
        pieces.append(fixed)
    return NormalizedText("".join(pieces), tuple(starts), tuple(ends))


def _original_length(text: str, pos: int, token: str) -> int:
    """Length in `text` (starting at pos) of `token` from the \\r-folded text."""
    if "\n" not in token:
        return len(token)
    length = 0
    for ch in token:
        if ch == "\n" and text.startswith("\r\n", pos + length):
            length += 2
        else:
            length += 1
    return length
