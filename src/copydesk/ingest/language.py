"""A cheap English check: the share of very common English words."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_COMMON = frozenset(
    "the of and to a in is that for on it with as was by at be this are from or an have has"
    " not but they he she his her we their its were said will which been would who more one"
    " after there also about than had".split()
)


def english_share(text: str, sample_chars: int = 20_000) -> float:
    words = _WORD.findall(text[:sample_chars].lower())
    if not words:
        return 0.0
    return sum(w in _COMMON for w in words) / len(words)
