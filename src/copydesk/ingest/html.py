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


def extract_html(html: str, where: str, url: str | None = None) -> ExtractedHtml:
    import trafilatura

    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
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
