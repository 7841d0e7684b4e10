"""Render a CompareResult: JSON (copydesk.compare/1), terminal, HTML."""

from __future__ import annotations

from copydesk.models import Summary


def headline(summary: Summary) -> str:
    """Same story or not, and if so whether retold from the source or reported independently."""
    if not summary.same_story:
        return "Not the same story"
    return "Same story, retold from the source" if summary.derived else "Same story, reported independently"
