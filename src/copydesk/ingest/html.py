"""Main-text extraction from HTML with trafilatura, keeping its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

from copydesk.errors import InputError

_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<p[\s>]|<div)", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_SNIFF.match(text[:2000]))


@dataclass(frozen=True)
class ExtractedHtml:
    text: str
    title: str | None
    author: str | None
    published: str | None
    site: str | None
    url: str | None


# libxml2, under lxml and trafilatura, stops building the tree 256 elements deep: past that, text
# is lost. Wrapper elements carry no text of their own, so such a page is retried without them.
_LIBXML_DEPTH = 255
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_WRAPPERS = re.compile(r"</?(?:div|span|section|article|font|center|main|aside|b|i|em|strong)\b[^>]*>", re.I)


def nesting_depth(html: str) -> int:
    """The deepest element nesting in `html`, counted from its tags."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def extract_html(html: str, where: str, url: str | None = None) -> ExtractedHtml:
    import trafilatura

    def extract(markup: str):
        return trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=False
        )

    result = extract(html)
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text and nesting_depth(html) > _LIBXML_DEPTH:
        result = extract(_WRAPPERS.sub(" ", html))
        text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text:
        raise InputError(where, "HTML has no extractable article text")
    return ExtractedHtml(
        text=text,
        title=result.title,
        author=result.author,
        published=result.date,
        site=result.sitename,
        url=result.url or url,
    )
