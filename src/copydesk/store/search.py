"""What a library search means, shared by every store: all words must occur
(title or text, any case), `since`/`until` bound the publication date (ISO
strings compare in time order; `until` covers the whole day or month given).
Results come newest first, undated last, the last added first within a date."""

from __future__ import annotations

import re

from copydesk.models import LibraryArticle

_WORD = re.compile(r"\w+")


def search_terms(words: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(words or "")][:20]


def matches(article: LibraryArticle, terms: list[str], site: str | None, since: str | None, until: str | None) -> bool:
    if site and article.site != site:
        return False
    published = article.published or ""
    if since and not (published and published >= since):
        return False
    if until and not (published and published[: len(until)] <= until):
        return False
    if terms:
        words = set(_WORD.findall(f"{article.title or ''} {article.text}".lower()))
        return all(t in words for t in terms)
    return True
