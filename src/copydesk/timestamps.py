"""Publication times as articles give them: ISO 8601 first (feeds, JSON, WARC headers), then the
forms news pages print ("June 3, 2021 10:15 GMT", "03/06/2021") through dateparser. Only absolute
dates with a day, month and year count: "last Tuesday" means nothing once stored."""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache

# dateparser's parsers for dates written out in full; no relative times ("2 hours ago") or bare numbers.
_ABSOLUTE = {"PARSERS": ["absolute-time"], "STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False,
             "TO_TIMEZONE": "UTC", "DATE_ORDER": "DMY"}


@lru_cache(maxsize=65536)  # trace orders a story's members by time again and again
def parse_time(value: str | None) -> datetime | None:
    """A comparable (naive UTC) time, or None when `value` is not a date we can read."""
    if not value or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    for candidate in (text, text[:19], text[:10]):
        try:
            when = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when
    if len(text) > 64 or not any(c.isdigit() for c in text):
        return None
    import dateparser  # slow to import: only for dates that are not ISO

    return dateparser.parse(text, settings=_ABSOLUTE)


@lru_cache(maxsize=4096)  # asked again for every sentence of an article
def parse_day(value: str | None) -> date | None:
    """The calendar day a publication time names, as written (not moved to UTC): what "yesterday" or
    "last year" in the article counts from. None when `value` is not a date we can read."""
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        when = parse_time(value)
        return when.date() if when else None

